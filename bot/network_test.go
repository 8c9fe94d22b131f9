package bot_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/lang"
)

// brokenBody fails mid-download as a reset connection does.
type brokenBody struct{ err error }

func (b brokenBody) Read([]byte) (int, error) { return 0, b.err }
func (brokenBody) Close() error               { return nil }

// TestNetworkErrorsArePlainInChat: a download that fails on the network
// (a resolver, a reset) is told in a plain sentence; the resolver's address
// and the URL stay in the log.
func TestNetworkErrorsArePlainInChat(t *testing.T) {
	dns := &url.Error{Op: "Get", URL: "https://files.slack.com/files-pri/T1-F1/a.log",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "files.slack.com", Server: "10.0.0.2:53"}}}
	reset := &net.OpError{Op: "read", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(10, 9, 8, 7), Port: 443}, Err: errors.New("connection reset by peer")}
	for _, tc := range []struct {
		name string
		lang lang.Tag
		open func() (io.ReadCloser, error)
		want string
	}{
		{"resolver", lang.English, func() (io.ReadCloser, error) { return nil, dns }, "could not be downloaded"},
		{"resolver ja", lang.Japanese, func() (io.ReadCloser, error) { return nil, dns }, "ダウンロードできませんでした"},
		{"reset", lang.English, func() (io.ReadCloser, error) { return brokenBody{reset}, nil }, "broke off"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := machine(t, bot.Config{Language: tc.lang})
			ev := bot.Event{ID: "n", Attachments: []bot.Attachment{file("a.log", 10, tc.open)}, Target: bot.Target{Platform: "test", Channel: "C1"}}
			r, ok := e.Answer(context.Background(), ev)
			if !ok {
				t.Fatal("no answer")
			}
			text := r.Headline
			for _, s := range r.Sections {
				text += "\n" + s.Title + "\n" + strings.Join(s.Lines, "\n")
			}
			if !strings.Contains(text, tc.want) || !strings.Contains(text, "a.log") {
				t.Errorf("answer does not say plainly what happened:\n%s", text)
			}
			for _, leak := range []string{"10.0.0.2", "10.9.8.7", "files-pri", "dial", "tcp"} {
				if strings.Contains(text, leak) {
					t.Errorf("answer carries %q:\n%s", leak, text)
				}
			}
		})
	}
}
