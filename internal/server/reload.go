package server

import (
	"context"
	"errors"
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
// validation is refused: the running base stays.
type Reloader struct {
	dir    string
	limits parse.Limits
	log    *slog.Logger
	cur    atomic.Pointer[loaded]
	mu     sync.Mutex // one reload at a time

	applied atomic.Uint64
	refused atomic.Uint64
}

// reloadDelay gathers the burst of events an editor's save makes (write,
// chmod, rename) into one reload.
const reloadDelay = 300 * time.Millisecond

// NewReloader loads the embedded base with the overlay of dir (none when
// dir is empty) and builds its parser with limits. log may be nil.
func NewReloader(dir string, limits parse.Limits, log *slog.Logger) (*Reloader, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Reloader{dir: dir, limits: limits, log: log}
	l, err := r.load()
	if err != nil {
		return nil, err
	}
	r.cur.Store(l)
	return r, nil
}

func (r *Reloader) load() (*loaded, error) {
	b, err := knowledge.Load(r.dir)
	if err != nil {
		return nil, err
	}
	return &loaded{base: b, parser: parse.New(b, r.limits)}, nil
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
	l, err := r.load()
	if err != nil {
		r.refused.Add(1)
		r.log.Error("knowledge overlay refused; the running knowledge base stays", "dir", r.dir, "err", err)
		return err
	}
	r.cur.Store(l)
	r.applied.Add(1)
	c := l.base.Coverage()
	r.log.Info("knowledge overlay reloaded", "dir", r.dir, "codes", c.Codes, "events", c.Events, "writers", c.Writers)
	return nil
}

// Reloads counts the reloads applied and refused since start.
func (r *Reloader) Reloads() (applied, refused uint64) {
	return r.applied.Load(), r.refused.Load()
}

// Watch reloads on every value received from signals (SIGHUP) and when a
// YAML file of the overlay directory is written, created, removed or
// renamed, until ctx is done. Without an overlay directory, or when it
// cannot be watched (logged), only signals count.
func (r *Reloader) Watch(ctx context.Context, signals <-chan os.Signal) {
	var events <-chan fsnotify.Event
	var errs <-chan error
	if r.dir != "" {
		if w, err := r.watcher(); err != nil {
			r.log.Error("knowledge overlay files not watched; SIGHUP still reloads", "dir", r.dir, "err", err)
		} else {
			defer w.Close()
			events, errs = w.Events, w.Errors
		}
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-signals:
			r.log.Info("reloading the knowledge overlay on signal", "dir", r.dir)
			_ = r.Reload() // logged and counted by Reload
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
				r.log.Warn("watching the knowledge overlay", "dir", r.dir, "err", err)
				continue
			}
			timer.Reset(reloadDelay) // events were lost: read everything again
		case <-timer.C:
			_ = r.Reload()
		}
	}
}

func (r *Reloader) watcher() (*fsnotify.Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	if err := w.Add(r.dir); err != nil {
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
