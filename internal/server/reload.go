package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/parse"
)

// loaded is one base and the parser built on its vocabulary; they are
// swapped together so an event never mixes two generations.
type loaded struct {
	base   *knowledge.Base
	parser *parse.Parser
}

// Reloader holds the running base and replaces it when the operator's
// overlay directory changes. Readers take the current pair per event with
// Current; a reload never touches a pair already handed out, so work in
// flight finishes on the base it started with. An overlay that fails
// validation, breaks the limits of Config or takes longer than its reload
// timeout to read is refused: the running base stays.
type Reloader struct {
	cfg    knowledge.Config
	limits parse.Limits
	log    *slog.Logger
	cur    atomic.Pointer[loaded]
	mu     sync.Mutex // one reload at a time
	// reading is closed when a load that timed out ends, nil when none
	// is left running: at most one such load at a time.
	reading chan struct{}
	read    func(knowledge.Config) (*knowledge.Base, error) // Config.Load; tests stand in a slow disk

	applied atomic.Uint64
	refused atomic.Uint64
}

// reloadDelay gathers the burst of events an editor's save makes (write,
// chmod, rename) into one reload.
const reloadDelay = 300 * time.Millisecond

// NewReloader loads the embedded base with the overlay of c.Dir (none when
// empty) and builds its parser with limits. An overlay refused at start
// is refused as on a reload (logged, counted) and the embedded base
// serves alone, so that a bad overlay never keeps the bot from starting.
// log may be nil.
func NewReloader(c knowledge.Config, limits parse.Limits, log *slog.Logger) (*Reloader, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Reloader{cfg: c.WithDefaults(), limits: limits, log: log, read: knowledge.Config.Load}
	l, err := r.loadWithin()
	if err != nil && r.cfg.Dir != "" {
		r.refuse("knowledge overlay refused at start; the built-in knowledge base serves alone", err)
		l, err = r.load(knowledge.Config{})
	}
	if err != nil {
		return nil, err
	}
	r.cur.Store(l)
	return r, nil
}

func (r *Reloader) load(c knowledge.Config) (*loaded, error) {
	b, err := r.read(c)
	if err != nil {
		return nil, err
	}
	return &loaded{base: b, parser: parse.New(b, r.limits)}, nil
}

// loadWithin loads the overlay in its own goroutine and waits for it at
// most the reload timeout, so that a file system that stops answering
// holds nobody. A load that timed out is left to end; no other starts
// until it has.
func (r *Reloader) loadWithin() (*loaded, error) {
	if r.reading != nil {
		select {
		case <-r.reading:
			r.reading = nil
		default:
			return nil, errors.New("an earlier reload that timed out is still reading the overlay")
		}
	}
	type result struct {
		l   *loaded
		err error
	}
	done := make(chan result, 1)
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		l, err := r.load(r.cfg)
		done <- result{l, err}
	}()
	timeout := time.NewTimer(r.cfg.ReloadTimeout)
	defer timeout.Stop()
	select {
	case res := <-done:
		return res.l, res.err
	case <-timeout.C:
		r.reading = ended
		return nil, fmt.Errorf("reading the overlay took longer than kb.reload_timeout (%v)", r.cfg.ReloadTimeout)
	}
}

func (r *Reloader) refuse(msg string, err error) {
	r.refused.Add(1)
	r.log.Error(msg, "dir", r.cfg.Dir, "err", err)
}

// Current returns the running base and its parser.
func (r *Reloader) Current() (*knowledge.Base, *parse.Parser) {
	l := r.cur.Load()
	return l.base, l.parser
}

// Reload reads the overlay again. On success the new base serves every
// event that starts afterwards; on failure the running base stays, and the
// error says why (it is also logged and counted).
func (r *Reloader) Reload() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	l, err := r.loadWithin()
	if err != nil {
		r.refuse("knowledge overlay refused; the running knowledge base stays", err)
		return err
	}
	r.cur.Store(l)
	r.applied.Add(1)
	c := l.base.Coverage()
	r.log.Info("knowledge overlay reloaded", "dir", r.cfg.Dir, "codes", c.Codes, "events", c.Events, "writers", c.Writers)
	return nil
}

// Reloads counts the reloads applied and refused since start.
func (r *Reloader) Reloads() (applied, refused uint64) {
	return r.applied.Load(), r.refused.Load()
}

// Watch reloads on every value received from signals (SIGHUP) and when a
// YAML file of the overlay directory is written, created, removed or
// renamed, until ctx is done. Without an overlay directory, or when it
// cannot be watched (logged), only signals count. Reloads run one at a
// time beside the loop, which never waits on the overlay's files; requests
// made during a reload are gathered into one more.
func (r *Reloader) Watch(ctx context.Context, signals <-chan os.Signal) {
	var events <-chan fsnotify.Event
	var errs <-chan error
	if r.cfg.Dir != "" {
		if w, err := r.watcher(); err != nil {
			r.log.Error("knowledge overlay files not watched; SIGHUP still reloads", "dir", r.cfg.Dir, "err", err)
		} else {
			defer w.Close()
			events, errs = w.Events, w.Errors
		}
	}
	kick := make(chan struct{}, 1)
	reload := func() {
		select {
		case kick <- struct{}{}:
		default: // one is already due
		}
	}
	var reloader sync.WaitGroup
	reloader.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-kick:
				_ = r.Reload() // logged and counted by Reload
			}
		}
	})
	defer reloader.Wait()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-signals:
			r.log.Info("reloading the knowledge overlay on signal", "dir", r.cfg.Dir)
			reload()
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if overlayFile(ev.Name) && ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Remove|fsnotify.Rename) != 0 {
				timer.Reset(reloadDelay)
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			if !errors.Is(err, fsnotify.ErrEventOverflow) {
				r.log.Warn("watching the knowledge overlay", "dir", r.cfg.Dir, "err", err)
				continue
			}
			timer.Reset(reloadDelay) // events were lost: read everything again
		case <-timer.C:
			reload()
		}
	}
}

func (r *Reloader) watcher() (*fsnotify.Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	if err := w.Add(r.cfg.Dir); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// overlayFile reports whether a changed path is one the overlay reads.
func overlayFile(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}
