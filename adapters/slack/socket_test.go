package slack

import (
	"strings"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/chattest"
)

// mustSend delivers an event over Socket Mode.
func mustSend(t *testing.T, fake *slacktest.Server, eventID string, ev slacktest.Event) string {
	t.Helper()
	env, err := fake.SendEvent(eventID, ev)
	if err != nil {
		t.Fatalf("send %s: %v", eventID, err)
	}
	return env
}

func assertNames(t *testing.T, p slacktest.Post, want ...string) {
	t.Helper()
	content := p.Content()
	for _, w := range want {
		if !strings.Contains(content, w) {
			t.Errorf("reply does not name %q:\n%s", w, content)
		}
	}
}

func TestPastedExcerptIsAnsweredInThread(t *testing.T) {
	h := newHarness(t, bot.Config{}, nil)
	ctx := testContext(t)
	for _, tc := range []struct {
		name, ts, threadTS, wantThread string
	}{
		{"top-level message starts a thread", "1700000001.000100", "", "1700000001.000100"},
		{"reply inside a thread stays there", "1700000002.000200", "1699999999.000900", "1699999999.000900"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(h.fake.Posts())
			ev := channelMessage(tc.ts, readTestdata(t, "excerpt.log"))
			ev.ThreadTS = tc.threadTS
			env := mustSend(t, h.fake, "Ev"+tc.ts, ev)
			if _, err := h.fake.WaitAck(ctx, env); err != nil {
				t.Fatalf("event never acked: %v", err)
			}
			posts, err := h.fake.WaitPosts(ctx, before+1)
			if err != nil {
				t.Fatalf("no reply: %v", err)
			}
			p := posts[before]
			if p.Method != "chat.postMessage" || p.Channel != "CSUPPORT" || p.ThreadTS != tc.wantThread {
				t.Errorf("reply %s to %s in thread %q, want chat.postMessage to CSUPPORT in %q", p.Method, p.Channel, p.ThreadTS, tc.wantThread)
			}
			assertNames(t, p, "System Writer", "0x800423f2")
		})
	}
}

func TestRetriedEventIsAnsweredOnce(t *testing.T) {
	h := newHarness(t, bot.Config{}, nil)
	ctx := testContext(t)
	ev := channelMessage("1700000010.000100", readTestdata(t, "excerpt.log"))
	mustSend(t, h.fake, "EvRETRY", ev)
	if _, err := h.fake.RetryEvent("EvRETRY", ev, 1); err != nil {
		t.Fatal(err)
	}
	// Both deliveries reached the engine...
	if _, err := h.rec.Wait(ctx, 2); err != nil {
		t.Fatalf("deliveries not submitted: %v", err)
	}
	h.drain(t)
	// ...and only one was answered.
	if posts := h.fake.Posts(); len(posts) != 1 {
		t.Fatalf("%d replies to one event delivered twice, want 1", len(posts))
	}
}

func TestIgnoredMessagesGetNoReply(t *testing.T) {
	h := newHarness(t, bot.Config{}, nil)
	ctx := testContext(t)
	excerpt := readTestdata(t, "excerpt.log")
	own := channelMessage("1700000020.000100", excerpt)
	own.User = slacktest.BotUserID
	otherBot := channelMessage("1700000020.000200", excerpt)
	otherBot.User, otherBot.BotID = "UOTHERBOT", "BOTHER"
	edited := channelMessage("1700000020.000300", excerpt)
	edited.Subtype = "message_changed"
	joined := channelMessage("1700000020.000400", "<@UALICE> has joined the channel")
	joined.Subtype = "channel_join"
	chatter := channelMessage("1700000020.000500", "thanks, the backup ran fine last night")
	sentinel := channelMessage("1700000020.000600", excerpt)
	for i, ev := range []slacktest.Event{own, otherBot, edited, joined, chatter, sentinel} {
		mustSend(t, h.fake, "EvIGNORED"+string(rune('A'+i)), ev)
	}
	// Events are handled in order: once the sentinel is submitted, every
	// earlier one was dropped or submitted too. The bots' messages reach
	// the engine marked, for it to drop.
	evs, err := h.rec.Wait(ctx, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 4 || !evs[0].FromBot || !evs[1].FromBot || evs[2].FromBot || evs[2].Text != chatter.Text ||
		evs[3].FromBot || evs[3].Target.Message != sentinel.TS {
		t.Fatalf("submitted %+v, want the two bots' marked, the chatter and the sentinel", evs)
	}
	h.drain(t)
	posts := h.fake.Posts()
	if len(posts) != 1 || posts[0].ThreadTS != sentinel.TS {
		t.Fatalf("replies %+v, want one, to the sentinel", posts)
	}
}

func TestMentionAndMessageAnsweredOnce(t *testing.T) {
	h := newHarness(t, bot.Config{}, nil)
	ctx := testContext(t)
	text := "<@" + slacktest.BotUserID + "> " + slacktest.Escape(readTestdata(t, "excerpt.log"))
	msg := channelMessage("1700000030.000100", "")
	msg.Text = text
	mention := msg
	mention.Type, mention.ChannelType = "app_mention", ""
	mustSend(t, h.fake, "EvMSG", msg)
	mustSend(t, h.fake, "EvMENTION", mention)
	evs, err := h.rec.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	h.drain(t)
	if len(evs) != 1 || evs[0].ID != "EvMENTION" || !evs[0].Mentioned {
		t.Fatalf("submitted %+v, want the app_mention only", evs)
	}
	if strings.Contains(evs[0].Text, "<@") || !strings.Contains(evs[0].Text, "<Unknown error code>") {
		t.Errorf("text %q: want the mention stripped and the log unescaped", evs[0].Text)
	}
	if posts := h.fake.Posts(); len(posts) != 1 || posts[0].ThreadTS != msg.TS {
		t.Fatalf("replies %+v, want one in the message's thread", posts)
	}
}

// TestSlashCommandAckedThenAnsweredWithThread holds the engine until the
// ack has arrived, which proves the ack precedes the answer, then checks the
// answer: headline in the channel, details in a thread under it.
func TestSlashCommandAckedThenAnsweredWithThread(t *testing.T) {
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	gate := newBlocker(chattest.Engine(t, bot.Config{}))
	startAdapter(t, Config{BotToken: slacktest.BotToken, AppToken: slacktest.AppToken, APIURL: fake.URL()}, gate)
	ctx := testContext(t)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	sent := time.Now()
	env, err := fake.SendCommand(slackapi.SlashCommand{
		ChannelID: "CSUPPORT", ChannelName: "support", UserID: "UALICE", UserName: "alice",
		Text: "0x800423f2 0x800423f4",
	})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := fake.WaitAck(ctx, env)
	if err != nil {
		t.Fatalf("command never acked: %v", err)
	}
	if posts := fake.Posts(); len(posts) != 0 {
		t.Fatalf("answered before the ack: %+v", posts)
	}
	close(gate.release)
	if len(ack.Payload) != 0 && string(ack.Payload) != "null" {
		t.Errorf("ack carries payload %s; the answer belongs in the Web API", ack.Payload)
	}
	// Slack shows an error after 3 s: a generous bound, not a benchmark.
	if d := ack.At.Sub(sent); d > 3*time.Second {
		t.Errorf("ack after %s", d)
	}
	posts, err := fake.WaitPosts(ctx, 2)
	if err != nil {
		t.Fatalf("answer incomplete: %v (posts %+v)", err, posts)
	}
	head, details := posts[0], posts[1]
	if head.Method != "chat.postMessage" || head.Channel != "CSUPPORT" || head.ThreadTS != "" {
		t.Errorf("headline %+v, want a channel post", head)
	}
	if details.ThreadTS != head.TS || details.Channel != "CSUPPORT" {
		t.Errorf("details in thread %q of %s, want under the headline %s", details.ThreadTS, details.Channel, head.TS)
	}
	assertNames(t, head, "0x800423f2")
	assertNames(t, details, "0x800423f4")
}

func TestFileShareIsDownloadedWithTokenAndAnswered(t *testing.T) {
	h := newHarness(t, bot.Config{}, nil)
	ctx := testContext(t)
	f := h.fake.AddFile(slacktest.File{Name: "1500000000.log", Content: []byte(readTestdata(t, "excerpt.log"))})
	ev := channelMessage("1700000040.000100", "backup failed again, log attached")
	ev.Subtype, ev.Files, ev.Upload = "file_share", []slackapi.File{f}, true
	mustSend(t, h.fake, "EvFILE", ev)
	posts, err := h.fake.WaitPosts(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if posts[0].ThreadTS != ev.TS {
		t.Errorf("reply in thread %q, want %q", posts[0].ThreadTS, ev.TS)
	}
	assertNames(t, posts[0], "System Writer", "0x800423f2")
	dl := h.fake.Calls("files.download")
	if len(dl) != 1 || dl[0].Auth != slacktest.BotToken || dl[0].Status != 200 {
		t.Errorf("downloads %+v, want one with the bot token", dl)
	}
	if r := h.fake.Calls("reactions.add"); len(r) != 0 {
		t.Errorf("reacted to a small file: %+v", r)
	}
}

func TestLargeFileGetsReactionUntilAnswered(t *testing.T) {
	h := newHarness(t, bot.Config{}, nil)
	ctx := testContext(t)
	excerpt := readTestdata(t, "excerpt.log")
	f := h.fake.AddFile(slacktest.File{Name: "big.log", Content: []byte(strings.Repeat(excerpt, 2<<20/len(excerpt)+1))})
	ev := channelMessage("1700000050.000100", "")
	ev.Subtype, ev.Files = "file_share", []slackapi.File{f}
	mustSend(t, h.fake, "EvBIG", ev)
	if _, err := h.fake.WaitPosts(ctx, 1); err != nil {
		t.Fatal(err)
	}
	err := h.fake.Wait(ctx, func() bool { return len(h.fake.Calls("reactions.remove")) == 1 })
	if err != nil {
		t.Fatalf("reaction never removed: %v", err)
	}
	add, dl := h.fake.Calls("reactions.add"), h.fake.Calls("files.download")
	rm, post := h.fake.Calls("reactions.remove"), h.fake.Calls("chat.postMessage")
	if len(add) != 1 || add[0].Form.Get("name") != "eyes" || add[0].Form.Get("timestamp") != ev.TS {
		t.Fatalf("reactions.add %+v, want eyes on the message", add)
	}
	if !add[0].At.Before(dl[0].At) || rm[0].At.Before(post[0].At) || rm[0].Form.Get("name") != "eyes" {
		t.Errorf("order: react %s, download %s, post %s, unreact %s", add[0].At, dl[0].At, post[0].At, rm[0].At)
	}
}

// TestLargeFileReactionRemovedWhenSilent: a large file in which nothing is
// found gets no answer, and its reaction is taken off all the same.
func TestLargeFileReactionRemovedWhenSilent(t *testing.T) {
	h := newHarness(t, bot.Config{}, nil)
	ctx := testContext(t)
	f := h.fake.AddFile(slacktest.File{Name: "notes.txt", Content: []byte(strings.Repeat("nothing to see here\n", 2<<20/20))})
	ev := channelMessage("1700000055.000100", "")
	ev.Subtype, ev.Files = "file_share", []slackapi.File{f}
	mustSend(t, h.fake, "EvSILENT", ev)
	err := h.fake.Wait(ctx, func() bool { return len(h.fake.Calls("reactions.remove")) == 1 })
	if err != nil {
		t.Fatalf("reaction never removed: %v", err)
	}
	h.drain(t)
	add, rm := h.fake.Calls("reactions.add"), h.fake.Calls("reactions.remove")
	if len(add) != 1 || rm[0].Form.Get("name") != "eyes" || rm[0].Form.Get("timestamp") != ev.TS {
		t.Errorf("reactions.add %+v, reactions.remove %+v: want eyes put on and taken off", add, rm)
	}
	if posts := h.fake.Posts(); len(posts) != 0 {
		t.Errorf("answered a file with nothing in it: %+v", posts)
	}
}

func TestFileWithoutFilesReadSaysSo(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(*slacktest.Server) slackapi.File
		want  []string
	}{
		{"sign-in page instead of the file", func(s *slacktest.Server) slackapi.File {
			return s.AddFile(slacktest.File{Name: "task.log", Content: []byte("x"), SignIn: true})
		}, []string{"task.log", "sign-in page", "files:read"}},
		{"only the file id, files.info answers missing_scope", func(s *slacktest.Server) slackapi.File {
			s.RemoveScope("files:read")
			return slackapi.File{ID: s.AddFile(slacktest.File{ID: "FONLYID", Name: "task.log", Content: []byte("x")}).ID}
		}, []string{"FONLYID", "files:read"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, bot.Config{Language: "en"}, nil)
			ev := channelMessage("1700000060.000100", "")
			ev.Subtype, ev.Files = "file_share", []slackapi.File{tc.setup(h.fake)}
			mustSend(t, h.fake, "EvHTML", ev)
			posts, err := h.fake.WaitPosts(testContext(t), 1)
			if err != nil {
				t.Fatal(err)
			}
			assertNames(t, posts[0], tc.want...)
		})
	}
}

func TestOversizeFileIsRefusedWithoutDownload(t *testing.T) {
	h := newHarness(t, bot.Config{Language: "en"}, nil)
	f := h.fake.AddFile(slacktest.File{Name: "huge.log", Size: 1 << 10, Announced: 60 << 20})
	ev := channelMessage("1700000070.000100", "")
	ev.Subtype, ev.Files = "file_share", []slackapi.File{f}
	mustSend(t, h.fake, "EvHUGE", ev)
	posts, err := h.fake.WaitPosts(testContext(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	assertNames(t, posts[0], "huge.log", "60 MB", "50 MB")
	if dl := h.fake.Calls("files.download"); len(dl) != 0 {
		t.Errorf("downloaded an oversize file: %+v", dl)
	}
}

func TestRateLimitedReplyIsRetriedAfterRetryAfter(t *testing.T) {
	h := newHarness(t, bot.Config{}, nil)
	h.fake.Inject("chat.postMessage", slacktest.Fault{Status: 429, RetryAfter: 1})
	mustSend(t, h.fake, "Ev429", channelMessage("1700000080.000100", readTestdata(t, "excerpt.log")))
	posts, err := h.fake.WaitPosts(testContext(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	calls := h.fake.Calls("chat.postMessage")
	if len(calls) != 2 || calls[0].Status != 429 || calls[1].Status != 200 {
		t.Fatalf("calls %+v, want a 429 then a success", calls)
	}
	// Retry-After is a floor the engine must respect (less a little for
	// where the fake stamps calls).
	if gap := calls[1].At.Sub(calls[0].At); gap < 900*time.Millisecond {
		t.Errorf("retried after %s, before Retry-After: 1", gap)
	}
	assertNames(t, posts[0], "0x800423f2")
}

func TestDroppedWebsocketReconnectsAndKeepsAnswering(t *testing.T) {
	h := newHarness(t, bot.Config{}, nil)
	ctx := testContext(t)
	excerpt := readTestdata(t, "excerpt.log")
	mustSend(t, h.fake, "EvBEFORE", channelMessage("1700000090.000100", excerpt))
	if _, err := h.fake.WaitPosts(ctx, 1); err != nil {
		t.Fatal(err)
	}
	h.fake.DropConnections()
	if err := h.fake.WaitConnected(ctx, 2); err != nil {
		t.Fatalf("no reconnection: %v", err)
	}
	mustSend(t, h.fake, "EvAFTER", channelMessage("1700000090.000200", excerpt))
	posts, err := h.fake.WaitPosts(ctx, 2)
	if err != nil {
		t.Fatalf("no answer after reconnecting: %v", err)
	}
	if posts[1].ThreadTS != "1700000090.000200" {
		t.Errorf("answer in thread %q", posts[1].ThreadTS)
	}
	if n := len(h.fake.Calls("apps.connections.open")); n != 2 {
		t.Errorf("apps.connections.open called %d times, want 2", n)
	}
}
