package knowledge

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vssbot/vssbot/lang"
)

// lastErrorPrefixes are vssadmin's "Last error" labels in the languages the
// parser reads; a pasted line keeps them.
var lastErrorPrefixes = []string{"last error", "最後のエラー", "letzter fehler", "dernière erreur"}

// pastedText normalises what a person pastes for comparison with message
// texts and labels: lower case, one space between words, full-width colons
// and closing punctuation dropped, vssadmin's "Last error:" label cut off.
// labelled reports whether that label was there.
func pastedText(q string) (text string, labelled bool) {
	q = strings.ToLower(strings.Join(strings.Fields(q), " "))
	q = strings.ReplaceAll(q, "：", ":")
	for _, p := range lastErrorPrefixes {
		if rest, ok := strings.CutPrefix(q, p); ok {
			if rest, ok = strings.CutPrefix(strings.TrimSpace(rest), ":"); ok {
				q, labelled = rest, true
				break
			}
		}
	}
	return strings.Trim(strings.TrimSpace(q), ".。!！ "), labelled
}

// minContained is how long a query must be, in runes, before a message
// text that merely contains it counts: shorter words match too much.
const (
	minContainedLatin    = 12
	minContainedJapanese = 5
)

// resolvePasted answers a pasted message text, .NET exception name or
// vssadmin "Last error" label with the code it stands for.
func (b *Base) resolvePasted(query string) []hit {
	q, labelled := pastedText(query)
	if q == "" {
		return nil
	}
	var byLabel, byException, byText, byPart []string
	exception := q[strings.LastIndexByte(q, '.')+1:]
	long := utf8.RuneCountInString(q) >= minContainedLatin ||
		(lang.HasJapanese(q) && utf8.RuneCountInString(q) >= minContainedJapanese)
	for _, code := range b.phraseCodes() {
		p := b.phrases[code]
		if slices.ContainsFunc(p.Labels, func(l string) bool { return norm(l) == q }) {
			byLabel = append(byLabel, code)
		}
		if slices.ContainsFunc(p.Exceptions, func(e string) bool { return strings.EqualFold(e, exception) }) {
			byException = append(byException, code)
		}
		for _, t := range p.Texts {
			t = norm(t)
			switch {
			case strings.Contains(q, t):
				byText = append(byText, code)
			case long && strings.Contains(t, q):
				byPart = append(byPart, code)
			default:
				continue
			}
			break
		}
	}
	for _, n := range b.win32Numbers() {
		w := b.win32[n]
		for _, t := range []string{norm(w.Message.EN), norm(w.Message.JA)} {
			if t == q || (long && strings.Contains(q, t)) {
				byText = append(byText, win32HRESULT(n))
				break
			}
		}
	}
	if labelled && len(byLabel) == 0 {
		byLabel = b.labelsWithin(q)
	}
	for _, codes := range [][]string{byLabel, byException, byText, byPart} {
		if len(codes) > 0 && len(codes) <= maxPartial {
			return b.codeHits(codes)
		}
	}
	return nil
}

// labelsWithin finds the label a labelled query holds, the longest first,
// as the parser does ("non-retryable error" is not "retryable error").
func (b *Base) labelsWithin(q string) []string {
	best, code := 0, ""
	for _, c := range b.phraseCodes() {
		for _, l := range b.phrases[c].Labels {
			if l = norm(l); len(l) > best && strings.Contains(q, l) {
				best, code = len(l), c
			}
		}
	}
	if code == "" {
		return nil
	}
	return []string{code}
}

// resolveWord answers a Japanese word with the codes whose words, labels,
// message texts or Japanese titles hold it, in that order of trust: a word
// a person types (タイムアウト) stands for one code before it appears in
// the title of several.
func (b *Base) resolveWord(query string) []hit {
	q, _ := pastedText(query)
	if !lang.HasJapanese(q) || utf8.RuneCountInString(q) < 2 {
		return nil
	}
	var words, labels, texts, titles []string
	for _, code := range b.phraseCodes() {
		p := b.phrases[code]
		has := func(list []string) bool {
			return slices.ContainsFunc(list, func(s string) bool { return strings.Contains(norm(s), q) })
		}
		switch {
		case has(p.Words):
			words = append(words, code)
		case has(p.Labels):
			labels = append(labels, code)
		case has(p.Texts):
			texts = append(texts, code)
		}
	}
	for _, code := range b.codeList() {
		if strings.Contains(norm(b.codes[code].Title.JA), q) {
			titles = append(titles, code)
		}
	}
	for _, codes := range [][]string{words, labels, texts, titles} {
		if len(codes) > 0 {
			return b.codeHits(codes[:min(len(codes), maxPartial)])
		}
	}
	return nil
}

func norm(s string) string { t, _ := pastedText(s); return t }

// codeHits is the entries of codes the base holds, in order.
func (b *Base) codeHits(codes []string) []hit {
	out := make([]hit, 0, len(codes))
	for _, c := range codes {
		if e, ok := b.codes[c]; ok && !slices.ContainsFunc(out, func(h hit) bool { return h.code == e }) {
			out = append(out, hit{code: e})
		}
	}
	return out
}

// phraseCodes lists the codes with phrases, sorted, for stable answers.
func (b *Base) phraseCodes() []string {
	out := make([]string, 0, len(b.phrases))
	for c := range b.phrases {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// win32Numbers lists the Win32 errors of the table, sorted.
func (b *Base) win32Numbers() []int {
	out := make([]int, 0, len(b.win32))
	for n := range b.win32 {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
