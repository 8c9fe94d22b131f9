package parse

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// onlyReader hides every method but Read, as a network body would.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func zipOf(t testing.TB, files map[string][]byte, order ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipOf(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestZipByMagicNotSeekable reads the committed bundle under a name that
// says nothing of zip, through a reader that must be spooled.
func TestZipByMagicNotSeekable(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	raw, err := os.ReadFile("testdata/bundle.zip")
	if err != nil {
		t.Fatal(err)
	}
	want, err := p.Parse(context.Background(), "bundle.zip", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Parse(context.Background(), "bundle.zip", onlyReader{bytes.NewReader(raw)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("spooled zip differs:\n got %+v\nwant %+v", got, want)
	}
	if got.Findings[0].Source != "bundle.zip:logs/1500000000.log" || got.Findings[0].Kind != KindWriterFailure {
		t.Errorf("first finding %+v", got.Findings[0])
	}
	var nested bool
	for _, in := range got.Inputs {
		nested = nested || in.Source == "bundle.zip:eventlogs.zip:events/application.xml" && in.Format == "eventlog"
	}
	if !nested {
		t.Errorf("nested zip entry not read: %+v", got.Inputs)
	}
}

func TestContainerLimits(t *testing.T) {
	exit := []byte("07/13/2017 04:40:44.020 Exit Code -311\n")
	big := append(append([]byte{}, exit...), make([]byte, 8<<20)...)
	many := map[string][]byte{}
	var names []string
	for i := range 30 {
		n := fmt.Sprintf("logs/%d.log", i)
		many[n], names = exit, append(names, n)
	}
	nested := zipOf(t, map[string][]byte{"a.log": exit}, "a.log")
	for i := range 4 {
		nested = zipOf(t, map[string][]byte{fmt.Sprintf("z%d.zip", i): nested}, fmt.Sprintf("z%d.zip", i))
	}
	tests := []struct {
		name   string
		in     []byte
		seek   bool
		limits Limits
		limit  string
		input  string // the input the error must name
	}{
		{"entries", zipOf(t, many, names...), true, Limits{MaxArchiveEntries: 10}, "MaxArchiveEntries", "many.zip"},
		{"zip ratio bomb", zipOf(t, map[string][]byte{"bomb.log": big}, "bomb.log"), true, Limits{MaxRatio: 50}, "MaxRatio", "many.zip:bomb.log"},
		// Zeros compress a little over 1000 times: the ratio is lifted so
		// that the total stops them.
		{"expanded", zipOf(t, map[string][]byte{"a.log": big, "b.log": big}, "a.log", "b.log"), true, Limits{MaxExpandedBytes: 4 << 20, MaxRatio: 1e6}, "MaxExpandedBytes", "many.zip:a.log"},
		{"depth", nested, true, Limits{MaxDepth: 2}, "MaxDepth", "many.zip:z3.zip:z2.zip"},
		{"spool", zipOf(t, many, names...), false, Limits{MaxSpoolBytes: 100}, "MaxSpoolBytes", "many.zip"},
		{"gzip ratio bomb", gzipOf(t, big), false, Limits{MaxRatio: 50}, "MaxRatio", "many.zip:many.zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r io.Reader = bytes.NewReader(tt.in)
			if !tt.seek {
				r = onlyReader{r}
			}
			res, err := New(loadVocab(t), tt.limits).Parse(context.Background(), "many.zip", r)
			var le *LimitError
			if !errors.As(err, &le) || le.Limit != tt.limit || le.Input != tt.input {
				t.Fatalf("error %v, want limit %s on %s", err, tt.limit, tt.input)
			}
			if !strings.Contains(err.Error(), tt.limit) || !strings.Contains(err.Error(), tt.input) {
				t.Errorf("error %q does not name the limit and input", err)
			}
			if res == nil || len(res.Inputs) == 0 || res.Inputs[0].Error == "" && tt.limit != "MaxRatio" {
				t.Errorf("inputs %+v", res.Inputs)
			}
			// The input the limit stopped says which limit, for the answer.
			if !slices.ContainsFunc(res.Inputs, func(in Input) bool { return in.Limit == tt.limit+"="+le.Value }) {
				t.Errorf("no input carries limit %s: %+v", tt.limit, res.Inputs)
			}
			// Too many entries: refused before any is read.
			if tt.limit != "MaxSpoolBytes" && tt.limit != "MaxDepth" && tt.limit != "MaxArchiveEntries" && (len(res.Findings) == 0 || res.Findings[0].Code != "-311") {
				t.Errorf("findings before the limit were lost: %+v", res.Findings)
			}
		})
	}
}

func TestCorruptContainers(t *testing.T) {
	z := zipOf(t, map[string][]byte{"a.log": []byte("Exit Code -311\n")}, "a.log")
	tests := map[string][]byte{
		"truncated zip":   z[:len(z)/2],
		"truncated gzip":  gzipOf(t, bytes.Repeat([]byte("Exit Code -311\n"), 1000))[:40],
		"zip magic only":  []byte("PK\x03\x04"),
		"gzip magic only": {0x1f, 0x8b},
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			res, err := New(loadVocab(t), Limits{}).Parse(context.Background(), "bad", bytes.NewReader(in))
			if err == nil || !strings.HasPrefix(err.Error(), "bad") {
				t.Errorf("error %v should name the input", err)
			}
			if res == nil {
				t.Fatal("nil result")
			}
		})
	}
}
