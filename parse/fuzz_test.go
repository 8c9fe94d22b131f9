package parse

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary bytes (seeded with every sample, container and
// encoding) to the parser: it must not panic or hang, and what it finds
// must be well-formed.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, path := range files {
		if b, err := os.ReadFile(path); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Add(zipOf(f, map[string][]byte{"a.log": []byte("Exit Code -311\n"), "b.zip": zipOf(f, map[string][]byte{"c.txt": []byte("hr = 0x80042306")}, "c.txt")}, "a.log", "b.zip"))
	f.Add(gzipOf(f, []byte("writer failure code : 0X800423F3\n")))
	f.Add([]byte("\xff\xfeE\x00x\x00i\x00t\x00 \x00C\x00o\x00d\x00e\x00 \x00-\x003\x001\x001\x00"))
	p := New(loadVocab(f), Limits{MaxExpandedBytes: 64 << 20, MaxSpoolBytes: 16 << 20})
	f.Fuzz(func(t *testing.T, in []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res, _ := p.Parse(ctx, "fuzz", bytes.NewReader(in))
		if ctx.Err() != nil {
			t.Fatalf("parse of %d bytes did not finish in time", len(in))
		}
		checkWellFormed(t, res)
		if len(res.Inputs) == 0 || res.Inputs[0].Source != "fuzz" {
			t.Errorf("inputs %+v", res.Inputs)
		}
	})
}
