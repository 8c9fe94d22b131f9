package knowledge

import (
	"testing"
)

// TestEmbeddedBilingual checks every embedded entry in both languages; Load
// already refuses empty ones, this guards the data against a loosened
// validator.
func TestEmbeddedBilingual(t *testing.T) {
	b := loadBase(t)
	check := func(what string, ts ...Text) {
		t.Helper()
		for _, x := range ts {
			if x.JA == "" || x.EN == "" {
				t.Errorf("%s: text %+v lacks a language", what, x)
			}
		}
	}
	for code, c := range b.codes {
		check(code, append(append([]Text{c.Title, c.Meaning}, c.Causes...), c.Steps...)...)
	}
	for v, s := range b.states {
		check(s.Name, s.Stage, s.Vssadmin, s.Meaning)
		if v < 0 || v > 15 {
			t.Errorf("state %d out of range", v)
		}
	}
	for id, w := range b.writers {
		check(id, w.Advice)
	}
	for k, e := range b.events {
		check(k.String(), append(append([]Text{e.Title, e.Meaning}, e.Causes...), e.Steps...)...)
	}
}

func TestEmbeddedCoverage(t *testing.T) {
	b := loadBase(t)
	for _, code := range []string{"0x800423f1", "0x800423f2", "0x800423f3", "0x800423f4"} {
		c, ok := b.codes[code]
		if !ok {
			t.Errorf("writer failure code %s missing", code)
			continue
		}
		if len(c.Steps) < 2 {
			t.Errorf("%s has %d steps, want at least 2", code, len(c.Steps))
		}
		if len(c.References) == 0 || len(c.Products) == 0 {
			t.Errorf("%s lacks references or products", code)
		}
	}
	for _, code := range []string{"0x800423f0", "0x80042336", "-311", "0x8000ffff", "0x80004005", "0x80070005",
		"0x8007000e", "0x80070057", "0x800706ba", "0x80070070", "0x80070015"} {
		if _, ok := b.codes[code]; !ok {
			t.Errorf("code %s missing", code)
		}
	}
	if len(b.states) != 16 {
		t.Errorf("%d writer states, want 16", len(b.states))
	}
	for _, k := range []eventKey{{"vss", 8193}, {"vss", 8194}, {"vss", 8224}, {"vss", 8229}, {"vss", 12289},
		{"vss", 12292}, {"vss", 12293}, {"vss", 12298}, {"vss", 13}, {"volsnap", 25}, {"volsnap", 33}, {"volsnap", 36}} {
		if _, ok := b.events[k]; !ok {
			t.Errorf("event %s missing", k)
		}
	}
	if len(b.writers) < 35 {
		t.Errorf("%d writers, want the 35 well-known ones", len(b.writers))
	}
}
