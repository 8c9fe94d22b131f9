package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/memory"
	"github.com/vssbot/vssbot/parse"
)

// TestSeenBefore: an answer about a code this workspace had before links
// to that thread and says whether it was marked Fixed it; another
// workspace's answer is not shown.
func TestSeenBefore(t *testing.T) {
	mem := teamMemory(t)
	ctx := context.Background()
	past := memory.Answer{ID: memory.NewID(), At: time.Now().Add(-48 * time.Hour), Platform: "slack", Workspace: "T1", Channel: "C9",
		Source: memory.Paste, Lang: "en", MessageID: "1700000000.000100", Kind: "diagnosis",
		Findings: []memory.Finding{{Kind: memory.KindCode, Value: "0x800423f2", Name: "VSS_E_WRITERERROR_TIMEOUT"}}}
	if err := mem.RecordAnswer(ctx, past); err != nil {
		t.Fatal(err)
	}
	if _, _, err := mem.RecordFeedback(ctx, memory.Feedback{AnswerID: past.ID, Platform: "slack", User: "U5", Vote: memory.Fixed, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	e, _ := newEngine(t, bot.Config{Memory: mem}, parse.Limits{})
	ask := func(workspace string) string {
		ev := lookup("")
		ev.Text = "0x800423f2"
		ev.Target.Platform, ev.Target.Workspace = "slack", workspace
		r, ok := e.Answer(ctx, ev)
		if !ok {
			t.Fatal("no answer")
		}
		first, _ := r.First()
		var b strings.Builder
		for _, s := range first {
			b.WriteString(s.Title + "\n" + strings.Join(s.Lines, "\n") + "\n")
		}
		return b.String()
	}
	got := ask("T1")
	for _, want := range []string{"Seen before", "https://slack.com/archives/C9/p1700000000000100", "marked Fixed it"} {
		if !strings.Contains(got, want) {
			t.Errorf("first screen lacks %q:\n%s", want, got)
		}
	}
	if got := ask("T2"); strings.Contains(got, "Seen before") {
		t.Errorf("another workspace's answer shown:\n%s", got)
	}
}

// firstScreen is the text of an answer's first screen.
func firstScreen(r *answer.Outline) string {
	first, _ := r.First()
	var b strings.Builder
	for _, s := range first {
		b.WriteString(s.Title + "\n" + strings.Join(s.Lines, "\n") + "\n")
	}
	return b.String()
}

// TestSeenBeforeByWriter: a thread that had the same writer failing with
// another code is shown too, newest thread first, each thread once with
// what it shares with this answer.
func TestSeenBeforeByWriter(t *testing.T) {
	mem := teamMemory(t)
	ctx := context.Background()
	now := time.Now()
	record := func(msg string, ago time.Duration, fs ...memory.Finding) {
		t.Helper()
		a := memory.Answer{ID: memory.NewID(), At: now.Add(-ago), Platform: "slack", Workspace: "T1", Channel: "C9",
			Source: memory.Paste, Lang: "en", MessageID: msg, Kind: "diagnosis", Findings: fs}
		if err := mem.RecordAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	record("1700000000.000100", 72*time.Hour, memory.Finding{Kind: memory.KindCode, Value: "0x800423f2", Name: "VSS_E_WRITERERROR_TIMEOUT"})
	record("1700000500.000200", 24*time.Hour, memory.Finding{Kind: memory.KindWriter, Value: "System Writer"})
	e, _ := newEngine(t, bot.Config{Memory: mem}, parse.Limits{})
	ev := message("Writer name: 'System Writer'\n   State: [8] Failed\n   Last error: Timed out\n0x800423f2")
	ev.Target.Platform, ev.Target.Workspace, ev.Target.Message = "slack", "T1", "1700001000.000300"
	r, ok := e.Answer(ctx, ev)
	if !ok {
		t.Fatal("no answer")
	}
	got := firstScreen(r)
	writer := strings.Index(got, "System Writer https://slack.com/archives/C9/p1700000500000200")
	code := strings.Index(got, "0x800423f2 https://slack.com/archives/C9/p1700000000000100")
	if writer < 0 || code < 0 || writer > code {
		t.Errorf("first screen does not show the writer's thread, then the code's:\n%s", got)
	}
}

// TestSeenBeforeSlashAnswerAndDM: an answer to a slash command, which has
// no message of its own, is linked by the message the answer posted; a
// direct message's answers are seen again in that user's DMs only.
func TestSeenBeforeSlashAnswerAndDM(t *testing.T) {
	mem := teamMemory(t)
	e, _ := newEngine(t, bot.Config{Memory: mem}, parse.Limits{})
	ctx := context.Background()
	ev := lookup("first")
	ev.User, ev.Target.Platform, ev.Target.Workspace, ev.Target.Channel = "U1", "discord", "", "D1"
	var posted = make(chan struct{})
	if err := e.Submit(ev, bot.ReplierFunc(func(_ context.Context, _ bot.Target, _ *answer.Outline, p *bot.Progress) error {
		p.Posts, p.Posted = 1, "90001"
		close(posted)
		return nil
	})); err != nil {
		t.Fatal(err)
	}
	<-posted
	if err := e.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	e2, _ := newEngine(t, bot.Config{Memory: mem}, parse.Limits{})
	again := func(user string) string {
		ev := lookup("again-" + user)
		ev.User, ev.Target.Platform, ev.Target.Workspace, ev.Target.Channel = user, "discord", "", "D1"
		r, ok := e2.Answer(ctx, ev)
		if !ok {
			t.Fatal("no answer")
		}
		return firstScreen(r)
	}
	if got := again("U1"); !strings.Contains(got, "https://discord.com/channels/@me/D1/90001") {
		t.Errorf("the user's own earlier slash answer in a DM is not linked:\n%s", got)
	}
	if got := again("U2"); strings.Contains(got, "Seen before") {
		t.Errorf("another user's DM answer shown:\n%s", got)
	}
}

// TestSeenBeforeNeverLinksAWorkspaceDM: a Slack DM is counted in its
// workspace, but its thread is the user's own: nobody, in the channel or in
// another DM, is sent a link to it.
func TestSeenBeforeNeverLinksAWorkspaceDM(t *testing.T) {
	mem := teamMemory(t)
	ctx := context.Background()
	e, _ := newEngine(t, bot.Config{Memory: mem}, parse.Limits{})
	dm := lookup("dm")
	dm.User, dm.Target.Platform, dm.Target.Workspace, dm.Target.Channel, dm.Target.DM, dm.Target.Message = "U1", "slack", "T1", "D1", true, "1700000000.000100"
	if _, ok := e.Answer(ctx, dm); !ok {
		t.Fatal("no answer")
	}
	for _, who := range []struct {
		user, channel string
		dm            bool
	}{{"U2", "C1", false}, {"U1", "D1", true}} {
		ev := lookup("after-" + who.user)
		ev.User, ev.Target.Platform, ev.Target.Workspace, ev.Target.Channel, ev.Target.DM, ev.Target.Message = who.user, "slack", "T1", who.channel, who.dm, "1700000100.000100"
		r, ok := e.Answer(ctx, ev)
		if !ok {
			t.Fatal("no answer")
		}
		if got := firstScreen(r); strings.Contains(got, "D1/p1700000000000100") {
			t.Errorf("%s in %s is sent a link to a DM:\n%s", who.user, who.channel, got)
		}
	}
}
