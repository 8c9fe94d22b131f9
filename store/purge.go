package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Purge deletes answers (with their findings and feedback) recorded before
// t, and reports how many went.
func (s *Store) Purge(ctx context.Context, before time.Time) (n int64, err error) {
	err = s.op(ctx, purgeBudget, func(ctx context.Context) error {
		n, err = s.purge(ctx, before)
		return err
	})
	return n, err
}

func (s *Store) purge(ctx context.Context, before time.Time) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: purge: %w", err)
	}
	defer tx.Rollback()
	// Children first: the foreign keys would cascade, but saying it keeps
	// the purge correct on a database opened without them enforced.
	for _, q := range []string{
		"DELETE FROM feedback WHERE at < ? OR answer_id IN (SELECT id FROM answers WHERE at < ?)",
		"DELETE FROM findings WHERE answer_id IN (SELECT id FROM answers WHERE at < ?)",
	} {
		args := []any{millis(before)}
		if strings.Count(q, "?") == 2 {
			args = append(args, millis(before))
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind(q), args...); err != nil {
			return 0, fmt.Errorf("store: purge: %w", err)
		}
	}
	res, err := tx.ExecContext(ctx, s.d.rebind("DELETE FROM answers WHERE at < ?"), millis(before))
	if err != nil {
		return 0, fmt.Errorf("store: purge: %w", err)
	}
	n, _ := res.RowsAffected()
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: purge: %w", err)
	}
	return n, nil
}

// purgeEvery is how often the retention purge runs.
const purgeEvery = 24 * time.Hour

// RunPurge removes answers older than the retention at once and then daily,
// until ctx is done. With no retention it returns at once. Every replica
// may run it: the deletes are idempotent.
func (s *Store) RunPurge(ctx context.Context, now func() time.Time) {
	if s.cfg.Retention <= 0 {
		return
	}
	if now == nil {
		now = time.Now
	}
	t := time.NewTicker(purgeEvery)
	defer t.Stop()
	for {
		n, err := s.Purge(ctx, now().Add(-s.cfg.Retention))
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("retention purge failed; next try in a day", "err", err)
		case n > 0:
			s.log.Info("retention purge", "answers_removed", n, "retention", s.cfg.Retention)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
