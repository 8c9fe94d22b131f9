package memory

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNotes(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn string) {
		s := open(t, Config{DSN: dsn})
		ctx := context.Background()
		at := time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC)
		add := func(ws, author, text string, minutes int) (Note, error) {
			return s.AddNote(ctx, Note{Platform: "slack", Workspace: ws, Code: "0x800423f2", Author: author, Text: text, At: at.Add(time.Duration(minutes) * time.Minute)})
		}
		for i, text := range []string{"first", "second\nline <!channel>", "third", "fourth"} {
			if _, err := add("T1", "U1", text, i); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := add("T2", "U9", "another team", 0); err != nil {
			t.Fatal(err)
		}
		got, err := s.Notes(ctx, "slack", "T1", "0x800423f2", 3)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, n := range got {
			texts = append(texts, n.Text)
		}
		if strings.Join(texts, "|") != "fourth|third|second line <!channel>" {
			t.Errorf("newest three %q", texts)
		}
		for _, bad := range []struct {
			text string
			want error
		}{{" \n\t", ErrNoteEmpty}, {strings.Repeat("長", MaxNoteRunes+1), ErrNoteTooLong}} {
			if _, err := add("T1", "U1", bad.text, 9); !errors.Is(err, bad.want) {
				t.Errorf("note %.10q: %v, want %v", bad.text, err, bad.want)
			}
		}
		if _, err := s.RemoveNote(ctx, "slack", "T1", got[0].ID, "U2", false); !errors.Is(err, ErrNotAuthor) {
			t.Errorf("removal by another user: %v", err)
		}
		if _, err := s.RemoveNote(ctx, "slack", "T2", got[0].ID, "U1", false); !errors.Is(err, ErrUnknownNote) {
			t.Errorf("removal from another workspace: %v", err)
		}
		if n, err := s.RemoveNote(ctx, "slack", "T1", got[0].ID, "U1", false); err != nil || n.Text != "fourth" {
			t.Errorf("removal by the author: %+v %v", n, err)
		}
		if _, err := s.RemoveNote(ctx, "slack", "T1", got[1].ID, "U2", true); err != nil {
			t.Errorf("removal by an admin: %v", err)
		}
		for i := 0; ; i++ {
			if _, err := add("T3", "U1", "n", i); err != nil {
				if !errors.Is(err, ErrTooManyNotes) || i != MaxNotesPerCode {
					t.Errorf("note %d: %v", i, err)
				}
				break
			}
		}
	})
}
