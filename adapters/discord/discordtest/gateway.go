package discordtest

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Identify is a recorded op 2 payload.
type Identify struct {
	Token    string  `json:"token"`
	Intents  int     `json:"intents"`
	Shard    *[2]int `json:"shard"`
	Compress bool    `json:"compress"`
}

// IntentMessageContent is the privileged Message Content intent bit.
const IntentMessageContent = 1 << 15

// HeartbeatInterval is what op 10 Hello announces, in milliseconds.
const HeartbeatInterval = 41250

type frame struct {
	Op   int             `json:"op"`
	Data json.RawMessage `json:"d"`
	Seq  *int64          `json:"s"`
	Type *string         `json:"t"`
}

// gateway is the fake's websocket side: one live connection at a time,
// a session that can be resumed, and every dispatch kept for replay.
type gateway struct {
	s        *Server
	upgrader websocket.Upgrader

	mu         sync.Mutex // also serialises writes, so replays keep order
	live       *websocket.Conn
	all        []*websocket.Conn
	sessionID  string
	seq        int64
	history    []frame
	identifies []Identify
	resumes    int
	sessions   int // READY or RESUMED sent
	disallowed int
	answered   map[string]time.Time
}

func (g *gateway) init(s *Server) {
	g.s = s
	g.answered = map[string]time.Time{}
}

// DisallowIntents makes Identify with any of these intent bits fail with
// close code 4014, as Discord does for privileged intents not enabled.
func (s *Server) DisallowIntents(mask int) {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	s.gw.disallowed = mask
}

// Identifies returns the Identify payloads received so far.
func (s *Server) Identifies() []Identify {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return append([]Identify(nil), s.gw.identifies...)
}

// Resumes counts the successful op 6 Resumes.
func (s *Server) Resumes() int {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return s.gw.resumes
}

// AwaitSessions waits until n sessions were established (READY or RESUMED).
func (s *Server) AwaitSessions(ctx context.Context, n int) error {
	for {
		s.gw.mu.Lock()
		done := s.gw.sessions >= n
		s.gw.mu.Unlock()
		if done {
			return nil
		}
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return fmt.Errorf("await %d gateway sessions: %w", n, ctx.Err())
		case <-ch:
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Drop cuts the live gateway connection without a close frame, as a
// network failure would; the session stays resumable.
func (s *Server) Drop() {
	g := &s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.live != nil {
		g.live.UnderlyingConn().Close()
		g.live = nil
	}
}

// Dispatch sends an op 0 event with the next sequence number to the live
// connection, or keeps it for the next resume when there is none.
func (s *Server) Dispatch(event string, data any) (int64, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return 0, fmt.Errorf("dispatch %s: %w", event, err)
	}
	g := &s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seq++
	seq, typ := g.seq, event
	f := frame{Op: 0, Data: raw, Seq: &seq, Type: &typ}
	g.history = append(g.history, f)
	if g.live != nil {
		if err := g.live.WriteJSON(f); err != nil {
			g.live = nil // replayed on resume
		}
	}
	return seq, nil
}

func (g *gateway) markAnswered(token string) {
	g.mu.Lock()
	if _, ok := g.answered[token]; !ok {
		g.answered[token] = time.Now()
	}
	g.mu.Unlock()
}

func (g *gateway) wasAnswered(token string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	_, ok := g.answered[token]
	return ok
}

// AnsweredAt is when the interaction with this token got its callback.
func (s *Server) AnsweredAt(token string) (time.Time, bool) {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	t, ok := s.gw.answered[token]
	return t, ok
}

func (g *gateway) closeAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, c := range g.all {
		c.Close()
	}
	g.live = nil
}

func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	if q := r.URL.Query(); q.Get("encoding") != "json" {
		http.Error(w, "encoding must be json", http.StatusBadRequest)
		return
	}
	c, err := g.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	g.mu.Lock()
	g.all = append(g.all, c)
	err = c.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": HeartbeatInterval}, "s": nil, "t": nil})
	g.mu.Unlock()
	if err != nil {
		c.Close()
		return
	}
	defer c.Close()
	for {
		var f frame
		if err := c.ReadJSON(&f); err != nil {
			return
		}
		if !g.handle(c, f) {
			return
		}
	}
}

// handle answers one client frame; false ends the connection.
func (g *gateway) handle(c *websocket.Conn, f frame) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	defer g.s.notify()
	switch f.Op {
	case 1:
		return c.WriteJSON(map[string]any{"op": 11}) == nil
	case 2:
		var id Identify
		if json.Unmarshal(f.Data, &id) != nil {
			return closeWith(c, 4002, "Error while decoding payload.")
		}
		g.identifies = append(g.identifies, id)
		switch {
		case id.Token != "Bot "+g.s.Token:
			return closeWith(c, 4004, "Authentication failed.")
		case id.Intents&g.disallowed != 0:
			return closeWith(c, 4014, "Disallowed intent(s).")
		}
		g.sessionID = fmt.Sprintf("session-%d", len(g.identifies))
		g.live = c
		g.sessions++
		return g.ready(c, id) == nil
	case 6:
		var rs struct {
			SessionID string `json:"session_id"`
			Seq       int64  `json:"seq"`
		}
		if json.Unmarshal(f.Data, &rs) != nil || rs.SessionID == "" || rs.SessionID != g.sessionID {
			return c.WriteJSON(map[string]any{"op": 9, "d": false}) == nil
		}
		for _, h := range g.history {
			if *h.Seq > rs.Seq {
				if c.WriteJSON(h) != nil {
					return false
				}
			}
		}
		g.seq++
		seq, typ := g.seq, "RESUMED"
		g.live = c
		g.resumes++
		g.sessions++
		return c.WriteJSON(frame{Op: 0, Data: json.RawMessage(`{}`), Seq: &seq, Type: &typ}) == nil
	}
	return true
}

// ready sends READY, zlib-compressed when Identify asked for compression,
// as Discord does for large payloads.
func (g *gateway) ready(c *websocket.Conn, id Identify) error {
	g.seq++
	d := map[string]any{
		"v": 10, "session_id": g.sessionID, "resume_gateway_url": g.s.GatewayURL(),
		"user": g.s.botUser(), "guilds": []any{}, "private_channels": []any{},
		"application": map[string]any{"id": g.s.AppID, "flags": 0},
	}
	if id.Shard != nil {
		d["shard"] = id.Shard
	}
	b, _ := json.Marshal(map[string]any{"op": 0, "s": g.seq, "t": "READY", "d": d})
	if !id.Compress {
		return c.WriteMessage(websocket.TextMessage, b)
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(b)
	zw.Close()
	return c.WriteMessage(websocket.BinaryMessage, z.Bytes())
}

func closeWith(c *websocket.Conn, code int, text string) bool {
	c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	return false
}

func (s *Server) notify() {
	s.mu.Lock()
	s.notifyLocked()
	s.mu.Unlock()
}

// MarkAnswered records an interaction as answered, for responses that
// reach Discord as the HTTP answer of an interactions endpoint rather than
// as a callback.
func (s *Server) MarkAnswered(token string) {
	s.gw.markAnswered(token)
	s.notify()
}

// InvalidateSession sends op 9 (invalid session, not resumable) on the live
// connection and forgets the session, so the client must identify again.
func (s *Server) InvalidateSession() error {
	g := &s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sessionID = ""
	if g.live == nil {
		return fmt.Errorf("invalidate session: no live connection")
	}
	return g.live.WriteJSON(map[string]any{"op": 9, "d": false, "s": nil, "t": nil})
}

// CloseLive closes the live connection with a close frame carrying code,
// as Discord does when it ends a session.
func (s *Server) CloseLive(code int, text string) {
	g := &s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.live != nil {
		closeWith(g.live, code, text)
		g.live.Close()
		g.live = nil
	}
}
