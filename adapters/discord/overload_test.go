package discord

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/chattest"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// TestOverloadEveryMessageAnswered: Discord sends nothing twice, so a burst
// of messages beyond one worker and a queue of one must end with every
// message answered or told "busy" in its thread, and the engine's busy
// count must match the notices.
func TestOverloadEveryMessageAnswered(t *testing.T) {
	const messages = 30
	kb, err := knowledge.Load("")
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	eng := bot.New(kb, parse.New(kb, parse.Limits{}), bot.Config{Workers: 1, Queue: 1, Registerer: reg,
		Logger: slog.New(slog.DiscardHandler), Language: lang.English})
	t.Cleanup(func() { _ = eng.Shutdown(context.Background()) })
	h := start(t, eng, nil, nil)
	log := []byte(strings.Repeat("07/13/2017 04:40:44.020 Exit Code -311\r\n", 40_000)) // 1.6 MB of work each
	ids := map[string]bool{}
	for range messages {
		id, err := h.fake.SendMessage(discordtest.Message{ChannelID: general, GuildID: guild, AuthorID: user,
			Content: "task log", Attachments: map[string][]byte{"task.log": log}})
		if err != nil {
			t.Fatal(err)
		}
		ids[id] = true
	}
	var answered, told int
	deadline := time.Now().Add(15 * time.Second)
	for {
		answered, told = 0, 0
		seen := map[string]bool{}
		for _, r := range h.fake.Requests() {
			ch, ok := strings.CutSuffix(strings.TrimPrefix(r.Path, "channels/"), "/messages")
			if r.Method != "POST" || !ok {
				continue
			}
			// An answer goes to the thread started on the message (its
			// id); a busy notice is one reply to it in the channel.
			var body struct {
				Ref *struct {
					MessageID string `json:"message_id"`
				} `json:"message_reference"`
			}
			_ = json.Unmarshal(r.Body, &body)
			busy := ch == general && body.Ref != nil && strings.Contains(string(r.Body), "busy")
			if busy {
				ch = body.Ref.MessageID
			}
			if !ids[ch] || seen[ch] {
				continue
			}
			seen[ch] = true
			if busy {
				told++
			} else {
				answered++
			}
		}
		if answered+told == messages || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	toldCount := chattest.Counter(t, reg, "vssbot_busy_total", map[string]string{"outcome": bot.BusyTold})
	t.Logf("%d messages: %d answered, %d told busy (vssbot_busy_total told=%v notice_failed=%v)",
		messages, answered, told, toldCount, chattest.Counter(t, reg, "vssbot_busy_total", map[string]string{"outcome": bot.BusyNoticeFailed}))
	if answered+told != messages {
		t.Fatalf("%d answered + %d told busy of %d messages", answered, told, messages)
	}
	if told == 0 || int(toldCount) != told {
		t.Errorf("told %d, counted %v", told, toldCount)
	}
}
