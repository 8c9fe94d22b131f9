package discord

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/memory"
)

// Team notes end to end through the fake Discord: /vss note keeps a note
// for the guild, the next /vss answer about the code shows it, and a note
// never pings anyone.
func TestTeamNotesThroughDiscord(t *testing.T) {
	t.Parallel()
	mem := teamMemory(t)
	h := start(t, newEngineWith(t, bot.Config{Language: lang.English, Memory: mem}), nil, nil)
	ask := func(code string) string {
		t.Helper()
		token, _ := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: code})
		edit, _ := h.await(t, discordtest.Is("PATCH", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
		return string(edit.Body)
	}
	// The confirmation is for its author only: an ephemeral follow-up,
	// the deferred response deleted.
	token, _ := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "note 0x800423f2 restart CryptSvc @everyone at night"})
	confirm, _ := h.await(t, discordtest.Is("POST", "webhooks/"+h.fake.AppID+"/"+token))
	if got := string(confirm.Body); !strings.Contains(got, "kept on 0x800423f2") || !strings.Contains(got, `"flags":64`) {
		t.Fatalf("note not kept, or not privately: %s", got)
	}
	h.await(t, discordtest.Is("DELETE", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
	got := ask("0x800423f2")
	if !strings.Contains(got, "Team notes: 0x800423f2") || !strings.Contains(got, "restart CryptSvc") {
		t.Errorf("answer lacks the team note: %s", got)
	}
	if !strings.Contains(got, `"allowed_mentions":{`) {
		t.Errorf("answer may ping: %s", got)
	}
}

// TestSeenBeforeSlashThroughDiscord: an interaction has no message of its
// own; the next answer about the same code links to the message that
// answered it, the edited deferred response.
func TestSeenBeforeSlashThroughDiscord(t *testing.T) {
	t.Parallel()
	mem := teamMemory(t)
	eng := newEngineWith(t, bot.Config{Language: lang.English, Memory: mem})
	h := start(t, eng, nil, nil)
	token, _ := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f2"})
	h.await(t, discordtest.Is("PATCH", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
	eng.shutdown(t) // the answer is recorded once delivered
	h2 := start(t, newEngineWith(t, bot.Config{Language: lang.English, Memory: mem}), nil, nil)
	token, _ = h2.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f2"})
	edit, _ := h2.await(t, discordtest.Is("PATCH", "webhooks/"+h2.fake.AppID+"/"+token+"/messages/@original"))
	prefix := "https://discord.com/channels/" + guild + "/" + general + "/"
	got := decode(t, edit).text()
	i := strings.Index(got, prefix)
	if i < 0 || len(got) == i+len(prefix) || got[i+len(prefix)] < '0' || got[i+len(prefix)] > '9' {
		t.Errorf("second answer does not link to the first one's message:\n%s", got)
	}
}

// teamMemory is a team memory of the test's own.
func teamMemory(t *testing.T) *memory.Team {
	t.Helper()
	mem, err := memory.Open(context.Background(), memory.Config{DSN: filepath.Join(t.TempDir(), "memory.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	return mem
}
