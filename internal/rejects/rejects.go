// Package rejects counts the HTTP requests an adapter refuses before they
// are authenticated (bad or missing signature, stale timestamp, oversized or
// malformed body) and logs them sampled: anyone can send such requests, so
// one log line each would let them flood the log.
package rejects

import (
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Reasons a request is refused.
const (
	Signature = "signature"  // missing, malformed, wrong or stale signature
	TooLarge  = "too_large"  // body over the limit
	Unread    = "unreadable" // body could not be read
)

// logEvery is the least time between two log lines of one Recorder.
const logEvery = time.Minute

// Counter is vssbot_rejected_requests_total, shared by the adapters of one
// process.
type Counter struct{ vec *prometheus.CounterVec }

// NewCounter creates the counter and registers it with reg (nil: not
// exported).
func NewCounter(reg prometheus.Registerer) (*Counter, error) {
	vec := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "vssbot_rejected_requests_total",
		Help: "HTTP requests refused before authentication, by platform and reason.",
	}, []string{"platform", "reason"})
	if reg != nil {
		if err := reg.Register(vec); err != nil {
			var already prometheus.AlreadyRegisteredError
			if !errors.As(err, &already) {
				return nil, err
			}
			vec = already.ExistingCollector.(*prometheus.CounterVec)
		}
	}
	return &Counter{vec: vec}, nil
}

// For returns the Recorder of one platform.
func (c *Counter) For(platform string, log *slog.Logger) *Recorder {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Recorder{vec: c.vec.MustCurryWith(prometheus.Labels{"platform": platform}), log: log, now: time.Now}
}

// Recorder counts one platform's refused requests and logs the first, then
// at most one line a minute saying how many more there were.
type Recorder struct {
	vec *prometheus.CounterVec
	log *slog.Logger
	now func() time.Time

	mu         sync.Mutex
	last       time.Time
	suppressed int
}

// Reject counts a refused request; a nil Recorder does nothing.
func (r *Recorder) Reject(req *http.Request, reason string, err error) {
	if r == nil {
		return
	}
	r.vec.WithLabelValues(reason).Inc()
	r.mu.Lock()
	now := r.now()
	if !r.last.IsZero() && now.Sub(r.last) < logEvery {
		r.suppressed++
		r.mu.Unlock()
		return
	}
	more := r.suppressed
	r.last, r.suppressed = now, 0
	r.mu.Unlock()
	r.log.Warn("refused an unauthenticated request (logged at most once a minute; see vssbot_rejected_requests_total)",
		"reason", reason, "path", req.URL.Path, "remote", req.RemoteAddr, "err", err, "refused_since_last_line", more)
}
