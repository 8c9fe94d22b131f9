package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/parse"
)

// Errors returned by Submit.
var (
	ErrBusy   = errors.New("bot: queue full")
	ErrClosed = errors.New("bot: engine shut down")
)

const (
	dedupCapacity = 1 << 14
	// busyTimeout bounds the busy notice, which must not tie up anything.
	busyTimeout = 5 * time.Second
)

// Engine answers Events. It is safe for concurrent use.
type Engine struct {
	src     Source
	opts    Config
	log     *slog.Logger
	metrics *metrics
	seen    *recentIDs
	allowed map[string]bool
	now     func() time.Time

	mu      sync.RWMutex // guards closed against Submit's sends on jobs
	closed  bool
	jobs    chan job
	workers sync.WaitGroup
	base    context.Context
	cancel  context.CancelFunc
}

type job struct {
	ev Event
	to Replier
}

// Source hands the engine the knowledge base and the parser built on it,
// once per event: a reloading source (the server's Reloader) may return a newer
// pair for the next event while this one finishes on its own.
type Source interface {
	Current() (*knowledge.Base, *parse.Parser)
}

// fixed is a Source that never changes.
type fixed struct {
	kb *knowledge.Base
	p  *parse.Parser
}

func (f fixed) Current() (*knowledge.Base, *parse.Parser) { return f.kb, f.p }

// New returns an Engine on a base that never changes; its workers start at
// once and stop on Shutdown.
func New(kb *knowledge.Base, p *parse.Parser, opts Config) *Engine {
	return NewWithSource(fixed{kb, p}, opts)
}

// NewWithSource returns an Engine that reads its base and parser from src
// for each event.
func NewWithSource(src Source, opts Config) *Engine {
	opts = opts.withDefaults()
	base, cancel := context.WithCancel(context.Background())
	e := &Engine{
		src:     src,
		opts:    opts,
		log:     opts.Logger,
		metrics: newMetrics(opts.Registerer, opts.Logger),
		seen:    newRecentIDs(opts.DedupWindow, dedupCapacity),
		now:     time.Now,
		jobs:    make(chan job, opts.Queue),
		base:    base,
		cancel:  cancel,
	}
	if len(opts.AllowedChannels) > 0 {
		e.allowed = make(map[string]bool, len(opts.AllowedChannels))
		for _, c := range opts.AllowedChannels {
			e.allowed[c] = true
		}
	}
	e.workers.Add(opts.Workers)
	for range opts.Workers {
		go e.work()
	}
	return e
}

// Answer computes the reply to ev synchronously. ok is false when the bot
// stays silent (nothing recognisable and not mentioned, a bot's message, a
// channel not allowed, an event id already seen).
func (e *Engine) Answer(ctx context.Context, ev Event) (r *answer.Outline, ok bool) {
	if !e.admit(ev) {
		return nil, false
	}
	r, ok = e.answerSafely(ctx, ev)
	if ok {
		r.Escape() // as every delivered reply is
		// The caller shows it at once (the terminal): recorded as given.
		e.record(ctx, ev, r, "", "")
	}
	return r, ok
}

// Submit queues ev; a worker answers it and delivers the reply through to.
// It never blocks: a duplicate event id is dropped (nil), a full queue
// returns ErrBusy, and after Shutdown it returns ErrClosed. On ErrBusy the
// event's id is forgotten and nobody has been told: the adapter either
// leaves the event unacknowledged so the platform sends it again
// (LeftForRetry) or tells the user (TellBusy, BusyReply), so that no event
// is dropped silently.
func (e *Engine) Submit(ev Event, to Replier) error {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return ErrClosed
	}
	if !e.admit(ev) {
		return nil
	}
	e.metrics.queue.Inc()
	select {
	case e.jobs <- job{ev: ev, to: to}:
		return nil
	default:
	}
	e.metrics.queue.Dec()
	// Forget the id so the platform's own retry of this event is served.
	e.settle(ev, false)
	e.metrics.dropped.WithLabelValues(dropBusy).Inc()
	e.metrics.errors.WithLabelValues(ev.Target.Platform, errBusy).Inc()
	e.log.Debug("queue full, event refused", "platform", ev.Target.Platform, "channel", ev.Target.Channel, "event", ev.ID)
	return ErrBusy
}

// Shutdown stops accepting events and waits for those in flight and queued,
// until ctx is done; then the work left is cancelled.
func (e *Engine) Shutdown(ctx context.Context) error {
	e.mu.Lock()
	if !e.closed {
		e.closed = true
		close(e.jobs)
	}
	e.mu.Unlock()
	done := make(chan struct{})
	go func() {
		e.workers.Wait()
		close(done)
	}()
	defer e.cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("shutdown: %w", ctx.Err())
	}
}

// admit applies the reasons to stay silent that need no work: a bot's
// message, a channel not allowed, an event already seen.
func (e *Engine) admit(ev Event) bool {
	reason := ""
	switch {
	case ev.FromBot:
		reason = dropFromBot
	case e.allowed != nil && !e.allowed[ev.Target.Channel]:
		reason = dropNotAllowed
	case ev.ID != "" && e.seen.duplicate(dedupKey(ev), e.now()):
		reason = dropDuplicate
	case ev.ID != "" && !e.claim(ev):
		reason = dropDuplicate
	}
	if reason != "" {
		e.metrics.dropped.WithLabelValues(reason).Inc()
		e.log.Debug("event dropped", "reason", reason, "platform", ev.Target.Platform, "channel", ev.Target.Channel, "event", ev.ID)
		return false
	}
	e.metrics.events.WithLabelValues(ev.Target.Platform, ev.Kind.String()).Inc()
	return true
}

func dedupKey(ev Event) string { return ev.Target.Platform + "\x00" + ev.ID }

// answerSafely bounds one event in time and turns a panic into a short
// error reply, so one hostile input never takes a worker down.
func (e *Engine) answerSafely(ctx context.Context, ev Event) (r *answer.Outline, ok bool) {
	ctx, cancel := context.WithTimeout(ctx, e.opts.Timeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			e.metrics.errors.WithLabelValues(ev.Target.Platform, errPanic).Inc()
			e.log.Error("panic while answering", "platform", ev.Target.Platform, "event", ev.ID,
				"panic", v, "stack", string(debug.Stack()))
			r, ok = internalErrorReply(e.fixedLanguage(ev)), true
		}
	}()
	return e.answer(ctx, ev)
}

func (e *Engine) work() {
	defer e.workers.Done()
	for j := range e.jobs {
		e.metrics.queue.Dec()
		e.handle(j)
	}
}

func (e *Engine) handle(j job) {
	start := time.Now()
	defer func() {
		e.metrics.duration.WithLabelValues(j.ev.Target.Platform).Observe(time.Since(start).Seconds())
	}()
	defer e.watch(j)()
	e.findLocale(&j)
	r, ok := e.answerSafely(e.base, j.ev)
	if !ok {
		// Silence is an answer too: a retry must stay silent as well.
		e.settle(j.ev, true)
		return
	}
	id := e.askFeedback(r)
	ctx, cancel := context.WithTimeout(e.base, e.opts.Timeout+e.opts.MaxRetryWait)
	defer cancel()
	// deliver logs and counts its own failures.
	p, err := e.deliver(ctx, j.to, j.ev.Target, r)
	e.settle(j.ev, err == nil)
	if err == nil {
		e.record(ctx, j.ev, r, id, p.Posted)
	}
}

// claim takes a new event id in the shared claims, when there are any.
// Redis down or slow fails open: this process's memory (already consulted)
// decides, and the event is answered.
func (e *Engine) claim(ev Event) bool {
	if e.opts.Claims == nil {
		return true
	}
	ok, err := e.opts.Claims.Claim(e.base, dedupKey(ev))
	if err != nil {
		e.metrics.dedupFallback.Inc()
		return true
	}
	return ok
}

// settle ends an event's claim: answered (or deliberately silent) keeps the
// id for the expiry; not delivered releases it, here and in the shared
// claims, so the platform's retry is answered by whichever replica gets it.
func (e *Engine) settle(ev Event, answered bool) {
	if ev.ID == "" {
		return
	}
	key := dedupKey(ev)
	if !answered {
		e.seen.forget(key)
	}
	if e.opts.Claims == nil {
		return
	}
	ctx, cancel := context.WithTimeout(e.base, 5*time.Second)
	defer cancel()
	var err error
	if answered {
		err = e.opts.Claims.Done(ctx, key)
	} else {
		err = e.opts.Claims.Release(ctx, key)
	}
	if err != nil {
		e.metrics.dedupFallback.Inc()
	}
}

// watch calls the Replier's Begin hook, when it has one, and returns its
// end, which handle defers so that it runs however the event ends. A
// panicking hook costs its marker, not the worker.
func (e *Engine) watch(j job) (end func()) {
	w, ok := j.to.(Watcher)
	if !ok {
		return func() {}
	}
	safely := func(what string, f func()) {
		defer func() {
			if v := recover(); v != nil {
				e.metrics.errors.WithLabelValues(j.ev.Target.Platform, errPanic).Inc()
				e.log.Error("panic in "+what+" hook", "platform", j.ev.Target.Platform, "event", j.ev.ID, "panic", v, "stack", string(debug.Stack()))
			}
		}()
		f()
	}
	var stop func(context.Context)
	safely("begin", func() { stop = w.Begin(e.base, j.ev) })
	return func() {
		if stop != nil {
			// The end must run even while shutting down.
			safely("end", func() { stop(context.WithoutCancel(e.base)) })
		}
	}
}
