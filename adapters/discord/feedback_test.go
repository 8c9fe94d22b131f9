package discord

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/chattest"
)

// realEngine is the engine over the embedded knowledge base, recording in
// a store of the test's own.
func realEngine(t *testing.T) *bot.Engine {
	t.Helper()
	return chattest.Engine(t, bot.Config{Memory: teamMemory(t)})
}

// clickAnswer is the UPDATE_MESSAGE response to a click: its buttons.
func clickAnswer(t *testing.T, r discordtest.Request) (int, map[string]string) {
	t.Helper()
	var resp struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := r.Decode(&resp); err != nil {
		t.Fatal(err)
	}
	return resp.Type, discordtest.Buttons(resp.Data)
}

func TestFeedbackButtons(t *testing.T) {
	t.Parallel()
	h := start(t, realEngine(t), nil, nil)
	token, err := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f2"})
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := h.await(t, func(r discordtest.Request) bool {
		return r.Method == "PATCH" && strings.Contains(r.Path, token+"/messages/@original")
	})
	buttons := discordtest.Buttons(answer.Body)
	if buttons["Fixed it"] == "" || buttons["Did not help"] == "" {
		t.Fatalf("answer buttons %v:\n%s", buttons, answer.Body)
	}
	clicks := []struct {
		user, label string
		want        []string
	}{
		{user, "Fixed it", []string{"Fixed it (1)", "Did not help"}},
		{user, "Did not help", []string{"Fixed it (1)", "Did not help"}}, // once per user
		{"300000000000000098", "Did not help", []string{"Fixed it (1)", "Did not help (1)"}},
	}
	for i, c := range clicks {
		tok, err := h.fake.SendClick(discordtest.Click{ChannelID: general, GuildID: guild, UserID: c.user, Message: answer.Body, CustomID: buttons[c.label]})
		if err != nil {
			t.Fatal(err)
		}
		r, _ := h.await(t, func(r discordtest.Request) bool { return strings.Contains(r.Path, tok+"/callback") })
		typ, got := clickAnswer(t, r)
		if typ != 7 {
			t.Fatalf("click %d answered with type %d, want 7 (UPDATE_MESSAGE)", i+1, typ)
		}
		for _, w := range c.want {
			if got[w] == "" {
				t.Errorf("click %d: no %q button in %v", i+1, w, got)
			}
		}
		if at, ok := h.fake.AnsweredAt(tok); !ok || at.IsZero() {
			t.Errorf("click %d not acknowledged", i+1)
		}
	}
	// A button that is not the bot's is acknowledged and changes nothing.
	tok, _ := h.fake.SendClick(discordtest.Click{ChannelID: general, GuildID: guild, UserID: user, Message: answer.Body, CustomID: "someone-else"})
	r, _ := h.await(t, func(r discordtest.Request) bool { return strings.Contains(r.Path, tok+"/callback") })
	if typ, _ := clickAnswer(t, r); typ != 6 {
		t.Fatalf("foreign button answered with type %d, want 6", typ)
	}
}

// TestFeedbackHTTPInteraction: a button press posted to the HTTP
// interactions endpoint is answered in the response itself.
func TestFeedbackHTTPInteraction(t *testing.T) {
	h := start(t, realEngine(t), nil, withKey)
	token, err := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f2"})
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := h.await(t, func(r discordtest.Request) bool {
		return r.Method == "PATCH" && strings.Contains(r.Path, token+"/messages/@original")
	})
	payload, _ := h.fake.ClickInteraction(discordtest.Click{ChannelID: general, GuildID: guild, UserID: user,
		Message: answer.Body, CustomID: discordtest.Buttons(answer.Body)["Fixed it"]})
	body, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	start := time.Now()
	w := post(t, h.a.Handler(), ts, sign(testKey, ts, body), body)
	if w.Code != http.StatusOK || time.Since(start) > 3*time.Second {
		t.Fatalf("status %d after %s: %s", w.Code, time.Since(start), w.Body)
	}
	var resp struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if got := discordtest.Buttons(resp.Data); resp.Type != 7 || got["Fixed it (1)"] == "" {
		t.Fatalf("response type %d, buttons %v", resp.Type, got)
	}
}
