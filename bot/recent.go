package bot

import (
	"sync"
	"time"
)

// recentIDs remembers event ids for a window so a platform's retry of an event
// never produces a second reply. Memory is bounded twice: by the window and
// by a fixed number of ids kept in a ring, oldest evicted first.
type recentIDs struct {
	mu     sync.Mutex
	window time.Duration
	seen   map[string]time.Time
	ring   []seenID // FIFO of insertions, oldest at head
	head   int
	n      int
}

type seenID struct {
	id string
	at time.Time
}

func newRecentIDs(window time.Duration, capacity int) *recentIDs {
	return &recentIDs{
		window: window,
		seen:   make(map[string]time.Time, capacity),
		ring:   make([]seenID, capacity),
	}
}

// duplicate records id at now and reports whether it was already seen
// within the window.
func (d *recentIDs) duplicate(id string, now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if at, ok := d.seen[id]; ok && now.Sub(at) < d.window {
		return true
	}
	for d.n > 0 && (d.n == len(d.ring) || now.Sub(d.ring[d.head].at) >= d.window) {
		d.evict()
	}
	d.seen[id] = now
	d.ring[(d.head+d.n)%len(d.ring)] = seenID{id: id, at: now}
	d.n++
	return false
}

func (d *recentIDs) evict() {
	old := d.ring[d.head]
	// The id may have been seen again after expiring; only its latest
	// sighting owns the map entry.
	if d.seen[old.id].Equal(old.at) {
		delete(d.seen, old.id)
	}
	d.ring[d.head] = seenID{}
	d.head = (d.head + 1) % len(d.ring)
	d.n--
}

// forget removes id, for an event accepted but then refused.
func (d *recentIDs) forget(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.seen, id)
}
