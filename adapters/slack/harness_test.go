package slack

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/chattest"
)

// waitBound guards every wait in the tests against a hang; it is not a
// performance assertion.
const waitBound = 30 * time.Second

func testContext(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitBound)
	tb.Cleanup(cancel)
	return ctx
}

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// recorder is the shared recorder in front of the engine.
type recorder struct{ *chattest.Recorder }

func newRecorder(next bot.Inbox) *recorder { return &recorder{chattest.NewRecorder(next)} }

// harness is a fake Slack, the adapter connected to it in Socket Mode and
// the engine behind a recorder.
type harness struct {
	fake *slacktest.Server
	ad   *Adapter
	rec  *recorder
	eng  *bot.Engine
}

// newHarness starts everything; adjust may change the adapter's settings.
func newHarness(t testing.TB, opts bot.Config, adjust func(*Config)) *harness {
	t.Helper()
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	h := &harness{fake: fake, eng: chattest.Engine(t, opts)}
	h.rec = newRecorder(h.eng)
	cfg := Config{
		BotToken: slacktest.BotToken,
		AppToken: slacktest.AppToken,
		APIURL:   fake.URL(),
		Reaction: "eyes",
	}
	if adjust != nil {
		adjust(&cfg)
	}
	h.ad = startAdapter(t, cfg, h.rec)
	if cfg.Mode != ModeHTTP {
		if err := fake.WaitConnected(testContext(t), 1); err != nil {
			t.Fatalf("adapter never connected: %v", err)
		}
	}
	return h
}

// startAdapter creates, starts and runs an adapter until the test ends.
func startAdapter(t testing.TB, cfg Config, sub bot.Inbox) *Adapter {
	t.Helper()
	ad, err := New(cfg, sub, quietLogger())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := ad.Start(testContext(t)); err != nil {
		t.Fatalf("Start: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ad.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
	})
	return ad
}

// drain waits until the engine has answered everything submitted, so a
// test can assert that something was not answered.
func (h *harness) drain(t testing.TB) {
	t.Helper()
	if err := h.eng.Shutdown(testContext(t)); err != nil {
		t.Fatalf("engine shutdown: %v", err)
	}
}

func readTestdata(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// channelMessage is a user's message in a public channel.
func channelMessage(ts, text string) slacktest.Event {
	return slacktest.Event{
		Type: "message", Channel: "CSUPPORT", ChannelType: "channel",
		User: "UALICE", Text: slacktest.Escape(text), TS: ts, Team: slacktest.TeamID,
	}
}
