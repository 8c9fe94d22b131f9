package slack

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/vssbot/vssbot/internal/rejects"
)

// maxBody bounds what a request may make the bot read before its signature
// is checked. Slack's event payloads are a few KB; a message at Slack's
// 40,000-character limit, with the rich-text blocks repeating it, stays well
// under this. With the listener's connection cap it bounds what
// unauthenticated clients can make the bot hold.
const maxBody = 512 << 10

// CountRejects makes the HTTP endpoints count the requests they refuse
// before authentication, and log them sampled, through r. Call it before
// serving; without it refusals are neither counted nor logged.
func (a *Adapter) CountRejects(r *rejects.Recorder) { a.rejects = r }

// Handler serves Slack's HTTP requests in HTTP mode; mount it at /slack/. It
// answers /slack/events (the Events API request URL) and /slack/commands
// (the slash command request URL). It is nil in Socket Mode.
func (a *Adapter) Handler() http.Handler {
	if a.cfg.Mode != ModeHTTP {
		return nil
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/events", a.serveEvents)
	mux.HandleFunc("POST /slack/commands", a.serveCommands)
	mux.HandleFunc("POST /slack/interactions", a.serveInteractions)
	return mux
}

// serveEvents acknowledges an Events API request at once (Slack retries
// after 3 s) and works after the ack. Slack's retries of an event (with
// X-Slack-Retry-Num) are acknowledged the same way; their event id is the
// original's, so the engine drops them.
func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	// The signature proved the sender; the legacy token is not checked.
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		if !json.Valid(body) {
			http.Error(w, "malformed JSON", http.StatusBadRequest)
			return
		}
		// An event type slack-go does not know: acked, or Slack retries it.
		a.log.Debug("unparsed Events API request", "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	if ev.Type == slackevents.URLVerification {
		if v, ok := ev.Data.(*slackevents.EventsAPIURLVerificationEvent); ok {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, v.Challenge)
		}
		return
	}
	retry, _ := strconv.Atoi(r.Header.Get("X-Slack-Retry-Num"))
	if retry > 0 {
		a.log.Debug("Slack retried an event", "retry", retry, "reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	// Submit never blocks, so the ack waits only for the queue's answer:
	// an event the engine cannot take gets no 200, and Slack sends it again
	// (up to three times; the last time the user is told the bot is busy).
	if !a.onEventsAPI(ev, retry < lastRetry) {
		http.Error(w, "busy: send it again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// serveCommands acknowledges a slash command with an empty 200 at once; the
// answer follows through the Web API or the response_url.
func (a *Adapter) serveCommands(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	cmd, err := slackapi.SlashCommandParse(r)
	if err != nil || cmd.ChannelID == "" {
		http.Error(w, "not a slash command", http.StatusBadRequest)
		return
	}
	// A command Slack will not send again: refused, it is told "busy" in
	// the acknowledgement itself.
	// Without a trigger id, the signed request itself is the command's
	// key: a replay of it is the same command, answered once.
	if busy := a.onCommand(requestKey(r.Header.Get("X-Slack-Request-Timestamp"), body), cmd); busy != "" {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"response_type": "ephemeral", "text": busy})
		return
	}
	w.WriteHeader(http.StatusOK)
}

// serveInteractions takes the Interactivity request URL's posts (button
// presses: a form with the JSON in "payload"), acknowledged at once with an
// empty 200 (Slack shows an error after 3 s); the work follows.
func (a *Adapter) serveInteractions(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	var cb slackapi.InteractionCallback
	if err == nil {
		err = json.Unmarshal([]byte(form.Get("payload")), &cb)
	}
	if err != nil {
		http.Error(w, "not an interaction payload", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
	go a.onInteraction(cb)
}

// verified reads a request's body and checks Slack's signature over it
// (v0=HMAC-SHA256 of "v0:timestamp:body" with the signing secret) and that
// the timestamp is within five minutes, either way. On failure it has
// answered the request.
func (a *Adapter) verified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, reason, status, err := rejects.Body(w, r, maxBody)
	if err != nil {
		a.rejects.Reject(r, reason, err)
		http.Error(w, "cannot read the request", status)
		return nil, false
	}
	sv, err := slackapi.NewSecretsVerifier(r.Header, a.cfg.SigningSecret)
	if err == nil {
		_, _ = sv.Write(body)
		err = sv.Ensure()
	}
	if err != nil {
		a.rejects.Reject(r, rejects.Signature, err)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

// requestKey names a signed request by its timestamp and body.
func requestKey(timestamp string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(timestamp + "\n"))
	h.Write(body)
	return "request:" + hex.EncodeToString(h.Sum(nil)[:16])
}
