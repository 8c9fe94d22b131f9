package config

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Validate checks every setting and reports all problems at once, each
// naming its key.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s: %s", ErrInvalid, key, fmt.Sprintf(format, args...)))
	}
	checkLang := func(key, lang string) {
		switch lang {
		case "ja", "en", "auto":
		default:
			bad(key, "%q is not one of ja, en, auto", lang)
		}
	}
	checkLang("language", c.Language)
	for ch, lang := range c.ChannelLanguages {
		checkLang("channel_languages."+ch, lang)
	}
	positive := []struct {
		key string
		n   float64
	}{
		{"queue", float64(c.Queue)},
		{"timeout", c.Timeout.Seconds()},
		{"limits.attachment_bytes", float64(c.Limits.AttachmentBytes)},
		{"limits.archive_entries", float64(c.Limits.ArchiveEntries)},
		{"limits.expanded_bytes", float64(c.Limits.ExpandedBytes)},
		{"limits.ratio", c.Limits.Ratio},
		{"limits.depth", float64(c.Limits.Depth)},
		{"limits.spool_bytes", float64(c.Limits.SpoolBytes)},
	}
	for _, p := range positive {
		if p.n <= 0 {
			bad(p.key, "must be greater than zero")
		}
	}
	if c.Workers < 0 {
		bad("workers", "must not be negative (0 picks one per core, doubled)")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "%q is not one of debug, info, warn, error", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		bad("log.format", "%q is not one of text, json", c.Log.Format)
	}
	c.validateSlack(bad)
	c.validateDiscord(bad)
	// The packages that own these settings check them; their errors name
	// the key and wrap their own ErrInvalid.
	for _, err := range []error{c.Redis.Validate(), c.Stats.Validate()} {
		if err != nil {
			errs = append(errs, owned{err})
		}
	}
	return errors.Join(errs...)
}

func (c *Config) validateSlack(bad func(key, format string, args ...any)) {
	s := c.Slack
	checkURL(bad, "slack.api_url", s.APIURL)
	if s.BotToken != "" && !strings.HasPrefix(s.BotToken, "xoxb-") {
		bad("slack.bot_token", "a bot token starts with xoxb-")
	}
	if s.AppToken != "" && !strings.HasPrefix(s.AppToken, "xapp-") {
		bad("slack.app_token", "an app-level token starts with xapp-")
	}
	switch s.Mode {
	case "", "socket":
		if s.Mode == "socket" && s.AppToken == "" {
			bad("slack.app_token", "Socket Mode needs an app-level token (xapp-...)")
		}
	case "http":
		if s.SigningSecret == "" {
			bad("slack.signing_secret", "HTTP mode needs the app's signing secret")
		}
	default:
		bad("slack.mode", "%q is not one of socket, http", s.Mode)
	}
	if s.BotToken != "" && s.AppToken == "" && s.SigningSecret == "" {
		bad("slack.app_token", "set it for Socket Mode, or set slack.signing_secret and slack.mode=http")
	}
	if (s.AppToken != "" || s.SigningSecret != "" || s.Mode != "") && s.BotToken == "" {
		bad("slack.bot_token", "is required when Slack is configured")
	}
	switch s.SlashResponse {
	case "in_channel", "ephemeral":
	default:
		bad("slack.slash_response", "%q is not one of in_channel, ephemeral", s.SlashResponse)
	}
}

func (c *Config) validateDiscord(bad func(key, format string, args ...any)) {
	d := c.Discord
	checkURL(bad, "discord.api_url", d.APIURL)
	if d.Token != "" && d.AppID == "" {
		bad("discord.app_id", "is required with discord.token (the /vss command is registered under it)")
	}
	if d.AppID != "" && d.Token == "" {
		bad("discord.token", "is required with discord.app_id")
	}
	if d.PublicKey != "" {
		if k, err := hex.DecodeString(d.PublicKey); err != nil || len(k) != 32 {
			bad("discord.public_key", "must be the application's 64-hex-digit Ed25519 public key")
		}
	}
	if d.ShardCount < 0 || d.ShardID < 0 || (d.ShardCount > 0 && d.ShardID >= d.ShardCount) {
		bad("discord.shard_id", "must be between 0 and discord.shard_count-1")
	}
	if d.MaxRetries < 0 {
		bad("discord.max_retries", "must not be negative")
	}
}

func checkURL(bad func(key, format string, args ...any), key, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad(key, "%q is not an http(s) URL", MaskURL(raw))
	}
}

// SlackEnabled reports whether enough is set to run the Slack adapter.
func (c *Config) SlackEnabled() bool { return c.Slack.BotToken != "" }

// DiscordEnabled reports whether enough is set to run the Discord adapter.
func (c *Config) DiscordEnabled() bool { return c.Discord.Token != "" }

// Missing explains, for `vssbot serve` with no platform configured, which
// settings would enable one.
func (c *Config) Missing() string {
	return "no chat platform is configured. Set, for Slack in Socket Mode: slack.bot_token " +
		"(VSSBOT_SLACK_BOT_TOKEN) and slack.app_token (VSSBOT_SLACK_APP_TOKEN); for Slack over HTTP: " +
		"slack.bot_token, slack.signing_secret and slack.mode=http; for Discord: discord.token " +
		"(VSSBOT_DISCORD_TOKEN) and discord.app_id (VSSBOT_DISCORD_APP_ID). " +
		"To try the bot without a workspace, run `vssbot chat`."
}

// owned is a setting error from the package that owns the key: its text
// as it is, and errors.Is(err, ErrInvalid) holds.
type owned struct{ err error }

func (o owned) Error() string        { return o.err.Error() }
func (o owned) Unwrap() error        { return o.err }
func (o owned) Is(target error) bool { return target == ErrInvalid }
