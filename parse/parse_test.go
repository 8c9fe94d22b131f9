package parse

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	goldenfile "github.com/vssbot/vssbot/internal/golden"
)

// golden is what a golden file holds: everything of a Result, with the
// language flag that Result keeps out of its JSON.
type golden struct {
	Japanese bool `json:"japanese"`
	*Result
}

func parseFile(t *testing.T, p *Parser, path string) (*Result, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return p.Parse(context.Background(), filepath.Base(path), f)
}

func TestGolden(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	var files []string
	for _, ext := range []string{"log", "txt", "csv", "xml", "zip", "gz"} {
		m, _ := filepath.Glob("testdata/*." + ext)
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("only %d testdata files", len(files))
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			res, err := parseFile(t, p, path)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			checkWellFormed(t, res)
			got, _ := json.MarshalIndent(golden{res.Japanese, res}, "", "  ")
			goldenfile.Check(t, filepath.Join("testdata", "golden", name+".json"), append(got, '\n'))
		})
	}
}

// negatives are samples in which nothing is evidence.
var negatives = []string{"aip-success.log", "noise.txt", "vssadmin-stable.txt"}

func TestNegativeSamplesHaveNoFindings(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	for _, name := range negatives {
		t.Run(name, func(t *testing.T) {
			res, err := parseFile(t, p, filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Findings) != 0 {
				t.Errorf("want no findings, got %+v", res.Findings)
			}
		})
	}
}

var canonCode = regexp.MustCompile(`^(0x[0-9a-f]{8}|-?[0-9]+|)$`)
var canonGUID = regexp.MustCompile(`^(\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}|)$`)

// checkWellFormed checks what every finding must satisfy whatever the input.
func checkWellFormed(t testing.TB, res *Result) {
	t.Helper()
	if res == nil {
		t.Fatal("nil result")
	}
	last := -1
	for _, f := range res.Findings {
		switch {
		case !canonCode.MatchString(f.Code):
			t.Errorf("code %q not canonical", f.Code)
		case f.Kind == KindExitCode && strings.HasPrefix(f.Code, "0x"):
			t.Errorf("exit code %q is hex", f.Code)
		case f.Kind != KindExitCode && f.Code != "" && !strings.HasPrefix(f.Code, "0x"):
			t.Errorf("%s code %q not hex", f.Kind, f.Code)
		case !canonGUID.MatchString(f.WriterID) || !canonGUID.MatchString(f.InstanceID):
			t.Errorf("ids not canonical: %q %q", f.WriterID, f.InstanceID)
		case f.Count < 1 || f.Line < 1 || f.State < -1 || f.State > 15:
			t.Errorf("bad count/line/state: %+v", f)
		case Rank(f) < last:
			t.Errorf("findings not ranked: %+v after rank %d", f, last)
		}
		last = Rank(f)
	}
	checkSightings(t, res)
}
