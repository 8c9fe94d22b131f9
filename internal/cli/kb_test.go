package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vssbot/vssbot/internal/chattest"
)

// TestKBCheckInterrupted: `kb check` stops on Ctrl-C with the interrupted
// status. The overlay reader refuses a FIFO without reading it, so the
// directory holds one only to show the check has something to wait on;
// the interrupt comes first and must win.
func TestKBCheckInterrupted(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "f.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("skipped: no FIFO here: %v", err)
	}
	t.Cleanup(func() {
		// Let the stuck read finish: a writer opens and closes the FIFO.
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr chattest.SyncBuffer
	exit := make(chan ExitCode, 1)
	cancel() // Ctrl-C, before the check has read anything
	go func() { exit <- Run(ctx, []string{"kb", "check", dir}, strings.NewReader(""), &stdout, &stderr) }()
	select {
	case code := <-exit:
		if code != ExitInterrupted || !strings.Contains(stderr.String(), "interrupted") {
			t.Fatalf("exit %d, stderr %q", code, stderr.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("kb check ignored the interrupt")
	}
}
