package slacktest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
)

// pingEvery is how often the fake pings a Socket Mode client; slack-go
// reconnects when pings stop for 30 s.
const pingEvery = 5 * time.Second

// ErrNotConnected is returned when an envelope is sent with no client
// connected.
var ErrNotConnected = errors.New("slacktest: no Socket Mode client connected")

// Ack is a Socket Mode acknowledgement the client sent back.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage
	At         time.Time
}

// conn is one Socket Mode websocket; gorilla allows one writer at a time.
type conn struct {
	ws   *websocket.Conn
	wmu  sync.Mutex
	done chan struct{}
}

func (c *conn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteJSON(v)
}

// serveLink is the Socket Mode websocket: hello first, then envelopes from
// Send*, pings, and acks read back.
func (s *Server) serveLink(w http.ResponseWriter, r *http.Request) {
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{ws: ws, done: make(chan struct{})}
	defer close(c.done)
	defer ws.Close()
	hello := map[string]any{
		"type": "hello", "num_connections": 1,
		"debug_info":      map[string]any{"host": "slacktest", "approximate_connection_time": 3600},
		"connection_info": map[string]any{"app_id": AppID},
	}
	if c.write(hello) != nil {
		return
	}
	// Events go to the connection only once it said hello.
	s.mu.Lock()
	s.opened++
	s.live = c
	s.touch()
	s.mu.Unlock()
	go c.ping()
	defer s.forget(c)
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(data, &ack) != nil || ack.EnvelopeID == "" {
			continue
		}
		a := Ack{EnvelopeID: ack.EnvelopeID, Payload: ack.Payload, At: time.Now()}
		s.mu.Lock()
		s.acks = append(s.acks, a)
		s.ackByID[a.EnvelopeID] = a
		s.touch()
		s.mu.Unlock()
	}
}

func (c *conn) ping() {
	t := time.NewTicker(pingEvery)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			c.wmu.Lock()
			err := c.ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(time.Second))
			c.wmu.Unlock()
			if err != nil {
				return
			}
		}
	}
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.live == c {
		s.live = nil
	}
	s.touch()
}

// Connections is the number of Socket Mode connections accepted so far,
// reconnections included.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opened
}

// WaitConnected waits until a client has connected n times in all and is
// connected now.
func (s *Server) WaitConnected(ctx context.Context, n int) error {
	return s.Wait(ctx, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.opened >= n && s.live != nil
	})
}

// DropConnections cuts every Socket Mode websocket without a close frame, as
// a network failure would.
func (s *Server) DropConnections() {
	s.mu.Lock()
	c := s.live
	s.live = nil
	s.mu.Unlock()
	if c != nil {
		_ = c.ws.NetConn().Close()
	}
}

// Acks returns the acknowledgements received so far.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ack(nil), s.acks...)
}

// WaitAck waits for the acknowledgement of an envelope.
func (s *Server) WaitAck(ctx context.Context, envelopeID string) (Ack, error) {
	var found Ack
	err := s.Wait(ctx, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		a, ok := s.ackByID[envelopeID]
		found = a
		return ok
	})
	return found, err
}

// SendEvent delivers an Events API event (Event, or any inner event JSON
// shape) over Socket Mode and returns the envelope id.
func (s *Server) SendEvent(eventID string, event any) (string, error) {
	return s.RetryEvent(eventID, event, 0)
}

// RetryEvent delivers an event again as Slack's retry number attempt does:
// a new envelope, the same event id.
func (s *Server) RetryEvent(eventID string, event any, attempt int) (string, error) {
	payload, err := EventBody(eventID, event)
	if err != nil {
		return "", err
	}
	env := envelope{Type: "events_api", Payload: payload, RetryAttempt: attempt}
	if attempt > 0 {
		env.RetryReason = "timeout"
	}
	return s.send(env)
}

// SendCommand delivers a slash command over Socket Mode; a missing
// response_url, trigger id, team or command name is filled in.
func (s *Server) SendCommand(cmd slack.SlashCommand) (string, error) {
	cmd = s.CompleteCommand(cmd)
	payload, err := json.Marshal(cmd)
	if err != nil {
		return "", err
	}
	return s.send(envelope{Type: "slash_commands", Payload: payload, AcceptsResponsePayload: true})
}

// CompleteCommand fills in what Slack always sends with a command: a fresh
// response_url on this server, a trigger id, the team and the command name.
func (s *Server) CompleteCommand(cmd slack.SlashCommand) slack.SlashCommand {
	if cmd.ResponseURL == "" {
		cmd.ResponseURL = s.NewResponseURL()
	}
	if cmd.TriggerID == "" {
		s.mu.Lock()
		s.seq++
		cmd.TriggerID = "trigger." + strconv.Itoa(s.seq)
		s.mu.Unlock()
	}
	if cmd.Command == "" {
		cmd.Command = "/vss"
	}
	if cmd.TeamID == "" {
		cmd.TeamID, cmd.TeamDomain, cmd.APIAppID = TeamID, "test", AppID
	}
	return cmd
}

type envelope struct {
	EnvelopeID             string          `json:"envelope_id"`
	Type                   string          `json:"type"`
	AcceptsResponsePayload bool            `json:"accepts_response_payload"`
	RetryAttempt           int             `json:"retry_attempt"`
	RetryReason            string          `json:"retry_reason"`
	Payload                json.RawMessage `json:"payload"`
}

func (s *Server) send(env envelope) (string, error) {
	s.mu.Lock()
	c := s.live
	s.seq++
	env.EnvelopeID = "env-" + strconv.Itoa(s.seq)
	s.mu.Unlock()
	if c == nil {
		return "", ErrNotConnected
	}
	return env.EnvelopeID, c.write(env)
}
