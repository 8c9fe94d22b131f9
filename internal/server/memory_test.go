package server

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

// hungStoreServe starts a server in Slack HTTP mode with its team memory
// at dsn.
func hungStoreServe(t *testing.T, fake *slacktest.Server, dsn string) *Server {
	t.Helper()
	s, log := start(t, slackHTTPEnv(fake, dsn))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("serve log:\n%s", log.String())
		}
	})
	return s
}

// burst posts n signed events at once and waits for every answer; it
// returns the slowest acknowledgement and the time to the last answer.
func burst(t *testing.T, ctx context.Context, s *Server, fake *slacktest.Server, prefix string, n int) (ack, answered time.Duration) {
	t.Helper()
	before := fake.PostCount()
	start := time.Now()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := seedEvent(t, fmt.Sprintf("%s%02d", prefix, i), fmt.Sprintf("17000009%02d.000100", i))
			if err := deliver(s, body); err != nil {
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

func readyzBody(t *testing.T, ctx context.Context, s *Server) string {
	t.Helper()
	code, body, err := get(ctx, "http://"+s.Addr()+"/readyz")
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
	t.Parallel()
	if testing.Short() {
		t.Skip("skipped in -short: serves a burst")
	}
	dsn := servicetest.Postgres(t)
	p := servicetest.NewProxy(t, servicetest.HostOf(t, dsn))
	fake := slacktest.New()
	defer fake.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	r := hungStoreServe(t, fake, p.Via(t, dsn))
	awaitReadyz(ctx, t, "http://"+r.Addr(), http.StatusOK)
	if body := readyzBody(t, ctx, r); strings.Contains(body, "degraded") {
		t.Fatalf("degraded before the database hung: %q", body)
	}

	p.Hang()
	ack, answered := burst(t, ctx, r, fake, "EvHang", 12)
	t.Logf("PostgreSQL hung: 12 events acknowledged within %s, all answered within %s", ack, answered)
	if body := readyzBody(t, ctx, r); !strings.HasPrefix(body, "degraded: team memory") {
		t.Errorf("/readyz while PostgreSQL hangs: %q", body)
	}
	if v := metric(t, r, "vssbot_store_degraded"); v != 1 {
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
	t.Parallel()
	if testing.Short() {
		t.Skip("skipped in -short: starts serve")
	}
	p := servicetest.NewProxy(t, "")
	fake := slacktest.New()
	defer fake.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	begin := time.Now()
	r := hungStoreServe(t, fake, "postgres://vssbot@"+p.Addr()+"/test?sslmode=disable")
	awaitReadyz(ctx, t, "http://"+r.Addr(), http.StatusOK)
	t.Logf("ready %s after start with PostgreSQL hung", time.Since(begin))
	if body := readyzBody(t, ctx, r); !strings.HasPrefix(body, "degraded: team memory") {
		t.Errorf("/readyz: %q", body)
	}
	ack, answered := burst(t, ctx, r, fake, "EvHungStart", 3)
	t.Logf("3 events acknowledged within %s, answered within %s", ack, answered)
}
