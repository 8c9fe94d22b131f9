package console_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/adapters/console"
	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
	goldenfile "github.com/vssbot/vssbot/internal/golden"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// scripted records the events it is asked and answers each with a reply
// naming the event, so the session's reading of input is checked alone.
type scripted struct{ events []bot.Event }

func (s *scripted) Answer(_ context.Context, ev bot.Event) (*answer.Outline, bool) {
	s.events = append(s.events, ev)
	if ev.Text == "silence" {
		return nil, false
	}
	return &answer.Outline{Kind: answer.Help, Lang: lang.English, Headline: "got " + ev.Kind.String()}, true
}

func TestRunReadsRequests(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "task.log")
	if err := os.WriteFile(logPath, []byte("Exit Code -311\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := strings.Join([]string{
		"",
		"/vss 0x800423f2 0x800423f3",
		"line one",
		"line two",
		"",
		"/file " + logPath,
		"/file",
		"silence",
		"",
		"/quit",
		"/vss never read",
	}, "\n")
	var out bytes.Buffer
	a := &scripted{}
	if err := console.Run(context.Background(), a, strings.NewReader(in), &out); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(a.events) != 5 {
		t.Fatalf("%d events, want 5: %+v", len(a.events), a.events)
	}
	want := []struct {
		kind  bot.EventKind
		text  string
		files int
	}{
		{bot.Command, "0x800423f2 0x800423f3", 0},
		{bot.Message, "line one\nline two", 0},
		{bot.Message, "", 1},
		{bot.Message, "", 1},
		{bot.Message, "silence", 0},
	}
	for i, w := range want {
		ev := a.events[i]
		if ev.Kind != w.kind || ev.Text != w.text || len(ev.Attachments) != w.files || !ev.Mentioned || ev.ID == "" {
			t.Errorf("event %d = %+v, want %+v", i, ev, w)
		}
	}
	f := a.events[2].Attachments[0]
	if f.Name != "task.log" || f.Size != int64(len("Exit Code -311\n")) {
		t.Errorf("attachment %+v", f)
	}
	rc, err := f.Open(context.Background())
	if err != nil {
		t.Fatalf("open attachment: %v", err)
	}
	rc.Close()
	if _, err := a.events[3].Attachments[0].Open(context.Background()); err == nil {
		t.Error("/file without a path opened something")
	}
	golden(t, "session.golden", out.String())
}

func TestRunEndsAtEOF(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		events int
	}{
		{"empty", "", 0},
		{"paste without final newline", "Exit Code -311", 1},
		{"paste ended by EOF", "a\nb\n", 1},
		{"long line", strings.Repeat("x", 3<<20), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &scripted{}
			if err := console.Run(context.Background(), a, strings.NewReader(tt.in), &bytes.Buffer{}); err != nil {
				t.Fatalf("Run: %v", err)
			}
			if len(a.events) != tt.events {
				t.Errorf("%d events, want %d", len(a.events), tt.events)
			}
			for _, ev := range a.events {
				if len(ev.Text) > 1<<20 {
					t.Errorf("line of %d bytes kept", len(ev.Text))
				}
			}
		})
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := console.Run(ctx, &scripted{}, strings.NewReader("/vss 1\n"), &bytes.Buffer{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }

func TestRunWriteError(t *testing.T) {
	if err := console.Run(context.Background(), &scripted{}, strings.NewReader("/vss\n"), failWriter{}); err == nil {
		t.Error("Run ignored a write error")
	}
}

// TestRunEngine drives a real engine through the console.
func TestRunEngine(t *testing.T) {
	kb, err := knowledge.Load("")
	if err != nil {
		t.Fatal(err)
	}
	e := bot.New(kb, parse.New(kb, parse.Limits{}), bot.Config{Language: lang.English, Logger: slog.New(slog.DiscardHandler)})
	defer e.Shutdown(context.Background())
	in := "/vss 0x800423f2\nhello there\n\n/file " + filepath.Join("testdata", "missing.log") + "\n/quit\n"
	var out bytes.Buffer
	if err := console.Run(context.Background(), e, strings.NewReader(in), &out); err != nil {
		t.Fatalf("Run: %v", err)
	}
	golden(t, "engine_session.golden", out.String())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), []byte(got))
}

func FuzzRun(f *testing.F) {
	f.Add("/vss 0x800423f2\nline\n\n/file\n/quit\n")
	f.Add("\xff\xfe/\x00v\x00\r\n\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		a := &scripted{}
		if err := console.Run(context.Background(), a, strings.NewReader(in), &bytes.Buffer{}); err != nil {
			t.Fatalf("Run: %v", err)
		}
		if len(a.events) > strings.Count(in, "\n")+1 {
			t.Fatalf("%d events from %d lines", len(a.events), strings.Count(in, "\n")+1)
		}
	})
}
