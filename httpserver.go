package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/vssbot/vssbot/internal/connlimit"
)

// Limits of the HTTP listener. Slack and Discord give up on a request after
// three seconds, so a request that has not arrived by then is worth nothing
// to anyone: every deadline fits that, and none lets a slow or idle client
// hold a connection (and what its request has buffered) for long. How many
// connections are open at once, in all and per client, is http.max_conns
// and http.max_conns_per_client (connlimit).
const (
	readHeaderTimeout = 2 * time.Second // headers of a request
	readTimeout       = 3 * time.Second // the whole request, body included
	writeTimeout      = 5 * time.Second // read plus handler plus answer; acks are immediate
	idleTimeout       = 5 * time.Second // a keep-alive connection between requests
)

// newServer is the HTTP server for health, metrics and HTTP-mode endpoints;
// ln follows its connections' states.
func newServer(h http.Handler, ln *connlimit.Listener, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ConnState:         ln.ConnState,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// served is one server on its bounded listener.
type served struct {
	srv *http.Server
	ln  *connlimit.Listener
}

// servers are serve's HTTP listeners: the main one, and the health one
// when http.health_listen gives probes and metrics their own.
type servers []served

// bind listens on addr within the connection bounds.
func bind(addr string, h http.Handler, cfg connlimit.Config, m *connlimit.Metrics, name string, log *slog.Logger) (served, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return served{}, fmt.Errorf("listen %s: %w", addr, err)
	}
	bl := connlimit.Wrap(ln, cfg, m, name)
	return served{srv: newServer(h, bl, log), ln: bl}, nil
}

// serve runs every server until shutdown.
func (ss servers) serve(log *slog.Logger) {
	for _, s := range ss {
		log.Info("listening", "addr", s.ln.Addr().String())
		go func() {
			if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("http listener stopped", "addr", s.ln.Addr().String(), "err", err)
			}
		}()
	}
}

// shutdown stops every server, letting requests in flight finish.
func (ss servers) shutdown(ctx context.Context) error {
	var errs []error
	for _, s := range ss {
		errs = append(errs, s.srv.Shutdown(ctx))
	}
	return errors.Join(errs...)
}

// closeAfter answers h's requests and then closes the connection: a probe
// or a scrape on the platforms' listener does not keep a slot between its
// requests.
func closeAfter(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		h.ServeHTTP(w, r)
	})
}
