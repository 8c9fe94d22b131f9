package bot_test

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/console"
	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

var commands atomic.Int64

func command(user, text string) bot.Event {
	return bot.Event{ID: "c" + strconv.FormatInt(commands.Add(1), 10), Kind: bot.Command, Text: text, User: user,
		Target: bot.Target{Platform: "slack", Workspace: "T1", Channel: "C1"}}
}

// rendered lays a reply out as `vssbot chat` shows it.
func rendered(t *testing.T, r *answer.Outline) string {
	t.Helper()
	var b bytes.Buffer
	if err := console.Render(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestTeamNotes(t *testing.T) {
	s := teamMemory(t)
	e, _ := newEngine(t, bot.Config{Language: lang.English, Memory: s, NoteAdmins: []string{"slack:UADMIN"}}, parse.Limits{})
	ctx := context.Background()
	ask := func(ev bot.Event) string {
		t.Helper()
		r, ok := e.Answer(ctx, ev)
		if !ok {
			t.Fatalf("no answer to %q", ev.Text)
		}
		return rendered(t, r)
	}
	for i, text := range []string{"one", "two", "three", "four <!channel> *loud*"} {
		out := ask(command("U1", "note 0x800423F2 "+text))
		if !strings.Contains(out, "kept on 0x800423f2") {
			t.Fatalf("note %d: %s", i, out)
		}
		time.Sleep(2 * time.Millisecond) // distinct times order the notes
	}
	out := ask(command("U2", "0x800423f2"))
	if !strings.Contains(out, "Team notes: 0x800423f2") || !strings.Contains(out, "not part of the knowledge base") {
		t.Fatalf("lookup lacks the team notes:\n%s", out)
	}
	if strings.Contains(out, "— U1, ") && strings.Contains(out, "one —") {
		t.Errorf("more than the newest three shown:\n%s", out)
	}
	if !strings.Contains(out, "four <!channel> *loud*") {
		t.Errorf("newest note missing:\n%s", out)
	}
	// Another workspace sees none of them.
	other := command("U2", "0x800423f2")
	other.Target.Workspace = "T2"
	if strings.Contains(ask(other), "Team notes") {
		t.Error("notes leaked to another workspace")
	}
	// A diagnosis explaining the code shows them too.
	r, ok := e.Answer(ctx, bot.Event{ID: "m", Kind: bot.Message, Text: readFile(t, "seed_excerpt.txt"), User: "U3",
		Target: bot.Target{Platform: "slack", Workspace: "T1", Channel: "C1"}})
	if !ok || !strings.Contains(rendered(t, r), "Team notes: 0x800423f2") {
		t.Error("diagnosis lacks the team notes")
	}
	list := ask(command("U2", "notes VSS_E_WRITERERROR_TIMEOUT"))
	var id string
	for _, line := range strings.Split(list, "\n") {
		if strings.Contains(line, "one — @U1") { // the author as a mention
			_, after, _ := strings.Cut(line, "(id ")
			id = strings.TrimSuffix(strings.TrimSpace(after), ")")
		}
	}
	if id == "" {
		t.Fatalf("no id for the oldest note in:\n%s", list)
	}
	if out := ask(command("U2", "note remove "+id)); !strings.Contains(out, "Only the note's author") {
		t.Errorf("removal by another user: %s", out)
	}
	if out := ask(command("UADMIN", "note remove "+id)); !strings.Contains(out, "removed") {
		t.Errorf("removal by an admin: %s", out)
	}
	if out := ask(command("U1", "note 0x800423f2 "+strings.Repeat("x", 301))); !strings.Contains(out, "too long") {
		t.Errorf("long note: %s", out)
	}
	if out := ask(command("U1", "note System-Writer-is-no-code hello")); !strings.Contains(out, "codes the knowledge base knows") {
		t.Errorf("note on no code: %s", out)
	}
	if out := ask(command("U1", "note 0x800423f2 再起動で解消した")); !strings.Contains(out, "kept on 0x800423f2") {
		t.Errorf("Japanese note: %s", out)
	}
}

func TestTeamNotesOff(t *testing.T) {
	e, _ := newEngine(t, bot.Config{Language: lang.English}, parse.Limits{})
	r, ok := e.Answer(context.Background(), command("U1", "note 0x800423f2 hello"))
	if !ok || !strings.Contains(r.Headline, "memory.dsn") {
		t.Errorf("notes off: %+v", r)
	}
}

// Two attachments of one message are one case: the task log and the event
// export of the same failure give an incident that leads the answer.
func TestAttachmentsMakeOneCase(t *testing.T) {
	e, _ := newEngine(t, bot.Config{Language: lang.English}, parse.Limits{})
	attach := func(name string) bot.Attachment {
		data := readFile(t, filepath.Join("..", "..", "knowledge", "testdata", "story", name))
		return file(name, int64(len(data)), func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(data)), nil })
	}
	ev := bot.Event{ID: "case", Kind: bot.Message, Attachments: []bot.Attachment{attach("task-utc.log"), attach("application-jst.txt")},
		Target: bot.Target{Platform: "slack", Channel: "C1"}}
	r, ok := e.Answer(context.Background(), ev)
	_, rest := r.First() // the story follows the first screen
	if !ok || len(rest) < 2 {
		t.Fatalf("answer %+v", r)
	}
	if !strings.HasPrefix(rest[0].Title, "Incident 1: ") || !strings.Contains(rest[0].Title, "seen in 2 sources") {
		t.Errorf("first section %q", rest[0].Title)
	}
	if !strings.Contains(strings.Join(rest[0].Lines, "\n"), "9 h ahead of the task log (task-utc.log)") {
		t.Errorf("no offset note in %q", rest[0].Lines)
	}
	if rest[1].Title != "Timeline of the case" {
		t.Errorf("second section %q", rest[1].Title)
	}
}
