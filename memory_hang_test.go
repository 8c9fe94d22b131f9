package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/internal/servicetest"
)

// hungStoreServe runs `vssbot serve` in Slack HTTP mode with its team
// memory behind p, and returns its replica handle once it listens.
func hungStoreServe(t *testing.T, ctx context.Context, fake *slacktest.Server, dsn string) (*replica, func()) {
	t.Helper()
	addr := freeAddr(t)
	t.Setenv("VSSBOT_CONFIG", "")
	t.Setenv("VSSBOT_SLACK_BOT_TOKEN", slacktest.BotToken)
	t.Setenv("VSSBOT_SLACK_SIGNING_SECRET", replicaSecret)
	t.Setenv("VSSBOT_SLACK_MODE", "http")
	t.Setenv("VSSBOT_SLACK_API_URL", fake.URL())
	t.Setenv("VSSBOT_LISTEN", addr)
	t.Setenv("VSSBOT_STATS_DSN", dsn)
	stop, done, stderr := startServe(ctx)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("serve log:\n%s", stderr.String())
		}
	})
	return &replica{name: "serve", addr: addr, log: stderr}, func() { stop(); <-done }
}

// burst posts n signed events at once and waits for every answer; it
// returns the slowest acknowledgement and the time to the last answer.
func burst(t *testing.T, ctx context.Context, r *replica, fake *slacktest.Server, prefix string, n int) (ack, answered time.Duration) {
	t.Helper()
	before := fake.PostCount()
	start := time.Now()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := eventled(t, fmt.Sprintf("%s%02d", prefix, i), fmt.Sprintf("17000009%02d.000100", i))
			if err := r.send("/slack/events", "application/json", body, 0); err != nil {
				t.Errorf("event %d: %v", i, err)
				return
			}
			mu.Lock()
			ack = max(ack, time.Since(start))
			mu.Unlock()
		}()
	}
	wg.Wait()
	if _, err := fake.WaitPosts(ctx, before+n); err != nil {
		t.Fatalf("%d of %d answers while the team memory hangs: %v", fake.PostCount()-before, n, err)
	}
	return ack, time.Since(start)
}

func readyzBody(t *testing.T, ctx context.Context, r *replica) string {
	t.Helper()
	code, body, err := get(ctx, "http://"+r.addr+"/readyz")
	if err != nil || code != http.StatusOK {
		t.Fatalf("/readyz: %d %q %v", code, body, err)
	}
	return body
}

// TestServeWhilePostgresHangs: PostgreSQL stops answering (connections
// open, nothing forwarded): a burst of 12 events is acknowledged and
// answered, /readyz says degraded (not down), and it says ready again once
// the database answers.
func TestServeWhilePostgresHangs(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short: serves a burst")
	}
	dsn := servicetest.Postgres(t)
	p := servicetest.NewProxy(t, servicetest.HostOf(t, dsn))
	fake := slacktest.New()
	defer fake.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	r, stop := hungStoreServe(t, ctx, fake, p.Via(t, dsn))
	defer stop()
	awaitReadyz(ctx, t, "http://"+r.addr, http.StatusOK)
	if body := readyzBody(t, ctx, r); strings.Contains(body, "degraded") {
		t.Fatalf("degraded before the database hung: %q", body)
	}

	p.Hang()
	ack, answered := burst(t, ctx, r, fake, "EvHang", 12)
	t.Logf("PostgreSQL hung: 12 events acknowledged within %s, all answered within %s", ack, answered)
	if body := readyzBody(t, ctx, r); !strings.HasPrefix(body, "degraded: team memory") {
		t.Errorf("/readyz while PostgreSQL hangs: %q", body)
	}
	if v := r.metric(t, "vssbot_store_degraded"); v != 1 {
		t.Errorf("vssbot_store_degraded %v, want 1", v)
	}

	p.Resume()
	for strings.Contains(readyzBody(t, ctx, r), "degraded") {
		select {
		case <-ctx.Done():
			t.Fatal("/readyz still degraded after the database came back")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// TestServeWithPostgresHungAtStart: a team memory that cannot be reached
// at start does not hold serve: it listens, answers and says degraded.
func TestServeWithPostgresHungAtStart(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short: starts serve")
	}
	p := servicetest.NewProxy(t, "")
	fake := slacktest.New()
	defer fake.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	r, stop := hungStoreServe(t, ctx, fake, "postgres://vssbot@"+p.Addr()+"/test?sslmode=disable")
	defer stop()
	awaitReadyz(ctx, t, "http://"+r.addr, http.StatusOK)
	t.Logf("ready %s after start with PostgreSQL hung", time.Since(start))
	if body := readyzBody(t, ctx, r); !strings.HasPrefix(body, "degraded: team memory") {
		t.Errorf("/readyz: %q", body)
	}
	ack, answered := burst(t, ctx, r, fake, "EvHungStart", 3)
	t.Logf("3 events acknowledged within %s, answered within %s", ack, answered)
}
