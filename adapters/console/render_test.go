package console_test

import (
	"bytes"
	"testing"

	"github.com/vssbot/vssbot/adapters/console"
	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/internal/chattest"
	"github.com/vssbot/vssbot/lang"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name   string
		reply  *answer.Outline
		golden string
	}{
		{"full en", &answer.Outline{
			Lang:     lang.English,
			Headline: "System Writer failed at freeze: 0x800423f2",
			Sections: []answer.Section{
				{Title: "0x800423f2 VSS_E_WRITERERROR_TIMEOUT: timed out", Lines: []string{"meaning", "two\nlines"}, Lists: []answer.List{{Label: "Steps", Items: []string{"first", "second"}, Numbered: true}}},
				{Title: "-311", Lines: []string{"exit code"}},
			},
			Details: answer.List{Label: "Details", Items: []string{"0x800423f2 ×3 (a.log:5)"}},
			Footer:  "vssbot",
		}, "render_full_en.golden"},
		{"full ja", &answer.Outline{
			Lang:     lang.Japanese,
			Headline: "見出し",
			Sections: []answer.Section{{Title: "題", Lists: []answer.List{{Label: "Steps", Items: []string{"手順1"}, Numbered: true}}}},
			Details:  answer.List{Label: "Details", Items: []string{"詳細1"}},
			Footer:   "vssbot",
		}, "render_full_ja.golden"},
		{"headline only", &answer.Outline{Lang: lang.English, Headline: "nothing found"}, "render_headline.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := console.Render(&b, tt.reply); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.golden, b.String())
		})
	}
	if err := console.Render(failWriter{}, &answer.Outline{Headline: "x"}); err == nil {
		t.Error("Render ignored a write error")
	}
}

// TestRenderAnswers lays out the answers every renderer shares, each
// against its golden file, none saying a fact twice.
func TestRenderAnswers(t *testing.T) {
	for _, c := range chattest.Cases(t) {
		t.Run(c.Name, func(t *testing.T) {
			var b bytes.Buffer
			if err := console.Render(&b, c.Outline); err != nil {
				t.Fatal(err)
			}
			golden(t, "answers/"+c.Name+".golden", b.String())
			chattest.SaidOnce(t, b.String(), c.Report)
		})
	}
}
