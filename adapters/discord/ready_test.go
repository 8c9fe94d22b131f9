package discord

import (
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// TestReadyFollowsTheGateway: not ready while the gateway connection is
// down, ready again once the session is resumed.
func TestReadyFollowsTheGateway(t *testing.T) {
	t.Parallel()
	h := start(t, newEcho(), nil, nil)
	if !h.a.Ready() {
		t.Fatal("not ready after READY")
	}
	// What discordgo reports when the connection drops, before the
	// adapter's reconnection has resumed the session.
	h.a.onDisconnect(nil, &discordgo.Disconnect{})
	if h.a.Ready() {
		t.Error("ready while the gateway is down")
	}
	h.fake.Drop()
	deadline := time.Now().Add(10 * time.Second)
	for !h.a.Ready() || h.fake.Resumes() < 1 {
		if time.Now().After(deadline) {
			t.Fatalf("not ready again after the resume (resumes %d)", h.fake.Resumes())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
