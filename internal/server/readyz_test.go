package server

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
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

// TestServeWithoutDefaultMemoryFile: with memory.dsn unset and nowhere to
// make the default file (a read-only root, no home), serve starts, answers,
// and /readyz says it runs without team memory; nobody chose that place,
// unlike a DSN that was set and fails.
func TestServeWithoutDefaultMemoryFile(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_STATE_HOME", filepath.Join(blocker, "state")) // a directory under a file cannot be made
	fake := slacktest.New()
	defer fake.Close()
	env := slackEnv(t, fake)
	delete(env, "VSSBOT_MEMORY_DSN")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, log := start(t, env)
	body := awaitReadyz(ctx, t, "http://"+s.Addr(), http.StatusOK)
	if !strings.Contains(body, "degraded: team memory off") {
		t.Errorf("/readyz %q does not say the team memory is off", body)
	}
	if !strings.Contains(log.String(), "memory.dsn") {
		t.Errorf("the log does not say which setting to fix:\n%s", log.String())
	}
	msg := slacktest.Event{Type: "message", Channel: "C0SUPPORT", ChannelType: "channel", User: "U0ENGINEER",
		Text: "Writer Failure code: 0x800423f2", TS: "1700000000.000200"}
	if _, err := fake.SendEvent("Ev0NOMEMORY", msg); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.WaitPosts(ctx, 1); err != nil {
		t.Fatalf("no answer without team memory: %v", err)
	}
}
