// Package lang is the one place that knows the answer languages: which
// language a text is written in, which language an answer takes, and the
// fixed sentences chosen by it. parse, knowledge and bot share it so that a
// message's language is decided by one rule.
package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tag is an answer language.
type Tag string

// Languages. Auto means "the language of the input".
const (
	Japanese Tag = "ja"
	English  Tag = "en"
	Auto     Tag = "auto"
)

// Parse accepts a configured language in any case and spacing; ok is false
// for anything but ja, en and auto.
func Parse(s string) (t Tag, ok bool) {
	t = Tag(strings.ToLower(strings.TrimSpace(s)))
	switch t {
	case Japanese, English, Auto:
		return t, true
	}
	return "", false
}

// Pick returns the sentence of t: ja for Japanese, en for anything else. The
// two are written side by side where they are used so neither can be
// forgotten.
func (t Tag) Pick(en, ja string) string {
	if t == Japanese {
		return ja
	}
	return en
}

// Choose turns Auto (or no language) into a concrete one: Japanese when
// japanese says the input is, else English. A concrete t is kept.
func (t Tag) Choose(japanese bool) Tag {
	if t != Auto && t != "" {
		return t
	}
	if japanese {
		return Japanese
	}
	return English
}

// IsJapanese reports whether r is a Japanese letter: hiragana, katakana
// (half-width and the prolonged sound mark included) or a kanji.
func IsJapanese(r rune) bool {
	if r < 0x3040 {
		return false
	}
	return unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) || r == 'ー' || r == 'ｰ'
}

// HasJapanese reports whether s holds any Japanese letter: one is enough
// for a short question such as a command's argument or a user's sentence.
func HasJapanese(s string) bool {
	return strings.IndexFunc(s, IsJapanese) >= 0
}

// Letters counts the Japanese and Latin letters of a sample, to decide the
// language of a longer text such as a log.
type Letters struct {
	Japanese, Latin int
}

// Count adds the letters of the UTF-8 bytes b.
func (l *Letters) Count(b []byte) {
	for len(b) > 0 {
		if c := b[0]; c < utf8.RuneSelf {
			if c|0x20 >= 'a' && c|0x20 <= 'z' {
				l.Latin++
			}
			b = b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		if IsJapanese(r) {
			l.Japanese++
		}
	}
}

// Mostly reports whether the sample is meaningfully Japanese. A Japanese
// letter carries about as much as a Latin word, so one in ten letters being
// kana or kanji already marks a Japanese text (vssadmin on Japanese Windows
// has Japanese labels around English writer names and GUIDs).
func (l Letters) Mostly() bool {
	return l.Japanese > 0 && l.Japanese*10 >= l.Japanese+l.Latin
}

// Spaced puts a space before a Japanese phrase that opens with a Latin word
// ("Freeze 時"), as Japanese typesetting does around Latin words.
func Spaced(s string) string {
	if r, _ := utf8.DecodeRuneInString(s); r < utf8.RuneSelf && unicode.IsLetter(r) {
		return " " + s
	}
	return s
}
