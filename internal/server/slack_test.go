package server

import (
	"context"
	"testing"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/internal/chattest"
)

// signingSecret signs what the tests post to a server in Slack HTTP mode.
const signingSecret = "server-signing-secret-0123456789"

// slackHTTPEnv is the settings of a server in Slack HTTP mode on the fake
// Slack, with its team memory at dsn.
func slackHTTPEnv(fake *slacktest.Server, dsn string) map[string]string {
	return map[string]string{
		"VSSBOT_SLACK_BOT_TOKEN":      slacktest.BotToken,
		"VSSBOT_SLACK_SIGNING_SECRET": signingSecret,
		"VSSBOT_SLACK_MODE":           "http",
		"VSSBOT_SLACK_API_URL":        fake.URL(),
		"VSSBOT_MEMORY_DSN":           dsn,
	}
}

// seedEvent is a signed Events API message carrying the seed excerpt.
func seedEvent(t *testing.T, id, ts string) []byte {
	t.Helper()
	body, err := slacktest.EventBody(id, slacktest.Event{
		Type: "message", Channel: "CSUPPORT", ChannelType: "channel", User: "UALICE",
		Text: slacktest.Escape(chattest.SeedExcerpt(t)), TS: ts, Team: slacktest.TeamID,
	})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// deliver posts a signed event to the server's Slack endpoint.
func deliver(s *Server, body []byte) error {
	return slacktest.Deliver(context.Background(), "http://"+s.Addr()+"/slack/events", signingSecret, "application/json", body, 0)
}

// metric sums the server's samples whose line starts with prefix.
func metric(t *testing.T, s *Server, prefix string) float64 {
	t.Helper()
	v, err := chattest.Scrape(context.Background(), "http://"+s.HealthAddr()+"/metrics", prefix)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
