package memory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Seen is the last answer a workspace had about a code or a writer: where
// it was, when, and whether someone marked it Fixed it.
type Seen struct {
	Platform  string
	Workspace string
	Channel   string
	MessageID string // the message answered: the thread the answer is in
	At        time.Time
	Fixed     bool
}

// LastSeen returns the newest answer of the workspace that found value
// (of kind KindCode or KindWriter) before until and answered a message
// (an answer without one has no thread to link to). ok is false when
// there is none.
func (s *Team) LastSeen(ctx context.Context, platform, workspace, kind, value string, until time.Time) (seen Seen, ok bool, err error) {
	row := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT a.channel, a.message_id, a.at,
		EXISTS (SELECT 1 FROM feedback v WHERE v.answer_id = a.id AND v.value = ?)
		FROM answers a JOIN findings f ON f.answer_id = a.id
		WHERE a.platform = ? AND a.workspace = ? AND f.kind = ? AND f.value = ? AND a.message_id <> '' AND a.at < ?
		ORDER BY a.at DESC LIMIT 1`), string(Fixed), platform, workspace, kind, value, until.UnixMilli())
	var at int64
	seen = Seen{Platform: platform, Workspace: workspace}
	switch err := row.Scan(&seen.Channel, &seen.MessageID, &at, &seen.Fixed); {
	case errors.Is(err, sql.ErrNoRows):
		return Seen{}, false, nil
	case err != nil:
		return Seen{}, false, fmt.Errorf("memory: read last seen: %w", err)
	}
	seen.At = time.UnixMilli(at).UTC()
	return seen, true, nil
}
