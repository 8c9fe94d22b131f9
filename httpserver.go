package main

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Limits of the HTTP listener. Slack and Discord give up on a request after
// three seconds, so a request that has not arrived by then is worth nothing
// to anyone: every deadline fits that, and none lets a slow or idle client
// hold a connection (and what its request has buffered) for long.
const (
	readHeaderTimeout = 2 * time.Second // headers of a request
	readTimeout       = 3 * time.Second // the whole request, body included
	writeTimeout      = 5 * time.Second // read plus handler plus answer; acks are immediate
	idleTimeout       = 5 * time.Second // a keep-alive connection between requests
	// maxConns bounds connections open at once; more wait in the kernel's
	// accept queue. With each adapter's body cap (at most 512 KiB before the
	// signature is checked) it bounds what unauthenticated clients can hold.
	maxConns = 128
)

// newServer is the HTTP server for health, metrics and HTTP-mode endpoints.
func newServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// limitListener accepts at most cap(slots) connections at once: Accept waits
// for a slot that a closed connection frees.
type limitListener struct {
	net.Listener
	slots     chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func limitConns(ln net.Listener, n int) *limitListener {
	return &limitListener{Listener: ln, slots: make(chan struct{}, n), done: make(chan struct{})}
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &slotConn{Conn: c, release: sync.OnceFunc(func() { <-l.slots })}, nil
}

func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// slotConn gives its listener slot back when closed, once.
type slotConn struct {
	net.Conn
	release func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
