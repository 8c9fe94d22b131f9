package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/knowledge"
)

// reloadingKnowledge loads the knowledge base for serve and keeps it in step
// with the overlay directory: SIGHUP or a change to its YAML files reloads
// it, an overlay that fails `kb check` or the kb.* limits is refused
// (logged, counted in vssbot_kb_reloads_total{result="refused"}) and the
// running base stays; refused at start, the built-in base serves alone.
// The watch ends with ctx.
func (a *app) reloadingKnowledge(ctx context.Context, reg prometheus.Registerer) (*knowledge.Reloader, error) {
	r, err := knowledge.NewReloader(a.cfg.KB, a.cfg.Limits.Limits, a.log)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("knowledge base: %w", err)}
	}
	for _, result := range []string{"applied", "refused"} {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "vssbot_kb_reloads_total",
			Help:        "Knowledge overlay reloads (SIGHUP or a changed file) applied, and overlays refused (at start or on reload) because they failed kb check, the kb limits or kb.reload_timeout.",
			ConstLabels: prometheus.Labels{"result": result},
		}, func() float64 {
			applied, refused := r.Reloads()
			if result == "applied" {
				return float64(applied)
			}
			return float64(refused)
		}))
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		defer signal.Stop(hup)
		r.Watch(ctx, hup)
	}()
	return r, nil
}
