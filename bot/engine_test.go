package bot_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// recorder is a Replier that records what it delivers; fail, when set,
// decides the outcome of each call (numbered from 1).
type recorder struct {
	mu      sync.Mutex
	calls   int
	replies []*answer.Outline
	fail    func(call int) error
}

func (r *recorder) Reply(_ context.Context, _ bot.Target, rep *answer.Outline, _ *bot.Progress) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.fail != nil {
		if err := r.fail(r.calls); err != nil {
			return err
		}
	}
	r.replies = append(r.replies, rep)
	return nil
}

func (r *recorder) delivered() []*answer.Outline {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*answer.Outline(nil), r.replies...)
}

// machine returns an engine for tests of the machinery around answers
// (pool, retries, limits), which send help commands and unreadable files.
func machine(t *testing.T, opts bot.Config) (*bot.Engine, *prometheus.Registry) {
	t.Helper()
	return newEngine(t, opts, parse.Limits{})
}

// metric reads one counter or gauge, or a histogram's sample count.
func metric(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue next
				}
			}
			switch {
			case m.Counter != nil:
				return m.GetCounter().GetValue()
			case m.Gauge != nil:
				return m.GetGauge().GetValue()
			case m.Histogram != nil:
				return float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return 0
}

func help(id string) bot.Event {
	return bot.Event{ID: id, Kind: bot.Command, Text: "help", Target: bot.Target{Platform: "test", Channel: "C1"}}
}

func TestSubmitDuplicate(t *testing.T) {
	e, reg := machine(t, bot.Config{})
	rec := &recorder{}
	for range 3 {
		if err := e.Submit(help("ev1"), rec); err != nil {
			t.Fatalf("Submit: %v", err)
		}
	}
	if err := e.Submit(help("ev2"), rec); err != nil {
		t.Fatalf("Submit: %v", err)
	}
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if n := len(rec.delivered()); n != 2 {
		t.Errorf("%d replies, want 2", n)
	}
	if got := metric(t, reg, "vssbot_dropped_total", "reason", "duplicate"); got != 2 {
		t.Errorf("dropped duplicate = %v, want 2", got)
	}
	if got := metric(t, reg, "vssbot_replies_total", "platform", "test", "kind", "help"); got != 2 {
		t.Errorf("replies = %v, want 2", got)
	}
	if got := metric(t, reg, "vssbot_event_duration_seconds", "platform", "test"); got != 2 {
		t.Errorf("duration samples = %v, want 2", got)
	}
}

func TestSilence(t *testing.T) {
	tests := []struct {
		name   string
		opts   bot.Config
		ev     bot.Event
		reason string
	}{
		{"from a bot", bot.Config{}, bot.Event{Kind: bot.Command, FromBot: true, Target: bot.Target{Platform: "test", Channel: "C1"}}, "from_bot"},
		{"channel not allowed", bot.Config{AllowedChannels: []string{"C2"}}, help("x"), "not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, reg := machine(t, tt.opts)
			if r, ok := e.Answer(context.Background(), tt.ev); ok {
				t.Fatalf("answered %+v", r)
			}
			if got := metric(t, reg, "vssbot_dropped_total", "reason", tt.reason); got != 1 {
				t.Errorf("dropped %s = %v, want 1", tt.reason, got)
			}
		})
	}
}

func TestAllowedChannel(t *testing.T) {
	e, _ := machine(t, bot.Config{AllowedChannels: []string{"C1"}})
	if _, ok := e.Answer(context.Background(), help("x")); !ok {
		t.Fatal("allowed channel not answered")
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		lang     lang.Tag
		channels map[string]lang.Tag
		want     lang.Tag
	}{
		{"empty", "", "", nil, lang.English},
		{"help", "help", lang.English, nil, lang.English},
		{"only separators", " , ;、", lang.English, nil, lang.English},
		{"help in ja", "help", lang.Japanese, nil, lang.Japanese},
		{"auto japanese", "ヘルプ", lang.Auto, nil, lang.Japanese},
		{"channel language", "help", lang.English, map[string]lang.Tag{"C1": lang.Japanese}, lang.Japanese},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := machine(t, bot.Config{Language: tt.lang, ChannelLanguages: tt.channels})
			ev := help("")
			ev.Text = tt.text
			r, ok := e.Answer(context.Background(), ev)
			if !ok || r.Kind != answer.Help {
				t.Fatalf("Answer = %+v, %v; want a help reply", r, ok)
			}
			if r.Lang != tt.want || r.Headline == "" || len(r.Sections) == 0 {
				t.Errorf("reply lang %s, want %s: %+v", r.Lang, tt.want, r)
			}
		})
	}
}

// file builds an attachment whose Open runs open.
func file(name string, size int64, open func() (io.ReadCloser, error)) bot.Attachment {
	return bot.Attachment{Name: name, Size: size, Open: func(context.Context) (io.ReadCloser, error) { return open() }}
}

func TestUnreadableAttachments(t *testing.T) {
	opened := 0
	tests := []struct {
		name   string
		lang   lang.Tag
		file   bot.Attachment
		want   []string
		reason string
	}{
		{"oversize announced", lang.English,
			file("big.log", 80<<20, func() (io.ReadCloser, error) { opened++; return nil, errors.New("must not open") }),
			[]string{"big.log", "80 MB", "50 MB"}, "attachment_too_large"},
		{"oversize announced ja", lang.Japanese,
			file("big.log", 80<<20, func() (io.ReadCloser, error) { opened++; return nil, errors.New("must not open") }),
			[]string{"big.log", "80 MB", "50 MB", "上限"}, "attachment_too_large"},
		{"oversize revealed by Open", lang.Japanese,
			file("byid.log", -1, func() (io.ReadCloser, error) {
				return sized{io.NopCloser(strings.NewReader("0x800423f2")), 60 << 20}, nil
			}),
			[]string{"byid.log", "60 MB", "50 MB", "上限"}, "attachment_too_large"},
		{"open fails", lang.English,
			file("gone.log", 10, func() (io.ReadCloser, error) { return nil, errors.New("HTTP 404") }),
			[]string{"gone.log", "HTTP 404"}, "attachment_open"},
		{"open panics", lang.English,
			file("evil.log", 10, func() (io.ReadCloser, error) { panic("adapter bug") }),
			[]string{"evil.log", "internal error"}, "panic"},
		{"read panics", lang.English,
			file("evil.zip", 10, func() (io.ReadCloser, error) { return panicky{}, nil }),
			[]string{"evil.zip", "internal error"}, "panic"},
		{"no open", lang.English, bot.Attachment{Name: "x.log", Size: 1}, []string{"x.log"}, "attachment_open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, reg := machine(t, bot.Config{Language: tt.lang})
			ev := bot.Event{ID: "f", Attachments: []bot.Attachment{tt.file}, Target: bot.Target{Platform: "test", Channel: "C1"}}
			r, ok := e.Answer(context.Background(), ev)
			if !ok || r.Kind != answer.Failure {
				t.Fatalf("Answer = %+v, %v; want a failure reply", r, ok)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Headline, w) {
					t.Errorf("headline %q lacks %q", r.Headline, w)
				}
			}
			if got := metric(t, reg, "vssbot_errors_total", "platform", "test", "reason", tt.reason); got != 1 {
				t.Errorf("errors %s = %v, want 1", tt.reason, got)
			}
		})
	}
	if opened != 0 {
		t.Errorf("oversize file opened %d times", opened)
	}
}

// sized is a download that learnt the file's size on opening.
type sized struct {
	io.ReadCloser
	size int64
}

func (s sized) Size() int64 { return s.size }

// panicky is a download whose reading panics, like a buggy adapter's body.
type panicky struct{}

func (panicky) Read([]byte) (int, error) { panic("reader bug") }
func (panicky) Close() error             { return nil }

func TestTwoUnreadableFiles(t *testing.T) {
	e, _ := machine(t, bot.Config{})
	fail := func() (io.ReadCloser, error) { return nil, errors.New("denied") }
	ev := bot.Event{Attachments: []bot.Attachment{file("a.log", 1, fail), file("b.log", 1, fail)}, Target: bot.Target{Platform: "test"}}
	r, ok := e.Answer(context.Background(), ev)
	if !ok || len(r.Sections) != 1 || len(r.Sections[0].Lines) != 2 {
		t.Fatalf("Answer = %+v, %v; want one section naming both files", r, ok)
	}
}
