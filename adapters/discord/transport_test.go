package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/lang"
)

// echo answers anything that looks like a code with a one-section reply
// quoting it, reading attachments the way the engine does.
func echo(ev bot.Event) *answer.Outline {
	text := ev.Text
	for _, at := range ev.Attachments {
		rc, err := at.Open(context.Background())
		if err != nil {
			return &answer.Outline{Kind: answer.Failure, Headline: err.Error()}
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return &answer.Outline{Kind: answer.Failure, Headline: err.Error()}
		}
		text += "\n" + string(b)
	}
	if !strings.Contains(text, "0x") {
		return nil
	}
	return &answer.Outline{
		Kind:     answer.Diagnosis,
		Lang:     lang.English,
		Headline: "echo: " + firstLine(text),
		Sections: []answer.Section{{Title: "echo", Lines: []string{text}, Lists: []answer.List{{Label: "Steps", Items: []string{"retry"}, Numbered: true}}}},
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

func newEcho() *recordingEngine {
	return &recordingEngine{answer: echo, errs: make(chan error, 64)}
}

func TestStartRegistersCommandPerGuild(t *testing.T) {
	t.Parallel()
	h := start(t, newEcho(), nil, func(c *Config) { c.GuildIDs = []string{guild, "300000000000000002"} })
	for _, g := range []string{guild, "300000000000000002"} {
		r, _ := h.await(t, discordtest.Is("PUT", "applications/"+h.fake.AppID+"/guilds/"+g+"/commands"))
		var cmds []struct {
			Name    string `json:"name"`
			Options []struct {
				Name string `json:"name"`
				Type int    `json:"type"`
			} `json:"options"`
		}
		if err := r.Decode(&cmds); err != nil || len(cmds) != 1 || cmds[0].Name != "vss" || len(cmds[0].Options) != 2 {
			t.Fatalf("commands for %s: %s (%v)", g, r.Body, err)
		}
		if o := cmds[0].Options; o[0].Name != "code" || o[0].Type != 3 || o[1].Name != "file" || o[1].Type != 11 {
			t.Errorf("options: %s", r.Body)
		}
	}
	id := h.fake.Identifies()
	if len(id) != 1 || id[0].Intents&discordtest.IntentMessageContent == 0 || id[0].Intents&(1<<9) == 0 || id[0].Intents&(1<<12) == 0 {
		t.Errorf("identify: %+v, want guild messages, DMs and message content", id)
	}
}

func TestGlobalCommandsWithoutGuilds(t *testing.T) {
	t.Parallel()
	h := start(t, newEcho(), nil, func(c *Config) { c.GuildIDs = nil })
	h.await(t, discordtest.Is("PUT", "applications/"+h.fake.AppID+"/commands"))
}

func TestShardingInIdentify(t *testing.T) {
	t.Parallel()
	h := start(t, newEcho(), nil, func(c *Config) { c.ShardID, c.ShardCount = 1, 2 })
	id := h.fake.Identifies()
	if len(id) != 1 || id[0].Shard == nil || *id[0].Shard != [2]int{1, 2} {
		t.Fatalf("identify shard: %+v", id)
	}
}

// TestMessageRouting checks where a message's answer goes.
func TestMessageRouting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		channel string
		guild   string
		deny    int // thread creation refused with this code
		// where the answer must be posted, and whether it references the
		// message; "{msg}" is the message id (the started thread).
		postTo    string
		reference bool
		thread    bool // a thread is started
	}{
		{name: "channel: thread on the message", channel: general, guild: guild, postTo: "{msg}", thread: true},
		{name: "already in a thread", channel: thread, guild: guild, postTo: thread},
		{name: "DM: message reference", channel: dm, postTo: dm, reference: true},
		{name: "missing permissions", channel: general, guild: guild, deny: 50013, postTo: general, reference: true, thread: true},
		{name: "missing access", channel: general, guild: guild, deny: 50001, postTo: general, reference: true, thread: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, newEcho(), func(f *discordtest.Server) {
				if tt.deny != 0 {
					f.DenyThreads(general, tt.deny)
				}
			}, nil)
			id, err := h.fake.SendMessage(discordtest.Message{ChannelID: tt.channel, GuildID: tt.guild, AuthorID: user,
				Content: "Writer Failure code: 0x800423f2\nsecond line"})
			if err != nil {
				t.Fatal(err)
			}
			to := strings.ReplaceAll(tt.postTo, "{msg}", id)
			r, _ := h.await(t, discordtest.Is("POST", "channels/"+to+"/messages"))
			m := decode(t, r)
			if !strings.Contains(m.text(), "0x800423f2") {
				t.Errorf("answer lacks the code: %s", r.Body)
			}
			if got := m.Reference != nil; got != tt.reference {
				t.Errorf("reference = %v, want %v", got, tt.reference)
			} else if got && m.Reference.MessageID != id {
				t.Errorf("reference to %s, want %s", m.Reference.MessageID, id)
			}
			started := false
			for _, q := range h.fake.Requests() {
				if q.Method == "POST" && q.Path == "channels/"+tt.channel+"/messages/"+id+"/threads" {
					started = true
					if n := decode(t, q).Name; n != "echo: Writer Failure code: 0x800423f2" {
						t.Errorf("thread name %q", n)
					}
				}
			}
			if started != tt.thread {
				t.Errorf("thread started = %v, want %v", started, tt.thread)
			}
		})
	}
}

func TestIgnoredMessages(t *testing.T) {
	t.Parallel()
	eng := newEcho()
	h := start(t, eng, nil, nil)
	send := func(m discordtest.Message) {
		if _, err := h.fake.SendMessage(m); err != nil {
			t.Fatal(err)
		}
	}
	send(discordtest.Message{ChannelID: general, GuildID: guild, AuthorID: h.fake.BotID, Bot: true, Content: "0x800423f2 from myself"})
	send(discordtest.Message{ChannelID: general, GuildID: guild, AuthorID: "400", Bot: true, Content: "0x800423f2 from a bot"})
	send(discordtest.Message{ChannelID: general, GuildID: guild, AuthorID: user, Content: "   "})
	// A last message from a person shows the ones before were not skipped
	// by timing: events are dispatched in order.
	id, _ := h.fake.SendMessage(discordtest.Message{ChannelID: thread, GuildID: guild, AuthorID: user,
		Content: "<@" + h.fake.BotID + "> 0x800423f1", Mentions: []string{h.fake.BotID}})
	h.await(t, discordtest.Is("POST", "channels/"+thread+"/messages"))
	var evs []bot.Event
	for _, ev := range eng.seen() {
		if ev.FromBot != strings.Contains(ev.Text, "from") {
			t.Errorf("event %q: FromBot %v", ev.Text, ev.FromBot)
		}
		if !ev.FromBot {
			evs = append(evs, ev)
		}
	}
	if len(evs) != 1 {
		t.Fatalf("engine saw %d events from people, want only the one: %+v", len(evs), evs)
	}
	ev := evs[0]
	want := bot.Target{Platform: "discord", Channel: thread, Workspace: guild, Message: id}
	if ev.ID != id || ev.Kind != bot.Message || ev.Text != "0x800423f1" || !ev.Mentioned || ev.FromBot || ev.Target != want {
		t.Errorf("event = %+v", ev)
	}
}

func TestAttachmentDownloaded(t *testing.T) {
	t.Parallel()
	h := start(t, newEcho(), nil, nil)
	_, err := h.fake.SendMessage(discordtest.Message{ChannelID: thread, GuildID: guild, AuthorID: user,
		Attachments: map[string][]byte{"1500000000.log": []byte("Writer Failure code: 0x800423f3\n")}})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := h.await(t, discordtest.Is("POST", "channels/"+thread+"/messages"))
	if !strings.Contains(decode(t, r).text(), "0x800423f3") {
		t.Errorf("answer does not use the file: %s", r.Body)
	}
}

func TestSlashCommandDeferredThenEdited(t *testing.T) {
	t.Parallel()
	for _, dmCase := range []bool{false, true} {
		eng := newEcho()
		h := start(t, eng, nil, nil)
		c := discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f1"}
		if dmCase {
			c.ChannelID, c.GuildID = dm, ""
		}
		token, err := h.fake.SendCommand(c)
		if err != nil {
			t.Fatal(err)
		}
		_, cb := h.await(t, func(r discordtest.Request) bool {
			return r.Method == "POST" && strings.HasSuffix(r.Path, "/"+token+"/callback")
		})
		edit, ed := h.await(t, discordtest.Is("PATCH", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
		if cb >= ed {
			t.Errorf("callback #%d not before the edit #%d", cb, ed)
		}
		var deferred struct{ Type int }
		h.fake.Requests()[cb].Decode(&deferred)
		if deferred.Type != 5 {
			t.Errorf("callback type %d, want 5", deferred.Type)
		}
		if !strings.Contains(decode(t, edit).text(), "0x800423f1") {
			t.Errorf("edit: %s", edit.Body)
		}
		ev := eng.seen()[0]
		if ev.Kind != bot.Command || ev.Text != "0x800423f1" || ev.Target.Interaction != token || ev.Target.DM != dmCase {
			t.Errorf("event = %+v", ev)
		}
	}
}

func TestSlashCommandWithFile(t *testing.T) {
	t.Parallel()
	h := start(t, newEcho(), nil, nil)
	token, _ := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user,
		FileName: "vss.txt", File: []byte("Last error: 0x800423f4")})
	edit, _ := h.await(t, discordtest.Is("PATCH", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
	if !strings.Contains(decode(t, edit).text(), "0x800423f4") {
		t.Errorf("edit: %s", edit.Body)
	}
}

func TestLongInteractionAnswerFollowsUp(t *testing.T) {
	t.Parallel()
	eng := &recordingEngine{errs: make(chan error, 1), answer: func(bot.Event) *answer.Outline { return oversize(40, 30, 300) }}
	h := start(t, eng, nil, nil)
	token, _ := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f2"})
	h.await(t, discordtest.Is("PATCH", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
	if err := <-eng.errs; err != nil {
		t.Fatal(err)
	}
	follow := 0
	for _, r := range h.fake.Requests() {
		if r.Method == "POST" && r.Path == "webhooks/"+h.fake.AppID+"/"+token {
			follow++
			checkLimits(t, decode(t, r))
		}
	}
	if follow != maxMessages-1 {
		t.Errorf("%d follow-ups, want %d", follow, maxMessages-1)
	}
}

// TestRateLimitOneAttempt: the adapter makes one attempt and hands the
// 429, with Discord's delay, to the engine, which alone retries.
func TestRateLimitOneAttempt(t *testing.T) {
	t.Parallel()
	eng := newEcho()
	h := start(t, eng, func(f *discordtest.Server) {
		f.RateLimit("POST", "channels/"+thread+"/messages", 100, 10*time.Millisecond)
	}, nil)
	h.fake.SendMessage(discordtest.Message{ChannelID: thread, GuildID: guild, AuthorID: user, Content: "0x800423f2"})
	err := <-eng.errs
	var rl *bot.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 10*time.Millisecond {
		t.Fatalf("err = %v, want a *bot.RateLimitError of 10ms", err)
	}
	n := 0
	for _, r := range h.fake.Requests() {
		if r.Method == "POST" && r.Path == "channels/"+thread+"/messages" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

func TestGatewayDropResumes(t *testing.T) {
	t.Parallel()
	h := start(t, newEcho(), nil, nil)
	h.fake.SendMessage(discordtest.Message{ChannelID: thread, GuildID: guild, AuthorID: user, Content: "0x800423f1 before"})
	h.await(t, discordtest.Is("POST", "channels/"+thread+"/messages"))
	h.fake.Drop()
	// Sent while the bot is away: delivered by the resume's replay.
	h.fake.SendMessage(discordtest.Message{ChannelID: thread, GuildID: guild, AuthorID: user, Content: "0x800423f3 after"})
	r, _ := h.await(t, func(r discordtest.Request) bool {
		return r.Method == "POST" && strings.Contains(string(r.Body), "0x800423f3 after")
	})
	if r.Path != "channels/"+thread+"/messages" {
		t.Errorf("answer went to %s", r.Path)
	}
	if h.fake.Resumes() != 1 || len(h.fake.Identifies()) != 1 {
		t.Errorf("resumes %d identifies %d, want 1 and 1", h.fake.Resumes(), len(h.fake.Identifies()))
	}
}

func TestDisallowedIntentFallsBack(t *testing.T) {
	t.Parallel()
	h := start(t, newEcho(), func(f *discordtest.Server) { f.DisallowIntents(discordtest.IntentMessageContent) }, nil)
	id := h.fake.Identifies()
	if len(id) != 2 || id[0].Intents&discordtest.IntentMessageContent == 0 || id[1].Intents&discordtest.IntentMessageContent != 0 {
		t.Fatalf("identifies %+v: want one with message content, then one without", id)
	}
	if id[1].Intents&(1<<9) == 0 || id[1].Intents&(1<<12) == 0 {
		t.Errorf("fallback dropped more than message content: %b", id[1].Intents)
	}
	if !strings.Contains(h.logs.String(), "Message Content intent") {
		t.Errorf("log does not tell the operator: %s", h.logs.String())
	}
	token, _ := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f1"})
	h.await(t, discordtest.Is("PATCH", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
}

func TestBadTokenFailsStart(t *testing.T) {
	t.Parallel()
	fake := discordtest.New()
	defer fake.Close()
	a, err := New(Config{Token: "wrong", AppID: fake.AppID, APIURL: fake.APIURL()}, newEcho(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(context.Background()); err == nil {
		t.Fatal("Start with a bad token succeeded")
	}
}

// TestRetriedReplyUsesExistingThread: a reply retried after its thread was
// started (Discord answers 160004) goes into that thread.
func TestRetriedReplyUsesExistingThread(t *testing.T) {
	t.Parallel()
	h := start(t, newEcho(), nil, nil)
	msg := h.fake.NewID()
	to := bot.Target{Platform: "discord", Channel: general, Message: msg}
	r := &answer.Outline{Headline: "0x800423f2 System Writer timeout"}
	for range 2 { // two first attempts, as after a failure past the thread start
		if err := h.a.Reply(h.ctx, to, r, &bot.Progress{}); err != nil {
			t.Fatal(err)
		}
	}
	var threads, posts int
	for _, q := range h.fake.Requests() {
		switch {
		case q.Method == "POST" && q.Path == "channels/"+general+"/messages/"+msg+"/threads":
			threads++
		case q.Method == "POST" && q.Path == "channels/"+msg+"/messages":
			posts++
		case q.Method == "POST":
			t.Errorf("unexpected %s", q.Path)
		}
	}
	if threads != 2 || posts != 2 {
		t.Errorf("%d thread starts and %d posts in the thread, want 2 and 2", threads, posts)
	}
}

// TestReplyUnknownChannel: a failed post goes back to the engine, naming
// the channel.
func TestReplyUnknownChannel(t *testing.T) {
	t.Parallel()
	h := start(t, newEcho(), nil, nil)
	err := h.a.Reply(h.ctx, bot.Target{Platform: "discord", Channel: "999", Thread: "999"}, &answer.Outline{Headline: "x"}, &bot.Progress{})
	if err == nil || !strings.Contains(err.Error(), "999") {
		t.Errorf("err = %v", err)
	}
}

// TestFatalCloseEndsRun: after a close code that reconnecting cannot fix
// (4004: authentication failed), Run stops with an error instead of
// retrying forever.
func TestFatalCloseEndsRun(t *testing.T) {
	t.Parallel()
	fake := discordtest.New()
	defer fake.Close()
	a, err := New(Config{Token: fake.Token, AppID: fake.AppID, APIURL: fake.APIURL()}, newEcho(), nil)
	if err != nil {
		t.Fatal(err)
	}
	a.backoff = 10 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	fake.CloseLive(4004, "Authentication failed.")
	if err := <-done; err == nil || !strings.Contains(err.Error(), "4004") {
		t.Fatalf("Run = %v, want the 4004 refusal", err)
	}
}

// TestClassify: what the engine may retry and what it may not.
func TestClassify(t *testing.T) {
	t.Parallel()
	h := start(t, newEcho(), func(f *discordtest.Server) {
		f.RateLimit("POST", "channels/"+thread+"/messages", 1, 5*time.Millisecond)
	}, nil)
	err := h.a.call(h.ctx, func(opts ...discordgo.RequestOption) error {
		_, err := h.a.session.ChannelMessageSend(thread, "x", opts...)
		return err
	})
	if _, ok := errors.AsType[*bot.RateLimitError](err); !ok {
		t.Errorf("429: %v, want a RateLimitError", err)
	}
	for _, tc := range []struct {
		err       error
		temporary bool
	}{
		{fmt.Errorf("Exceeded Max retries HTTP 502 Bad Gateway, "), true},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
		{errors.New("HTTP 403 Forbidden"), false},
	} {
		_, temp := errors.AsType[*bot.TemporaryError](classify(tc.err))
		if temp != tc.temporary {
			t.Errorf("classify(%v): temporary %v, want %v", tc.err, temp, tc.temporary)
		}
	}
}
