package bot

import (
	"strconv"
	"testing"
	"time"
)

func TestRecentIDs(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		id   string
		at   time.Duration
		want bool
	}{
		{"a", 0, false},
		{"a", time.Second, true},
		{"b", 2 * time.Second, false},
		{"a", time.Minute - time.Nanosecond, true},
		{"a", time.Minute, false}, // expired, seen anew
		{"a", time.Minute + time.Second, true},
		{"b", 3 * time.Minute, false},
	}
	d := newRecentIDs(time.Minute, 8)
	for i, s := range steps {
		if got := d.duplicate(s.id, t0.Add(s.at)); got != s.want {
			t.Errorf("step %d: duplicate(%q, +%s) = %v, want %v", i, s.id, s.at, got, s.want)
		}
	}
}

func TestRecentIDsBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := newRecentIDs(time.Hour, 4)
	for i := range 100 {
		d.duplicate(strconv.Itoa(i), now)
	}
	if len(d.seen) != 4 || d.n != 4 {
		t.Fatalf("remembers %d ids (%d in ring), want 4", len(d.seen), d.n)
	}
	if d.duplicate("0", now) {
		t.Error("oldest id still remembered after eviction")
	}
	if !d.duplicate("99", now) {
		t.Error("newest id forgotten")
	}
}

func TestRecentIDsForget(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := newRecentIDs(time.Hour, 4)
	d.duplicate("x", now)
	d.forget("x")
	if d.duplicate("x", now) {
		t.Error("forgotten id reported as duplicate")
	}
}
