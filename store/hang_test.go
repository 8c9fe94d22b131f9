package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vssbot/vssbot/internal/servicetest"
)

// hungCfg points the store at a PostgreSQL that accepts connections and
// answers nothing, with short timeouts.
func hungCfg(t *testing.T) Config {
	p := servicetest.NewProxy(t, "")
	return Config{DSN: "postgres://vssbot@" + p.Addr() + "/test?sslmode=disable", ConnectTimeout: time.Second, StatementTimeout: 300 * time.Millisecond}
}

// TestHungAtStart: a CLI Open fails within the connect timeout instead of
// the migration's two minutes; a server's store opens down, says why, and
// refuses at once.
func TestHungAtStart(t *testing.T) {
	cfg := hungCfg(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	if s, err := Open(ctx, cfg, quiet); err == nil {
		s.Close()
		t.Fatal("Open succeeded on a database that answers nothing")
	}
	t.Logf("Open gave up after %s", time.Since(start))
	if ctx.Err() != nil {
		t.Fatal("Open waited past the test's own deadline")
	}
	s, err := OpenServing(ctx, cfg, quiet)
	if err != nil {
		t.Fatalf("OpenServing: %v", err)
	}
	defer s.Close()
	if s.Degraded() == "" {
		t.Fatal("a store that never reached its database is not degraded")
	}
	if _, err := s.Notes(ctx, "slack", "T1", "0x800423f2", 3); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Notes on a down store: %v, want ErrUnavailable", err)
	}
}

// TestHungMidway: a PostgreSQL that stops answering costs one call the
// statement timeout, then the store is degraded and calls fail at once;
// when it answers again the store comes back by itself.
func TestHungMidway(t *testing.T) {
	dsn := servicetest.Postgres(t)
	p := servicetest.NewProxy(t, servicetest.HostOf(t, dsn))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := OpenServing(ctx, Config{DSN: p.Via(t, dsn), ConnectTimeout: time.Second, StatementTimeout: 300 * time.Millisecond}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Notes(ctx, "slack", "T1", "0x800423f2", 3); err != nil || s.Degraded() != "" {
		t.Fatalf("healthy store: %v %q", err, s.Degraded())
	}
	p.Hang()
	start := time.Now()
	_, err = s.Notes(ctx, "slack", "T1", "0x800423f2", 3)
	if err == nil || ctx.Err() != nil {
		t.Fatalf("read from a hung database: %v", err)
	}
	t.Logf("first read on the hung database gave up after %s", time.Since(start))
	if s.Degraded() == "" {
		t.Fatal("not degraded after the database hung")
	}
	if err := s.RecordAnswer(ctx, answer(time.Now(), "C1", "0x800423f2")); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("record while down: %v, want ErrUnavailable at once", err)
	}
	p.Resume()
	for s.Degraded() != "" {
		select {
		case <-ctx.Done():
			t.Fatal("the store never came back after the database did")
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err := s.RecordAnswer(ctx, answer(time.Now(), "C1", "0x800423f2")); err != nil {
		t.Fatalf("record once back: %v", err)
	}
	if s.Outages() != 1 {
		t.Errorf("outages %d, want 1", s.Outages())
	}
}

// TestTimeoutsValidate: the timeouts are bounded and 0 means the default.
func TestTimeoutsValidate(t *testing.T) {
	for _, c := range []struct {
		cfg Config
		ok  bool
	}{
		{Config{ConnectTimeout: DefaultConnectTimeout, StatementTimeout: DefaultStatementTimeout}, true},
		{Config{}, true},
		{Config{ConnectTimeout: 500 * time.Millisecond}, false},
		{Config{StatementTimeout: -time.Second}, false},
		{Config{StatementTimeout: time.Hour}, false},
	} {
		if err := c.cfg.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v: %v", c.cfg, err)
		}
	}
}
