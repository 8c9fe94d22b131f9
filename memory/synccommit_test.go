package memory

import (
	"context"
	"fmt"
	"net/url"
	"strings"
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

func TestKeywordDSNIsPostgres(t *testing.T) {
	for _, tc := range []struct {
		dsn     string
		dialect string
	}{
		{"host=127.0.0.1 port=5432 dbname=test user=postgres sslmode=disable", "postgres"},
		{"/var/lib/vssbot/stats.db", "sqlite"},
		{"file:stats.db?_pragma=busy_timeout(1000)", "sqlite"},
		{"postgresql://db/vssbot", "postgres"},
	} {
		d, _, err := parseDSN(tc.dsn)
		if err != nil || d.name != tc.dialect {
			t.Errorf("%q: %s, %v; want %s", tc.dsn, d.name, err, tc.dialect)
		}
	}
	// And it connects.
	base := servicetest.Postgres(t)
	u, _ := url.Parse(base)
	kw := fmt.Sprintf("host=%s port=%s dbname=%s user=%s sslmode=disable search_path=%s",
		u.Hostname(), u.Port(), strings.TrimPrefix(u.Path, "/"), u.User.Username(), u.Query().Get("search_path"))
	s, err := Open(context.Background(), Config{DSN: kw}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}
