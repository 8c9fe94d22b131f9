package parse

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Phrase is a text that stands for a code when a log gives no code: an
// error message in English or Japanese, or a .NET exception type name
// (AlphaVSS throws VssWriterTimeoutException... for VSS codes).
type Phrase struct {
	Text      string // matched ignoring ASCII case, as a phrase, never guessed
	Code      string // canonical code
	Exception bool   // Text is a .NET exception type name, matched as one identifier
}

// phraseSource is what a vocabulary that knows phrases offers; knowledge.Base
// implements it.
type phraseSource interface {
	Phrases() []Phrase
}

// eventSource is what a vocabulary that knows event IDs offers, so that an
// unknown event is not taken for evidence unless it says error.
type eventSource interface {
	KnowsEvent(provider string, id int) bool
}

// writerIDSource is what a vocabulary that can list its writer GUIDs
// offers; with it, telling a writer's GUID from a volume's costs no call.
type writerIDSource interface {
	WriterIDs() []string
}

// codeSource is what a vocabulary that can list the codes it names offers.
type codeSource interface {
	Codes() []string
}

// textEntry is one pattern of the line matcher: a writer name or a phrase.
type textEntry struct {
	writer string // canonical writer name, or "" for a phrase
	code   string // phrase code
	word   bool   // must stand on word boundaries (ASCII names)
}

// vocabulary compiles what the vocabulary knows into the parser's
// matchers.
func (p *Parser) compileVocab() {
	var texts [][]byte
	var extra []string
	seen := map[string]bool{}
	names := p.vocab.WriterNames()
	for _, n := range names {
		n = strings.TrimSpace(n)
		l := strings.ToLower(n)
		if n == "" || seen[l] {
			continue
		}
		seen[l] = true
		texts = append(texts, []byte(l))
		p.entries = append(p.entries, textEntry{writer: n, word: true})
	}
	p.exceptions = map[string]string{}
	if ps, ok := p.vocab.(phraseSource); ok {
		for _, ph := range ps.Phrases() {
			t := strings.TrimSpace(ph.Text)
			if t == "" || !utf8.ValidString(t) {
				continue
			}
			if ph.Exception {
				p.exceptions[t] = ph.Code
				if len(t) < 128 {
					p.exceptionLens[len(t)>>6] |= 1 << (len(t) & 63)
				}
				continue
			}
			l := strings.ToLower(t)
			if seen[l] {
				continue
			}
			seen[l] = true
			texts = append(texts, []byte(l))
			p.entries = append(p.entries, textEntry{code: ph.Code, word: isASCIIWordEdge(l)})
			extra = append(extra, t)
		}
	}
	p.events, _ = p.vocab.(eventSource)
	if cs, ok := p.vocab.(codeSource); ok {
		p.named = map[uint32]bool{}
		for _, c := range cs.Codes() {
			if v, ok := firstHex(c); ok && len(c) == 10 {
				p.named[v] = true
			}
		}
	}
	if ws, ok := p.vocab.(writerIDSource); ok {
		p.writerIDs = map[[38]byte]bool{}
		p.idHeads = new([1 << 10]uint64)
		for _, id := range ws.WriterIDs() {
			if len(id) == 38 {
				var k [38]byte
				lowerInto(k[:], []byte(id))
				p.writerIDs[k] = true
				if h := k[1:5]; isHex(h[0]) && isHex(h[1]) && isHex(h[2]) && isHex(h[3]) {
					x := hexValue(h)
					p.idHeads[x>>6] |= 1 << (x & 63)
				}
			}
		}
	}
	p.match = newMatcher(texts)
	p.anchors = newAnchors(names, extra)
}

// isASCIIWordEdge says whether a phrase starts and ends with ASCII word
// characters, which then must not continue a longer word.
func isASCIIWordEdge(s string) bool {
	return s != "" && isWord(s[0]) && isWord(s[len(s)-1])
}

// exceptionAt returns the code of the .NET exception type name whose
// "xception" is data[start:end]; a namespace before it is ignored.
func (p *Parser) exceptionAt(data []byte, start, end int) (string, bool) {
	if end < len(data) && isWord(data[end]) {
		return "", false
	}
	i := start
	for i > 0 && start-i < 80 && isWord(data[i-1]) {
		i--
	}
	// Most type names before "xception" (IOException, an "unhandled
	// exception") are no name of the vocabulary's length: no lookup.
	if n := end - i; i == start || n >= 128 || p.exceptionLens[n>>6]&(1<<(n&63)) == 0 {
		return "", false
	}
	code, ok := p.exceptions[string(data[i:end])]
	return code, ok
}

// bareCode returns the code of 8 hex digits written without 0x, "" when
// the context does not make them one: a named VSS code is one on its own,
// anything else needs a word such as "hr" or "error code" before it.
func (p *Parser) bareCode(v uint32, before []byte) string {
	if v&0x80000000 == 0 {
		return ""
	}
	intro := precededByIntro(before)
	if isVSSRange(v) && p.vocab.NameOf(canon(v)) != "" && (intro || afterSeparator(before)) {
		return canon(v)
	}
	if !intro {
		return ""
	}
	if _, _, ok := p.classify(v, true); ok {
		return canon(v)
	}
	return ""
}

// afterSeparator reports whether a value follows a ':' or '=' ("...shadow
// copy:800423f2"), which makes a named VSS code a code.
func afterSeparator(before []byte) bool {
	b := bytes.TrimRight(before, " \t")
	if len(b) > 0 && b[len(b)-1] == '\n' { // the value starts a line: the line before ends with ':'
		b = bytes.TrimRight(b, " \t\r\n")
	}
	return len(b) > 0 && (b[len(b)-1] == ':' || b[len(b)-1] == '=')
}

// decimalCode returns the code of a signed decimal HRESULT at data[at:]:
// any VSS code, or another failure code after an introducing word on its
// line or on the line before (PowerShell prints $_.Exception.HResult on a
// line of its own).
func (p *Parser) decimalCode(v uint32, data []byte, at int) string {
	if v&0x80000000 == 0 {
		return ""
	}
	before := data[max(0, at-48):at]
	if isVSSRange(v) && (data[at] == '-' || precededByIntro(before)) {
		return canon(v)
	}
	if precededByIntro(before) || prevLineIntro(data, at) {
		if _, _, ok := p.classify(v, true); ok {
			return canon(v)
		}
	}
	return ""
}

// prevLineIntro reports whether the line before the one holding at ends
// with "hresult" (a PowerShell property printed on the next line).
func prevLineIntro(data []byte, at int) bool {
	ls := at
	for ls > 0 && data[ls-1] != '\n' {
		if at-ls > 256 { // the value stands far into its line: not PowerShell's output
			return false
		}
		ls--
	}
	if ls == 0 {
		return false
	}
	prev := data[max(0, ls-48) : ls-1]
	return hasSuffixFold(trimRightSpace(prev), "hresult")
}

// isNamed reports whether the vocabulary names the code v.
func (p *Parser) isNamed(v uint32) bool {
	if p.named != nil {
		return p.named[v]
	}
	return p.vocab.NameOf(canon(v)) != ""
}
