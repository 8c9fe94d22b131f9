package server

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// reloadingKnowledge loads the knowledge base for the server, to be kept in
// step with the overlay directory: Reload (SIGHUP in the CLI) or a change
// to its YAML files reloads it, an overlay that fails `kb check` or the
// kb.* limits is refused (logged, counted in
// vssbot_kb_reloads_total{result="refused"}) and the running base stays;
// refused at start, the built-in base serves alone.
func (s *Server) reloadingKnowledge() (*Reloader, error) {
	r, err := NewReloader(s.cfg.KB, s.cfg.Limits.Limits, s.log)
	if err != nil {
		return nil, fmt.Errorf("%w: knowledge base: %w", ErrSettings, err)
	}
	reg := s.reg
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
	return r, nil
}
