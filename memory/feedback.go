package memory

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrUnknownAnswer is a vote on an answer the team memory has no record of.
var ErrUnknownAnswer = errors.New("memory: no such answer")

// Vote is a user's verdict on an answer.
type Vote string

// Votes, as the buttons send them.
const (
	Fixed      Vote = "fixed"
	NotHelpful Vote = "not_helpful"
)

// Valid reports whether v is one of the votes.
func (v Vote) Valid() bool { return v == Fixed || v == NotHelpful }

// Feedback is one click.
type Feedback struct {
	AnswerID string
	Platform string
	User     string // hashed before it is stored
	Vote     Vote
	At       time.Time
}

// Tally counts an answer's votes.
type Tally struct {
	Fixed      int
	NotHelpful int
}

// RecordFeedback records f once per user and answer: a user's later clicks
// change nothing. Only an answer the bot recorded takes votes, and only a
// user with an id votes: ErrUnknownAnswer and ErrBadInput say otherwise (a
// click reaching a replica before the answering one has committed its
// record is the engine's to try again). recorded says whether this click
// counted. The tally is
// read in the same transaction, so concurrent clicks on several replicas
// each see a consistent count.
func (s *Team) RecordFeedback(ctx context.Context, f Feedback) (t Tally, recorded bool, err error) {
	err = s.op(ctx, 0, func(ctx context.Context) error {
		var err error
		t, recorded, err = s.recordFeedback(ctx, f)
		return err
	})
	return t, recorded, err
}

func (s *Team) recordFeedback(ctx context.Context, f Feedback) (t Tally, recorded bool, err error) {
	if !f.Vote.Valid() {
		return Tally{}, false, fmt.Errorf("%w: feedback value %q", ErrBadInput, f.Vote)
	}
	if !ValidID(f.AnswerID) {
		return Tally{}, false, fmt.Errorf("%w: answer id %q", ErrBadInput, f.AnswerID)
	}
	if strings.TrimSpace(f.User) == "" {
		return Tally{}, false, fmt.Errorf("%w: a vote without a user", ErrBadInput)
	}
	if f.At.IsZero() {
		f.At = time.Now()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Tally{}, false, fmt.Errorf("memory: record feedback: %w", err)
	}
	defer tx.Rollback()
	var one int
	switch err := tx.QueryRowContext(ctx, s.d.rebind("SELECT 1 FROM answers WHERE id = ?"), f.AnswerID).Scan(&one); {
	case isNoRows(err):
		return Tally{}, false, ErrUnknownAnswer
	case err != nil:
		return Tally{}, false, fmt.Errorf("memory: record feedback: %w", err)
	}
	res, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO feedback (answer_id, voter, value, at)
		VALUES (?, ?, ?, ?) ON CONFLICT (answer_id, voter) DO NOTHING`),
		f.AnswerID, voter(f.Platform, f.User), string(f.Vote), millis(f.At))
	if err != nil {
		return Tally{}, false, fmt.Errorf("memory: record feedback: %w", err)
	}
	n, _ := res.RowsAffected()
	if t, err = tally(ctx, s, tx, f.AnswerID); err != nil {
		return Tally{}, false, err
	}
	if err := tx.Commit(); err != nil {
		return Tally{}, false, fmt.Errorf("memory: record feedback: %w", err)
	}
	return t, n > 0, nil
}

// Tally reads an answer's votes.
func (s *Team) Tally(ctx context.Context, answerID string) (t Tally, err error) {
	err = s.op(ctx, 0, func(ctx context.Context) error {
		t, err = tally(ctx, s, s.db, answerID)
		return err
	})
	return t, err
}

// queryer is a *sql.DB or a *sql.Tx.
type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func tally(ctx context.Context, s *Team, q queryer, answerID string) (Tally, error) {
	rows, err := q.QueryContext(ctx, s.d.rebind("SELECT value, COUNT(*) FROM feedback WHERE answer_id = ? GROUP BY value"), answerID)
	if err != nil {
		return Tally{}, fmt.Errorf("memory: tally: %w", err)
	}
	defer rows.Close()
	var t Tally
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return Tally{}, fmt.Errorf("memory: tally: %w", err)
		}
		switch Vote(v) {
		case Fixed:
			t.Fixed = n
		case NotHelpful:
			t.NotHelpful = n
		}
	}
	return t, rows.Err()
}

// voter is a one-way stand-in for a user: enough to count a vote once,
// nothing to find the person by.
func voter(platform, user string) string {
	sum := sha256.Sum256([]byte("vssbot-voter\x00" + platform + "\x00" + user))
	return hex.EncodeToString(sum[:16])
}
