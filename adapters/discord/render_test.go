package discord

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/internal/chattest"
	goldenfile "github.com/vssbot/vssbot/internal/golden"
	"github.com/vssbot/vssbot/lang"
)

// oversize is a reply past every limit: many sections of many long lines.
func oversize(sections, lines, width int) *answer.Outline {
	r := &answer.Outline{
		Kind:     answer.Diagnosis,
		Lang:     lang.English,
		Headline: strings.Repeat("Headline ", 400),
		Footer:   strings.Repeat("footer ", 500),
		Details:  answer.List{Label: "Details"},
	}
	for i := range sections {
		s := answer.Section{Title: fmt.Sprintf("0x8004%04x %s", i, strings.Repeat("T", 300))}
		var steps []string
		for j := range lines {
			s.Lines = append(s.Lines, fmt.Sprintf("%d.%d %s", i, j, strings.Repeat("l", width)))
			steps = append(steps, fmt.Sprintf("step %d %s", j, strings.Repeat("s", width/2)))
		}
		s.Lists = []answer.List{{Label: "Steps", Items: steps, Numbered: true}}
		r.Sections = append(r.Sections, s)
	}
	for j := range lines * 3 {
		r.Details.Items = append(r.Details.Items, fmt.Sprintf("detail %d %s", j, strings.Repeat("d", width)))
	}
	return r
}

// checkLimits fails t for any Discord limit m breaks, as the fake
// enforces them, and for an empty message.
func checkLimits(t *testing.T, m sentMessage) {
	t.Helper()
	if m.Text() == "" {
		t.Error("empty message")
	}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if why := discordtest.CheckMessage(raw); why != "" {
		t.Errorf("Discord would refuse the message: %s", why)
	}
}

// asSent round-trips a rendered message through JSON, as Discord sees it.
func asSent(t *testing.T, m message) sentMessage {
	t.Helper()
	b, err := json.Marshal(&discordgo.MessageSend{Content: m.Content, Embeds: m.Embeds})
	if err != nil {
		t.Fatal(err)
	}
	var s sentMessage
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRenderLimits(t *testing.T) {
	ja := oversize(3, 200, 50)
	ja.Lang = lang.Japanese
	ja.Sections[0].Title = strings.Repeat("書込", 200)
	tests := []struct {
		name     string
		reply    *answer.Outline
		messages int
		more     string // a cut note that must appear somewhere
	}{
		{name: "small", reply: &answer.Outline{Headline: "0x800423f2", Sections: []answer.Section{{Title: "t", Lines: []string{"a"}}}}, messages: 1},
		{name: "headline only", reply: &answer.Outline{Kind: answer.Help, Headline: "usage"}, messages: 1},
		{name: "empty", reply: &answer.Outline{}, messages: 1},
		{name: "details and footer only", reply: &answer.Outline{Details: answer.List{Label: "Details", Items: []string{strings.Repeat("d", 5000)}}, Footer: strings.Repeat("f", 3000)}, messages: 2, more: "ff…"},
		// The footer has an embed of its own, after the evidence.
		{name: "long lines", reply: oversize(1, 10, 5000), messages: 3, more: "… and 9 more"},
		{name: "many lines", reply: oversize(2, 400, 40), messages: 4, more: "more"},
		{name: "many sections", reply: oversize(60, 2, 20), messages: maxMessages, more: "… and "},
		{name: "japanese", reply: ja, messages: maxMessages, more: "…ほか"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := render(tt.reply)
			if len(msgs) != tt.messages {
				t.Errorf("%d messages, want %d", len(msgs), tt.messages)
			}
			var all strings.Builder
			for _, m := range msgs {
				s := asSent(t, m)
				checkLimits(t, s)
				all.WriteString(s.text())
				for _, e := range s.Embeds {
					if e.Footer != nil {
						all.WriteString(e.Footer.Text)
					}
				}
			}
			if tt.more != "" && !strings.Contains(all.String(), tt.more) {
				t.Errorf("no %q note in the cut answer", tt.more)
			}
		})
	}
}

func TestThreadName(t *testing.T) {
	tests := map[string]string{
		"0x800423f2 System Writer timeout\nmore": "0x800423f2 System Writer timeout",
		"   ":                                    "vssbot",
		strings.Repeat("x", 150):                 strings.Repeat("x", 99) + "…",
	}
	for in, want := range tests {
		if got := threadName(in); got != want {
			t.Errorf("threadName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRenderGolden compares the rendering of replies in testdata/render
// with their golden JSON.
func TestRenderGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/render/*.reply.json")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			b, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var r answer.Outline
			if err := json.Unmarshal(b, &r); err != nil {
				t.Fatal(err)
			}
			msgs := render(&r)
			sends := make([]*discordgo.MessageSend, len(msgs))
			for i, m := range msgs {
				sends[i] = &discordgo.MessageSend{Content: m.Content, Embeds: m.Embeds}
			}
			got, _ := json.MarshalIndent(sends, "", "  ")
			goldenfile.Check(t, strings.TrimSuffix(in, ".reply.json")+".golden.json", append(got, '\n'))
		})
	}
}

func FuzzRender(f *testing.F) {
	f.Add("0x800423f2 System Writer", "line\nline", "step", 3, 1)
	f.Add(strings.Repeat("長", 300), strings.Repeat("x", 4500), "", 40, 0)
	f.Fuzz(func(t *testing.T, title, text, step string, sections int, kind int) {
		r := &answer.Outline{Kind: answer.Kind(kind), Headline: title + text, Footer: text}
		for range sections % 64 {
			r.Sections = append(r.Sections, answer.Section{Title: title, Lines: strings.Split(text, "\n"), Lists: []answer.List{{Label: "Steps", Items: []string{step, text}, Numbered: true}}})
		}
		r.Details = answer.List{Label: "Details", Items: strings.Split(text, "\n")}
		msgs := render(r)
		if len(msgs) == 0 || len(msgs) > maxMessages {
			t.Fatalf("%d messages", len(msgs))
		}
		for _, m := range msgs {
			checkLimits(t, asSent(t, m))
		}
	})
}

// TestRenderAnswers lays out the answers every renderer shares as Discord
// messages, each against its golden file, none saying a fact twice.
func TestRenderAnswers(t *testing.T) {
	for _, c := range chattest.Cases(t) {
		t.Run(c.Name, func(t *testing.T) {
			msgs := render(c.Outline)
			sends := make([]*discordgo.MessageSend, len(msgs))
			var text strings.Builder
			for i, m := range msgs {
				sends[i] = &discordgo.MessageSend{Content: m.Content, Embeds: m.Embeds}
				s := asSent(t, m)
				checkLimits(t, s)
				text.WriteString(s.Text() + "\n")
				for _, e := range s.Embeds {
					if e.Footer != nil {
						text.WriteString(e.Footer.Text + "\n")
					}
				}
			}
			got, _ := json.MarshalIndent(sends, "", "  ")
			goldenfile.Check(t, filepath.Join("testdata", "answers", c.Name+".golden.json"), append(got, '\n'))
			chattest.SaidOnce(t, text.String(), c.Report)
		})
	}
}

// TestClickKeepsTheAnswer applies a feedback click's UPDATE_MESSAGE to the
// rendered answer by Discord's edit semantics: the buttons change, the
// text and embeds stay.
func TestClickKeepsTheAnswer(t *testing.T) {
	r := chattest.Cases(t)[0].Outline
	r.Actions = []answer.Action{{ID: "x", Label: "Fixed it", Value: "vssbot:fb:fixed:0123456789abcdef0123456789abcdef"}}
	first := render(r)[0]
	raw, err := json.Marshal(&discordgo.MessageSend{Content: first.Content, Embeds: first.Embeds, Components: first.Components})
	if err != nil {
		t.Fatal(err)
	}
	var msg map[string]any
	if err := json.Unmarshal(raw, &msg); err != nil {
		t.Fatal(err)
	}
	resp := &clickReply{Type: discordgo.InteractionResponseUpdateMessage, Data: &componentsOnly{Components: actionRow(r.Actions)}}
	body, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	var cb struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &cb); err != nil {
		t.Fatal(err)
	}
	after, err := discordtest.Edit(msg, cb.Data)
	if err != nil {
		t.Fatal(err)
	}
	if after["content"] != msg["content"] || len(after["embeds"].([]any)) != len(first.Embeds) || len(first.Embeds) == 0 {
		t.Errorf("the click changed the answer: %v", after)
	}
}

func TestMarkdownEscaped(t *testing.T) {
	tests := []struct{ in, want string }{
		{"[Microsoft KB fix](https://evil.example/p.ps1)", `\[Microsoft KB fix\](https://evil.example/p.ps1)`},
		{"**bold** ~~x~~ ||spoiler||", `\*\*bold\*\* \~\~x\~\~ \|\|spoiler\|\|`},
		{"# heading", `\# heading`},
		{"> quote", `\> quote`},
		{"@everyone <@123>", `\@everyone \<\@123>`},
		{"VSS_E_WRITERERROR_TIMEOUT", "VSS_E_WRITERERROR_TIMEOUT"},
		{"_italic_", `\_italic\_`},
		{"2026-12-05 a-b", "2026-12-05 a-b"},
		{"by " + answer.Mention("U1"), "by <@U1>"},
	}
	for _, tt := range tests {
		if got := md(tt.in); got != tt.want {
			t.Errorf("md(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEmbedsColouredByWeight(t *testing.T) {
	r := &answer.Outline{Kind: answer.Diagnosis, Headline: "h", Sections: []answer.Section{
		{Title: "a", Weight: answer.WeightFailure}, {Title: "b", Weight: answer.WeightWarning}, {Title: "c"}}}
	es := render(r)[0].Embeds
	if es[0].Color != colorFailure || es[1].Color != colorWarning || es[2].Color != colorInfo {
		t.Errorf("colours %x %x %x", es[0].Color, es[1].Color, es[2].Color)
	}
}
