package discord

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/vssbot/vssbot/bot"
)

func TestDownload(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		if r.URL.Query().Has("chunked") {
			w.(http.Flusher).Flush() // no Content-Length: the limit is enforced while reading
		}
		if n == 0 {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(strings.Repeat("x", n)))
	}))
	defer srv.Close()
	a, err := New(Config{Token: "t", AppID: "1"}, newEcho(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The adapter enforces no limit: it tells the engine the size it
	// learns (Content-Length, -1 when chunked) and reads everything.
	tests := []struct {
		url     string
		want    int    // bytes read
		size    int64  // reported by the body
		errPart string // "" for success
	}{
		{srv.URL + "/5", 5, 5, ""},
		{srv.URL + "/11", 11, 11, ""},
		{srv.URL + "/11?chunked", 11, -1, ""},
		{srv.URL + "/0", 0, 0, "404"},
		{"file:///etc/passwd", 0, 0, "bad URL"},
		{"::", 0, 0, "bad URL"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			at := a.attachment(&discordgo.MessageAttachment{Filename: "a.log", URL: tt.url})
			if at.Size != -1 {
				t.Errorf("unknown size reported as %d", at.Size)
			}
			rc, err := at.Open(context.Background())
			var b []byte
			if err == nil {
				if s, ok := rc.(bot.Sizer); !ok || s.Size() != tt.size {
					t.Errorf("body %T does not report size %d", rc, tt.size)
				}
				b, err = io.ReadAll(rc)
				rc.Close()
			}
			if tt.errPart == "" && err != nil || tt.errPart != "" && (err == nil || !strings.Contains(err.Error(), tt.errPart)) {
				t.Fatalf("err = %v, want %q", err, tt.errPart)
			}
			if err != nil && !strings.Contains(err.Error(), "a.log") {
				t.Errorf("error does not name the file: %v", err)
			}
			if len(b) != tt.want {
				t.Errorf("read %d bytes, want %d", len(b), tt.want)
			}
		})
	}
}

// FuzzMessageEvent feeds gateway MESSAGE_CREATE payloads to the event
// builder: whatever Discord (or a broken proxy) sends, nothing panics and
// the ignore rules hold.
func FuzzMessageEvent(f *testing.F) {
	f.Add([]byte(`{"id":"1","channel_id":"2","guild_id":"3","type":0,"content":"<@9> 0x800423f2","author":{"id":"4"},"mentions":[{"id":"9"}],"attachments":[{"id":"5","filename":"a.log","url":"http://127.0.0.1/a","size":3}]}`))
	f.Add([]byte(`{"id":"1","type":0,"content":"x","author":{"id":"9","bot":true}}`))
	f.Add([]byte(`{"type":19,"author":null,"attachments":[null],"mentions":[null]}`))
	a, err := New(Config{Token: "t", AppID: "1"}, newEcho(), nil)
	if err != nil {
		f.Fatal(err)
	}
	a.selfID.Store("9")
	f.Fuzz(func(t *testing.T, payload []byte) {
		var m discordgo.MessageCreate
		if json.Unmarshal(payload, &m) != nil {
			return
		}
		ev, ok := a.messageEvent(m.Message)
		if !ok {
			return
		}
		if (m.Author.Bot || m.Author.ID == "9") && !ev.FromBot {
			t.Fatalf("answered a bot's message: %s", payload)
		}
		if ev.ID != m.ID || ev.Target.Channel != m.ChannelID || strings.Contains(ev.Text, "<@9>") {
			t.Fatalf("event %+v from %s", ev, payload)
		}
	})
}
