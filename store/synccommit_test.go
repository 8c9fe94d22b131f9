package store

import (
	"context"
	"testing"

	"github.com/vssbot/vssbot/internal/servicetest"
)

// The answer path does not wait for PostgreSQL's WAL flush unless the DSN
// asks to.
func TestPostgresCommitsAsynchronously(t *testing.T) {
	dsn := servicetest.Postgres(t)
	for _, tc := range []struct{ dsn, want string }{
		{dsn, "off"},
		{dsn + "&synchronous_commit=on", "on"},
	} {
		s, err := Open(context.Background(), Config{DSN: tc.dsn}, quiet)
		if err != nil {
			t.Fatal(err)
		}
		var v string
		err = s.db.QueryRow("SHOW synchronous_commit").Scan(&v)
		s.Close()
		if err != nil || v != tc.want {
			t.Fatalf("synchronous_commit = %q (%v), want %s", v, err, tc.want)
		}
	}
}
