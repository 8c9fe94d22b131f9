package slack

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
)

func TestNewChecksSettings(t *testing.T) {
	ok := Config{BotToken: "xoxb-1", AppToken: "xapp-1"}
	for _, tc := range []struct {
		name   string
		adjust func(*Config)
		want   string // prefix of the error; "" for none
	}{
		{"socket mode", func(*Config) {}, ""},
		{"http mode", func(c *Config) { c.AppToken, c.SigningSecret = "", "s" }, ""},
		{"no bot token", func(c *Config) { c.BotToken = "" }, "slack.bot_token:"},
		{"user token as bot token", func(c *Config) { c.BotToken = "xoxp-1" }, "slack.bot_token:"},
		{"bot token as app token", func(c *Config) { c.AppToken = "xoxb-2" }, "slack.app_token:"},
		{"nothing to receive events with", func(c *Config) { c.AppToken = "" }, "slack.app_token:"},
		{"socket mode without app token", func(c *Config) { c.AppToken, c.SigningSecret, c.Mode = "", "s", ModeSocket }, "slack.app_token:"},
		{"http mode without secret", func(c *Config) { c.Mode = ModeHTTP }, "slack.signing_secret:"},
		{"unknown mode", func(c *Config) { c.Mode = "rtm" }, "slack.mode:"},
		{"unknown slash response", func(c *Config) { c.SlashResponse = "thread" }, "slack.slash_response:"},
		{"api url not http", func(c *Config) { c.APIURL = "ftp://slack.test/api/" }, "slack.api_url:"},
		{"api url relative", func(c *Config) { c.APIURL = "api/" }, "slack.api_url:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ok
			tc.adjust(&cfg)
			_, err := New(cfg, nobody(), nil)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)):
				t.Fatalf("error %v, want one naming %s", err, tc.want)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	for _, tc := range []struct {
		in       Config
		wantMode string
	}{
		{Config{BotToken: "xoxb-1", AppToken: "xapp-1"}, ModeSocket},
		{Config{BotToken: "xoxb-1", SigningSecret: "s"}, ModeHTTP},
		{Config{BotToken: "xoxb-1", AppToken: "xapp-1", SigningSecret: "s"}, ModeSocket},
	} {
		a, err := New(tc.in, nobody(), nil)
		if err != nil {
			t.Fatal(err)
		}
		c := a.cfg
		if c.Mode != tc.wantMode || c.SlashResponse != InChannel || c.APIURL != DefaultAPIURL {
			t.Errorf("%+v: defaults %+v", tc.in, c)
		}
	}
	a, err := New(Config{BotToken: "xoxb-1", AppToken: "xapp-1", APIURL: "http://127.0.0.1:9/api"}, nobody(), nil)
	if err != nil || a.cfg.APIURL != "http://127.0.0.1:9/api/" {
		t.Errorf("api url %q, %v: want a trailing slash added", a.cfg.APIURL, err)
	}
}

func TestStartNamesTheProblem(t *testing.T) {
	for _, tc := range []struct {
		name  string
		token string
		fault *slacktest.Fault
		want  []string
	}{
		{"wrong token", "xoxb-wrong", nil, []string{"slack.bot_token", "invalid_auth"}},
		{"no token reached Slack", "", &slacktest.Fault{Error: "not_authed"}, []string{"slack.bot_token", "not_authed"}},
		{"deactivated", "", &slacktest.Fault{Error: "account_inactive"}, []string{"slack.bot_token", "account_inactive", "reinstall"}},
		{"revoked", "", &slacktest.Fault{Error: "token_revoked"}, []string{"slack.bot_token", "token_revoked"}},
		{"missing scope", "", &slacktest.Fault{Error: "missing_scope", Needed: "chat:write"}, []string{"slack.bot_token", "chat:write", "reinstall"}},
		{"server error", "", &slacktest.Fault{Status: 503}, []string{"auth.test", "503"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := slacktest.New()
			defer fake.Close()
			cfg := Config{BotToken: slacktest.BotToken, AppToken: slacktest.AppToken, APIURL: fake.URL()}
			if tc.token != "" {
				cfg.BotToken = tc.token
			}
			if tc.fault != nil {
				fake.Inject("auth.test", *tc.fault)
			}
			a, err := New(cfg, nobody(), quietLogger())
			if err != nil {
				t.Fatal(err)
			}
			err = a.Start(testContext(t))
			if err == nil {
				t.Fatal("Start succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestStartLearnsWhoItIs(t *testing.T) {
	fake := slacktest.New()
	defer fake.Close()
	a, err := New(Config{BotToken: slacktest.BotToken, AppToken: slacktest.AppToken, APIURL: fake.URL()}, nobody(), quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(testContext(t)); err != nil {
		t.Fatal(err)
	}
	if id := a.whoami(); id.User != slacktest.BotUserID {
		t.Errorf("identity %+v", id)
	}
}

func TestRunFailsOnBadAppToken(t *testing.T) {
	for _, tc := range []struct {
		name  string
		token string
		fault *slacktest.Fault
		want  []string
	}{
		{"wrong token", "xapp-wrong", nil, []string{"slack.app_token", "invalid_auth"}},
		{"token without connections:write", "", &slacktest.Fault{Error: "missing_scope", Needed: "connections:write"}, []string{"slack.app_token", "connections:write"}},
		{"bot token given as app token", "", &slacktest.Fault{Error: "not_allowed_token_type"}, []string{"slack.app_token", "not_allowed_token_type"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := slacktest.New()
			defer fake.Close()
			cfg := Config{BotToken: slacktest.BotToken, AppToken: slacktest.AppToken, APIURL: fake.URL()}
			if tc.token != "" {
				cfg.AppToken = tc.token
			}
			if tc.fault != nil {
				fake.Inject("apps.connections.open", *tc.fault)
			}
			a, err := New(cfg, nobody(), quietLogger())
			if err != nil {
				t.Fatal(err)
			}
			err = a.Run(testContext(t))
			if err == nil || errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Run returned %v, want a setting error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestRunStopsCleanly(t *testing.T) {
	fake := slacktest.New()
	defer fake.Close()
	a, err := New(Config{BotToken: slacktest.BotToken, AppToken: slacktest.AppToken, APIURL: fake.URL()}, nobody(), quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(testContext(t))
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	if err := fake.WaitConnected(testContext(t), 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after cancel: %v", err)
	}
}
