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

// Budgets beyond memory.statement_timeout: a report reads more, a purge
// deletes a day's worth; both are off the answer path.
const (
	reportBudget = 10 * time.Second
	purgeBudget  = time.Minute
)

// Degraded says why the team memory is down, or "".
func (s *Team) Degraded() string { return s.health.Why() }

// Outages counts the times the team memory went down.
func (s *Team) Outages() int64 { return s.health.Outages() }

// op runs f within budget (memory.statement_timeout when zero; none when
// that is zero too). While the
// store is down it fails at once with ErrUnavailable; a failure of the
// database itself (not a refusal such as ErrTooManyNotes, nor the caller
// giving up) takes it down until a probe finds the database back.
func (s *Team) op(ctx context.Context, budget time.Duration, f func(ctx context.Context) error) error {
	if s.health.Down() {
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

// fail takes the team memory down, logging once; the probe (ready) brings
// it back.
func (s *Team) fail(why string) {
	if s.health.Fail("team memory " + why) {
		s.log.Warn("team memory down: answers go on without notes and unrecorded until it is back", "reason", why)
	}
}

// ready pings within the connect timeout and applies the migrations not
// yet applied: the probe of an outage.
func (s *Team) ready() error {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ConnectTimeout)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	migrated := s.migrated
	s.mu.Unlock()
	if migrated {
		return nil
	}
	if err := s.migrate(context.Background()); err != nil {
		return err
	}
	s.mu.Lock()
	s.migrated = true
	s.mu.Unlock()
	return nil
}
