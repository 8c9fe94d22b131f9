package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/memory"
	"github.com/vssbot/vssbot/parse"

	"github.com/vssbot/vssbot/internal/poll"
)

// claims is an in-memory stand-in for the shared claims, recording calls;
// down makes every call fail as an unreachable Redis would.
type claims struct {
	mu    sync.Mutex
	held  map[string]string
	calls []string
	down  bool
}

func (c *claims) op(name, id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, name)
	if c.held == nil {
		c.held = map[string]string{}
	}
	if c.down {
		return errors.New("redis down")
	}
	return nil
}

func (c *claims) Claim(_ context.Context, id string) (bool, error) {
	if err := c.op("claim", id); err != nil {
		return false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.held[id]; ok {
		return false, nil
	}
	c.held[id] = "claimed"
	return true, nil
}

func (c *claims) Done(_ context.Context, id string) error {
	if err := c.op("done", id); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.held[id] = "answered"
	return nil
}

func (c *claims) Release(_ context.Context, id string) error {
	if err := c.op("release", id); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.held, id)
	return nil
}

func (c *claims) log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.calls, ",")
}

func teamMemory(t *testing.T) *memory.Team {
	t.Helper()
	// Not a test of the team memory's timeouts: a loaded machine (go test
	// -race ./...) must not make a migration look like an outage.
	cfg := memory.Config{DSN: filepath.Join(t.TempDir(), "memory.db"), StatementTimeout: 30 * time.Second}
	s, err := memory.Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func lookup(id string) bot.Event {
	return bot.Event{ID: id, Kind: bot.Command, Text: "0x800423f2", User: "U1",
		Target: bot.Target{Platform: "test", Workspace: "T1", Channel: "C1"}}
}

func TestAnswerRecordedWithFeedback(t *testing.T) {
	mem := teamMemory(t)
	cl := &claims{}
	e, reg := newEngine(t, bot.Config{Claims: cl, Memory: mem}, parse.Limits{})
	rec := &recorder{}
	if err := e.Submit(lookup("Ev1"), rec); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "the answer", func() bool { return len(rec.delivered()) == 1 && strings.HasSuffix(cl.log(), "done") })
	// The retry, here and at another replica sharing the claims.
	_ = e.Submit(lookup("Ev1"), rec)
	other, _ := newEngine(t, bot.Config{Claims: cl, Memory: mem}, parse.Limits{})
	_ = other.Submit(lookup("Ev1"), rec)
	_ = other.Shutdown(context.Background())
	if n := len(rec.delivered()); n != 1 {
		t.Fatalf("%d answers to one event and its retries", n)
	}
	r := rec.delivered()[0]
	buttons := map[string]answer.Action{}
	for _, a := range r.Actions {
		buttons[a.ID] = a
	}
	fixed, notHelpful := buttons["vssbot_feedback_fixed"], buttons["vssbot_feedback_not_helpful"]
	if fixed.Label != "Fixed it" || notHelpful.Label != "Did not help" || !fixed.Primary {
		t.Fatalf("feedback buttons %+v", r.Actions)
	}
	value := map[memory.Vote]string{memory.Fixed: fixed.Value, memory.NotHelpful: notHelpful.Value}
	poll.Until(t, "the record", func() bool {
		rep, err := mem.Report(context.Background(), memory.Scope{}, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
		return err == nil && rep.Answers == 1 && len(rep.Codes) == 1 && rep.Codes[0].Code == "0x800423f2"
	})
	// Clicks: one per user counts, on either replica.
	click := func(e *bot.Engine, user string, v memory.Vote) bot.FeedbackPrompt {
		t.Helper()
		p, err := e.Feedback(context.Background(), bot.Click{Platform: "test", User: user, Value: value[v]})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	click(e, "U1", memory.Fixed)
	click(e, "U1", memory.NotHelpful)
	p := click(e, "U2", memory.NotHelpful)
	if p.Tally != (memory.Tally{Fixed: 1, NotHelpful: 1}) || p.Label(memory.Fixed) != "Fixed it (1)" {
		t.Fatalf("tally %+v, label %q", p.Tally, p.Label(memory.Fixed))
	}
	if got := metric(t, reg, "vssbot_feedback_total", "value", "fixed"); got != 1 {
		t.Fatalf("vssbot_feedback_total{fixed} = %v", got)
	}
	if got := metric(t, reg, "vssbot_answers_by_code_total", "code", "0x800423f2"); got != 1 {
		t.Fatalf("vssbot_answers_by_code_total = %v", got)
	}
	if _, err := e.Feedback(context.Background(), bot.Click{Platform: "test", User: "U1", Value: "something else"}); err == nil {
		t.Fatal("a foreign button value was accepted")
	}
}

func TestUndeliveredAnswerReleased(t *testing.T) {
	cl := &claims{}
	e, _ := newEngine(t, bot.Config{Claims: cl, Memory: teamMemory(t), MaxRetries: -1}, parse.Limits{})
	failing := &recorder{fail: func(int) error { return errors.New("channel_not_found") }}
	_ = e.Submit(lookup("Ev2"), failing)
	poll.Until(t, "the release", func() bool { return cl.log() == "claim,release" })
	ok := &recorder{}
	_ = e.Submit(lookup("Ev2"), ok)
	poll.Until(t, "the retry's answer", func() bool { return len(ok.delivered()) == 1 })
}

func TestRedisDownFailsOpen(t *testing.T) {
	cl := &claims{down: true}
	e, reg := newEngine(t, bot.Config{Claims: cl}, parse.Limits{})
	rec := &recorder{}
	_ = e.Submit(lookup("Ev3"), rec)
	_ = e.Submit(lookup("Ev3"), rec) // a retry: this process remembers
	poll.Until(t, "the answer", func() bool { return len(rec.delivered()) == 1 })
	_ = e.Shutdown(context.Background())
	if n := len(rec.delivered()); n != 1 {
		t.Fatalf("%d answers", n)
	}
	if got := metric(t, reg, "vssbot_dedup_fallback_total"); got < 1 {
		t.Fatalf("fallbacks not counted: %v", got)
	}
	if len(rec.delivered()[0].Actions) != 0 {
		t.Fatal("feedback buttons without a store")
	}
}

func TestStatsCommand(t *testing.T) {
	mem := teamMemory(t)
	e, _ := newEngine(t, bot.Config{Memory: mem}, parse.Limits{})
	ctx := context.Background()
	if _, ok := e.Answer(ctx, lookup("Ev4")); !ok {
		t.Fatal("no answer")
	}
	for _, tc := range []struct{ text, want string }{
		{"stats", "0x800423f2"},
		{"stats 30d", "(30d)"},
		{"STATS 90d", "(90d)"},
		{"stats 12y", "/vss stats [7d|30d|90d]"},
	} {
		ev := lookup("")
		ev.Text = tc.text
		r, ok := e.Answer(ctx, ev)
		if !ok {
			t.Fatalf("%q: no answer", tc.text)
		}
		var all strings.Builder
		all.WriteString(r.Headline)
		for _, s := range r.Sections {
			all.WriteString(strings.Join(s.Lines, "\n"))
		}
		if !strings.Contains(all.String(), tc.want) {
			t.Errorf("%q: %q not in\n%s", tc.text, tc.want, all.String())
		}
		// As delivered: escaped, every line still a line of its own.
		r.Escape()
		for _, s := range r.Sections {
			for _, line := range s.Lines {
				if strings.Contains(line, `\x0a`) || strings.Contains(line, "\n") {
					t.Errorf("%q: a line holds a new line: %q", tc.text, line)
				}
			}
		}
	}
	off, _ := newEngine(t, bot.Config{}, parse.Limits{})
	ev := lookup("")
	ev.Text = "stats"
	if r, _ := off.Answer(ctx, ev); r.Kind != answer.Failure {
		t.Fatalf("stats without a store: %+v", r)
	}
}

// FuzzParseFeedback: a button value comes from the platform, so from
// anyone; only values the bot made are accepted, and those round-trip.
func FuzzParseFeedback(f *testing.F) {
	p := bot.FeedbackPrompt{AnswerID: memory.NewID(), Lang: "ja"}
	for _, v := range p.Votes() {
		f.Add(p.Value(v))
	}
	f.Add("vssbot-fb:fixed:en:")
	f.Add("vssbot-fb:fixed:en:zz")
	f.Add("vssbot-fb:maybe:en:0123456789abcdef0123456789abcdef")
	f.Add("")
	f.Fuzz(func(t *testing.T, value string) {
		vote, prompt, ok := bot.ParseFeedback(value)
		if !ok {
			return
		}
		if !vote.Valid() || !memory.ValidID(prompt.AnswerID) {
			t.Fatalf("accepted %q: vote %q id %q", value, vote, prompt.AnswerID)
		}
		if again, p2, ok := bot.ParseFeedback(prompt.Value(vote)); !ok || again != vote || p2 != prompt {
			t.Fatalf("%q does not round-trip", value)
		}
	})
}
