package parse

import (
	"bytes"
	"math/bits"
	"strconv"
	"strings"
)

// introTail are the words that make the value after them a code even
// outside the known tables ("hr =", "HRESULT:", "error code", "エラー コード").
var introTail = []string{
	"hr", "hresult", "error code", "errorcode", "error_code", "failure code", "error", "returned",
	"エラー", "エラー コード", "エラーコード", "コード",
}

// freeText runs the matchers that need no context on the line
// data[ls:le]: codes in their various spellings, symbolic names, exit
// codes, exception names, VssStart() and writer names and phrases. Matches
// ending within the first skip bytes are ignored (they were seen in the
// previous chunk of a long line).
func (t *textReader) freeText(data []byte, ls, le, skip int) {
	t.tokens(data, ls, le, skip)
	b := data[ls:le]
	if t.ts != "" && bytes.Contains(b, []byte("VssStart()")) {
		t.start = t.ts
	}
	t.textMatches(b, skip)
	t.flushMentions()
}

// tokens walks the line with the scanner's anchors and turns every token
// that verifies into a finding: the same recognisers decide which lines
// are read and what is found on them.
func (t *textReader) tokens(data []byte, ls, le, skip int) {
	if ls >= le {
		return
	}
	a := t.p.anchors
	hit := &a.hit
	// The line's first byte follows a (virtual) line break.
	t.tokensAt(data, ls, le, skip, ls, uint16('\n')<<8|uint16(data[ls]))
	i := ls + 1
	if f := a.filter(); f != nil && le-i >= 64 {
		// A long message: the bigram filter picks the positions, 32 a
		// round, in the order the loop below would visit them.
		var masks [16]uint32
		for i+32 <= le {
			n := min(len(masks), (le-i)/32)
			f.masks(data[i-1:], masks[:n])
			for k, m := range masks[:n] {
				for ; m != 0; m &= m - 1 {
					p := i + 32*k + bits.TrailingZeros32(m)
					t.tokensAt(data, ls, le, skip, p, uint16(data[p-1])<<8|uint16(data[p]))
				}
			}
			i += 32 * n
		}
	}
	// Four bigrams a round, as the scanner's loop: most of a message
	// holds none.
	for ; i+4 <= le; i += 4 {
		b := data[i-1 : i+4 : i+4]
		if !(hit[uint16(b[0])<<8|uint16(b[1])] || hit[uint16(b[1])<<8|uint16(b[2])] ||
			hit[uint16(b[2])<<8|uint16(b[3])] || hit[uint16(b[3])<<8|uint16(b[4])]) {
			continue
		}
		for k := range 4 {
			t.tokensAt(data, ls, le, skip, i+k, uint16(b[k])<<8|uint16(b[k+1]))
		}
	}
	for ; i < le; i++ {
		t.tokensAt(data, ls, le, skip, i, uint16(data[i-1])<<8|uint16(data[i]))
	}
}

// tokensAt reads the tokens anchored on the bigram bg ending at data[i].
func (t *textReader) tokensAt(data []byte, ls, le, skip, i int, bg uint16) {
	a := t.p.anchors
	if !a.hit[bg] {
		return
	}
	for _, id := range a.at(bg) {
		p := &a.pats[id]
		if !p.token {
			continue
		}
		start := p.start(i)
		if start < ls || start+len(p.text)-ls <= skip {
			continue
		}
		t.token(data[:le], start, p)
	}
}

// token records what the pattern p at data[start:] stands for.
func (t *textReader) token(data []byte, start int, p *pattern) {
	if !hasPattern(data, start, p) && p.kind != tokGUID {
		return
	}
	end := start + len(p.text)
	switch p.kind {
	case tokHex:
		t.hexToken(data, start)
	case tokBare:
		if t.verify(data, start, p) {
			t.code(hexValue(data[start:start+8]), true)
		}
	case tokDec:
		if t.verify(data, start, p) {
			v, _ := decValue(data[start : start+decLen(data, start)])
			t.code(v, true)
		}
	case tokSymbol:
		j := end
		for j < len(data) && isWord(data[j]) {
			j++
		}
		if start > 0 && isWord(data[start-1]) {
			return
		}
		if code, ok := t.p.vocab.CodeOf(string(data[start:j])); ok {
			if v, ok := firstHex(code); ok {
				t.code(v, true)
			}
		}
	case tokExit:
		t.exitToken(data, end)
	case tokException:
		if code, ok := t.p.exceptionAt(data, start, end); ok {
			if v, ok := firstHex(code); ok {
				t.code(v, true)
			}
		}
	case tokGUID:
		// The verifier turns most GUIDs (volumes, reports) away on their
		// first bits, before the lowering and the lookup below.
		if start+38 <= len(data) && t.verify(data, start, p) && (start == 0 || !isHex(data[start-1])) {
			id := strings.ToLower(string(data[start : start+38]))
			if name, ok := t.p.vocab.WriterByID(id); ok {
				t.mention(name, id)
			}
		}
	case tokLiteral:
		switch string(p.text) {
		case "終了コード":
			t.exitNumber(data, end)
		case "win32_shadowcopy", "shadowcopy call":
			t.wmiShadow = true
		case "returnvalue":
			if t.wmiShadow {
				t.wmiReturn(data, end)
			}
		}
	}
}

// inMessage reports whether the line is in the message of a VSS, VolSnap
// or backup event, where any failure HRESULT is the event's code.
func (t *textReader) inMessage() bool {
	return t != nil && t.ev != nil && t.ev.msg && !t.ev.irrelevant
}

// verify runs the scanner's verifier for one token.
func (t *textReader) verify(data []byte, start int, pat *pattern) bool {
	if t.sc == nil { // a text read outside the scanner (an .evtx record)
		t.sc = &scanner{t: t, a: t.p.anchors, v: &verifier{p: t.p}}
	}
	return t.sc.verify(data, start, pat)
}

// hexToken records 0x + 8 hex digits standing on their own, or a code an
// 80-column console wrapped onto the next line.
func (t *textReader) hexToken(data []byte, at int) {
	if at > 0 && isWord(data[at-1]) {
		return
	}
	n, v := hexRun(data, at+2)
	end := at + 2 + n
	if n > 0 && n < 8 && end == len(data) {
		if v, ok := t.wrapped(data[at+2 : end]); ok {
			t.hexCode(v, data[max(0, at-48):at])
		}
		return
	}
	if n != 8 || end < len(data) && isWord(data[end]) {
		return
	}
	if !t.p.isNamed(v) && wellFormed(v) && genericHRESULTs[v] == "" && errorSentence(data, at) {
		t.code(v, true) // a system error's code at the end of its sentence
		return
	}
	t.hexCode(v, data[max(0, at-48):at])
}

// hexCode records the hex value v, which the text before it may have
// introduced; the words before are read only for a value classify can
// take.
func (t *textReader) hexCode(v uint32, before []byte) {
	if !classifiable(v) {
		return
	}
	t.code(v, precededByIntro(before))
}

// wrapped completes the hex digits cut at the end of a line with those
// that start the next one.
func (t *textReader) wrapped(head []byte) (uint32, bool) {
	rest := t.rest
	j := 0
	for j < len(rest) && j < 8 && isHex(rest[j]) {
		j++
	}
	if len(head)+j != 8 || j < len(rest) && isWord(rest[j]) {
		return 0, false
	}
	var buf [8]byte
	copy(buf[:], head)
	copy(buf[len(head):], rest[:j])
	return hexValue(buf[:]), true
}

// shadowCopyCreate maps the ReturnValue of Win32_ShadowCopy.Create (1-13,
// as WMI documents them) to the HRESULT it stands for.
var shadowCopyCreate = [...]uint32{
	1: 0x80070005, 2: 0x80070057, 3: 0x80042308, 4: 0x8004230c, 5: 0x8004231b, 6: 0x8004231f,
	7: 0x8004231d, 8: 0x80042317, 9: 0x80042316, 10: 0x80042306, 11: 0x80042304, 12: 0x8004230f,
	13: 0x80042302,
}

// wmiReturn reads "ReturnValue = N" after a Win32_ShadowCopy.Create call.
func (t *textReader) wmiReturn(data []byte, i int) {
	for ; i < len(data) && (data[i] == ' ' || data[i] == '=' || data[i] == ':' || data[i] == '\t'); i++ {
	}
	j := i
	for j < len(data) && j-i < 3 && data[j] >= '0' && data[j] <= '9' {
		j++
	}
	if n := atoi(string(data[i:j])); j > i && n > 0 && n < len(shadowCopyCreate) {
		t.code(shadowCopyCreate[n], true)
	}
}

// exitToken reads "exit code N" after "exit" ending at i.
func (t *textReader) exitToken(data []byte, i int) {
	if i < len(data) && (data[i] == ' ' || data[i] == '_') {
		i++
	}
	if !hasFold(data, i, "code") {
		return
	}
	t.exitNumber(data, i+4)
}

// exitNumber records the non-zero signed decimal after an exit-code label.
func (t *textReader) exitNumber(data []byte, i int) {
	for ; i < len(data) && (data[i] == ' ' || data[i] == ':' || data[i] == '=' || data[i] == '\t'); i++ {
	}
	if strings.HasPrefix(string(data[i:min(len(data), i+3)]), "：") {
		i += 3
	}
	j := i
	if j < len(data) && data[j] == '-' {
		j++
	}
	k := j
	for k < len(data) && k-j < 11 && data[k] >= '0' && data[k] <= '9' {
		k++
	}
	if k == j || k < len(data) && data[k] >= '0' && data[k] <= '9' {
		return
	}
	if n, ok := parseExit(string(data[i:k])); ok && n != 0 {
		t.add(Finding{Kind: KindExitCode, Code: strconv.FormatInt(n, 10), State: -1})
	}
}

// code records an HRESULT seen in free text when classify accepts it. In
// the message of a VSS, VolSnap or backup event any failure code counts;
// introduced ones ("hr = ...") win over the others for the event's code.
func (t *textReader) code(v uint32, introduced bool) {
	kind, name, ok := t.p.classify(v, introduced || t.inMessage())
	if !ok {
		return
	}
	if v&0x80000000 != 0 {
		t.lineBad = true
		t.pendCode, t.pendLine = canon(v), t.line
	}
	t.intro = introduced
	// A code only a VSS message's looseness takes is no finding of its
	// own: the record may carry it, but it is not held for release.
	_, _, t.loose = t.p.classify(v, introduced)
	t.loose = !t.loose
	t.add(Finding{Kind: kind, Code: canon(v), Name: name, State: -1})
	t.loose = false
}

// precededByIntro reports whether the text before a value ends with a word
// that introduces a code ("hr =", "HRESULT:", "error code", "エラー コード").
func precededByIntro(b []byte) bool {
	b = bytes.TrimRight(b, " \t:=(#'\"[")
	for _, w := range introTail {
		if hasSuffixFold(b, w) {
			k := len(b) - len(w)
			return k == 0 || !isWord(b[k-1]) || w[0] >= 0x80
		}
	}
	return false
}

// hasSuffixFold reports whether b ends with the lowercase w, ignoring
// ASCII case.
func hasSuffixFold(b []byte, w string) bool {
	if len(b) < len(w) {
		return false
	}
	return hasFold(b, len(b)-len(w), w)
}

func trimRightSpace(b []byte) []byte { return bytes.TrimRight(b, " \t\r") }

// firstHex parses the first 0x-prefixed 8-digit value of s.
func firstHex(s string) (uint32, bool) {
	i := strings.Index(strings.ToLower(s), "0x")
	if i < 0 || len(s) < i+10 {
		return 0, false
	}
	v, err := strconv.ParseUint(s[i+2:i+10], 16, 32)
	if err != nil || len(s) > i+10 && isHex(s[i+10]) {
		return 0, false
	}
	return uint32(v), true
}

// textMatches finds writer names and phrases in the line with the
// vocabulary's automaton. Of overlapping writer names the longest wins
// ("Microsoft Hyper-V VSS Writer" is not also "Hyper-V VSS Writer").
func (t *textReader) textMatches(b []byte, skip int) {
	t.lower = appendLower(t.lower[:0], b)
	t.found = t.p.match.find(t.found[:0], t.lower)
	t.lineBad = t.lineBad || saysError(t.lower) && !successStatus(t.lower) || bytes.Contains(t.lower, []byte("vss_ws_failed"))
	for i, m := range t.found {
		e := t.p.entries[m.id]
		start := m.end - t.p.match.lengths[m.id]
		if m.end <= skip || e.word && !wordEdges(t.lower, start, m.end) || covered(t.found, i, t.p.match.lengths) {
			continue
		}
		if e.writer != "" {
			t.mention(e.writer, "")
		} else if v, ok := firstHex(e.code); ok {
			t.code(v, true)
		}
	}
}

// successStatus reports whether a lowered line reports success (a stable
// writer, S_OK, a zero code): its "Error code:" label is not an error. A
// failure code on the line marks it bad before this is asked.
func successStatus(l []byte) bool {
	return bytes.Contains(l, []byte("vss_ws_stable")) || bytes.Contains(l, []byte("s_ok")) ||
		bytes.Contains(l, []byte("0x00000000"))
}

// covered reports whether match i lies inside a longer match of the line.
func covered(ms []match, i int, lengths []int) bool {
	s, e := ms[i].end-lengths[ms[i].id], ms[i].end
	for j, m := range ms {
		if j != i && m.end-lengths[m.id] <= s && m.end >= e && lengths[m.id] > e-s {
			return true
		}
	}
	return false
}

func wordEdges(s []byte, start, end int) bool {
	return (start == 0 || !isWord(s[start-1])) && (end == len(s) || !isWord(s[end]))
}

// mention notes a writer named (or identified by GUID) in free text. It
// becomes a finding only if its line says something is wrong (an error
// word, a failed state, a failure code): a writer listed as healthy is not
// evidence.
func (t *textReader) mention(name, id string) {
	if t.attach(Finding{Kind: KindWriter, Writer: name, WriterID: id}) {
		return // an event's message names the event's writer
	}
	t.mentions = append(t.mentions, Finding{Kind: KindWriter, Writer: name, WriterID: id, State: -1})
}

// flushMentions adds the line's writer mentions when the line is bad. A
// line that names one writer and carries a failure code says that writer
// failed with it ("Microsoft Hyper-V VSS Writer failed (0x80070002)"),
// whatever the words around them: the two are tied, as a writer block
// ties them.
func (t *textReader) flushMentions() {
	if t.lineBad {
		if len(t.mentions) == 1 && t.pendCode != "" && t.pendLine == t.line && t.ev == nil {
			m := t.mentions[0]
			t.tied(m.Writer, m.WriterID, t.pendCode, -1)
			t.mentions = t.mentions[:0]
			t.lineBad = false
			return
		}
		for _, f := range t.mentions {
			t.add(f)
		}
	}
	t.mentions = t.mentions[:0]
	t.lineBad = false
}

func appendLower(dst, b []byte) []byte {
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// isHex and isWord fold case with one OR and test ranges with one
// unsigned compare each: they run on most bytes of a hex-heavy log.
func isHex(c byte) bool {
	return c-'0' < 10 || (c|0x20)-'a' < 6
}

func isWord(c byte) bool {
	return c-'0' < 10 || (c|0x20)-'a' < 26 || c == '_'
}
