package answer

import (
	"fmt"
	"strings"
	"unicode"
)

// Printable escapes the characters of s that would act on a terminal or a
// chat client instead of being read: C0 and C1 control characters (an
// entry name carrying ESC [2J clears a terminal) and the bidirectional
// formatting characters (which reorder what a reader sees), and the
// zero-width ones (which hide or split what a reader sees). They become
// visible Go-style escapes, \x1b or \u202e; everything else is kept.
func Printable(s string) string {
	if strings.IndexFunc(s, hidden) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !hidden(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func hidden(r rune) bool {
	switch {
	case r == '\t':
		return false
	case unicode.IsControl(r):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r >= 0x200b && r <= 0x200d, r >= 0x2060 && r <= 0x2064, r == 0xfeff, r == 0x180e, r == 0x00ad:
		// zero-width characters hide text or split a word a reader
		// would search for: show them
		return true
	}
	return false
}

// Escape makes every string of o printable (see Printable). The outline's
// strings are single lines, partly read from untrusted input: a log, a file
// name, a team note. It is idempotent and writes only what changes, so an
// outline already escaped may be shared.
func (o *Outline) Escape() {
	esc(&o.Headline)
	esc(&o.Footer)
	escapeList(&o.Details)
	for i := range o.References {
		esc(&o.References[i].Title)
		esc(&o.References[i].URL)
	}
	for i := range o.Sections {
		s := &o.Sections[i]
		esc(&s.Title)
		for j := range s.Lines {
			esc(&s.Lines[j])
		}
		for j := range s.Lists {
			escapeList(&s.Lists[j])
		}
	}
}

func esc(s *string) {
	if p := Printable(*s); p != *s {
		*s = p
	}
}

func escapeList(l *List) {
	esc(&l.Label)
	for i := range l.Items {
		esc(&l.Items[i])
	}
}
