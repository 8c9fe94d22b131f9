package slack

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/internal/chattest"
	"github.com/vssbot/vssbot/lang"
)

// TestRenderGolden renders each reply of testdata/render, checks every
// message against the fake Slack's rules (slacktest.CheckMessage, Slack's
// own limits), and compares the Block Kit JSON with the golden file.
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
			msgs := render(&r)
			checkAll(t, msgs)
			checkAll(t, renderSplit(&r))
			if len(msgs) == 0 || msgs[0].empty() {
				t.Fatal("nothing rendered")
			}
			checkGolden(t, filepath.Join("testdata", "render", name+".golden.json"), marshalGolden(t, msgs))
		})
	}
}

// checkAll fails when Slack would refuse one of msgs, or when there are
// more than an answer may have.
func checkAll(t *testing.T, msgs []message) {
	t.Helper()
	if len(msgs) > maxMessages {
		t.Errorf("%d messages, over %d", len(msgs), maxMessages)
	}
	for _, m := range msgs {
		checkLimits(t, m)
	}
}

// checkLimits fails when m would be refused by Slack, by the rules of the
// fake Slack (slacktest.CheckMessage), or when its fallback is too long.
func checkLimits(t *testing.T, m message) {
	t.Helper()
	if n := utf8.RuneCountInString(m.Text); n > maxFallbackChars || n == 0 {
		t.Errorf("fallback of %d characters", n)
	}
	raw, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	if code := slacktest.CheckMessage(m.Text, raw); code != "" {
		t.Errorf("Slack would refuse the message: %s (%d blocks)", code, len(m.Blocks))
	}
}

func TestRenderEscapesAndSplits(t *testing.T) {
	r := &answer.Outline{
		Lang:     lang.English,
		Headline: "System Writer failed",
		Lead:     1,
		Sections: []answer.Section{
			{Lines: []string{"0x800423f2 <Unknown error code>", "a & b"}, Lists: []answer.List{{Label: "Do this first", Items: []string{"first", "second"}, Numbered: true}}},
			{Title: "0x8000ffff E_UNEXPECTED"},
		},
		Details:    answer.List{Label: "Details", Items: []string{"found twice"}},
		References: []answer.Link{{Title: "Writer errors", URL: "https://example.invalid/a|b"}},
		Footer:     "vssbot",
		Actions:    []answer.Action{{ID: "vssbot_feedback_fixed", Label: "Fixed it", Value: "v"}},
	}
	if one := render(r); len(one) != 1 {
		t.Errorf("a short answer in a thread is %d messages, want 1", len(one))
	}
	msgs := renderSplit(r)
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want the first screen and the rest", len(msgs))
	}
	headJSON, restJSON := marshalGolden(t, msgs[0].Blocks), marshalGolden(t, msgs[1].Blocks)
	for _, want := range []string{"System Writer failed", "0x800423f2 &lt;Unknown error code&gt;", "a &amp; b", "1. first", "2. second", "Fixed it", `"verbatim": true`} {
		if !strings.Contains(string(headJSON), want) {
			t.Errorf("first message lacks %q: %s", want, headJSON)
		}
	}
	if strings.Contains(string(headJSON), "E_UNEXPECTED") || strings.Contains(string(headJSON), "found twice") {
		t.Errorf("first message holds what belongs in the thread: %s", headJSON)
	}
	for _, want := range []string{"E_UNEXPECTED", "found twice", "vssbot", `\u003chttps://example.invalid/a%7Cb|Writer errors\u003e`} {
		if !strings.Contains(string(restJSON), want) {
			t.Errorf("thread part lacks %q: %s", want, restJSON)
		}
	}
	if msgs := renderSplit(&answer.Outline{Headline: "only", Sections: []answer.Section{{Title: "one"}}, Lead: 1}); len(msgs) != 1 {
		t.Errorf("a first screen alone got %d messages", len(msgs))
	}
}

// TestRenderBigCase is the 30-finding answer that Slack refused with
// msg_blocks_too_long: every message now fits, and the first one holds the
// first screen.
func TestRenderBigCase(t *testing.T) {
	r := &answer.Outline{Lang: lang.English, Headline: "30 writers failed", Lead: 1,
		Sections: []answer.Section{{Lines: []string{"w1", "w2"}, Lists: []answer.List{{Label: "Do this first", Items: []string{"restart it"}, Numbered: true}}}},
		Actions:  []answer.Action{{ID: "vssbot_feedback_fixed", Label: "Fixed it", Value: "v"}}}
	for i := range 30 {
		r.Sections = append(r.Sections, answer.Section{Title: fmt.Sprintf("0x800423%02x", i), Lines: []string{strings.Repeat("meaning ", 120)},
			Lists: []answer.List{{Label: "Steps", Items: []string{strings.Repeat("step ", 100), strings.Repeat("more ", 100)}, Numbered: true}}})
	}
	for i := range 40 {
		r.Details.Items = append(r.Details.Items, fmt.Sprintf("0x800423%02x writer %d (a.log:%d)", i, i, i))
	}
	r.Details.Label = "Evidence"
	msgs := renderSplit(r)
	checkAll(t, msgs)
	checkAll(t, render(r))
	first := string(marshalGolden(t, msgs[0].Blocks))
	for _, want := range []string{"30 writers failed", "restart it", "Fixed it"} {
		if !strings.Contains(first, want) {
			t.Errorf("first message lacks %q", want)
		}
	}
	last := string(marshalGolden(t, msgs[len(msgs)-1].Blocks))
	if !strings.Contains(last, "more") {
		t.Errorf("what did not fit is not counted: %s", last)
	}
}

func TestShrinkFits(t *testing.T) {
	var m message
	for range 60 {
		m.Blocks = append(m.Blocks, textUnit(strings.Repeat("x", 2900)).block)
	}
	m.Text = "fallback"
	small := shrink(m, lang.English)
	checkLimits(t, small)
	if len(small.Blocks) == 0 {
		t.Fatal("nothing left")
	}
}

// FuzzRender checks that any reply, however long or odd, renders within
// Slack's limits.
func FuzzRender(f *testing.F) {
	f.Add("System Writer failed at freeze", "0x800423f2 <x>", "line & more", "step", "detail", uint8(2), false)
	f.Add(strings.Repeat("長い見出し", 40), strings.Repeat("t", 4000), strings.Repeat("l", 3500), "", "", uint8(60), true)
	f.Fuzz(func(t *testing.T, headline, title, line, step, detail string, sections uint8, ja bool) {
		r := &answer.Outline{Lang: lang.English, Headline: headline, Details: answer.List{Label: "Details", Items: []string{detail, detail}}, Footer: line}
		if ja {
			r.Lang = lang.Japanese
		}
		for range sections {
			r.Sections = append(r.Sections, answer.Section{Title: title, Lines: []string{line, line}, Lists: []answer.List{{Label: "Steps", Items: []string{step}, Numbered: true}}})
		}
		if ja {
			r.Lead = 1
		}
		checkAll(t, render(r))
		checkAll(t, renderSplit(r))
	})
}

// TestRenderAnswers lays out the answers every renderer shares as Slack
// blocks, each against its golden file, none saying a fact twice in the
// blocks (the fallback text repeats the titles for notifications).
func TestRenderAnswers(t *testing.T) {
	for _, c := range chattest.Cases(t) {
		t.Run(c.Name, func(t *testing.T) {
			msgs := render(c.Outline)
			checkAll(t, msgs)
			got := marshalGolden(t, msgs)
			checkGolden(t, filepath.Join("testdata", "answers", c.Name+".golden.json"), got)
			var blocks []slackapi.Block
			for _, m := range msgs {
				blocks = append(blocks, m.Blocks...)
			}
			chattest.SaidOnce(t, blockText(t, blocks), c.Report)
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
