package knowledge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	goldenfile "github.com/vssbot/vssbot/internal/golden"
	"github.com/vssbot/vssbot/lang"
)

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

func TestCheck(t *testing.T) {
	tests := []struct {
		dir    string
		golden string // empty: no problems expected
	}{
		{dir: "testdata/overlay-good"},
		{dir: "testdata/overlay-bad", golden: "overlay-bad.golden"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.dir), func(t *testing.T) {
			problems, err := Check(tt.dir)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, p := range problems {
				b.WriteString(p.String() + "\n")
			}
			if tt.golden == "" {
				if len(problems) > 0 {
					t.Fatalf("unexpected problems:\n%s", b.String())
				}
				return
			}
			golden(t, tt.golden, []byte(b.String()))
		})
	}
}

func TestCheckMissingDir(t *testing.T) {
	if _, err := Check(filepath.Join(t.TempDir(), "absent")); err == nil {
		t.Fatal("Check of a missing directory returned no error")
	}
}

func TestLoadOverlay(t *testing.T) {
	b, err := Load("testdata/overlay-good")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query, wantTitle string
	}{
		{"0x800423f2", "Site procedure: writer timeout"},  // replaced
		{"0x800423f1", "The writer ran out of resources"}, // kept from the embedded data
		{"-400", "In-house tool exit code"},               // added
		{"contoso writer", "VSS writer hosted by Contoso App (ContosoSvc)"},
		{"Contoso 7", "Contoso warning"},
	}
	for _, tt := range tests {
		r := b.Lookup([]string{tt.query}, lang.English)
		if len(r.Diagnoses) != 1 || r.Diagnoses[0].Title != tt.wantTitle {
			t.Errorf("Lookup(%q) = %+v, want one diagnosis titled %q", tt.query, r.Diagnoses, tt.wantTitle)
		}
	}
	if name, ok := b.WriterByID("{11111111-2222-3333-4444-555555555555}"); !ok || name != "Contoso App Writer" {
		t.Errorf("WriterByID(overlay writer) = %q, %v", name, ok)
	}
}

func TestLoadRejectsBadOverlay(t *testing.T) {
	_, err := Load("testdata/overlay-bad")
	if err == nil {
		t.Fatal("Load accepted a bad overlay")
	}
	if !strings.Contains(err.Error(), "a-codes.yaml:2: malformed code") {
		t.Errorf("error does not name file:line of the first problem: %v", err)
	}
}

func TestDecodeFile(t *testing.T) {
	tests := []struct {
		name, data, wantProblem string
	}{
		{"empty", "", ""},
		{"comment only", "# nothing\n", ""},
		{"null section", "codes:\n", ""},
		{"scalar section", "codes: 3\n", "codes must be a list"},
		{"scalar entry", "codes:\n  - 3\n", "codes entry must be a mapping"},
		{"missing required", "events:\n  - provider: VSS\n", "missing id"},
		{"text not mapping", "states:\n  - {value: 1, name: X, stage: hi, vssadmin: {ja: a, en: b}, meaning: {ja: a, en: b}}\n", "stage must be a mapping with ja and en"},
		{"extra language", "states:\n  - {value: 1, name: X, stage: {ja: a, en: b, fr: c}, vssadmin: {ja: a, en: b}, meaning: {ja: a, en: b}}\n", `unknown field "fr" in stage`},
		{"alias", "codes:\n  - {code: \"0x80040001\", name: A, kind: hresult, title: &t {ja: a, en: b}, meaning: *t, references: [{title: r, url: \"https://example.com/r\"}]}\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := decodeFile("f.yaml", []byte(tt.data))
			if tt.wantProblem == "" {
				if len(problems) > 0 {
					t.Fatalf("unexpected problems: %v", problems)
				}
				return
			}
			for _, p := range problems {
				if strings.Contains(p.Message, tt.wantProblem) {
					return
				}
			}
			t.Fatalf("problems %v lack %q", problems, tt.wantProblem)
		})
	}
}

// FuzzDecodeFile feeds arbitrary bytes to the data file decoder, which reads
// operator-supplied overlays: it must never panic, and a problem always
// names a line.
func FuzzDecodeFile(f *testing.F) {
	for _, dir := range []string{"data", "testdata/overlay-bad", "testdata/overlay-good"} {
		names, _ := filepath.Glob(filepath.Join(dir, "*.y*ml"))
		for _, n := range names {
			if data, err := os.ReadFile(n); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, problems := decodeFile("f.yaml", data)
		for _, p := range problems {
			if p.Line < 1 {
				t.Fatalf("problem without a line: %v", p)
			}
		}
	})
}

func BenchmarkDecodeFile(b *testing.B) {
	data, err := os.ReadFile("data/writers.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		decodeFile("writers.yaml", data)
	}
}

func TestLoadFSNamesDefect(t *testing.T) {
	fsys := fstest.MapFS{
		"data/good.yaml": {Data: []byte("events:\n  - {provider: VSS, id: 1, title: {ja: a, en: b}, meaning: {ja: a, en: b}, references: [{title: r, url: \"https://example.com/r\"}]}\n")},
		"data/bad.yaml":  {Data: []byte("events:\n  - provider: VSS\n    id: 2\n    title: {en: only English}\n    meaning: {ja: a, en: b}\n")},
	}
	_, err := loadFS(fsys)
	if err == nil || !strings.Contains(err.Error(), "data/bad.yaml:4: title: missing ja") {
		t.Fatalf("loadFS error = %v, want it to name data/bad.yaml:4", err)
	}
	delete(fsys, "data/bad.yaml")
	if _, err := loadFS(fsys); err != nil {
		t.Fatalf("loadFS(good) = %v", err)
	}
}

// BenchmarkLoad is the embedded base's load as every command pays it at
// start (a diagnosis of a small file is mostly this).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(""); err != nil {
			b.Fatal(err)
		}
	}
}
