package parse

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"
)

// maxEventLines bounds how many lines one event record may span.
const maxEventLines = 200

// evField is the field of an event record a key fills.
type evField uint8

const (
	fNone    evField = iota
	fLogName         // opens a record (Event Viewer details, wevtutil)
	fSource
	fDate
	fCreated // Get-WinEvent's TimeCreated, which opens its records
	fID
	fLevel
	fMessage
	fWevt     // wevtutil's "Event[0]:"
	fProvider // Get-WinEvent's ProviderName, also a table group header
)

// eventRec is an event log record being read. Its message is never kept:
// the code and writer it names are picked up line by line.
type eventRec struct {
	f          Finding
	level      string // normalised: "error", "info" or ""
	date       []byte // as written; parsed when the record is kept
	prov       []byte // the source as written, when it is not a relevant one
	msg        bool   // inside the description/message
	xml        bool
	quote      bool // inside a quoted multi-line CSV/text message
	irrelevant bool // the source is not one of VSS, VolSnap or backup
	saysError  bool // the message says error or failed
	codeIntro  bool // the code was introduced by "hr =" or the like
	aboutVSS   bool // a record of another source whose message names VSS or a writer
	hyperV     bool // a Hyper-V-VMMS record: its message is read whole (checkpoints are backups)
	lines      int
	// held are the codes the message's lines gave on their own: what the
	// record does not carry goes back to the text when it closes, so that
	// reading a record never loses a code (evidence is monotone).
	held []Finding
	// staleLine says the message line being read gives an old value
	// ("Old error", "古いエラー"), which is no evidence of this failure.
	staleLine bool
}

var (
	rowDateRe   = lazyRegexp(`^\s*(\d{1,4}[/-]\d{1,2}[/-]\d{1,4}[ T]\d{1,2}:\d{2}:\d{2}(?:\.\d+)?(?:\s*[AP]M)?)\s+(\d{1,5})\s+(\S+)\s*(.*)$`)
	msgWriterRe = lazyRegexp(`(?i)(?:writer name|ライター名)\s*:\s*\[?['"]?([^\]'"\r\n]+?)['"]?\]?\s*(?:$|[,.;])`)
	msgWIDRe    = lazyRegexp(`(?i)writer (?:class )?id\s*:\s*\[?(\{[0-9a-f-]{36}\})`)
)

// levelName maps a lowercase level word of event exports (Level column,
// Event Type of Windows 2003) to "error" or "info", or "" for another
// word. A switch, not a map: every row of a CSV export asks, and a string
// switch needs no hashing.
func levelName(w string) string {
	switch w {
	case "error", "warning", "critical", "failure audit",
		"エラー", "警告", "重大", "失敗の監査",
		"fehler", "warnung", "kritisch", "erreur",
		"avertissement", "critique":
		return "error"
	case "information", "verbose", "success audit", "success",
		"情報", "詳細", "成功の監査", "informationen", "ausführlich",
		"détails", "commentaires":
		return "info"
	}
	return ""
}

// splitKey reads "Key: value" (or "Key : value", fullwidth colon too) and
// returns the record field the key fills and the value; ok is false when
// the line starts with no record key. It allocates nothing: it runs on
// every key line of an export.
func splitKey(b []byte) (fl evField, val []byte, ok bool) {
	// Blanks are trimmed by hand: bytes.TrimLeft/TrimRight build a byte set
	// on every call, and this runs on every key line of every record.
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	if len(b) == 0 || !keyFirst[lower(b[0])] {
		return fNone, nil, false
	}
	i, sep := -1, 1
	for k := 0; k < len(b) && k < 49; k++ {
		c := b[k]
		if c == '\n' {
			break
		}
		if c == ':' {
			i = k
			break
		}
		if c == '=' && k > 0 && b[k-1] == ' ' { // hand-typed "Event ID = 8194"
			i = k
			break
		}
		if c == 0xef && k+2 < len(b) && b[k+1] == 0xbc && b[k+2] == 0x9a { // '：'
			i, sep = k, 3
			break
		}
	}
	if i <= 0 {
		return fNone, nil, false
	}
	var buf [64]byte
	n := 0
	space := false
	k := i
	for k > 0 && (b[k-1] == ' ' || b[k-1] == '\t') {
		k--
	}
	for _, c := range b[:k] {
		switch {
		case c == ' ' || c == '\t':
			space = true
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		if space && n > 0 {
			buf[n] = ' '
			n++
		}
		space = false
		buf[n] = c
		n++
	}
	fl = eventKeys[string(buf[:n])]
	if fl == fNone {
		return fNone, nil, false
	}
	return fl, bytes.TrimSpace(b[i+sep:]), true
}

// keyFirst holds the first bytes of the record keys, lowered: most lines
// of a message start with none of them.
var keyFirst = func() (t [256]bool) {
	for k := range eventKeys {
		t[k[0]] = true
	}
	return t
}()

// startEvent opens an event record (or reads a one-line one).
func (t *textReader) startEvent(data []byte, ls, le int) bool {
	b := data[ls:le]
	if bytes.IndexByte(b, '<') >= 0 && (xmlStart(b) >= 0 || bytes.Contains(b, []byte("<Provider "))) {
		t.openEvent(true)
		t.xmlLine(data, ls, le)
		return true
	}
	// "Event Type: Error Event Source: ..." at the start of a line is a
	// flattened record, not the first key of a multi-line one.
	if t.kwEvent && bytes.Contains(t.lower, []byte("event source:")) && t.flatEvent(b) {
		return true
	}
	if fl, v, ok := splitKey(b); ok && opensRecord(fl) {
		if fl == fProvider {
			t.provider = string(v)
		}
		t.openEvent(false)
		t.eventField(fl, v)
		return true
	}
	if wevtStart(b) {
		t.openEvent(false)
		return true
	}
	if t.flatEvent(b) {
		return true
	}
	return (t.provider != "" || startsWithLevel(b)) && t.eventRow(b)
}

var (
	// A record flattened onto one line, as chat and forum posts run the
	// Windows 2003 layout together: "Event Type: Error Event Source: VolSnap
	// ... Event ID: 25 Description: ..." (Date, Time, User and Computer may
	// stand between the ID and the description).
	flat2003Re = lazyRegexp(`(?i)event type:\s*(\S+)\s+event source:\s*(\S+)\s.*?event id:\s*(\d+)\b(?:.*?description:\s*(.*))?`)
	// A one-line event row as backup consoles print it: "VSS Error 11/27/2026
	// 2:23:12 AM EventID: 8193 message".
	consoleRowRe = lazyRegexp(`(?i)^\s*(\S+)\s+(error|warning|information|critical)\s+(\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s+\d{1,2}:\d{2}:\d{2}(?:\s*[AP]M)?)\s+event\s?id:\s*(\d+)\s*(.*)$`)
)

// flatEvent reads the one-line event layouts.
func (t *textReader) flatEvent(b []byte) bool {
	var src, level, date, msg string
	var id int
	l := t.lower
	switch {
	case !t.kwEvent:
		return false
	case bytes.Contains(l, []byte("event source:")):
		return t.flat2003(b, l)
	case bytes.Contains(l, []byte("eventid:")) || bytes.Contains(l, []byte("event id:")):
		m := consoleRowRe().FindSubmatch(b)
		if m == nil {
			return false
		}
		src, level, date, id, msg = string(m[1]), string(m[2]), string(m[3]), atoi(string(m[4])), string(m[5])
	default:
		return false
	}
	return t.flatRecord(src, level, date, id, msg)
}

// flat2003 reads every Windows 2003 record run together on the line (l
// is b lowered): a post may quote several, one after another.
func (t *textReader) flat2003(b, l []byte) bool {
	key := []byte("event type:")
	found := false
	for i := bytes.Index(l, key); i >= 0; {
		end := len(b)
		next := bytes.Index(l[i+len(key):], key)
		if next >= 0 {
			next += i + len(key)
			end = next
		}
		if m := flat2003Re().FindSubmatch(b[i:end]); m != nil &&
			t.flatRecord(string(m[2]), string(m[1]), "", atoi(string(m[3])), string(m[4])) {
			found = true
		}
		i = next
	}
	return found
}

// flatRecord opens and fills a record read from one line.
func (t *textReader) flatRecord(src, level, date string, id int, msg string) bool {
	if id <= 0 {
		return false
	}
	t.openEvent(false)
	t.setSource([]byte(src))
	t.ev.f.Event = id
	t.ev.level = levelWord(strings.TrimSpace(level))
	t.ev.date = append(t.ev.date[:0], date...)
	t.ev.msg = true
	t.eventText(msg)
	return true
}

// hasFoldAny reports whether the lowercase w (starting with a letter)
// occurs in b, ignoring ASCII case. Messages of kilobytes go through it, so
// its first letter is looked for in either case with IndexByte.
func hasFoldAny(b []byte, w string) bool {
	for _, c := range [2]byte{w[0], w[0] - 'a' + 'A'} {
		for off := 0; off+len(w) <= len(b); {
			i := bytes.IndexByte(b[off:len(b)-len(w)+1], c)
			if i < 0 {
				break
			}
			if hasFold(b, off+i, w) {
				return true
			}
			off += i + 1
		}
	}
	return false
}

// vssOrWriter reports whether b holds "vss" or "writer" in any case, in
// one pass: eight bytes at a time, and only at a v or a w (a byte that is
// 'v' or 'w' once OR-ed with 0x20 is zero once XOR-ed with it; the zero
// bytes of a word are flagged with a few spurious ones, checked anyway).
func vssOrWriter(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	at := func(j int) bool { return hasFold(b, j, "vss") || hasFold(b, j, "writer") }
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:]) | 0x20*ones
		v, w := x^'v'*ones, x^'w'*ones
		for m := ((v-ones)&^v | (w-ones)&^w) & highs; m != 0; m &= m - 1 {
			if at(i + bits.TrailingZeros64(m)/8) {
				return true
			}
		}
	}
	for ; i < len(b); i++ {
		if c := b[i] | 0x20; (c == 'v' || c == 'w') && at(i) {
			return true
		}
	}
	return false
}

// maxKeyLine is how much of a line anchors.lineKey reads: more than the
// longest key and its separator.
const maxKeyLine = 64

// wevtStart reports whether b is wevtutil's "Event[N]:" line.
func wevtStart(b []byte) bool {
	b = trimLeft(b)
	if len(b) < 9 || b[0] != 'E' {
		return false
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	rest, ok := bytes.CutPrefix(b, []byte("Event["))
	if !ok || !bytes.HasSuffix(rest, []byte("]:")) || len(rest) < 3 {
		return false
	}
	for _, c := range rest[:len(rest)-2] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// openEvent starts a record; the textReader's one record is reused, since
// exports hold millions.
func (t *textReader) openEvent(xml bool) {
	t.closeEvent()
	t.setFormat("eventlog")
	date, prov := t.evBuf.date[:0], t.evBuf.prov[:0]
	t.evBuf = eventRec{f: Finding{Kind: KindEvent, State: -1, Line: t.line, Source: t.source}, xml: xml, date: date, prov: prov}
	t.ev = &t.evBuf
}

// eventRow reads the one-line forms: Event Viewer CSV and tab-separated
// text ("Level, Date and Time, Source, Event ID, Task Category, message")
// and Get-WinEvent's table rows under a "ProviderName: X" group header.
// Outside a group its callers have seen the row start with a level word.
func (t *textReader) eventRow(b []byte) bool {
	sep := byte('\t')
	if bytes.IndexByte(b, sep) < 0 {
		sep = ','
	}
	var f [6][]byte
	n := splitFields(b, sep, &f)
	level := ""
	if n >= 5 {
		level = levelWord(unquote(f[0]))
	}
	if level != "" {
		id := atoi(unquote(f[3]))
		if id <= 0 {
			return false
		}
		t.openEvent(false)
		t.ev.date = append(t.ev.date[:0], unquote(f[1])...) // parsed if the record is kept
		t.setSource(unquote(f[2]))
		t.ev.f.Event = id
		t.ev.level = level
		t.ev.msg = true
		if n == 6 {
			// The field ends the line: read alone, as a copy would be.
			eventTextOf(t, f[5])
			t.ev.quote = bytes.HasPrefix(bytes.TrimSpace(f[5]), []byte(`"`)) && bytes.Count(f[5], []byte(`"`))%2 == 1
		}
		if !t.ev.quote {
			t.closeEvent()
		}
		return true
	}
	if t.provider == "" {
		return false
	}
	m := rowDateRe().FindSubmatch(b)
	if m == nil || levelWord(m[3]) == "" {
		return false
	}
	t.openEvent(false)
	t.ev.f.Time, t.ev.f.Zone = parseDate(string(m[1]))
	t.setSource([]byte(t.provider))
	t.ev.f.Event = atoi(m[2])
	t.ev.level = levelWord(m[3])
	t.ev.msg = true
	eventTextOf(t, m[4])
	t.closeEvent()
	return true
}

// splitFields cuts b at sep as strings.SplitN(b, sep, len(f)) does, into
// f, and returns how many fields it made.
func splitFields(b []byte, sep byte, f *[6][]byte) int {
	n := 0
	for n < len(f)-1 {
		i := bytes.IndexByte(b, sep)
		if i < 0 {
			break
		}
		f[n], b = b[:i], b[i+1:]
		n++
	}
	f[n] = b
	return n + 1
}

// startsWithLevel reports whether a row starts with a level word (quoted
// or not), as Event Viewer's CSV and text exports do.
func startsWithLevel[S ~string | ~[]byte](s S) bool {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '"') {
		i++
	}
	// The word ends at the first separator or quote, within 16 bytes.
	j := i
	for j < len(s) && j-i <= 16 && s[j] != ',' && s[j] != '\t' && s[j] != '"' {
		j++
	}
	return j > i && j-i <= 16 && j < len(s) && levelWord(s[i:j]) != ""
}

// levelWord returns what levelName says of the word s in any case, without
// allocating for ASCII (strings.ToLower lowers the rest).
func levelWord[S ~string | ~[]byte](s S) string {
	var buf [16]byte
	if len(s) > len(buf) {
		return levelName(strings.ToLower(string(s)))
	}
	for i := range len(s) {
		c := s[i]
		if c >= utf8.RuneSelf {
			return levelName(strings.ToLower(string(s)))
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return levelName(string(buf[:len(s)]))
}

// eventLine reads a line inside an open record; false hands the line back
// to the other recognisers after the record is closed.
func (t *textReader) eventLine(data []byte, ls, le int) bool {
	ev := t.ev
	ev.lines++
	b := data[ls:le]
	switch {
	case ev.lines > maxEventLines:
		t.closeEvent()
		return false
	case ev.xml:
		t.xmlLine(data, ls, le)
		return true
	case ev.quote && ev.irrelevant && startsWithLevel(b):
		// A record of another source is not followed line by line to its
		// closing quote: the next row ends it, and is read here as
		// structured would read it next.
		t.closeEvent()
		return b[0] >= 'A' && t.eventRow(b)
	case ev.quote:
		eventTextOf(t, b) // the line alone, as a copy would be read
		if bytes.Count(b, []byte(`"`))%2 == 1 {
			t.closeEvent()
		}
		return true
	case wevtStart(b) || bytes.IndexByte(b, '<') >= 0 && xmlStart(b) >= 0:
		t.closeEvent()
		return false
	case t.provider != "" && ev.f.Event == 0 && rowDateRe().Match(b):
		t.closeEvent() // a group header's record: the rows follow
		return false
	}
	if fl, v, ok := splitKey(b); ok {
		if t.provider != "" && (fl == fID || fl == fMessage || fl == fLevel) {
			// The ProviderName key that opened the record starts a
			// Format-List record, not a table group: its rows are keys.
			t.provider = ""
		}
		switch {
		case fl == fNone:
		case t.keyCloses(fl):
			t.closeEvent()
			return false
		case t.keyFills(fl):
			t.eventField(fl, v)
			return true
		}
	}
	if vssadminName(b) {
		// vssadmin list writers run after the record (a console capture):
		// a message never quotes a writer's name on a line of its own.
		t.closeEvent()
		return false
	}
	if !ev.msg && ev.f.Event != 0 && (ev.f.Provider != "" || len(ev.prov) > 0) && len(bytes.TrimSpace(b)) > 0 {
		// A pasted record whose message follows its header without a
		// "Description:" key.
		ev.msg = true
	}
	if !ev.msg {
		// A line the record cannot place (its source never came): the
		// line-level recognisers read it, as they would alone.
		return false
	}
	t.eventMessage(data, ls, le, true)
	return true
}

// keyLine reads the line data[ls:le], which starts with the key of field
// fl (its value from vs) and holds no other candidate token, as process
// would, without the work every other line needs: most candidate lines of
// an event export are such header lines. It reports false, having changed
// nothing, when the line needs the general reading.
func (t *textReader) keyLine(data []byte, ls, le, vs int, fl evField) bool {
	ev := t.ev
	if t.stamped || t.wf != nil || t.va != nil || t.provider != "" || fl == fWevt || fl == fProvider ||
		ev != nil && (ev.xml || ev.quote || ev.lines >= maxEventLines) {
		return false
	}
	end := le
	if end > ls && data[end-1] == '\r' {
		end--
	}
	// (Markup that would open an XML record holds "<Event" or "<Provider",
	// literal hits of their own, so such a line never comes here.)
	if end-ls > maxLineWork || vs > end {
		return false
	}
	closes := ev != nil && t.keyCloses(fl)
	if (ev == nil || closes) && !opensRecord(fl) {
		return false
	}
	t.rest = nil
	if le+1 < len(data) {
		t.rest = data[le+1:]
	}
	t.ts = ""
	v := trimBlank(data[vs:end])
	switch {
	case ev == nil || closes:
		// What eventLine closes, startEvent opens again.
		t.openEvent(false)
		t.eventField(fl, v)
	case t.keyFills(fl):
		ev.lines++
		t.eventField(fl, v)
	default:
		ev.lines++
		t.eventMessage(data, ls, end, true)
	}
	t.afterLine()
	return true
}

// trimBlank is bytes.TrimSpace, without its Unicode work when both ends
// are ASCII.
func trimBlank(b []byte) []byte {
	i, j := 0, len(b)
	// The run of spaces that aligns a key's value is skipped a word at a
	// time: a word's first byte that is no space is its first non-zero
	// byte once XOR-ed with spaces.
	for i+8 <= j {
		w := binary.LittleEndian.Uint64(b[i:]) ^ 0x2020202020202020
		if w != 0 {
			i += bits.TrailingZeros64(w) / 8
			break
		}
		i += 8
	}
	for i < j && asciiSpace[b[i]] {
		i++
	}
	for j > i && asciiSpace[b[j-1]] {
		j--
	}
	if b = b[i:j]; len(b) > 0 && (b[0] >= 0x80 || b[len(b)-1] >= 0x80) {
		return bytes.TrimSpace(b)
	}
	return b
}

// asciiSpace holds the ASCII bytes bytes.TrimSpace trims.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// vssadminName reports whether b is the first line of a writer in
// vssadmin list writers ("Writer name: 'System Writer'", in any of its
// languages). Its label is checked before its regexp, since every message
// line of a record comes here.
func vssadminName(b []byte) bool {
	b = skipLevel(b)
	c := trimLeft(b)
	if len(c) < 6 || !(hasFold(c, 0, "writer name") || bytes.HasPrefix(c, []byte("ライター名")) ||
		hasFold(c, 0, "verfassername") || hasFold(c, 0, "nom du r") || hasFold(c, 0, "nombre de") ||
		hasFold(c, 0, "nome ") || bytes.HasPrefix(c, []byte("编写器名称"))) {
		return false
	}
	return vaNameRe().Match(b)
}

// opensRecord reports whether a key line of field fl starts a record when
// none is open (startEvent and keyLine share this rule).
func opensRecord(fl evField) bool {
	switch fl {
	case fLogName, fCreated, fLevel, fID, fSource, fProvider:
		return true
	}
	return false
}

// keyCloses reports whether a key line of field fl ends the open record:
// a record's first key once this one has started, or a header key the
// record already has after its message (the next short "Event ID /
// Source / Message" paste). eventLine and keyLine share this rule.
func (t *textReader) keyCloses(fl evField) bool {
	ev := t.ev
	started := ev.msg || ev.f.Event != 0 || ev.f.Provider != "" || len(ev.prov) > 0
	return (fl == fLogName || fl == fCreated) && started ||
		ev.msg && (fl == fID || fl == fSource || fl == fProvider || fl == fLevel) && t.taken(fl)
}

// keyFills reports whether a key line of field fl that does not close the
// open record fills one of its fields: any key before the message, the
// message key itself, and a Level that Event Viewer's details put after
// Task Category, which the pasted-record rule took for the message's start.
func (t *textReader) keyFills(fl evField) bool {
	ev := t.ev
	return !ev.msg || fl == fMessage || fl == fLevel && ev.level == ""
}

// taken reports whether the open record already has the field.
func (t *textReader) taken(fl evField) bool {
	f := &t.ev.f
	switch fl {
	case fID:
		return f.Event != 0
	case fSource, fProvider:
		return f.Provider != "" || len(t.ev.prov) > 0
	case fLevel:
		return t.ev.level != ""
	}
	return false
}

// eventField stores one "Key: value" field of a record's header. The
// date is parsed only when the record is kept.
func (t *textReader) eventField(fl evField, v []byte) {
	f := &t.ev.f
	switch fl {
	case fSource, fProvider:
		t.setSource(v)
	case fDate, fCreated:
		if len(t.ev.date) == 0 || fl == fCreated {
			t.ev.date = append(t.ev.date[:0], v...)
		}
	case fID:
		f.Event = atoi(trimBlank(v))
	case fLevel:
		t.ev.level = levelOf(v)
	case fMessage:
		t.ev.msg = true
		eventTextOf(t, v)
	}
}

// setSource records the record's provider; a record from another source
// no longer needs every line read, only those holding a token (it is kept
// only if it carries a VSS code).
func (t *textReader) setSource(p []byte) {
	p = bytes.TrimSpace(p)
	ev := t.ev
	ev.irrelevant = !relevantProvider(p)
	ev.hyperV = ev.irrelevant && bytes.IndexByte(p, '-') >= 0 && hasFoldAny(p, "hyper-v-vmms")
	if ev.irrelevant {
		ev.prov = append(ev.prov[:0], p...) // a string only if the record is kept
		ev.f.Provider = ""
		return
	}
	ev.f.Provider = string(p)
}

// eventText reads message text that is not a whole line of the input
// (the value after "Message:", a CSV field).
func eventTextOf[S ~string | ~[]byte](t *textReader, s S) {
	if len(s) == 0 {
		return
	}
	b := []byte(s)
	t.eventMessage(b, 0, len(b), false)
}

func (t *textReader) eventText(s string) { eventTextOf(t, s) }

// eventMessage picks the code and writer out of a message line: the
// free-text matchers run, and what they find goes to the record. inBlock
// says data is the scanner's block, whose first-stage hits then say where
// a record of another source can hold a code.
func (t *textReader) eventMessage(data []byte, ls, le int, inBlock bool) {
	b := data[ls:le]
	f := &t.ev.f
	t.ev.staleLine = staleKey(b)
	if t.ev.irrelevant {
		// Only a VSS code, or a failure code in a message about a VSS
		// writer (Exchange's own writer events), makes it evidence.
		t.ev.aboutVSS = t.ev.aboutVSS || vssOrWriter(b) ||
			t.ev.hyperV && (hasFoldAny(b, "checkpoint") || hasFoldAny(b, "backup") || hasFoldAny(b, "shadow"))
		if inBlock && t.sc != nil {
			t.sc.tokensIn(data, ls, le)
		} else {
			t.tokens(data, ls, le, 0)
		}
		return
	}
	t.lower = appendLower(t.lower[:0], b)
	lower := t.lower
	t.ev.saysError = t.ev.saysError || saysError(lower)
	if f.Writer == "" && (bytes.Contains(lower, []byte("writer name")) || bytes.Contains(b, []byte("ライター名"))) {
		if m := msgWriterRe().FindSubmatch(b); m != nil {
			f.Writer = strings.TrimSpace(string(m[1]))
		}
	}
	if f.WriterID == "" && bytes.Contains(lower, []byte("writer")) {
		if m := msgWIDRe().FindSubmatch(b); m != nil {
			f.WriterID = strings.ToLower(string(m[1]))
		}
	}
	rest := t.rest
	if ls == 0 && le == len(data) {
		t.rest = nil
	}
	t.freeText(data, ls, le, 0)
	t.rest = rest
}

// staleKeys start the lines of an event's context that give the values of
// an earlier session (VSS 12289's "Old Error"), lowercase.
var staleKeys = [][]byte{
	[]byte("old error"), []byte("old extended error"), []byte("古いエラー"), []byte("古い拡張エラー"),
	[]byte("alter fehler"), []byte("ancienne erreur"),
}

// staleKey reports whether a message line gives an old value.
func staleKey(b []byte) bool {
	b = trimBlank(b)
	// Called for every line of a record: most lines fail at their first
	// byte ('o', 'a', or 古's lead byte).
	if len(b) == 0 || b[0]|0x20 != 'o' && b[0]|0x20 != 'a' && b[0] != staleKeys[2][0] {
		return false
	}
	for _, k := range staleKeys {
		if len(b) >= len(k) && bytes.EqualFold(b[:len(k)], k) {
			return true
		}
	}
	return false
}

// errorWords say that a message reports a failure.
var errorWords = [][]byte{
	[]byte("error"), []byte("fail"), []byte("エラー"), []byte("失敗"), []byte("fehler"), []byte("erreur"), []byte("échec"),
}

// saysError reports whether a lowered line reports a failure: an error
// word that is not "no error", "0 errors", "errors: 0" or "error: none".
func saysError(lower []byte) bool {
	for _, w := range errorWords {
		for off := 0; off < len(lower); {
			i := bytes.Index(lower[off:], w)
			if i < 0 {
				break
			}
			i += off
			off = i + len(w)
			before := bytes.TrimRight(lower[:i], " ")
			after := bytes.TrimLeft(lower[off:], "s:= ")
			if bytes.HasSuffix(before, []byte("no")) || bytes.HasSuffix(before, []byte(" 0")) ||
				bytes.HasSuffix(before, []byte("without")) || bytes.HasPrefix(after, []byte("0")) ||
				bytes.HasPrefix(after, []byte("none")) || bytes.HasPrefix(after, []byte("なし")) {
				continue
			}
			return true
		}
	}
	return false
}

// attach gives a finding seen inside an event message to the record: its
// first code and first writer. It reports whether it took the finding.
func (t *textReader) attach(f Finding) bool {
	ev := t.ev
	if ev == nil || !ev.msg {
		return false
	}
	switch f.Kind {
	case KindWriter:
		if ev.f.Writer == "" {
			ev.f.Writer = f.Writer
		}
		if ev.f.WriterID == "" {
			ev.f.WriterID = f.WriterID
		}
		return true
	case KindVSSError, KindUnknownVSS, KindHRESULT:
		if ev.staleLine {
			return true
		}
		// A rendered XML record is one unit, alone as in a file, and an
		// .evtx record is read the same way: only text records hold.
		if len(ev.held) < maxHeld && !t.loose && !ev.xml {
			f.Line, f.Time = t.line, t.ts
			ev.held = append(ev.held, f)
		}
		if ev.f.Code == "" || t.intro && !ev.codeIntro {
			ev.f.Code, ev.f.Name = f.Code, f.Name
			ev.codeIntro = t.intro
		}
		return true
	}
	return false
}

// xmlLine reads the rendered event XML of data[ls:le]; one line may hold
// several events.
func (t *textReader) xmlLine(data []byte, ls, le int) {
	for ls < le {
		b := data[ls:le]
		if t.ev == nil {
			i := xmlStart(b)
			if i < 0 {
				return
			}
			t.openEvent(true)
			ls += i
			b = b[i:]
		}
		pe, next := le, le // the piece of this record on the line ends at pe
		closed := false
		sys, end := xmlEnds(b)
		if end >= 0 {
			pe, next, closed = ls+end, ls+end+len("</Event>"), true
		}
		piece := data[ls:pe]
		// The System fields end at </System> when the piece holds it: the
		// fields are looked for before it, and the text of a record of
		// another source after it (its header names no VSS code or writer).
		// A whole record of another source on the line has the rest of its
		// header read only once its text gave it a code (or it is
		// Hyper-V's): closeEvent drops it otherwise, unread.
		var header []byte
		if sys < 0 {
			sys = 0
			if bytes.IndexByte(piece, '<') >= 0 { // else a line of a message: no field
				t.xmlFields(piece)
			}
		} else {
			sys += len("</System>")
			t.xmlSource(piece[:sys])
			if header = piece[:sys]; !(closed && t.ev.irrelevant) {
				t.xmlHeader(header)
				header = nil
			}
		}
		t.ev.msg = true
		if len(piece) > 0 {
			// A code cut at the end of the line may go on at the start of
			// the next, but not one cut by the record's end.
			rest := t.rest
			if closed {
				t.rest = nil
			}
			if t.ev.irrelevant {
				t.eventMessage(data, ls+sys, pe, true)
			} else if bytes.IndexByte(piece, '&') < 0 {
				t.eventMessage(data, ls, pe, true)
			} else {
				t.xmlText(piece)
			}
			t.rest = rest
		}
		if header != nil && (t.ev.f.Code != "" || t.ev.hyperV) {
			t.xmlHeader(header)
		}
		if closed {
			t.closeEvent()
		}
		ls = next
	}
}

// xmlText reads the text of a record that matters with its character
// references decoded, line by line as a text export's would be: a writer
// name must not end in "&#xD;".
func (t *textReader) xmlText(piece []byte) {
	t.unescaped = xmlUnescape(t.unescaped[:0], piece)
	text := t.unescaped
	for len(text) > 0 {
		var line []byte
		line, text, _ = bytes.Cut(text, []byte{'\n'})
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(line) > 0 {
			t.eventMessage(line, 0, len(line), false)
		}
	}
}

// xmlFields reads the System fields of a record's rendered XML.
func (t *textReader) xmlFields(piece []byte) {
	t.xmlSource(piece)
	t.xmlHeader(piece)
}

// xmlSource reads the provider of a record's rendered XML.
func (t *textReader) xmlSource(piece []byte) {
	if p := xmlProvider(piece); p != nil {
		t.setSource(p)
	}
}

// xmlHeader reads the System fields but the provider.
func (t *textReader) xmlHeader(piece []byte) {
	f := &t.ev.f
	if id := xmlNumber(piece, "<EventID", "</EventID>", true, 0); id != nil {
		f.Event = atoi(id)
	}
	if ts := xmlAttr(piece, "SystemTime="); ts != nil {
		t.ev.date = append(t.ev.date[:0], ts...) // parsed if the record is kept
	}
	if rec := xmlNumber(piece, "<EventRecordID", "</EventRecordID>", false, 0); rec != nil {
		f.Record = recordNumber(rec)
	}
	if lv := xmlNumber(piece, "<Level", "</Level>", false, 1); lv != nil {
		t.ev.level = xmlLevels[lv[0]-'0']
	}
}

// recordNumber reads an EventRecordID's digits without making a string;
// past the int64 range it gives the largest, as strconv.ParseInt does.
func recordNumber(d []byte) int64 {
	const most = 1<<63 - 1
	var n int64
	for _, c := range d {
		v := int64(c - '0')
		if n > (most-v)/10 {
			return most
		}
		n = n*10 + v
	}
	return n
}

// xmlLevels maps the XML Level numbers (1 critical .. 5 verbose).
var xmlLevels = [10]string{1: "error", 2: "error", 3: "error", 4: "info", 5: "info"}

// closeEvent turns a record into a finding when it is evidence
// (keepsRecord), and gives back the codes its lines held that it does not
// carry: a record that cannot be completed loses nothing.
func (t *textReader) closeEvent() {
	ev := t.ev
	if ev == nil {
		return
	}
	t.ev = nil
	f := ev.f
	if ignorable(ev) {
		return // its codes are part of a warning documented as harmless
	}
	if !t.keepsRecord(ev) {
		t.release(ev.held, "")
		return
	}
	if ev.irrelevant {
		f.Provider = string(ev.prov)
	}
	if len(ev.date) > 0 && f.Time == "" {
		// XML's SystemTime is UTC whether or not it says so.
		if f.Time, f.Zone = parseDate(string(ev.date)); ev.xml && f.Zone == ZoneLocal {
			f.Zone = ZoneUTC
		}
	}
	f.Provider = normProvider(f.Provider)
	if f.Writer == "" && f.WriterID != "" {
		f.Writer, _ = t.p.vocab.WriterByID(f.WriterID)
	}
	ts := t.ts
	t.ts = f.Time
	t.add(f)
	t.ts = ts
	t.release(ev.held, f.Code)
}

// maxHeld bounds the codes one record keeps for release.
const maxHeld = 16

// keepsRecord reports whether a closed record is evidence: a record from a
// VSS, VolSnap or backup source that carries a failure code, says error or
// warning, or (when it gives no level) is an event the vocabulary knows; a
// record from another source (Hyper-V-VMMS...) only when it carries a VSS
// code.
func (t *textReader) keepsRecord(ev *eventRec) bool {
	f := &ev.f
	if f.Event <= 0 {
		return false
	}
	v, hasCode := firstHex(f.Code)
	failure := hasCode && v&0x80000000 != 0
	switch {
	case !relevantProvider(f.Provider) && !(failure && (isVSSRange(v) || ev.aboutVSS)) &&
		!(ev.hyperV && ev.aboutVSS && ev.level == "error"):
		// Hyper-V-VMMS reports a failed backup checkpoint at level Error,
		// often without a code.
		return false
	case failure || ev.level == "error":
	case ev.level == "info" || ev.level == "" && benign[eventID{strings.ToLower(f.Provider), f.Event}]:
		return false
	case !ev.saysError && t.p.events != nil && !t.p.events.KnowsEvent(f.Provider, f.Event):
		return false
	}
	return true
}

// release gives back to the text the codes a record held that it does not
// carry itself (carried is its own code): each is what its line gives
// alone.
func (t *textReader) release(held []Finding, carried string) {
	for _, h := range held {
		if h.Code != carried {
			ts := t.ts
			t.ts = h.Time
			t.add(h)
			t.ts = ts
		}
	}
}

type eventID struct {
	provider string
	id       int
}

// benign are events a VSS source writes in normal operation (the service
// stopping when idle or at shutdown): without a level they are still no
// evidence.
var benign = map[eventID]bool{{"vss", 8224}: true, {"vss", 8225}: true}

// ignorableEvents are warnings Microsoft documents as harmless, whatever
// their level: VSS 8230 "Failed resolving account" (a service account the
// VssAccessControl key names cannot be resolved) and CAPI2 513 (the System
// Writer cannot read a driver's security descriptor). They are no
// evidence, and neither are the codes they quote.
var ignorableEvents = []eventID{{"vss", 8230}, {"microsoft-windows-capi2", 513}, {"capi2", 513}}

// ignorable reports whether a record is one of ignorableEvents. It runs
// once per record of an export: the id is checked first, and the
// provider's name is compared where it lies, without a copy.
func ignorable(ev *eventRec) bool {
	if ev.f.Event <= 0 {
		return false
	}
	if ev.irrelevant {
		return ignorableFrom(ev.prov, ev.f.Event)
	}
	return ignorableFrom(ev.f.Provider, ev.f.Event)
}

func ignorableFrom[S ~string | ~[]byte](p S, event int) bool {
	i, j := 0, len(p)
	for i < j && (p[i] == ' ' || p[i] == '\t') {
		i++
	}
	for j > i && (p[j-1] == ' ' || p[j-1] == '\t' || p[j-1] == '\r') {
		j--
	}
	for _, id := range ignorableEvents {
		if id.id == event && j-i == len(id.provider) && hasFoldAt(p, i, id.provider) {
			return true
		}
	}
	return false
}

// relevantProvider reports whether a record's source is VSS, VolSnap or a
// backup product's. It runs once or twice per record of an export, so it
// walks the name once, switching on each byte.
func relevantProvider[S ~string | ~[]byte](p S) bool {
	for i := 0; i < len(p); i++ {
		var w string
		switch p[i] | 0x20 {
		case 'v':
			if hasFoldAt(p, i, "vss") {
				return true
			}
			w = "volsnap"
		case 'b':
			w = "backup"
		case 'a':
			w = "activeimage"
		case 's':
			w = "shadow"
		default:
			continue
		}
		if hasFoldAt(p, i, w) {
			return true
		}
	}
	return false
}

// hasFoldAt reports whether the lowercase w stands at p[i:], ignoring
// ASCII case.
func hasFoldAt[S ~string | ~[]byte](p S, i int, w string) bool {
	if i+len(w) > len(p) {
		return false
	}
	for k := range len(w) {
		c := p[i+k]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[k] {
			return false
		}
	}
	return true
}

func normProvider(p string) string {
	switch strings.ToLower(p) {
	case "vss":
		return "VSS"
	case "volsnap":
		return "VolSnap"
	}
	return p
}

// levelOf normalises a level value (a key's, blanks around it).
func levelOf(v []byte) string { return levelWord(bytes.TrimSpace(v)) }

func unquote(s []byte) []byte {
	return bytes.Trim(bytes.TrimSpace(s), `"`)
}
