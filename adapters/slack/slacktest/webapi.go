package slacktest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// scopeOf names the scope each bot-token method needs.
func scopeOf(method string) string {
	switch method {
	case "chat.postMessage", "chat.postEphemeral":
		return "chat:write"
	case "reactions.add", "reactions.remove":
		return "reactions:write"
	case "files.info":
		return "files:read"
	case "users.info":
		return "users:read"
	}
	return ""
}

// serveAPI answers Web API methods: POST /api/<method>, form-encoded, the
// token in the form or as a Bearer header.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	form, _ := url.ParseQuery(string(body))
	if form == nil {
		form = url.Values{}
	}
	for k, v := range r.URL.Query() {
		form[k] = v
	}
	c := Call{Method: method, Form: form, Auth: token(r, form), Status: http.StatusOK}
	defer func() { s.record(c) }()

	if f, ok := s.fault(method); ok {
		if f.Stall > 0 {
			if !s.stall(r, method, f.Stall) {
				c.Status, c.Error = 0, "client_gone"
				return
			}
			f.Stall = 0
		}
		if f != (Fault{}) {
			c.Status, c.Error = writeFault(w, f)
			return
		}
	}
	want := BotToken
	if method == "apps.connections.open" {
		want = AppToken
	}
	switch {
	case c.Auth == "":
		c.Error = "not_authed"
	case c.Auth != want && strings.HasPrefix(c.Auth, want[:5]):
		c.Error = "invalid_auth"
	case c.Auth != want:
		c.Error = "not_allowed_token_type"
	case scopeOf(method) != "" && s.lacks(scopeOf(method)):
		writeError(w, "missing_scope", scopeOf(method))
		c.Error = "missing_scope"
		return
	}
	if c.Error != "" {
		writeError(w, c.Error, "")
		return
	}
	if res, code := s.method(&c); code != "" {
		c.Error = code
		writeError(w, code, "")
	} else {
		res["ok"] = true
		writeJSON(w, http.StatusOK, res)
	}
}

// method runs one Web API call, returning its answer or an error code.
func (s *Server) method(c *Call) (map[string]any, string) {
	form := c.Form
	switch c.Method {
	case "auth.test":
		return map[string]any{
			"url": "http://fake.slack.test/", "team": "Test", "user": "vssbot",
			"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID,
		}, ""
	case "apps.connections.open":
		s.mu.Lock()
		s.seq++
		n := s.seq
		s.mu.Unlock()
		return map[string]any{"url": "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/link/?ticket=" + strconv.Itoa(n)}, ""
	case "chat.postMessage", "chat.postEphemeral":
		return s.chat(c)
	case "users.info":
		user := form.Get("user")
		if user == "" {
			return nil, "user_not_found"
		}
		u := map[string]any{"id": user, "team_id": TeamID, "name": strings.ToLower(user)}
		if form.Get("include_locale") == "true" {
			u["locale"] = s.locale(user)
		}
		return map[string]any{"user": u}, ""
	case "reactions.add", "reactions.remove":
		if form.Get("channel") == "" || form.Get("timestamp") == "" || form.Get("name") == "" {
			return nil, "invalid_arguments"
		}
		return map[string]any{}, ""
	case "files.info":
		f := s.file(form.Get("file"))
		if f == nil {
			return nil, "file_not_found"
		}
		return map[string]any{"file": s.fileObject(f), "comments": []any{}, "response_metadata": map[string]any{"next_cursor": ""}}, ""
	}
	return nil, "unknown_method"
}

func (s *Server) chat(c *Call) (map[string]any, string) {
	form := c.Form
	channel := form.Get("channel")
	if channel == "" {
		return nil, "channel_not_found"
	}
	if form.Get("text") == "" && form.Get("blocks") == "" {
		return nil, "no_text"
	}
	if b := form.Get("blocks"); b != "" && !json.Valid([]byte(b)) {
		return nil, "invalid_blocks"
	}
	if code := CheckMessage(form.Get("text"), json.RawMessage(form.Get("blocks"))); code != "" {
		return nil, code
	}
	p := s.newPost(Post{
		Method:   c.Method,
		Channel:  channel,
		User:     form.Get("user"),
		ThreadTS: form.Get("thread_ts"),
		Text:     form.Get("text"),
		Blocks:   json.RawMessage(form.Get("blocks")),
	})
	c.post = p
	if c.Method == "chat.postEphemeral" {
		return map[string]any{"message_ts": p.TS}, ""
	}
	return map[string]any{
		"channel": channel,
		"ts":      p.TS,
		"message": map[string]any{"type": "message", "user": BotUserID, "bot_id": BotID, "text": p.Text, "ts": p.TS},
	}, ""
}

// stall holds a call for d, counted as pending meanwhile; false when the
// client went away first.
func (s *Server) stall(r *http.Request, method string, d time.Duration) bool {
	s.mu.Lock()
	if s.pending == nil {
		s.pending = map[string]int{}
	}
	s.pending[method]++
	s.touch()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.pending[method]--
		s.touch()
		s.mu.Unlock()
	}()
	select {
	case <-time.After(d):
		return true
	case <-r.Context().Done():
		return false
	}
}

// Pending is the number of calls of method held by a Stall right now.
func (s *Server) Pending(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending[method]
}

// token finds the token a request carries.
func token(r *http.Request, form url.Values) string {
	if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return t
	}
	return form.Get("token")
}

// serveResponseURL takes a slash command's response_url posts: JSON, at
// most five per URL.
func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	c := Call{Method: "response_url", Form: url.Values{}, Status: http.StatusOK}
	defer func() { s.record(c) }()
	if f, ok := s.fault("response_url"); ok {
		c.Status, c.Error = writeFault(w, f)
		return
	}
	var msg struct {
		Text         string          `json:"text"`
		ResponseType string          `json:"response_type"`
		ThreadTS     string          `json:"thread_ts"`
		Blocks       json.RawMessage `json:"blocks"`
		// ReplaceOriginal, to an interaction's response_url, edits the
		// message whose button was pressed.
		ReplaceOriginal bool `json:"replace_original"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&msg); err != nil {
		c.Status, c.Error = http.StatusBadRequest, "invalid_payload"
		http.Error(w, c.Error, c.Status)
		return
	}
	if code := CheckMessage(msg.Text, msg.Blocks); code != "" {
		// Slack answers a refused response_url post with 400 and the code.
		c.Status, c.Error = http.StatusBadRequest, code
		http.Error(w, c.Error, c.Status)
		return
	}
	s.mu.Lock()
	s.uses[r.URL.Path]++
	used := s.uses[r.URL.Path]
	replaced := used <= 5 && msg.ReplaceOriginal && s.replace(r.URL.Path, msg.Text, msg.Blocks)
	s.mu.Unlock()
	if used > 5 {
		c.Status, c.Error = http.StatusNotFound, "used_url"
		http.Error(w, c.Error, c.Status)
		return
	}
	if replaced {
		c.Form.Set("replace_original", "true")
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		return
	}
	c.post = &Post{
		Method: "response_url", URL: s.srv.URL + r.URL.Path, Text: msg.Text,
		ResponseType: msg.ResponseType, ThreadTS: msg.ThreadTS, Blocks: msg.Blocks,
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// NewResponseURL returns a fresh response_url for a slash command.
func (s *Server) NewResponseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return s.srv.URL + "/commands/" + TeamID + "/" + strconv.Itoa(s.seq) + "/fake"
}
