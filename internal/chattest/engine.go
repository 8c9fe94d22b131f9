package chattest

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/parse"
)

// waitBound guards every wait against a hang; it is not a performance
// assertion.
const waitBound = 30 * time.Second

// Engine is the real engine over the embedded knowledge base, quiet unless
// cfg has a logger, shut down when the test ends.
func Engine(tb testing.TB, cfg bot.Config) *bot.Engine {
	tb.Helper()
	kb, err := KB()
	if err != nil {
		tb.Fatalf("load knowledge: %v", err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	eng := bot.New(kb, parse.New(kb, parse.Limits{}), cfg)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitBound)
		defer cancel()
		if err := eng.Shutdown(ctx); err != nil {
			tb.Errorf("engine shutdown: %v", err)
		}
	})
	return eng
}

// Recorder is the tests' one bot.Inbox: it passes everything on to Next
// (the real engine) and remembers the events handed over, so a test knows
// when an adapter has handed an event over (or decided not to). With no
// Next it takes every event and answers none.
type Recorder struct {
	Next bot.Inbox

	mu      sync.Mutex
	events  []bot.Event
	changed chan struct{}
}

var _ bot.Inbox = (*Recorder)(nil)

// NewRecorder records the events handed to next (nil: nobody answers).
func NewRecorder(next bot.Inbox) *Recorder {
	return &Recorder{Next: next, changed: make(chan struct{})}
}

// Submit implements bot.Inbox.
func (r *Recorder) Submit(ev bot.Event, to bot.Replier) error {
	var err error
	if r.Next != nil {
		err = r.Next.Submit(ev, to)
	}
	r.mu.Lock()
	r.events = append(r.events, ev)
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
	return err
}

// TellBusy implements bot.Inbox.
func (r *Recorder) TellBusy(ctx context.Context, ev bot.Event, to bot.Replier) error {
	if r.Next == nil {
		return errors.New("chattest: no engine to tell busy")
	}
	return r.Next.TellBusy(ctx, ev, to)
}

// BusyReply implements bot.Inbox.
func (r *Recorder) BusyReply(ev bot.Event) *answer.Outline {
	if r.Next == nil {
		return &answer.Outline{Headline: "busy"}
	}
	return r.Next.BusyReply(ev)
}

// LeftForRetry implements bot.Inbox.
func (r *Recorder) LeftForRetry(ev bot.Event) {
	if r.Next != nil {
		r.Next.LeftForRetry(ev)
	}
}

// Feedback implements bot.Inbox.
func (r *Recorder) Feedback(ctx context.Context, c bot.Click) (bot.FeedbackPrompt, error) {
	if r.Next == nil {
		return bot.FeedbackPrompt{}, errors.New("chattest: no engine takes feedback")
	}
	return r.Next.Feedback(ctx, c)
}

// Events returns the events handed over so far.
func (r *Recorder) Events() []bot.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Event(nil), r.events...)
}

// Wait returns the events handed over once there are at least n, or what
// there is when ctx ends.
func (r *Recorder) Wait(ctx context.Context, n int) ([]bot.Event, error) {
	for {
		r.mu.Lock()
		evs, ch := append([]bot.Event(nil), r.events...), r.changed
		r.mu.Unlock()
		if len(evs) >= n {
			return evs, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return evs, ctx.Err()
		}
	}
}

// SyncBuffer is a bytes.Buffer that goroutines under test may write while
// the test reads it: a log sink, a program's output.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
