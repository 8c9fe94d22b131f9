package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/internal/connlimit"
)

// keepAliveAttack holds n connections to addr as the attack did: each
// sends GET path with keep-alive, reads the answer and keeps the
// connection open, asking again every 3 s; one the server closes is
// opened again. It runs until stop. settled counts the clients whose first
// request the server has answered or refused; held, the connections open
// now that were answered.
func keepAliveAttack(ctx context.Context, addr, path string, n int) (settled, held func() int, stop func()) {
	var mu sync.Mutex
	first, open := 0, 0
	add := func(p *int, d int) { mu.Lock(); *p += d; mu.Unlock() }
	read := func(p *int) func() int { return func() int { mu.Lock(); defer mu.Unlock(); return *p } }
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			settledOnce := sync.OnceFunc(func() { add(&first, 1) })
			for ctx.Err() == nil {
				c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
				if err != nil {
					continue
				}
				stopClose := context.AfterFunc(ctx, func() { c.Close() })
				r := bufio.NewReader(c)
				served := false
				for ctx.Err() == nil {
					if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
						break
					}
					resp, err := http.ReadResponse(r, nil)
					settledOnce()
					if err != nil {
						break
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if !served {
						add(&open, 1)
						served = true
					}
					select { // the attack's pace, not a wait for the server
					case <-ctx.Done():
					case <-time.After(3 * time.Second):
					}
				}
				if served {
					add(&open, -1)
				}
				stopClose()
				c.Close()
				select {
				case <-ctx.Done():
				case <-time.After(100 * time.Millisecond):
				}
			}
		}()
	}
	return read(&first), read(&open), func() { cancel(); wg.Wait() }
}

// TestIdleClientsDoNotLockOutSlack: 130 clients holding keep-alive
// connections to /healthz (or to an endpoint that keeps them) do not keep
// a signed Slack event from being acknowledged, with health on the main
// listener or on http.health_listen.
func TestIdleClientsDoNotLockOutSlack(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short: opens 130 connections")
	}
	cases := []struct {
		name, path string
		health     bool // http.health_listen set, attacked there
	}{
		{"healthz on listen", "/healthz", false},
		{"keep-alive endpoint", "/slack/events", false},
		{"health_listen", "/healthz", true},
	}
	for _, tc := range cases {
		// One at a time: three attacks of 130 connections at once would
		// measure the machine, not the listener.
		t.Run(tc.name, func(t *testing.T) {
			fake := slacktest.New()
			defer fake.Close()
			env := slackHTTPEnv(fake, "off")
			if tc.health {
				env["VSSBOT_HTTP_HEALTH_LISTEN"] = "127.0.0.1:0"
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			s, stderr := start(t, env)
			target := s.HealthAddr()
			awaitReadyz(ctx, t, "http://"+target, http.StatusOK)

			settled, held, stopAttack := keepAliveAttack(ctx, target, tc.path, 130)
			defer stopAttack()
			// The attack is in place once the server has answered or
			// refused as many of its clients as it has slots.
			for settled() < connlimit.DefaultMaxConns {
				select {
				case <-ctx.Done():
					t.Fatalf("attack never got going:\n%s", stderr.String())
				case <-time.After(10 * time.Millisecond):
				}
			}
			begin := time.Now()
			if err := deliver(s, seedEvent(t, "EvIdleAttack", "1700000700.000100")); err != nil {
				t.Fatalf("signed event under %d idle clients: %v\n%s", held(), err, stderr.String())
			}
			t.Logf("signed event acknowledged in %s with %d attack connections held", time.Since(begin), held())
			if _, err := fake.WaitPosts(ctx, 1); err != nil {
				t.Fatalf("event acknowledged but not answered: %v", err)
			}
			if tc.health {
				return
			}
			// What the listener refused or closed is counted.
			if n := metric(t, s, "vssbot_http_connections_refused_total"); n == 0 && tc.path != "/healthz" {
				t.Errorf("nothing counted as refused or closed under the attack")
			}
		})
	}
}
