package knowledge

import (
	"maps"
	"slices"
	"strings"

	"github.com/vssbot/vssbot/parse"
)

// phraseEntry lists the texts that stand for a code when a log gives no
// code: message texts (English and Japanese, as Windows and backup products
// print them) and .NET exception type names (AlphaVSS). The parser matches
// them as phrases; it never guesses.
type phraseEntry struct {
	Code       string   `yaml:"code"`
	Texts      []string `yaml:"texts"`
	Exceptions []string `yaml:"exceptions"`
	// Labels are vssadmin's "Last error" words for the code in each
	// language the parser reads; Words are short words a person types
	// for it (タイムアウト). Both serve lookups only: the parser reads
	// labels in their place and words are too loose for a log.
	Labels []string `yaml:"labels"`
	Words  []string `yaml:"words"`
	at     position
}

// Phrases lists every phrase for the parser, in a stable order.
func (b *Base) Phrases() []parse.Phrase {
	var out []parse.Phrase
	for _, code := range slices.Sorted(maps.Keys(b.phrases)) {
		p := b.phrases[code]
		for _, t := range p.Texts {
			out = append(out, parse.Phrase{Text: t, Code: code})
		}
		for _, e := range p.Exceptions {
			out = append(out, parse.Phrase{Text: e, Code: code, Exception: true})
		}
	}
	return out
}

// KnowsEvent reports whether the base explains the event, so the parser
// can leave out unknown events that do not say error.
func (b *Base) KnowsEvent(provider string, id int) bool {
	p := providerKey(provider)
	if _, ok := b.events[eventKey{p, id}]; ok {
		return true
	}
	// Exports name providers in full ("Microsoft-Windows-Backup").
	for k := range b.events {
		if k.id == id && (strings.HasSuffix(p, "-"+k.provider) || strings.HasSuffix(k.provider, "-"+p)) {
			return true
		}
	}
	return false
}

// WriterIDs lists the known writer GUIDs (lowercase, braced), so the
// parser can tell a writer's GUID from a volume's without asking per GUID.
func (b *Base) WriterIDs() []string {
	return slices.Sorted(maps.Keys(b.writers))
}

// Codes lists the codes the base names (canonical), so the parser can tell
// a known code from random hex without a call per value.
func (b *Base) Codes() []string {
	return slices.Sorted(maps.Keys(b.codes))
}
