package slack

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/bot"
)

// SettingError is a Slack answer that means a setting is wrong: a token that
// Slack rejects, or an app that lacks a scope. It is not worth retrying.
type SettingError struct {
	Key    string // the setting at fault, e.g. slack.bot_token
	Code   string // Slack's error code, e.g. invalid_auth
	Needed string // for missing_scope: the scope to add
	Err    error
}

func (e *SettingError) Error() string {
	switch e.Code {
	case "missing_scope":
		return fmt.Sprintf("%s: the app lacks the %s scope (missing_scope): add it to the app's bot token scopes and reinstall the app", e.Key, e.Needed)
	case "invalid_auth", "not_authed":
		return fmt.Sprintf("%s: Slack rejected the token (%s): check that it is the app's current token", e.Key, e.Code)
	case "account_inactive", "token_revoked", "app_uninstalled":
		return fmt.Sprintf("%s: the token no longer works (%s): reinstall the app and use its new token", e.Key, e.Code)
	case "not_allowed_token_type":
		return fmt.Sprintf("%s: wrong kind of token (%s): Socket Mode needs an app-level token with connections:write", e.Key, e.Code)
	}
	return fmt.Sprintf("%s: %s", e.Key, e.Code)
}

func (e *SettingError) Unwrap() error { return e.Err }

// explain turns Slack's answers that point at a setting into a SettingError
// naming key; other errors pass unchanged.
func explain(key string, err error) error {
	se, ok := errors.AsType[slackapi.SlackErrorResponse](err)
	if !ok {
		return err
	}
	switch se.Err {
	case "missing_scope", "invalid_auth", "not_authed", "account_inactive", "token_revoked",
		"app_uninstalled", "not_allowed_token_type":
		return &SettingError{Key: key, Code: se.Err, Needed: se.Needed, Err: err}
	}
	return err
}

// defaultRetryAfter is used when Slack answers 429 without saying how long
// to wait.
const defaultRetryAfter = time.Second

// classify sorts a failed call for the engine's retry policy: Slack's 429
// becomes a *bot.RateLimitError, a network failure or a 5xx a temporary
// error; anything else (a Slack error code, a bad setting) passes unchanged
// and is final.
func classify(err error) error {
	if rl, ok := errors.AsType[*slackapi.RateLimitedError](err); ok {
		return &bot.RateLimitError{RetryAfter: rl.RetryAfter, Err: err}
	}
	if sc, ok := errors.AsType[slackapi.StatusCodeError](err); ok {
		switch {
		case sc.Code == http.StatusTooManyRequests:
			return &bot.RateLimitError{RetryAfter: defaultRetryAfter, Err: err}
		case sc.Code >= 500:
			return bot.Temporary(err)
		}
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return bot.Temporary(err)
	}
	return err
}

// classified reports whether err is worth retrying as it is, rather than
// trying another way.
func classified(err error) bool {
	if _, ok := errors.AsType[*bot.RateLimitError](err); ok {
		return true
	}
	_, ok := errors.AsType[*bot.TemporaryError](err)
	return ok
}
