// Package servicetest gives tests their own corner of the real PostgreSQL
// and Redis servers: a fresh schema, a fresh key prefix. Where a server is
// absent the test is skipped with one line saying why, unless
// VSSBOT_TEST_REQUIRE_SERVICES=1 (set by CI) makes that a failure.
package servicetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// Environment variables.
const (
	// RequireEnv set to 1 turns a missing server into a test failure.
	RequireEnv = "VSSBOT_TEST_REQUIRE_SERVICES"
	// PostgresEnv overrides the PostgreSQL URL.
	PostgresEnv = "VSSBOT_TEST_POSTGRES_URL"
	// RedisEnv overrides the Redis URL.
	RedisEnv = "VSSBOT_TEST_REDIS_URL"
)

const (
	defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	defaultRedis    = "redis://127.0.0.1:6379/0"
)

func setting(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// unavailable skips or fails t for a server that cannot be reached.
func unavailable(t testing.TB, what, addr string, err error) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s at %s is required (%s=1) but unreachable: %v", what, addr, RequireEnv, err)
	}
	t.Skipf("skipped: %s not reachable at %s (%v); %s=1 makes this a failure", what, addr, err, RequireEnv)
}

// reachable dials the server's address briefly.
func reachable(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return raw, err
	}
	c, err := net.DialTimeout("tcp", u.Host, time.Second)
	if err != nil {
		return u.Host, err
	}
	c.Close()
	return u.Host, nil
}

// Name returns a fresh lower-case identifier with prefix.
func Name(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// Postgres returns the URL of a schema of its own in the test database,
// dropped when t ends.
func Postgres(t testing.TB) string {
	t.Helper()
	base := setting(PostgresEnv, defaultPostgres)
	addr, err := reachable(base)
	if err != nil {
		unavailable(t, "PostgreSQL", addr, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", base)
	if err == nil {
		err = db.PingContext(ctx)
	}
	if err != nil {
		unavailable(t, "PostgreSQL", addr, err)
	}
	schema := Name("vssbot_test_")
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		db.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
		db.Close()
	})
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Redis returns the server's URL and a key prefix of the test's own.
func Redis(t testing.TB) (rawURL, prefix string) {
	t.Helper()
	raw := setting(RedisEnv, defaultRedis)
	if addr, err := reachable(raw); err != nil {
		unavailable(t, "Redis", addr, err)
	}
	return raw, Name("vssbot-test-") + ":"
}
