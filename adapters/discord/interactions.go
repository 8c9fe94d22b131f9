package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/vssbot/vssbot/internal/rejects"
)

const (
	// maxInteractionBody bounds what an unauthenticated caller can make us
	// read before the signature is checked.
	maxInteractionBody = 256 << 10
	// maxSkew rejects replayed requests: Discord signs the send time.
	maxSkew = 5 * time.Minute
)

// CountRejects makes the interactions endpoint count the requests it
// refuses before authentication, and log them sampled, through r. Call it
// before serving; without it refusals are neither counted nor logged.
func (a *Adapter) CountRejects(r *rejects.Recorder) { a.rejects = r }

// Handler is the HTTP interactions endpoint (mount it at
// /discord/interactions), or nil when no public key is configured. Requests
// are verified with the application's Ed25519 key; PING is answered with
// PONG and /vss with a deferred response, edited through REST later.
func (a *Adapter) Handler() http.Handler {
	if a.publicKey == nil {
		return nil
	}
	return http.HandlerFunc(a.serveInteraction)
}

func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, reason, status, err := rejects.Body(w, r, maxInteractionBody)
	if err != nil {
		a.rejects.Reject(r, reason, err)
		http.Error(w, "cannot read the request", status)
		return
	}
	if !a.verify(r.Header, body) {
		a.rejects.Reject(r, rejects.Signature, errors.New("bad or stale Ed25519 signature"))
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var in discordgo.Interaction
	if err := json.Unmarshal(body, &in); err != nil {
		http.Error(w, "bad interaction", http.StatusBadRequest)
		return
	}
	switch in.Type {
	case discordgo.InteractionPing:
		writeJSON(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	case discordgo.InteractionApplicationCommand:
		ev, ok := a.commandEvent(&in)
		if !ok {
			http.Error(w, "unknown command", http.StatusBadRequest)
			return
		}
		writeJSON(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
		// The edit must not overtake the deferral it edits.
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		a.submit(ev)
		return
	case discordgo.InteractionMessageComponent:
		writeJSON(w, a.clickResponse(&in))
		return
	}
	http.Error(w, "unsupported interaction type", http.StatusBadRequest)
}

// verify checks Discord's signature over timestamp+body and the
// timestamp's age.
func (a *Adapter) verify(h http.Header, body []byte) bool {
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return false
	}
	ts := h.Get("X-Signature-Timestamp")
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if d := a.now().Sub(time.Unix(secs, 0)); d > maxSkew || d < -maxSkew {
		return false
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	return ed25519.Verify(a.publicKey, msg, sig)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v) // the client is gone if this fails
}
