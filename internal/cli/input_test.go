package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDiagnoseInterrupted: a signal (the cancelled context) while diagnose
// waits on a pipe or a FIFO ends the run at once with status 130, says it was
// interrupted, and prints no report that would read as "nothing found".
func TestDiagnoseInterrupted(t *testing.T) {
	fifo := func(t *testing.T) string {
		p := filepath.Join(t.TempDir(), "log.fifo")
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skip("no FIFOs here:", err)
		}
		return p
	}
	for name, setup := range map[string]func(t *testing.T) ([]string, io.Reader){
		"pipe with part of a log": func(t *testing.T) ([]string, io.Reader) {
			pr, pw := io.Pipe()
			t.Cleanup(func() { pw.Close() })
			go func() { _, _ = io.WriteString(pw, "07/13/2017 04:37:54.439 VssStart()\n") }()
			return []string{"diagnose"}, pr
		},
		"FIFO without a writer": func(t *testing.T) ([]string, io.Reader) {
			return []string{"diagnose", fifo(t)}, strings.NewReader("")
		},
		"FIFO whose writer stalls": func(t *testing.T) ([]string, io.Reader) {
			p := fifo(t)
			go func() {
				w, err := os.OpenFile(p, os.O_WRONLY, 0)
				if err != nil {
					return
				}
				_, _ = io.WriteString(w, "Exit Code -311\n")
				time.Sleep(10 * time.Second)
				w.Close()
			}()
			return []string{"diagnose", p}, strings.NewReader("")
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("VSSBOT_CONFIG", "")
			args, stdin := setup(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stdout, stderr bytes.Buffer
			done := make(chan ExitCode, 1)
			go func() { done <- Run(ctx, args, stdin, &stdout, &stderr) }()
			time.Sleep(200 * time.Millisecond)
			cancel() // what SIGINT or SIGTERM does through signal.NotifyContext
			select {
			case code := <-done:
				if code != ExitInterrupted {
					t.Errorf("exit %d, want %d; stderr:\n%s", code, ExitInterrupted, stderr.String())
				}
				if !strings.Contains(stderr.String(), "interrupted") {
					t.Errorf("stderr does not say it was interrupted:\n%s", stderr.String())
				}
				if stdout.Len() != 0 {
					t.Errorf("a report was printed:\n%s", stdout.String())
				}
			case <-time.After(5 * time.Second):
				t.Fatal("diagnose still waiting 5 s after the signal")
			}
		})
	}
}

// TestChatInterrupted: the terminal chat waiting for a line ends on a signal
// with status 130.
func TestChatInterrupted(t *testing.T) {
	t.Setenv("VSSBOT_CONFIG", "")
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	done := make(chan ExitCode, 1)
	go func() { done <- Run(ctx, []string{"chat"}, pr, &stdout, &stderr) }()
	time.Sleep(200 * time.Millisecond)
	cancel()
	select {
	case code := <-done:
		if code != ExitInterrupted || !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("exit %d, stderr %q; want %d and interrupted", code, stderr.String(), ExitInterrupted)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("chat still waiting 5 s after the signal")
	}
}
