package slacktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// ErrNoButton says a post has no button with the action id asked for.
var ErrNoButton = errors.New("slacktest: no such button on the post")

// button is a Block Kit button as found in a post's blocks.
type button struct {
	ActionID string          `json:"action_id"`
	Value    string          `json:"value"`
	Style    string          `json:"style,omitempty"`
	Text     json.RawMessage `json:"text"`
	BlockID  string          `json:"-"`
}

// findButton looks through a post's actions blocks.
func findButton(p Post, actionID string) (button, error) {
	var blocks []struct {
		Type     string   `json:"type"`
		BlockID  string   `json:"block_id"`
		Elements []button `json:"elements"`
	}
	if err := json.Unmarshal(p.Blocks, &blocks); err != nil {
		return button{}, fmt.Errorf("slacktest: post blocks: %w", err)
	}
	for _, b := range blocks {
		if b.Type != "actions" {
			continue
		}
		for _, e := range b.Elements {
			if e.ActionID == actionID {
				e.BlockID = b.BlockID
				return e, nil
			}
		}
	}
	return button{}, ErrNoButton
}

// ClickPayload is the block_actions interaction Slack sends when user
// presses the button actionID on post p: the payload object of a Socket
// Mode "interactive" envelope, and the "payload" form field of an HTTP
// request to the interactivity request URL. Its response_url, on this
// server, replaces the post when told replace_original.
func (s *Server) ClickPayload(p Post, actionID, user string) ([]byte, error) {
	b, err := findButton(p, actionID)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.seq++
	n := s.seq
	path := "/actions/" + TeamID + "/" + strconv.Itoa(n) + "/fake"
	if s.replaces == nil {
		s.replaces = map[string]string{}
	}
	s.replaces[path] = p.TS
	s.mu.Unlock()
	now := strconv.FormatFloat(float64(time.Now().UnixMicro())/1e6, 'f', 6, 64)
	action := map[string]any{
		"type": "button", "action_id": b.ActionID, "block_id": b.BlockID, "value": b.Value,
		"text": b.Text, "action_ts": now,
	}
	if b.Style != "" {
		action["style"] = b.Style
	}
	message := map[string]any{
		"type": "message", "user": BotUserID, "bot_id": BotID, "app_id": AppID, "team": TeamID,
		"ts": p.TS, "text": p.Text, "blocks": p.Blocks,
	}
	container := map[string]any{
		"type": "message", "message_ts": p.TS, "channel_id": p.Channel, "is_ephemeral": p.Method == "chat.postEphemeral",
	}
	if p.ThreadTS != "" {
		message["thread_ts"] = p.ThreadTS
		container["thread_ts"] = p.ThreadTS
	}
	return json.Marshal(map[string]any{
		"type":                  "block_actions",
		"user":                  map[string]any{"id": user, "username": user, "name": user, "team_id": TeamID},
		"api_app_id":            AppID,
		"token":                 "legacy-verification-token",
		"container":             container,
		"trigger_id":            "trigger." + strconv.Itoa(n),
		"team":                  map[string]any{"id": TeamID, "domain": "test"},
		"enterprise":            nil,
		"is_enterprise_install": false,
		"channel":               map[string]any{"id": p.Channel, "name": "support"},
		"message":               message,
		"state":                 map[string]any{"values": map[string]any{}},
		"response_url":          s.srv.URL + path,
		"actions":               []any{action},
	})
}

// InteractionForm is the body of an HTTP interactivity request: the
// payload JSON in a form field, form-encoded.
func InteractionForm(payload []byte) url.Values {
	return url.Values{"payload": {string(payload)}}
}

// SendClick delivers a button press over Socket Mode and returns the
// envelope id.
func (s *Server) SendClick(p Post, actionID, user string) (string, error) {
	payload, err := s.ClickPayload(p, actionID, user)
	if err != nil {
		return "", err
	}
	return s.send(envelope{Type: "interactive", Payload: payload})
}

// Post returns the message with timestamp ts as it stands now, replacements
// through a response_url applied.
func (s *Server) Post(ts string) (Post, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.TS == ts {
			return p, true
		}
	}
	return Post{}, false
}

// replace applies a replace_original answer to the post an interaction's
// response_url belongs to. s.mu is held.
func (s *Server) replace(path, text string, blocks json.RawMessage) bool {
	ts, ok := s.replaces[path]
	if !ok {
		return false
	}
	for i := range s.posts {
		if s.posts[i].TS == ts {
			s.posts[i].Text, s.posts[i].Blocks = text, blocks
			s.posts[i].Replaced++
			return true
		}
	}
	return false
}
