package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
)

// slackSmoke runs the fake Slack, writes the settings a bot needs to reach
// it (-env, an env-file for docker run --env-file and compose), waits for
// the bots' base URLs (-bots, one per line, written by the caller once the
// containers run), then checks them: /healthz and /readyz answer, a request
// with a wrong signature is refused, and one event sent to every bot (the
// first as Slack sends it, the others as Slack's retries) is answered once.
func slackSmoke(args []string) error {
	fs := flag.NewFlagSet("slack", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address the relay to the fake Slack listens on")
	envFile := fs.String("env", "", "env-file to write the bot's Slack settings to")
	botsFile := fs.String("bots", "", "file the caller writes the bots' base URLs to, one per line")
	message := fs.String("message", "", "file whose text is the event's message")
	want := fs.String("want", "", "text the answer must contain")
	wait := fs.Duration("wait", 2*time.Minute, "how long to wait for the bots and the answer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *envFile == "" || *botsFile == "" || *message == "" || *want == "" {
		return errors.New("-env, -bots, -message and -want are required")
	}
	text, err := os.ReadFile(*message)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *wait)
	defer cancel()

	fake := slacktest.New()
	defer fake.Close()
	relay, err := startRelay(*listen, fake.URL())
	if err != nil {
		return err
	}
	defer relay.Close()
	secret := randomHex(16)
	env := fmt.Sprintf("VSSBOT_SLACK_MODE=http\nVSSBOT_SLACK_BOT_TOKEN=%s\nVSSBOT_SLACK_SIGNING_SECRET=%s\nVSSBOT_SLACK_API_URL=http://%s/api/\n",
		slacktest.BotToken, secret, relay.Addr())
	if err := writeAtomic(*envFile, env); err != nil {
		return err
	}
	fmt.Printf("fake Slack at http://%s/api/\n", relay.Addr())

	bots, err := waitBots(ctx, *botsFile)
	if err != nil {
		return err
	}
	for _, b := range bots {
		if err := waitReady(ctx, b); err != nil {
			return err
		}
	}
	return answerOnce(ctx, fake, bots, secret, string(text), *want)
}

// answerOnce sends one event to every bot and checks it was answered once.
func answerOnce(ctx context.Context, fake *slacktest.Server, bots []string, secret, text, want string) error {
	const ts = "1700000900.000100"
	body, err := slacktest.EventBody("EvImageSmoke", slacktest.Event{
		Type: "message", Channel: "CSUPPORT", ChannelType: "channel", User: "UALICE",
		Text: slacktest.Escape(text), TS: ts, Team: slacktest.TeamID,
	})
	if err != nil {
		return err
	}
	if status, err := send(ctx, bots[0], "not-the-secret", body, 0); err != nil || status != http.StatusUnauthorized {
		return fmt.Errorf("%s: a wrong signature got %d (%v), want 401", bots[0], status, err)
	}
	for i, b := range bots {
		if status, err := send(ctx, b, secret, body, i); err != nil || status != http.StatusOK {
			return fmt.Errorf("%s: signed event (retry %d) got %d (%v), want 200", b, i, status, err)
		}
	}
	// Every copy is accounted for: one reply, the others dropped as
	// duplicates; only then is the post count final.
	for {
		replies, dups := 0.0, 0.0
		for _, b := range bots {
			m, err := metrics(ctx, b)
			if err != nil {
				return err
			}
			replies += m["vssbot_replies_total"]
			dups += m[`vssbot_dropped_total{reason="duplicate"}`]
		}
		if replies >= 1 && replies+dups >= float64(len(bots)) {
			break
		}
		if err := pause(ctx, 100*time.Millisecond); err != nil {
			return fmt.Errorf("waiting for the answer: %d posts, %v replies, %v duplicates: %w", fake.PostCount(), replies, dups, err)
		}
	}
	posts := fake.Posts()
	if len(posts) != 1 {
		return fmt.Errorf("%d posts for one event sent to %d bots, want 1", len(posts), len(bots))
	}
	p := posts[0]
	if p.Channel != "CSUPPORT" || p.ThreadTS != ts || !strings.Contains(p.Content(), want) {
		return fmt.Errorf("answer in %s thread %q does not name %s:\n%s", p.Channel, p.ThreadTS, want, p.Content())
	}
	fmt.Printf("one answer from %d bot(s), in the event's thread, naming %s\n", len(bots), want)
	return nil
}

// send posts body to a bot's events endpoint signed with secret, as Slack's
// retry number retry when above zero.
func send(ctx context.Context, bot, secret string, body []byte, retry int) (int, error) {
	req, err := slacktest.SignedRequest(ctx, bot+"/slack/events", secret, time.Now(), "application/json", body)
	if err != nil {
		return 0, err
	}
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", fmt.Sprint(retry))
		req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// waitReady waits for /readyz to answer 200, then checks /healthz.
func waitReady(ctx context.Context, bot string) error {
	for {
		status, _, err := get(ctx, bot+"/readyz")
		if err == nil && status == http.StatusOK {
			break
		}
		if err := pause(ctx, 200*time.Millisecond); err != nil {
			return fmt.Errorf("%s/readyz: never 200 (last %d, %v)", bot, status, err)
		}
	}
	status, body, err := get(ctx, bot+"/healthz")
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("%s/healthz: %d %q %v", bot, status, body, err)
	}
	fmt.Printf("%s: /readyz 200, /healthz 200 %q\n", bot, strings.TrimSpace(body))
	return nil
}

func get(ctx context.Context, u string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b), err
}

// metrics reads a bot's counters, summed by name and labels as printed.
func metrics(ctx context.Context, bot string) (map[string]float64, error) {
	status, body, err := get(ctx, bot+"/metrics")
	if err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("%s/metrics: %d %v", bot, status, err)
	}
	m := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		i := strings.LastIndexByte(line, ' ')
		if strings.HasPrefix(line, "#") || i < 0 {
			continue
		}
		var v float64
		if _, err := fmt.Sscan(line[i+1:], &v); err != nil {
			continue
		}
		name := line[:i]
		m[name] += v
		if j := strings.IndexByte(name, '{'); j > 0 {
			m[name[:j]] += v
		}
	}
	return m, nil
}

// waitBots waits for the caller to write the bots' URLs.
func waitBots(ctx context.Context, name string) ([]string, error) {
	for {
		b, err := os.ReadFile(name)
		if err == nil {
			bots := strings.Fields(string(b))
			if len(bots) == 0 {
				return nil, fmt.Errorf("%s names no bot", name)
			}
			return bots, nil
		}
		if err := pause(ctx, 100*time.Millisecond); err != nil {
			return nil, fmt.Errorf("waiting for %s: %w", name, err)
		}
	}
}

func pause(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// writeAtomic writes name whole or not at all: the caller polls for it.
func writeAtomic(name, content string) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// startRelay accepts connections on addr and relays each to the fake's
// loopback listener.
func startRelay(addr, fakeURL string) (net.Listener, error) {
	u, err := url.Parse(fakeURL)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("relay: %w", err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go relay(c, u.Host)
		}
	}()
	return ln, nil
}

func relay(c net.Conn, target string) {
	defer c.Close()
	t, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer t.Close()
	// Whichever side finishes first ends both: the deferred closes unblock
	// the other copy.
	go func() {
		_, _ = io.Copy(t, c)
		t.Close()
	}()
	_, _ = io.Copy(c, t)
}
