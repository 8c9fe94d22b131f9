package parse

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// testVocab is a Vocabulary read from testdata/vocab.tsv, so that the
// parser's tests do not depend on the knowledge package.
type testVocab struct {
	names   map[string]string // code -> name
	codes   map[string]string // upper name -> code
	writers map[string]string // id -> name
	list    []string
}

func loadVocab(tb testing.TB) *testVocab {
	tb.Helper()
	f, err := os.Open("testdata/vocab.tsv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	v := &testVocab{names: map[string]string{}, codes: map[string]string{}, writers: map[string]string{}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) != 3 {
			continue
		}
		switch fs[0] {
		case "code":
			v.names[fs[1]] = fs[2]
			v.codes[fs[2]] = fs[1]
		case "writer":
			v.writers[fs[1]] = fs[2]
			v.list = append(v.list, fs[2])
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return v
}

func (v *testVocab) NameOf(code string) string { return v.names[code] }

func (v *testVocab) CodeOf(name string) (string, bool) {
	n := strings.ToUpper(name)
	if c, ok := v.codes[n]; ok {
		return c, true
	}
	c, ok := v.codes["VSS_E_"+n]
	return c, ok
}

func (v *testVocab) WriterNames() []string { return v.list }

func (v *testVocab) WriterByID(id string) (string, bool) {
	n, ok := v.writers[id]
	return n, ok
}

// WriterIDs lists the writer GUIDs, as knowledge.Base does.
func (v *testVocab) WriterIDs() []string {
	ids := make([]string, 0, len(v.writers))
	for id := range v.writers {
		ids = append(ids, id)
	}
	return ids
}

// Codes lists the named codes, as knowledge.Base does.
func (v *testVocab) Codes() []string {
	codes := make([]string, 0, len(v.names))
	for c := range v.names {
		codes = append(codes, c)
	}
	return codes
}
