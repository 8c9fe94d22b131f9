package slack

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/chattest"
)

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

// newHTTPHarness runs the adapter in HTTP mode behind a loopback server.
func newHTTPHarness(t *testing.T) (*harness, *httptest.Server) {
	t.Helper()
	h := newHarness(t, bot.Config{}, func(c *Config) {
		c.AppToken, c.SigningSecret, c.Mode = "", secret, ModeHTTP
	})
	mux := http.NewServeMux()
	mux.Handle("/slack/", h.ad.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return h, srv
}

func do(t *testing.T, req *http.Request, err error) (int, string, time.Time) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), time.Now()
}

func TestHTTPSignatures(t *testing.T) {
	h, srv := newHTTPHarness(t)
	body, err := slacktest.EventBody("EvSIGNED", channelMessage("1700000100.000100", "chatter"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, tc := range []struct {
		name string
		req  func(ctx context.Context) (*http.Request, error)
		want int
	}{
		{"valid", func(ctx context.Context) (*http.Request, error) {
			return slacktest.SignedRequest(ctx, srv.URL+"/slack/events", secret, now, "application/json", body)
		}, http.StatusOK},
		{"forged with another secret", func(ctx context.Context) (*http.Request, error) {
			return slacktest.SignedRequest(ctx, srv.URL+"/slack/events", "not-the-secret", now, "application/json", body)
		}, http.StatusUnauthorized},
		{"body changed after signing", func(ctx context.Context) (*http.Request, error) {
			req, err := slacktest.SignedRequest(ctx, srv.URL+"/slack/events", secret, now, "application/json", body)
			if err == nil {
				req.Body = io.NopCloser(bytes.NewReader(bytes.Replace(body, []byte("chatter"), []byte("chatteR"), 1)))
			}
			return req, err
		}, http.StatusUnauthorized},
		{"stale by six minutes", func(ctx context.Context) (*http.Request, error) {
			return slacktest.SignedRequest(ctx, srv.URL+"/slack/events", secret, now.Add(-6*time.Minute), "application/json", body)
		}, http.StatusUnauthorized},
		{"six minutes in the future", func(ctx context.Context) (*http.Request, error) {
			return slacktest.SignedRequest(ctx, srv.URL+"/slack/events", secret, now.Add(6*time.Minute), "application/json", body)
		}, http.StatusUnauthorized},
		{"unsigned", func(ctx context.Context) (*http.Request, error) {
			return http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/slack/events", bytes.NewReader(body))
		}, http.StatusUnauthorized},
		{"unsigned command", func(ctx context.Context) (*http.Request, error) {
			return http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/slack/commands", strings.NewReader("text=help"))
		}, http.StatusUnauthorized},
		{"oversize body", func(ctx context.Context) (*http.Request, error) {
			return slacktest.SignedRequest(ctx, srv.URL+"/slack/events", secret, now, "application/json", bytes.Repeat([]byte(" "), maxBody+1))
		}, http.StatusRequestEntityTooLarge},
		{"signed but not JSON", func(ctx context.Context) (*http.Request, error) {
			return slacktest.SignedRequest(ctx, srv.URL+"/slack/events", secret, now, "application/json", []byte("{not json"))
		}, http.StatusBadRequest},
		{"signed command without a channel", func(ctx context.Context) (*http.Request, error) {
			return slacktest.SignedRequest(ctx, srv.URL+"/slack/commands", secret, now, "application/x-www-form-urlencoded", []byte("text=help"))
		}, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := tc.req(testContext(t))
			if status, body, _ := do(t, req, err); status != tc.want {
				t.Errorf("status %d (%s), want %d", status, body, tc.want)
			}
		})
	}
	// Only the valid request got through.
	if evs, _ := h.rec.Wait(testContext(t), 1); len(evs) != 1 || evs[0].ID != "EvSIGNED" {
		t.Errorf("submitted %+v, want the valid event only", evs)
	}
}

func TestHTTPURLVerification(t *testing.T) {
	_, srv := newHTTPHarness(t)
	body := []byte(`{"token":"legacy-verification-token","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	req, err := slacktest.SignedRequest(testContext(t), srv.URL+"/slack/events", secret, time.Now(), "application/json", body)
	status, got, _ := do(t, req, err)
	if status != http.StatusOK || got != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("status %d, body %q: want the challenge back", status, got)
	}
}

func TestHTTPEventAckedFirstAndRetryDeduplicated(t *testing.T) {
	h, srv := newHTTPHarness(t)
	ctx := testContext(t)
	body, err := slacktest.EventBody("EvHTTP", channelMessage("1700000200.000100", readTestdata(t, "excerpt.log")))
	if err != nil {
		t.Fatal(err)
	}
	req, err := slacktest.SignedRequest(ctx, srv.URL+"/slack/events", secret, time.Now(), "application/json", body)
	if status, _, _ := do(t, req, err); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	// Slack retries with the same event id and X-Slack-Retry-Num.
	req, err = slacktest.SignedRequest(ctx, srv.URL+"/slack/events", secret, time.Now(), "application/json", body)
	req.Header.Set("X-Slack-Retry-Num", "1")
	req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	if status, _, _ := do(t, req, err); status != http.StatusOK {
		t.Fatalf("retry answered %d, want 200 so Slack stops", status)
	}
	if _, err := h.rec.Wait(ctx, 2); err != nil {
		t.Fatal(err)
	}
	h.drain(t)
	posts := h.fake.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d replies, want 1", len(posts))
	}
	if posts[0].ThreadTS != "1700000200.000100" {
		t.Errorf("reply in thread %q", posts[0].ThreadTS)
	}
	assertNames(t, posts[0], "System Writer", "0x800423f2")
}

func TestHTTPSlashCommand(t *testing.T) {
	h, srv := newHTTPHarness(t)
	ctx := testContext(t)
	cmd := h.fake.CompleteCommand(slackapi.SlashCommand{ChannelID: "CSUPPORT", ChannelName: "support", UserID: "UALICE", Text: "0x800423f3"})
	form := []byte(slacktest.CommandForm(cmd).Encode())
	req, err := slacktest.SignedRequest(ctx, srv.URL+"/slack/commands", secret, time.Now(), "application/x-www-form-urlencoded", form)
	if status, body, _ := do(t, req, err); status != http.StatusOK || body != "" {
		t.Fatalf("ack %d %q, want an empty 200", status, body)
	}
	posts, err := h.fake.WaitPosts(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if posts[0].Channel != "CSUPPORT" || posts[0].ThreadTS != "" || posts[1].ThreadTS != posts[0].TS {
		t.Errorf("answer %+v, want a channel post and a thread under it", posts)
	}
	assertNames(t, posts[0], "0x800423f3")
	evs, _ := h.rec.Wait(ctx, 1)
	if evs[0].Kind != bot.Command || evs[0].ID != cmd.TriggerID || evs[0].Target.ResponseURL != cmd.ResponseURL {
		t.Errorf("event %+v", evs[0])
	}
}

// TestHTTPSlashCommandWithoutTriggerID: a command without trigger_id is
// still de-duplicated: a replay of the signed request is answered once,
// another command is answered.
func TestHTTPSlashCommandWithoutTriggerID(t *testing.T) {
	h, srv := newHTTPHarness(t)
	ctx := testContext(t)
	cmd := h.fake.CompleteCommand(slackapi.SlashCommand{ChannelID: "CSUPPORT", UserID: "UALICE", Text: "0x800423f3"})
	cmd.TriggerID = ""
	form := []byte(slacktest.CommandForm(cmd).Encode())
	ts := time.Now()
	for range 2 {
		req, err := slacktest.SignedRequest(ctx, srv.URL+"/slack/commands", secret, ts, "application/x-www-form-urlencoded", form)
		if status, _, _ := do(t, req, err); status != http.StatusOK {
			t.Fatalf("ack %d", status)
		}
	}
	other := cmd
	other.Text, other.ResponseURL = "0x800423f4", h.fake.NewResponseURL()
	req, err := slacktest.SignedRequest(ctx, srv.URL+"/slack/commands", secret, ts, "application/x-www-form-urlencoded", []byte(slacktest.CommandForm(other).Encode()))
	if status, _, _ := do(t, req, err); status != http.StatusOK {
		t.Fatalf("ack %d", status)
	}
	evs, err := h.rec.Wait(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	h.drain(t)
	if evs[0].ID == "" || evs[1].ID != evs[0].ID || evs[2].ID == evs[0].ID {
		t.Errorf("keys %q %q %q: want the replay's equal to the command's, another's apart", evs[0].ID, evs[1].ID, evs[2].ID)
	}
	top := 0
	for _, p := range h.fake.Posts() {
		if p.ThreadTS == "" {
			top++
		}
	}
	if top != 2 {
		t.Fatalf("%d answers to a command, its replay and another command; want 2", top)
	}
}

// blocker holds every Submit until released, then passes it on (when next
// is set): it shows that acks do not wait for the work behind them.
type blocker struct {
	*chattest.Recorder // everything but Submit goes to next
	release            chan struct{}
	submitted          chan bot.Event
}

func newBlocker(next bot.Inbox) *blocker {
	return &blocker{Recorder: chattest.NewRecorder(next), release: make(chan struct{}), submitted: make(chan bot.Event, 16)}
}

// Submit takes the event at once, as the engine's does, and holds its work
// until release.
func (b *blocker) Submit(ev bot.Event, to bot.Replier) error {
	go func() {
		<-b.release
		_ = b.Recorder.Submit(ev, to)
		b.submitted <- ev
	}()
	return nil
}

func TestHTTPAckDoesNotWaitForWork(t *testing.T) {
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	b := newBlocker(nil)
	ad := startAdapter(t, Config{BotToken: slacktest.BotToken, SigningSecret: secret, APIURL: fake.URL()}, b)
	srv := httptest.NewServer(ad.Handler())
	t.Cleanup(srv.Close)
	ctx := testContext(t)
	event, err := slacktest.EventBody("EvBLOCKED", channelMessage("1700000300.000100", "0x800423f2"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := slacktest.CommandForm(fake.CompleteCommand(slackapi.SlashCommand{ChannelID: "CSUPPORT", Text: "help"}))
	for _, tc := range []struct{ path, ctype, body string }{
		{"/slack/events", "application/json", string(event)},
		{"/slack/commands", "application/x-www-form-urlencoded", cmd.Encode()},
	} {
		req, err := slacktest.SignedRequest(ctx, srv.URL+tc.path, secret, time.Now(), tc.ctype, []byte(tc.body))
		// The answer arrives while the engine is still held.
		if status, _, _ := do(t, req, err); status != http.StatusOK {
			t.Fatalf("%s: status %d", tc.path, status)
		}
	}
	close(b.release)
	for range 2 {
		select {
		case <-b.submitted:
		case <-ctx.Done():
			t.Fatal("work never happened after the ack")
		}
	}
}

func TestHandlerOnlyInHTTPMode(t *testing.T) {
	if h := offlineAdapter(t, nobody(), nil).Handler(); h != nil {
		t.Error("Socket Mode adapter serves HTTP")
	}
}

// FuzzHandler signs arbitrary bodies and posts them to both endpoints:
// nothing may panic and every answer is one of the expected statuses.
func FuzzHandler(f *testing.F) {
	ev, _ := slacktest.EventBody("EvFUZZ", channelMessage("1.2", "0x800423f2"))
	f.Add(ev, false)
	f.Add([]byte("command=%2Fvss&text=help&channel_id=C1&response_url=http%3A%2F%2F127.0.0.1%3A1%2Fx"), true)
	f.Add([]byte(`{"type":"url_verification","challenge":"x"}`), false)
	f.Fuzz(func(t *testing.T, body []byte, command bool) {
		a := offlineAdapter(t, nobody(), func(c *Config) { c.AppToken, c.SigningSecret = "", secret })
		path, ctype := "/slack/events", "application/json"
		if command {
			path, ctype = "/slack/commands", "application/x-www-form-urlencoded"
		}
		req, err := slacktest.SignedRequest(context.Background(), "http://bot.test"+path, secret, time.Now(), ctype, body)
		if err != nil {
			t.Fatal(err)
		}
		rw := httptest.NewRecorder()
		a.Handler().ServeHTTP(rw, req)
		switch rw.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d for %q", rw.Code, body)
		}
	})
}
