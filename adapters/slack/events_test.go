package slack

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slack-go/slack/slackevents"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/chattest"
	goldenfile "github.com/vssbot/vssbot/internal/golden"
)

// nobody takes every event and answers none.
func nobody() bot.Inbox { return chattest.NewRecorder(nil) }

// offlineAdapter is an adapter that knows who it is without asking Slack.
func offlineAdapter(t testing.TB, sub bot.Inbox, adjust func(*Config)) *Adapter {
	t.Helper()
	cfg := Config{BotToken: slacktest.BotToken, AppToken: slacktest.AppToken, APIURL: "http://127.0.0.1:1/api/"}
	if adjust != nil {
		adjust(&cfg)
	}
	a, err := New(cfg, sub, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	a.self.Store(&identity{User: slacktest.BotUserID})
	return a
}

// eventSummary is what the golden files hold of a submitted Event.
type eventSummary struct {
	Dropped     bool             `json:"dropped,omitempty"`
	ID          string           `json:"id,omitempty"`
	Kind        string           `json:"kind,omitempty"`
	Text        string           `json:"text,omitempty"`
	User        string           `json:"user,omitempty"`
	FromBot     bool             `json:"from_bot,omitempty"`
	Mentioned   bool             `json:"mentioned,omitempty"`
	Target      *bot.Target      `json:"target,omitempty"`
	Attachments []attachmentInfo `json:"attachments,omitempty"`
}

type attachmentInfo struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

func summarize(evs []bot.Event) eventSummary {
	if len(evs) == 0 {
		return eventSummary{Dropped: true}
	}
	ev := evs[0]
	s := eventSummary{ID: ev.ID, Kind: ev.Kind.String(), Text: ev.Text, User: ev.User, FromBot: ev.FromBot, Mentioned: ev.Mentioned, Target: &ev.Target}
	for _, a := range ev.Attachments {
		s.Attachments = append(s.Attachments, attachmentInfo{a.Name, a.Size})
	}
	return s
}

// TestEventsGolden runs each Events API payload of testdata/events through
// the adapter and compares what reaches the engine with its golden file:
// which messages are answered, in which thread, with which text.
func TestEventsGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			rec := newRecorder(nil)
			a := offlineAdapter(t, rec, nil)
			ev, err := slackevents.ParseEvent(raw, slackevents.OptionNoVerifyToken())
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			a.onEventsAPI(ev, true)
			checkGolden(t, filepath.Join("testdata", "events", name+".golden"), marshalGolden(t, summarize(rec.Events())))
		})
	}
}

// marshalGolden writes v as indented JSON, leaving < > & readable.
func marshalGolden(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	goldenfile.Check(t, path, got)
}

func TestMentionCutting(t *testing.T) {
	for _, tc := range []struct {
		text, stripped string
		mentions       bool
	}{
		{"<@UVSSBOT> 0x800423f2", " 0x800423f2", true},
		{"<@UVSSBOT|vssbot> hi <@UVSSBOT>", " hi ", true},
		{"ask <@UVSSBOT2> instead", "ask <@UVSSBOT2> instead", false},
		{"<@UVSSBOT", "<@UVSSBOT", false},
		{"<@UVSSBOT|no end", "<@UVSSBOT|no end", false},
		{"plain text", "plain text", false},
		{"", "", false},
	} {
		if got := stripMention(tc.text, slacktest.BotUserID); got != tc.stripped {
			t.Errorf("stripMention(%q) = %q, want %q", tc.text, got, tc.stripped)
		}
		if got := mentions(tc.text, slacktest.BotUserID); got != tc.mentions {
			t.Errorf("mentions(%q) = %v", tc.text, got)
		}
	}
	if mentions("<@> x", "") {
		t.Error("an unknown identity matched a mention")
	}
}

// FuzzEventsAPI feeds arbitrary Events API payloads through the adapter:
// nothing may panic, and what reaches the engine is a well-formed event.
func FuzzEventsAPI(f *testing.F) {
	inputs, _ := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	for _, in := range inputs {
		if b, err := os.ReadFile(in); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		rec := newRecorder(nil)
		a := offlineAdapter(t, rec, nil)
		ev, err := slackevents.ParseEvent(raw, slackevents.OptionNoVerifyToken())
		if err != nil {
			return
		}
		a.onEventsAPI(ev, true)
		for _, e := range rec.Events() {
			if e.Target.Platform != platform {
				t.Fatalf("bad event %+v", e)
			}
			if strings.Contains(e.Text, "<@"+slacktest.BotUserID+">") && e.Mentioned && !e.Target.DM {
				t.Fatalf("mention left in %q", e.Text)
			}
		}
	})
}

func FuzzStripMention(f *testing.F) {
	f.Add("<@UVSSBOT> hi", "UVSSBOT")
	f.Add("<@UVSSBOT|x <@UVSSBOT>>", "UVSSBOT")
	f.Fuzz(func(t *testing.T, text, user string) {
		out := stripMention(text, user)
		if len(out) > len(text) {
			t.Fatalf("grew: %q -> %q", text, out)
		}
		if user != "" && mentions(out, user) {
			t.Fatalf("%q still mentions %q", out, user)
		}
	})
}
