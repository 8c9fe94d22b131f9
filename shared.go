package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/dedup"
	"github.com/vssbot/vssbot/store"
)

// shared is what replicas share: the Redis claims and the team memory,
// either possibly absent.
type shared struct {
	claims *dedup.Shared
	memory *store.Store
	stop   context.CancelFunc
	done   chan struct{}
}

// openShared opens the store (migrating it) and the Redis client. A store
// that cannot be opened stops serve: its DSN was set on purpose. Redis is
// only connected lazily: down at start is an outage like any other.
func (a *app) openShared(ctx context.Context) (*shared, error) {
	s := &shared{done: make(chan struct{})}
	if !a.cfg.Stats.Off() {
		m, err := a.openStore(ctx, store.OpenServing)
		if err != nil {
			return nil, err
		}
		s.memory = m
	}
	if a.cfg.Redis.URL != "" {
		c, err := dedup.New(a.cfg.Redis, a.log.With("component", "dedup"))
		if err != nil {
			s.close()
			return nil, usageErr(err)
		}
		s.claims = c
		// Down at start is an outage like any other: logged once by the
		// claims, /readyz says degraded, a probe waits for Redis.
		_ = c.Check(ctx)
	}
	purge, stop := context.WithCancel(context.Background())
	s.stop = stop
	go func() {
		defer close(s.done)
		if s.memory != nil {
			s.memory.RunPurge(purge, nil)
		}
	}()
	return s, nil
}

// openStore opens the team memory named by stats.dsn with open:
// store.OpenServing for serve, which must not wait on it, store.Open for
// the commands that need it at once.
func (a *app) openStore(ctx context.Context, open func(context.Context, store.Config, *slog.Logger) (*store.Store, error)) (*store.Store, error) {
	m, err := open(ctx, a.cfg.Stats, a.log.With("component", "store"))
	if err != nil {
		return nil, &exitError{code: exitInput, err: fmt.Errorf("stats.dsn: %w", err)}
	}
	return m, nil
}

// wire hands the shared parts to the engine and exports their state.
func (s *shared) wire(o *bot.Config, reg prometheus.Registerer) {
	if s.claims != nil {
		o.Claims = s.claims
		c := s.claims
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "vssbot_redis_degraded",
			Help: "1 while Redis is down or slow and de-duplication is local to each replica.",
		}, func() float64 {
			if c.Degraded() {
				return 1
			}
			return 0
		}), prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "vssbot_redis_outages_total",
			Help: "Times Redis went down or slow.",
		}, func() float64 { return float64(c.Outages()) }))
	}
	if s.memory != nil {
		o.Memory = s.memory
		o.Notes = s.memory
		m := s.memory
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "vssbot_store_degraded",
			Help: "1 while the team memory is unreachable or slow: answers go on without notes and unrecorded.",
		}, func() float64 {
			if m.Degraded() != "" {
				return 1
			}
			return 0
		}), prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "vssbot_store_outages_total",
			Help: "Times the team memory went down or slow.",
		}, func() float64 { return float64(m.Outages()) }))
	}
}

// degraded says why the replica is degraded, or "".
func (s *shared) degraded() string {
	var why []string
	if s.claims != nil && s.claims.Degraded() {
		why = append(why, "redis unreachable, de-duplication is local to this replica")
	}
	if s.memory != nil {
		if w := s.memory.Degraded(); w != "" {
			why = append(why, w+", answers go on without team notes")
		}
	}
	return strings.Join(why, "; ")
}

// close stops the purge and releases the connections, after the engine
// has drained.
func (s *shared) close() {
	if s.stop != nil {
		s.stop()
		<-s.done
	}
	if s.claims != nil {
		if err := s.claims.Close(); err != nil {
			slog.Default().Debug("redis close", "err", err)
		}
	}
	if s.memory != nil {
		_ = s.memory.Close()
	}
}
