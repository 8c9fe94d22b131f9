package parse

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// Rendered event XML (wevtutil qe /f:xml, Get-WinEvent's ToXml) puts each
// record on one line of a kilobyte or more, and an export holds thousands.
// Its fields are found with plain searches, which read a record at memory
// speed; each function matches what the regular expression in its comment
// would (TestXMLFieldsMatchRegexps).

// isXMLSpace is \s of Go's regexp syntax.
func isXMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// xmlStart returns the index of the first `<Event[\s>]` in b, or -1.
func xmlStart(b []byte) int {
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte("<Event"))
		if i < 0 {
			return -1
		}
		i += off
		if j := i + len("<Event"); j < len(b) && (isXMLSpace(b[j]) || b[j] == '>') {
			return i
		}
		off = i + 1
	}
}

// xmlProvider returns the name of `<Provider\s[^>]*Name=['"]([^'"]+)['"]`:
// within the first Provider tag that has one, the last Name attribute
// (EventSourceName counts, as the greedy expression takes it).
func xmlProvider(b []byte) []byte {
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte("<Provider"))
		if i < 0 {
			return nil
		}
		i += off
		off = i + 1
		rest := b[i+len("<Provider"):]
		if len(rest) == 0 || !isXMLSpace(rest[0]) {
			continue
		}
		// Name= stands inside the tag; its value may run past a '>'.
		tag := rest
		if end := bytes.IndexByte(rest, '>'); end >= 0 {
			tag = rest[:end]
		}
		for k := len(tag); k > 0; {
			n := bytes.LastIndex(tag[:k], []byte("Name="))
			if n < 0 {
				break
			}
			k = n
			if v := quoted(rest[n+len("Name="):]); v != nil {
				return v
			}
		}
	}
}

// quoted returns the non-empty text between a quote at the start of b and
// the next quote of either kind, as ['"]([^'"]+)['"] reads it.
func quoted(b []byte) []byte {
	if len(b) < 3 || b[0] != '\'' && b[0] != '"' {
		return nil
	}
	end := bytes.IndexAny(b[1:], `'"`)
	if end <= 0 {
		return nil
	}
	return b[1 : 1+end]
}

// xmlAttr returns the value of `name=['"]([^'"]+)['"]`, name including
// its "=".
func xmlAttr(b []byte, name string) []byte {
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte(name))
		if i < 0 {
			return nil
		}
		i += off
		if v := quoted(b[i+len(name):]); v != nil {
			return v
		}
		off = i + 1
	}
}

// xmlNumber returns the digits of `open[^>]*>\s*(\d+)\s*close` when
// attrs, or of `open>\s*(\d+)\s*close` when not; maxDigits > 0 bounds
// their count (the Level element holds one).
func xmlNumber(b []byte, open, close string, attrs bool, maxDigits int) []byte {
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte(open))
		if i < 0 {
			return nil
		}
		i += off
		off = i + 1
		j := i + len(open)
		if attrs {
			gt := bytes.IndexByte(b[j:], '>')
			if gt < 0 {
				return nil
			}
			j += gt
		}
		if j >= len(b) || b[j] != '>' {
			continue
		}
		j++
		for j < len(b) && isXMLSpace(b[j]) {
			j++
		}
		d := j
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		if j == d || maxDigits > 0 && j-d > maxDigits {
			continue
		}
		digits := b[d:j]
		for j < len(b) && isXMLSpace(b[j]) {
			j++
		}
		if bytes.HasPrefix(b[j:], []byte(close)) {
			return digits
		}
	}
}

// xmlEntities are XML's predefined entities.
var xmlEntities = map[string]byte{"lt": '<', "gt": '>', "amp": '&', "apos": '\'', "quot": '"'}

// xmlUnescape appends b to dst with its character and entity references
// decoded; a reference it cannot read is kept as written.
func xmlUnescape(dst, b []byte) []byte {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:i]...)
		b = b[i:]
		end := bytes.IndexByte(b[:min(len(b), 12)], ';')
		if end < 0 {
			dst = append(dst, '&')
			b = b[1:]
			continue
		}
		name := string(b[1:end])
		if c, ok := xmlEntities[name]; ok {
			dst = append(dst, c)
		} else if r, ok := charRef(name); ok {
			dst = utf8.AppendRune(dst, r)
		} else {
			dst = append(dst, b[:end+1]...)
		}
		b = b[end+1:]
	}
	return dst
}

// charRef reads the name of a character reference: #65 or #x41.
func charRef(name string) (rune, bool) {
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	base, digits := 10, name[1:]
	if digits[0] == 'x' || digits[0] == 'X' {
		base, digits = 16, digits[1:]
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || n > utf8.MaxRune {
		return 0, false
	}
	return rune(n), true
}

// xmlEnds returns where "</System>" and "</Event>" first stand in b, -1
// for none, in one walk over its closing tags; a "</System>" after the
// first "</Event>" belongs to the next record and is not returned.
func xmlEnds(b []byte) (sys, end int) {
	sys = -1
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte("</"))
		if i < 0 {
			return sys, -1
		}
		i += off
		off = i + 2
		switch rest := b[off:]; {
		case sys < 0 && bytes.HasPrefix(rest, []byte("System>")):
			sys = i
		case bytes.HasPrefix(rest, []byte("Event>")):
			return sys, i
		}
	}
}
