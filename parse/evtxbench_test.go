package parse

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/vssbot/vssbot/parse/evtx/evtxtest"
)

// realSystemLog is a real System log beside the repository (see
// ../shared/evtx/README.md).
const realSystemLog = "../../shared/evtx/system.evtx"

// BenchmarkParseEVTX reads a 128 MiB System log made of a real log's
// chunks, with one VSS and one VolSnap record at its very end: the records
// of other providers are skipped without being rendered.
func BenchmarkParseEVTX(b *testing.B) {
	src, err := os.ReadFile(realSystemLog)
	if err != nil {
		b.Skipf("real System log absent: %v", err)
	}
	var buf bytes.Buffer
	if err := evtxtest.Large(&buf, src, 128<<20, withTimes(vssEvents[:2])...); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	p := New(loadVocab(b), Limits{})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := p.Parse(context.Background(), "System.evtx", bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Findings) != 2 {
			b.Fatalf("want the VSS and VolSnap events, got %+v", res.Findings)
		}
	}
}
