package parse

import (
	"bytes"
	"io"
	"testing"

	"github.com/vssbot/vssbot/internal/devtools/loggen"
)

// BenchmarkPasteReader measures the paste normaliser alone on generated
// logs that no paste mangled: what every large file pays for it (compare
// with BenchmarkParse* of the same class).
func BenchmarkPasteReader(b *testing.B) {
	for _, class := range loggen.Classes {
		b.Run(class, func(b *testing.B) {
			var buf bytes.Buffer
			if err := loggen.WriteClass(&buf, 16<<20, class, "utf-8"); err != nil {
				b.Fatal(err)
			}
			data := buf.Bytes()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				n, err := io.Copy(io.Discard, pasteReaderFor(bytes.NewReader(data)))
				if err != nil || n != int64(len(data)) {
					b.Fatalf("copied %d of %d bytes: %v", n, len(data), err)
				}
			}
		})
	}
}
