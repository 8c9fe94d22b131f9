package slack

import (
	"strings"

	"github.com/vssbot/vssbot/internal/setting"
)

// Defaults of the adapter's settings.
const (
	DefaultAPIURL   = "https://slack.com/api/"
	DefaultReaction = "eyes"
)

// Config is the adapter's part of the settings; the tags name the keys
// under slack.
type Config struct {
	BotToken      string `mapstructure:"bot_token"`      // xoxb-; set -> Slack is used
	AppToken      string `mapstructure:"app_token"`      // xapp-; set -> Socket Mode
	SigningSecret string `mapstructure:"signing_secret"` // HTTP mode
	APIURL        string `mapstructure:"api_url"`        // [https://slack.com/api/]
	Mode          string `mapstructure:"mode"`           // socket (default with an app token) | http
	SlashResponse string `mapstructure:"slash_response"` // in_channel (default) | ephemeral
	// Reaction is the emoji (without colons) put on a message while a large
	// file is read; "" disables it [eyes, set by the settings' defaults].
	Reaction string `mapstructure:"reaction"`
}

// Enabled reports whether Slack is configured at all.
func (c Config) Enabled() bool { return c.BotToken != "" }

// Validate checks the settings, naming the key of each problem. A config
// that sets nothing (Slack not used) is valid.
func (c Config) Validate() error {
	var bad setting.Problems
	if c.APIURL != "" {
		bad.HTTPURL("slack.api_url", c.APIURL)
	}
	if c.BotToken != "" && !strings.HasPrefix(c.BotToken, "xoxb-") {
		bad.Add("slack.bot_token", "a bot token starts with xoxb-")
	}
	if c.AppToken != "" && !strings.HasPrefix(c.AppToken, "xapp-") {
		bad.Add("slack.app_token", "an app-level token starts with xapp-")
	}
	switch c.Mode {
	case "", ModeSocket:
		if c.BotToken != "" && c.AppToken == "" && (c.Mode == ModeSocket || c.SigningSecret == "") {
			bad.Add("slack.app_token", "Socket Mode needs an app-level token (xapp-...); or set slack.signing_secret and slack.mode=http")
		}
	case ModeHTTP:
		if c.SigningSecret == "" {
			bad.Add("slack.signing_secret", "HTTP mode needs the app's signing secret")
		}
	default:
		bad.Add("slack.mode", "%q is not one of socket, http", c.Mode)
	}
	if (c.AppToken != "" || c.SigningSecret != "" || c.Mode != "") && c.BotToken == "" {
		bad.Add("slack.bot_token", "is required when Slack is configured")
	}
	switch c.SlashResponse {
	case "", InChannel, Ephemeral:
	default:
		bad.Add("slack.slash_response", "%q is not one of in_channel, ephemeral", c.SlashResponse)
	}
	return bad.Err()
}

// withDefaults fills what was left empty: the mode from the tokens given,
// the API URL (ending in "/", as slack-go appends method names), the
// slash response.
func (c Config) withDefaults() Config {
	if c.Mode == "" {
		c.Mode = ModeSocket
		if c.AppToken == "" && c.SigningSecret != "" {
			c.Mode = ModeHTTP
		}
	}
	if c.SlashResponse == "" {
		c.SlashResponse = InChannel
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(c.APIURL, "/") {
		c.APIURL += "/"
	}
	return c
}
