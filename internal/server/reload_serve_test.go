package server

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/internal/chattest"
)

const reloadOverlay = `codes:
  - code: "0x800423f2"
    name: VSS_E_WRITERERROR_TIMEOUT
    kind: hresult
    title: {ja: "社内手順 %[1]s", en: "Site procedure %[1]s"}
    meaning: {ja: "社内の手順書に従ってください。", en: "Follow the site runbook."}
    references: [{title: "Runbook 12", url: "https://runbook.example.com/12"}]
`

// TestServeReloadsKnowledge: Reload (SIGHUP in the CLI) makes a running
// server read its overlay again; an overlay that fails kb check is refused
// and counted while the running base keeps answering.
func TestServeReloadsKnowledge(t *testing.T) {
	t.Parallel()
	fake := slacktest.New()
	defer fake.Close()
	kbDir := t.TempDir()
	writeFile(t, filepath.Join(kbDir, "site.yaml"), fmt.Sprintf(reloadOverlay, "First"))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, stderr, base := startOnOverlay(ctx, t, fake, kbDir)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}

	asks := 0
	ask := func(want string) {
		t.Helper()
		asks++
		excerpt := "ERROR: Selected writer 'System Writer' is in failed state!\n" +
			"- Status: 9 (VSS_WS_FAILED_AT_FREEZE)\n- Writer Failure code: 0x800423f2 (<Unknown error code>)\n"
		ev := slacktest.Event{Type: "message", Channel: "C0SUPPORT", ChannelType: "channel", User: "U0ENGINEER",
			Text: slacktest.Escape(excerpt), TS: fmt.Sprintf("1700000000.%06d", asks)}
		if _, err := fake.SendEvent(fmt.Sprintf("Ev0RELOAD%d", asks), ev); err != nil {
			t.Fatal(err)
		}
		posts, err := fake.WaitPosts(ctx, asks)
		if err != nil {
			t.Fatalf("no reply: %v\nlog:\n%s", err, stderr.String())
		}
		if got := posts[asks-1].Content(); !strings.Contains(got, want) {
			t.Fatalf("reply lacks %q:\n%s", want, got)
		}
	}
	ask("Site procedure First")

	writeFile(t, filepath.Join(kbDir, "site.yaml"), fmt.Sprintf(reloadOverlay, "Second"))
	if err := s.Reload(); err != nil {
		t.Fatalf("reload: %v", err)
	}
	waitMetric(ctx, t, base, "applied")
	ask("Site procedure Second")

	writeFile(t, filepath.Join(kbDir, "bad.yaml"), overlayBad)
	if err := s.Reload(); err == nil {
		t.Fatal("an overlay that fails kb check was applied")
	}
	waitMetric(ctx, t, base, "refused")
	if !strings.Contains(stderr.String(), "knowledge overlay refused") {
		t.Errorf("the refusal is not logged:\n%s", stderr.String())
	}
	ask("Site procedure Second")

}

// startOnOverlay starts a Socket Mode server on the fake Slack with the
// overlay directory kbDir and waits until /readyz says ready.
func startOnOverlay(ctx context.Context, t *testing.T, fake *slacktest.Server, kbDir string) (*Server, *chattest.SyncBuffer, string) {
	t.Helper()
	env := slackEnv(t, fake)
	env["VSSBOT_KB_DIR"] = kbDir
	s, log := start(t, env)
	base := "http://" + s.Addr()
	awaitReadyz(ctx, t, base, http.StatusOK)
	return s, log, base
}

func writeFile(t *testing.T, name, body string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// hangup sends SIGHUP to this process, which serve has asked to receive.
func waitMetric(ctx context.Context, t *testing.T, base, result string) {
	t.Helper()
	re := regexp.MustCompile(`vssbot_kb_reloads_total\{result="` + result + `"\} (\d+)`)
	for {
		code, body, err := get(ctx, base+"/metrics")
		if err == nil && code == http.StatusOK {
			if m := re.FindStringSubmatch(body); m != nil {
				if n, _ := strconv.Atoi(m[1]); n >= 1 {
					return
				}
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no %s reload counted", result)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestServeStartsPastBadOverlay: a FIFO named like an overlay file and a
// 10 MB overlay file at start are refused with their reasons, logged and
// counted, and serve gets ready and answers on the built-in base.
func TestServeStartsPastBadOverlay(t *testing.T) {
	t.Parallel()
	fake := slacktest.New()
	defer fake.Close()
	kbDir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(kbDir, "f.yaml"), 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	huge := strings.Repeat("# padding that a YAML decoder would hold in memory\n", (10<<20)/51+1)
	writeFile(t, filepath.Join(kbDir, "huge.yaml"), huge+fmt.Sprintf(reloadOverlay, "Huge"))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, stderr, base := startOnOverlay(ctx, t, fake, kbDir)
	waitMetric(ctx, t, base, "refused")
	for _, want := range []string{"f.yaml: refused: a named pipe", "huge.yaml: refused: ", "kb.max_file_bytes allows"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("the log does not give the reason %q:\n%s", want, stderr.String())
		}
	}
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	ev := slacktest.Event{Type: "message", Channel: "C0SUPPORT", ChannelType: "channel", User: "U0ENGINEER",
		Text: "Writer Failure code: 0x800423f2", TS: "1700000000.000001"}
	if _, err := fake.SendEvent("Ev0BADKB1", ev); err != nil {
		t.Fatal(err)
	}
	posts, err := fake.WaitPosts(ctx, 1)
	if err != nil {
		t.Fatalf("no reply: %v\nlog:\n%s", err, stderr.String())
	}
	if got := posts[0].Content(); !strings.Contains(got, "0x800423f2") || strings.Contains(got, "Site procedure") {
		t.Errorf("reply is not the built-in base's:\n%s", got)
	}
}
