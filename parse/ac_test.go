package parse

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// TestMatcher checks the automaton against a plain search: every
// occurrence of every pattern, overlapping ones and patterns inside
// others included.
func TestMatcher(t *testing.T) {
	pats := []string{"hyper-v vss writer", "microsoft hyper-v vss writer", "vss", "writer", "ライター", "ss w"}
	bs := make([][]byte, len(pats))
	for i, p := range pats {
		bs[i] = []byte(p)
	}
	m := newMatcher(bs)
	for _, text := range []string{
		"microsoft hyper-v vss writer failed",
		"vssvss writer writerライター",
		"",
		"no match here",
	} {
		var want []match
		for end := 1; end <= len(text); end++ {
			for id, p := range pats {
				if strings.HasSuffix(text[:end], p) {
					want = append(want, match{id: id, end: end})
				}
			}
		}
		got := m.find(nil, []byte(text))
		if !sameMatches(got, want) {
			t.Errorf("%q: got %v, want %v", text, got, want)
		}
	}
}

func sameMatches(a, b []match) bool {
	set := func(ms []match) map[match]bool {
		s := map[match]bool{}
		for _, m := range ms {
			s[m] = true
		}
		return s
	}
	return len(a) == len(b) && reflect.DeepEqual(set(a), set(b))
}

// TestLongestWriterWins checks that a writer name inside a longer one on
// the same line is not a second writer.
func TestLongestWriterWins(t *testing.T) {
	v := loadVocab(t)
	v.list = append(v.list, "Hyper-V VSS Writer")
	res, err := New(v, Limits{}).Parse(context.Background(), "x", strings.NewReader("Microsoft Hyper-V VSS Writer failed at freeze"))
	if err != nil {
		t.Fatal(err)
	}
	var writers []string
	for _, f := range res.Findings {
		writers = append(writers, f.Writer)
	}
	if !reflect.DeepEqual(writers, []string{"Microsoft Hyper-V VSS Writer"}) {
		t.Errorf("writers %q", writers)
	}
}
