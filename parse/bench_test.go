package parse

import (
	"bytes"
	"context"
	"testing"

	"github.com/vssbot/vssbot/parse/internal/loggen"
)

// benchSize is the size of the generated log: large enough that the one
// failure near its end is found only after streaming through everything.
const benchSize = 256 << 20

func benchmarkParse(b *testing.B, enc string) {
	var buf bytes.Buffer
	buf.Grow(benchSize + 4096)
	if err := loggen.Write(&buf, benchSize, enc); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	p := New(loadVocab(b), Limits{})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := p.Parse(context.Background(), "big.log", bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Findings) == 0 || res.Findings[0].Code != "0x800423f2" {
			b.Fatalf("failure not found: %+v", res.Findings)
		}
	}
}

func BenchmarkParseUTF8(b *testing.B)    { benchmarkParse(b, "utf-8") }
func BenchmarkParseUTF16LE(b *testing.B) { benchmarkParse(b, "utf-16le") }
