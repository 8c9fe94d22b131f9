package bot

import (
	"strings"
	"unicode/utf8"
)

const (
	// pastedRunes is the length from which a command's text is read as a
	// pasted log rather than a list of codes.
	pastedRunes = 256
	// maxQueries bounds the lookups one command may ask for.
	maxQueries = 25
)

// isPasted reports whether a command's text is a log pasted after /vss.
func isPasted(text string) bool {
	return strings.ContainsAny(text, "\r\n") || utf8.RuneCountInString(text) >= pastedRunes
}

// splitQueries cuts a command's text into lookup queries. Commas separate
// queries; inside a comma-separated piece each code-like word is a query of
// its own and the words between them stay together, so
// "0x800423f2 0x800423f3" is two queries while "System Writer" and
// "event 8229" are one each.
func splitQueries(text string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(q string) {
		k := strings.ToLower(q)
		if q == "" || seen[k] || len(out) >= maxQueries {
			return
		}
		seen[k] = true
		out = append(out, q)
	}
	pieces := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == '、' || r == '，' || r == ';' })
	for _, piece := range pieces {
		var words []string
		for _, w := range strings.Fields(piece) {
			if codeLike(w) {
				add(strings.Join(words, " "))
				words = words[:0]
				add(w)
				continue
			}
			words = append(words, w)
		}
		add(strings.Join(words, " "))
	}
	return out
}

// codeLike reports whether a word is a code on its own: a hex HRESULT, a
// negative exit code, or a symbolic VSS/COM name.
func codeLike(w string) bool {
	lw := strings.ToLower(w)
	switch {
	case strings.HasPrefix(lw, "0x"):
		return true
	case strings.HasPrefix(lw, "vss_"), strings.HasPrefix(lw, "e_"), strings.HasPrefix(lw, "s_"):
		return true
	case len(w) > 1 && w[0] == '-' && allDigits(w[1:]):
		return true
	case len(w) == 8 && allHex(w):
		return true
	}
	return false
}

func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func allHex(s string) bool {
	return s != "" && strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}
