package slack

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/memory"
)

func teamMemory(t *testing.T) *memory.Team {
	t.Helper()
	s, err := memory.Open(context.Background(), memory.Config{DSN: filepath.Join(t.TempDir(), "stats.db")}, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// answered sends the seed excerpt and returns the answer's post.
func answered(t *testing.T, h *harness, send func(body []byte)) slacktest.Post {
	t.Helper()
	body, err := slacktest.EventBody("EvFB", channelMessage("1700000300.000100", readTestdata(t, "excerpt.log")))
	if err != nil {
		t.Fatal(err)
	}
	send(body)
	posts, err := h.fake.WaitPosts(testContext(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	p := posts[0]
	for _, want := range []string{"Fixed it", "Did not help"} {
		if !strings.Contains(p.Content(), want) {
			t.Fatalf("answer has no %q button:\n%s", want, p.Content())
		}
	}
	return p
}

// waitReplaced waits for the answer's n-th redraw and returns it.
func waitReplaced(t *testing.T, h *harness, ts string, n int) slacktest.Post {
	t.Helper()
	var p slacktest.Post
	err := h.fake.Wait(testContext(t), func() bool {
		p, _ = h.fake.Post(ts)
		return p.Replaced >= n
	})
	if err != nil {
		t.Fatalf("answer redrawn %d times, want %d", p.Replaced, n)
	}
	return p
}

func TestFeedbackSocketMode(t *testing.T) {
	h := newHarness(t, bot.Config{Memory: teamMemory(t)}, nil)
	p := answered(t, h, func(body []byte) {
		if _, err := h.fake.RetryEvent("EvFB", channelMessage("1700000300.000100", readTestdata(t, "excerpt.log")), 0); err != nil {
			t.Fatal(err)
		}
	})
	clicks := []struct {
		action, user string
		want         []string
	}{
		{"vssbot_feedback_fixed", "UALICE", []string{"Fixed it (1)", "Did not help"}},
		{"vssbot_feedback_not_helpful", "UALICE", []string{"Fixed it (1)", "Did not help"}}, // once per user
		{"vssbot_feedback_not_helpful", "UBOB", []string{"Fixed it (1)", "Did not help (1)"}},
	}
	for i, c := range clicks {
		cur, _ := h.fake.Post(p.TS)
		sent := time.Now()
		env, err := h.fake.SendClick(cur, c.action, c.user)
		if err != nil {
			t.Fatal(err)
		}
		ack, err := h.fake.WaitAck(testContext(t), env)
		if err != nil {
			t.Fatal(err)
		}
		if d := ack.At.Sub(sent); d > 3*time.Second {
			t.Errorf("click acked after %s", d)
		}
		got := waitReplaced(t, h, p.TS, i+1)
		for _, w := range c.want {
			if !strings.Contains(got.Content(), w) {
				t.Errorf("click %d: %q not in\n%s", i+1, w, got.Content())
			}
		}
		// The rest of the answer stays as it was.
		if !strings.Contains(got.Content(), "0x800423f2") {
			t.Errorf("click %d: the answer lost its text:\n%s", i+1, got.Content())
		}
	}
}

func TestFeedbackHTTPMode(t *testing.T) {
	h := newHarness(t, bot.Config{Memory: teamMemory(t)}, func(c *Config) {
		c.AppToken, c.SigningSecret, c.Mode = "", secret, ModeHTTP
	})
	mux := http.NewServeMux()
	mux.Handle("/slack/", h.ad.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	ctx := testContext(t)
	p := answered(t, h, func(body []byte) {
		req, err := slacktest.SignedRequest(ctx, srv.URL+"/slack/events", secret, time.Now(), "application/json", body)
		if status, _, _ := do(t, req, err); status != http.StatusOK {
			t.Fatalf("event status %d", status)
		}
	})
	payload, err := h.fake.ClickPayload(p, "vssbot_feedback_fixed", "UALICE")
	if err != nil {
		t.Fatal(err)
	}
	form := slacktest.InteractionForm(payload).Encode()
	req, err := slacktest.SignedRequest(ctx, srv.URL+"/slack/interactions", secret, time.Now(), "application/x-www-form-urlencoded", []byte(form))
	start := time.Now()
	status, body, at := do(t, req, err)
	if status != http.StatusOK || body != "" {
		t.Fatalf("interaction answered %d %q, want an empty 200", status, body)
	}
	if at.Sub(start) > 3*time.Second {
		t.Fatalf("interaction acked after %s", at.Sub(start))
	}
	if got := waitReplaced(t, h, p.TS, 1); !strings.Contains(got.Content(), "Fixed it (1)") {
		t.Fatalf("tally not shown:\n%s", got.Content())
	}
	// Unsigned presses are refused.
	req, err = slacktest.SignedRequest(ctx, srv.URL+"/slack/interactions", "wrong-secret", time.Now(), "application/x-www-form-urlencoded", []byte(form))
	if status, _, _ := do(t, req, err); status != http.StatusUnauthorized {
		t.Fatalf("unsigned interaction answered %d", status)
	}
	req, err = slacktest.SignedRequest(ctx, srv.URL+"/slack/interactions", secret, time.Now(), "application/x-www-form-urlencoded", []byte("payload=%7Bnot+json"))
	if status, _, _ := do(t, req, err); status != http.StatusBadRequest {
		t.Fatalf("malformed interaction answered %d", status)
	}
}
