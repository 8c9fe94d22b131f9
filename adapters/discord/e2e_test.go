package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/chattest"
	"github.com/vssbot/vssbot/lang"
)

// engine is the real bot.Engine over the embedded knowledge base behind a
// recorder, so a test knows when the adapter handed an event over.
type engine struct {
	*bot.Engine
	rec *chattest.Recorder
}

func newEngine(t testing.TB) *engine {
	return newEngineWith(t, bot.Config{Language: lang.English})
}

func newEngineWith(t testing.TB, cfg bot.Config) *engine {
	t.Helper()
	eng := chattest.Engine(t, cfg)
	return &engine{Engine: eng, rec: chattest.NewRecorder(eng)}
}

func (e *engine) Submit(ev bot.Event, to bot.Replier) error { return e.rec.Submit(ev, to) }

// waitEvents waits until the adapter handed over n events.
func (e *engine) waitEvents(t testing.TB, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if got, err := e.rec.Wait(ctx, n); err != nil {
		t.Fatalf("adapter handed over %d events, want %d", len(got), n)
	}
}

// shutdown waits for the events in flight: after it, every reply the
// engine will ever send has been sent.
func (e *engine) shutdown(t testing.TB) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.Shutdown(ctx); err != nil {
		t.Errorf("engine shutdown: %v", err)
	}
}

func excerpt(t testing.TB) string {
	b, err := os.ReadFile("testdata/excerpt.log")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEndToEndExcerptStartsThread(t *testing.T) {
	t.Parallel()
	h := start(t, newEngine(t), nil, nil)
	id, err := h.fake.SendMessage(discordtest.Message{ChannelID: general, GuildID: guild, AuthorID: user,
		Content: "backup failed with Exit Code -311:\n```\n" + excerpt(t) + "```"})
	if err != nil {
		t.Fatal(err)
	}
	th, _ := h.await(t, discordtest.Is("POST", "channels/"+general+"/messages/"+id+"/threads"))
	name := decode(t, th).Name
	if !strings.Contains(name, "0x800423f2") || len([]rune(name)) > maxThreadName {
		t.Errorf("thread name %q", name)
	}
	r, _ := h.await(t, discordtest.Is("POST", "channels/"+id+"/messages"))
	m := decode(t, r)
	checkLimits(t, m)
	for _, want := range []string{"System Writer", "0x800423f2", "VSS_E_WRITERERROR_TIMEOUT"} {
		if !strings.Contains(m.text(), want) {
			t.Errorf("answer lacks %q:\n%s", want, m.text())
		}
	}
	if m.Reference != nil {
		t.Error("answer in a thread references the message")
	}
}

func TestEndToEndRouting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, channel, guild string
		reference            bool
	}{
		{"in a thread", thread, guild, false},
		{"DM", dm, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, newEngine(t), nil, nil)
			id, _ := h.fake.SendMessage(discordtest.Message{ChannelID: tt.channel, GuildID: tt.guild, AuthorID: user, Content: excerpt(t)})
			r, _ := h.await(t, discordtest.Is("POST", "channels/"+tt.channel+"/messages"))
			m := decode(t, r)
			if !strings.Contains(m.text(), "System Writer") {
				t.Errorf("answer: %s", m.text())
			}
			if (m.Reference != nil) != tt.reference || (m.Reference != nil && m.Reference.MessageID != id) {
				t.Errorf("reference %+v, want %v to %s", m.Reference, tt.reference, id)
			}
			for _, q := range h.fake.Requests() {
				if strings.HasSuffix(q.Path, "/threads") {
					t.Errorf("thread started: %s", q.Path)
				}
			}
		})
	}
}

func TestEndToEndAttachment(t *testing.T) {
	t.Parallel()
	h := start(t, newEngine(t), nil, nil)
	h.fake.SendMessage(discordtest.Message{ChannelID: thread, GuildID: guild, AuthorID: user,
		Attachments: map[string][]byte{"1499900000.log": []byte(excerpt(t))}})
	r, _ := h.await(t, discordtest.Is("POST", "channels/"+thread+"/messages"))
	if text := decode(t, r).text(); !strings.Contains(text, "0x800423f2") || !strings.Contains(text, "System Writer") {
		t.Errorf("attachment not diagnosed: %s", text)
	}
}

func TestEndToEndSlashCommand(t *testing.T) {
	t.Parallel()
	h := start(t, newEngine(t), nil, nil)
	token, _ := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f1"})
	_, cb := h.await(t, func(r discordtest.Request) bool { return strings.HasSuffix(r.Path, "/"+token+"/callback") })
	edit, ed := h.await(t, discordtest.Is("PATCH", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
	if cb >= ed {
		t.Errorf("edit (#%d) before the deferral (#%d)", ed, cb)
	}
	m := decode(t, edit)
	checkLimits(t, m)
	if !strings.Contains(m.text(), "0x800423f1") || !strings.Contains(m.text(), "VSS_E_WRITERERROR_OUTOFRESOURCES") {
		t.Errorf("edit: %s", m.text())
	}
}

// TestEndToEndSilence: bots' messages and chatter get no answer at all.
// The adapter marks bots' messages; the engine decides to drop them.
func TestEndToEndSilence(t *testing.T) {
	t.Parallel()
	eng := newEngine(t)
	h := start(t, eng, nil, nil)
	h.fake.SendMessage(discordtest.Message{ChannelID: general, GuildID: guild, AuthorID: h.fake.BotID, Bot: true, Content: excerpt(t)})
	h.fake.SendMessage(discordtest.Message{ChannelID: general, GuildID: guild, AuthorID: "500", Bot: true, Content: excerpt(t)})
	h.fake.SendMessage(discordtest.Message{ChannelID: general, GuildID: guild, AuthorID: user, Content: "good morning, anyone up for lunch?"})
	eng.waitEvents(t, 3)
	eng.shutdown(t)
	for _, r := range h.fake.Requests() {
		if r.Method == "POST" || r.Method == "PATCH" {
			t.Errorf("answered: %s %s %s", r.Method, r.Path, r.Body)
		}
	}
	for _, ev := range eng.rec.Events() {
		if chatter := strings.HasPrefix(ev.Text, "good morning"); ev.FromBot == chatter {
			t.Errorf("event %q: FromBot %v", firstLine(ev.Text), ev.FromBot)
		}
	}
}

// manyCodes is 0x800423f0..0x800423ff and 0x80042300..0x80042320: a
// question whose answer does not fit one Discord message.
func manyCodes() []string {
	var codes []string
	for c := 0x800423f0; c <= 0x800423ff; c++ {
		codes = append(codes, fmt.Sprintf("0x%08x", c))
	}
	for c := 0x80042300; c <= 0x80042320; c++ {
		codes = append(codes, fmt.Sprintf("0x%08x", c))
	}
	return codes
}

// TestEndToEndOversize asks about many codes at once: the answer is cut
// to Discord's limits, with a note for what was left out.
func TestEndToEndOversize(t *testing.T) {
	t.Parallel()
	codes := manyCodes()
	eng := newEngine(t)
	h := start(t, eng, nil, nil)
	token, _ := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: strings.Join(codes, " ")})
	edit, _ := h.await(t, discordtest.Is("PATCH", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
	checkLimits(t, decode(t, edit))
	eng.shutdown(t) // every follow-up has been sent
	var all strings.Builder
	all.WriteString(decode(t, edit).text())
	follow := 0
	for _, r := range h.fake.Requests() {
		if r.Method == "POST" && r.Path == "webhooks/"+h.fake.AppID+"/"+token {
			m := decode(t, r)
			checkLimits(t, m)
			all.WriteString(m.text())
			follow++
		}
	}
	if follow == 0 || follow > maxMessages-1 {
		t.Errorf("%d follow-ups, want 1..%d", follow, maxMessages-1)
	}
	if !strings.Contains(all.String(), "more") {
		t.Errorf("no cut note in an answer about %d codes", len(codes))
	}
}

func TestEndToEndResumeKeepsAnswering(t *testing.T) {
	t.Parallel()
	h := start(t, newEngine(t), nil, nil)
	h.fake.Drop()
	token, _ := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f3"})
	edit, _ := h.await(t, discordtest.Is("PATCH", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
	if !strings.Contains(decode(t, edit).text(), "0x800423f3") {
		t.Errorf("edit: %s", edit.Body)
	}
	if h.fake.Resumes() != 1 {
		t.Errorf("resumes = %d", h.fake.Resumes())
	}
}

func TestEndToEndWithoutContentIntent(t *testing.T) {
	t.Parallel()
	h := start(t, newEngine(t), func(f *discordtest.Server) { f.DisallowIntents(discordtest.IntentMessageContent) }, nil)
	token, _ := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f4"})
	edit, _ := h.await(t, discordtest.Is("PATCH", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
	if !strings.Contains(decode(t, edit).text(), "VSS_E_WRITERERROR_NONRETRYABLE") {
		t.Errorf("edit: %s", edit.Body)
	}
}

// TestEndToEndAttachmentOverLimit: a file larger than
// limits.attachment_bytes that Discord announced without a size gets the
// engine's own sentence, in the user's language, not a download error.
func TestEndToEndAttachmentOverLimit(t *testing.T) {
	t.Parallel()
	eng := newEngineWith(t, bot.Config{Language: lang.Japanese, MaxAttachmentBytes: 16})
	h := start(t, eng, nil, nil)
	h.fake.SendMessage(discordtest.Message{ChannelID: thread, GuildID: guild, AuthorID: user,
		Attachments: map[string][]byte{"big.log": []byte(strings.Repeat("0x800423f3 ", 10))}})
	r, _ := h.await(t, discordtest.Is("POST", "channels/"+thread+"/messages"))
	text := decode(t, r).text()
	for _, want := range []string{"big.log", "上限", "16 B"} {
		if !strings.Contains(text, want) {
			t.Errorf("over-limit file answered %q, want it to say %q", text, want)
		}
	}
	if strings.Contains(text, "download") {
		t.Errorf("the adapter's download error reached the user: %q", text)
	}
}

// TestEndToEndRefusalIsOneReply: in a plain channel a refusal (here a
// file over the limit) is one reply to the message, not a thread started
// to hold one sentence.
func TestEndToEndRefusalIsOneReply(t *testing.T) {
	t.Parallel()
	eng := newEngineWith(t, bot.Config{Language: lang.English, MaxAttachmentBytes: 16})
	h := start(t, eng, nil, nil)
	id, _ := h.fake.SendMessage(discordtest.Message{ChannelID: general, GuildID: guild, AuthorID: user,
		Attachments: map[string][]byte{"big.log": []byte(strings.Repeat("0x800423f3 ", 10))}})
	r, _ := h.await(t, discordtest.Is("POST", "channels/"+general+"/messages"))
	var body struct {
		Ref *struct {
			MessageID string `json:"message_id"`
		} `json:"message_reference"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil || body.Ref == nil || body.Ref.MessageID != id {
		t.Errorf("the refusal does not reply to message %s: %s", id, r.Body)
	}
	if !strings.Contains(decode(t, r).text(), "big.log") {
		t.Errorf("refusal %q does not name the file", decode(t, r).text())
	}
	eng.shutdown(t)
	for _, q := range h.fake.Requests() {
		if strings.HasSuffix(q.Path, "/threads") {
			t.Errorf("a thread was started for a refusal: %s %s", q.Method, q.Path)
		}
	}
}

// TestEndToEndRateLimitedResume: a long answer whose second message is
// rate-limited is delivered whole, each message once: the engine's retry
// resumes after the messages already posted.
func TestEndToEndRateLimitedResume(t *testing.T) {
	t.Parallel()
	codes := manyCodes()
	eng := newEngineWith(t, bot.Config{Language: lang.English, MaxRetryWait: 50 * time.Millisecond})
	h := start(t, eng, nil, nil)
	cmd := discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: strings.Join(codes, " ")}
	want, ok := eng.Answer(context.Background(), bot.Event{ID: "probe", Kind: bot.Command, Text: cmd.Code, Target: bot.Target{Platform: platform}})
	if !ok || len(render(want)) < 3 {
		t.Fatalf("the probe answer takes %d messages, want 3 or more", len(render(want)))
	}
	token, _ := h.fake.SendCommand(cmd)
	h.fake.RateLimit("POST", "webhooks/"+h.fake.AppID+"/"+token, 1, 10*time.Millisecond)
	eng.waitEvents(t, 1)
	eng.shutdown(t)
	var got []string
	limited := 0
	for _, r := range h.fake.Requests() {
		switch {
		case r.Method == "PATCH" && strings.HasPrefix(r.Path, "webhooks/"+h.fake.AppID+"/"+token+"/messages/"):
			got = append(got, decode(t, r).text())
		case r.Method == "POST" && r.Path == "webhooks/"+h.fake.AppID+"/"+token && r.Limited:
			limited++
		case r.Method == "POST" && r.Path == "webhooks/"+h.fake.AppID+"/"+token:
			got = append(got, decode(t, r).text())
		}
	}
	if limited != 1 {
		t.Fatalf("%d follow-ups rate-limited, want 1", limited)
	}
	var wantTexts []string
	for _, m := range render(want) {
		wantTexts = append(wantTexts, asSent(t, m).text())
	}
	if !slices.Equal(got, wantTexts) {
		t.Errorf("delivered %d messages, want the %d of the answer, each once, in order", len(got), len(wantTexts))
	}
}
