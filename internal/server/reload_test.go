package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"

	"github.com/vssbot/vssbot/internal/poll"
)

const (
	overlayCode = `codes:
  - code: "-400"
    kind: exit_code
    title: {ja: "社内ツールの終了コード", en: "%s"}
    meaning: {ja: "社内ツールが失敗しました。", en: "The in-house tool failed."}
    references: [{title: "Runbook 40", url: "https://runbook.example.com/40"}]
`
	// A risky step without a warning: kb check refuses it.
	overlayBad = `codes:
  - code: "-401"
    kind: exit_code
    title: {ja: "不正", en: "Bad"}
    meaning: {ja: "不正", en: "Bad"}
    references: [{title: "Runbook 41", url: "https://runbook.example.com/41"}]
    steps:
      - {ja: "vssadmin delete shadows /all を実行してください。", en: "Run vssadmin delete shadows /all."}
`
)

func writeOverlay(t *testing.T, dir, name, body string) {
	t.Helper()
	// Write then rename, as editors and config tools do, so a watcher
	// never reads half a file.
	tmp := filepath.Join(dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

func titleOf(b *knowledge.Base, query string) string {
	r := b.Lookup([]string{query}, lang.English)
	if len(r.Diagnoses) == 0 {
		return ""
	}
	return r.Diagnoses[0].Title
}

func TestReloaderRefusesBadOverlay(t *testing.T) {
	dir := t.TempDir()
	writeOverlay(t, dir, "site.yaml", fmt.Sprintf(overlayCode, "First"))
	r, err := NewReloader(knowledge.Config{Dir: dir}, parse.Limits{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	before, beforeParser := r.Current()
	if got := titleOf(before, "-400"); got != "First" {
		t.Fatalf("title = %q, want First", got)
	}

	writeOverlay(t, dir, "bad.yaml", overlayBad)
	if err := r.Reload(); err == nil {
		t.Fatal("Reload accepted an overlay that fails kb check")
	}
	if b, p := r.Current(); b != before || p != beforeParser {
		t.Fatal("a refused overlay replaced the running base")
	}
	if applied, refused := r.Reloads(); applied != 0 || refused != 1 {
		t.Errorf("reloads = %d applied, %d refused; want 0, 1", applied, refused)
	}

	if err := os.Remove(filepath.Join(dir, "bad.yaml")); err != nil {
		t.Fatal(err)
	}
	writeOverlay(t, dir, "site.yaml", fmt.Sprintf(overlayCode, "Second"))
	if err := r.Reload(); err != nil {
		t.Fatal(err)
	}
	after, _ := r.Current()
	if got := titleOf(after, "-400"); got != "Second" {
		t.Errorf("after reload title = %q, want Second", got)
	}
	// Work in flight keeps the base it started with.
	if got := titleOf(before, "-400"); got != "First" {
		t.Errorf("the old base changed under its reader: %q", got)
	}
	if applied, refused := r.Reloads(); applied != 1 || refused != 1 {
		t.Errorf("reloads = %d applied, %d refused; want 1, 1", applied, refused)
	}
}

// TestReloaderRefusesBadOverlayAtStart: a bad overlay at start is refused
// and counted, and the built-in base serves alone, so the bot still starts.
func TestReloaderRefusesBadOverlayAtStart(t *testing.T) {
	dir := t.TempDir()
	writeOverlay(t, dir, "bad.yaml", overlayBad)
	r, err := NewReloader(knowledge.Config{Dir: dir}, parse.Limits{}, nil)
	if err != nil {
		t.Fatalf("a bad overlay kept the reloader from starting: %v", err)
	}
	b, _ := r.Current()
	if titleOf(b, "-401") != "" || titleOf(b, "0x800423f2") == "" {
		t.Error("the base at start is not the built-in one alone")
	}
	if applied, refused := r.Reloads(); applied != 0 || refused != 1 {
		t.Errorf("reloads = %d applied, %d refused; want 0, 1", applied, refused)
	}
}

// TestReloaderWatch changes the overlay on disk and sends a signal, and
// waits for each to take effect (or be refused) through Current.
func TestReloaderWatch(t *testing.T) {
	dir := t.TempDir()
	writeOverlay(t, dir, "site.yaml", fmt.Sprintf(overlayCode, "First"))
	r, err := NewReloader(knowledge.Config{Dir: dir}, parse.Limits{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 1)
	done := make(chan struct{})
	go func() {
		r.Watch(ctx, signals)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()

	// The watcher may start after a write; write again each second (less
	// often than the reload delay, which each write restarts) until it
	// reports, bounded by a generous deadline.
	var last time.Time
	poll.Until(t, "a file change reloads", func() bool {
		if time.Since(last) > time.Second {
			writeOverlay(t, dir, "site.yaml", fmt.Sprintf(overlayCode, "Changed"))
			last = time.Now()
		}
		b, _ := r.Current()
		return titleOf(b, "-400") == "Changed"
	})

	writeOverlay(t, dir, "bad.yaml", overlayBad)
	poll.Until(t, "a bad file is refused", func() bool {
		_, refused := r.Reloads()
		return refused > 0
	})
	if b, _ := r.Current(); titleOf(b, "-400") != "Changed" {
		t.Fatal("a refused overlay replaced the running base")
	}

	applied, _ := r.Reloads()
	if err := os.Remove(filepath.Join(dir, "bad.yaml")); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "removing the bad file reloads", func() bool {
		now, _ := r.Reloads()
		return now > applied
	})
	applied, _ = r.Reloads()
	signals <- os.Interrupt // any value stands for SIGHUP
	poll.Until(t, "a signal reloads", func() bool {
		now, _ := r.Reloads()
		return now > applied
	})
}
