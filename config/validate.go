package config

import (
	"errors"
	"fmt"
)

// Validate checks every setting and reports all problems at once, each
// naming its key. Each package checks its own keys.
func (c *Config) Validate() error {
	var errs []error
	if c.Limits.AttachmentBytes <= 0 {
		errs = append(errs, fmt.Errorf("%w: limits.attachment_bytes: must be greater than zero", ErrInvalid))
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("%w: log.level: %q is not one of debug, info, warn, error", ErrInvalid, c.Log.Level))
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("%w: log.format: %q is not one of text, json", ErrInvalid, c.Log.Format))
	}
	// The packages that own these settings check them; their errors name
	// the key and wrap their own ErrInvalid.
	for _, err := range []error{c.Config.Validate(), c.KB.Validate(), c.Limits.Validate(), c.Slack.Validate(),
		c.Discord.Validate(), c.Redis.Validate(), c.Stats.Validate(), c.HTTP.Validate()} {
		if err != nil {
			errs = append(errs, owned{err})
		}
	}
	return errors.Join(errs...)
}

// SlackEnabled reports whether enough is set to run the Slack adapter.
func (c *Config) SlackEnabled() bool { return c.Slack.Enabled() }

// DiscordEnabled reports whether enough is set to run the Discord adapter.
func (c *Config) DiscordEnabled() bool { return c.Discord.Enabled() }

// owned is a setting error from the package that owns the key: its text
// as it is, and errors.Is(err, ErrInvalid) holds.
type owned struct{ err error }

func (o owned) Error() string        { return o.err.Error() }
func (o owned) Unwrap() error        { return o.err }
func (o owned) Is(target error) bool { return target == ErrInvalid }

// Missing explains, for `vssbot serve` with no platform configured, which
// settings would enable one.
func (c *Config) Missing() string {
	return "no chat platform is configured. Set, for Slack in Socket Mode: slack.bot_token " +
		"(VSSBOT_SLACK_BOT_TOKEN) and slack.app_token (VSSBOT_SLACK_APP_TOKEN); for Slack over HTTP: " +
		"slack.bot_token, slack.signing_secret and slack.mode=http; for Discord: discord.token " +
		"(VSSBOT_DISCORD_TOKEN) and discord.app_id (VSSBOT_DISCORD_APP_ID). " +
		"To try the bot without a workspace, run `vssbot chat`."
}
