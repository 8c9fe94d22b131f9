package discord

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/chattest"
)

// Ids of the fake guild's channels.
const (
	guild   = "300000000000000001"
	general = "300000000000000010"
	thread  = "300000000000000011"
	dm      = "300000000000000012"
	user    = "300000000000000099"
)

// engineFunc is a stand-in engine for transport tests: it answers each
// event on its own goroutine, as the real engine's workers do, and, like
// it, never a bot's.
type engineFunc func(ev bot.Event) *answer.Outline

type recordingEngine struct {
	// Recorder with no engine behind it answers the rest of bot.Inbox:
	// nobody is told busy, no click is recorded.
	chattest.Recorder
	answer engineFunc
	mu     sync.Mutex
	events []bot.Event
	errs   chan error
}

func (e *recordingEngine) Submit(ev bot.Event, to bot.Replier) error {
	e.mu.Lock()
	e.events = append(e.events, ev)
	e.mu.Unlock()
	if ev.FromBot {
		return nil
	}
	go func() {
		r := e.answer(ev)
		if r == nil {
			return
		}
		err := to.Reply(context.Background(), ev.Target, r, &bot.Progress{})
		select {
		case e.errs <- err:
		default:
		}
	}()
	return nil
}

func (e *recordingEngine) seen() []bot.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]bot.Event(nil), e.events...)
}

type harness struct {
	fake *discordtest.Server
	a    *Adapter
	logs *chattest.SyncBuffer
	ctx  context.Context
}

// start runs the fake Discord and a started adapter against it; setup runs
// on the fake before the adapter connects. Stopping the adapter waits out
// discordgo's fixed one-second pause on closing the gateway, so the tests
// that start one run in parallel: the pauses overlap instead of adding up.
func start(t testing.TB, eng bot.Inbox, setup func(*discordtest.Server), mod func(*Config)) *harness {
	t.Helper()
	fake := discordtest.New()
	t.Cleanup(fake.Close)
	fake.AddChannel(discordtest.Channel{ID: general, Type: discordtest.GuildText, GuildID: guild, Name: "support"})
	fake.AddChannel(discordtest.Channel{ID: thread, Type: discordtest.PublicThread, GuildID: guild, ParentID: general})
	fake.AddChannel(discordtest.Channel{ID: dm, Type: discordtest.DM})
	if setup != nil {
		setup(fake)
	}
	cfg := Config{Token: fake.Token, AppID: fake.AppID, GuildIDs: []string{guild}, APIURL: fake.APIURL(), MaxRetries: 2}
	if mod != nil {
		mod(&cfg)
	}
	logs := &chattest.SyncBuffer{}
	a, err := New(cfg, eng, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	a.backoff = 10 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	if err := a.Start(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return &harness{fake: fake, a: a, logs: logs, ctx: ctx}
}

// await returns the first recorded request matching, failing the test
// when none comes.
func (h *harness) await(t testing.TB, match func(discordtest.Request) bool) (discordtest.Request, int) {
	t.Helper()
	r, i, err := h.fake.Await(h.ctx, match)
	if err != nil {
		t.Fatal(err)
	}
	return r, i
}

func isPost(prefix string) func(discordtest.Request) bool {
	return func(r discordtest.Request) bool { return r.Method == "POST" && strings.HasPrefix(r.Path, prefix) }
}

// sentMessage is the JSON body of a message the adapter sent.
type sentMessage struct{ discordtest.Sent }

func decode(t testing.TB, r discordtest.Request) sentMessage {
	t.Helper()
	var m sentMessage
	if err := r.Decode(&m); err != nil {
		t.Fatalf("%s %s: %v: %s", r.Method, r.Path, err, r.Body)
	}
	return m
}

// text is everything a person would read in a sent message.
func (m sentMessage) text() string { return m.Text() }
