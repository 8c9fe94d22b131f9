package parse

import "unicode/utf8"

// jpSample bounds the decoded bytes inspected to decide the language.
const jpSample = 64 << 10

// countLetters adds to c the Japanese (kana, kanji) and Latin letters of b.
func (c *collector) countLetters(b []byte) {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			c.latin++
		case r >= 0x3040 && r <= 0x30ff, // hiragana, katakana
			r >= 0x4e00 && r <= 0x9fff, // CJK unified ideographs
			r >= 0xff66 && r <= 0xff9f: // half-width katakana
			c.jp++
		}
	}
}

// isJapanese says whether the sample is meaningfully Japanese. A Japanese
// letter carries about as much as a Latin word, so one in ten letters being
// kana or kanji already marks a Japanese text (vssadmin on Japanese Windows
// has Japanese labels around English writer names and GUIDs).
func isJapanese(jp, latin int) bool {
	return jp > 0 && jp*10 >= jp+latin
}
