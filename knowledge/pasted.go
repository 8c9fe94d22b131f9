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

func norm(s string) string { t, _ := pastedText(s); return t }

// minContained is how long a query must be, in runes, before a message
// text that merely contains it counts: shorter words match too much.
const (
	minContainedLatin    = 12
	minContainedJapanese = 5
)

// said is one normalised text that stands for a code.
type said struct{ text, code string }

// pastedIndex holds the normalised texts that stand for codes, built once
// with the base so that a lookup compares, not normalises.
type pastedIndex struct {
	labels     []said // vssadmin "Last error" labels
	exceptions []said // .NET exception names, lower case
	texts      []said // message texts of phrases
	messages   []said // Win32 messages, English and Japanese
	words      []said // typed words
	titlesJA   []said // Japanese titles of code entries
}

// pasted is the index, built on first use.
func (b *Base) pasted() *pastedIndex {
	b.pastedOnce.Do(func() { b.pastedIdx = b.indexPasted() })
	return b.pastedIdx
}

// indexPasted builds the index from the final entries, in code order.
func (b *Base) indexPasted() *pastedIndex {
	x := &pastedIndex{}
	for _, code := range b.phraseCodes() {
		p := b.phrases[code]
		for _, l := range p.Labels {
			x.labels = append(x.labels, said{norm(l), code})
		}
		for _, e := range p.Exceptions {
			x.exceptions = append(x.exceptions, said{strings.ToLower(e), code})
		}
		for _, t := range p.Texts {
			x.texts = append(x.texts, said{norm(t), code})
		}
		for _, w := range p.Words {
			x.words = append(x.words, said{norm(w), code})
		}
	}
	for _, n := range b.win32Numbers() {
		w := b.win32[n]
		x.messages = append(x.messages, said{norm(w.Message.EN), win32HRESULT(n)}, said{norm(w.Message.JA), win32HRESULT(n)})
	}
	for _, code := range b.codeList() {
		if t := norm(b.codes[code].Title.JA); lang.HasJapanese(t) {
			x.titlesJA = append(x.titlesJA, said{t, code})
		}
	}
	return x
}

// codesWhere lists, in order and once each, the codes of the texts that
// match.
func codesWhere(list []said, match func(text string) bool) []string {
	var out []string
	for _, s := range list {
		if match(s.text) && !slices.Contains(out, s.code) {
			out = append(out, s.code)
		}
	}
	return out
}

// resolvePasted answers a pasted message text, .NET exception name or
// vssadmin "Last error" label with the code it stands for.
func (b *Base) resolvePasted(query string) []hit {
	q, labelled := pastedText(query)
	if q == "" {
		return nil
	}
	x := b.pasted()
	exception := q[strings.LastIndexByte(q, '.')+1:]
	long := utf8.RuneCountInString(q) >= minContainedLatin ||
		(lang.HasJapanese(q) && utf8.RuneCountInString(q) >= minContainedJapanese)
	byLabel := codesWhere(x.labels, func(t string) bool { return t == q })
	if labelled && len(byLabel) == 0 {
		byLabel = labelWithin(x.labels, q)
	}
	candidates := [][]string{
		byLabel,
		codesWhere(x.exceptions, func(t string) bool { return t == exception }),
		codesWhere(x.texts, func(t string) bool { return strings.Contains(q, t) }),
		codesWhere(x.messages, func(t string) bool { return t == q || (long && strings.Contains(q, t)) }),
		codesWhere(x.texts, func(t string) bool { return long && strings.Contains(t, q) }),
	}
	for _, codes := range candidates {
		if len(codes) > 0 && len(codes) <= maxPartial {
			return b.codeHits(codes)
		}
	}
	return nil
}

// labelWithin finds the label a labelled query holds, the longest first,
// as the parser does ("non-retryable error" is not "retryable error").
func labelWithin(labels []said, q string) []string {
	best := said{}
	for _, l := range labels {
		if len(l.text) > len(best.text) && strings.Contains(q, l.text) {
			best = l
		}
	}
	if best.code == "" {
		return nil
	}
	return []string{best.code}
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
	x := b.pasted()
	holds := func(t string) bool { return strings.Contains(t, q) }
	for _, list := range [][]said{x.words, x.labels, x.texts, x.titlesJA} {
		if codes := codesWhere(list, holds); len(codes) > 0 {
			return b.codeHits(codes[:min(len(codes), maxPartial)])
		}
	}
	return nil
}

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
