package discordtest

import (
	"encoding/json"
	"net/http"
	"time"
)

// route answers the REST calls the adapter makes, with Discord's shapes.
func (s *Server) route(w http.ResponseWriter, method string, p []string, body []byte) {
	switch {
	case method == "GET" && match(p, "gateway"):
		writeJSON(w, 200, map[string]any{"url": s.GatewayURL()})
	case method == "GET" && match(p, "gateway", "bot"):
		writeJSON(w, 200, map[string]any{
			"url": s.GatewayURL(), "shards": 1,
			"session_start_limit": map[string]int{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
		})
	case method == "GET" && match(p, "users", "@me"):
		writeJSON(w, 200, s.botUser())
	case method == "GET" && match(p, "channels", "*"):
		s.mu.Lock()
		c, ok := s.channels[p[1]]
		s.mu.Unlock()
		if !ok {
			apiError(w, 404, 10003, "Unknown Channel")
			return
		}
		writeJSON(w, 200, c)
	case method == "POST" && match(p, "channels", "*", "messages"):
		s.postMessage(w, p[1], body)
	case method == "POST" && match(p, "channels", "*", "messages", "*", "threads"):
		s.startThread(w, p[1], p[3], body)
	case method == "POST" && match(p, "interactions", "*", "*", "callback"):
		var cb struct {
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(body, &cb); err != nil {
			apiError(w, 400, 50109, "The request body contains invalid JSON.")
			return
		}
		if len(cb.Data) > 0 && string(cb.Data) != "null" && CheckMessage(cb.Data) != "" {
			apiError(w, 400, 50035, "Invalid Form Body: "+CheckMessage(cb.Data))
			return
		}
		s.gw.markAnswered(p[2])
		w.WriteHeader(http.StatusNoContent)
	case method == "DELETE" && match(p, "webhooks", "*", "*", "messages", "@original"):
		if p[1] != s.AppID || !s.gw.wasAnswered(p[2]) {
			apiError(w, 404, 10015, "Unknown Webhook")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case method == "PATCH" && match(p, "webhooks", "*", "*", "messages", "@original"):
		if p[1] != s.AppID || !s.gw.wasAnswered(p[2]) {
			apiError(w, 404, 10015, "Unknown Webhook")
			return
		}
		if why := CheckMessage(body); why != "" {
			apiError(w, 400, 50035, "Invalid Form Body: "+why)
			return
		}
		writeJSON(w, 200, s.message("", body))
	case method == "POST" && match(p, "webhooks", "*", "*"):
		if p[1] != s.AppID || !s.gw.wasAnswered(p[2]) {
			apiError(w, 404, 10015, "Unknown Webhook")
			return
		}
		if why := CheckMessage(body); why != "" {
			apiError(w, 400, 50035, "Invalid Form Body: "+why)
			return
		}
		writeJSON(w, 200, s.message("", body))
	case method == "PUT" && (match(p, "applications", "*", "commands") || match(p, "applications", "*", "guilds", "*", "commands")):
		if p[1] != s.AppID {
			apiError(w, 403, 50035, "Invalid Form Body")
			return
		}
		var cmds []map[string]any
		if err := json.Unmarshal(body, &cmds); err != nil {
			apiError(w, 400, 50109, "The request body contains invalid JSON.")
			return
		}
		for _, c := range cmds {
			c["id"], c["application_id"], c["version"] = s.NewID(), s.AppID, s.NewID()
		}
		writeJSON(w, 200, cmds)
	default:
		apiError(w, 404, 0, "404: Not Found")
	}
}

// match compares path segments with a pattern; "*" matches any segment.
func match(p []string, pattern ...string) bool {
	if len(p) != len(pattern) {
		return false
	}
	for i := range p {
		if pattern[i] != "*" && pattern[i] != p[i] {
			return false
		}
	}
	return true
}

func (s *Server) botUser() map[string]any {
	return map[string]any{"id": s.BotID, "username": "vssbot", "discriminator": "0", "bot": true}
}

func (s *Server) postMessage(w http.ResponseWriter, channel string, body []byte) {
	s.mu.Lock()
	_, ok := s.channels[channel]
	s.mu.Unlock()
	if !ok {
		apiError(w, 404, 10003, "Unknown Channel")
		return
	}
	var m struct {
		Content string            `json:"content"`
		Embeds  []json.RawMessage `json:"embeds"`
	}
	if err := json.Unmarshal(body, &m); err != nil || (m.Content == "" && len(m.Embeds) == 0) {
		apiError(w, 400, 50006, "Cannot send an empty message")
		return
	}
	if why := CheckMessage(body); why != "" {
		apiError(w, 400, 50035, "Invalid Form Body: "+why)
		return
	}
	writeJSON(w, 200, s.message(channel, body))
}

// message echoes a sent message the way Discord returns it.
func (s *Server) message(channel string, body []byte) map[string]any {
	m := map[string]any{}
	_ = json.Unmarshal(body, &m)
	m["id"], m["channel_id"], m["type"] = s.NewID(), channel, 0
	m["author"] = s.botUser()
	m["timestamp"] = time.Now().UTC().Format(time.RFC3339)
	delete(m, "allowed_mentions")
	return m
}

func (s *Server) startThread(w http.ResponseWriter, channel, msg string, body []byte) {
	var req struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Name == "" || len([]rune(req.Name)) > 100 {
		apiError(w, 400, 50035, "Invalid Form Body")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	parent, ok := s.channels[channel]
	switch {
	case !ok:
		apiError(w, 404, 10003, "Unknown Channel")
	case parent.Type == DM:
		apiError(w, 400, 50024, "Cannot execute action on this channel type")
	case s.denyThreads[channel] != 0:
		apiError(w, 403, s.denyThreads[channel], "Missing Permissions")
	case s.channels[msg] != nil:
		apiError(w, 400, 160004, "A thread has already been created for this message")
	default:
		// A thread started on a message takes the message's id.
		th := &Channel{ID: msg, Type: PublicThread, GuildID: parent.GuildID, ParentID: channel, Name: req.Name}
		s.channels[msg] = th
		writeJSON(w, 201, th)
	}
}
