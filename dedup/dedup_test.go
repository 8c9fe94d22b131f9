package dedup

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vssbot/vssbot/internal/chattest"
	"github.com/vssbot/vssbot/internal/servicetest"
)

func config(t *testing.T) Config {
	raw, prefix := servicetest.Redis(t)
	return Config{URL: raw, Expiry: DefaultExpiry, Lease: DefaultLease, Timeout: DefaultTimeout, Prefix: prefix}
}

func shared(t *testing.T, cfg Config, log *slog.Logger) *Shared {
	t.Helper()
	s, err := New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestClaimAcrossReplicas(t *testing.T) {
	cfg := config(t)
	a, b := shared(t, cfg, nil), shared(t, cfg, nil)
	ctx := context.Background()
	mustClaim := func(s *Shared, want bool) {
		t.Helper()
		got, err := s.Claim(ctx, "slack\x00Ev1")
		if err != nil || got != want {
			t.Fatalf("claim = %v, %v; want %v", got, err, want)
		}
	}
	mustClaim(a, true)
	mustClaim(b, false) // the retry, at the other replica
	mustClaim(a, false) // and at the same one
	// B cannot release A's claim.
	if err := b.Release(ctx, "slack\x00Ev1"); err != nil {
		t.Fatal(err)
	}
	mustClaim(b, false)
	// A could not deliver: the retry is B's.
	if err := a.Release(ctx, "slack\x00Ev1"); err != nil {
		t.Fatal(err)
	}
	mustClaim(b, true)
	if err := b.Done(ctx, "slack\x00Ev1"); err != nil {
		t.Fatal(err)
	}
	// Answered: nobody releases it, nobody claims it.
	if err := b.Release(ctx, "slack\x00Ev1"); err != nil {
		t.Fatal(err)
	}
	mustClaim(a, false)
	ttl := a.rdb.PTTL(ctx, cfg.Prefix+"slack\x00Ev1").Val()
	if ttl < DefaultExpiry-time.Minute || ttl > DefaultExpiry {
		t.Fatalf("answered id expires in %s, want about %s", ttl, DefaultExpiry)
	}
}

// A replica killed mid-answer never releases; its lease runs out and the
// retry is answered elsewhere.
func TestLeaseRunsOut(t *testing.T) {
	cfg := config(t)
	cfg.Lease = 300 * time.Millisecond
	a, b := shared(t, cfg, nil), shared(t, cfg, nil)
	ctx := context.Background()
	if ok, err := a.Claim(ctx, "Ev2"); !ok || err != nil {
		t.Fatalf("first claim: %v %v", ok, err)
	}
	if ok, _ := b.Claim(ctx, "Ev2"); ok {
		t.Fatal("claimed during the lease")
	}
	time.Sleep(400 * time.Millisecond)
	if ok, err := b.Claim(ctx, "Ev2"); !ok || err != nil {
		t.Fatalf("claim after the lease: %v %v", ok, err)
	}
}

func TestConcurrentClaimsOneWinner(t *testing.T) {
	cfg := config(t)
	// Eight fresh connections at once on a loaded machine (go test -race
	// ./... with every package) may take longer than the 200 ms a command
	// gets in production; this test is about the winner, not the timeout.
	cfg.Timeout = 5 * time.Second
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		s := shared(t, cfg, nil)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := s.Claim(context.Background(), "Ev3"); err != nil {
				t.Error(err)
			} else if ok {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d replicas claimed one event", wins.Load())
	}
}

func TestOutageFailsOpenAndRecovers(t *testing.T) {
	for _, mode := range []string{"down", "slow"} {
		t.Run(mode, func(t *testing.T) {
			cfg := config(t)
			p := servicetest.NewProxy(t, servicetest.HostOf(t, cfg.URL))
			cfg.URL = p.Via(t, cfg.URL)
			var logs chattest.SyncBuffer
			s := shared(t, cfg, slog.New(slog.NewTextHandler(&logs, nil)))
			ctx := context.Background()
			if ok, err := s.Claim(ctx, "before"); !ok || err != nil {
				t.Fatalf("claim while up: %v %v", ok, err)
			}
			if mode == "down" {
				p.Refuse()
			} else {
				p.Hang()
			}
			for i := range 20 {
				start := time.Now()
				_, err := s.Claim(ctx, "during")
				if !errors.Is(err, ErrUnavailable) {
					t.Fatalf("claim %d while %s: %v", i, mode, err)
				}
				// Only the first call waits for the timeout.
				if i > 0 && time.Since(start) > 50*time.Millisecond {
					t.Fatalf("claim %d took %s while degraded", i, time.Since(start))
				}
			}
			if !s.Degraded() || s.Outages() != 1 {
				t.Fatalf("degraded %v outages %d", s.Degraded(), s.Outages())
			}
			if n := strings.Count(logs.String(), "redis unreachable"); n != 1 {
				t.Fatalf("outage logged %d times:\n%s", n, logs.String())
			}
			p.Resume()
			deadline := time.Now().Add(5 * time.Second)
			for s.Degraded() {
				if time.Now().After(deadline) {
					t.Fatal("did not recover")
				}
				time.Sleep(50 * time.Millisecond)
			}
			if ok, err := s.Claim(ctx, "after"); !ok || err != nil {
				t.Fatalf("claim after recovery: %v %v", ok, err)
			}
			if !strings.Contains(logs.String(), "redis reachable again") {
				t.Fatalf("recovery not logged:\n%s", logs.String())
			}
		})
	}
}

func TestValidate(t *testing.T) {
	ok := Config{Expiry: DefaultExpiry, Lease: DefaultLease, Timeout: DefaultTimeout, Prefix: DefaultPrefix}
	for _, tc := range []struct {
		change func(*Config)
		ok     bool
	}{
		{func(*Config) {}, true},
		{func(c *Config) { c.URL = "redis://127.0.0.1:6379/0" }, true},
		{func(c *Config) { c.URL = "http://x" }, false},
		{func(c *Config) { c.Expiry = 5 * time.Minute }, false},
		{func(c *Config) { c.Lease = 0 }, false},
		{func(c *Config) { c.Lease = time.Hour }, false},
		{func(c *Config) { c.Timeout = 0 }, false},
		{func(c *Config) { c.Prefix = "" }, false},
	} {
		c := ok
		tc.change(&c)
		if err := c.Validate(); (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrInvalid)) {
			t.Errorf("%+v: %v", c, err)
		}
	}
}
