package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/internal/chattest"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func get(ctx context.Context, url string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// slackServeEnv configures a `vssbot serve` run through VSSBOT_* variables
// alone: Socket Mode on the fake Slack, a free listen address (returned)
// and a team memory of the test's own, so no run writes to the home folder.
func slackServeEnv(t *testing.T, fake *slacktest.Server) string {
	t.Helper()
	addr := freeAddr(t)
	t.Setenv("VSSBOT_CONFIG", "")
	t.Setenv("VSSBOT_SLACK_BOT_TOKEN", slacktest.BotToken)
	t.Setenv("VSSBOT_SLACK_APP_TOKEN", slacktest.AppToken)
	t.Setenv("VSSBOT_SLACK_API_URL", fake.URL())
	t.Setenv("VSSBOT_LISTEN", addr)
	t.Setenv("VSSBOT_STATS_DSN", filepath.Join(t.TempDir(), "stats.db"))
	// Not a test of the team memory's timeouts: a loaded machine must not
	// make it look down.
	t.Setenv("VSSBOT_STATS_STATEMENT_TIMEOUT", "30s")
	return addr
}

// startServe runs `vssbot serve` in the background as the process would,
// configured by the environment: stop cancels it as SIGTERM does, done
// yields its exit code, stderr holds its log.
func startServe(ctx context.Context) (stop context.CancelFunc, done <-chan int, stderr *chattest.SyncBuffer) {
	serveCtx, stop := context.WithCancel(ctx)
	var stdout chattest.SyncBuffer
	stderr = new(chattest.SyncBuffer)
	exit := make(chan int, 1)
	go func() { exit <- run(serveCtx, []string{"serve"}, strings.NewReader(""), &stdout, stderr) }()
	return stop, exit, stderr
}

// TestServe runs `vssbot serve` as the process would, configured only
// through the environment, against a fake Slack and a fake Discord at once:
// a pasted excerpt is answered in its thread on each, the health and metrics
// endpoints answer, and a cancelled context (SIGTERM) drains and exits 0.
func TestServe(t *testing.T) {
	fake := slacktest.New()
	defer fake.Close()
	dfake := discordtest.New()
	defer dfake.Close()
	dfake.AddChannel(discordtest.Channel{ID: "300", Type: discordtest.GuildText, GuildID: "200", Name: "support"})
	addr := slackServeEnv(t, fake)
	t.Setenv("VSSBOT_DISCORD_TOKEN", dfake.Token)
	t.Setenv("VSSBOT_DISCORD_APP_ID", dfake.AppID)
	t.Setenv("VSSBOT_DISCORD_API_URL", dfake.APIURL())

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stop, done, stderr := startServe(ctx)

	base := "http://" + addr
	awaitReadyz(ctx, t, base, http.StatusOK)
	if code, body, err := get(ctx, base+"/healthz"); err != nil || code != http.StatusOK {
		t.Fatalf("/healthz: %d %q %v", code, body, err)
	}
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	excerpt := "07/13/2017 04:40:43.957 [07/13/2017 13:40:43.787] OUTPUT:\n" +
		"ERROR: Selected writer 'System Writer' is in failed state!\n" +
		"- Status: 9 (VSS_WS_FAILED_AT_FREEZE)\n" +
		"- Writer Failure code: 0x800423f2 (<Unknown error code>)\n" +
		"- Writer ID: {e8132975-6f93-4464-a53e-1050253ae220}\n"
	msg := slacktest.Event{Type: "message", Channel: "C0SUPPORT", ChannelType: "channel", User: "U0ENGINEER",
		Text: slacktest.Escape(excerpt), TS: "1700000000.000100"}
	if _, err := fake.SendEvent("Ev0SERVE", msg); err != nil {
		t.Fatal(err)
	}
	posts, err := fake.WaitPosts(ctx, 1)
	if err != nil {
		t.Fatalf("no reply: %v\nlog:\n%s", err, stderr.String())
	}
	p := posts[0]
	if p.Channel != "C0SUPPORT" || p.ThreadTS != msg.TS {
		t.Errorf("reply not in the message's thread: channel %q thread_ts %q", p.Channel, p.ThreadTS)
	}
	for _, want := range []string{"System Writer", "0x800423f2"} {
		if !strings.Contains(p.Content(), want) {
			t.Errorf("reply does not name %s:\n%s", want, p.Content())
		}
	}

	id, err := dfake.SendMessage(discordtest.Message{ChannelID: "300", GuildID: "200", AuthorID: "400", Content: excerpt})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := dfake.Await(ctx, discordtest.Is("POST", "channels/300/messages/"+id+"/threads")); err != nil {
		t.Fatalf("no thread started on the Discord message: %v\nlog:\n%s", err, stderr.String())
	}
	r, _, err := dfake.Await(ctx, discordtest.Is("POST", "channels/"+id+"/messages"))
	if err != nil {
		t.Fatalf("no answer in the Discord thread: %v", err)
	}
	if !strings.Contains(string(r.Body), "0x800423f2") {
		t.Errorf("Discord answer does not name the code:\n%s", r.Body)
	}

	code, metrics, err := get(ctx, base+"/metrics")
	if err != nil || code != http.StatusOK || !strings.Contains(metrics, "vssbot_events_total") {
		t.Errorf("/metrics: %d %v\n%.400s", code, err, metrics)
	}

	stop()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after SIGTERM:\n%s", code, stderr.String())
		}
	case <-ctx.Done():
		t.Fatal("serve did not drain and exit")
	}
}

// TestServeDegradedWithoutRedis: Redis unreachable at start leaves the bot
// serving, /readyz answering 200 and saying it is degraded, the outage
// logged once.
func TestServeDegradedWithoutRedis(t *testing.T) {
	fake := slacktest.New()
	defer fake.Close()
	addr := freeAddr(t)
	t.Setenv("VSSBOT_CONFIG", "")
	t.Setenv("VSSBOT_SLACK_BOT_TOKEN", slacktest.BotToken)
	t.Setenv("VSSBOT_SLACK_SIGNING_SECRET", "secret")
	t.Setenv("VSSBOT_SLACK_MODE", "http")
	t.Setenv("VSSBOT_SLACK_API_URL", fake.URL())
	t.Setenv("VSSBOT_LISTEN", addr)
	t.Setenv("VSSBOT_REDIS_URL", "redis://"+freeAddr(t)+"/0") // nothing listens there
	t.Setenv("VSSBOT_STATS_DSN", "off")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stop, done, stderr := startServe(ctx)
	base := "http://" + addr
	awaitReadyz(ctx, t, base, http.StatusOK)
	code, body, err := get(ctx, base+"/readyz")
	if err != nil || code != http.StatusOK || !strings.HasPrefix(body, "degraded: redis unreachable") {
		t.Fatalf("/readyz: %d %q %v", code, body, err)
	}
	_, metrics, _ := get(ctx, base+"/metrics")
	if !strings.Contains(metrics, "vssbot_redis_degraded 1") || !strings.Contains(metrics, "vssbot_redis_outages_total 1") {
		t.Errorf("metrics do not show the outage")
	}
	stop()
	if c := <-done; c != 0 {
		t.Fatalf("exit %d\n%s", c, stderr.String())
	}
	if n := strings.Count(stderr.String(), "redis unreachable"); n != 1 {
		t.Fatalf("outage logged %d times:\n%s", n, stderr.String())
	}
}
