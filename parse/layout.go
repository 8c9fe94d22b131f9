package parse

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
)

// One-line writer layouts of backup products: each ties a writer to its
// state and code on one line, and is read as one finding (stable and
// waiting writers give none). Every regexp runs on the ASCII-lowered line,
// only when its keyword is there; names are cut from the original line at
// the same offsets. They compile on first use (lazyRegexp).
var (
	// Veeam: Writer name: [X]. Class ID: [{..}]. Instance ID: [{..}].
	// Writer's state: [VSS_WS_...]. Error code: [0x...].
	veeamNameRe  = lazyRegexp(`writer name: \[([^\]]+)\]`)
	veeamStateRe = lazyRegexp(`writer's state: \[(vss_ws_\w+)\]`)
	veeamCodeRe  = lazyRegexp(`error code: \[(0x[0-9a-f]{8})\]`)
	veeamClassRe = lazyRegexp(`class id: \[(\{[0-9a-f-]{36}\})\]`)
	// Bacula, Bareos and burp: VSS Writer (Phase): "X", State: 0x7 (VSS_WS_...)
	// and Bareos's VSS Writer "X" has invalid state. ERR=text.
	baculaRe = lazyRegexp(`vss writer (?:\([^)]*\):\s*)?"([^"]+)"(?:,\s*state:\s*0x([0-9a-f]+)\s*\((vss_ws_\w+)\)| has invalid state\.?\s*(?:err=(.*))?)`)
	urbackRe = lazyRegexp(`writer (.+?) has failure state (vss_ws_\w+) with error (\w+)`)
	dpmRe    = lazyRegexp(`selected writer \[([^\]]+)\],? writer is in state \[(\d+)\]`)
	ntbRe    = lazyRegexp(`"([^"]+)" has reported an error (0x[0-9a-f]{8})`)
	bexecRe  = lazyRegexp(`writer name: ([^,]+), writer id: (\{[0-9a-f-]{36}\}), last error: .*?(?:\((0x[0-9a-f]{8})\))?, state: .*?\((\d+)\)`)
	// Writer status on one line: Veeam's short form "Writer: [X]. State:
	// [VSS_WS_...]. Error code: [0x...].", a status table row "Writer: X,
	// Failure: 0x... (S_OK), State: VSS_WS_...", and "Writer 'X' Status: 1
	// (VSS_WS_STABLE) Writer Failure code: 0x..." (AIP and scripts).
	shortStateRe = lazyRegexp(`writer: \[([^\]]+)\]\.? state: \[(vss_ws_\w+)\]\.?(?:\s*error code: \[(0x[0-9a-f]{8})\])?`)
	rowRe        = lazyRegexp(`writer: ([^,\[\]]+), failure: (0x[0-9a-f]{8})[^,]*, state: (vss_ws_\w+)`)
	quotedRe     = lazyRegexp(`writer '([^']+)'\s+(?:status: (\d+)(?:\s*\((vss_ws_\w+)\))?)?\s*(?:writer failure code: (0x[0-9a-f]{8}))?`)
	// BETEST and the VSS test tools: Status for writer X: STABLE(0x800423f3
	// - VSS_E_WRITERERROR_RETRYABLE), the state word without its VSS_WS_.
	betestRe = lazyRegexp(`status for writer (.+?):\s*(?:vss_ws_)?([a-z_]+)\s*\(\s*(0x[0-9a-f]{8})`)
	// A VSS event message's "Writer Name: X" line, without brackets or quotes.
	plainNameRe = lazyRegexp(`^\s*writer name:\s*([^\[\]'"]+?)\s*$`)
	layoutKey   = [][]byte{
		[]byte("writer name: "), []byte("vss writer"), []byte("has failure state"),
		[]byte("writer is in state"), []byte("has reported an error"), []byte("writer: "), []byte("writer '"),
		[]byte("status for writer "),
	}
)

// lazyRegexp compiles expr on first use, so that a command that never
// meets a layout's keyword (vssbot --help, lookup, a diagnosis of a log
// without one) does not pay for compiling it at package init.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// layoutLine reads the one-line writer layouts; it reports whether the line
// was one.
func (t *textReader) layoutLine(data []byte, ls, le int) bool {
	l := t.lower
	hit := false
	for i, k := range layoutKey {
		if (t.kwWriter || i >= writerKeys) && bytes.Contains(l, k) {
			hit = true
			break
		}
	}
	if !hit {
		return false
	}
	b := data[ls:le]
	off := len(b) - len(l) // t.lower holds the line after its timestamp
	name := func(m []int, i int) string { return strings.TrimSpace(string(b[off+m[2*i] : off+m[2*i+1]])) }
	sub := func(m []int, i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return string(l[m[2*i]:m[2*i+1]])
	}
	if m := bexecRe().FindSubmatchIndex(l); m != nil {
		return t.tied(name(m, 1), sub(m, 2), sub(m, 3), atoi(sub(m, 4)))
	}
	if m := betestRe().FindSubmatchIndex(l); m != nil {
		return t.tied(name(m, 1), "", sub(m, 3), StateNumber("vss_ws_"+sub(m, 2)))
	}
	if m := veeamNameRe().FindSubmatchIndex(l); m != nil {
		if j := t.joinWrapped(b); j != nil {
			return t.veeam(j, appendLower(nil, j))
		}
		return t.veeam(b[off:], l)
	}
	if m := shortStateRe().FindSubmatchIndex(l); m != nil {
		return t.tied(name(m, 1), "", sub(m, 3), StateNumber(sub(m, 2)))
	}
	if m := rowRe().FindSubmatchIndex(l); m != nil {
		return t.tied(name(m, 1), "", sub(m, 2), StateNumber(sub(m, 3)))
	}
	if m := quotedRe().FindSubmatchIndex(l); m != nil && (m[4] >= 0 || m[8] >= 0) {
		state := -1
		if m[4] >= 0 {
			state = atoi(sub(m, 2))
		}
		return t.tied(name(m, 1), "", sub(m, 4), state)
	}
	if m := plainNameRe().FindSubmatchIndex(l); m != nil && t.pendCode != "" && t.line-t.pendLine <= pendLines {
		// A VSS event's message pasted without its header: the writer named
		// in its Context block failed with the code of its first line.
		return t.tied(name(m, 1), "", t.pendCode, -1)
	}
	if m := baculaRe().FindSubmatchIndex(l); m != nil {
		state := -1
		switch {
		case m[6] >= 0:
			state = StateNumber(sub(m, 3))
		case m[8] >= 0:
			state = stateFromErr(sub(m, 4))
		default:
			state = 0 // "invalid state" without a reason
		}
		return t.tied(name(m, 1), "", "", state)
	}
	if m := urbackRe().FindSubmatchIndex(l); m != nil {
		code := ""
		if c, ok := t.p.vocab.CodeOf(sub(m, 3)); ok {
			code = c
		}
		return t.tied(name(m, 1), "", code, StateNumber(sub(m, 2)))
	}
	if m := dpmRe().FindSubmatchIndex(l); m != nil {
		return t.tied(name(m, 1), "", "", atoi(sub(m, 2)))
	}
	if m := ntbRe().FindSubmatchIndex(l); m != nil {
		return t.tied(name(m, 1), "", sub(m, 2), -1)
	}
	return false
}

// writerKeys is how many layoutKey entries contain "writer".
const writerKeys = 3

// pendLines is how far below its code a message's writer name may stand.
const pendLines = 25

// veeam reads Veeam's writer sentence from b (lowered in l).
func (t *textReader) veeam(b, l []byte) bool {
	m := veeamNameRe().FindSubmatchIndex(l)
	if m == nil {
		return false
	}
	writer := strings.TrimSpace(string(b[m[2]:m[3]]))
	state := -1
	if s := veeamStateRe().FindSubmatch(l); s != nil {
		state = StateNumber(string(s[1]))
	}
	code, id := "", ""
	if c := veeamCodeRe().FindSubmatch(l); c != nil {
		code = string(c[1])
	}
	if c := veeamClassRe().FindSubmatch(l); c != nil {
		id = string(c[1])
	}
	if state < 0 && code == "" {
		return false // "Writer name: [X]" alone: let the other readers see the line
	}
	return t.tied(writer, id, code, state)
}

// joinWrapped returns the line joined with the lines an 80-column console
// wrapped it onto, nil when it was not wrapped.
func (t *textReader) joinWrapped(b []byte) []byte {
	const width = 80
	if len(b) < width-1 || len(b) > width {
		return nil
	}
	out := append([]byte(nil), b...)
	rest := t.rest
	for n := 0; n < 8 && len(rest) > 0; n++ {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte{'\n'})
		line = bytes.TrimSuffix(line, []byte{'\r'})
		out = append(out, line...)
		if len(line) < width-1 {
			break
		}
	}
	return out
}

// stateFromErr reads the failed state out of the reason Bareos gives
// ("...during the backup preparation state").
func stateFromErr(s string) int {
	for _, k := range []struct {
		word  string
		state int
	}{
		{"backup preparation", 7}, {"preparebackup", 7}, {"prepare backup", 7},
		{"preparation of the snapshot", 8}, {"preparesnapshot", 8}, {"prepare snapshot", 8}, {"prepareforsnapshot", 8},
		{"freeze", 9}, {"thaw", 10}, {"post snapshot", 11}, {"postsnapshot", 11},
		{"backup complete", 12}, {"backupcomplete", 12}, {"shutdown", 15},
	} {
		if strings.Contains(s, k.word) {
			return k.state
		}
	}
	return 0
}

// tied records a writer tied to its state and code when something says it
// is wrong; a stable or waiting writer without a failure code is healthy,
// and so is a writer whose code is S_OK unless its state says it failed.
func (t *textReader) tied(writer, id, code string, state int) bool {
	v, hasCode := firstHex(code)
	failure := hasCode && v&0x80000000 != 0
	if !failure && (state >= 1 && state <= 5 || hasCode && v == 0 && state < 6) {
		return true
	}
	f := &Finding{Kind: KindWriterState, Writer: writer, State: state}
	if id != "" {
		f.WriterID = strings.ToLower(id)
	}
	if failure {
		f.Code = canon(v)
	}
	if name, ok := t.p.vocab.WriterByID(f.WriterID); ok && f.Writer == "" {
		f.Writer = name
	}
	f.Writer = t.canonicalWriter(f.Writer)
	t.namedWriterFinding(f)
	return true
}

// canonicalWriter returns the vocabulary's spelling of a writer name
// (any case), or the name as written.
func (t *textReader) canonicalWriter(name string) string {
	l := appendLower(nil, []byte(name))
	for _, m := range t.p.match.find(nil, l) {
		e := t.p.entries[m.id]
		if e.writer != "" && m.end == len(l) && t.p.match.lengths[m.id] == len(l) {
			return e.writer
		}
	}
	return name
}
