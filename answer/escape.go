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

// Untrusted is Printable for text from users and logs: it also escapes
// the marks of a mention, so that only Mention makes one.
func Untrusted(s string) string {
	s = Printable(s)
	if !strings.ContainsAny(s, string(mentionOpen)+string(mentionClose)) {
		return s
	}
	return strings.NewReplacer(string(mentionOpen), `\ue000`, string(mentionClose), `\ue001`).Replace(s)
}

// escapeUntrusted makes every string of o Untrusted: an outline built
// from a report or a notice holds no mention yet.
func (o *Outline) escapeUntrusted() {
	o.walk(func(s *string) {
		if u := Untrusted(*s); u != *s {
			*s = u
		}
	})
}

// Escape makes every string of o printable (see Printable). The outline's
// strings are single lines, partly read from untrusted input: a log, a file
// name, a team note. It is idempotent and writes only what changes, so an
// outline already escaped may be shared.
func (o *Outline) Escape() { o.walk(esc) }

// walk calls f on every string of o.
func (o *Outline) walk(f func(*string)) {
	f(&o.Headline)
	f(&o.Footer)
	walkList(&o.Details, f)
	for i := range o.References {
		f(&o.References[i].Title)
		f(&o.References[i].URL)
	}
	for i := range o.Sections {
		s := &o.Sections[i]
		f(&s.Title)
		for j := range s.Lines {
			f(&s.Lines[j])
		}
		for j := range s.Lists {
			walkList(&s.Lists[j], f)
		}
	}
}

func walkList(l *List, f func(*string)) {
	f(&l.Label)
	for i := range l.Items {
		f(&l.Items[i])
	}
}

func esc(s *string) {
	if p := Printable(*s); p != *s {
		*s = p
	}
}
