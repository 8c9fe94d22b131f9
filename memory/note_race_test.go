package memory

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestNoteLimitUnderConcurrency: 40 adds at once on one code, through two
// stores on one database as two replicas would, keep at most
// MaxNotesPerCode notes: every add past it is refused as such.
func TestNoteLimitUnderConcurrency(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn string) {
		cfg := Config{DSN: dsn, StatementTimeout: 30 * time.Second}
		replicas := []*Team{open(t, cfg), open(t, cfg)}
		ctx := context.Background()
		warm(t, replicas)
		var wg sync.WaitGroup
		var mu sync.Mutex
		kept, refused := 0, 0
		start := make(chan struct{})
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := replicas[i%2].AddNote(ctx, Note{Platform: "slack", Workspace: "T1", Code: "0x800423f2", Author: "U1", Text: fmt.Sprint("note ", i)})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					kept++
				case errors.Is(err, ErrTooManyNotes):
					refused++
				default:
					t.Errorf("add %d: %v", i, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		var rows int
		if err := replicas[0].db.QueryRowContext(ctx, "SELECT COUNT(*) FROM notes").Scan(&rows); err != nil {
			t.Fatal(err)
		}
		t.Logf("40 concurrent adds: %d rows stored, %d kept, %d refused", rows, kept, refused)
		if rows != MaxNotesPerCode || kept != MaxNotesPerCode || refused != 40-MaxNotesPerCode {
			t.Errorf("%d rows, %d kept, %d refused; want %d, %d, %d", rows, kept, refused, MaxNotesPerCode, MaxNotesPerCode, 40-MaxNotesPerCode)
		}
	})
}

// warm opens each store's connections at once, so the adds below meet
// in the database rather than queue for a connection.
func warm(t *testing.T, stores []*Team) {
	t.Helper()
	var wg sync.WaitGroup
	for _, s := range stores {
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tx, err := s.db.BeginTx(context.Background(), nil)
				if err != nil {
					t.Error(err)
					return
				}
				time.Sleep(50 * time.Millisecond) // holds the connection while the others open
				_ = tx.Rollback()
			}()
		}
	}
	wg.Wait()
}
