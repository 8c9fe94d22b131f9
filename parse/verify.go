package parse

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// verifier decides whether an anchor hit is a token that can be evidence.
// It looks only at a few bytes around the hit and never allocates, so a
// line full of hex offsets costs a handful of comparisons per offset.
type verifier struct {
	p    *Parser
	seen [64]guidMemo // GUID answers, for vocabularies without WriterIDs
}

// verify checks the pattern p found at data[start:].
func (s *scanner) verify(data []byte, start int, p *pattern) bool {
	switch p.kind {
	case tokGUID:
		return s.v.guid(data, start)
	case tokKey:
		fl, val := p.field, 0
		if p.text[0] == '\n' {
			// start is the line break before the line, -1 at a block's
			// start (a virtual one).
			fl, val = s.a.lineKey(data[start+1 : min(len(data), start+1+maxKeyLine)])
		} else if !hasFold(data, start, p.text) || !lineStartBefore(data, start+1) || !keyAfter(data, start+len(p.text)) {
			return false
		}
		return s.keyTaken(fl, val)
	case tokRow:
		s := start
		if s > 0 && data[s-1] == '"' {
			s--
		}
		return hasFold(data, start, p.text) && lineStartBefore(data, s)
	}
	// A two-byte pattern anchored on itself matched with its bigram.
	if start < 0 || (len(p.text) > 2 || p.off != 0) && !hasPattern(data, start, p) {
		return false
	}
	end := start + len(p.text)
	switch p.kind {
	case tokHex:
		// Without a reader (the pipeline's first stage) a code that only a
		// message would take passes too: the second stage decides.
		return s.v.hex(data, start, s.t == nil || s.t.inMessage())
	case tokBare:
		return s.v.bare(data, start)
	case tokDec:
		return s.v.dec(data, start)
	case tokSymbol:
		return s.v.symbol(data, start, end)
	case tokExit:
		return exitAfter(data, end)
	case tokException:
		return s.v.exception(data, start, end)
	case tokWriter:
		return true
	case tokLiteral:
		return !p.word || (start == 0 || !isWord(data[start-1])) && (end == len(data) || !isWord(data[end]))
	}
	return false
}

// lineStartBefore reports whether only blanks stand between the start of
// the line and at.
func lineStartBefore(data []byte, at int) bool {
	for i := at - 1; i >= 0; i-- {
		switch data[i] {
		case '\n':
			return true
		case ' ', '\t', '\r', '"':
		default:
			return false
		}
	}
	return true
}

// keyAfter reports whether a record key ends at i: blanks, then ':'
// (fullwidth too), or a digit for wevtutil's "Event[0]:".
func keyAfter(data []byte, i int) bool {
	for ; i < len(data) && (data[i] == ' ' || data[i] == '\t'); i++ {
	}
	if i >= len(data) {
		return false
	}
	switch c := data[i]; {
	case c == ':' || c == '=':
		return true
	case c >= '0' && c <= '9':
		return true
	case c == 0xef && i+2 < len(data) && data[i+1] == 0xbc && data[i+2] == 0x9a: // '：'
		return true
	}
	return false
}

// exitAfter reports whether "exit" at end-4 is "exit code" (or exitcode,
// exit_code) followed by a non-zero number, or 終了コード.
func exitAfter(data []byte, i int) bool {
	if i < len(data) && (data[i] == ' ' || data[i] == '_') {
		i++
	}
	if !hasFold(data, i, "code") {
		return false
	}
	i += 4
	for ; i < len(data) && (data[i] == ' ' || data[i] == ':' || data[i] == '=' || data[i] == '\t'); i++ {
	}
	if i < len(data) && data[i] == '-' {
		i++
	}
	nonZero := false
	j := i
	for ; j < len(data) && data[j] >= '0' && data[j] <= '9'; j++ {
		nonZero = nonZero || data[j] != '0'
	}
	return j > i && nonZero
}

// keyTaken keeps the field and value offset of a key read at a line's
// start, and reports whether the key makes its line a candidate.
func (s *scanner) keyTaken(fl evField, val int) bool {
	s.field, s.val = fl, uint8(val)
	// (The pipeline's first stage, without a reader, lets a Level through.)
	if t := s.t; t != nil && t.ev != nil && t.ev.irrelevant && fl == fLevel {
		return false // a record of another source: its level does not matter
	}
	return fl != fNone
}

// hex verifies 0x + exactly 8 hex digits with boundaries whose value can
// be evidence; a code wrapped onto the next line by a console counts too.
func (v *verifier) hex(data []byte, at int, loose bool) bool {
	if at > 0 && isWord(data[at-1]) {
		return false
	}
	n, val := hexRun(data, at+2)
	end := at + 2 + n
	if n < 8 && n > 0 && wrappedAt(data, end, n) {
		return true
	}
	if n != 8 || end < len(data) && isWord(data[end]) {
		return false
	}
	return loose && val&0x80000000 != 0 || v.evidence(val, data, at)
}

// wrappedAt reports whether a run of n hex digits cut at i continues at
// the start of the next line to eight, as an 80-column console wraps it
// (the test textReader.wrapped makes).
func wrappedAt(data []byte, i, n int) bool {
	if i < len(data) && data[i] == '\r' {
		i++
	}
	if i >= len(data) || data[i] != '\n' {
		return false
	}
	j := i + 1
	for j < len(data) && j-i-1 < 8 && isHex(data[j]) {
		j++
	}
	return n+j-i-1 == 8 && (j == len(data) || !isWord(data[j]))
}

// evidence reports whether the value v found at data[at:] is a code the
// parser reports.
func (v *verifier) evidence(val uint32, data []byte, at int) bool {
	switch {
	case isVSSRange(val):
		// Failures always; success codes (VSS_S_*) when named.
		return val&0x80000000 != 0 || v.p.isNamed(val)
	case val&0x80000000 == 0:
		return false
	case genericHRESULTs[val] != "" || precededByIntro(data[max(0, at-48):at]):
		return true
	}
	return v.p.isNamed(val) || wellFormed(val) && errorSentence(data, at)
}

// wellFormed reports whether a failure value has the shape of a system
// HRESULT: no reserved or customer bit, a facility of Windows' own range
// (FACILITY_WIN32 and its neighbours) and a code that is not zero (a flag
// such as GENERIC_READ, 0x80000000, is no error).
func wellFormed(v uint32) bool {
	return v>>24 == 0x80 && v&0xffff != 0
}

// errorSentence reports whether the line around data[at] reports a
// failure ("... failed: The system cannot find the file specified.
// (0x80070002)"): a well-formed HRESULT there is the error's code even
// without a label. The window read is bounded.
func errorSentence(data []byte, at int) bool {
	from := max(0, at-400)
	ls := from + bytes.LastIndexByte(data[from:at], '\n') + 1
	le := min(len(data), at+120)
	if i := bytes.IndexByte(data[at:le], '\n'); i >= 0 {
		le = at + i
	}
	var buf [520]byte
	l := appendLower(buf[:0], data[ls:le])
	if saysError(l) {
		return true
	}
	for _, w := range failWords {
		if bytes.Contains(l, w) {
			return true
		}
	}
	return false
}

// failWords say an operation did not succeed without an error word
// (lowercase; saysError knows the error words).
var failWords = [][]byte{
	[]byte("could not"), []byte("couldn't"), []byte("unable to"), []byte("cannot"), []byte("konnte nicht"),
	[]byte("impossible de"), []byte("no se pudo"), []byte("impossibile"), []byte("できません"), []byte("できませんでした"),
	[]byte("无法"), []byte("失败"),
}

// bare verifies 8 hex digits without 0x, starting with 8: a failure
// HRESULT, taken when context says it is a code.
func (v *verifier) bare(data []byte, at int) bool {
	if at > 0 && (isWord(data[at-1]) || data[at-1] == '-' || data[at-1] == '{') {
		return false
	}
	n, val := hexRun(data, at)
	end := at + n
	if n != 8 || end < len(data) && (isWord(data[end]) || data[end] == '-') {
		return false
	}
	return v.p.bareCode(val, data[max(0, at-48):at]) != ""
}

// dec verifies a decimal HRESULT: signed (-21 and 8 more digits) or
// unsigned (214 and 7 more), the latter only after an introducing word.
func (v *verifier) dec(data []byte, at int) bool {
	n := decLen(data, at)
	if n == 0 {
		return false
	}
	end := at + n
	val, ok := decValue(data[at:end])
	return ok && v.p.decimalCode(val, data, at) != ""
}

// symbol verifies VSS_E_/VSS_S_ names the vocabulary knows and failed
// VSS_WS_ states.
func (v *verifier) symbol(data []byte, start, end int) bool {
	if start > 0 && isWord(data[start-1]) {
		return false
	}
	j := end
	for j < len(data) && isWord(data[j]) {
		j++
	}
	name := data[start:j]
	if len(name) > 64 {
		return false
	}
	if n := StateNumber(string(name)); n >= 0 {
		return n != stateStable && (n == 0 || n >= 6)
	}
	_, ok := v.p.vocab.CodeOf(string(name))
	return ok
}

// exception verifies a .NET exception type name that stands for a code.
func (v *verifier) exception(data []byte, start, end int) bool {
	_, ok := v.p.exceptionAt(data, start, end)
	return ok
}

// guid verifies a braced GUID of a known writer. Logs repeat the same few
// volume and snapshot GUIDs, so answers are remembered (a bounded number).
func (v *verifier) guid(data []byte, at int) bool {
	if at+38 > len(data) {
		return false
	}
	if h := v.p.idHeads; h != nil {
		// Most GUIDs in a log are volumes and sessions: their first 16
		// bits already say they are no writer's.
		b := data[at+1 : at+5]
		if !isHex(b[0]) || !isHex(b[1]) || !isHex(b[2]) || !isHex(b[3]) {
			return false
		}
		if x := hexValue(b); h[x>>6]&(1<<(x&63)) == 0 {
			return false
		}
	}
	if !guidShape(data[at : at+38]) {
		return false
	}
	var id [38]byte
	lowerInto(id[:], data[at:at+38])
	if v.p.writerIDs != nil {
		return v.p.writerIDs[id]
	}
	slot := &v.seen[(uint(id[1])<<4^uint(id[2])<<2^uint(id[3])^uint(id[8]))%uint(len(v.seen))]
	if slot.set && slot.id == id {
		return slot.known
	}
	_, known := v.p.vocab.WriterByID(string(id[:]))
	*slot = guidMemo{id: id, known: known, set: true}
	return known
}

// guidMemo is one remembered answer of a vocabulary that cannot list its
// writer GUIDs; the memo is direct-mapped, so it never grows.
type guidMemo struct {
	id         [38]byte
	known, set bool
}

// guidShape reports whether b is {8-4-4-4-12} hex.
func guidShape(b []byte) bool {
	if len(b) != 38 || b[0] != '{' || b[37] != '}' {
		return false
	}
	for i := 1; i < 37; i++ {
		switch i {
		case 9, 14, 19, 24:
			if b[i] != '-' {
				return false
			}
		default:
			if !isHex(b[i]) {
				return false
			}
		}
	}
	return true
}

func lowerInto(dst, src []byte) {
	for i, c := range src {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst[i] = c
	}
}

// hexRun counts the hex digits at data[i:], up to nine (more than eight
// is all a caller needs to know), and returns their value when eight.
func hexRun(data []byte, i int) (n int, val uint32) {
	if i+8 <= len(data) {
		n, val = hex8(binary.LittleEndian.Uint64(data[i:]))
		if n == 8 && i+8 < len(data) && isHex(data[i+8]) {
			return 9, 0
		}
		return n, val
	}
	for i+n < len(data) && isHex(data[i+n]) {
		n++
	}
	if n == 8 {
		val = hexValue(data[i : i+8])
	}
	return n, val
}

// hex8 reads eight bytes (the first in the low byte) as hex digits, all
// at once: n is how many lead the word, and val their value when all
// eight are. Each byte is classed by adding constants that set its top
// bit at a range's edge; no sum carries into the next byte, as the top
// bits are cleared first (a byte with its top bit set is no digit).
func hex8(w uint64) (n int, val uint32) {
	const (
		ones  = 0x0101010101010101
		top   = 0x80 * ones
		nibbs = 0x0f * ones
	)
	x := w &^ top
	digit := (x + (0x80-'0')*ones) &^ (x + (0x7f-'9')*ones)
	y := x | 0x20*ones
	letter := (y + (0x80-'a')*ones) &^ (y + (0x7f-'f')*ones)
	hex := (digit | letter) &^ w & top
	n = bits.TrailingZeros64(^hex&top) / 8
	if n < 8 {
		return n, 0
	}
	// A digit's value is its low nibble, a letter's that plus 9; then the
	// nibbles are packed, the first byte the most significant.
	r := bits.ReverseBytes64(w&nibbs + (letter&top)>>7*9)
	r = (r | r>>4) & 0x00ff00ff00ff00ff
	r = (r | r>>8) & 0x0000ffff0000ffff
	r = (r | r>>16) & 0x00000000ffffffff
	return 8, uint32(r)
}

// hexValue parses up to 8 hex digits already checked by isHex.
func hexValue(b []byte) uint32 {
	var v uint32
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		v = v<<4 | uint32(c)
	}
	return v
}

// decValue parses a signed decimal in the int32 range as an HRESULT.
func decValue(b []byte) (uint32, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	var n int64
	for _, c := range b {
		n = n*10 + int64(c-'0')
		if n > 1<<32 {
			return 0, false
		}
	}
	if neg {
		n = -n
	}
	if n < -1<<31 || n > 1<<32-1 {
		return 0, false
	}
	return uint32(n), true
}

// decLen returns the length of the decimal HRESULT token at data[at:], 0
// if there is none: 11 bytes signed, 10 unsigned, with boundaries.
func decLen(data []byte, at int) int {
	if at > 0 && (isWord(data[at-1]) || data[at-1] == '-' || data[at-1] == '.') {
		return 0
	}
	want := 10
	if data[at] == '-' {
		want = 11
	}
	end := at
	if data[at] == '-' {
		end++
	}
	for end < len(data) && end-at <= want && data[end] >= '0' && data[end] <= '9' {
		end++
	}
	if end-at != want || end < len(data) && (isWord(data[end]) || data[end] == '.' && end+1 < len(data) && isWord(data[end+1])) {
		return 0
	}
	return want
}
