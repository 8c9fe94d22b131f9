package parse

import (
	"bytes"
	"context"
	"testing"

	"github.com/vssbot/vssbot/internal/devtools/loggen"
)

// benchSize is the size of a generated log: large enough that the one
// failure near its end is found only after streaming through everything.
const benchSize = 64 << 20

// benchmarkParse parses a generated log of one class in one encoding and
// checks the planted failure is the first finding. Compare with
// scripts/bench-diagnose.sh, which pairs the whole process with grep.
func benchmarkParse(b *testing.B, class, enc string) {
	var buf bytes.Buffer
	buf.Grow(benchSize + 4096)
	if err := loggen.WriteClass(&buf, benchSize, class, enc); err != nil {
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
		if len(res.Findings) == 0 || res.Findings[0].Code != loggen.Want {
			b.Fatalf("failure not found: %+v", res.Findings)
		}
	}
}

func BenchmarkParseUTF8(b *testing.B)    { benchmarkParse(b, loggen.Filler, "utf-8") }
func BenchmarkParseUTF16LE(b *testing.B) { benchmarkParse(b, loggen.Filler, "utf-16le") }

func BenchmarkParseTaskHexUTF8(b *testing.B)    { benchmarkParse(b, loggen.TaskHex, "utf-8") }
func BenchmarkParseTaskHexUTF16LE(b *testing.B) { benchmarkParse(b, loggen.TaskHex, "utf-16le") }

func BenchmarkParseEventAppUTF8(b *testing.B)    { benchmarkParse(b, loggen.EventApp, "utf-8") }
func BenchmarkParseEventXMLUTF8(b *testing.B)    { benchmarkParse(b, loggen.EventXML, "utf-8") }
func BenchmarkParseEventCSVUTF8(b *testing.B)    { benchmarkParse(b, loggen.EventCSV, "utf-8") }
func BenchmarkParseEventAppUTF16LE(b *testing.B) { benchmarkParse(b, loggen.EventApp, "utf-16le") }

func BenchmarkParseJapaneseUTF8(b *testing.B)    { benchmarkParse(b, loggen.Japanese, "utf-8") }
func BenchmarkParseJapaneseUTF16LE(b *testing.B) { benchmarkParse(b, loggen.Japanese, "utf-16le") }
func BenchmarkParseJapaneseCP932(b *testing.B)   { benchmarkParse(b, loggen.Japanese, "shift_jis") }

// benchmarkFirstStage times the pipeline's first stage alone (the bigram
// filter or scalar walk and the stateless checks) on 4 MiB of a class.
func benchmarkFirstStage(b *testing.B, class string) {
	var buf bytes.Buffer
	if err := loggen.WriteClass(&buf, 4<<20, class, "utf-8"); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	p := New(loadVocab(b), Limits{})
	s := &scanner{a: p.anchors, v: &verifier{p: p}}
	b.SetBytes(int64(len(data)))
	var dst []hit
	for b.Loop() {
		dst = s.hits(data, len(data), dst[:0])
	}
}

func BenchmarkFirstStageFiller(b *testing.B)   { benchmarkFirstStage(b, loggen.Filler) }
func BenchmarkFirstStageTaskHex(b *testing.B)  { benchmarkFirstStage(b, loggen.TaskHex) }
func BenchmarkFirstStageEventApp(b *testing.B) { benchmarkFirstStage(b, loggen.EventApp) }
func BenchmarkFirstStageEventXML(b *testing.B) { benchmarkFirstStage(b, loggen.EventXML) }
func BenchmarkFirstStageEventCSV(b *testing.B) { benchmarkFirstStage(b, loggen.EventCSV) }
