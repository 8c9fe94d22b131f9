package bot_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/adapters/console"
	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/chattest"
	goldenfile "github.com/vssbot/vssbot/internal/golden"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// newEngine returns an engine over the real knowledge base and parser.
func newEngine(t testing.TB, opts bot.Config, limits parse.Limits) (*bot.Engine, *prometheus.Registry) {
	t.Helper()
	kb, err := chattest.KB()
	if err != nil {
		t.Fatalf("load knowledge: %v", err)
	}
	reg := prometheus.NewRegistry()
	opts.Registerer = reg
	opts.Logger = slog.New(slog.DiscardHandler)
	e := bot.New(kb, parse.New(kb, limits), opts)
	t.Cleanup(func() { _ = e.Shutdown(context.Background()) })
	return e, reg
}

func readFile(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func message(text string) bot.Event {
	return bot.Event{ID: "m", Kind: bot.Message, Text: text, Target: bot.Target{Platform: "test", Channel: "C1"}}
}

func TestDiagnoseSeed(t *testing.T) {
	excerpt := readFile(t, "seed_excerpt.txt")
	tests := []struct {
		name   string
		lang   lang.Tag
		text   string
		want   lang.Tag
		golden string
	}{
		{"en", lang.English, excerpt, lang.English, "seed_en.golden"},
		{"ja", lang.Japanese, excerpt, lang.Japanese, "seed_ja.golden"},
		{"auto english", lang.Auto, excerpt, lang.English, ""},
		{"auto japanese", lang.Auto, "バックアップが Exit Code -311 で失敗しました。ログの抜粋です。\n" + excerpt, lang.Japanese, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := newEngine(t, bot.Config{Language: tt.lang}, parse.Limits{})
			r, ok := e.Answer(context.Background(), message(tt.text))
			if !ok || r.Kind != answer.Diagnosis {
				t.Fatalf("Answer = %+v, %v; want a diagnosis", r, ok)
			}
			if r.Lang != tt.want {
				t.Errorf("lang %s, want %s", r.Lang, tt.want)
			}
			for _, w := range []string{"System Writer", "0x800423f2"} {
				if !strings.Contains(r.Headline, w) {
					t.Errorf("headline %q lacks %q", r.Headline, w)
				}
			}
			first, rest := r.First()
			if len(rest) == 0 || !strings.HasPrefix(rest[0].Title, "0x800423f2 VSS_E_WRITERERROR_TIMEOUT") {
				t.Errorf("sections %+v, want 0x800423f2 first after the first screen", r.Sections)
			}
			if len(first) == 0 || !slices.ContainsFunc(first[0].Lists, func(l answer.List) bool { return l.Numbered && !l.Empty() }) {
				t.Error("no first actions for 0x800423f2")
			}
			var b bytes.Buffer
			if err := console.Render(&b, r); err != nil {
				t.Fatal(err)
			}
			// The thread answer states the VssStart-to-failure span once.
			chattest.SaidOnce(t, b.String(), &knowledge.Report{Facts: []parse.Fact{{Seconds: 169.351}}, Diagnoses: []knowledge.Diagnosis{{}}})
			if tt.golden != "" {
				golden(t, tt.golden, b.String())
			}
		})
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), []byte(got))
}

func TestRepeatedFindingShownOnce(t *testing.T) {
	excerpt := readFile(t, "seed_excerpt.txt")
	e, _ := newEngine(t, bot.Config{Language: lang.English}, parse.Limits{})
	r, ok := e.Answer(context.Background(), message(strings.Repeat(excerpt, 3)))
	if !ok {
		t.Fatal("no answer")
	}
	n := 0
	for _, d := range r.Details.Items {
		if strings.Contains(d, "0x800423f2") {
			n++
			if !strings.Contains(d, "×3") {
				t.Errorf("detail %q lacks ×3", d)
			}
		}
	}
	if n != 1 {
		t.Errorf("0x800423f2 in %d detail lines, want 1: %q", n, r.Details.Items)
	}
}

func TestMessages(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		mentioned bool
		want      bool
		kind      answer.Kind
	}{
		{"chatter", "good morning, backups ran fine last night", false, false, 0},
		{"chatter ja", "おはようございます。昨夜のバックアップは成功しました。", false, false, 0},
		{"writer named in passing", "is System Writer the one for CryptSvc?", false, false, 0},
		{"empty", "", false, false, 0},
		{"mention with chatter", "hello bot", true, true, answer.Help},
		{"code in a sentence", "the task failed again with 0x800423f3, any idea?", false, true, answer.Diagnosis},
		{"exit code", "AIP task ended with Exit Code -311", false, true, answer.Diagnosis},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := newEngine(t, bot.Config{}, parse.Limits{})
			ev := message(tt.text)
			ev.Mentioned = tt.mentioned
			r, ok := e.Answer(context.Background(), ev)
			if ok != tt.want {
				t.Fatalf("answered = %v, want %v (%+v)", ok, tt.want, r)
			}
			if ok && r.Kind != tt.kind {
				t.Errorf("kind %s, want %s", r.Kind, tt.kind)
			}
		})
	}
}

func TestCommands(t *testing.T) {
	excerpt := readFile(t, "seed_excerpt.txt")
	tests := []struct {
		name     string
		text     string
		files    []bot.Attachment
		kind     answer.Kind
		lang     lang.Tag
		sections int // minimum
		title    string
	}{
		{"lookup", "0x800423f2", nil, answer.Lookup, lang.English, 1, "0x800423f2"},
		{"lookup two", "0x800423f1, 0x800423f4", nil, answer.Lookup, lang.English, 2, "0x800423f1"},
		{"lookup by name", "VSS_E_WRITERERROR_TIMEOUT", nil, answer.Lookup, lang.English, 1, "0x800423f2"},
		{"lookup unknown", "0x80042399", nil, answer.Lookup, lang.English, 1, "0x80042399"},
		{"pasted log", excerpt, nil, answer.Diagnosis, lang.English, 1, "0x800423f2"},
		{"japanese text", "0x800423f2 の意味", nil, answer.Lookup, lang.Japanese, 1, ""},
		{"file", "", []bot.Attachment{file("1500000000.log", int64(len(excerpt)), func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(excerpt)), nil
		})}, answer.Diagnosis, lang.English, 1, "0x800423f2"},
		{"file with nothing", "", []bot.Attachment{file("notes.txt", 5, func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader("hello")), nil
		})}, answer.Help, lang.English, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := newEngine(t, bot.Config{}, parse.Limits{})
			ev := help("c")
			ev.Text, ev.Attachments = tt.text, tt.files
			r, ok := e.Answer(context.Background(), ev)
			if !ok || r.Kind != tt.kind || r.Lang != tt.lang {
				t.Fatalf("Answer = %+v, %v; want kind %s in %s", r, ok, tt.kind, tt.lang)
			}
			_, rest := r.First()
			if len(rest) < tt.sections || (tt.title != "" && !strings.HasPrefix(rest[0].Title, tt.title)) {
				t.Errorf("sections %+v, want at least %d, first %q", r.Sections, tt.sections, tt.title)
			}
		})
	}
}

func TestAttachmentLargerThanAnnounced(t *testing.T) {
	excerpt := readFile(t, "seed_excerpt.txt")
	e, reg := newEngine(t, bot.Config{MaxAttachmentBytes: 1 << 20, Language: lang.English}, parse.Limits{})
	content := excerpt + strings.Repeat("padding line\n", 200000)
	ev := message("")
	ev.Attachments = []bot.Attachment{file("liar.log", 100, func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(content)), nil
	})}
	r, ok := e.Answer(context.Background(), ev)
	if !ok || r.Kind != answer.Diagnosis {
		t.Fatalf("Answer = %+v, %v; want the findings read before the limit", r, ok)
	}
	last := r.Sections[len(r.Sections)-1]
	if got := strings.Join(last.Lines, "\n"); !strings.Contains(got, "liar.log") || !strings.Contains(got, "1 MB") {
		t.Errorf("last section %+v does not name the file and the limit", last)
	}
	if got := metric(t, reg, "vssbot_errors_total", "platform", "test", "reason", "attachment_too_large"); got != 1 {
		t.Errorf("errors attachment_too_large = %v, want 1", got)
	}
}

func TestZipBomb(t *testing.T) {
	excerpt := readFile(t, "seed_excerpt.txt")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range []struct {
		name string
		data []byte
	}{{"logs/1500000000.log", []byte(excerpt)}, {"logs/zeros.log", make([]byte, 8<<20)}} {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	e, reg := newEngine(t, bot.Config{Language: lang.English}, parse.Limits{MaxExpandedBytes: 1 << 20})
	ev := message("")
	ev.Attachments = []bot.Attachment{file("bundle.zip", int64(buf.Len()), func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(buf.Bytes())), nil
	})}
	r, ok := e.Answer(context.Background(), ev)
	if !ok || r.Kind != answer.Diagnosis {
		t.Fatalf("Answer = %+v, %v; want the findings of the first entry", r, ok)
	}
	if !strings.Contains(r.Headline, "0x800423f2") {
		t.Errorf("headline %q lacks the first entry's finding", r.Headline)
	}
	last := r.Sections[len(r.Sections)-1]
	if got := strings.Join(last.Lines, "\n"); !strings.Contains(got, "bundle.zip") {
		t.Errorf("last section %+v does not name the archive", last)
	}
	if got := metric(t, reg, "vssbot_errors_total", "platform", "test", "reason", "attachment_read"); got != 1 {
		t.Errorf("errors attachment_read = %v, want 1", got)
	}
}

// stalled is a download that never delivers a byte.
type stalled struct{ ctx context.Context }

func (s stalled) Read([]byte) (int, error) { <-s.ctx.Done(); return 0, s.ctx.Err() }
func (s stalled) Close() error             { return nil }

func TestEventTimeout(t *testing.T) {
	excerpt := readFile(t, "seed_excerpt.txt")
	e, reg := newEngine(t, bot.Config{Timeout: time.Millisecond, Language: lang.English}, parse.Limits{})
	ev := message(excerpt)
	ev.Attachments = []bot.Attachment{{Name: "slow.log", Size: -1, Open: func(ctx context.Context) (io.ReadCloser, error) {
		return stalled{ctx}, nil
	}}}
	r, ok := e.Answer(context.Background(), ev)
	if !ok {
		t.Fatal("no answer after the time limit")
	}
	all := r.Headline
	for _, s := range r.Sections {
		all += "\n" + strings.Join(s.Lines, "\n")
	}
	if !strings.Contains(all, "slow.log") || !strings.Contains(all, "time limit") {
		t.Errorf("reply does not say slow.log hit the time limit: %+v", r)
	}
	if got := metric(t, reg, "vssbot_errors_total", "platform", "test", "reason", "timeout"); got < 1 {
		t.Errorf("errors timeout = %v, want at least 1", got)
	}
}

func FuzzAnswer(f *testing.F) {
	f.Add(readFile(f, "seed_excerpt.txt"), false)
	f.Add("0x800423f2, System Writer", true)
	f.Add("\xff\xfe0\x00x\x008\x00", false)
	e, _ := newEngine(f, bot.Config{}, parse.Limits{})
	f.Fuzz(func(t *testing.T, text string, command bool) {
		ev := message(text)
		ev.ID = "" // every input is a new event
		ev.Mentioned = true
		if command {
			ev.Kind = bot.Command
		}
		r, ok := e.Answer(context.Background(), ev)
		if !ok || r == nil || r.Headline == "" {
			t.Fatalf("no answer to a mention: %+v, %v", r, ok)
		}
		if r.Kind == answer.Failure {
			t.Fatalf("failure on text input: %+v", r)
		}
	})
}
