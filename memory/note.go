package memory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of team notes: one is a sentence or two, and a code keeps a short
// list, so an answer's "Team notes" stays readable and the table small.
const (
	MaxNoteRunes    = 300
	MaxNotesPerCode = 20
)

// noteLockKey is the first key of the advisory locks on a code's notes
// ("note" in ASCII), apart from the migration lock.
const noteLockKey = 0x6e6f7465

// Note errors, for the bot to word for the user.
var (
	ErrNoteEmpty    = errors.New("memory: the note is empty")
	ErrNoteTooLong  = fmt.Errorf("memory: a note holds at most %d characters", MaxNoteRunes)
	ErrTooManyNotes = fmt.Errorf("memory: a code keeps at most %d notes", MaxNotesPerCode)
	ErrUnknownNote  = errors.New("memory: no such note")
	ErrNotAuthor    = errors.New("memory: only the note's author or an admin may remove it")
)

// Note is a team's words on a code, kept per workspace (Slack team, Discord
// guild; empty for direct messages and the terminal).
type Note struct {
	ID        string
	Platform  string
	Workspace string
	Code      string // canonical, as knowledge.Diagnosis.Code
	Author    string // the platform's user id
	Text      string
	At        time.Time
}

// cleanNote keeps a note on one line without control characters.
func cleanNote(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }), " ")
}

// AddNote stores n, giving it an id and a time when it has none. The count
// per code is checked in the same transaction as the insert.
func (s *Team) AddNote(ctx context.Context, n Note) (out Note, err error) {
	err = s.op(ctx, 0, func(ctx context.Context) error {
		out, err = s.addNote(ctx, n)
		return err
	})
	return out, err
}

func (s *Team) addNote(ctx context.Context, n Note) (Note, error) {
	n.Text = cleanNote(n.Text)
	switch {
	case n.Text == "":
		return Note{}, ErrNoteEmpty
	case utf8.RuneCountInString(n.Text) > MaxNoteRunes:
		return Note{}, ErrNoteTooLong
	}
	if n.ID == "" {
		n.ID = NewID()[:10]
	}
	if n.At.IsZero() {
		n.At = time.Now()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Note{}, fmt.Errorf("memory: add note: %w", err)
	}
	defer tx.Rollback()
	// The count and the insert are one step: PostgreSQL serialises the adds
	// on one code under a transaction-scoped advisory lock (SQLite's
	// BEGIN IMMEDIATE already holds the database's write lock), so
	// concurrent adds on every replica never pass the limit together.
	if s.d.name == postgres.name {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", int32(noteLockKey),
			n.Platform+"\x1f"+n.Workspace+"\x1f"+n.Code); err != nil {
			return Note{}, fmt.Errorf("memory: add note: lock: %w", err)
		}
	}
	var count int
	if err := tx.QueryRowContext(ctx, s.d.rebind("SELECT COUNT(*) FROM notes WHERE platform = ? AND workspace = ? AND code = ?"),
		n.Platform, n.Workspace, n.Code).Scan(&count); err != nil {
		return Note{}, fmt.Errorf("memory: add note: %w", err)
	}
	if count >= MaxNotesPerCode {
		return Note{}, ErrTooManyNotes
	}
	if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO notes (id, platform, workspace, code, author, text, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`), n.ID, n.Platform, n.Workspace, n.Code, n.Author, n.Text, millis(n.At)); err != nil {
		return Note{}, fmt.Errorf("memory: add note: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Note{}, fmt.Errorf("memory: add note: %w", err)
	}
	return n, nil
}

// Notes returns a code's notes in a workspace, newest first, at most limit
// of them (all when limit <= 0).
func (s *Team) Notes(ctx context.Context, platform, workspace, code string, limit int) (out []Note, err error) {
	err = s.op(ctx, 0, func(ctx context.Context) error {
		out, err = s.notes(ctx, platform, workspace, code, limit)
		return err
	})
	return out, err
}

func (s *Team) notes(ctx context.Context, platform, workspace, code string, limit int) ([]Note, error) {
	if limit <= 0 || limit > MaxNotesPerCode {
		limit = MaxNotesPerCode
	}
	q, args := `SELECT id, platform, workspace, author, text, at FROM notes
		WHERE platform = ? AND workspace = ? AND code = ? ORDER BY at DESC, id LIMIT ?`, []any{platform, workspace, code, limit}
	if s.cfg.Scope == ScopeAll {
		q, args = `SELECT id, platform, workspace, author, text, at FROM notes
		WHERE code = ? ORDER BY at DESC, id LIMIT ?`, []any{code, limit}
	}
	rows, err := s.db.QueryContext(ctx, s.d.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("memory: read notes: %w", err)
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		n := Note{Code: code}
		var at int64
		if err := rows.Scan(&n.ID, &n.Platform, &n.Workspace, &n.Author, &n.Text, &at); err != nil {
			return nil, fmt.Errorf("memory: read notes: %w", err)
		}
		n.At = time.UnixMilli(at).UTC()
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("memory: read notes: %w", err)
	}
	return out, nil
}

// RemoveNote deletes a note of the workspace when user wrote it or admin
// is set, and returns it.
func (s *Team) RemoveNote(ctx context.Context, platform, workspace, id, user string, admin bool) (out Note, err error) {
	err = s.op(ctx, 0, func(ctx context.Context) error {
		out, err = s.removeNote(ctx, platform, workspace, id, user, admin)
		return err
	})
	return out, err
}

func (s *Team) removeNote(ctx context.Context, platform, workspace, id, user string, admin bool) (Note, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Note{}, fmt.Errorf("memory: remove note: %w", err)
	}
	defer tx.Rollback()
	n := Note{ID: id, Platform: platform, Workspace: workspace}
	var at int64
	err = tx.QueryRowContext(ctx, s.d.rebind("SELECT code, author, text, at FROM notes WHERE id = ? AND platform = ? AND workspace = ?"),
		id, platform, workspace).Scan(&n.Code, &n.Author, &n.Text, &at)
	switch {
	case isNoRows(err):
		return Note{}, ErrUnknownNote
	case err != nil:
		return Note{}, fmt.Errorf("memory: remove note: %w", err)
	case n.Author != user && !admin:
		return Note{}, ErrNotAuthor
	}
	n.At = time.UnixMilli(at).UTC()
	if _, err := tx.ExecContext(ctx, s.d.rebind("DELETE FROM notes WHERE id = ?"), id); err != nil {
		return Note{}, fmt.Errorf("memory: remove note: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Note{}, fmt.Errorf("memory: remove note: %w", err)
	}
	return n, nil
}
