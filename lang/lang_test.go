package lang

import "testing"

func TestHasJapanese(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"", false},
		{"Exit Code -311", false},
		{"バックアップ", true},
		{"ﾊﾞｯｸｱｯﾌﾟ", true}, // half-width katakana
		{"失敗", true},
		{"ひらがな", true},
		{"ー", true},
		{"Ünïcödé ©", false},
		{"한국어", false},
	}
	for _, tt := range tests {
		if got := HasJapanese(tt.s); got != tt.want {
			t.Errorf("HasJapanese(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestLetters(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"", false},
		{"System Writer failed at freeze", false},
		{"ライター名: 'System Writer' 状態: [9] 失敗", true},
		{"Writer name: 'System Writer' with one ア among many many latin letters here", false},
	}
	for _, tt := range tests {
		var l Letters
		l.Count([]byte(tt.s))
		if got := l.Mostly(); got != tt.want {
			t.Errorf("Letters(%q) = %+v, Mostly %v, want %v", tt.s, l, got, tt.want)
		}
	}
}

func TestChooseAndPick(t *testing.T) {
	if Auto.Choose(true) != Japanese || Auto.Choose(false) != English || Tag("").Choose(true) != Japanese {
		t.Error("Auto not resolved by the evidence")
	}
	if English.Choose(true) != English || Japanese.Choose(false) != Japanese {
		t.Error("a chosen language was overridden")
	}
	if Japanese.Pick("a", "あ") != "あ" || English.Pick("a", "あ") != "a" || Auto.Pick("a", "あ") != "a" {
		t.Error("Pick chose the wrong sentence")
	}
	for in, want := range map[string]Tag{" JA ": Japanese, "en": English, "Auto": Auto} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := Parse("fr"); ok {
		t.Error("Parse accepted fr")
	}
}
