// Package slacktest is a fake Slack for tests and measurements: the Web API
// methods the bot calls, private file downloads, slash command response
// URLs and the Socket Mode websocket, served on loopback in Slack's wire
// format (form-encoded Web API requests as slack-go sends them, JSON
// answers, Socket Mode envelopes), so the real slack-go client can be driven
// against it. It records what the bot did for assertions and can be told to
// misbehave: answer 429 with Retry-After, send the sign-in page instead of a
// file, lack a scope, drop the websocket.
package slacktest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// The workspace the fake serves.
const (
	BotToken  = "xoxb-test-bot-token"
	AppToken  = "xapp-test-app-token"
	BotUserID = "UVSSBOT"
	BotID     = "BVSSBOT"
	TeamID    = "TTEST"
	AppID     = "ATEST"
)

// Call is one request the fake received.
type Call struct {
	Method string     // Web API method, or "files.download", "response_url"
	Form   url.Values // form fields, the token removed
	Auth   string     // the token that came with it, from the form or the Authorization header
	Status int        // HTTP status answered
	Error  string     // Slack error code answered, if any
	At     time.Time

	post *Post // the message the call posted, recorded with it
}

// Post is a message the bot posted, however it did.
type Post struct {
	Method       string // chat.postMessage, chat.postEphemeral or response_url
	Channel      string
	User         string // chat.postEphemeral's recipient
	TS           string // assigned by the fake; empty for response_url
	ThreadTS     string
	Text         string
	ResponseType string          // response_url only
	Blocks       json.RawMessage // as sent
	URL          string          // the response_url posted to
	At           time.Time
	// Replaced counts replace_original answers to button presses on it.
	Replaced int
}

// Content is the post's text followed by every text in its blocks, for
// assertions on what a user would read.
func (p Post) Content() string {
	texts := []string{p.Text}
	var blocks any
	if json.Unmarshal(p.Blocks, &blocks) == nil {
		texts = collectText(blocks, texts)
	}
	return strings.Join(texts, "\n")
}

func collectText(v any, out []string) []string {
	switch v := v.(type) {
	case map[string]any:
		if s, ok := v["text"].(string); ok {
			out = append(out, s)
		}
		for k, x := range v {
			if k != "text" || !isString(x) {
				out = collectText(x, out)
			}
		}
	case []any:
		for _, x := range v {
			out = collectText(x, out)
		}
	}
	return out
}

func isString(v any) bool { _, ok := v.(string); return ok }

// Fault is a misbehaviour injected into a call of a method. The zero Fault
// lets its call through untouched, to aim a later fault at a later call.
type Fault struct {
	Status     int    // HTTP status, e.g. 429; 0 means 200 with Error
	RetryAfter int    // seconds, sent as Retry-After with a 429
	Error      string // Slack error code in an {"ok":false} answer
	Needed     string // the "needed" field of a missing_scope error
	// Stall holds the call this long before answering (normally, unless
	// another field says otherwise); a client that goes away meanwhile
	// (a killed replica) leaves no trace but the call.
	Stall time.Duration
}

// Server is the fake Slack. Its methods are safe for concurrent use.
type Server struct {
	srv      *httptest.Server
	upgrader websocket.Upgrader

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change
	calls   []Call
	posts   []Post
	acks    []Ack
	ackByID map[string]Ack
	files   map[string]*File
	faults  map[string][]Fault
	missing map[string]bool // scopes taken away
	live    *conn           // the websocket events go to
	opened  int             // websocket connections accepted so far
	uses    map[string]int  // response_url -> posts
	// replaces maps an interaction's response_url path to the ts of the
	// post whose button was pressed.
	replaces map[string]string
	pending  map[string]int    // calls held by a Stall, by method
	locales  map[string]string // user -> locale users.info tells; en-US otherwise
	seq      int
}

// SetLocale sets the locale users.info reports for user.
func (s *Server) SetLocale(user, locale string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.locales == nil {
		s.locales = map[string]string{}
	}
	s.locales[user] = locale
}

func (s *Server) locale(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.locales[user]; ok {
		return l
	}
	return "en-US"
}

// New starts a fake Slack on loopback; Close stops it.
func New() *Server {
	s := &Server{
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
		changed:  make(chan struct{}),
		files:    make(map[string]*File),
		faults:   make(map[string][]Fault),
		missing:  make(map[string]bool),
		uses:     make(map[string]int),
		ackByID:  make(map[string]Ack),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/link/", s.serveLink)
	mux.HandleFunc("/files-pri/", s.serveFile)
	mux.HandleFunc("/signin", serveSignIn)
	mux.HandleFunc("/commands/", s.serveResponseURL)
	mux.HandleFunc("/actions/", s.serveResponseURL)
	s.srv = httptest.NewServer(mux)
	return s
}

// Close drops every connection and stops the server.
func (s *Server) Close() {
	s.DropConnections()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// URL is the Web API's base URL, the value of slack.api_url.
func (s *Server) URL() string { return s.srv.URL + "/api/" }

// Inject queues faults for a method ("chat.postMessage", "files.download",
// "response_url", ...): each of its next calls answers with one of them.
func (s *Server) Inject(method string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], faults...)
}

// RemoveScope takes a scope away from the bot token: methods needing it
// answer missing_scope, and without files:read downloads get the sign-in
// page, as on Slack.
func (s *Server) RemoveScope(scope string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.missing[scope] = true
}

func (s *Server) lacks(scope string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.missing[scope]
}

// Calls returns the requests received so far, of the given methods or all.
func (s *Server) Calls(methods ...string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if len(methods) == 0 || slices.Contains(methods, c.Method) {
			out = append(out, c)
		}
	}
	return out
}

// Posts returns the messages posted so far, in order.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Post(nil), s.posts...)
}

// PostCount is the number of messages posted so far.
func (s *Server) PostCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.posts)
}

// Wait blocks until cond holds or ctx is done. cond is checked after every
// change the fake records.
func (s *Server) Wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitPosts waits for at least n posts and returns them all.
func (s *Server) WaitPosts(ctx context.Context, n int) ([]Post, error) {
	err := s.Wait(ctx, func() bool { return len(s.Posts()) >= n })
	return s.Posts(), err
}

// touch wakes waiters after a change. s.mu is held.
func (s *Server) touch() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// record keeps a call, and the message it posted if any, together: a test
// that sees the post sees the call.
func (s *Server) record(c Call) {
	c.At = time.Now()
	c.Form.Del("token")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	if c.post != nil {
		c.post.At = c.At
		s.posts = append(s.posts, *c.post)
	}
	s.touch()
}

// newPost gives a chat.* message its ts.
func (s *Server) newPost(p Post) *Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	p.TS = strconv.FormatInt(1700000000+int64(s.seq), 10) + ".000100"
	return &p
}

// fault pops the next fault queued for method; ok is false when there is
// none, or it is the zero Fault that lets the call through.
func (s *Server) fault(method string) (f Fault, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[method]
	if len(q) == 0 {
		return Fault{}, false
	}
	s.faults[method] = q[1:]
	return q[0], q[0] != Fault{}
}

// writeFault answers with f and reports the status and error sent.
func writeFault(w http.ResponseWriter, f Fault) (int, string) {
	if f.Status != 0 && f.Status != http.StatusOK {
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		}
		code := f.Error
		if code == "" && f.Status == http.StatusTooManyRequests {
			code = "ratelimited"
		}
		writeJSON(w, f.Status, map[string]any{"ok": false, "error": code})
		return f.Status, code
	}
	writeError(w, f.Error, f.Needed)
	return http.StatusOK, f.Error
}

func writeError(w http.ResponseWriter, code, needed string) {
	body := map[string]any{"ok": false, "error": code}
	if needed != "" {
		body["needed"] = needed
		body["provided"] = "app_mentions:read,chat:write"
	}
	writeJSON(w, http.StatusOK, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
