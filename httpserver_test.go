package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/config"
)

// slowBodyRoute is an adapter whose endpoint reads the whole body, as the
// signature checks do.
type slowBodyRoute struct{}

func (slowBodyRoute) Start(context.Context) error { return nil }
func (slowBodyRoute) Run(context.Context) error   { return nil }
func (slowBodyRoute) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	})
}

// listening starts serve's real listener with one body-reading route.
func listening(t *testing.T) string {
	t.Helper()
	a := &app{cfg: &config.Config{Listen: "127.0.0.1:0"}, log: slog.New(slog.DiscardHandler)}
	var ready atomic.Bool
	ready.Store(true)
	srv, ln, err := a.listen(prometheus.NewRegistry(), []route{{name: "slow", pattern: "/slow", adapter: slowBodyRoute{}}}, &ready, func() string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
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
		"idle keep-alive": "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
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
			limit := readTimeout + time.Second
			if name == "idle keep-alive" {
				limit = idleTimeout + time.Second
			}
			if !closedWithin(c, limit) {
				t.Errorf("connection still open after %s", limit)
			}
		})
	}
}

// TestServerCapsConnections: with maxConns connections open, the next one is
// not served until one of them closes.
func TestServerCapsConnections(t *testing.T) {
	addr := listening(t)
	held := make([]net.Conn, 0, maxConns)
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for range maxConns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
		// A served request proves the server accepted this connection.
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil {
			t.Fatal(err)
		} else {
			resp.Body.Close()
		}
	}
	extra, err := net.Dial("tcp", addr) // the kernel completes the handshake
	if err != nil {
		t.Fatal(err)
	}
	defer extra.Close()
	if _, err := io.WriteString(extra, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	_ = extra.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if _, err := extra.Read(make([]byte, 1)); err == nil {
		t.Fatalf("connection %d served while %d were open", maxConns+1, maxConns)
	}
	held[0].Close()
	_ = extra.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(extra), nil)
	if err != nil {
		t.Fatalf("not served after a slot freed: %v", err)
	}
	resp.Body.Close()
}
