package parse

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// textReader turns candidate lines of one decoded text into findings. It
// keeps the state of the multi-line blocks it is inside (a failed-writer
// block, a vssadmin writer, an event record) and closes them when a line no
// longer belongs to them.
type textReader struct {
	p      *Parser
	sc     *scanner // the scanner feeding this reader, whose verifier tokens share
	c      *collector
	source string
	line   int    // 1-based number of the line being processed
	format string // first format recognised: aip, vssadmin, eventlog

	ts string // time of the line being processed, "" if none

	wf       *Finding // open "Selected writer ... is in failed state" block (or DiskShadow's "* WRITER")
	wfFailed bool     // the block's header said the writer failed
	va       *Finding // open vssadmin writer
	ev       *eventRec
	evBuf    eventRec // what ev points to when a record is open

	provider string // Get-WinEvent table group ("ProviderName: VSS")

	start    string // time of the last VssStart() not yet followed by a failure
	failTime string // time of the first failure seen on the current line
	failLine int
	aipLog   bool   // lines carry AIP's MM/DD/YYYY hh:mm:ss.mmm stamp
	stamped  bool   // some line had a leading timestamp
	clock    string // zone of the leading timestamps once a line shows it (bracketClock)

	rest  []byte // the text after the line being processed (for wrapped codes)
	lower []byte // the line being processed, ASCII-lowered
	// unescaped holds the text of an XML record with its references
	// decoded.
	unescaped []byte
	found     []match // scratch for the line matcher

	mentions  []Finding // writer mentions of the line, kept if the line is bad
	lineBad   bool      // the line says something is wrong
	intro     bool      // the code being added was introduced ("hr =")
	loose     bool      // the code being added is evidence only inside a VSS message
	wmiShadow bool      // the text calls Win32_ShadowCopy (wmic shadowcopy call create)
	kwWriter  bool      // the line (lowered) holds "writer"
	kwEvent   bool      // the line (lowered) holds "event"
	pendCode  string    // the last failure code of free text, for a message's writer below it
	pendLine  int

	// docRow says the line is a row of a reference list (a code or a
	// symbolic name, then its description); docRows counts such rows up to
	// docRowsMin, and docHeld keeps their findings until the text shows
	// whether it is documentation (docRowsMin rows or more).
	docRow  bool
	docRows int
	// stale says the line gives an earlier session's value ("Old Error:
	// 0x800423f4", "古いエラー"): its codes are no evidence.
	stale   bool
	docHeld []Finding
}

// wantAll says whether every line must be read, not only candidate lines:
// inside a block whose lines carry no token of their own (vssadmin's
// "State: [5] Waiting for completion"), or an event header that is still
// deciding whether its record matters.
func (t *textReader) wantAll() bool {
	return t.wf != nil || t.va != nil || t.provider != "" ||
		t.ev != nil && (t.ev.xml || t.ev.hyperV || (t.ev.quote || !t.ev.msg) && !t.ev.irrelevant)
}

func (t *textReader) setFormat(f string) {
	if t.format == "" {
		t.format = f
	}
}

// process handles the line data[ls:le]. skip > 0 means the line continues a
// long-line chunk: its first skip bytes were already seen, so only the free
// text matchers run, on matches ending past them.
func (t *textReader) process(data []byte, ls, le, skip int) {
	t.rest = nil
	if le+1 < len(data) {
		t.rest = data[le+1:]
	}
	if le > ls && data[le-1] == '\r' {
		le--
	}
	b := data[ls:le]
	if skip > 0 || len(b) > maxLineWork {
		t.ts = ""
		t.freeText(data, ls, le, skip)
		t.afterLine()
		return
	}
	ts, rest := leadingTimestamp(b)
	if ts != "" {
		t.stamped = true
		t.aipLog = t.aipLog || b[2] == '/'
		if t.clock == "" {
			t.clock = bracketClock(ts, rest)
		}
	} else if t.stamped {
		var prev []byte
		ts, prev = prevTimestamp(data, ls)
		if t.clock == "" {
			t.clock = bracketClock(ts, prev)
		}
	}
	t.ts = ts
	if t.aipLog && t.format == "" {
		t.lower = appendLower(t.lower[:0], rest)
		if aipMarker(t.lower) {
			t.setFormat("aip")
		}
	}
	t.stale = staleKey(rest)
	t.docRow = docRow(rest)
	if t.docRow && t.docRows < docRowsMin {
		t.docRows++
	}
	t.structured(data, le-len(rest), le)
	t.docRow, t.stale = false, false
	t.afterLine()
}

// aipMarker reports whether a lowered line is one only ActiveImage
// Protector writes, so that other timestamped logs are not called "aip".
func aipMarker(l []byte) bool {
	return bytes.Contains(l, []byte("vssstart()")) || bytes.Contains(l, []byte("vssend()")) ||
		bytes.Contains(l, []byte("] output:")) || bytes.Contains(l, []byte("activeimage")) ||
		bytes.HasPrefix(l, []byte("task \"")) && bytes.Contains(l, []byte("exit code"))
}

// prevTimestamp returns the timestamp of the line before ls: lines of a
// block printed by a child process (vshadow's writer report) carry none, and
// take the time of the line that introduced them.
func prevTimestamp(data []byte, ls int) (ts string, rest []byte) {
	if ls == 0 {
		return "", nil
	}
	start := bytes.LastIndexByte(data[:ls-1], '\n') + 1
	return leadingTimestamp(bytes.TrimSuffix(data[start:ls-1], []byte{'\r'}))
}

// structured runs the block recognisers on the line data[ls:le] (t.lower
// holds it lowered), then the free-text matchers on lines no block
// claimed.
func (t *textReader) structured(data []byte, ls, le int) {
	b := data[ls:le]
	// A block a product copied into its log carries the log's level tag on
	// its lines ("[INFO]    State: [7] Failed"): read it as if pasted alone.
	if t.wf != nil && t.writerBlockLine(skipLevel(b)) {
		return
	}
	if t.va != nil && t.vssadminLine(skipLevel(b)) {
		return
	}
	if t.ev != nil && t.eventLine(data, ls, le) {
		return
	}
	if len(b) > 0 && b[0] >= 'A' && startsWithLevel(b) && t.eventRow(b) {
		return // an Event Viewer CSV or text row: nothing else reads it
	}
	if m := trimLeft(b); len(m) > 0 && m[0] == '<' && xmlStart(m) >= 0 {
		// A line of markup opening a rendered record (a kilobyte or more
		// when each record is one line) is no block or layout line: it
		// goes to the record reader without being lowered and searched.
		t.openEvent(true)
		t.xmlLine(data, ls, le)
		return
	}
	t.lower = appendLower(t.lower[:0], b)
	// Most layouts' keywords hold "writer" or "event": two searches spare
	// the others on most lines.
	t.kwWriter = bytes.Contains(t.lower, []byte("writer"))
	t.kwEvent = bytes.Contains(t.lower, []byte("event"))
	if t.startBlock(data, ls, le) {
		return
	}
	if t.layoutLine(data, ls, le) {
		return
	}
	t.freeText(data, ls, le, 0)
}

// end closes whatever block is open at the end of the input.
func (t *textReader) end() {
	t.closeWriterBlock()
	t.closeVssadmin()
	t.closeEvent()
	t.releaseDocRows()
	t.afterLine()
	if t.clock != "" {
		t.c.rezone(t.source, t.clock)
	}
}

// add records a finding seen on the current line.
func (t *textReader) add(f Finding) {
	if t.stale && (f.Kind == KindVSSError || f.Kind == KindUnknownVSS || f.Kind == KindHRESULT) {
		return
	}
	if t.docRow {
		t.holdDocRow(f)
		return
	}
	if t.attach(f) {
		return
	}
	if f.Source == "" {
		f.Source = t.source
	}
	if f.Line == 0 {
		f.Line = t.line
	}
	if f.Time == "" {
		f.Time = t.ts
	}
	if f.Time != "" && f.Zone == "" {
		f.Zone = ZoneUnknown // a task log's or pasted text's clock is not written down
		if t.clock != "" {
			f.Zone = t.clock
		}
	}
	if t.failTime == "" && f.Time != "" && f.Kind != KindWriter && f.Kind != KindEvent {
		t.failTime, t.failLine = f.Time, f.Line
	}
	if f.State < -1 || f.State >= len(writerStates) {
		f.State, f.StateName = -1, "" // a number no VSS state has
	}
	if f.StateName == "" && f.State >= 0 {
		f.StateName = StateName(f.State)
	}
	t.c.add(f)
}

// afterLine derives the VssStart-to-failure fact once a failure follows a
// VssStart() line.
func (t *textReader) afterLine() {
	if t.start != "" && t.failTime != "" {
		a, ok1 := tsTime(t.start)
		b, ok2 := tsTime(t.failTime)
		if ok1 && ok2 && !b.Before(a) {
			t.c.fact(Fact{Kind: "vss_start_to_failure", Seconds: seconds(b.Sub(a)), Source: t.source, Line: t.failLine})
			t.start = ""
		}
	}
	t.failTime = ""
}

var (
	failedWriterRe = lazyRegexp(`(?i)selected writer\s+'([^']*)'\s+is in failed state`)
	blockFieldRe   = lazyRegexp(`(?i)^\s*-\s*(status|writer failure code|writer id|instance id)\s*:\s*(.*)$`)
	statusRe       = lazyRegexp(`^(\d+)\s*(?:\((\w+)\))?`)
	guidRe         = lazyRegexp(`\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}`)
	vaNameRe       = lazyRegexp(`(?i)^\s*(?:Writer name|ライター名|Verfassername|Nom du rédacteur|Nombre del? escritor|Nome (?:del )?writer|编写器名称)\s*[:：]\s*['"‘’“”](.*)['"‘’“”]\s*$`)
	diskshadowRe   = lazyRegexp(`^\s*\*\s*WRITER\s+"(.+)"\s*$`)
	vaStateRe      = lazyRegexp(`^\[(\d+)\]\s*(.*)$`)
)

// startBlock opens a multi-line block when the line is the first of one.
// Each regexp runs only when a plain search of the lowered line says it
// can match.
func (t *textReader) startBlock(data []byte, ls, le int) bool {
	b := data[ls:le]
	if t.kwWriter && bytes.Contains(t.lower, []byte("selected writer")) {
		if m := failedWriterRe().FindSubmatch(b); m != nil {
			t.wf = &Finding{Kind: KindWriterState, Writer: string(m[1]), State: -1, Line: t.line, Time: t.ts, Source: t.source}
			t.wfFailed = true
			return true
		}
	}
	if t.kwWriter && bytes.Contains(t.lower, []byte("* writer \"")) {
		if m := diskshadowRe().FindSubmatch(b); m != nil {
			t.wf = &Finding{Kind: KindWriterState, Writer: string(m[1]), State: -1, Line: t.line, Time: t.ts, Source: t.source}
			t.wfFailed = false
			return true
		}
	}
	if vssadminNameLine(t.lower, b) {
		if m := vaNameRe().FindSubmatch(skipLevel(b)); m != nil {
			t.setFormat("vssadmin")
			t.va = &Finding{Kind: KindWriterState, Writer: string(m[1]), State: -1, Line: t.line, Source: t.source}
			return true
		}
	}
	return t.startEvent(data, ls, le)
}

// levelWords are the level tags logs print before a message, lowered.
var levelWords = []string{
	"error", "err", "info", "information", "warn", "warning", "debug", "trace", "fatal", "notice",
	"verbose", "critical", "crit",
}

// skipLevel returns b after a leading level tag ("[ERROR] ", "INFO  ") and
// the blanks after it, or b when it has none.
func skipLevel(b []byte) []byte {
	c := trimLeft(b)
	i := 0
	if len(c) > 0 && c[0] == '[' {
		i = 1
	}
	j := i
	for j < len(c) && j-i <= 11 && (c[j] >= 'a' && c[j] <= 'z' || c[j] >= 'A' && c[j] <= 'Z') {
		j++
	}
	word := c[i:j]
	if i == 1 {
		if j >= len(c) || c[j] != ']' {
			return b
		}
		j++
	}
	if j < len(c) && c[j] != ' ' && c[j] != '\t' || len(word) == 0 {
		return b
	}
	for _, w := range levelWords {
		if len(w) == len(word) && hasFold(word, 0, w) {
			return trimLeft(c[j:])
		}
	}
	return b
}

// writerBlockLine reads one "- Field: value" line of a failed-writer block.
func (t *textReader) writerBlockLine(b []byte) bool {
	m := blockFieldRe().FindSubmatch(b)
	if m == nil {
		t.closeWriterBlock()
		return false
	}
	v := strings.TrimSpace(string(m[2]))
	switch strings.ToLower(string(m[1])) {
	case "status":
		if s := statusRe().FindStringSubmatch(v); s != nil {
			t.wf.State = atoi(s[1])
			t.wf.StateName = StateName(t.wf.State)
			if t.wf.StateName == "" && StateNumber(s[2]) >= 0 {
				t.wf.StateName = strings.ToUpper(s[2])
			}
		}
	case "writer failure code":
		if v, ok := firstHex(v); ok && v != 0 {
			t.wf.Code = canon(v)
		}
	case "writer id":
		t.wf.WriterID = guid(v)
	case "instance id":
		t.wf.InstanceID = guid(v)
	}
	return true
}

// closeWriterBlock reports the writer of a closed block when something says
// it is wrong: the block's header ("is in failed state"), a failure code or
// a failed state. DiskShadow lists every writer this way, healthy or not.
func (t *textReader) closeWriterBlock() {
	f := t.wf
	if f == nil {
		return
	}
	t.wf = nil
	if !t.wfFailed && f.Code == "" && f.State < 6 && f.State != 0 {
		return
	}
	t.namedWriterFinding(f)
}

// vssadminNameLine reports whether a line can open a vssadmin writer
// listing (the label in English, Japanese, German, French, Spanish,
// Italian or Chinese).
func vssadminNameLine(lower, b []byte) bool {
	return bytes.Contains(lower, []byte("writer name")) || bytes.Contains(b, []byte("ライター名")) ||
		bytes.Contains(lower, []byte("verfassername")) || bytes.Contains(lower, []byte("nom du r")) ||
		bytes.Contains(lower, []byte(" escritor")) || bytes.Contains(lower, []byte("nome ")) ||
		bytes.Contains(b, []byte("编写器名称"))
}

// namedWriterFinding completes a writer finding: a code makes it a failure.
func (t *textReader) namedWriterFinding(f *Finding) {
	if f.Code != "" {
		f.Kind = KindWriterFailure
		f.Name = t.p.vocab.NameOf(f.Code)
		if f.Name == "" {
			if v, ok := firstHex(f.Code); ok {
				f.Name = genericHRESULTs[v]
			}
		}
	}
	if f.Writer == "" && f.WriterID != "" {
		f.Writer, _ = t.p.vocab.WriterByID(f.WriterID)
	}
	t.add(*f)
}

// vssadminLine reads one line of a vssadmin writer listing. Blank lines
// inside a writer are skipped: listings pasted into e-mail gain them.
func (t *textReader) vssadminLine(b []byte) bool {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return true
	}
	if vaNameRe().MatchString(s) {
		t.closeVssadmin()
		return false
	}
	key, val, ok := cutKey(s)
	if !ok {
		t.closeVssadmin()
		return false
	}
	switch vaKeys[strings.ToLower(strings.Join(strings.Fields(key), " "))] {
	case vaID:
		t.va.WriterID = guid(val)
	case vaInstance:
		t.va.InstanceID = guid(val)
	case vaState:
		if m := vaStateRe().FindStringSubmatch(val); m != nil {
			t.va.State = atoi(m[1])
		} else {
			t.va.State = stateFromText(val)
		}
		t.va.StateName = StateName(t.va.State)
	case vaLastError:
		t.va.LastError = val
		t.closeVssadmin()
	default:
		if strings.ContainsRune(key, utf8.RuneError) {
			// A label damaged in decoding (a garbled Shift-JIS pair): the
			// value's shape says which field it is.
			t.damagedField(val)
			return true
		}
		t.closeVssadmin()
		return false
	}
	return true
}

// damagedField fills the vssadmin writer's field whose label could not be
// read, by the shape of its value: a GUID is the writer ID, then the
// instance ID; "[N] ..." is the state.
func (t *textReader) damagedField(val string) {
	switch g := guid(val); {
	case g != "" && t.va.WriterID == "":
		t.va.WriterID = g
	case g != "" && t.va.InstanceID == "":
		t.va.InstanceID = g
	case g == "":
		if m := vaStateRe().FindStringSubmatch(val); m != nil && t.va.State < 0 {
			t.va.State = atoi(m[1])
			t.va.StateName = StateName(t.va.State)
		}
	}
}

// cutKey splits "Key: value" at the first colon (ASCII or fullwidth).
func cutKey(s string) (key, val string, ok bool) {
	i := strings.IndexAny(s, ":：")
	if i < 0 {
		return "", "", false
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return s[:i], strings.TrimSpace(s[i+n:]), true
}

// vssadmin's labels in English, Japanese, German and French.
const (
	vaNone = iota
	vaID
	vaInstance
	vaState
	vaLastError
)

var vaKeys = map[string]int{
	"writer id": vaID, "ライター id": vaID, "verfasserkennung": vaID, "id du rédacteur": vaID,
	"writer instance id": vaInstance, "ライター インスタンス id": vaInstance, "verfasserinstanzkennung": vaInstance,
	"id de l’instance du rédacteur": vaInstance, "id de l'instance du rédacteur": vaInstance,
	"state": vaState, "状態": vaState, "status": vaState, "état": vaState,
	"last error": vaLastError, "最後のエラー": vaLastError, "letzter fehler": vaLastError, "dernière erreur": vaLastError,
	// Spanish, Italian and Chinese (Simplified) Windows.
	"id. de escritor": vaID, "id. del escritor": vaID, "id writer": vaID, "id del writer": vaID, "编写器 id": vaID,
	"id. de instancia de escritor": vaInstance, "id. de instancia del escritor": vaInstance,
	"id istanza writer": vaInstance, "id istanza del writer": vaInstance, "编写器实例 id": vaInstance,
	"estado": vaState, "stato": vaState, "状态": vaState,
	"último error": vaLastError, "ultimo errore": vaLastError, "上次错误": vaLastError, "最后一个错误": vaLastError,
}

// closeVssadmin turns an unhealthy vssadmin writer into a finding; stable
// writers without an error are not evidence.
func (t *textReader) closeVssadmin() {
	f := t.va
	if f == nil {
		return
	}
	t.va = nil
	code, noError := lastErrorCode(f.LastError)
	// Stable, and the waiting states a backup in progress shows, are
	// healthy unless the last error says otherwise.
	if noError && f.State <= 5 && f.State != 0 {
		return
	}
	f.Code = code
	t.namedWriterFinding(f)
}

// guid returns the first GUID of s, lowercase, in braces ("" if none).
func guid(s string) string {
	return strings.ToLower(guidRe().FindString(s))
}

// atoi reads a small non-negative decimal; -1 when s is anything else.
func atoi[S ~string | ~[]byte](s S) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || n > 1<<20 {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}
