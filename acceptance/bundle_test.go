package acceptance

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/parse"
)

// bundle zips files of knowledge/testdata/story into a temporary zip, as a
// customer sends a case.
func bundle(t *testing.T, names ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "case.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join("..", "knowledge", "testdata", "story", n))
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create("case/" + n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// A task log and a vssadmin output taken a week later report the same
// writer failure: each file keeps its own finding, named with its line in
// the JSON and the text, and the two are not one incident.
func TestBundleNamesEveryFile(t *testing.T) {
	zipPath := bundle(t, "task-utc.log", "vssadmin-later.txt")
	out, errOut, code := vssbot(t, "", "diagnose", "--format", "json", "--lang", "en", zipPath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r knowledge.Report // the JSON contract
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not the JSON contract: %v\n%s", err, out)
	}
	lines := map[string]int{}
	for _, f := range r.Findings {
		if f.Kind == parse.KindWriterFailure && f.Code == "0x800423f2" {
			lines[filepath.Base(strings.TrimPrefix(f.Source, zipPath+":"))] = f.Line
			if f.Count != 1 {
				t.Errorf("count %d in %s: another file's finding merged in", f.Count, f.Source)
			}
		}
	}
	if lines["task-utc.log"] != 6 || lines["vssadmin-later.txt"] != 11 {
		t.Errorf("writer failures by file %v, want task-utc.log:6 and vssadmin-later.txt:11", lines)
	}
	if strings.Contains(out, `"incidents": [
    {`) {
		t.Errorf("joined a week apart:\n%s", out)
	}
	text, _, _ := vssbot(t, "", "diagnose", "--lang", "en", zipPath)
	for _, want := range []string{"case/task-utc.log:6", "case/vssadmin-later.txt:11"} {
		if !strings.Contains(text, want) {
			t.Errorf("text does not name %s:\n%s", want, text)
		}
	}
}
