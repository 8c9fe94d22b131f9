package parse

import "bytes"

// Documentation is not a failure: an API reference's list of return values
// (VSS_E_BAD_STATE, then what it means, one per row), a message catalogue
// (0x800423F4, its name and text) or a table of them in a how-to names
// codes nobody hit. A text with docRowsMin such rows or more is a reference
// list, and its rows give no finding; fewer rows are read as any line is.

// docRowsMin is how many rows make a reference list.
const docRowsMin = 3

// maxDocHeld bounds the findings held while rows are counted.
const maxDocHeld = 64

// holdDocRow keeps a finding of a reference row until the text shows
// whether it is documentation, and drops it once it does.
func (t *textReader) holdDocRow(f Finding) {
	if t.docRows >= docRowsMin {
		t.docHeld = nil
		return
	}
	if len(t.docHeld) == maxDocHeld {
		t.releaseDocRows()
		t.add(f)
		return
	}
	f.Line, f.Time, f.Source = t.line, t.ts, t.source
	t.docHeld = append(t.docHeld, f)
}

// releaseDocRows adds the held findings of rows that did not make a
// reference list, as the line recogniser found them.
func (t *textReader) releaseDocRows() {
	held := t.docHeld
	t.docHeld = nil
	if t.docRows >= docRowsMin {
		return
	}
	row := t.docRow
	t.docRow = false
	for _, f := range held {
		t.add(f)
	}
	t.docRow = row
}

// docRow reports whether a line is a row of a reference list: it starts
// (after table bars) with a code or a symbolic name, perhaps both, and goes
// on with nothing, a code in brackets, or a description after a column
// break ("\t", two spaces, " - ", ": ", " | ").
func docRow(b []byte) bool {
	// It runs on every line: the cut sets are trimmed by hand (TrimLeft
	// builds its set on each call), and a line whose first byte can start
	// neither a keyword nor a code nor a name is let go at once.
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '|') {
		b = b[1:]
	}
	if len(b) == 0 || !isHex(b[0]) && !(b[0] >= 'A' && b[0] <= 'Z') && b[0] != '#' && b[0] != 'p' && b[0] != 'c' {
		return false
	}
	for _, kw := range declKeywords {
		// A header or a binding's constant list: "#define VSS_E_X ...".
		if b[0] == kw[0] && bytes.HasPrefix(b, []byte(kw)) {
			b = bytes.TrimLeft(b[len(kw):], " \t")
			break
		}
	}
	n := refToken(b)
	if n == 0 {
		return false
	}
	rest := b[n:]
	if m := refToken(bytes.TrimLeft(rest, " \t|-:–")); m > 0 && len(rest) > 0 && rest[0] != '_' {
		t := bytes.TrimLeft(rest, " \t|-:–")
		rest = t[m:]
	}
	rest = bytes.TrimRight(rest, " \t\r|")
	if len(rest) == 0 {
		return true
	}
	if rest[0] == ' ' && len(rest) > 1 && rest[1] == '(' {
		rest = rest[1:]
	}
	if rest[0] == '(' {
		i := bytes.IndexByte(rest, ')')
		return i > 0 && refToken(rest[1:]) == i-1
	}
	sep := len(rest) - len(bytes.TrimLeft(rest, " \t"))
	if sep < 2 && rest[0] != '\t' {
		sep = 0
		for _, s := range []string{" - ", " – ", ": ", " | "} {
			if bytes.HasPrefix(rest, []byte(s)) {
				sep = len(s)
				break
			}
		}
	}
	if sep == 0 {
		return false
	}
	d := bytes.TrimLeft(rest[sep:], " \t|-:")
	return len(d) > 0 && (d[0] >= 'A' && d[0] <= 'Z' || d[0] >= 'a' && d[0] <= 'z' || d[0] >= 0x80)
}

// declKeywords start a constant's declaration in the code listings that
// reference pages and bindings show.
var declKeywords = []string{"#define ", "pub const ", "public const ", "const "}

// refToken returns the length of a code (0x and eight hex digits, or eight
// hex digits) or a symbolic name (capitals, digits and underscores, with an
// underscore: S_OK, E_FAIL, VSS_E_BAD_STATE) at the start of b, 0 if there
// is none.
func refToken(b []byte) int {
	i := 0
	for i < len(b) && isWord(b[i]) {
		i++
	}
	t := b[:i]
	switch {
	case i == 10 && (t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) && allHex(t[2:]):
		return i
	case i == 8 && allHex(t):
		return i
	case i >= 4 && bytes.IndexByte(t, '_') > 0 && upperName(t):
		return i
	}
	return 0
}

func allHex(b []byte) bool {
	for _, c := range b {
		if !isHex(c) {
			return false
		}
	}
	return true
}

func upperName(b []byte) bool {
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return b[0] >= 'A' && b[0] <= 'Z'
}
