// Package outage follows a dependency that can go down: Redis for the
// shared claims, the database of the team memory. The first failure takes
// it down, counted once; while it is down callers fail at once instead of
// waiting on it; a probe tries it every second and lifts the outage when it
// answers.
package outage

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Every is how often a down dependency is tried again.
const Every = time.Second

// Watch is the health of one dependency. It is safe for concurrent use.
type Watch struct {
	probe func() error // nil when the dependency answers again
	log   *slog.Logger
	back  string // logged when the outage ends

	down    atomic.Bool // read on every call to the dependency
	outages atomic.Int64
	mu      sync.Mutex // orders Fail and the probe's lift; guards why
	why     string
	stop    chan struct{}
	closed  sync.Once
	probes  sync.WaitGroup
}

// New watches a dependency that probe checks; back is the sentence logged
// when it answers again.
func New(probe func() error, log *slog.Logger, back string) *Watch {
	if log == nil {
		log = slog.Default()
	}
	return &Watch{probe: probe, log: log, back: back, stop: make(chan struct{})}
}

// Down reports whether the dependency is down.
func (w *Watch) Down() bool { return w.down.Load() }

// Why says why the dependency is down, "" while it is up.
func (w *Watch) Why() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.why
}

// Outages counts the times the dependency went down.
func (w *Watch) Outages() int64 { return w.outages.Load() }

// Fail takes the dependency down for why and starts the probe, unless it
// is down already. It reports whether this call took it down, so that the
// caller says once what the outage means.
func (w *Watch) Fail(why string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.down.Load() {
		return false
	}
	w.why = why
	w.down.Store(true)
	w.outages.Add(1)
	w.probes.Add(1)
	go w.run()
	return true
}

// run probes until the dependency answers or Close.
func (w *Watch) run() {
	defer w.probes.Done()
	t := time.NewTicker(Every)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
		}
		if err := w.probe(); err != nil {
			w.log.Debug("still down", "err", err)
			continue
		}
		w.mu.Lock()
		w.why = ""
		w.down.Store(false)
		w.mu.Unlock()
		w.log.Info(w.back)
		return
	}
}

// Close stops the probe and waits for it.
func (w *Watch) Close() {
	w.closed.Do(func() { close(w.stop) })
	w.probes.Wait()
}
