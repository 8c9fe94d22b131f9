package cli

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/internal/chattest"
	"github.com/vssbot/vssbot/internal/poll"
)

// The signals are the CLI's: SIGHUP makes a running serve read its
// knowledge overlay again, SIGTERM (the cancelled context) drains it and
// exits 0.
func TestServeReloadsOnSIGHUP(t *testing.T) {
	fake := slacktest.New()
	defer fake.Close()
	kb := t.TempDir()
	overlay := "codes:\n  - code: \"-400\"\n    kind: exit_code\n    title: {ja: \"社内ツール\", en: \"In-house tool\"}\n" +
		"    meaning: {ja: \"社内ツールが失敗しました。\", en: \"The in-house tool failed.\"}\n" +
		"    references: [{title: \"Runbook 40\", url: \"https://runbook.example.com/40\"}]\n"
	if err := os.WriteFile(filepath.Join(kb, "site.yaml"), []byte(overlay), 0o644); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"VSSBOT_CONFIG": "", "VSSBOT_SLACK_BOT_TOKEN": slacktest.BotToken, "VSSBOT_SLACK_SIGNING_SECRET": "secret",
		"VSSBOT_SLACK_MODE": "http", "VSSBOT_SLACK_API_URL": fake.URL(), "VSSBOT_LISTEN": "127.0.0.1:0",
		"VSSBOT_MEMORY_DSN": "off", "VSSBOT_KB_DIR": kb,
	} {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var log chattest.SyncBuffer
	done := make(chan ExitCode, 1)
	go func() { done <- Run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, &log) }()

	listening := regexp.MustCompile(`msg=listening addr=(\S+)`)
	var addr string
	poll.Until(t, "serve to answer /readyz", func() bool {
		m := listening.FindStringSubmatch(log.String())
		if m == nil {
			return false
		}
		addr = m[1]
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "the overlay reloaded on SIGHUP", func() bool {
		return strings.Contains(log.String(), "knowledge overlay reloaded")
	})
	if !strings.Contains(log.String(), "reloading the knowledge overlay on signal") {
		t.Errorf("SIGHUP is not logged as the reload's cause:\n%s", log.String())
	}
	cancel()
	if code := <-done; code != ExitOK {
		t.Errorf("serve exited %v after SIGTERM:\n%s", code, log.String())
	}
}
