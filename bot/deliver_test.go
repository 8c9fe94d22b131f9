package bot_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
)

func TestRetry(t *testing.T) {
	limited := &bot.RateLimitError{RetryAfter: 10 * time.Millisecond, Err: errors.New("429")}
	tests := []struct {
		name      string
		fail      func(call int) error
		wantCalls int
		delivered int
		reason    string
	}{
		{"429 then ok", func(c int) error {
			if c == 1 {
				return limited
			}
			return nil
		}, 2, 1, "rate_limited"},
		{"temporary then ok", func(c int) error {
			if c < 3 {
				return bot.Temporary(errors.New("connection reset"))
			}
			return nil
		}, 3, 1, "reply"},
		{"permanent", func(int) error { return errors.New("channel_not_found") }, 1, 0, "reply"},
		{"429 forever", func(int) error { return limited }, 3, 0, "rate_limited"},
		{"replier panics", func(int) error { panic("adapter bug") }, 1, 0, "panic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// MaxRetryWait also caps the backoff, keeping the test short.
			e, reg := machine(t, bot.Config{MaxRetries: 2, MaxRetryWait: 20 * time.Millisecond})
			rec := &recorder{fail: tt.fail}
			if err := e.Submit(help("r"), rec); err != nil {
				t.Fatalf("Submit: %v", err)
			}
			if err := e.Shutdown(context.Background()); err != nil {
				t.Fatalf("Shutdown: %v", err)
			}
			if rec.calls != tt.wantCalls || len(rec.delivered()) != tt.delivered {
				t.Errorf("%d calls, %d delivered; want %d, %d", rec.calls, len(rec.delivered()), tt.wantCalls, tt.delivered)
			}
			if got := metric(t, reg, "vssbot_errors_total", "platform", "test", "reason", tt.reason); got < 1 {
				t.Errorf("errors %s = %v, want at least 1", tt.reason, got)
			}
		})
	}
}

func TestRetryWaitBounded(t *testing.T) {
	// A platform asking for an hour must not hold the worker for an hour.
	e, _ := machine(t, bot.Config{MaxRetryWait: time.Millisecond})
	rec := &recorder{fail: func(c int) error {
		if c == 1 {
			return &bot.RateLimitError{RetryAfter: time.Hour}
		}
		return nil
	}}
	if err := e.Submit(help("w"), rec); err != nil {
		t.Fatalf("Submit: %v", err)
	}
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if len(rec.delivered()) != 1 {
		t.Errorf("delivered %d, want 1", len(rec.delivered()))
	}
}

func TestEngineSurvivesPanickingReplier(t *testing.T) {
	e, reg := machine(t, bot.Config{Workers: 1})
	bad := &recorder{fail: func(int) error { panic("boom") }}
	good := &recorder{}
	if err := e.Submit(help("1"), bad); err != nil {
		t.Fatal(err)
	}
	if err := e.Submit(help("2"), good); err != nil {
		t.Fatal(err)
	}
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(good.delivered()) != 1 {
		t.Error("the worker did not survive the panic")
	}
	if got := metric(t, reg, "vssbot_errors_total", "platform", "test", "reason", "panic"); got != 1 {
		t.Errorf("panics counted %v, want 1", got)
	}
}

// blocker holds every reply until released, telling when one started.
type blocker struct {
	started chan struct{}
	release chan struct{}
	recorder
}

func newBlocker() *blocker {
	return &blocker{started: make(chan struct{}, 100), release: make(chan struct{})}
}

func (b *blocker) Reply(ctx context.Context, to bot.Target, r *answer.Outline, p *bot.Progress) error {
	b.started <- struct{}{}
	select {
	case <-b.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return b.recorder.Reply(ctx, to, r, p)
}

func TestQueueFull(t *testing.T) {
	e, reg := machine(t, bot.Config{Workers: 1, Queue: 1})
	b := newBlocker()
	if err := e.Submit(help("1"), b); err != nil {
		t.Fatal(err)
	}
	<-b.started // the worker holds event 1
	if err := e.Submit(help("2"), b); err != nil {
		t.Fatalf("queueing event 2: %v", err)
	}
	busy := &recorder{}
	if err := e.Submit(help("3"), busy); !errors.Is(err, bot.ErrBusy) {
		t.Fatalf("Submit on a full queue = %v, want ErrBusy", err)
	}
	if got := metric(t, reg, "vssbot_queue_depth"); got != 1 {
		t.Errorf("queue depth %v, want 1", got)
	}
	// Submit told nobody: the adapter decides, here to tell the user.
	if got := busy.delivered(); len(got) != 0 {
		t.Errorf("Submit sent %d notices itself", len(got))
	}
	if err := e.TellBusy(context.Background(), help("3"), busy); err != nil {
		t.Fatal(err)
	}
	close(b.release)
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := busy.delivered(); len(got) != 1 || got[0].Kind != answer.Failure {
		t.Errorf("busy notice = %+v, want one failure reply", got)
	}
	if got := metric(t, reg, "vssbot_busy_total", "platform", "test", "outcome", bot.BusyTold); got != 1 {
		t.Errorf("busy told = %v, want 1", got)
	}
	if len(b.delivered()) != 2 {
		t.Errorf("%d replies delivered, want 2", len(b.delivered()))
	}
	if got := metric(t, reg, "vssbot_dropped_total", "reason", "busy"); got != 1 {
		t.Errorf("dropped busy = %v, want 1", got)
	}
	// The refused event id is not remembered: a platform retry is served.
	if _, ok := e.Answer(context.Background(), help("3")); !ok {
		t.Error("retry of a refused event was dropped as a duplicate")
	}
}

func TestShutdownDrains(t *testing.T) {
	e, _ := machine(t, bot.Config{Workers: 1, Queue: 10})
	b := newBlocker()
	for _, id := range []string{"1", "2", "3", "4", "5"} {
		if err := e.Submit(help(id), b); err != nil {
			t.Fatal(err)
		}
	}
	<-b.started
	done := make(chan error)
	go func() { done <- e.Shutdown(context.Background()) }()
	close(b.release)
	if err := <-done; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if n := len(b.delivered()); n != 5 {
		t.Errorf("%d replies after Shutdown, want 5", n)
	}
	if err := e.Submit(help("6"), b); !errors.Is(err, bot.ErrClosed) {
		t.Errorf("Submit after Shutdown = %v, want ErrClosed", err)
	}
	if err := e.Shutdown(context.Background()); err != nil {
		t.Errorf("second Shutdown: %v", err)
	}
}

func TestShutdownGivesUp(t *testing.T) {
	e, _ := machine(t, bot.Config{Workers: 1})
	b := newBlocker()
	if err := e.Submit(help("1"), b); err != nil {
		t.Fatal(err)
	}
	<-b.started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Shutdown = %v, want context.Canceled", err)
	}
	// The abandoned reply's context is cancelled, so the worker ends.
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown after giving up: %v", err)
	}
	if len(b.delivered()) != 0 {
		t.Error("reply delivered after Shutdown gave up")
	}
}

// parts is a Replier that posts a reply in n parts, like a long Discord
// answer, and is rate-limited once before the part numbered limitAt.
type parts struct {
	n, limitAt int
	mu         sync.Mutex
	limited    bool
	posted     []int // part numbers in the order they were posted
}

func (s *parts) Reply(_ context.Context, _ bot.Target, _ *answer.Outline, p *bot.Progress) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for p.Posts < s.n {
		if p.Posts == s.limitAt && !s.limited {
			s.limited = true
			return &bot.RateLimitError{RetryAfter: time.Millisecond, Err: errors.New("429")}
		}
		s.posted = append(s.posted, p.Posts)
		p.Posts++
	}
	return nil
}

// TestRetryResumes proves that a rate-limited multi-message reply is
// neither lost nor repeated: the retry posts what is left, from where the
// 429 stopped it.
func TestRetryResumes(t *testing.T) {
	for _, at := range []int{0, 1, 3} {
		e, reg := machine(t, bot.Config{MaxRetries: 1})
		s := &parts{n: 4, limitAt: at}
		if err := e.Submit(help("p"), s); err != nil {
			t.Fatal(err)
		}
		if err := e.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		if want := []int{0, 1, 2, 3}; !slices.Equal(s.posted, want) {
			t.Errorf("limited before part %d: posted %v, want %v", at, s.posted, want)
		}
		if got := metric(t, reg, "vssbot_replies_total", "platform", "test"); got != 1 {
			t.Errorf("replies counted %v, want 1", got)
		}
	}
}

// TestRetriesCountFailuresInARow: an attempt that posted something resets
// the count, one that posted nothing does not.
func TestRetriesCountFailuresInARow(t *testing.T) {
	e, _ := machine(t, bot.Config{MaxRetries: 1, MaxRetryWait: time.Millisecond})
	calls := 0
	r := bot.ReplierFunc(func(_ context.Context, _ bot.Target, _ *answer.Outline, p *bot.Progress) error {
		calls++
		if calls <= 3 {
			p.Posts++ // progress, then a failure
		}
		return bot.Temporary(errors.New("reset"))
	})
	if err := e.Submit(help("c"), r); err != nil {
		t.Fatal(err)
	}
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Three attempts that moved on, each earning a retry, then the one
	// retry of the third, which moved nothing.
	if calls != 4 {
		t.Errorf("%d attempts, want 4", calls)
	}
}

// watcher records the Begin and end hook calls around each event.
type watcher struct {
	recorder
	mu    sync.Mutex
	begun []string
	ended []string
}

func (w *watcher) Begin(_ context.Context, ev bot.Event) func(context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.begun = append(w.begun, ev.ID)
	return func(context.Context) {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.ended = append(w.ended, ev.ID)
	}
}

// TestWatcherEndsEveryEvent: the end hook runs after an answer, after a
// failed delivery and when the engine stays silent.
func TestWatcherEndsEveryEvent(t *testing.T) {
	e, _ := machine(t, bot.Config{Workers: 1, MaxRetries: -1})
	w := &watcher{recorder: recorder{fail: func(c int) error {
		if c == 2 {
			return errors.New("channel_not_found")
		}
		return nil
	}}}
	silent := bot.Event{ID: "silent", Text: "good morning", Target: bot.Target{Platform: "test", Channel: "C1"}}
	for _, ev := range []bot.Event{help("answered"), help("failed"), silent} {
		if err := e.Submit(ev, w); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{"answered", "failed", "silent"}
	if !slices.Equal(w.begun, want) || !slices.Equal(w.ended, want) {
		t.Errorf("begun %v, ended %v; want both %v", w.begun, w.ended, want)
	}
}
