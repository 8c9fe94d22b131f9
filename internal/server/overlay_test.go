//go:build unix

package server

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vssbot/vssbot/internal/chattest"
	"github.com/vssbot/vssbot/internal/poll"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/parse"
)

// bigOverlay is a valid overlay of about size bytes: codes with long
// meanings.
func bigOverlay(size int) string {
	var sb strings.Builder
	sb.WriteString("codes:\n")
	for i := 0; sb.Len() < size; i++ {
		fmt.Fprintf(&sb, "  - code: \"-%d\"\n    kind: exit_code\n    title: {ja: \"社内 %d\", en: \"Site %d\"}\n    meaning: {ja: \"%s\", en: \"%s\"}\n",
			1000+i, i, i, strings.Repeat("あ", 200), strings.Repeat("a", 400))
	}
	return sb.String()
}

// TestOverlayRefusals: a FIFO named like an overlay file, a 10 MB file, and
// files that together pass the overlay's limit are each refused with a
// reason naming the file, at start and on reload, without waiting, while
// the running base keeps answering.
func TestOverlayRefusals(t *testing.T) {
	tests := []struct {
		name  string
		cfg   knowledge.Config
		setup func(t *testing.T, dir string)
		want  []string // in the reason
	}{
		{"fifo", knowledge.Config{}, func(t *testing.T, dir string) {
			if err := syscall.Mkfifo(filepath.Join(dir, "f.yaml"), 0o644); err != nil {
				t.Skipf("no FIFO here: %v", err)
			}
		}, []string{"f.yaml: refused: a named pipe"}},
		{"10 MB file", knowledge.Config{}, func(t *testing.T, dir string) {
			writeOverlay(t, dir, "huge.yaml", bigOverlay(10<<20))
		}, []string{"huge.yaml: refused: ", "kb.max_file_bytes allows 1048576"}},
		{"overlay over its total", knowledge.Config{MaxFileBytes: 64 << 10, MaxOverlayBytes: 100 << 10}, func(t *testing.T, dir string) {
			writeOverlay(t, dir, "a.yaml", bigOverlay(60<<10))
			writeOverlay(t, dir, "b.yaml", strings.Replace(bigOverlay(60<<10), `"-1`, `"-2`, -1))
		}, []string{"b.yaml: refused: ", "kb.max_overlay_bytes (all files together) allows"}},
		{"symlink to a device", knowledge.Config{}, func(t *testing.T, dir string) {
			if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")); err != nil {
				t.Skipf("no symlink here: %v", err)
			}
		}, []string{"zero.yaml: refused: a device"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// At start: refused, the built-in base serves.
			dir := t.TempDir()
			tc.setup(t, dir)
			problems, err := tc.cfg.Check(dir)
			if err != nil || !says(fmt.Sprint(problems), tc.want) {
				t.Fatalf("kb check: %v, %v; want a problem %q", problems, err, tc.want)
			}
			var log chattest.SyncBuffer
			cfg := tc.cfg
			cfg.Dir = dir
			r, err := NewReloader(cfg, parse.Limits{}, slog.New(slog.NewTextHandler(&log, nil)))
			if err != nil {
				t.Fatalf("the bad overlay kept the reloader from starting: %v", err)
			}
			if _, refused := r.Reloads(); refused != 1 || !says(log.String(), tc.want) {
				t.Errorf("%d refused, log %q; want 1 and the reason", refused, log.String())
			}
			if b, _ := r.Current(); titleOf(b, "0x800423f2") == "" {
				t.Error("the built-in base does not answer")
			}

			// On reload: a good overlay runs, the bad file comes, the
			// good overlay stays.
			dir = t.TempDir()
			writeOverlay(t, dir, "site.yaml", fmt.Sprintf(overlayCode, "First"))
			cfg.Dir = dir
			r, err = NewReloader(cfg, parse.Limits{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			tc.setup(t, dir)
			if err := r.Reload(); err == nil || !says(err.Error(), tc.want) {
				t.Errorf("reload: %v; want it refused with %q", err, tc.want)
			}
			if b, _ := r.Current(); titleOf(b, "-400") != "First" {
				t.Error("a refused overlay replaced the running base")
			}
		})
	}
}

func says(s string, want []string) bool {
	for _, w := range want {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// TestReloadTimeout: a load that outlasts kb.reload_timeout is refused
// while the running base answers, the next reload is refused at once
// while the stuck one still reads, and once it ends reloads work again.
// The Watch loop hands reloads to its worker, so signals never queue up
// behind a slow disk.
func TestReloadTimeout(t *testing.T) {
	dir := t.TempDir()
	writeOverlay(t, dir, "site.yaml", fmt.Sprintf(overlayCode, "First"))
	r, err := NewReloader(knowledge.Config{Dir: dir, ReloadTimeout: 50 * time.Millisecond}, parse.Limits{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	r.read = func(c knowledge.Config) (*knowledge.Base, error) { // a disk that stops answering
		<-release
		return c.Load()
	}
	if err := r.Reload(); err == nil || !strings.Contains(err.Error(), "kb.reload_timeout") {
		t.Fatalf("slow reload: %v; want a timeout", err)
	}
	if err := r.Reload(); err == nil || !strings.Contains(err.Error(), "still reading") {
		t.Fatalf("reload beside a stuck one: %v; want it refused", err)
	}
	if b, _ := r.Current(); titleOf(b, "-400") != "First" {
		t.Fatal("the running base stopped answering")
	}

	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal)
	done := make(chan struct{})
	go func() {
		r.Watch(ctx, signals)
		close(done)
	}()
	// Unbuffered: each send is taken by the loop, which must not be busy
	// reloading.
	for range 5 {
		select {
		case signals <- os.Interrupt:
		case <-time.After(10 * time.Second):
			t.Fatal("the watch loop stopped taking signals")
		}
	}
	close(release)
	writeOverlay(t, dir, "site.yaml", fmt.Sprintf(overlayCode, "Second"))
	poll.Until(t, "a reload after the disk answers", func() bool {
		signals <- os.Interrupt
		b, _ := r.Current()
		return titleOf(b, "-400") == "Second"
	})
	cancel()
	<-done
}
