// Package knowledge is the bilingual knowledge base of VSS and backup failure
// codes, writers, writer states and event IDs, and the diagnosis that joins a
// parser's findings to its entries. Its entries are YAML data embedded in the
// binary, overlaid by an operator's directory.
package knowledge

import (
	"github.com/vssbot/vssbot/parse"
)

// Lang is an answer language.
type Lang string

// Languages.
const (
	Japanese Lang = "ja"
	English  Lang = "en"
	Auto     Lang = "auto"
)

// Text is one sentence or paragraph in both languages.
type Text struct {
	JA string `yaml:"ja" json:"ja"`
	EN string `yaml:"en" json:"en"`
}

// In returns the text in lang (English for anything but Japanese).
func (t Text) In(lang Lang) string {
	if lang == Japanese && t.JA != "" {
		return t.JA
	}
	return t.EN
}

// Reference is a document that backs an entry.
type Reference struct {
	Title string `yaml:"title" json:"title"`
	URL   string `yaml:"url" json:"url"`
}

// Base is the loaded knowledge base. It is read-only after Load and safe for
// concurrent use. It implements parse.Vocabulary.
type Base struct {
	// filled in by the implementation
}

var _ parse.Vocabulary = (*Base)(nil)

// Load reads the embedded entries and, when overlayDir is not empty, the YAML
// files of that directory over them (an overlay entry with the same key
// replaces the embedded one).
func Load(overlayDir string) (*Base, error) {
	panic("knowledge: not implemented yet")
}

// NameOf implements parse.Vocabulary.
func (b *Base) NameOf(code string) string { panic("knowledge: not implemented yet") }

// CodeOf implements parse.Vocabulary.
func (b *Base) CodeOf(name string) (string, bool) { panic("knowledge: not implemented yet") }

// WriterNames implements parse.Vocabulary.
func (b *Base) WriterNames() []string { panic("knowledge: not implemented yet") }

// WriterByID implements parse.Vocabulary.
func (b *Base) WriterByID(id string) (string, bool) { panic("knowledge: not implemented yet") }
