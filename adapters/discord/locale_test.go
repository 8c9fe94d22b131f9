package discord

import (
	"strings"
	"testing"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
	"github.com/vssbot/vssbot/bot"
)

// TestCommandAnswersInTheUserLocale: /vss from a client set to Japanese is
// answered in Japanese, from one in English in English, with no language
// configured.
func TestCommandAnswersInTheUserLocale(t *testing.T) {
	t.Parallel()
	h := start(t, newEngineWith(t, bot.Config{}), nil, nil)
	for _, tc := range []struct{ locale, want string }{{"ja", "タイムアウト"}, {"en-US", "timed out"}} {
		token, _ := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f2", Locale: tc.locale})
		edit, _ := h.await(t, discordtest.Is("PATCH", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
		if !strings.Contains(string(edit.Body), tc.want) {
			t.Errorf("locale %s: answer lacks %q: %s", tc.locale, tc.want, edit.Body)
		}
	}
}
