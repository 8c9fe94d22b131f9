package outage

import (
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

// TestWatch: a failure takes the dependency down once, however many calls
// fail meanwhile; the probe lifts the outage when the dependency answers;
// a later failure is a second outage.
func TestWatch(t *testing.T) {
	var up atomic.Bool
	w := New(func() error {
		if up.Load() {
			return nil
		}
		return errors.New("no answer")
	}, slog.New(slog.DiscardHandler), "back")
	defer w.Close()
	if w.Down() || w.Why() != "" {
		t.Fatal("down before any failure")
	}
	if !w.Fail("timeout") || w.Fail("again") {
		t.Fatal("Fail took the dependency down other than once")
	}
	if !w.Down() || w.Why() != "timeout" || w.Outages() != 1 {
		t.Fatalf("down %v why %q outages %d", w.Down(), w.Why(), w.Outages())
	}
	up.Store(true)
	deadline := time.Now().Add(10 * Every)
	for w.Down() {
		if time.Now().After(deadline) {
			t.Fatal("the probe never lifted the outage")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if w.Why() != "" {
		t.Errorf("why %q after the outage", w.Why())
	}
	if !w.Fail("again") || w.Outages() != 2 {
		t.Errorf("a second failure counted %d outages", w.Outages())
	}
}

// TestCloseStopsTheProbe: Close returns while the dependency is still down.
func TestCloseStopsTheProbe(t *testing.T) {
	w := New(func() error { return errors.New("no answer") }, nil, "back")
	w.Fail("down")
	done := make(chan struct{})
	go func() { w.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited on a probe that never ends")
	}
	w.Close() // twice is fine
}
