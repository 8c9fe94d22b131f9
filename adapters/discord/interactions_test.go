package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
)

// testKey is a fixed Ed25519 key so that fuzz corpora stay meaningful.
var testKey = ed25519.NewKeyFromSeed([]byte("vssbot-discord-interactions-test"))

func sign(key ed25519.PrivateKey, ts string, body []byte) string {
	return hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...)))
}

func post(t testing.TB, h http.Handler, ts, sig string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", "/discord/interactions", strings.NewReader(string(body)))
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", sig)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func withKey(c *Config) {
	c.PublicKey = hex.EncodeToString(testKey.Public().(ed25519.PublicKey))
}

func TestHandlerNilWithoutKey(t *testing.T) {
	a, err := New(Config{Token: "t", AppID: "1"}, newEcho(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Handler() != nil {
		t.Error("Handler without a public key is not nil")
	}
}

func TestInteractionSignature(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	a, err := New(Config{Token: "t", AppID: "1", PublicKey: hex.EncodeToString(testKey.Public().(ed25519.PublicKey))}, newEcho(), nil)
	if err != nil {
		t.Fatal(err)
	}
	a.now = func() time.Time { return now }
	ping := []byte(`{"id":"1","application_id":"1","type":1,"token":"x","version":1}`)
	ts := strconv.FormatInt(now.Unix(), 10)
	_, other, _ := ed25519.GenerateKey(nil)
	stale := strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10)
	tests := []struct {
		name   string
		ts     string
		sig    string
		body   []byte
		status int
	}{
		{"valid ping", ts, sign(testKey, ts, ping), ping, 200},
		{"forged key", ts, sign(other, ts, ping), ping, 401},
		{"body changed", ts, sign(testKey, ts, ping), append([]byte(" "), ping...), 401},
		{"stale", stale, sign(testKey, stale, ping), ping, 401},
		{"future", strconv.FormatInt(now.Add(6*time.Minute).Unix(), 10), "", ping, 401},
		{"no signature", ts, "", ping, 401},
		{"short signature", ts, "abcd", ping, 401},
		{"bad timestamp", "yesterday", sign(testKey, "yesterday", ping), ping, 401},
		{"signed garbage", ts, sign(testKey, ts, []byte("{")), []byte("{"), 400},
		{"signed unknown type", ts, sign(testKey, ts, []byte(`{"type":99}`)), []byte(`{"type":99}`), 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := post(t, a.Handler(), tt.ts, tt.sig, tt.body)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if tt.status == 200 && strings.TrimSpace(w.Body.String()) != `{"type":1}` {
				t.Errorf("PING answered %s", w.Body)
			}
		})
	}
	big := make([]byte, maxInteractionBody+1)
	if w := post(t, a.Handler(), ts, sign(testKey, ts, big), big); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversize body: %d", w.Code)
	}
	req := httptest.NewRequest("GET", "/discord/interactions", nil)
	w := httptest.NewRecorder()
	a.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", w.Code)
	}
}

// TestInteractionEndpointCommand posts a signed /vss to the endpoint over
// real HTTP: deferred in the response, then edited through the fake.
func TestInteractionEndpointCommand(t *testing.T) {
	t.Parallel()
	eng := newEcho()
	h := start(t, eng, nil, withKey)
	srv := httptest.NewServer(h.a.Handler())
	defer srv.Close()
	payload, token := h.fake.Interaction(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f2"})
	body, _ := json.Marshal(payload)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(string(body)))
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", sign(testKey, ts, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != `{"type":5}` {
		t.Fatalf("response %d %s, want a deferral", resp.StatusCode, b)
	}
	// Over HTTP the deferral is the response itself: the fake learns of it
	// from the test, as Discord would from the endpoint's answer.
	h.fake.MarkAnswered(token)
	edit, _ := h.await(t, discordtest.Is("PATCH", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
	if !strings.Contains(decode(t, edit).text(), "0x800423f2") {
		t.Errorf("edit: %s", edit.Body)
	}
}

func FuzzInteraction(f *testing.F) {
	f.Add([]byte(`{"id":"1","type":1,"token":"x"}`))
	f.Add([]byte(`{"id":"2","type":2,"token":"x","channel_id":"5","data":{"name":"vss","options":[{"name":"code","type":3,"value":"0x800423f2"},{"name":"file","type":11,"value":"9"}],"resolved":{"attachments":{"9":{"id":"9","filename":"a.log","url":"http://127.0.0.1:1/a","size":3}}}}}`))
	f.Add([]byte(`{"type":2,"data":{"name":"vss","options":[null,{"name":"code","value":5}]}}`))
	f.Add([]byte(`{"type":2,"data":null,"member":{"user":null}}`))
	a, err := New(Config{Token: "t", AppID: "1", PublicKey: hex.EncodeToString(testKey.Public().(ed25519.PublicKey))}, &recordingEngine{answer: func(bot.Event) *answer.Outline { return nil }}, nil)
	if err != nil {
		f.Fatal(err)
	}
	h := a.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		w := post(t, h, ts, sign(testKey, ts, body), body)
		if w.Code != 200 && w.Code != 400 && w.Code != 413 {
			t.Fatalf("signed body answered %d", w.Code)
		}
		if w := post(t, h, ts, strings.Repeat("0", 128), body); w.Code != 401 && w.Code != 413 {
			t.Fatalf("unsigned body answered %d", w.Code)
		}
	})
}
