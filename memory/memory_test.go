package memory

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vssbot/vssbot/internal/servicetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// backends yields a fresh DSN per dialect; PostgreSQL is skipped (or fails
// under VSSBOT_TEST_REQUIRE_SERVICES=1) when absent.
var backends = []struct {
	name string
	dsn  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "stats.db") }},
	{"postgres", func(t *testing.T) string { return servicetest.Postgres(t) }},
}

func open(t *testing.T, cfg Config) *Team {
	t.Helper()
	s, err := Open(context.Background(), cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func eachBackend(t *testing.T, f func(t *testing.T, dsn string)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { f(t, b.dsn(t)) })
	}
}

func answer(at time.Time, channel string, codes ...string) Answer {
	a := Answer{ID: NewID(), At: at, Platform: "slack", Workspace: "T1", Channel: channel, Source: Paste, Lang: "en", MessageID: "1.2", Kind: "diagnosis"}
	for _, c := range codes {
		a.Findings = append(a.Findings, Finding{Kind: KindCode, Value: c, Name: "NAME_" + c})
	}
	return a
}

func TestReport(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn string) {
		s := open(t, Config{DSN: dsn})
		ctx := context.Background()
		now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
		week := 7 * 24 * time.Hour
		recs := []Answer{
			answer(now.Add(-time.Hour), "C1", "0x800423f2", "0x800423f2"), // the same code twice counts once
			answer(now.Add(-2*time.Hour), "C1", "0x800423f2", "0x800423f4"),
			answer(now.Add(-3*time.Hour), "C2", "0x800423f4"),
			answer(now.Add(-week-time.Hour), "C1", "0x800423f2"), // previous week
			answer(now.Add(-3*week), "C1", "0x800423f3"),         // outside both
		}
		recs[0].Findings = append(recs[0].Findings, Finding{Kind: KindWriter, Value: "SqlServerWriter"}, Finding{Kind: KindFile, Value: "customer.log"})
		for _, a := range recs {
			if err := s.RecordAnswer(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		// A retried record changes nothing.
		if err := s.RecordAnswer(ctx, recs[0]); err != nil {
			t.Fatal(err)
		}
		vote := func(a Answer, user string, v Vote) {
			t.Helper()
			if _, _, err := s.RecordFeedback(ctx, Feedback{AnswerID: a.ID, Platform: "slack", User: user, Vote: v}); err != nil {
				t.Fatal(err)
			}
		}
		vote(recs[0], "U1", Fixed)
		vote(recs[0], "U2", Fixed)
		vote(recs[1], "U1", NotHelpful)
		r, err := s.Report(ctx, Scope{}, now.Add(-week), now)
		if err != nil {
			t.Fatal(err)
		}
		if r.Answers != 3 || r.PreviousAnswers != 1 {
			t.Fatalf("answers %d previous %d, want 3 and 1", r.Answers, r.PreviousAnswers)
		}
		if len(r.Codes) != 2 {
			t.Fatalf("codes %+v", r.Codes)
		}
		f2, f4 := r.Codes[0], r.Codes[1]
		if f4.Code == "0x800423f2" {
			f2, f4 = f4, f2
		}
		if f2.Count != 2 || f2.Previous != 1 || f2.Helpful != 1 || f2.NotHelpful != 1 || f2.Name != "NAME_0x800423f2" {
			t.Errorf("0x800423f2: %+v", f2)
		}
		if f4.Count != 2 || f4.Previous != 0 || f4.Helpful != 0 || f4.NotHelpful != 1 {
			t.Errorf("0x800423f4: %+v", f4)
		}
		if len(r.Writers) != 1 || r.Writers[0].Writer != "SqlServerWriter" || r.Writers[0].Count != 1 {
			t.Errorf("writers %+v", r.Writers)
		}
		if len(r.Channels) != 2 || r.Channels[0].Channel != "C1" || r.Channels[0].Count != 2 {
			t.Errorf("channels %+v", r.Channels)
		}
		var files int
		if err := s.db.QueryRow("SELECT COUNT(*) FROM findings WHERE kind = 'file'").Scan(&files); err != nil || files != 0 {
			t.Errorf("file names stored without memory.file_names: %d, %v", files, err)
		}
	})
}

func TestFeedbackOncePerUser(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn string) {
		s := open(t, Config{DSN: dsn})
		ctx := context.Background()
		a := answer(time.Now(), "C1", "0x800423f2")
		if err := s.RecordAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		counted := 0
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v := Fixed
				if i%2 == 1 {
					v = NotHelpful
				}
				_, rec, err := s.RecordFeedback(ctx, Feedback{AnswerID: a.ID, Platform: "slack", User: "U1", Vote: v})
				if err != nil {
					t.Error(err)
				}
				if rec {
					mu.Lock()
					counted++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		tl, err := s.Tally(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if counted != 1 || tl.Fixed+tl.NotHelpful != 1 {
			t.Fatalf("20 clicks by one user: counted %d, tally %+v", counted, tl)
		}
		tl, rec, err := s.RecordFeedback(ctx, Feedback{AnswerID: a.ID, Platform: "discord", User: "U1", Vote: NotHelpful})
		if err != nil || !rec || tl.Fixed+tl.NotHelpful != 2 {
			t.Fatalf("another user: %+v %v %v", tl, rec, err)
		}
		if _, _, err := s.RecordFeedback(ctx, Feedback{AnswerID: "nope", User: "U1", Vote: Fixed}); err == nil {
			t.Fatal("malformed answer id accepted")
		}
		// A vote on an answer never recorded, or by nobody, is not one.
		if _, rec, err := s.RecordFeedback(ctx, Feedback{AnswerID: NewID(), User: "U1", Vote: Fixed}); !errors.Is(err, ErrUnknownAnswer) || rec {
			t.Fatalf("vote on an unknown answer: %v %v", rec, err)
		}
		if _, rec, err := s.RecordFeedback(ctx, Feedback{AnswerID: a.ID, Platform: "slack", User: " ", Vote: Fixed}); !errors.Is(err, ErrBadInput) || rec {
			t.Fatalf("vote without a user: %v %v", rec, err)
		}
		if s.Degraded() != "" {
			t.Fatalf("refused votes took the team memory down: %s", s.Degraded())
		}
		if _, _, err := s.RecordFeedback(ctx, Feedback{AnswerID: a.ID, User: "U1", Vote: "meh"}); err == nil {
			t.Fatal("bad vote accepted")
		}
	})
}

func TestMigrationsConcurrentStart(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn string) {
		var wg sync.WaitGroup
		errs := make(chan error, 6)
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := Open(context.Background(), Config{DSN: dsn}, quiet)
				if err != nil {
					errs <- err
					return
				}
				errs <- s.Close()
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		s := open(t, Config{DSN: dsn})
		ms, _ := loadMigrations()
		var n int
		if err := s.db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != len(ms) {
			t.Fatalf("schema_migrations rows %d (%v), want %d", n, err, len(ms))
		}
		// Forward only: a schema newer than the binary is refused.
		if _, err := s.db.Exec(s.d.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"), 9999, "9999_future.sql", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(context.Background(), Config{DSN: dsn}, quiet); err == nil {
			t.Fatal("opened a database migrated by a newer vssbot")
		}
	})
}

func TestPurge(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn string) {
		s := open(t, Config{DSN: dsn, Retention: 30 * 24 * time.Hour})
		ctx := context.Background()
		now := time.Now()
		old, fresh := answer(now.Add(-40*24*time.Hour), "C1", "0x800423f2"), answer(now, "C1", "0x800423f2")
		for _, a := range []Answer{old, fresh} {
			if err := s.RecordAnswer(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := s.RecordFeedback(ctx, Feedback{AnswerID: old.ID, User: "U", Vote: Fixed}); err != nil {
			t.Fatal(err)
		}
		ctx2, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { s.RunPurge(ctx2, nil); close(done) }()
		deadline := time.Now().Add(10 * time.Second)
		for {
			var n int
			if err := s.db.QueryRow("SELECT COUNT(*) FROM answers").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d answers left after the purge, want 1", n)
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		<-done
		var left int
		if err := s.db.QueryRow("SELECT COUNT(*) FROM feedback").Scan(&left); err != nil || left != 0 {
			t.Fatalf("feedback rows of purged answers: %d %v", left, err)
		}
	})
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg Config
		ok  bool
	}{
		{Config{}, true},
		{Config{DSN: "off"}, true},
		{Config{DSN: "OFF"}, true},
		{Config{DSN: "/var/lib/vssbot/stats.db", Retention: 90 * 24 * time.Hour}, true},
		{Config{DSN: "postgres://u:p@db:5432/vssbot?sslmode=disable"}, true},
		{Config{DSN: "host=db dbname=vssbot user=bot sslmode=disable"}, true},
		{Config{DSN: "mysql://db/x"}, false},
		{Config{Retention: time.Hour}, false},
		{Config{Retention: -time.Hour}, false},
	} {
		err := tc.cfg.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%+v: %v", tc.cfg, err)
		}
		if err != nil && errors.Is(err, ErrInvalid) == false {
			t.Errorf("%+v: %v does not wrap ErrInvalid", tc.cfg, err)
		}
	}
}
