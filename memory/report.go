package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/vssbot/vssbot/stats"
)

// Report summarises since <= t <= until (an answer recorded at the instant
// a report is asked for counts) and compares it with the period of the same
// length before since.
func (s *Team) Report(ctx context.Context, sc Scope, since, until time.Time) (r *stats.Report, err error) {
	if s.cfg.Scope == ScopeAll {
		sc = Scope{}
	}
	err = s.op(ctx, reportBudget, func(ctx context.Context) error {
		r, err = s.report(ctx, sc, since, until)
		return err
	})
	return r, err
}

func (s *Team) report(ctx context.Context, sc Scope, since, until time.Time) (*stats.Report, error) {
	prev := since.Add(-until.Sub(since))
	// Every query filters on "a.at >= ? AND a.at < ?" then the scope's
	// condition, whose arguments follow the period's.
	cur := append([]any{millis(since), millis(until) + 1}, sc.args()...)
	before := append([]any{millis(prev), millis(since)}, sc.args()...)
	r := &stats.Report{Since: since, Until: until}
	count := "SELECT COUNT(*) FROM answers a WHERE a.at >= ? AND a.at < ?" + sc.where()
	if err := s.db.QueryRowContext(ctx, s.d.rebind(count), cur...).Scan(&r.Answers); err != nil {
		return nil, fmt.Errorf("memory: report: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, s.d.rebind(count), before...).Scan(&r.PreviousAnswers); err != nil {
		return nil, fmt.Errorf("memory: report: %w", err)
	}
	codes, err := s.findingCounts(ctx, KindCode, sc, cur, before)
	if err != nil {
		return nil, err
	}
	if err := s.verdicts(ctx, codes, sc, cur); err != nil {
		return nil, err
	}
	for _, c := range codes {
		r.Codes = append(r.Codes, *c)
	}
	writers, err := s.findingCounts(ctx, KindWriter, sc, cur, before)
	if err != nil {
		return nil, err
	}
	for _, w := range writers {
		r.Writers = append(r.Writers, stats.Writer{Writer: w.Code, Count: w.Count, Previous: w.Previous})
	}
	if r.Channels, err = s.channels(ctx, sc, cur); err != nil {
		return nil, err
	}
	slices.SortFunc(r.Codes, func(a, b stats.Code) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.Code, b.Code)) })
	slices.SortFunc(r.Writers, func(a, b stats.Writer) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.Writer, b.Writer)) })
	slices.SortFunc(r.Channels, func(a, b stats.Channel) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.Platform, b.Platform), cmp.Compare(a.Channel, b.Channel))
	})
	return r, nil
}

// findingCounts counts answers per finding value of one kind in the current
// period, with the previous period's count beside. Values seen only before
// are left out: the report is about this period.
func (s *Team) findingCounts(ctx context.Context, kind string, sc Scope, cur, before []any) (map[string]*stats.Code, error) {
	q := `SELECT f.value, MAX(f.name), COUNT(*) FROM findings f JOIN answers a ON a.id = f.answer_id
		WHERE f.kind = ? AND a.at >= ? AND a.at < ?` + sc.where() + ` GROUP BY f.value`
	out := map[string]*stats.Code{}
	err := s.each(ctx, q, append([]any{kind}, cur...), func(scan func(...any) error) error {
		c := &stats.Code{}
		if err := scan(&c.Code, &c.Name, &c.Count); err != nil {
			return err
		}
		out[c.Code] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.each(ctx, q, append([]any{kind}, before...), func(scan func(...any) error) error {
		var v, name string
		var n int
		if err := scan(&v, &name, &n); err != nil {
			return err
		}
		if c, ok := out[v]; ok {
			c.Previous = n
		}
		return nil
	})
	return out, err
}

// verdicts fills Helpful and NotHelpful: answers naming the code whose votes
// lean one way.
func (s *Team) verdicts(ctx context.Context, codes map[string]*stats.Code, sc Scope, cur []any) error {
	q := `SELECT f.value,
		SUM(CASE WHEN v.fixed > v.nh THEN 1 ELSE 0 END),
		SUM(CASE WHEN v.nh > v.fixed THEN 1 ELSE 0 END)
		FROM findings f JOIN answers a ON a.id = f.answer_id
		JOIN (SELECT answer_id,
			SUM(CASE WHEN value = 'fixed' THEN 1 ELSE 0 END) AS fixed,
			SUM(CASE WHEN value = 'not_helpful' THEN 1 ELSE 0 END) AS nh
			FROM feedback GROUP BY answer_id) v ON v.answer_id = a.id
		WHERE f.kind = 'code' AND a.at >= ? AND a.at < ?` + sc.where() + ` GROUP BY f.value`
	return s.each(ctx, q, cur, func(scan func(...any) error) error {
		var v string
		var helped, not int
		if err := scan(&v, &helped, &not); err != nil {
			return err
		}
		if c, ok := codes[v]; ok {
			c.Helpful, c.NotHelpful = helped, not
		}
		return nil
	})
}

func (s *Team) channels(ctx context.Context, sc Scope, cur []any) ([]stats.Channel, error) {
	var out []stats.Channel
	err := s.each(ctx, "SELECT a.platform, a.channel, COUNT(*) FROM answers a WHERE a.at >= ? AND a.at < ?"+sc.where()+" GROUP BY a.platform, a.channel", cur,
		func(scan func(...any) error) error {
			var c stats.Channel
			if err := scan(&c.Platform, &c.Channel, &c.Count); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	return out, err
}

// each runs a query and calls row for every result row.
func (s *Team) each(ctx context.Context, q string, args []any, row func(scan func(...any) error) error) error {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(q), args...)
	if err != nil {
		return fmt.Errorf("memory: report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return fmt.Errorf("memory: report: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("memory: report: %w", err)
	}
	return nil
}
