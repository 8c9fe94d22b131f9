package slack

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/chattest"
	"github.com/vssbot/vssbot/lang"
)

func isRateLimit(err error) bool {
	_, ok := errors.AsType[*bot.RateLimitError](err)
	return ok
}

// twoSections is a reply whose slash form needs a thread.
var twoSections = &answer.Outline{
	Kind: answer.Lookup, Lang: lang.English, Headline: "0x800423f2 VSS_E_WRITERERROR_TIMEOUT",
	Sections: []answer.Section{{Title: "0x800423f2 first"}, {Title: "0x800423f4 second"}},
	Footer:   "vssbot",
}

// fakeAdapter is an adapter signed in to a fake Slack, not running: tests
// call Reply and download directly.
func fakeAdapter(t *testing.T, adjust func(*Config)) (*Adapter, *slacktest.Server) {
	t.Helper()
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	cfg := Config{BotToken: slacktest.BotToken, AppToken: slacktest.AppToken, APIURL: fake.URL()}
	if adjust != nil {
		adjust(&cfg)
	}
	a, err := New(cfg, nobody(), quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(testContext(t)); err != nil {
		t.Fatal(err)
	}
	return a, fake
}

// registerCommand registers a slash command as its arrival would, and returns its
// reply target.
func registerCommand(a *Adapter, fake *slacktest.Server) bot.Target {
	cmd := fake.CompleteCommand(slackapi.SlashCommand{ChannelID: "CSUPPORT", UserID: "UALICE", Text: "0x800423f2"})
	a.onCommand("", cmd)
	return bot.Target{Platform: platform, Channel: cmd.ChannelID, ResponseURL: cmd.ResponseURL}
}

func TestReplyRateLimited(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault slacktest.Fault
		want  time.Duration
	}{
		{"with Retry-After", slacktest.Fault{Status: 429, RetryAfter: 7}, 7 * time.Second},
		{"without Retry-After", slacktest.Fault{Status: 429}, defaultRetryAfter},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, fake := fakeAdapter(t, nil)
			fake.Inject("chat.postMessage", tc.fault)
			err := a.Reply(testContext(t), bot.Target{Platform: platform, Channel: "C1", Message: "1.1"}, twoSections, &bot.Progress{})
			rl, ok := errors.AsType[*bot.RateLimitError](err)
			if !ok || rl.RetryAfter != tc.want {
				t.Fatalf("error %v, want a RateLimitError after %s", err, tc.want)
			}
			// slack-go did not retry on its own.
			if n := len(fake.Calls("chat.postMessage")); n != 1 {
				t.Errorf("%d calls, want 1", n)
			}
		})
	}
}

func TestReplyOtherErrorsAreNotRateLimits(t *testing.T) {
	a, fake := fakeAdapter(t, nil)
	fake.Inject("chat.postMessage", slacktest.Fault{Error: "channel_not_found"})
	err := a.Reply(testContext(t), bot.Target{Platform: platform, Channel: "CGONE", Message: "1.1"}, twoSections, &bot.Progress{})
	if err == nil || isRateLimit(err) || !strings.Contains(err.Error(), "channel_not_found") {
		t.Fatalf("error %v", err)
	}
}

func TestSlashRetryDoesNotRepostHeadline(t *testing.T) {
	a, fake := fakeAdapter(t, nil)
	to := registerCommand(a, fake)
	// The headline goes through, the thread post is rate limited.
	fake.Inject("chat.postMessage", slacktest.Fault{}, slacktest.Fault{Status: 429, RetryAfter: 1})
	ctx := testContext(t)
	var p bot.Progress
	err := a.Reply(ctx, to, twoSections, &p)
	if !isRateLimit(err) {
		t.Fatalf("first attempt: %v, want the thread post rate limited", err)
	}
	if err := a.Reply(ctx, to, twoSections, &p); err != nil {
		t.Fatalf("retry: %v", err)
	}
	posts := fake.Posts()
	if len(posts) != 2 || posts[0].ThreadTS != "" || posts[1].ThreadTS != posts[0].TS {
		t.Fatalf("posts %+v, want one headline and one thread reply", posts)
	}
}

func TestSlashFallsBackToResponseURL(t *testing.T) {
	a, fake := fakeAdapter(t, nil)
	to := registerCommand(a, fake)
	fake.Inject("chat.postMessage", slacktest.Fault{Error: "not_in_channel"})
	if err := a.Reply(testContext(t), to, twoSections, &bot.Progress{}); err != nil {
		t.Fatal(err)
	}
	posts := fake.Posts()
	if len(posts) != 1 || posts[0].Method != "response_url" || posts[0].ResponseType != InChannel || posts[0].URL != to.ResponseURL {
		t.Fatalf("posts %+v, want the whole answer through the response_url", posts)
	}
	assertNames(t, posts[0], "first", "second")
}

func TestEphemeralUsesResponseURLThenPostEphemeral(t *testing.T) {
	a, fake := fakeAdapter(t, func(c *Config) { c.SlashResponse = Ephemeral })
	to := registerCommand(a, fake)
	ctx := testContext(t)
	// Slack accepts five posts per response_url; the sixth answer falls
	// back to chat.postEphemeral.
	for i := range responseURLUses + 1 {
		if err := a.Reply(ctx, to, twoSections, &bot.Progress{}); err != nil {
			t.Fatalf("reply %d: %v", i+1, err)
		}
	}
	posts := fake.Posts()
	if len(posts) != responseURLUses+1 {
		t.Fatalf("%d posts", len(posts))
	}
	for i, p := range posts[:responseURLUses] {
		if p.Method != "response_url" || p.ResponseType != Ephemeral {
			t.Errorf("post %d: %s %s, want an ephemeral response_url post", i+1, p.Method, p.ResponseType)
		}
		assertNames(t, p, "first", "second")
	}
	last := posts[responseURLUses]
	if last.Method != "chat.postEphemeral" || last.User != "UALICE" || last.Channel != "CSUPPORT" {
		t.Errorf("fallback %+v, want chat.postEphemeral to UALICE", last)
	}
	if n := len(fake.Calls("response_url")); n != responseURLUses {
		t.Errorf("response_url used %d times, want %d", n, responseURLUses)
	}
}

func TestEphemeralFallsBackWhenResponseURLFails(t *testing.T) {
	a, fake := fakeAdapter(t, func(c *Config) { c.SlashResponse = Ephemeral })
	to := registerCommand(a, fake)
	fake.Inject("response_url", slacktest.Fault{Status: 500})
	if err := a.Reply(testContext(t), to, twoSections, &bot.Progress{}); err != nil {
		t.Fatal(err)
	}
	if posts := fake.Posts(); len(posts) != 1 || posts[0].Method != "chat.postEphemeral" {
		t.Fatalf("posts %+v", posts)
	}
}

// TestDownloadTellsSize: a file known by id reports the size files.info
// gave, for the engine to refuse before reading; the adapter has no limit.
func TestDownloadTellsSize(t *testing.T) {
	a, fake := fakeAdapter(t, nil)
	f := fake.AddFile(slacktest.File{Name: "e.log", Size: 10, Announced: 60 << 20})
	rc, err := a.download(testContext(t), slackapi.File{ID: f.ID})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if s, ok := rc.(bot.Sizer); !ok || s.Size() != 60<<20 {
		t.Errorf("body %T does not report the announced 60 MiB", rc)
	}
}

func TestDownload(t *testing.T) {
	for _, tc := range []struct {
		name    string
		file    slacktest.File
		idOnly  bool
		prepare func(*slacktest.Server)
		want    string // content, or a part of the error
		wantErr bool
	}{
		{"content", slacktest.File{Name: "a.log", Content: []byte("VssStart()")}, false, nil, "VssStart()", false},
		{"by id through files.info", slacktest.File{Name: "b.log", Content: []byte("by id")}, true, nil, "by id", false},
		{"sign-in page", slacktest.File{Name: "c.log", Content: []byte("x"), SignIn: true}, false, nil, "files:read", true},
		{"no files:read for files.info", slacktest.File{Name: "d.log", Content: []byte("x")}, true,
			func(s *slacktest.Server) { s.RemoveScope("files:read") }, "files:read", true},
		{"server error", slacktest.File{Name: "f.log", Content: []byte("x")}, false,
			func(s *slacktest.Server) { s.Inject("files.download", slacktest.Fault{Status: 502}) }, "502", true},
		{"unknown file id", slacktest.File{ID: "FNOPE"}, true,
			func(s *slacktest.Server) {}, "file_not_found", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, fake := fakeAdapter(t, nil)
			f := slackapi.File{ID: "FNOPE"}
			if tc.file.ID != "FNOPE" {
				f = fake.AddFile(tc.file)
			}
			if tc.idOnly {
				f = slackapi.File{ID: f.ID}
			}
			if tc.prepare != nil {
				tc.prepare(fake)
			}
			rc, err := a.download(testContext(t), f)
			if tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v, want one saying %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			got, _ := io.ReadAll(rc)
			if string(got) != tc.want {
				t.Errorf("content %q", got)
			}
			if dl := fake.Calls("files.download"); len(dl) != 1 || dl[0].Auth != slacktest.BotToken {
				t.Errorf("downloads %+v", dl)
			}
		})
	}
}

func TestTokenGoesOnlyToSlack(t *testing.T) {
	a := offlineAdapter(t, nobody(), func(c *Config) { c.APIURL = "https://slack.test/api/" })
	for _, tc := range []struct {
		link string
		ok   bool
	}{
		{"https://slack.test/files-pri/T1-F1/download/a.log", true},
		{"https://files.slack.test/files-pri/T1-F1/download/a.log", true},
		{"http://files.slack.test/files-pri/T1-F1/a.log", false},
		{"https://evil.test/files-pri/T1-F1/a.log", false},
		{"https://slack.test.evil.test/a.log", false},
		{"https://evilslack.test/a.log", false},
		{"::not a url", false},
	} {
		if err := a.mayReceiveToken(tc.link); (err == nil) != tc.ok {
			t.Errorf("%s: %v, want allowed=%v", tc.link, err, tc.ok)
		}
	}
}

// TestReplyRefusedIsRetriedSmallerThenTold: a message Slack refuses for
// its blocks is posted once more, smaller; refused again, the user is told.
func TestReplyRefusedIsRetriedSmallerThenTold(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults int
		posts  int
		notice bool
	}{
		{"smaller one taken", 1, 1, false},
		{"refused twice: told", 2, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, fake := fakeAdapter(t, nil)
			for range tc.faults {
				fake.Inject("chat.postMessage", slacktest.Fault{Error: "msg_blocks_too_long"})
			}
			err := a.Reply(testContext(t), bot.Target{Platform: platform, Channel: "C1", Message: "1.1"}, twoSections, &bot.Progress{})
			if err != nil {
				t.Fatal(err)
			}
			posts := fake.Posts()
			if len(posts) != tc.posts {
				t.Fatalf("%d posts, want %d", len(posts), tc.posts)
			}
			told := strings.Contains(posts[0].Text, "could not post this answer") && len(posts[0].Blocks) == 0
			if told != tc.notice {
				t.Errorf("post %q: notice %v, want %v", posts[0].Text, told, tc.notice)
			}
			if n := len(fake.Calls("chat.postMessage")); n != tc.faults+1 {
				t.Errorf("%d calls, want %d", n, tc.faults+1)
			}
		})
	}
}

// TestBigAnswersPostedThroughStrictFake posts the picture answers (thirty
// failed writers among them) through the fake Slack, which refuses what
// Slack refuses: every message is taken, none is shrunk or refused.
func TestBigAnswersPostedThroughStrictFake(t *testing.T) {
	for _, c := range chattest.Pictures(t) {
		t.Run(c.Name, func(t *testing.T) {
			a, fake := fakeAdapter(t, nil)
			if err := a.Reply(testContext(t), bot.Target{Platform: platform, Channel: "C1", Message: "1.1"}, c.Outline, &bot.Progress{}); err != nil {
				t.Fatal(err)
			}
			calls := fake.Calls("chat.postMessage")
			for _, call := range calls {
				if call.Error != "" {
					t.Errorf("Slack refused a message: %s", call.Error)
				}
			}
			if posts := fake.Posts(); len(posts) == 0 || len(posts) != len(calls) {
				t.Errorf("%d posts of %d calls", len(posts), len(calls))
			}
		})
	}
}
