package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

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
