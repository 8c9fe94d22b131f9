package knowledge

import (
	"regexp"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/lang"
)

// inconsistentTerms are Japanese spellings the base has settled: each
// pattern is the spelling not to use, with the one Microsoft's Japanese
// documentation uses. A program is not a person: it communicates, it is not
// contacted; a stuck writer is not 停止 (stopped).
var inconsistentTerms = []struct{ avoid, use string }{
	{`エラーコード`, "エラー コード"},
	{`販売元`, "ベンダー"},
	{`イベントログ`, "イベント ログ"},
	{`アプリケーションログ`, "アプリケーション ログ"},
	{`システムログ`, "システム ログ"},
	{`シャドウコピー`, "シャドウ コピー"},
	{`シャドーコピー|シャドー コピー`, "シャドウ コピー"},
	{`バックアップソフトウェア`, "バックアップ ソフトウェア"},
	{`リトライ`, "再試行"},
	{`サーバ([^ー]|$)`, "サーバー"},
	{`ユーザ([^ー]|$)`, "ユーザー"},
	{`フォルダ([^ー]|$)`, "フォルダー"},
	{`ドライバ([^ー]|$)`, "ドライバー"},
	{`プロバイダ([^ー]|$)`, "プロバイダー"},
	{`コンピュータ([^ー]|$)`, "コンピューター"},
	{`パラメータ([^ー]|$)`, "パラメーター"},
	{`して下さい`, "してください"},
	{`(ライター|プロバイダー|サービス)(へ|に)(の)?連絡`, "…との通信"},
	{`(ライター|プロバイダー|サービス)と連絡`, "…と通信"},
	{`停止したまま`, "この状態から抜け出せない / 失敗状態のまま"},
}

// japaneseTexts is every Japanese sentence the base shows, by where it is
// from. Win32 messages are left out: they are quoted as Windows prints them.
func japaneseTexts(b *Base) map[string][]string {
	out := map[string][]string{}
	for _, d := range allDiagnoses(b, lang.Japanese) {
		key := d.Kind + " " + cmpOr(d.Name, d.Code)
		if c := b.codes[d.Code]; d.Kind == kindHRESULT && c != nil && c.fromWin32 {
			continue // Windows' own words, quoted
		}
		out[key] = append(out[key], d.Title, d.Meaning)
		out[key] = append(out[key], d.Causes...)
		out[key] = append(out[key], d.Steps...)
		for _, r := range d.Resets {
			out[key] = append(out[key], r.Versions, r.Step)
		}
	}
	for _, s := range b.states {
		out["state "+s.Name] = append(out["state "+s.Name], s.Meaning.JA, s.Stage.JA)
	}
	return out
}

func TestJapaneseTermsConsistent(t *testing.T) {
	b := loadBase(t)
	texts := japaneseTexts(b)
	for _, term := range inconsistentTerms {
		re := regexp.MustCompile(term.avoid)
		for where, list := range texts {
			for _, s := range list {
				if m := re.FindString(s); m != "" {
					t.Errorf("%s: %q uses %q; write %s", where, s, m, term.use)
				}
			}
		}
	}
}

// TestInconsistentTermsDetected keeps the list biting: each pattern must
// catch a sample of the spelling it refuses.
func TestInconsistentTermsDetected(t *testing.T) {
	samples := map[string]string{
		`エラーコード`: "エラーコードを確認", `販売元`: "販売元に問い合わせ", `サーバ([^ー]|$)`: "サーバを再起動",
		`(ライター|プロバイダー|サービス)(へ|に)(の)?連絡`: "ライターへの連絡", `停止したまま`: "ライターが停止したままです",
	}
	for _, term := range inconsistentTerms {
		sample, ok := samples[term.avoid]
		if !ok {
			continue
		}
		if !regexp.MustCompile(term.avoid).MatchString(sample) {
			t.Errorf("pattern %q misses %q", term.avoid, sample)
		}
		if regexp.MustCompile(term.avoid).MatchString(strings.ReplaceAll(sample, sample, term.use)) && !strings.Contains(term.use, "…") {
			t.Errorf("pattern %q refuses its own replacement %q", term.avoid, term.use)
		}
	}
}

// parens are asides in a step, which may hold a sentence of their own.
var parens = regexp.MustCompile(`\s*[(（][^()（）]*[)）]`)

// TestJapaneseStepsAreInstructions: a step is an instruction; a statement
// belongs to the meaning, the causes or the warning. Every sentence of a
// Japanese step ends in ください (a closing parenthesis aside).
func TestJapaneseStepsAreInstructions(t *testing.T) {
	b := loadBase(t)
	check := func(where, step string) {
		t.Helper()
		if i := strings.Index(step, " ⚠ 注意"); i >= 0 {
			step = step[:i]
		}
		if strings.HasPrefix(step, "[") {
			if _, rest, ok := strings.Cut(step, "] "); ok {
				step = rest
			}
		}
		step = parens.ReplaceAllString(step, "")
		for _, s := range strings.Split(step, "。") {
			s = strings.TrimSpace(s)
			if s != "" && !strings.HasSuffix(s, "ください") {
				t.Errorf("%s: step mixes a statement into an instruction: %q", where, step)
				return
			}
		}
	}
	for _, d := range allDiagnoses(b, lang.Japanese) {
		for _, s := range d.Steps {
			check(d.Kind+" "+cmpOr(d.Name, d.Code), s)
		}
		for _, r := range d.Resets {
			check(d.Kind+" "+d.Name+" reset "+r.Versions, r.Step)
		}
	}
	for _, s := range []*stateEntry{b.states[5], b.states[9]} {
		for _, step := range stateDiagnosis(s, lang.Japanese).Steps {
			check("state "+s.Name, step)
		}
	}
}
