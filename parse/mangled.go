package parse

import (
	"bytes"
	"math/bits"
	"slices"
)

// The paste normaliser asks of every buffer whether it holds a character
// it maps. On Windows logs the plain searches meet a backslash in every
// path and a lead byte in every Japanese word; a bigram filter asks all its
// questions in one vector pass, and only the pairs it admits are checked.

// newMangleFilter is the bigram filter of the pairs that begin a mapped
// character: '&' before anything (an entity), a backslash before a
// Markdown-escaped byte, the first two bytes of each non-ASCII sequence
// highChars looks for; and of the marks a paste puts before lines: a quote
// or a table bar after a line break, a code fence.
func newMangleFilter() *bigramFilter {
	var hit [65536]bool
	pair := func(x byte, ys ...byte) {
		for _, y := range ys {
			hit[int(x)<<8|int(y)] = true
		}
	}
	for y := range 256 {
		pair('&', byte(y))
	}
	for y := range 256 {
		if markdownEscaped(byte(y)) {
			pair('\\', byte(y))
		}
	}
	pair(0xc2, 0xa0)       // no-break space
	pair(0xc3, 0x97)       // ×
	pair(0xe2, 0x80, 0x81) // general punctuation: exotic spaces, zero-width characters
	pair(0xe3, 0x80)       // ideographic space
	pair(0xef, 0xbb, 0xbc, 0xbd)
	pair('\n', '>', '|')
	pair('`', '`')
	return newBigramFilter(&hit)
}

// mangledAt reports whether a character the normaliser maps starts at
// b[i]: the exact test of what the filter admits.
func mangledAt(b []byte, i int) bool {
	if i+1 >= len(b) {
		return b[i] == '&'
	}
	c := b[i+1]
	switch b[i] {
	case '&':
		return true
	case '\\':
		return markdownEscaped(c)
	case 0xc2:
		return c == 0xa0
	case 0xc3:
		return c == 0x97
	case 0xe2:
		return c == 0x80 || c == 0x81
	}
	if i+2 >= len(b) {
		return false
	}
	d := b[i+2]
	switch b[i] {
	case 0xe3:
		return c == 0x80 && d == 0x80
	case 0xef:
		return c == 0xbc && (d-0x90 < 10 || d-0xa1 < 26) || c == 0xbd && d-0x81 < 26 || c == 0xbb && d == 0xbf
	}
	return false
}

// lineMarkAt reports whether a line mark starts at b[i]: a quote or a
// table bar after a line break, or a code fence.
func lineMarkAt(b []byte, i int) bool {
	switch {
	case i+1 >= len(b):
		return false
	case b[i] == '\n':
		return b[i+1] == '>' || b[i+1] == '|'
	case b[i] == '`':
		return b[i+1] == '`' && i+2 < len(b) && b[i+2] == '`'
	}
	return false
}

// marks reports whether b holds a character the normaliser maps (chars)
// and, when it holds none, whether a line after its first starts with a
// quote or a table bar or b holds a code fence (lines): through the filter
// in one pass when there is one, else by plain searches.
func (p *pasteReader) marks(b []byte) (chars, lines bool) {
	if p.filter == nil {
		if mangledChars(b) {
			return true, false
		}
		return false, bytes.Contains(b, []byte("\n>")) || bytes.Contains(b, []byte("\n|")) || bytes.Contains(b, []byte("```"))
	}
	check := func(i int) bool {
		if mangledAt(b, i) {
			chars = true
			return true
		}
		lines = lines || lineMarkAt(b, i)
		return false
	}
	rounds := max(0, len(b)-1) / 32
	p.masks = slices.Grow(p.masks[:0], rounds)[:rounds]
	p.filter.masks(b, p.masks)
	for k, m := range p.masks {
		for ; m != 0; m &= m - 1 {
			if check(32*k + bits.TrailingZeros32(m)) {
				return true, false
			}
		}
	}
	for i := 32 * rounds; i < len(b); i++ {
		if check(i) {
			return true, false
		}
	}
	return false, lines
}

// mayMap reports whether b[ls:le] of the buffer marks last looked at may
// hold a mapped character: false only when the filter's masks admit no
// pair starting there, so most lines of a buffer with one entity skip the
// exact checks.
func (p *pasteReader) mayMap(ls, le int) bool {
	if p.filter == nil || le > 32*len(p.masks) {
		return true
	}
	if ls >= le {
		return false
	}
	first, last := ls/32, (le-1)/32
	for k := first; k <= last; k++ {
		m := p.masks[k]
		if k == first {
			m &= ^uint32(0) << (ls % 32)
		}
		if k == last {
			m &= ^uint32(0) >> (31 - (le-1)%32)
		}
		if m != 0 {
			return true
		}
	}
	return false
}
