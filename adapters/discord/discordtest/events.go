package discordtest

import (
	"encoding/json"
	"time"
)

// Message is a user message to dispatch as MESSAGE_CREATE.
type Message struct {
	ChannelID string
	GuildID   string // empty for a DM
	AuthorID  string
	Bot       bool // author is a bot
	Content   string
	// Attachments are served by the fake: name -> content.
	Attachments map[string][]byte
	Mentions    []string // user ids mentioned
}

// SendMessage dispatches MESSAGE_CREATE and returns the message id.
func (s *Server) SendMessage(m Message) (string, error) {
	id := s.NewID()
	author := map[string]any{"id": m.AuthorID, "username": "user" + m.AuthorID, "discriminator": "0"}
	if m.Bot {
		author["bot"] = true
	}
	atts := []any{}
	for name, content := range m.Attachments {
		atts = append(atts, map[string]any{
			"id": s.NewID(), "filename": name, "size": len(content),
			"url": s.AddFile(name, content), "content_type": "text/plain; charset=utf-8",
		})
	}
	mentions := []any{}
	for _, u := range m.Mentions {
		mentions = append(mentions, map[string]any{"id": u, "username": "user" + u, "discriminator": "0"})
	}
	d := map[string]any{
		"id": id, "channel_id": m.ChannelID, "type": 0, "content": m.Content,
		"author": author, "attachments": atts, "embeds": []any{}, "mentions": mentions,
		"timestamp": time.Now().UTC().Format(time.RFC3339Nano), "tts": false, "mention_everyone": false,
	}
	if m.GuildID != "" {
		d["guild_id"] = m.GuildID
		d["member"] = map[string]any{"roles": []any{}, "joined_at": "2024-01-01T00:00:00Z"}
	}
	_, err := s.Dispatch("MESSAGE_CREATE", d)
	return id, err
}

// Command is a /vss invocation.
type Command struct {
	ChannelID string
	GuildID   string // empty for a DM
	UserID    string
	Code      string // the code option; empty leaves it out
	// File, when set, is attached as the file option: name -> content.
	FileName string
	File     []byte
	// Locale is the user's client language; en-US when empty.
	Locale string
}

// Interaction builds the INTERACTION_CREATE payload of c, with fresh id and
// token.
func (s *Server) Interaction(c Command) (payload map[string]any, token string) {
	id, token := s.NewID(), "token-"+s.NewID()
	user := map[string]any{"id": c.UserID, "username": "user" + c.UserID, "discriminator": "0"}
	opts := []any{}
	if c.Code != "" {
		opts = append(opts, map[string]any{"name": "code", "type": 3, "value": c.Code})
	}
	data := map[string]any{"id": s.NewID(), "name": "vss", "type": 1}
	if c.FileName != "" {
		att := s.NewID()
		opts = append(opts, map[string]any{"name": "file", "type": 11, "value": att})
		data["resolved"] = map[string]any{"attachments": map[string]any{att: map[string]any{
			"id": att, "filename": c.FileName, "size": len(c.File), "url": s.AddFile(c.FileName, c.File),
		}}}
	}
	data["options"] = opts
	p := map[string]any{
		"id": id, "application_id": s.AppID, "type": 2, "token": token, "version": 1,
		"channel_id": c.ChannelID, "data": data, "app_permissions": "0", "locale": "en-US",
	}
	if c.Locale != "" {
		p["locale"] = c.Locale
	}
	if c.GuildID != "" {
		p["guild_id"] = c.GuildID
		p["member"] = map[string]any{"user": user, "roles": []any{}, "joined_at": "2024-01-01T00:00:00Z", "permissions": "0"}
	} else {
		p["user"] = user
	}
	return p, token
}

// SendCommand dispatches c as INTERACTION_CREATE and returns its token.
func (s *Server) SendCommand(c Command) (string, error) {
	p, token := s.Interaction(c)
	_, err := s.Dispatch("INTERACTION_CREATE", p)
	return token, err
}

// Click is a user pressing a button on a message the bot sent.
type Click struct {
	ChannelID string
	GuildID   string // empty for a DM
	UserID    string
	// Message is the message as the bot sent it, components included:
	// the body of the recorded request that sent it.
	Message  []byte
	CustomID string // the pressed button's custom_id
}

// ClickInteraction builds the INTERACTION_CREATE payload of a button press
// (type 3, MESSAGE_COMPONENT), with fresh id and token, as Discord sends it
// over the gateway and to an interactions endpoint.
func (s *Server) ClickInteraction(c Click) (payload map[string]any, token string) {
	id, token := s.NewID(), "token-"+s.NewID()
	msg := map[string]any{}
	_ = json.Unmarshal(c.Message, &msg)
	msg["id"], msg["channel_id"], msg["type"] = s.NewID(), c.ChannelID, 0
	msg["author"] = s.botUser()
	msg["timestamp"] = time.Now().UTC().Format(time.RFC3339)
	delete(msg, "allowed_mentions")
	p := map[string]any{
		"id": id, "application_id": s.AppID, "type": 3, "token": token, "version": 1,
		"channel_id": c.ChannelID, "message": msg,
		"data":            map[string]any{"custom_id": c.CustomID, "component_type": 2},
		"app_permissions": "0", "locale": "en-US",
	}
	user := map[string]any{"id": c.UserID, "username": "user" + c.UserID, "discriminator": "0"}
	if c.GuildID != "" {
		p["guild_id"] = c.GuildID
		p["guild_locale"] = "en-US"
		p["member"] = map[string]any{"user": user, "roles": []any{}, "joined_at": "2024-01-01T00:00:00Z", "permissions": "0"}
	} else {
		p["user"] = user
	}
	return p, token
}

// SendClick dispatches a button press as INTERACTION_CREATE and returns its
// token.
func (s *Server) SendClick(c Click) (string, error) {
	p, token := s.ClickInteraction(c)
	_, err := s.Dispatch("INTERACTION_CREATE", p)
	return token, err
}

// Buttons lists the buttons of a sent message: label -> custom_id.
func Buttons(message []byte) map[string]string {
	var m struct {
		Components []struct {
			Components []struct {
				Label    string `json:"label"`
				CustomID string `json:"custom_id"`
			} `json:"components"`
		} `json:"components"`
	}
	out := map[string]string{}
	if json.Unmarshal(message, &m) != nil {
		return out
	}
	for _, row := range m.Components {
		for _, b := range row.Components {
			out[b.Label] = b.CustomID
		}
	}
	return out
}
