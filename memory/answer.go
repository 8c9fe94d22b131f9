package memory

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Source says how a question came.
type Source string

// Sources.
const (
	Paste Source = "paste" // log text pasted in a message
	File  Source = "file"  // a log file attached
	Slash Source = "slash" // a slash command
	CLI   Source = "cli"   // the terminal
)

// Finding kinds as stored.
const (
	KindCode   = "code"
	KindWriter = "writer"
	KindState  = "state"
	KindEvent  = "event"
	KindFile   = "file"
)

// Finding is one distinct thing an answer found. Name is the code's
// symbolic name, empty for the other kinds.
type Finding struct {
	Kind  string
	Value string
	Name  string
}

// Answer is what is recorded of one answer: never the log text, file names
// only when Config.FileNames allows.
type Answer struct {
	ID        string // NewID; also what feedback buttons carry
	At        time.Time
	Platform  string
	Workspace string // Slack team, Discord guild; empty in DMs and the CLI
	Channel   string
	Source    Source
	Lang      string
	MessageID string // the message answered
	Kind      string // diagnosis, lookup
	Findings  []Finding
}

// Opaque stands for a value that must not be stored as it is (a writer a
// log names that the knowledge base does not know): its label and a hash,
// enough to count repeats, nothing to read the value back from.
func Opaque(label, value string) string {
	sum := sha256.Sum256([]byte("vssbot-opaque\x00" + label + "\x00" + value))
	return label + " " + hex.EncodeToString(sum[:6])
}

// NewID returns a fresh answer id: 16 random bytes in hex.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// ValidID reports whether id has NewID's form.
func ValidID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

// RecordAnswer stores a, its findings de-duplicated, in one transaction.
// Recording the same id twice keeps the first.
func (s *Team) RecordAnswer(ctx context.Context, a Answer) error {
	return s.op(ctx, 0, func(ctx context.Context) error { return s.recordAnswer(ctx, a) })
}

func (s *Team) recordAnswer(ctx context.Context, a Answer) error {
	if a.ID == "" {
		return fmt.Errorf("%w: answer without id", ErrBadInput)
	}
	if a.At.IsZero() {
		a.At = time.Now()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("memory: record answer: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO answers
		(id, at, platform, workspace, channel, source, lang, message_id, kind)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
		a.ID, millis(a.At), a.Platform, a.Workspace, a.Channel, string(a.Source), a.Lang, a.MessageID, a.Kind)
	if err != nil {
		return fmt.Errorf("memory: record answer: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // a retry of a recorded answer
	}
	// One statement for all findings: each round trip counts on the
	// answer path.
	seen := make(map[Finding]bool, len(a.Findings))
	var q strings.Builder
	args := make([]any, 0, 4*len(a.Findings))
	for _, f := range a.Findings {
		key := Finding{Kind: f.Kind, Value: f.Value}
		if f.Value == "" || seen[key] || (f.Kind == KindFile && !s.cfg.FileNames) {
			continue
		}
		seen[key] = true
		if q.Len() == 0 {
			q.WriteString("INSERT INTO findings (answer_id, kind, value, name) VALUES (?, ?, ?, ?)")
		} else {
			q.WriteString(", (?, ?, ?, ?)")
		}
		args = append(args, a.ID, f.Kind, f.Value, f.Name)
	}
	if q.Len() > 0 {
		if _, err := tx.ExecContext(ctx, s.d.rebind(q.String()), args...); err != nil {
			return fmt.Errorf("memory: record findings: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("memory: record answer: %w", err)
	}
	return nil
}
