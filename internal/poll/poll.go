// Package poll waits in tests for a condition that another goroutine or
// process makes true, where no event says when: a row written, a file
// reloaded, a replica listening. It is the one wait-until helper; a test
// that can wait on a channel should.
package poll

import (
	"testing"
	"time"
)

// patience is how long Until waits: long, because a loaded machine is slow,
// and a condition that holds returns at once.
const patience = 60 * time.Second

// Until checks cond every few milliseconds until it holds, and fails t,
// naming what it waited for, when it has not held within a minute.
func Until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", patience, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
