package chattest

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

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

// Submitter is what adapters hand events to.
type Submitter interface {
	Submit(ev bot.Event, to bot.Replier) error
}

// Recorder passes events on and remembers them, so a test knows when an
// adapter has handed an event over (or decided not to).
type Recorder struct {
	Next Submitter

	mu      sync.Mutex
	events  []bot.Event
	changed chan struct{}
}

// NewRecorder records the events handed to next.
func NewRecorder(next Submitter) *Recorder {
	return &Recorder{Next: next, changed: make(chan struct{})}
}

// Submit implements Submitter.
func (r *Recorder) Submit(ev bot.Event, to bot.Replier) error {
	err := r.Next.Submit(ev, to)
	r.mu.Lock()
	r.events = append(r.events, ev)
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
	return err
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
