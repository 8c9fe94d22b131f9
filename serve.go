package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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
	"github.com/vssbot/vssbot/internal/connlimit"
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
	srv, err := a.listen(reg, routes, &ready, shared.degraded)
	if err != nil {
		eng.Shutdown(ctx)
		return err
	}
	srv.serve(a.log)

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
func (a *app) drain(srv servers, eng *bot.Engine) {
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.Timeout+5*time.Second)
	defer cancel()
	if err := srv.shutdown(ctx); err != nil {
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

// listen binds the HTTP listeners first, so a busy port fails before any
// platform connection is made. Health and metrics go on http.health_listen
// when it is set, and otherwise close their connection after answering.
func (a *app) listen(reg *prometheus.Registry, routes []route, ready *atomic.Bool, degraded func() string) (servers, error) {
	m, err := connlimit.NewMetrics(reg)
	if err != nil {
		return nil, err
	}
	health := healthMux(reg, routes, ready, degraded)
	mux := http.NewServeMux()
	for _, r := range routes {
		if h := r.adapter.Handler(); h != nil {
			mux.Handle(r.pattern, h)
		}
	}
	hc := a.cfg.HTTP
	if hc.HealthListen == "" {
		mux.Handle("/", closeAfter(health))
	}
	main, err := bind(a.cfg.Listen, mux, hc.Config, m, "main", a.log)
	if err != nil {
		return nil, err
	}
	if hc.HealthListen == "" {
		return servers{main}, nil
	}
	h, err := bind(hc.HealthListen, health, hc.Config, m, "health", a.log)
	if err != nil {
		_ = main.ln.Close()
		return nil, fmt.Errorf("http.health_listen: %w", err)
	}
	return servers{main, h}, nil
}

// healthMux serves /healthz, /readyz and /metrics.
func healthMux(reg *prometheus.Registry, routes []route, ready *atomic.Bool, degraded func() string) *http.ServeMux {
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
	return mux
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
