package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
)

// awaitReadyz polls /readyz until it answers want.
func awaitReadyz(ctx context.Context, t *testing.T, base string, want int) string {
	t.Helper()
	for {
		code, body, _ := get(ctx, base+"/readyz")
		if code == want {
			return body
		}
		select {
		case <-ctx.Done():
			t.Fatalf("/readyz never answered %d (last %d %q)", want, code, body)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// TestReadyzFollowsSocketMode: /readyz says 503 while the Socket Mode
// connection is down and slack-go reconnects, and 200 again once connected.
func TestReadyzFollowsSocketMode(t *testing.T) {
	t.Parallel()
	fake := slacktest.New()
	defer fake.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, _ := start(t, slackEnv(t, fake))
	base := "http://" + s.Addr()
	awaitReadyz(ctx, t, base, http.StatusOK)

	// Slack refuses the next connections for a while, then the link drops.
	fake.Inject("apps.connections.open", slacktest.Fault{Status: 500}, slacktest.Fault{Status: 500})
	fake.DropConnections()
	if body := awaitReadyz(ctx, t, base, http.StatusServiceUnavailable); !strings.Contains(body, "slack") {
		t.Errorf("/readyz does not say which adapter is down: %q", body)
	}
	awaitReadyz(ctx, t, base, http.StatusOK)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
}
