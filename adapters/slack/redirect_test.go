package slack

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
)

// tokenTrap records every Authorization header it receives.
type tokenTrap struct {
	mu   sync.Mutex
	seen []string
}

func (tt *tokenTrap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tt.mu.Lock()
	tt.seen = append(tt.seen, r.Header.Get("Authorization")+" "+r.FormValue("token"))
	tt.mu.Unlock()
	_, _ = w.Write([]byte(`{"ok":true}`))
}

func (tt *tokenTrap) leaked() bool {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	for _, s := range tt.seen {
		if strings.Contains(s, slacktest.BotToken) {
			return true
		}
	}
	return false
}

// TestRedirectsNeverCarryTheToken: Slack's host (here an http API base on
// loopback) redirects a file download and a Web API call to another port of
// the same host; Go would keep Authorization on that hop, the adapter must
// refuse it.
func TestRedirectsNeverCarryTheToken(t *testing.T) {
	trap := &tokenTrap{}
	other := httptest.NewServer(trap)
	defer other.Close()
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.Path, status)
		}))
		a := offlineAdapter(t, nobody(), func(c *Config) { c.APIURL = api.URL + "/api/" })
		_, err := a.download(testContext(t), slackapi.File{Name: "a.log", Size: 1, URLPrivateDownload: api.URL + "/files-pri/T1-F1/a.log"})
		if err == nil || !strings.Contains(err.Error(), "not sending the token") {
			t.Errorf("%d: download error %v, want a refused redirect", status, err)
		}
		if _, err := a.api.AuthTestContext(testContext(t)); err == nil {
			t.Errorf("%d: auth.test followed a redirect off the API's host", status)
		}
		api.Close()
	}
	if trap.leaked() {
		t.Errorf("the token reached another port: %q", trap.seen)
	}
}

// TestRedirectHopsAreCheckedLikeTheFirstURL covers what loopback cannot:
// https to http, other ports and other hosts.
func TestRedirectHopsAreCheckedLikeTheFirstURL(t *testing.T) {
	for _, tc := range []struct {
		base, hop string
		ok        bool
	}{
		{"https://slack.test/api/", "https://files.slack.test/files-pri/a.log", true},
		{"https://slack.test/api/", "https://slack.test/signin", true},
		{"https://slack.test/api/", "http://slack.test/signin", false},
		{"https://slack.test/api/", "http://files.slack.test/a.log", false},
		{"https://slack.test/api/", "https://slack.test:8443/a.log", false},
		{"https://slack.test/api/", "https://files.slack.test:8443/a.log", false},
		{"https://slack.test/api/", "https://evil.test/a.log", false},
		{"https://slack.test/api/", "https://user:pw@files.slack.test/a.log", false},
		{"http://127.0.0.1:8080/api/", "http://127.0.0.1:8080/files/a.log", true},
		{"http://127.0.0.1:8080/api/", "http://127.0.0.1:9090/files/a.log", false},
	} {
		a := offlineAdapter(t, nobody(), func(c *Config) { c.APIURL = tc.base })
		u, _ := url.Parse(tc.hop)
		req := &http.Request{URL: u, Header: http.Header{"Authorization": {"Bearer " + slacktest.BotToken}}}
		prev := &http.Request{URL: a.apiURL}
		if err := a.checkRedirect(req, []*http.Request{prev}); (err == nil) != tc.ok {
			t.Errorf("base %s hop %s: %v, want allowed=%v", tc.base, tc.hop, err, tc.ok)
		}
	}
}
