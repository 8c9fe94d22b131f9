// Package discordtest is a fake Discord for tests: REST, the attachment
// CDN and the gateway websocket on a loopback httptest server, speaking the
// JSON wire shapes discordgo reads and writes, and recording every request.
// Tests drive it by dispatching gateway events and by arming failures
// (429s, refused threads, dropped connections, 4014 closes).
package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Channel types, as Discord numbers them.
const (
	GuildText     = 0
	DM            = 1
	PublicThread  = 11
	PrivateThread = 12
)

// Request is one recorded REST call. Calls are recorded once answered (so
// whatever a test awaited has taken effect), in the order they finished.
type Request struct {
	Method string
	Path   string // without the API prefix, e.g. "channels/10/messages"
	Body   []byte
	At     time.Time // arrival
	// Limited is set when the fake answered 429 instead of serving it.
	Limited bool
}

// Decode unmarshals the request body into v.
func (r Request) Decode(v any) error { return json.Unmarshal(r.Body, v) }

// Channel is a channel the fake knows.
type Channel struct {
	ID       string `json:"id"`
	Type     int    `json:"type"`
	GuildID  string `json:"guild_id,omitempty"`
	ParentID string `json:"parent_id,omitempty"`
	Name     string `json:"name,omitempty"`
}

// Server is a fake Discord. Its zero value is not usable: call New.
type Server struct {
	// Token is the bot token the fake accepts ("Bot " prefixed on the wire).
	Token string
	AppID string
	// BotID is the bot's own user id, sent in READY and users/@me.
	BotID string

	srv *httptest.Server

	mu          sync.Mutex
	changed     chan struct{} // closed and replaced whenever something is recorded
	requests    []Request
	channels    map[string]*Channel
	files       map[string][]byte
	denyThreads map[string]int // channel -> Discord error code
	limits      []rateLimit
	nextID      int64

	gw gateway
}

type rateLimit struct {
	method, prefix string
	left           int
	retryAfter     time.Duration
}

// New starts a fake Discord; Close stops it.
func New() *Server {
	s := &Server{
		Token:       "test-token",
		AppID:       "100000000000000001",
		BotID:       "100000000000000002",
		changed:     make(chan struct{}),
		channels:    map[string]*Channel{},
		files:       map[string][]byte{},
		denyThreads: map[string]int{},
		nextID:      200000000000000000,
	}
	s.gw.init(s)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.gw.serve) // the gateway lives at its host's root, like Discord's
	mux.HandleFunc("GET /attachments/{id}/{name}", s.serveFile)
	mux.HandleFunc("/api/v10/", s.serveAPI)
	s.srv = httptest.NewServer(mux)
	return s
}

// Close stops the server and its gateway connections.
func (s *Server) Close() {
	s.gw.closeAll()
	s.srv.Close()
}

// APIURL is the REST base to put in discord.api_url.
func (s *Server) APIURL() string { return s.srv.URL + "/api/v10/" }

// GatewayURL is the websocket address GET gateway answers.
func (s *Server) GatewayURL() string {
	return "ws" + strings.TrimPrefix(s.srv.URL, "http")
}

// NewID returns a fresh snowflake-like id.
func (s *Server) NewID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newIDLocked()
}

func (s *Server) newIDLocked() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

// AddChannel makes a channel known to GET channels/{id} and message posts.
func (s *Server) AddChannel(c Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[c.ID] = &c
}

// AddFile serves content at a CDN-like attachment URL, which it returns.
func (s *Server) AddFile(name string, content []byte) string {
	id := s.NewID()
	s.mu.Lock()
	s.files[id+"/"+name] = content
	s.mu.Unlock()
	return s.srv.URL + "/attachments/" + id + "/" + name
}

// DenyThreads makes thread creation in channel fail with Discord error
// code (50013 missing permissions, 50001 missing access: HTTP 403).
func (s *Server) DenyThreads(channel string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denyThreads[channel] = code
}

// RateLimit answers the next n requests whose method matches and whose
// path starts with prefix with 429 and retry_after.
func (s *Server) RateLimit(method, prefix string, n int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = append(s.limits, rateLimit{method: method, prefix: prefix, left: n, retryAfter: retryAfter})
}

// Requests returns a copy of what was recorded so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Await waits until a recorded request matches, and returns it with its
// index in Requests.
func (s *Server) Await(ctx context.Context, match func(Request) bool) (Request, int, error) {
	seen := 0
	for {
		s.mu.Lock()
		reqs, ch := s.requests[seen:], s.changed
		for i, r := range reqs {
			if match(r) {
				s.mu.Unlock()
				return r, seen + i, nil
			}
		}
		seen += len(reqs)
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return Request{}, -1, fmt.Errorf("await request: %w", ctx.Err())
		case <-ch:
		}
	}
}

// Is matches requests by method and exact path.
func Is(method, path string) func(Request) bool {
	return func(r Request) bool { return r.Method == method && r.Path == path }
}

func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	b, ok := s.files[r.PathValue("id")+"/"+r.PathValue("name")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// apiError writes Discord's JSON error shape.
func apiError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	path := strings.TrimPrefix(r.URL.Path, "/api/v10/")
	s.mu.Lock()
	limited, isLimited := s.takeLimitLocked(r.Method, path)
	s.mu.Unlock()
	// Recorded once answered, so that what a test awaits has taken effect.
	defer s.record(Request{Method: r.Method, Path: path, Body: body, At: time.Now(), Limited: isLimited})
	if isLimited {
		secs := limited.Seconds()
		w.Header().Set("Retry-After", strconv.FormatFloat(secs, 'f', -1, 64))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{
			"message": "You are being rate limited.", "retry_after": secs, "global": false,
		})
		return
	}
	// Interaction callbacks and webhooks are authenticated by their token.
	if !strings.HasPrefix(path, "interactions/") && !strings.HasPrefix(path, "webhooks/") &&
		r.Header.Get("Authorization") != "Bot "+s.Token {
		apiError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}
	s.route(w, r.Method, strings.Split(path, "/"), body)
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	s.notifyLocked()
}

func (s *Server) takeLimitLocked(method, path string) (time.Duration, bool) {
	for i := range s.limits {
		l := &s.limits[i]
		if l.left > 0 && l.method == method && strings.HasPrefix(path, l.prefix) {
			l.left--
			return l.retryAfter, true
		}
	}
	return 0, false
}
