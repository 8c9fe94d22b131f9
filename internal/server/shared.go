package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/config"
	"github.com/vssbot/vssbot/dedup"
	"github.com/vssbot/vssbot/memory"
)

// shared is what replicas share: the Redis claims and the team memory,
// either possibly absent.
type shared struct {
	claims *dedup.Shared
	memory *memory.Team
	// memoryOff says why serve runs without the team memory it was not
	// told to do without, for /readyz.
	memoryOff string
	stop      context.CancelFunc
	done      chan struct{}
}

// openShared opens the team memory (migrating it) and the Redis client. A team memory
// that cannot be opened stops serve: its DSN was set on purpose. Redis is
// only connected lazily: down at start is an outage like any other.
func openShared(cfg *config.Config, log *slog.Logger) (*shared, error) {
	ctx := context.Background()
	s := &shared{done: make(chan struct{})}
	if !cfg.Memory.Off() {
		m, err := memory.OpenServing(ctx, cfg.Memory, log.With("component", "memory"))
		switch {
		case errors.Is(err, memory.ErrNoDefaultFile):
			// Nobody chose that place (a read-only root, no home): the
			// bot answers without team memory and says so.
			s.memoryOff = "team memory off: " + err.Error() + "; set memory.dsn to a writable file or a PostgreSQL URL"
			log.Warn(s.memoryOff)
		case err != nil:
			return nil, fmt.Errorf("memory.dsn: %w", err)
		default:
			s.memory = m
		}
	}
	if cfg.Redis.URL != "" {
		c, err := dedup.New(cfg.Redis, log.With("component", "dedup"))
		if err != nil {
			s.close()
			return nil, fmt.Errorf("%w: %w", ErrSettings, err)
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

// wire hands the shared parts to the engine and exports their state.
func (s *shared) wire(o *bot.Config, reg prometheus.Registerer) {
	if s.claims != nil {
		o.Claims = s.claims
		registerOutages(reg, "redis", "Redis", "de-duplication is local to each replica", s.claims.Degraded, s.claims.Outages)
	}
	if s.memory != nil {
		o.Memory = s.memory
		m := s.memory
		registerOutages(reg, "store", "the team memory", "answers go on without notes and unrecorded",
			func() bool { return m.Degraded() != "" }, m.Outages)
	}
}

// registerOutages exports a dependency's health: vssbot_<name>_degraded,
// 1 while it is down or slow, and vssbot_<name>_outages_total.
func registerOutages(reg prometheus.Registerer, name, what, meaning string, down func() bool, outages func() int64) {
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "vssbot_" + name + "_degraded",
		Help: "1 while " + what + " is down or slow: " + meaning + ".",
	}, func() float64 {
		if down() {
			return 1
		}
		return 0
	}), prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "vssbot_" + name + "_outages_total",
		Help: "Times " + what + " went down or slow.",
	}, func() float64 { return float64(outages()) }))
}

// degraded says why the replica is degraded, or "".
func (s *shared) degraded() string {
	var why []string
	if s.claims != nil && s.claims.Degraded() {
		why = append(why, "redis unreachable, de-duplication is local to this replica")
	}
	if s.memoryOff != "" {
		why = append(why, s.memoryOff)
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
