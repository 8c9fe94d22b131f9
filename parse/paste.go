package parse

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/bits"
)

// pasteBuf is how much decoded text the paste normaliser holds at once.
const pasteBuf = 64 << 10

// wrapWidth is the console width whose hard wraps are joined back.
const wrapWidth = 80

// pasteReader undoes what the web and chat clients do to a pasted log
// before the recognisers see it, so that every recogniser reads the log as
// the tool printed it. It is the one place that knows these manglings:
// quote prefixes ("> ", ">> ", "| "), Markdown escapes and table rows, code
// fences, HTML and Slack entities, line numbers and chat timestamps before
// each line, full-width ASCII typed with an IME, exotic spaces and
// zero-width characters, "×" for the x of "0x", and 80-column hard wraps.
//
// Every rewrite keeps or shrinks the text and keeps its line breaks, so it
// works in place and line numbers stay those of the input. A run of lines
// that holds none of the bytes these manglings leave is handed on as read.
type pasteReader struct {
	r       io.Reader
	buf     []byte
	out     int // buf[out:done] is normalised text not yet read
	done    int
	tail    int // buf[tail:n] is read but not normalised (an unfinished line)
	n       int
	err     error
	prev    int           // line number stripped from the last line, -1 if none
	gap     int           // the blank after the line numbers
	scratch []byte        // the next line, mapped, when a line number looks ahead
	wrap    int8          // 1: the input reads as a console capture, -1: it does not, 0: not yet known
	filter  *bigramFilter // newMangleFilter's, nil where vectors do not pay
	masks   []uint32      // the filter's answer for one buffer
}

// newPasteReader normalises what it reads from r; filter is the Parser's
// newMangleFilter, or nil.
func newPasteReader(r io.Reader, filter *bigramFilter) *pasteReader {
	return &pasteReader{r: r, buf: make([]byte, pasteBuf), prev: -1, filter: filter}
}

func (p *pasteReader) Read(dst []byte) (int, error) {
	for p.out == p.done {
		if p.tail == p.n && p.err != nil {
			return 0, p.err
		}
		p.fill()
	}
	k := copy(dst, p.buf[p.out:p.done])
	p.out += k
	return k, nil
}

// fill reads until the buffer is full or the input ends and normalises
// the complete lines read.
func (p *pasteReader) fill() {
	p.n = copy(p.buf, p.buf[p.tail:p.n])
	p.out, p.done, p.tail = 0, 0, 0
	// The buffer is filled as the scanner fills its blocks, so that how
	// the input is cut into reads changes nothing.
	for p.err == nil && p.n < len(p.buf) {
		k, err := p.r.Read(p.buf[p.n:])
		p.n += k
		p.err = err
	}
	end := bytes.LastIndexByte(p.buf[:p.n], '\n') + 1
	if p.err != nil || end == 0 && p.n == len(p.buf) {
		end = p.n // the input's last line, or a line longer than the buffer
	}
	p.tail = end
	p.done = p.normalise(p.buf[:end])
}

// normalise rewrites the complete lines of b in place and returns their
// new length.
func (p *pasteReader) normalise(b []byte) int {
	chars, marked := p.marks(b)
	if !chars && !marked && !p.mangledLines(b) {
		p.prev = -1
		p.settleWrap(false)
		return len(b)
	}
	w := 0
	for ls := 0; ls < len(b); {
		body, eol, next := lineAt(b, ls)
		w = p.emit(b, w, body, next, chars && p.mayMap(ls, ls+len(body)))
		w += copy(b[w:], eol)
		ls = next
	}
	wrapped := p.wrap >= 0 && consoleWrapped(b[:w])
	p.settleWrap(wrapped)
	if wrapped {
		joinWrapped(b[:w])
	}
	return w
}

// settleWrap records whether the input's first buffer read as a console
// capture: a capture is one throughout, so a log whose head is not is not
// walked line by line for console wraps again.
func (p *pasteReader) settleWrap(wrapped bool) {
	switch {
	case wrapped:
		p.wrap = 1
	case p.wrap == 0:
		p.wrap = -1
	}
}

// joinWrapped joins the lines of b an 80-column console cut, in place: a
// line that fills the width goes on with the next one, and the line breaks
// of a joined run move after it, so the line count holds.
func joinWrapped(b []byte) {
	var eols []string
	var bodies [][]byte
	w, i := 0, 0
	for ls := 0; ls < len(b); {
		body, eol, next := lineAt(b, ls)
		bodies, eols = append(bodies[:0], body), append(eols[:0], string(eol))
		k, nx := i, next
		for wide(body) && !ruler(body) && nx < len(b) {
			nbody, neol, after := lineAt(b, nx)
			if !continues(nbody) {
				break
			}
			bodies, eols = append(bodies, nbody), append(eols, string(neol))
			body, nx = nbody, after
			k++
		}
		if len(bodies) > 1 && wide(body) {
			// Every line of the run fills the width: a table drawn to it,
			// not a line cut by a console, whose rest is shorter.
			bodies, eols, k, nx = bodies[:1], eols[:1], i, next
		}
		for _, bd := range bodies {
			w += copy(b[w:], bd)
		}
		for _, e := range eols {
			w += copy(b[w:], e)
		}
		i, ls = k+1, nx
	}
}

// markup reports whether a line holds XML markup (an event record's), whose
// entities its own reader decodes: a closing tag, or an opening one other
// than a line break's.
func markup(l []byte) bool {
	for i := bytes.IndexByte(l, '<'); i >= 0 && i+1 < len(l); {
		if c := l[i+1]; c == '/' || c == '?' || (c|0x20) >= 'a' && (c|0x20) <= 'z' && !hasFold(l, i+1, "br") {
			return true
		}
		j := bytes.IndexByte(l[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// cutBreakTag drops an HTML line break ("<br>", "<br/>", "<br />") ending a
// line copied from a page's source.
func cutBreakTag(l []byte) []byte {
	t := bytes.TrimRight(l, " \t")
	for _, tag := range []string{"<br>", "<br/>", "<br />"} {
		if len(t) >= len(tag) && bytes.EqualFold(t[len(t)-len(tag):], []byte(tag)) {
			return t[:len(t)-len(tag)]
		}
	}
	return l
}

// continues reports whether a line can be the rest of a line a console
// cut: anything but an empty line or a rule.
func continues(l []byte) bool {
	t := bytes.TrimLeft(l, " \t")
	if len(t) == 0 || ruler(l) {
		return false
	}
	// An indented "Key: value" line is a field of its own (vssadmin's
	// "   State: [8] Failed"); a cut that falls on a space leaves one blank.
	indent := l[:len(l)-len(t)]
	return len(indent) < 2 && !bytes.Contains(indent, []byte{'\t'}) || !indentedKeyRe().Match(t)
}

// indentedKeyRe matches the start of a field line: a few words and a colon.
var indentedKeyRe = lazyRegexp(`^(?:[-*•]\s*)?[\p{L}][\p{L}\d .'’-]{0,40}[:：]`)

// consoleWrapped reports whether b reads as a capture of an 80-column
// console: some line fills the width and none is wider. A text that has
// longer lines was not cut by a console, whatever the width of one line;
// most logs show one in their first lines.
func consoleWrapped(b []byte) bool {
	filled := 0
	for ls := 0; ls < len(b); {
		le := bytes.IndexByte(b[ls:], '\n')
		next := len(b)
		if le < 0 {
			le = len(b)
		} else {
			le += ls
			next = le + 1
		}
		if n := le - ls; n >= wrapWidth {
			if n > 4*wrapWidth+1 {
				return false
			}
			switch w := columns(bytes.TrimSuffix(b[ls:le], []byte{'\r'})); {
			case w > wrapWidth:
				return false
			case w == wrapWidth:
				filled++
			}
		}
		ls = next
	}
	return filled > 0
}

// lineAt splits the line starting at ls into its body, its line break (CR
// included) and where the next line starts.
func lineAt(b []byte, ls int) (body, eol []byte, next int) {
	le := bytes.IndexByte(b[ls:], '\n')
	next = len(b)
	if le < 0 {
		le = len(b)
	} else {
		le += ls
		next = le + 1
	}
	if le > ls && b[le-1] == '\r' {
		le--
	}
	return b[ls:le], b[le:next], next
}

// emit writes the normalised line to b[w:]; line lies at or after w in b
// and rewriting only shrinks, so writing never overtakes reading. next is
// where the following line starts (for line numbers).
func (p *pasteReader) emit(b []byte, w int, line []byte, next int, chars bool) int {
	n := len(line)
	// A line of markup keeps its entities for the record reader.
	entities := !markup(line)
	if chars && lineChars(line, entities) {
		n = mapChars(b[w:], line, entities)
		// Mangled twice (full-width entities, an escape escaped): map
		// again while a pass changes something, a few times at most.
		for k := 0; k < 3 && lineChars(b[w:w+n], entities); k++ {
			m := mapChars(b[w:], b[w:w+n], entities)
			if m == n {
				break
			}
			n = m
		}
	} else {
		copy(b[w:], line)
	}
	out := p.strip(cutBreakTag(b[w:w+n]), b[next:], chars)
	return w + copy(b[w:], out)
}

// ruler reports whether a line is drawn of one repeated character (a
// table's rule), which fills a console width on purpose.
func ruler(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) >= 8 && len(bytes.Trim(b, string(b[:1]))) == 0
}

// lineChars is mangledChars for one line, whose entities are decoded only
// when entities is set.
func lineChars(l []byte, entities bool) bool {
	if entities && bytes.IndexByte(l, '&') >= 0 || mdEscape(l) {
		return true
	}
	return highChars(l)
}

// mangledChars reports whether b holds a character the normaliser maps.
// Each test is a vectorised search, so that a log without any pays little:
// Japanese text, full of the same lead bytes, is told apart by the
// sequences themselves.
func mangledChars(b []byte) bool {
	return bytes.IndexByte(b, '&') >= 0 || mdEscape(b) || highChars(b)
}

// highChars reports whether b holds a non-ASCII character the normaliser
// maps.
func highChars(b []byte) bool {
	if bytes.IndexByte(b, 0xc2) >= 0 && bytes.Contains(b, []byte("\u00a0")) ||
		bytes.IndexByte(b, 0xc3) >= 0 && bytes.Contains(b, []byte("\u00d7")) {
		return true
	}
	if bytes.IndexByte(b, 0xe2) >= 0 && (bytes.Contains(b, []byte("\xe2\x80")) || bytes.Contains(b, []byte("\xe2\x81"))) {
		return true
	}
	if bytes.IndexByte(b, 0xe3) >= 0 && bytes.Contains(b, []byte("\u3000")) {
		return true
	}
	return fullWidthAlnum(b)
}

// fullWidthAlnum reports whether b holds a full-width letter or digit or a
// BOM inside the text (full-width punctuation alone is ordinary Japanese).
func fullWidthAlnum(b []byte) bool {
	for i := bytes.IndexByte(b, 0xef); i >= 0 && i+2 < len(b); {
		switch c, d := b[i+1], b[i+2]; {
		case c == 0xbc && (d-0x90 < 10 || d-0xa1 < 26), c == 0xbd && d-0x81 < 26, c == 0xbb && d == 0xbf:
			return true
		}
		j := bytes.IndexByte(b[i+1:], 0xef)
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// mdEscape reports whether b holds a Markdown escape the normaliser
// removes (a backslash before [ ] _ * # ( ) ` ! -; not before > or <, as in
// a prompt's C:\>).
func mdEscape(b []byte) bool {
	for i := bytes.IndexByte(b, '\\'); i >= 0 && i+1 < len(b); {
		if markdownEscaped(b[i+1]) {
			return true
		}
		j := bytes.IndexByte(b[i+1:], '\\')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

func markdownEscaped(c byte) bool {
	switch c {
	case '[', ']', '_', '*', '#', '(', ')', '`', '!', '-':
		return true
	}
	return false
}

// headLines is how many lines at the start of a buffer are looked at for
// what a paste puts before every line (line numbers, chat times): such a
// mangling is on every line, so the first lines show it.
const headLines = 8

// mangledLines reports whether lines of b start with what a paste puts
// before them (its first line a quote mark, a table bar, a fence; the first
// lines a chat time or a line number following the previous line's; marks
// finds those marks on the other lines), or b reads as
// an 80-column console capture. Vectorised searches and the first lines
// only: a log pays a few passes over memory, not a walk of its lines.
func (p *pasteReader) mangledLines(b []byte) bool {
	if len(b) > 0 && (b[0] == '>' || b[0] == '|' || b[0] == '`') {
		return true
	}
	last := p.prev - 1
	if last < 0 {
		last = -2
	}
	for i, ls := 0, 0; i < headLines && ls < len(b); i++ {
		l, _, next := lineAt(b, ls)
		t := trimLeft(l)
		if len(t) > 0 && (t[0] == '>' || t[0] == '|' || chatTime(t) > 0) {
			return true
		}
		n, k, _ := lineNumber(l)
		if k > 0 && n == last+1 {
			return true
		}
		last = -2
		if k > 0 {
			last = n
		}
		ls = next
	}
	return p.wrap >= 0 && consoleWrapped(b)
}

// wide reports whether a line is a console's width (a CR before its break
// not counted).
func wide(l []byte) bool {
	l = bytes.TrimSuffix(l, []byte{'\r'})
	return len(l) >= wrapWidth && columns(l) == wrapWidth
}

// columns counts the characters of UTF-8 text: the bytes that do not
// continue a character, eight at a time (utf8.RuneCount converts to a
// string, which allocates).
func columns(b []byte) int {
	n := len(b)
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		// A continuation byte is 10xxxxxx: bit 7 set, bit 6 clear.
		n -= bits.OnesCount64(x & ^(x << 1) & 0x8080808080808080)
	}
	for ; i < len(b); i++ {
		if b[i]&0xc0 == 0x80 {
			n--
		}
	}
	return n
}

// strip removes what a paste put before a line: quote marks, a table's
// bars, fences, a chat time, and a line number counting on from the
// previous line's or followed by the next one on rest.
func (p *pasteReader) strip(l, rest []byte, chars bool) []byte {
	num := -1
	for {
		l = stripMarks(l)
		if t := trimLeft(l); num < 0 && len(t) > 0 && t[0]-'0' < 10 {
			n, k, gap := lineNumber(l)
			if k > 0 && (n == p.prev+1 || p.peekNumber(rest, chars) == n+1) {
				// The blank after the numbers is as wide on every line:
				// what a line has beyond it is its own indentation.
				switch {
				case k == len(l):
				case p.prev < 0 || p.gap < 0:
					p.gap = gap
				case gap > p.gap:
					k -= gap - p.gap
				default:
					p.gap = gap
				}
				num, l = n, l[k:]
				continue
			}
		}
		break
	}
	p.prev = num
	return bytes.TrimRight(l, "`")
}

// stripMarks removes the quote marks, table bars, fences and chat time
// before a line.
func stripMarks(l []byte) []byte {
	for {
		t := trimLeft(l)
		switch {
		case len(t) == 0:
		case t[0] == '>':
			l = cutSpace(t[1:])
			continue
		case bytes.HasPrefix(t, []byte("```")):
			l = bytes.TrimLeft(t, "`")
			if !bytes.ContainsAny(l, " \t") && len(l) < 16 {
				l = l[:0] // "```text": the fence's language
			}
			continue
		case t[0] == '|':
			l = tableRow(t)
			continue
		case t[0] == '[':
			if k := chatTime(t); k > 0 {
				l = cutSpace(t[k:])
				continue
			}
		}
		return l
	}
}

// peekNumber returns the line number before the first line of rest, read
// as that line will be, -1 if there is none.
func (p *pasteReader) peekNumber(rest []byte, chars bool) int {
	le := bytes.IndexByte(rest, '\n')
	if le < 0 {
		le = len(rest)
	}
	l := bytes.TrimSuffix(rest[:le], []byte{'\r'})
	if chars {
		p.scratch = append(p.scratch[:0], l...)
		l = p.scratch[:mapChars(p.scratch, p.scratch, !markup(l))]
	}
	n, k, _ := lineNumber(stripMarks(l))
	if k == 0 {
		return -1
	}
	return n
}

// cutSpace drops one space after a quote mark.
func cutSpace(b []byte) []byte {
	if len(b) > 0 && b[0] == ' ' {
		return b[1:]
	}
	return b
}

// tableRow turns a Markdown table row into its cells separated by tabs
// (in place), and a table's rule row into nothing. t starts with '|'.
func tableRow(t []byte) []byte {
	t = t[1:]
	if r := bytes.TrimRight(t, " \t"); len(r) > 0 && r[len(r)-1] == '|' {
		t = r[:len(r)-1]
		if len(bytes.Trim(t, "|-: \t")) == 0 {
			return t[:0]
		}
		for i, c := range t {
			if c == '|' && (i == 0 || t[i-1] != '\\') {
				t[i] = '\t'
			}
		}
	}
	return cutSpace(t)
}

var chatTimeRe = lazyRegexp(`^\[\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?\]`)

// chatTime returns the length of a chat client's time before a line
// ("[10:42]", "[10:42:07]", "[10:42 AM]"), 0 if there is none.
func chatTime(t []byte) int {
	if len(t) < 2 || t[1]-'0' >= 10 {
		return 0
	}
	return len(chatTimeRe().Find(t))
}

// lineNumber reads a line number before a line ("  12  ", "12: ", "12| ",
// "12. "): the number, the length of the prefix (0 if there is none) and
// how much of it is the blank after the number and its mark.
func lineNumber(l []byte) (n, k, gap int) {
	i := 0
	for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
		i++
	}
	j := i
	for i < len(l) && i-j < 6 && l[i]-'0' < 10 {
		n = n*10 + int(l[i]-'0')
		i++
	}
	if i == j {
		return 0, 0, 0
	}
	if i < len(l) && (l[i] == ':' || l[i] == '|' || l[i] == '.' || l[i] == ')') {
		i++
	}
	if i < len(l) && l[i] != ' ' && l[i] != '\t' {
		return 0, 0, 0
	}
	j = i
	for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
		i++
	}
	return n, i, i - j
}

// mapChars writes src to dst with the characters of a mangled paste mapped
// back (dst may be src or start before it: every mapping shrinks). HTML
// entities are decoded only when entities is set (a line of markup keeps
// them for its own reader).
func mapChars(dst, src []byte, entities bool) int {
	w := 0
	for i := 0; i < len(src); {
		c := src[i]
		var out byte = c
		n := 1
		switch {
		case c < 0x80 && c != '&' && c != '\\':
		case c == '&' && entities:
			if r, k := entity(src[i+1:]); k > 0 {
				out, n = r, 1+k
				if r == '&' {
					// Escaped twice ("&amp;lt;": HTML pasted into Slack).
					if r2, k2 := entity(src[i+n:]); k2 > 0 {
						out, n = r2, n+k2
					}
				}
			}
		case c == '\\':
			if i+1 < len(src) && markdownEscaped(src[i+1]) {
				i++
				continue
			}
		case i+1 < len(src) && c == 0xc2 && src[i+1] == 0xa0:
			out, n = ' ', 2
		case i+2 < len(src) && c == 0xc3 && src[i+1] == 0x97 && w > 0 && dst[w-1] == '0' && hexAt(src, i+2):
			out, n = 'x', 2
		case i+2 < len(src):
			out, n = wideChar(c, src[i+1], src[i+2])
			if n == 0 {
				i += 3 // zero-width: dropped
				continue
			}
		}
		if n == 1 && out == c {
			dst[w] = c
		} else {
			dst[w] = out
		}
		w++
		i += n
	}
	return w
}

// hexAt reports whether a hex digit, ASCII or full-width, starts src[i:].
func hexAt(src []byte, i int) bool {
	if isHex(src[i]) {
		return true
	}
	if i+2 >= len(src) || src[i] != 0xef {
		return false
	}
	c, ok := wideChar(src[i], src[i+1], src[i+2])
	return ok == 3 && isHex(c)
}

// wideChar maps a three-byte character: exotic spaces to a space, zero-width
// characters to nothing (n == 0), full-width ASCII to ASCII. Anything else
// is its first byte, n == 1.
func wideChar(c, d, e byte) (out byte, n int) {
	switch {
	case c == 0xe2 && d == 0x80 && e <= 0x8a, c == 0xe2 && d == 0x80 && e == 0xaf,
		c == 0xe2 && d == 0x81 && e == 0x9f, c == 0xe3 && d == 0x80 && e == 0x80:
		return ' ', 3
	case c == 0xe2 && d == 0x80 && e >= 0x8b && e <= 0x8f, c == 0xe2 && d == 0x81 && e == 0xa0,
		c == 0xef && d == 0xbb && e == 0xbf:
		return 0, 0
	case c == 0xef && d == 0xbc && e >= 0x81 && e <= 0xbf:
		return e - 0x81 + '!', 3
	case c == 0xef && d == 0xbd && e >= 0x80 && e <= 0x9e:
		return e - 0x80 + '`', 3
	}
	return c, 1
}

// entity decodes the HTML entity whose name starts b (after its '&'): the
// character and the length of the rest of the entity, 0 if b starts with
// none the normaliser knows.
func entity(b []byte) (byte, int) {
	for _, e := range entities {
		if len(b) >= len(e.name) && string(b[:len(e.name)]) == e.name {
			return e.char, len(e.name)
		}
	}
	if len(b) < 3 || b[0] != '#' {
		return 0, 0
	}
	v, i, base := 0, 1, 10
	if b[1] == 'x' || b[1] == 'X' {
		i, base = 2, 16
	}
	j := i
	for i < len(b) && i-j < 4 && isHex(b[i]) && (base == 16 || b[i] <= '9') {
		v = v*base + int(hexValue(b[i:i+1]))
		i++
	}
	if i == j || i >= len(b) || b[i] != ';' {
		return 0, 0
	}
	switch {
	case v == 0xa0:
		return ' ', i + 1
	case v >= ' ' && v < 0x7f || v == '\t':
		return byte(v), i + 1
	}
	return 0, 0
}

var entities = []struct {
	name string
	char byte
}{
	{"nbsp;", ' '}, {"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''},
	{"lbrack;", '['}, {"rbrack;", ']'}, {"lowbar;", '_'}, {"ast;", '*'}, {"num;", '#'},
}
