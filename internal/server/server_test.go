package server

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/config"
	"github.com/vssbot/vssbot/internal/chattest"
)

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

// closedAddr is a loopback address where nothing listens any more.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// slackEnv is the settings of a Socket Mode replica on the fake Slack, as
// VSSBOT_* variables, with a team memory of the test's own so no run writes
// to the home folder. Tests add to it.
func slackEnv(t *testing.T, fake *slacktest.Server) map[string]string {
	return map[string]string{
		"VSSBOT_SLACK_BOT_TOKEN": slacktest.BotToken,
		"VSSBOT_SLACK_APP_TOKEN": slacktest.AppToken,
		"VSSBOT_SLACK_API_URL":   fake.URL(),
		"VSSBOT_MEMORY_DSN":      filepath.Join(t.TempDir(), "memory.db"),
		// Not a test of the team memory's timeouts (memory_test is): a
		// loaded machine must not make it look down.
		"VSSBOT_MEMORY_STATEMENT_TIMEOUT": "30s",
	}
}

// settings loads a config value from env alone: not the process's
// environment, nor a vssbot.yaml, so tests run in parallel. The server
// listens on a loopback port of its own unless env says otherwise.
func settings(t *testing.T, env map[string]string) *config.Config {
	t.Helper()
	all := map[string]string{"VSSBOT_LISTEN": "127.0.0.1:0"}
	maps.Copy(all, env)
	cfg, err := config.Load(config.Source{Getenv: func(k string) string { return all[k] }})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// start builds a server from env and starts it; it is stopped when the
// test ends. log holds what it logged.
func start(t *testing.T, env map[string]string) (s *Server, log *chattest.SyncBuffer) {
	t.Helper()
	log = new(chattest.SyncBuffer)
	s, err := New(settings(t, env), slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Start(ctx); err != nil {
		t.Fatalf("start: %v\nlog:\n%s", err, log.String())
	}
	t.Cleanup(s.Stop)
	return s, log
}

// TestServe runs a server configured only through VSSBOT_* settings
// against a fake Slack and a fake Discord at once: a pasted excerpt is
// answered in its thread on each, the health and metrics endpoints answer,
// and Stop drains.
func TestServe(t *testing.T) {
	t.Parallel()
	fake := slacktest.New()
	defer fake.Close()
	dfake := discordtest.New()
	defer dfake.Close()
	dfake.AddChannel(discordtest.Channel{ID: "300", Type: discordtest.GuildText, GuildID: "200", Name: "support"})
	env := slackEnv(t, fake)
	env["VSSBOT_DISCORD_TOKEN"] = dfake.Token
	env["VSSBOT_DISCORD_APP_ID"] = dfake.AppID
	env["VSSBOT_DISCORD_API_URL"] = dfake.APIURL()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, stderr := start(t, env)

	base := "http://" + s.Addr()
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

	s.Stop()
	if !strings.Contains(stderr.String(), "draining in-flight work") {
		t.Errorf("Stop did not drain:\n%s", stderr.String())
	}
	if code, _, err := get(ctx, base+"/healthz"); err == nil {
		t.Errorf("/healthz still answers %d after Stop", code)
	}
}

// TestServeDegradedWithoutRedis: Redis unreachable at start leaves the bot
// serving, /readyz answering 200 and saying it is degraded, the outage
// logged once.
func TestServeDegradedWithoutRedis(t *testing.T) {
	t.Parallel()
	fake := slacktest.New()
	defer fake.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, stderr := start(t, map[string]string{
		"VSSBOT_SLACK_BOT_TOKEN":      slacktest.BotToken,
		"VSSBOT_SLACK_SIGNING_SECRET": "secret",
		"VSSBOT_SLACK_MODE":           "http",
		"VSSBOT_SLACK_API_URL":        fake.URL(),
		"VSSBOT_REDIS_URL":            "redis://" + closedAddr(t) + "/0",
		"VSSBOT_STATS_DSN":            "off", // the old name still works
	})
	base := "http://" + s.Addr()
	awaitReadyz(ctx, t, base, http.StatusOK)
	code, body, err := get(ctx, base+"/readyz")
	if err != nil || code != http.StatusOK || !strings.HasPrefix(body, "degraded: redis unreachable") {
		t.Fatalf("/readyz: %d %q %v", code, body, err)
	}
	_, metrics, _ := get(ctx, base+"/metrics")
	if !strings.Contains(metrics, "vssbot_redis_degraded 1") || !strings.Contains(metrics, "vssbot_redis_outages_total 1") {
		t.Errorf("metrics do not show the outage")
	}
	s.Stop()
	if n := strings.Count(stderr.String(), "redis unreachable"); n != 1 {
		t.Fatalf("outage logged %d times:\n%s", n, stderr.String())
	}
}
