package memory

import (
	"context"
	"testing"
	"time"
)

// TestScopedReportAndNotes: a workspace's report and notes hold only its
// own; the zero Scope and memory.scope=all see every workspace's.
func TestScopedReportAndNotes(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn string) {
		s := open(t, Config{DSN: dsn})
		ctx := context.Background()
		now := time.Now()
		a1 := answer(now.Add(-time.Hour), "C1", "0x800423f2")
		a2 := answer(now.Add(-time.Hour), "C2", "0x800423f4")
		a2.Workspace = "T2"
		dm := answer(now.Add(-time.Hour), "D9", "0x800423f3")
		dm.Platform, dm.Workspace = "discord", DMScope("discord", "U9")
		for _, a := range []Answer{a1, a2, dm} {
			if err := s.RecordAnswer(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		for _, ws := range []string{"T1", "T2"} {
			if _, err := s.AddNote(ctx, Note{Platform: "slack", Workspace: ws, Code: "0x800423f2", Author: "U1", Text: "note of " + ws}); err != nil {
				t.Fatal(err)
			}
		}
		channels := func(sc Scope) map[string]bool {
			r, err := s.Report(ctx, sc, now.Add(-24*time.Hour), now)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]bool{}
			for _, c := range r.Channels {
				out[c.Channel] = true
			}
			if len(r.Channels) != r.Answers {
				t.Errorf("%+v: %d answers over %d channels", sc, r.Answers, len(r.Channels))
			}
			return out
		}
		if got := channels(Scope{Platform: "slack", Workspace: "T2"}); len(got) != 1 || !got["C2"] {
			t.Errorf("T2 sees %v", got)
		}
		if got := channels(Scope{Platform: "discord", Workspace: DMScope("discord", "U8")}); len(got) != 0 {
			t.Errorf("another DM user sees %v", got)
		}
		if got := channels(Scope{}); len(got) != 3 {
			t.Errorf("the operator sees %v", got)
		}
		notes, err := s.Notes(ctx, "slack", "T2", "0x800423f2", 0)
		if err != nil || len(notes) != 1 || notes[0].Text != "note of T2" {
			t.Errorf("T2's notes: %+v %v", notes, err)
		}

		all := open(t, Config{DSN: dsn, Scope: ScopeAll})
		if r, err := all.Report(ctx, Scope{Platform: "slack", Workspace: "T2"}, now.Add(-24*time.Hour), now); err != nil || r.Answers != 3 {
			t.Errorf("memory.scope=all: %v answers, %v", r, err)
		}
		if notes, err := all.Notes(ctx, "slack", "T2", "0x800423f2", 0); err != nil || len(notes) != 2 {
			t.Errorf("memory.scope=all notes: %+v %v", notes, err)
		}
	})
}
