package slack

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/internal/chattest"
	"github.com/vssbot/vssbot/knowledge"
)

// TestRenderGolden renders each reply of testdata/render as a thread reply
// and as a slash command's two posts, checks Slack's limits, and compares
// the Block Kit JSON with the golden file.
func TestRenderGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "render", "*.reply.json"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".reply.json")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var r answer.Outline
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatal(err)
			}
			thread := render(&r)
			head, rest := renderSplit(&r)
			for _, m := range []message{thread, head, rest} {
				checkLimits(t, m)
			}
			if thread.empty() || head.empty() {
				t.Fatal("nothing rendered")
			}
			got := marshalGolden(t, map[string]message{"thread": thread, "slash_head": head, "slash_rest": rest})
			checkGolden(t, filepath.Join("testdata", "render", name+".golden.json"), got)
		})
	}
}

// checkLimits fails when m would be rejected by Slack: too many blocks, a
// header or a text over its length, a fallback too long.
func checkLimits(t *testing.T, m message) {
	t.Helper()
	if len(m.Blocks) > maxBlocks {
		t.Errorf("%d blocks, over %d", len(m.Blocks), maxBlocks)
	}
	if n := utf8.RuneCountInString(m.Text); n > maxFallbackChars {
		t.Errorf("fallback of %d characters", n)
	}
	raw, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []struct {
		Type     string `json:"type"`
		Text     *struct{ Text string }
		Elements []struct{ Text string }
	}
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatal(err)
	}
	for i, b := range blocks {
		limit := maxTextChars
		if b.Type == "header" {
			limit = maxHeaderChars
		}
		texts := []string{}
		if b.Text != nil {
			texts = append(texts, b.Text.Text)
		}
		for _, e := range b.Elements {
			texts = append(texts, e.Text)
		}
		for _, s := range texts {
			if n := utf8.RuneCountInString(s); n > limit || n == 0 {
				t.Errorf("block %d (%s): text of %d characters, limit %d", i, b.Type, n, limit)
			}
		}
	}
}

func TestRenderEscapesAndSplits(t *testing.T) {
	r := &answer.Outline{
		Lang:     knowledge.English,
		Headline: "System Writer failed",
		Sections: []answer.Section{
			{Title: "0x800423f2 <Unknown error code>", Lines: []string{"a & b"}, Lists: []answer.List{{Label: "Steps", Items: []string{"first", "second"}, Numbered: true}}},
			{Title: "0x8000ffff E_UNEXPECTED"},
		},
		Details: answer.List{Label: "Details", Items: []string{"found twice"}},
		Footer:  "vssbot",
	}
	head, rest := renderSplit(r)
	headJSON, restJSON := marshalGolden(t, head.Blocks), marshalGolden(t, rest.Blocks)
	for _, want := range []string{"System Writer failed", "0x800423f2 &lt;Unknown error code&gt;", "a &amp; b", "1. first", "2. second"} {
		if !strings.Contains(string(headJSON), want) {
			t.Errorf("head lacks %q: %s", want, headJSON)
		}
	}
	if strings.Contains(string(headJSON), "E_UNEXPECTED") || strings.Contains(string(headJSON), "found twice") {
		t.Errorf("head holds what belongs in the thread: %s", headJSON)
	}
	for _, want := range []string{"E_UNEXPECTED", "found twice", "vssbot"} {
		if !strings.Contains(string(restJSON), want) {
			t.Errorf("thread part lacks %q: %s", want, restJSON)
		}
	}
	if _, rest := renderSplit(&answer.Outline{Headline: "only", Sections: []answer.Section{{Title: "one"}}}); !rest.empty() {
		t.Errorf("a one-section reply got a thread part: %+v", rest)
	}
}

// FuzzRender checks that any reply, however long or odd, renders within
// Slack's limits.
func FuzzRender(f *testing.F) {
	f.Add("System Writer failed at freeze", "0x800423f2 <x>", "line & more", "step", "detail", uint8(2), false)
	f.Add(strings.Repeat("長い見出し", 40), strings.Repeat("t", 4000), strings.Repeat("l", 3500), "", "", uint8(60), true)
	f.Fuzz(func(t *testing.T, headline, title, line, step, detail string, sections uint8, ja bool) {
		r := &answer.Outline{Lang: knowledge.English, Headline: headline, Details: answer.List{Label: "Details", Items: []string{detail, detail}}, Footer: line}
		if ja {
			r.Lang = knowledge.Japanese
		}
		for range sections {
			r.Sections = append(r.Sections, answer.Section{Title: title, Lines: []string{line, line}, Lists: []answer.List{{Label: "Steps", Items: []string{step}, Numbered: true}}})
		}
		checkLimits(t, render(r))
		head, rest := renderSplit(r)
		checkLimits(t, head)
		checkLimits(t, rest)
	})
}

// TestRenderAnswers lays out the answers every renderer shares as Slack
// blocks, each against its golden file, none saying a fact twice in the
// blocks (the fallback text repeats the titles for notifications).
func TestRenderAnswers(t *testing.T) {
	for _, c := range chattest.Cases(t) {
		t.Run(c.Name, func(t *testing.T) {
			m := render(c.Outline)
			checkLimits(t, m)
			got := marshalGolden(t, m)
			checkGolden(t, filepath.Join("testdata", "answers", c.Name+".golden.json"), got)
			chattest.SaidOnce(t, blockText(t, m.Blocks), c.Report)
		})
	}
}

// blockText is the visible text of blocks, one text object per line.
func blockText(t *testing.T, blocks []slackapi.Block) string {
	t.Helper()
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["text"].(string); ok {
				b.WriteString(s + "\n")
			}
			for k, x := range v {
				if k != "text" || x == nil {
					walk(x)
				} else if _, ok := x.(string); !ok {
					walk(x)
				}
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return b.String()
}
