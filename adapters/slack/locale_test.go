package slack

import (
	"strings"
	"testing"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/bot"
)

// TestCommandAnswersInTheUserLocale: /vss from a user whose Slack is in
// Japanese (users.info locale ja-JP) is answered in Japanese, the locale
// asked once and remembered.
func TestCommandAnswersInTheUserLocale(t *testing.T) {
	h := newHarness(t, bot.Config{}, nil)
	h.fake.SetLocale("UHANAKO", "ja-JP")
	ctx := testContext(t)
	for i := range 2 {
		if _, err := h.fake.SendCommand(slackapi.SlashCommand{TeamID: "T1", ChannelID: "CSUPPORT", UserID: "UHANAKO", Text: "0x800423f2"}); err != nil {
			t.Fatal(err)
		}
		posts, err := h.fake.WaitPosts(ctx, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if got := posts[i].Text + string(posts[i].Blocks); !strings.Contains(got, "タイムアウト") {
			t.Errorf("answer %d not in Japanese: %s", i, got)
		}
	}
	if n := len(h.fake.Calls("users.info")); n != 1 {
		t.Errorf("users.info called %d times, want once", n)
	}
}
