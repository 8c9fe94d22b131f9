package memory

import (
	"fmt"
	"strings"
)

// Scope is the part of the team memory one workspace sees: its platform and
// workspace (Slack team, Discord guild, or DMScope for a direct message).
// The zero Scope is everything, for the operator.
type Scope struct {
	Platform  string
	Workspace string
}

// Values of memory.scope.
const (
	ScopeWorkspace = "workspace" // each workspace sees its own (the default)
	ScopeAll       = "all"       // every workspace sees every workspace's
)

// DMScope is the workspace of a user's direct messages, which belong to no
// workspace: each user is their own, kept as a hash.
func DMScope(platform, user string) string {
	return Opaque("dm", platform+"\x00"+user)
}

// where is the SQL condition on answers a, after a WHERE clause.
func (sc Scope) where() string {
	if sc == (Scope{}) {
		return ""
	}
	return " AND a.platform = ? AND a.workspace = ?"
}

func (sc Scope) args() []any {
	if sc == (Scope{}) {
		return nil
	}
	return []any{sc.Platform, sc.Workspace}
}

func validScope(v string) error {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", ScopeWorkspace, ScopeAll:
		return nil
	}
	return fmt.Errorf("%w: memory.scope %q: workspace or all", ErrInvalid, v)
}
