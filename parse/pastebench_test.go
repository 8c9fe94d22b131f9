package parse

import (
	"bytes"
	"io"
	"os"
	"testing"
)

func BenchmarkPasteReaderClass(b *testing.B) {
	data, err := os.ReadFile(os.Getenv("LOG"))
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		io.Copy(io.Discard, newPasteReader(bytes.NewReader(data)))
	}
}
