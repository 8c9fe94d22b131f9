package parse

import (
	"bytes"
	"encoding/binary"
	"maps"
	"slices"
	"strings"
	"sync"
)

// A line is worth reading only when it holds a token that can be evidence.
// The scanner finds candidate tokens in one pass over a block: every
// pattern is anchored on one of its two-byte sequences (a bigram), a bit
// table says which bigrams start some pattern, and a hit is checked by the
// pattern's verifier, which looks only at the bytes around it. Lines
// without a verified token are skipped without any further work, so the
// cost of a line full of hex offsets and volume GUIDs stays that of a
// memory scan.

// tokKind says what a pattern stands for and how a hit is verified.
type tokKind uint8

const (
	tokHex       tokKind = iota + 1 // 0x + exactly 8 hex digits that can be a failure code
	tokBare                         // 8 hex digits 8xxxxxxx without 0x
	tokDec                          // a signed decimal HRESULT (-21xxxxxxxx)
	tokGUID                         // {8-4-4-4-12} of a known writer
	tokSymbol                       // VSS_E_*, VSS_S_*, VSS_WS_* names
	tokWriter                       // the word "writer" in any case
	tokExit                         // "exit code" / "exitcode" followed by a number
	tokException                    // a .NET exception type name from the vocabulary
	tokKey                          // an event-record key at the start of a line
	tokRow                          // a level word starting a one-line event row
	tokLiteral                      // any other word that makes a line a candidate
)

// pattern is one searched string. fold means ASCII case does not matter
// (text is then lowercase); word means the match must stand on word
// boundaries.
type pattern struct {
	text  []byte
	off   int // offset of the anchor bigram in text
	kind  tokKind
	field evField // for keys: the record field
	fold  bool
	word  bool
	// token says textReader.token acts on the pattern; the others only
	// make a line a candidate (keys, rows, "writer", most literals).
	token bool
	head  prefix8 // its first eight bytes, for one compare
}

// setHead fills head from text.
func (p *pattern) setHead() { p.head = newPrefix8(p.text, p.fold) }

// prefix8 tests the first eight bytes (or fewer) of a text in one
// compare: w|fold&mask == want, fold holding 0x20 at the letters of a
// case-blind text (c|0x20 is the lower letter only for its two cases).
type prefix8 struct{ want, fold, mask uint64 }

// newPrefix8 builds the test for the lowercase text (any case when fold).
func newPrefix8[S ~string | ~[]byte](text S, fold bool) prefix8 {
	var p prefix8
	for i := range min(8, len(text)) {
		c := text[i]
		p.want |= uint64(c) << (8 * i)
		p.mask |= 0xff << (8 * i)
		if fold && c >= 'a' && c <= 'z' {
			p.fold |= 0x20 << (8 * i)
		}
	}
	return p
}

// rejects reports whether data[start:] surely does not start with the
// text, for a start with eight bytes after it; false says only that its
// first eight bytes (or all, if fewer) match.
func (p prefix8) rejects(data []byte, start int) bool {
	return (binary.LittleEndian.Uint64(data[start:])|p.fold)&p.mask != p.want
}

// start returns where the pattern starts when its anchor bigram ends at i.
func (p *pattern) start(i int) int {
	if p.off < 0 {
		return i
	}
	return i - 1 - p.off
}

// stateless reports whether the verifier's answer for the pattern (a key
// of field fl) does not depend on what the text reader is inside of, so
// the pipeline's first stage decides it for good.
func (p *pattern) stateless(fl evField) bool {
	return p.kind != tokHex && !(p.kind == tokKey && fl == fLevel)
}

// anchors is the compiled pattern set of a Parser.
type anchors struct {
	hit [65536]bool // bigram -> some pattern is anchored on it
	// index maps a bigram to 1 + its entry in lists, 0 for none.
	index [65536]uint16
	lists [][]int32 // pattern ids anchored on one bigram
	pats  []pattern
	// keyPat is the pattern of every record key at the start of a line;
	// keys lists the keys by their first byte, lowered.
	keyPat int32
	keys   [256][]lineKeyEntry // by first byte, lowered
	// keyAlone says the key pattern is the only one anchored on a line
	// break and this byte, so keyStart alone can turn the line away.
	keyAlone [256]bool
	// second has a bit for each byte that follows a key's first one
	// (lowered), so that most lines starting with the same letter as a
	// key are turned away on their second byte.
	second [256][4]uint64
	// filter returns the filter that finds candidate positions 32 at a
	// time, built on first use (only inputs large enough for the pipeline
	// need it), or nil where the scalar walk is faster.
	filter func() *bigramFilter
}

type lineKeyEntry struct {
	text  string // lowercase
	field evField
	head  prefix8
}

// literalTriggers are words that make a line a candidate on their own: the
// structured layouts start with them.
var literalTriggers = []struct {
	text string
	fold bool
}{
	{"ライター", false}, {"終了コード", false}, {"VssStart()", false},
	{"<Event", false}, {"<Provider", false}, {"verfassername", true}, {"nom du rédacteur", true},
	{"event source:", true}, {"eventid:", true}, {"returnvalue", true}, {"win32_shadowcopy", true}, {"shadowcopy call", true},
}

// tokenLiterals are the literal triggers textReader.token reads a value
// after.
var tokenLiterals = map[string]bool{"終了コード": true, "win32_shadowcopy": true, "shadowcopy call": true, "returnvalue": true}

// eventKeys are the record keys that open or fill an event record, as
// Event Viewer, wevtutil and Get-WinEvent print them in English, German,
// French and Japanese (Windows 2003 layouts included). The value is the
// field they fill.
var eventKeys = map[string]evField{
	"log name": fLogName, "protokollname": fLogName, "nom du journal": fLogName, "ログの名前": fLogName,
	"source": fSource, "event source": fSource, "providername": fProvider, "quelle": fSource, "ソース": fSource,
	"イベント ソース": fSource,
	"date":     fDate, "datum": fDate, "日付": fDate, "timecreated": fCreated,
	"event id": fID, "id": fID, "ereignis-id": fID, "id de l'événement": fID, "id de l’événement": fID,
	"イベント id": fID, "eventid": fID,
	"level": fLevel, "event type": fLevel, "ebene": fLevel, "niveau": fLevel, "レベル": fLevel, "種類": fLevel,
	"イベントの種類": fLevel, "leveldisplayname": fLevel,
	"description": fMessage, "message": fMessage, "beschreibung": fMessage, "説明": fMessage,
	"event[": fWevt,
}

// rowLevels are the Level column values that start a one-line event row
// (Event Viewer CSV and tab-separated text).
var rowLevels = []string{
	"error", "warning", "information", "critical", "verbose", "エラー", "警告", "情報", "重大",
	"fehler", "warnung", "informationen", "kritisch", "erreur", "avertissement", "critique",
}

// newAnchors compiles the base patterns, the writer names that lack the
// word "writer", event keys and rows, and the extra phrases (exception
// names and message texts from the vocabulary).
func newAnchors(names, extra []string) *anchors {
	a := &anchors{}
	a.add("0x", tokHex, true, false)
	a.add("80", tokBare, true, false)
	a.add("-21", tokDec, false, false)
	a.add("214", tokDec, false, false)
	a.add("vss_", tokSymbol, true, false)
	a.add("writer", tokWriter, true, false)
	a.add("exit", tokExit, true, false)
	a.add("xception", tokException, false, false)
	for _, l := range literalTriggers {
		a.add(l.text, tokLiteral, l.fold, false)
	}
	a.addAt("volsnap", tokLiteral, true, false, 3) // "Volume" is everywhere: anchor on "sn"
	// Keys count only at the start of a line. One pattern stands for all
	// of them, anchored on the line break and each byte a key starts with:
	// its verifier reads the key once (lineKey) instead of trying each.
	a.keyPat = int32(len(a.pats))
	a.pats = append(a.pats, pattern{text: []byte("\n"), kind: tokKey, off: 0})
	a.pats[a.keyPat].setHead()
	for _, k := range slices.Sorted(maps.Keys(eventKeys)) {
		fl := eventKeys[k]
		a.second[k[0]][k[1]>>6] |= 1 << (k[1] & 63)
		if fl != fWevt { // found by its bracket instead
			a.keys[k[0]] = append(a.keys[k[0]], lineKeyEntry{k, fl, newPrefix8(k, true)})
		}
		for _, c := range caseVariants(k[0], true) {
			a.link(uint16('\n')<<8|uint16(c), a.keyPat)
		}
	}
	// Get-WinEvent indents its table group header ("   ProviderName: VSS").
	a.addAt(" providername", tokKey, true, false, 3)
	a.pats[len(a.pats)-1].field = fProvider
	// Rows are anchored on the separator after the level, which is rare.
	for _, l := range rowLevels {
		for _, sep := range []string{"\t", ",", "\","} {
			a.addAt(l+sep, tokRow, true, false, len(l)-1)
		}
	}
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" && !strings.Contains(strings.ToLower(n), "writer") {
			a.add(n, tokLiteral, true, true)
		}
	}
	for _, e := range extra {
		if e = strings.TrimSpace(e); e != "" && !a.covered(e) {
			a.add(e, tokLiteral, true, false)
		}
	}
	// '{' starts a GUID whatever stands before it.
	id := int32(len(a.pats))
	a.pats = append(a.pats, pattern{text: []byte("{"), kind: tokGUID, off: -1, token: true})
	a.pats[id].setHead()
	for x := range 256 {
		a.link(uint16(x)<<8|'{', id)
	}
	a.compact()
	for c := range 256 {
		l := a.at(uint16('\n')<<8 | uint16(c))
		a.keyAlone[c] = len(l) == 1 && l[0] == a.keyPat
	}
	a.filter = func() *bigramFilter { return nil }
	if bigramSIMD() {
		a.filter = sync.OnceValue(func() *bigramFilter { return newBigramFilter(&a.hit) })
	}
	return a
}

// lineKey returns the record field of the key that starts b (a line and
// what follows it), or fNone, and where the value starts after the
// separator. It accepts what splitKey reads as that key when the key is
// written with single blanks (splitKey also takes runs of blanks, on lines
// read for other reasons): blanks, then a colon, a fullwidth colon, or "="
// after a blank; wevtutil's "Event[N]:" too. It runs on most lines of an
// event export, so a line is compared only with the keys of its first two
// bytes.
func (a *anchors) lineKey(b []byte) (evField, int) {
	if !a.keyStart(b) {
		return fNone, 0
	}
	c1 := lower(b[1])
	for _, k := range a.keys[lower(b[0])] {
		if k.text[1] != c1 || len(b) >= 8 && k.head.rejects(b, 0) || !hasFold(b, 0, k.text) {
			continue
		}
		i := len(k.text)
		for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
		switch {
		case i >= len(b):
		case b[i] == ':', b[i] == '=' && i > len(k.text) && b[i-1] == ' ':
			return k.field, i + 1
		case b[i] == 0xef && i+2 < len(b) && b[i+1] == 0xbc && b[i+2] == 0x9a: // '：'
			return k.field, i + 3
		}
	}
	if hasFold(b, 0, "event[") {
		return a.wevtKey(b)
	}
	return fNone, 0
}

// keyStart reports whether b's first two bytes can start a record key.
func (a *anchors) keyStart(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	c := lower(b[1])
	return a.second[lower(b[0])][c>>6]&(1<<(c&63)) != 0
}

// wevtKey reads wevtutil's "Event[N]:" at the start of b.
func (a *anchors) wevtKey(b []byte) (evField, int) {
	if end := bytes.IndexByte(b, '\n'); end >= 0 {
		b = b[:end]
	}
	if wevtStart(b) {
		return fWevt, len(b)
	}
	return fNone, 0
}

// covered reports whether text already contains a pattern that would make
// its line a candidate.
func (a *anchors) covered(text string) bool {
	l := strings.ToLower(text)
	for _, w := range []string{"writer", "ライター", "vss_", "0x", "exit", "xception"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// add registers a pattern anchored on its rarest bigram.
func (a *anchors) add(text string, kind tokKind, fold, word bool) {
	a.addAt(text, kind, fold, word, -1)
}

// addAt registers a pattern anchored on the bigram at off (-1: the rarest).
func (a *anchors) addAt(text string, kind tokKind, fold, word bool, off int) {
	if len(text) < 2 {
		return
	}
	p := pattern{text: []byte(text), kind: kind, fold: fold, word: word, off: off}
	switch kind {
	case tokKey, tokRow, tokWriter:
	case tokLiteral:
		p.token = tokenLiterals[strings.ToLower(text)]
	default:
		p.token = true
	}
	if fold {
		p.text = appendLower(nil, p.text)
	}
	if p.off < 0 {
		p.off = rarestBigram(p.text)
	}
	p.setHead()
	id := int32(len(a.pats))
	a.pats = append(a.pats, p)
	for _, x := range caseVariants(p.text[p.off], fold) {
		for _, y := range caseVariants(p.text[p.off+1], fold) {
			a.link(uint16(x)<<8|uint16(y), id)
		}
	}
}

// link files pattern id under bigram bg.
func (a *anchors) link(bg uint16, id int32) {
	if a.index[bg] == 0 {
		a.lists = append(a.lists, nil)
		a.index[bg] = uint16(len(a.lists))
	}
	l := &a.lists[a.index[bg]-1]
	for _, x := range *l {
		if x == id {
			return
		}
	}
	*l = append(*l, id)
	a.hit[bg] = true
}

// at returns the patterns anchored on bigram bg.
func (a *anchors) at(bg uint16) []int32 {
	if i := a.index[bg]; i > 0 {
		return a.lists[i-1]
	}
	return nil
}

// compact shares the lists of bigrams anchored on the same single pattern
// (the key pattern's dozens of line starts, a GUID's 256 bigrams): fewer
// lists stay in cache on the hot path.
func (a *anchors) compact() {
	solo := map[int32]uint16{}
	var lists [][]int32
	for bg, i := range a.index {
		if i == 0 {
			continue
		}
		l := a.lists[i-1]
		if len(l) == 1 {
			if j, ok := solo[l[0]]; ok {
				a.index[bg] = j
				continue
			}
		}
		lists = append(lists, l)
		a.index[bg] = uint16(len(lists))
		if len(l) == 1 {
			solo[l[0]] = a.index[bg]
		}
	}
	a.lists = lists
}

func caseVariants(c byte, fold bool) []byte {
	if fold && c >= 'a' && c <= 'z' {
		return []byte{c, c - 'a' + 'A'}
	}
	return []byte{c}
}

// rarestBigram picks the offset of the bigram of text least likely to
// occur in logs, by a coarse byte commonness score and a list of common
// English bigrams.
func rarestBigram(text []byte) int {
	best, bestScore := 0, 1<<30
	for i := 0; i+1 < len(text); i++ {
		s := commonness(text[i]) + commonness(text[i+1])
		if commonBigrams[[2]byte{lower(text[i]), lower(text[i+1])}] {
			s += 6
		}
		if s < bestScore {
			best, bestScore = i, s
		}
	}
	return best
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// commonBigrams are frequent in English text and file names.
var commonBigrams = map[[2]byte]bool{
	{'t', 'h'}: true, {'h', 'e'}: true, {'i', 'n'}: true, {'e', 'r'}: true, {'a', 'n'}: true, {'r', 'e'}: true,
	{'o', 'n'}: true, {'a', 't'}: true, {'e', 'n'}: true, {'n', 'd'}: true, {'t', 'i'}: true, {'e', 's'}: true,
	{'o', 'r'}: true, {'t', 'e'}: true, {'o', 'f'}: true, {'e', 'd'}: true, {'i', 's'}: true, {'i', 't'}: true,
	{'a', 'l'}: true, {'a', 'r'}: true, {'s', 't'}: true, {'t', 'o'}: true, {'n', 't'}: true, {'n', 'g'}: true,
	{'s', 'e'}: true, {'h', 'a'}: true, {'a', 's'}: true, {'o', 'u'}: true, {'i', 'o'}: true, {'l', 'e'}: true,
	{'v', 'e'}: true, {'c', 'o'}: true, {'m', 'e'}: true, {'d', 'e'}: true, {'h', 'i'}: true, {'r', 'i'}: true,
	{'r', 'o'}: true, {'i', 'c'}: true, {'n', 'e'}: true, {'e', 'a'}: true, {'r', 'a'}: true, {'c', 'e'}: true,
	{'l', 'i'}: true, {'c', 'h'}: true, {'l', 'l'}: true, {'b', 'e'}: true, {'m', 'a'}: true, {'s', 'i'}: true,
	{'o', 'm'}: true, {'u', 'r'}: true, {'e', 'x'}: true, {'x', 'e'}: true, {'p', 'p'}: true, {'p', 'l'}: true,
	{'c', 'a'}: true, {'a', 'p'}: true,
}

func commonness(c byte) int {
	switch c {
	case ' ':
		return 7
	case 'e', 't', 'a', 'o', 'i', 'n', 's', 'h', 'r':
		return 6
	case 'd', 'l', 'c', 'u':
		return 5
	case 'm', 'w', 'f', 'g', 'y', 'p', 'b':
		return 4
	case 'v', 'k', 'j', 'x', 'q', 'z':
		return 2
	}
	switch {
	case c >= '0' && c <= '9':
		return 4
	case c >= 0xe3 && c <= 0xe9: // lead bytes of kana and kanji
		return 7
	case c >= 0x80 && c < 0xc0:
		return 4
	case c >= 'A' && c <= 'Z':
		return 3
	case c == '-' || c == ':' || c == '.' || c == '/' || c == '\\':
		return 4
	}
	return 2
}

// hasPattern reports whether p matches data at start.
func hasPattern(data []byte, start int, p *pattern) bool {
	if start >= 0 && start+8 <= len(data) {
		// Most hits fail in their first eight bytes: one compare.
		if p.head.rejects(data, start) {
			return false
		}
		if len(p.text) <= 8 {
			return true
		}
	}
	if !p.fold {
		return start >= 0 && start+len(p.text) <= len(data) && bytes.Equal(data[start:start+len(p.text)], p.text)
	}
	return hasFold(data, start, p.text)
}

// hasFold reports whether the lowercase w stands at data[start:], ignoring
// ASCII case.
func hasFold[S ~string | ~[]byte](data []byte, start int, w S) bool {
	if start < 0 || start+len(w) > len(data) {
		return false
	}
	s := data[start : start+len(w)]
	for i := range len(w) {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}
