package parse

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
)

// The free-text patterns run on an ASCII-lowercased copy of the line (same
// byte offsets), which is cheaper than case-insensitive matching.
var (
	// introBareRe: words that make the value after them a code even outside
	// the known tables: a bare 8-digit hex or a decimal HRESULT.
	introBareRe = regexp.MustCompile(`(?:\bhr|hresult|error[ _]?code|failure code|エラー\s*コード)\s*[:=]?\s*\(?([0-9a-f]{8}|-?\d{9,10})(?:[^0-9a-z_]|$)`)
	// negDecRe: a signed decimal HRESULT standing alone; taken only when it
	// falls in the VSS range, which random numbers practically never do.
	negDecRe  = regexp.MustCompile(`(?:^|[^\w-])(-21\d{8})(?:\D|$)`)
	symbolRe  = regexp.MustCompile(`\bvss_[es]_[a-z0-9_]+`)
	exitRe    = regexp.MustCompile(`(?:exit\s*code|終了コード)\s*[:=]?\s*(-?\d{1,10})(?:\D|$)`)
	introTail = []string{"hr", "hresult", "error code", "errorcode", "error_code", "failure code", "error", "エラー", "エラー コード", "エラーコード", "コード"}
)

// freeText runs the matchers that need no context: HRESULTs in their
// various spellings, symbolic names, exit codes, VssStart() and writer
// mentions. Matches ending within the first skip bytes are ignored (they
// were seen in the previous chunk of a long line). Each regexp runs only
// when a plain search says it can match.
func (t *textReader) freeText(b []byte, skip int) {
	t.hexCodes(b, skip)
	t.lower = appendLower(t.lower[:0], b)
	l := t.lower
	if bytes.Contains(l, []byte("hr")) || bytes.Contains(l, []byte("error")) ||
		bytes.Contains(l, []byte("failure code")) || bytes.Contains(l, []byte("エラー")) {
		for _, m := range introBareRe.FindAllSubmatchIndex(l, -1) {
			if m[3] <= skip || bytes.HasPrefix(l[m[2]:], []byte("0x")) {
				continue
			}
			if v, ok := bareValue(string(l[m[2]:m[3]])); ok {
				t.code(v, true)
			}
		}
	}
	if bytes.Contains(l, []byte("-21")) {
		for _, m := range negDecRe.FindAllSubmatchIndex(l, -1) {
			if m[3] <= skip || precededByIntro(l[:m[2]]) {
				continue // introduced ones were taken above
			}
			if n, err := strconv.ParseInt(string(l[m[2]:m[3]]), 10, 64); err == nil && n >= -1<<31 {
				if v := uint32(int32(n)); isVSSRange(v) {
					t.code(v, false)
				}
			}
		}
	}
	if bytes.Contains(l, []byte("vss_")) {
		for _, m := range symbolRe.FindAllIndex(l, -1) {
			if m[1] <= skip {
				continue
			}
			if code, ok := t.p.vocab.CodeOf(string(b[m[0]:m[1]])); ok {
				if v, ok := firstHex(code); ok {
					t.code(v, true)
				}
			}
		}
	}
	if bytes.Contains(l, []byte("exit")) || bytes.Contains(l, []byte("終了コード")) {
		for _, m := range exitRe.FindAllSubmatchIndex(l, -1) {
			if m[3] <= skip {
				continue
			}
			if n, ok := parseExit(string(l[m[2]:m[3]])); ok && n != 0 {
				t.add(Finding{Kind: KindExitCode, Code: strconv.FormatInt(n, 10), State: -1})
			}
		}
	}
	if bytes.Contains(b, []byte("VssStart()")) && t.ts != "" {
		t.start = t.ts
	}
	t.writerMentions(b, skip)
}

// hexCodes finds 0x-prefixed 8-digit values standing on their own: the
// characters around them must not be letters, digits or '_', so a value
// glued inside longer hex (an address, a checksum) is not a code.
func (t *textReader) hexCodes(b []byte, skip int) {
	for i := 0; i+10 <= len(b); {
		j := indexHexPrefix(b[i:])
		if j < 0 {
			return
		}
		at := i + j
		i = at + 2
		if at > 0 && isWord(b[at-1]) {
			continue
		}
		end := at + 2
		for end < len(b) && isHex(b[end]) {
			end++
		}
		if end-at != 10 || end < len(b) && isWord(b[end]) || end <= skip {
			continue
		}
		v, _ := strconv.ParseUint(string(b[at+2:end]), 16, 32)
		t.code(uint32(v), precededByIntro(b[:at]))
		i = end
	}
}

func indexHexPrefix(b []byte) int {
	for off := 0; ; {
		k := bytes.IndexByte(b[off:], '0')
		if k < 0 || off+k+1 >= len(b) {
			return -1
		}
		if c := b[off+k+1]; c == 'x' || c == 'X' {
			return off + k
		}
		off += k + 1
	}
}

// code records an HRESULT seen in free text when classify accepts it.
func (t *textReader) code(v uint32, introduced bool) {
	kind, name, ok := t.p.classify(v, introduced)
	if !ok {
		return
	}
	t.add(Finding{Kind: kind, Code: canon(v), Name: name, State: -1})
}

// precededByIntro reports whether the text before a value ends with a word
// that introduces a code ("hr =", "HRESULT:", "error code", "エラー コード").
func precededByIntro(b []byte) bool {
	if len(b) > 40 {
		b = b[len(b)-40:]
	}
	s := strings.ToLower(strings.TrimRight(string(b), " \t:=(#'\"["))
	for _, w := range introTail {
		if strings.HasSuffix(s, w) {
			k := len(s) - len(w)
			return k == 0 || !isWord(s[k-1]) || w[0] >= 0x80
		}
	}
	return false
}

// bareValue parses a code given without 0x: 8 hex digits or a decimal
// (signed or unsigned 32-bit) HRESULT.
func bareValue(s string) (uint32, bool) {
	if len(s) == 8 && !strings.HasPrefix(s, "-") {
		v, err := strconv.ParseUint(s, 16, 32)
		return uint32(v), err == nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < -1<<31 || n > 1<<32-1 {
		return 0, false
	}
	return uint32(n), true
}

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

// writerMentions finds writer GUIDs and well-known writer names; t.lower
// holds the lowercased line.
func (t *textReader) writerMentions(b []byte, skip int) {
	if bytes.IndexByte(b, '{') >= 0 {
		for _, m := range guidRe.FindAllIndex(b, -1) {
			if m[1] <= skip {
				continue
			}
			id := strings.ToLower(string(b[m[0]:m[1]]))
			if name, ok := t.p.vocab.WriterByID(id); ok {
				t.add(Finding{Kind: KindWriter, Writer: name, WriterID: id, State: -1})
			}
		}
	}
	for _, w := range t.p.writers {
		if end := indexWord(t.lower, w.lower); end > skip {
			t.add(Finding{Kind: KindWriter, Writer: w.name, State: -1})
		}
	}
}

// indexWord returns the end of the first occurrence of w in s that stands
// on word boundaries, or -1.
func indexWord(s, w []byte) int {
	for off := 0; ; {
		k := bytes.Index(s[off:], w)
		if k < 0 {
			return -1
		}
		at := off + k
		end := at + len(w)
		if (at == 0 || !isWord(s[at-1])) && (end == len(s) || !isWord(s[end])) {
			return end
		}
		off = at + 1
	}
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

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isWord(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
