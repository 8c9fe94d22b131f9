package answer

import "testing"

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"System Writer":             "System Writer",
		"システム ライター":                 "システム ライター",
		"a\tb":                      "a\tb",
		"evil\x1b[2J.log":           `evil\x1b[2J.log`,
		"line\nbreak\r":             `line\x0abreak\x0d`,
		"\x00\x7f\u0085":            `\x00\x7f\x85`,
		"abc\u202egol.exe":          `abc\u202egol.exe`,
		"\u2066isolate\u2069\u200f": `\u2066isolate\u2069\u200f`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}
