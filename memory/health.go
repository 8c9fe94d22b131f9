package memory

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrUnavailable is returned at once, without waiting on the database,
// while the team memory is down: unreachable, slower than
// memory.statement_timeout, or not yet migrated.
var ErrUnavailable = errors.New("memory: team memory unavailable")

// ErrBadInput is a call the team memory refuses before asking the database.
var ErrBadInput = errors.New("memory: bad input")

// probeEvery is how often a down team memory checks whether the database is back.
const probeEvery = time.Second

// Budgets beyond memory.statement_timeout: a report reads more, a purge
// deletes a day's worth; both are off the answer path.
const (
	reportBudget = 10 * time.Second
	purgeBudget  = time.Minute
)

// Degraded says why the team memory is down, or "".
func (s *Team) Degraded() string {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if !s.down {
		return ""
	}
	return s.why
}

// Outages counts the times the team memory went down.
func (s *Team) Outages() int64 {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	return s.outages
}

// op runs f within budget (memory.statement_timeout when zero; none when
// that is zero too). While the
// store is down it fails at once with ErrUnavailable; a failure of the
// database itself (not a refusal such as ErrTooManyNotes, nor the caller
// giving up) takes it down until a probe finds the database back.
func (s *Team) op(ctx context.Context, budget time.Duration, f func(ctx context.Context) error) error {
	if s.Degraded() != "" {
		return ErrUnavailable
	}
	if budget == 0 {
		budget = s.cfg.StatementTimeout
	}
	octx, cancel := ctx, context.CancelFunc(func() {})
	if budget > 0 {
		octx, cancel = context.WithTimeout(ctx, budget)
	}
	defer cancel()
	err := f(octx)
	if err != nil && ctx.Err() == nil && isOutage(err) {
		s.fail(fmt.Sprintf("database unreachable or slower than %s: %v", budget, err))
	}
	return err
}

// isOutage tells a database failure from an answer the team memory gives on
// purpose.
func isOutage(err error) bool {
	for _, e := range []error{ErrNoteEmpty, ErrNoteTooLong, ErrTooManyNotes, ErrUnknownNote, ErrNotAuthor, ErrUnavailable, ErrBadInput, ErrUnknownAnswer} {
		if errors.Is(err, e) {
			return false
		}
	}
	return !isNoRows(err)
}

// fail takes the team memory down, logging once, and starts the probe.
func (s *Team) fail(why string) {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if s.down {
		return
	}
	s.down, s.why = true, "team memory "+why
	s.outages++
	s.log.Warn("team memory down: answers go on without notes and unrecorded until it is back", "reason", why)
	s.probes.Add(1)
	go s.probe()
}

// probe pings until the database answers (and migrates it if it never
// was), then brings the team memory back.
func (s *Team) probe() {
	defer s.probes.Done()
	t := time.NewTicker(probeEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		if err := s.ready(); err != nil {
			s.log.Debug("team memory still down", "err", err)
			continue
		}
		s.hmu.Lock()
		s.down, s.why = false, ""
		s.hmu.Unlock()
		s.log.Info("team memory reachable again")
		return
	}
}

// ready pings within the connect timeout and applies the migrations not
// yet applied.
func (s *Team) ready() error {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ConnectTimeout)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		return err
	}
	s.hmu.Lock()
	migrated := s.migrated
	s.hmu.Unlock()
	if migrated {
		return nil
	}
	if err := s.migrate(context.Background()); err != nil {
		return err
	}
	s.hmu.Lock()
	s.migrated = true
	s.hmu.Unlock()
	return nil
}
