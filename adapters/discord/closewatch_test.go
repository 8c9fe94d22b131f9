package discord

import (
	"bytes"
	"net"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
)

// serverStream is what a client reads: an upgrade response, then frames.
func serverStream(frames ...[]byte) []byte {
	b := []byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
	for _, f := range frames {
		b = append(b, f...)
	}
	return b
}

func frame(op byte, payload []byte) []byte {
	f := []byte{0x80 | op}
	switch n := len(payload); {
	case n < 126:
		f = append(f, byte(n))
	case n < 1<<16:
		f = append(f, 126, byte(n>>8), byte(n))
	default:
		f = append(f, 127, 0, 0, 0, 0, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(f, payload...)
}

func TestCloseWatch(t *testing.T) {
	text := frame(websocket.TextMessage, []byte(`{"op":10}`))
	mid := frame(websocket.TextMessage, bytes.Repeat([]byte("x"), 300))
	big := frame(websocket.BinaryMessage, bytes.Repeat([]byte("\x88\x02\x0f\xae"), 20000))
	tests := []struct {
		name   string
		stream []byte
		want   []int
	}{
		{"4014 after data", serverStream(text, mid, big, frame(websocket.CloseMessage, []byte("\x0f\xaeDisallowed intent(s)."))), []int{4014}},
		{"close frame bytes inside a payload", serverStream(big), nil},
		{"no status", serverStream(frame(websocket.CloseMessage, nil)), nil},
		{"CR inside the upgrade response", append([]byte("HTTP/1.1 101 OK\r\nX: \r\r\n\r"), serverStream(frame(websocket.CloseMessage, []byte{0x0f, 0xae}))...), []int{4014}},
		{"two closes", serverStream(frame(websocket.CloseMessage, []byte{0x0f, 0xa4}), frame(websocket.CloseMessage, []byte{0x03, 0xe8})), []int{4004, 1000}},
	}
	for _, tt := range tests {
		for _, chunk := range []int{1, 3, 7, 4096} {
			var got []int
			c := &closeWatch{onClose: func(code int) { got = append(got, code) }}
			for b := tt.stream; len(b) > 0; {
				n := min(chunk, len(b))
				c.scan(b[:n])
				b = b[n:]
			}
			if !equalInts(got, tt.want) {
				t.Errorf("%s (chunks of %d): codes %v, want %v", tt.name, chunk, got, tt.want)
			}
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func FuzzCloseWatch(f *testing.F) {
	f.Add(serverStream(frame(websocket.CloseMessage, []byte("\x0f\xae"))))
	f.Add([]byte("\r\n\r\n\xff\x7f\xff\xff\xff\xff\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c := &closeWatch{onClose: func(int) {}}
		c.scan(b)
		if c.hn > len(c.hdr) || c.skip < 0 {
			t.Fatalf("state %+v", c)
		}
	})
}

// TestDisallowedIntentAfterInvalidSession: the 4014 comes on a connection
// that was already up (Discord invalidated the session and discordgo
// identified again on its own); the adapter still notices and drops the
// intent.
func TestDisallowedIntentAfterInvalidSession(t *testing.T) {
	t.Parallel()
	h := start(t, newEcho(), nil, nil)
	h.fake.DisallowIntents(discordtest.IntentMessageContent)
	if err := h.fake.InvalidateSession(); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.AwaitSessions(h.ctx, 2); err != nil {
		t.Fatal(err)
	}
	id := h.fake.Identifies()
	if last := id[len(id)-1]; last.Intents&discordtest.IntentMessageContent != 0 {
		t.Fatalf("identifies %+v: the last still asks for message content", id)
	}
	if !strings.Contains(h.logs.String(), "Message Content intent") {
		t.Error("the operator was not told")
	}
	token, _ := h.fake.SendCommand(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f1"})
	h.await(t, discordtest.Is("PATCH", "webhooks/"+h.fake.AppID+"/"+token+"/messages/@original"))
}

var _ net.Conn = (*closeWatch)(nil)
