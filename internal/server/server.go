// Package server is `vssbot serve` as a value: the knowledge base kept in
// step with its overlay, the team memory and the Redis claims, the engine,
// one adapter per configured platform, and the HTTP listeners with
// /healthz, /readyz and /metrics. Tests build it from a config.Config and
// drive it in process; the CLI adds the signals.
package server

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

	"github.com/vssbot/vssbot/adapters/discord"
	"github.com/vssbot/vssbot/adapters/slack"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/config"
	"github.com/vssbot/vssbot/internal/connlimit"
	"github.com/vssbot/vssbot/internal/rejects"
)

// Adapter is what the server needs from a chat platform adapter. Every
// platform has each method: an adapter without HTTP endpoints returns a nil
// Handler, one without a connection to lose is always Ready.
type Adapter interface {
	Start(ctx context.Context) error // connect and check credentials; fails fast
	Run(ctx context.Context) error   // serve until ctx is done
	Handler() http.Handler           // HTTP endpoints, or nil
	Ready() bool                     // connected, so /readyz may say ready
	CountRejects(*rejects.Recorder)  // count the requests its endpoints refuse
}

// route mounts an adapter's HTTP endpoints under a path.
type route struct {
	name    string
	pattern string
	adapter Adapter
}

// ErrSettings marks an error of the settings (no platform configured, an
// overlay that fails its check, a bad Redis URL): nothing was started.
var ErrSettings = errors.New("settings")

// Server is one serving replica. New builds it, Start binds and connects,
// Reload reads the knowledge overlay again, Stop drains it.
type Server struct {
	cfg    *config.Config
	log    *slog.Logger
	reg    *prometheus.Registry
	kb     *Reloader
	shared *shared
	eng    *bot.Engine
	routes []route
	srv    servers
	ready  atomic.Bool
	cancel context.CancelFunc // stops the adapters and the overlay watch
	wg     sync.WaitGroup
	closed sync.Once
}

// New builds a server from cfg: it loads the knowledge base, opens the team
// memory (without waiting for its database) and the Redis client, and
// builds the engine and the adapters. Nothing listens or connects to a
// platform before Start. Errors of the settings wrap ErrSettings.
func New(cfg *config.Config, log *slog.Logger) (*Server, error) {
	if !cfg.SlackEnabled() && !cfg.DiscordEnabled() {
		return nil, fmt.Errorf("%w: %s", ErrSettings, cfg.Missing())
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, log: log, reg: prometheus.NewRegistry()}
	s.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	kb, err := s.reloadingKnowledge()
	if err != nil {
		return nil, err
	}
	s.kb = kb
	if s.shared, err = openShared(cfg, log); err != nil {
		return nil, err
	}
	opts := cfg.Engine(log, s.reg)
	s.shared.wire(&opts, s.reg)
	s.eng = bot.NewWithSource(kb, opts)
	if s.routes, err = s.adapters(); err != nil {
		s.close(context.Background())
		return nil, fmt.Errorf("%w: %w", ErrSettings, err)
	}
	if err := countRejects(s.reg, s.routes, log); err != nil {
		s.close(context.Background())
		return nil, err
	}
	return s, nil
}

// Start binds the HTTP listeners (a busy port fails before any platform is
// reached), starts every adapter, and runs them until Stop; /readyz says
// ready once all started. It also watches the overlay directory. ctx bounds
// the start only. On error the server is stopped.
func (s *Server) Start(ctx context.Context) error {
	srv, err := s.listen()
	if err != nil {
		s.close(ctx)
		return err
	}
	s.srv = srv
	s.srv.serve(s.log)
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	for _, r := range s.routes {
		if err := r.adapter.Start(runCtx); err != nil {
			s.Stop()
			return fmt.Errorf("%s: %w", r.name, err)
		}
		s.log.Info("adapter started", "adapter", r.name)
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.kb.Watch(runCtx, nil) // signals are the CLI's: it calls Reload
	}()
	for _, r := range s.routes {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			if err := r.adapter.Run(runCtx); err != nil && !errors.Is(err, context.Canceled) {
				s.log.Error("adapter stopped", "adapter", r.name, "err", err)
			}
		}()
	}
	s.ready.Store(true)
	return nil
}

// Reload reads the knowledge overlay again; an overlay that fails its check
// is refused (logged and counted) and the running base stays.
func (s *Server) Reload() error { return s.kb.Reload() }

// Addr is the address of the main listener, once started.
func (s *Server) Addr() string {
	if len(s.srv) == 0 {
		return ""
	}
	return s.srv[0].ln.Addr().String()
}

// HealthAddr is the address of the health listener: http.health_listen's
// when set, else the main one.
func (s *Server) HealthAddr() string {
	if len(s.srv) < 2 {
		return s.Addr()
	}
	return s.srv[1].ln.Addr().String()
}

// Stop takes the server out of /readyz, stops the adapters, then drains:
// the listeners stop and queued events finish within timeout plus 5 s.
func (s *Server) Stop() {
	s.log.Info("shutting down: draining in-flight work")
	s.ready.Store(false)
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeout+5*time.Second)
	defer cancel()
	s.close(ctx)
}

// close drains what New and Start made, once: listeners, engine, shared
// state.
func (s *Server) close(ctx context.Context) {
	s.closed.Do(func() { s.drain(ctx) })
}

func (s *Server) drain(ctx context.Context) {
	if err := s.srv.shutdown(ctx); err != nil {
		s.log.Warn("http shutdown", "err", err)
	}
	if err := s.eng.Shutdown(ctx); err != nil {
		s.log.Warn("engine shutdown: work abandoned", "err", err)
	}
	s.shared.close()
}

// adapters builds one adapter per configured platform.
func (s *Server) adapters() ([]route, error) {
	cfg := s.cfg
	var routes []route
	if cfg.SlackEnabled() {
		ad, err := slack.New(cfg.Slack, s.eng, s.log.With("adapter", "slack"))
		if err != nil {
			return nil, fmt.Errorf("slack: %w", err)
		}
		routes = append(routes, route{name: "slack", pattern: "/slack/", adapter: ad})
	}
	if cfg.DiscordEnabled() {
		ad, err := discord.New(cfg.Discord, s.eng, s.log.With("adapter", "discord"))
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
func (s *Server) listen() (servers, error) {
	m, err := connlimit.NewMetrics(s.reg)
	if err != nil {
		return nil, err
	}
	health := healthMux(s.reg, s.routes, &s.ready, s.shared.degraded)
	mux := http.NewServeMux()
	for _, r := range s.routes {
		if h := r.adapter.Handler(); h != nil {
			mux.Handle(r.pattern, h)
		}
	}
	hc := s.cfg.HTTP
	if hc.HealthListen == "" {
		mux.Handle("/", closeAfter(health))
	}
	main, err := bind(s.cfg.Listen, mux, hc.Config, m, "main", s.log)
	if err != nil {
		return nil, err
	}
	if hc.HealthListen == "" {
		return servers{main}, nil
	}
	h, err := bind(hc.HealthListen, health, hc.Config, m, "health", s.log)
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
			if !r.adapter.Ready() {
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
		r.adapter.CountRejects(c.For(r.name, log.With("adapter", r.name)))
	}
	return nil
}
