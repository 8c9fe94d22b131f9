package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/vssbot/vssbot/adapters/discord"
	"github.com/vssbot/vssbot/adapters/slack"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/rejects"
)

// adapter is what serve needs from a chat platform adapter.
type adapter interface {
	Start(ctx context.Context) error // connect and check credentials; fails fast
	Run(ctx context.Context) error   // serve until ctx is done
	Handler() http.Handler           // HTTP endpoints, or nil
}

// route mounts an adapter's HTTP endpoints under a path.
type route struct {
	name    string
	pattern string
	adapter adapter
}

func (a *app) serveCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run every configured chat adapter, with /healthz, /readyz and /metrics",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.serve(cmd.Context()) },
	}
	cmd.Flags().String("listen", ":8080", "address for /healthz, /readyz, /metrics and HTTP-mode endpoints (listen)")
	return cmd
}

func (a *app) serve(ctx context.Context) error {
	cfg := a.cfg
	if !cfg.SlackEnabled() && !cfg.DiscordEnabled() {
		return usageErr(errors.New(cfg.Missing()))
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	kb, err := a.reloadingKnowledge(ctx, reg)
	if err != nil {
		return err
	}
	shared, err := a.openShared(ctx)
	if err != nil {
		return err
	}
	defer shared.close()
	opts := a.engineOptions(reg)
	shared.wire(&opts, reg)
	eng := bot.NewWithSource(kb, opts)

	routes, err := a.adapters(eng)
	if err != nil {
		eng.Shutdown(ctx)
		return usageErr(err)
	}
	if err := countRejects(reg, routes, a.log); err != nil {
		eng.Shutdown(ctx)
		return err
	}
	var ready atomic.Bool
	srv, ln, err := a.listen(reg, routes, &ready, shared.degraded)
	if err != nil {
		eng.Shutdown(ctx)
		return err
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("http listener stopped", "err", err)
		}
	}()
	a.log.Info("listening", "addr", ln.Addr().String())

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, r := range routes {
		if err := r.adapter.Start(runCtx); err != nil {
			cancel()
			a.drain(srv, eng)
			return &exitError{code: exitInput, err: fmt.Errorf("%s: %w", r.name, err)}
		}
		a.log.Info("adapter started", "adapter", r.name)
	}
	ready.Store(true)

	var wg sync.WaitGroup
	for _, r := range routes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.adapter.Run(runCtx); err != nil && !errors.Is(err, context.Canceled) {
				a.log.Error("adapter stopped", "adapter", r.name, "err", err)
			}
		}()
	}
	<-ctx.Done()
	a.log.Info("shutting down: draining in-flight work")
	ready.Store(false)
	cancel()
	wg.Wait()
	a.drain(srv, eng)
	return nil
}

// drain stops the listener, then lets queued events finish.
func (a *app) drain(srv *http.Server, eng *bot.Engine) {
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.Timeout+5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		a.log.Warn("http shutdown", "err", err)
	}
	if err := eng.Shutdown(ctx); err != nil {
		a.log.Warn("engine shutdown: work abandoned", "err", err)
	}
}

// engineOptions is the engine's part of the settings, passed through,
// with what serve wires in.
func (a *app) engineOptions(reg prometheus.Registerer) bot.Config {
	c := a.cfg.Config
	c.NoteAdmins = a.cfg.Notes.Admins
	c.Logger, c.Registerer = a.log, reg
	return c
}

// adapters builds one adapter per configured platform.
func (a *app) adapters(eng *bot.Engine) ([]route, error) {
	cfg := a.cfg
	var routes []route
	if cfg.SlackEnabled() {
		ad, err := slack.New(cfg.Slack, eng, a.log.With("adapter", "slack"))
		if err != nil {
			return nil, fmt.Errorf("slack: %w", err)
		}
		routes = append(routes, route{name: "slack", pattern: "/slack/", adapter: ad})
	}
	if cfg.DiscordEnabled() {
		ad, err := discord.New(cfg.Discord, eng, a.log.With("adapter", "discord"))
		if err != nil {
			return nil, fmt.Errorf("discord: %w", err)
		}
		routes = append(routes, route{name: "discord", pattern: "/discord/interactions", adapter: ad})
	}
	return routes, nil
}

// listen binds the HTTP listener first, so a busy port fails before any
// platform connection is made.
func (a *app) listen(reg *prometheus.Registry, routes []route, ready *atomic.Bool, degraded func() string) (*http.Server, net.Listener, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !ready.Load() {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		for _, r := range routes {
			if c, ok := r.adapter.(interface{ Ready() bool }); ok && !c.Ready() {
				http.Error(w, "not ready: "+r.name+" is not connected", http.StatusServiceUnavailable)
				return
			}
		}
		// Degraded still answers: taking the replica out of the balancer
		// would only move the same problem to the others.
		if why := degraded(); why != "" {
			fmt.Fprintln(w, "degraded:", why)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	for _, r := range routes {
		if h := r.adapter.Handler(); h != nil {
			mux.Handle(r.pattern, h)
		}
	}
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return nil, nil, fmt.Errorf("listen %s: %w", a.cfg.Listen, err)
	}
	return newServer(mux, a.log), limitConns(ln, maxConns), nil
}

// countRejects gives every adapter with HTTP endpoints its share of
// vssbot_rejected_requests_total.
func countRejects(reg prometheus.Registerer, routes []route, log *slog.Logger) error {
	c, err := rejects.NewCounter(reg)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	for _, r := range routes {
		if rc, ok := r.adapter.(interface{ CountRejects(*rejects.Recorder) }); ok {
			rc.CountRejects(c.For(r.name, log.With("adapter", r.name)))
		}
	}
	return nil
}
