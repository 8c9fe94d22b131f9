package answer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vssbot/vssbot/lang"
)

func TestCut(t *testing.T) {
	long := strings.Repeat("x", 40)
	tests := []struct {
		name     string
		lines    []string
		maxLines int
		maxChars int
		l        lang.Tag
		want     []string
	}{
		{"fits", []string{"a", "b"}, 2, 3, lang.English, []string{"a", "b"}},
		{"empty", nil, 5, 5, lang.English, nil},
		{"no limits", []string{"a", "b", "c"}, 0, 0, lang.English, []string{"a", "b", "c"}},
		{"too many lines", []string{"a", "b", "c", "d"}, 3, 0, lang.English, []string{"a", "b", "… and 2 more"}},
		{"too many lines ja", []string{"a", "b", "c", "d"}, 3, 0, lang.Japanese, []string{"a", "b", "…ほか 2 件"}},
		{"one line allowed", []string{"a", "b"}, 1, 0, lang.English, []string{"… and 2 more"}},
		{"too many chars", []string{"aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"}, 0, 25, lang.English, []string{"aaaaaaaaaa", "… and 2 more"}},
		{"last line shortened", []string{"ab", long}, 0, 40, lang.English, []string{"ab", strings.Repeat("x", 36) + "…"}},
		{"middle line shortened", []string{"ab", long, "c"}, 0, 40, lang.English, []string{"ab", strings.Repeat("x", 23) + "…", "… and 1 more"}},
		{"line too short to show in part", []string{"ab", long, "c"}, 0, 28, lang.English, []string{"ab", "… and 2 more"}},
		{"notice itself too long", []string{long, long}, 0, 5, lang.English, []string{"… an…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Cut(tt.lines, tt.maxLines, tt.maxChars, tt.l)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") || len(got) != len(tt.want) {
				t.Errorf("Cut = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"日本語です", 3, "日本…"},
		{"日本語", 3, "日本語"},
		{"abc", 1, "…"},
		{"abc", 0, ""},
		{"abc", -1, ""},
		{"", 2, ""},
	}
	for _, tt := range tests {
		if got := Truncate(tt.s, tt.max); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.s, tt.max, got, tt.want)
		}
	}
}

func FuzzCut(f *testing.F) {
	f.Add("a\nbb\nccc", 2, 5)
	f.Add("日本語\n\xff\xfe\nline", 1, 3)
	f.Fuzz(func(t *testing.T, text string, maxLines, maxChars int) {
		if maxLines > 1000 || maxChars > 100000 {
			t.Skip()
		}
		lines := strings.Split(text, "\n")
		got := Cut(lines, maxLines, maxChars, lang.Japanese)
		if maxLines > 0 && len(got) > maxLines {
			t.Fatalf("%d lines, limit %d", len(got), maxLines)
		}
		if maxChars > 0 && joinedLen(got) > maxChars {
			t.Fatalf("%d chars, limit %d: %q", joinedLen(got), maxChars, got)
		}
		for _, l := range got {
			if utf8.ValidString(text) && !utf8.ValidString(l) {
				t.Fatalf("invalid UTF-8 from valid input: %q", l)
			}
		}
	})
}

func FuzzTruncate(f *testing.F) {
	f.Add("日本語のテキスト", 4)
	f.Fuzz(func(t *testing.T, s string, max int) {
		got := Truncate(s, max)
		if n := utf8.RuneCountInString(got); n > max && max >= 0 {
			t.Fatalf("Truncate(%q, %d) has %d runes", s, max, n)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Truncate split a rune: %q", got)
		}
	})
}
