package slacktest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackutilsx"
)

// Event is an inner Events API event as Slack sends it: a message (Type
// "message", with a Subtype for edits, joins, file shares...) or an
// app_mention.
type Event struct {
	Type        string       `json:"type"`
	Subtype     string       `json:"subtype,omitempty"`
	Channel     string       `json:"channel"`
	ChannelType string       `json:"channel_type,omitempty"` // channel, group, im, mpim
	User        string       `json:"user,omitempty"`
	BotID       string       `json:"bot_id,omitempty"`
	Text        string       `json:"text"`
	TS          string       `json:"ts"`
	ThreadTS    string       `json:"thread_ts,omitempty"`
	EventTS     string       `json:"event_ts,omitempty"`
	Files       []slack.File `json:"files,omitempty"`
	Upload      bool         `json:"upload,omitempty"`
	Team        string       `json:"team,omitempty"`
}

// Escape escapes text as Slack does in a message's text field.
func Escape(text string) string { return slackutilsx.EscapeMessage(text) }

// EventBody is the Events API request body (event_callback) carrying event,
// as posted to a request URL and as the payload of a Socket Mode envelope.
func EventBody(eventID string, event any) ([]byte, error) {
	if e, ok := event.(Event); ok && e.EventTS == "" {
		e.EventTS = e.TS
		event = e
	}
	inner, err := json.Marshal(event)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{
		"token":                 "legacy-verification-token",
		"team_id":               TeamID,
		"api_app_id":            AppID,
		"event":                 json.RawMessage(inner),
		"type":                  "event_callback",
		"event_id":              eventID,
		"event_time":            time.Now().Unix(),
		"event_context":         "4-fake",
		"is_ext_shared_channel": false,
		"authorizations": []map[string]any{{
			"team_id": TeamID, "user_id": BotUserID, "is_bot": true, "is_enterprise_install": false,
		}},
	})
}

// CommandForm is a slash command as Slack posts it to the request URL.
func CommandForm(cmd slack.SlashCommand) url.Values {
	return url.Values{
		"token":        {"legacy-verification-token"},
		"team_id":      {cmd.TeamID},
		"team_domain":  {cmd.TeamDomain},
		"channel_id":   {cmd.ChannelID},
		"channel_name": {cmd.ChannelName},
		"user_id":      {cmd.UserID},
		"user_name":    {cmd.UserName},
		"command":      {cmd.Command},
		"text":         {cmd.Text},
		"api_app_id":   {cmd.APIAppID},
		"response_url": {cmd.ResponseURL},
		"trigger_id":   {cmd.TriggerID},
	}
}

// Signature is Slack's request signature: v0= and the hex HMAC-SHA256 of
// "v0:<timestamp>:<body>" keyed with the signing secret.
func Signature(secret string, ts time.Time, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	_, _ = mac.Write([]byte("v0:" + strconv.FormatInt(ts.Unix(), 10) + ":"))
	_, _ = mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// SignedRequest builds a POST to a request URL signed as Slack signs it, at
// time ts.
func SignedRequest(ctx context.Context, target, secret string, ts time.Time, contentType string, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set("X-Slack-Signature", Signature(secret, ts, body))
	return req, nil
}

// Deliver posts body to target signed with secret as Slack does, now;
// retry > 0 marks it as Slack's retry number retry. Anything but 200 is
// an error, as Slack counts it.
func Deliver(ctx context.Context, target, secret, contentType string, body []byte, retry int) error {
	req, err := SignedRequest(ctx, target, secret, time.Now(), contentType, body)
	if err != nil {
		return err
	}
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	// A connection of its own: a kept-alive one that the server closes as
	// idle just as the POST goes out fails it, and a POST is not retried.
	req.Close = true
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("post %s: %w", target, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("post %s: status %d", target, resp.StatusCode)
	}
	return nil
}
