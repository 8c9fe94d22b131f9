package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/config"
	"github.com/vssbot/vssbot/internal/connlimit"
	"github.com/vssbot/vssbot/internal/rejects"
)

// slowBodyRoute is an adapter whose endpoint reads the whole body, as the
// signature checks do.
type slowBodyRoute struct{}

func (slowBodyRoute) Start(context.Context) error    { return nil }
func (slowBodyRoute) Run(context.Context) error      { return nil }
func (slowBodyRoute) Ready() bool                    { return true }
func (slowBodyRoute) CountRejects(*rejects.Recorder) {}
func (slowBodyRoute) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	})
}

// listening starts serve's real listener with one body-reading route.
func listening(t *testing.T) string {
	t.Helper()
	s := &Server{cfg: &config.Config{Listen: "127.0.0.1:0", HTTP: config.HTTP{Config: connlimit.Config{MaxConns: connlimit.DefaultMaxConns}}},
		log: slog.New(slog.DiscardHandler), reg: prometheus.NewRegistry(), shared: &shared{},
		routes: []route{{name: "slow", pattern: "/slow", adapter: slowBodyRoute{}}}}
	s.ready.Store(true)
	ss, err := s.listen()
	if err != nil {
		t.Fatal(err)
	}
	ss.serve(s.log)
	t.Cleanup(func() { _ = ss[0].srv.Close() })
	return ss[0].ln.Addr().String()
}

// closedWithin reports whether the server closed c within d.
func closedWithin(c net.Conn, d time.Duration) bool {
	_ = c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return false
	}
	return true
}

// TestServerDropsSlowAndIdleClients: a body that stalls, headers that never
// end and an idle keep-alive connection are all cut within the platforms'
// 3-second deadline (plus slack), so none holds memory for long.
func TestServerDropsSlowAndIdleClients(t *testing.T) {
	if readTimeout > 3*time.Second || readHeaderTimeout > readTimeout || writeTimeout > 5*time.Second || idleTimeout > 30*time.Second {
		t.Fatalf("deadlines do not fit the platforms' 3 s: read %s header %s write %s idle %s",
			readTimeout, readHeaderTimeout, writeTimeout, idleTimeout)
	}
	addr := listening(t)
	cases := map[string]string{
		"stalled body":    "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n" + strings.Repeat("a", 4096),
		"endless headers": "POST /slow HTTP/1.1\r\nHost: x\r\nX-Slow: a",
		"idle keep-alive": "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n",
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := io.WriteString(c, req); err != nil {
				t.Fatal(err)
			}
			limit := readTimeout + 3*time.Second // slack for a loaded machine
			if name == "idle keep-alive" {
				limit = idleTimeout + 3*time.Second
			}
			if !closedWithin(c, limit) {
				t.Errorf("connection still open after %s", limit)
			}
		})
	}
}
