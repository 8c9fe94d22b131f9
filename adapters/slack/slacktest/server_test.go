package slacktest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// The fake is checked through the real slack-go client: if it answered in
// shapes the client does not expect, these tests would fail.

func TestWebAPIAuth(t *testing.T) {
	s := New()
	defer s.Close()
	for _, tc := range []struct {
		token, want string
	}{
		{BotToken, ""},
		{"xoxb-other", "invalid_auth"},
		{AppToken, "not_allowed_token_type"},
	} {
		_, err := slack.New(tc.token, slack.OptionAPIURL(s.URL())).AuthTest()
		if got := errString(err); got != tc.want {
			t.Errorf("token %s: error %q, want %q", tc.token, got, tc.want)
		}
	}
}

func TestFaultsAndScopes(t *testing.T) {
	s := New()
	defer s.Close()
	api := slack.New(BotToken, slack.OptionAPIURL(s.URL()))
	s.Inject("chat.postMessage", Fault{}, Fault{Status: 429, RetryAfter: 3})
	if _, _, err := api.PostMessage("C1", slack.MsgOptionText("first", false)); err != nil {
		t.Fatalf("the zero Fault should let the call through: %v", err)
	}
	_, _, err := api.PostMessage("C1", slack.MsgOptionText("second", false))
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); !ok || rl.RetryAfter != 3*time.Second {
		t.Fatalf("error %v, want a 429 with Retry-After 3", err)
	}
	s.RemoveScope("reactions:write")
	err = api.AddReaction("eyes", slack.NewRefToMessage("C1", "1.1"))
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); !ok || se.Err != "missing_scope" || se.Needed != "reactions:write" {
		t.Fatalf("error %v, want missing_scope naming reactions:write", err)
	}
	if posts := s.Posts(); len(posts) != 1 || posts[0].Text != "first" || posts[0].TS == "" {
		t.Errorf("posts %+v", posts)
	}
}

func TestFileDownload(t *testing.T) {
	s := New()
	defer s.Close()
	f := s.AddFile(File{Name: "a b.log", Size: 100, Fill: []byte("0123456789")})
	for _, tc := range []struct {
		token    string
		wantHTML bool
	}{
		{BotToken, false},
		{"", true},
		{"xoxb-other", true},
	} {
		req, _ := http.NewRequest(http.MethodGet, f.URLPrivateDownload, nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		html := strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html")
		if html != tc.wantHTML || (!html && !bytes.Equal(body, bytes.Repeat([]byte("0123456789"), 10))) {
			t.Errorf("token %q: %s %q", tc.token, resp.Header.Get("Content-Type"), body)
		}
	}
	info, _, _, err := slack.New(BotToken, slack.OptionAPIURL(s.URL())).GetFileInfo(f.ID, 0, 0)
	if err != nil || info.URLPrivateDownload != f.URLPrivateDownload || info.Size != 100 {
		t.Errorf("files.info %+v, %v", info, err)
	}
}

func TestResponseURLAllowsFivePosts(t *testing.T) {
	s := New()
	defer s.Close()
	u := s.NewResponseURL()
	for i := range 6 {
		err := slack.PostWebhookContext(context.Background(), u, &slack.WebhookMessage{Text: "answer", ResponseType: "ephemeral"})
		if (err == nil) != (i < 5) {
			t.Errorf("post %d: %v", i+1, err)
		}
	}
	if posts := s.Posts(); len(posts) != 5 || posts[0].ResponseType != "ephemeral" || posts[0].URL != u {
		t.Errorf("posts %+v", posts)
	}
}

func TestSendWithoutClient(t *testing.T) {
	s := New()
	defer s.Close()
	if _, err := s.SendEvent("Ev1", Event{Type: "message"}); !errors.Is(err, ErrNotConnected) {
		t.Errorf("error %v", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
