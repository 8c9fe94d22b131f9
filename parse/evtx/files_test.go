package evtx

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/parse/evtx/evtxtest"
)

// sharedDir holds the real .evtx files, beside the repository.
const sharedDir = "../../../shared/evtx"

// samples are the real files and their record counts (from the folder's
// README, counted by libevtx's evtxexport).
//
// recovered counts the records libevtx does not read because it abandons a
// chunk at its first damaged record, and this reader finds past the damage:
// in sample_with_a_bad_chunk_magic.evtx chunk 7 holds 31 whole records
// after a zeroed stretch; in sample-with-zero-data-size-event.evtx chunk 0
// holds 114 whole records after record 3, whose size field is zero.
// unreadable is what the chunk headers promise and no reader can find.
var samples = []struct {
	name       string
	records    int64
	recovered  int64
	unreadable int64
}{
	{"system.evtx", 1881, 0, 0},
	{"Application_no_crc32.evtx", 17, 0, 0},
	{"sample_with_a_bad_chunk_magic.evtx", 267, 31, 251},
	{"sample-with-zero-data-size-event.evtx", 335, 114, 1},
	{"security_bad_string_cache.evtx", 2261, 0, 0},
}

func samplePath(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(sharedDir, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real .evtx samples absent (%s): %v", sharedDir, err)
	}
	return p
}

func fileSize(t testing.TB, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// readAll renders every record of a file.
func readAll(t testing.TB, path string) ([][]byte, Stats) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewReader(bufio.NewReader(f), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		x, err := rec.XML(nil)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(path), err)
		}
		out = append(out, x)
	}
	return out, r.Stats()
}

func TestSampleCounts(t *testing.T) {
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			recs, st := readAll(t, samplePath(t, s.name))
			want := s.records + s.recovered
			if int64(len(recs)) != want || st.Records != want {
				t.Errorf("read %d records (stats %d), want %d (README) + %d recovered; %+v", len(recs), st.Records, s.records, s.recovered, st)
			}
			if st.Unreadable != s.unreadable {
				t.Errorf("%d records unreadable, want %d; %+v", st.Unreadable, s.unreadable, st)
			}
			// Real logs stay far inside the rendering budget (a quarter of
			// the file's allowance), so that only hostile files meet it.
			lim := Limits{}.withDefaults()
			if size := fileSize(t, samplePath(t, s.name)); 4*st.Work > lim.WorkPerByte*size {
				t.Errorf("rendering spent %d on %d bytes, too close to the budget of %d per byte", st.Work, size, lim.WorkPerByte)
			}
			t.Logf("%+v", st)
		})
	}
}

// TestMatchesEvtxexport compares every rendered record with libevtx's
// rendering of the same file, element by element.
func TestMatchesEvtxexport(t *testing.T) {
	tool, err := exec.LookPath("evtxexport")
	if err != nil {
		if os.Getenv("VSSBOT_TEST_REQUIRE_EVTXEXPORT") == "1" {
			t.Fatal("evtxexport not installed but VSSBOT_TEST_REQUIRE_EVTXEXPORT=1 (apt-get install libevtx-utils)")
		}
		t.Skip("evtxexport not installed (apt-get install libevtx-utils); comparison skipped")
	}
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			path := samplePath(t, s.name)
			out, err := exec.Command(tool, "-f", "xml", path).Output()
			if err != nil {
				t.Fatalf("evtxexport: %v", err)
			}
			want := splitExport(out)
			got, _ := readAll(t, path)
			// Past damage libevtx gives up on the rest of a chunk where this
			// reader finds more records, so every libevtx record must be
			// among ours, rendered the same.
			ours := make(map[string]int, len(got))
			for _, g := range got {
				ours[canonical(g)]++
			}
			bad := 0
			for i, w := range want {
				c := canonical(w)
				if ours[c] > 0 {
					ours[c]--
					continue
				}
				if bad < 3 {
					t.Errorf("evtxexport record %d not rendered the same here:\nwant: %s\n got: %s", i, c, canonical(got[min(i, len(got)-1)]))
				}
				bad++
			}
			if bad > 0 {
				t.Errorf("%d of %d evtxexport records differ", bad, len(want))
			}
			if int64(len(want)) != s.records {
				t.Errorf("evtxexport gives %d records, the README says %d", len(want), s.records)
			}
		})
	}
}

// splitExport cuts evtxexport's output into records.
func splitExport(b []byte) [][]byte {
	var out [][]byte
	parts := bytes.Split(b, []byte("<Event xmlns="))
	for _, p := range parts[1:] {
		out = append(out, append([]byte("<Event xmlns="), p...))
	}
	return out
}

// canonical reduces XML to its elements, sorted attributes and
// non-blank text, so that layout differences do not count.
func canonical(b []byte) string {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	var sb strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			if err != io.EOF {
				fmt.Fprintf(&sb, "ERR(%v)", err)
			}
			break
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			sb.WriteString("<" + tk.Name.Local)
			for _, a := range tk.Attr {
				fmt.Fprintf(&sb, " %s=%q", a.Name.Local, a.Value)
			}
			sb.WriteString(">")
		case xml.EndElement:
			sb.WriteString("</" + tk.Name.Local + ">")
		case xml.CharData:
			if s := string(tk); strings.TrimSpace(s) != "" {
				sb.WriteString(strings.TrimRight(s, "\n"))
			}
		}
	}
	return sb.String()
}

// benchmarkLog is a 64 MiB log made of the real System log's chunks.
func benchmarkLog(b *testing.B) []byte {
	src, err := os.ReadFile(samplePath(b, "system.evtx"))
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := evtxtest.Large(&buf, src, 64<<20); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkRead reads every record and its provider, as the parser does
// to skip the records it has no use for.
func BenchmarkRead(b *testing.B) {
	data := benchmarkLog(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), Limits{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if err != nil {
				break
			}
			rec.Provider()
		}
	}
}

// BenchmarkRender renders every record as XML.
func BenchmarkRender(b *testing.B) {
	data := benchmarkLog(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), Limits{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if err != nil {
				break
			}
			if buf, err = rec.XML(buf[:0]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
