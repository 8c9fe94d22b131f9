package acceptance

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/internal/chattest"
	"github.com/vssbot/vssbot/internal/cli"
	"github.com/vssbot/vssbot/internal/servicetest"
	"github.com/vssbot/vssbot/stats"

	"github.com/vssbot/vssbot/internal/poll"
)

// childArgs, when set, makes the test binary run vssbot with these
// arguments (separated by \x1f) instead of the tests: the replicas below
// are real processes, killable like any.
const childArgs = "VSSBOT_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childArgs); args != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(int(code))
	}
	os.Exit(m.Run())
}

const replicaSecret = "replica-signing-secret-0123456789"

// replica is one `vssbot serve` process.
type replica struct {
	name string
	addr string
	cmd  *exec.Cmd
	log  *chattest.SyncBuffer
}

// child starts the test binary as vssbot with args and env (only these
// VSSBOT_ settings: the developer's own never leak in).
func child(t *testing.T, env map[string]string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "XDG_STATE_HOME=" + t.TempDir(),
		childArgs + "=" + strings.Join(args, "\x1f")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

func startReplica(t *testing.T, name string, env map[string]string) *replica {
	t.Helper()
	r := launch(t, name, env)
	r.waitReady(t)
	return r
}

// launch starts a replica without waiting for it.
func launch(t *testing.T, name string, env map[string]string) *replica {
	t.Helper()
	r := &replica{name: name, addr: freeAddr(t), log: &chattest.SyncBuffer{}}
	env = maps(env, map[string]string{"VSSBOT_LISTEN": r.addr})
	r.cmd = child(t, env, "serve")
	r.cmd.Stdout, r.cmd.Stderr = r.log, r.log
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = r.cmd.Process.Signal(syscall.SIGTERM)
		_ = r.cmd.Wait()
		if t.Failed() {
			t.Logf("replica %s log:\n%s", r.name, r.log.String())
		}
	})
	return r
}

func (r *replica) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + r.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica %s never ready:\n%s", r.name, r.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func maps(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// post signs body as Slack does and posts it to the replica.
func (r *replica) post(t *testing.T, path, contentType string, body []byte, retry int) {
	t.Helper()
	if err := r.send(path, contentType, body, retry); err != nil {
		t.Fatal(err)
	}
}

func (r *replica) send(path, contentType string, body []byte, retry int) error {
	if err := slacktest.Deliver(context.Background(), "http://"+r.addr+path, replicaSecret, contentType, body, retry); err != nil {
		return fmt.Errorf("%s: %w", r.name, err)
	}
	return nil
}

// metric sums a counter's samples whose line starts with prefix.
func (r *replica) metric(t *testing.T, prefix string) float64 {
	t.Helper()
	v, err := chattest.Scrape(context.Background(), "http://"+r.addr+"/metrics", prefix)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func eventled(t *testing.T, id, ts string) []byte {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("..", "adapters", "slack", "testdata", "excerpt.log"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := slacktest.EventBody(id, slacktest.Event{
		Type: "message", Channel: "CSUPPORT", ChannelType: "channel", User: "UALICE",
		Text: slacktest.Escape(string(text)), TS: ts, Team: slacktest.TeamID,
	})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// TestReplicas runs two `vssbot serve` processes in Slack HTTP mode behind
// one Redis and one PostgreSQL, as behind a load balancer.
func TestReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short: starts processes")
	}
	dsn := servicetest.Postgres(t)
	redisURL, prefix := servicetest.Redis(t)
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	env := map[string]string{
		"VSSBOT_SLACK_BOT_TOKEN":      slacktest.BotToken,
		"VSSBOT_SLACK_SIGNING_SECRET": replicaSecret,
		"VSSBOT_SLACK_MODE":           "http",
		"VSSBOT_SLACK_API_URL":        fake.URL(),
		"VSSBOT_REDIS_URL":            redisURL,
		"VSSBOT_REDIS_PREFIX":         prefix,
		// A killed replica's claim lapses quickly here; 2m by default.
		"VSSBOT_REDIS_LEASE": "2s",
		"VSSBOT_STATS_DSN":   dsn,
		// Not a test of the team memory's timeouts (memory_hang_test is).
		"VSSBOT_STATS_STATEMENT_TIMEOUT": "30s",
		"VSSBOT_LOG_LEVEL":               "debug",
	}
	// Both start at once: the migrations run once, under the lock.
	a, b := launch(t, "a", env), launch(t, "b", env)
	a.waitReady(t)
	b.waitReady(t)

	// 1. Slack's retry of one event reaches the other replica: one answer.
	body := eventled(t, "EvReplicaOnce", "1700000500.000100")
	sent := make(chan error, 1)
	go func() { sent <- a.send("/slack/events", "application/json", body, 0) }()
	b.post(t, "/slack/events", "application/json", body, 1)
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "the answer and the dropped retry", func() bool {
		return a.metric(t, `vssbot_dropped_total{reason="duplicate"}`)+b.metric(t, `vssbot_dropped_total{reason="duplicate"}`) == 1 &&
			a.metric(t, "vssbot_replies_total")+b.metric(t, "vssbot_replies_total") == 1
	})
	if n := fake.PostCount(); n != 1 {
		t.Fatalf("%d posts for one event sent to both replicas", n)
	}
	answer := fake.Posts()[0]

	// 2. A replica killed mid-answer: its claim lapses, the retry is
	// answered by the other.
	fake.Inject("chat.postMessage", slacktest.Fault{Stall: time.Minute})
	a.post(t, "/slack/events", "application/json", eventled(t, "EvReplicaKill", "1700000600.000100"), 0)
	rdb := redis.NewClient(mustParseRedis(t, redisURL))
	defer rdb.Close()
	key := prefix + "slack\x00EvReplicaKill"
	poll.Until(t, "replica a posting its answer", func() bool {
		return rdb.Exists(context.Background(), key).Val() == 1 && stalled(fake)
	})
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = a.cmd.Wait()
	poll.Until(t, "the dead replica's claim to lapse", func() bool { return rdb.Exists(context.Background(), key).Val() == 0 })
	b.post(t, "/slack/events", "application/json", eventled(t, "EvReplicaKill", "1700000600.000100"), 1)
	posts, err := fake.WaitPosts(testCtx(t), 2)
	if err != nil || len(posts) != 2 || posts[1].ThreadTS != "1700000600.000100" {
		t.Fatalf("the retry after the kill: %v, %+v", err, posts)
	}

	// 3. Feedback clicks on either replica count once per user.
	a = startReplica(t, "a2", env)
	clicks := []struct {
		to     *replica
		action string
		user   string
	}{
		{a, "vssbot_feedback_fixed", "UALICE"},
		{b, "vssbot_feedback_not_helpful", "UALICE"}, // the same user again
		{b, "vssbot_feedback_fixed", "UBOB"},
	}
	for i, c := range clicks {
		cur, _ := fake.Post(answer.TS)
		payload, err := fake.ClickPayload(cur, c.action, c.user)
		if err != nil {
			t.Fatal(err)
		}
		c.to.post(t, "/slack/interactions", "application/x-www-form-urlencoded", []byte(slacktest.InteractionForm(payload).Encode()), 0)
		poll.Until(t, fmt.Sprintf("click %d redrawn", i+1), func() bool { p, _ := fake.Post(answer.TS); return p.Replaced == i+1 })
	}
	final, _ := fake.Post(answer.TS)
	if !strings.Contains(final.Content(), "Fixed it (2)") || strings.Contains(final.Content(), "Did not help (") {
		t.Fatalf("tally after three clicks by two users:\n%s", final.Content())
	}

	// 4. `vssbot stats --format json` sees it all.
	cmd := child(t, env, "stats", "--format", "json")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("vssbot stats: %v", err)
	}
	var rep stats.Report
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("stats JSON: %v\n%s", err, out)
	}
	if rep.Answers != 2 || len(rep.Codes) == 0 || len(rep.Channels) != 1 || rep.Channels[0].Count != 2 {
		t.Fatalf("stats:\n%s", out)
	}
	for _, c := range rep.Codes {
		if c.Code == "0x800423f2" && (c.Count != 2 || c.Helpful != 1 || c.NotHelpful != 0) {
			t.Fatalf("0x800423f2 in stats: %+v\n%s", c, out)
		}
	}
}

// stalled reports whether the fake holds a chat.postMessage call.
func stalled(fake *slacktest.Server) bool { return fake.Pending("chat.postMessage") > 0 }

func mustParseRedis(t *testing.T, raw string) *redis.Options {
	t.Helper()
	o, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}
