package slack

import (
	"strings"
	"testing"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/bot"
)

// Team notes end to end through the fake Slack and the real client: a note
// kept with /vss note shows, escaped, under the next answer about its code
// in the same workspace.
func TestTeamNotesThroughSlack(t *testing.T) {
	s := teamMemory(t)
	h := newHarness(t, bot.Config{Language: "en", Memory: s}, nil)
	ctx := testContext(t)
	send := func(text string, posts int) []string {
		t.Helper()
		if _, err := h.fake.SendCommand(slackapi.SlashCommand{TeamID: "T1", ChannelID: "CSUPPORT", ChannelName: "support",
			UserID: "UALICE", UserName: "alice", Text: text}); err != nil {
			t.Fatal(err)
		}
		got, err := h.fake.WaitPosts(ctx, posts)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		var out []string
		for _, p := range got {
			out = append(out, p.Text+string(p.Blocks))
		}
		return out
	}
	first := send("note 0x800423f2 restart CryptSvc <!channel> at night", 1)
	if !strings.Contains(strings.Join(first, "\n"), "kept on 0x800423f2") {
		t.Fatalf("note not kept: %q", first)
	}
	all := strings.Join(send("0x800423f2", 3), "\n")
	if !strings.Contains(all, "Team notes: 0x800423f2") || !strings.Contains(all, "restart CryptSvc \\u0026lt;!channel\\u0026gt; at night") &&
		!strings.Contains(all, "restart CryptSvc &lt;!channel&gt; at night") {
		t.Errorf("answer lacks the escaped note:\n%s", all)
	}
	if strings.Contains(all, "<!channel>") {
		t.Errorf("a note pinged the channel:\n%s", all)
	}
}

// TestSeenBeforeSlashThroughSlack: a slash command has no message of its
// own; the next answer about the same code links to the post that
// answered it.
func TestSeenBeforeSlashThroughSlack(t *testing.T) {
	s := teamMemory(t)
	h := newHarness(t, bot.Config{Language: "en", Memory: s}, nil)
	ctx := testContext(t)
	cmd := slackapi.SlashCommand{TeamID: "T1", ChannelID: "CSUPPORT", ChannelName: "support", UserID: "UALICE", UserName: "alice", Text: "0x800423f2"}
	if _, err := h.fake.SendCommand(cmd); err != nil {
		t.Fatal(err)
	}
	first, err := h.fake.WaitPosts(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.eng.Shutdown(ctx); err != nil { // the answer is recorded once delivered
		t.Fatal(err)
	}
	ts := first[0].TS
	n := len(h.fake.Posts())
	h2 := newHarness(t, bot.Config{Language: "en", Memory: s}, nil)
	if _, err := h2.fake.SendCommand(cmd); err != nil {
		t.Fatal(err)
	}
	got, err := h2.fake.WaitPosts(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := "https://slack.com/archives/CSUPPORT/p" + strings.ReplaceAll(ts, ".", "")
	if ts == "" || !strings.Contains(got[0].Content(), want) {
		t.Errorf("second answer (after %d posts) does not link to the first one's post %q:\n%s", n, want, got[0].Content())
	}
}
