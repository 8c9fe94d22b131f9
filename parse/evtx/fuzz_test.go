package evtx

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/parse/evtx/evtxtest"
)

const seedBytes = 12 << 10

// FuzzReader feeds the reader damaged files: it must never panic or loop,
// and every record it returns must render or fail with an error.
func FuzzReader(f *testing.F) {
	// The real files, cut to the file header and the start of a chunk:
	// whole megabyte seeds make every execution and minimisation slow.
	for _, s := range samples {
		b, err := os.ReadFile(filepath.Join(sharedDir, s.name))
		if err != nil {
			continue // samples absent: the generated seeds remain
		}
		for _, chunk := range []int{0, 6, 7} {
			at := 4096 + chunk*ChunkSize
			if at+seedBytes <= len(b) && !isZero(b[at:at+seedBytes]) {
				f.Add(append(bytes.Clone(b[:4096]), b[at:at+seedBytes]...))
			}
		}
	}
	ev := evtxtest.Event{Provider: "VSS", EventID: 8229, Time: when, UserSID: "S-1-5-18",
		Data: []evtxtest.Data{{Value: "0x800423f4"}, {Value: []string{"a", "b"}}}}
	f.Add(evtxtest.File(ev, ev))
	f.Add(evtxtest.File(evtxtest.Event{Provider: "P", UserData: "Op", Data: []evtxtest.Data{{Name: "A", Value: "x"}}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), Limits{})
		if err != nil {
			return
		}
		var n int64
		var buf []byte
		for {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("error from a bytes.Reader: %v", err)
			}
			n++
			rec.Provider()
			if buf, err = rec.XML(buf[:0]); err != nil && !strings.Contains(err.Error(), "record") {
				t.Fatalf("render error does not name the record: %v", err)
			}
		}
		st := r.Stats()
		if st.Records != n || st.Unreadable < 0 {
			t.Fatalf("stats %+v after %d records", st, n)
		}
		if max := int64(len(data)/recordHeaderSize + 1); n > max {
			t.Fatalf("%d records from %d bytes", n, len(data))
		}
		if _, err := r.Next(); !errors.Is(err, io.EOF) {
			t.Fatalf("Next after the end: %v", err)
		}
	})
}
