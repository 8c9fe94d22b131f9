package bot

import (
	"errors"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the engine's Prometheus collectors. They always exist, so the
// engine counts without checking; they are exported only when Config has a
// Registerer.
type metrics struct {
	events   *prometheus.CounterVec   // platform, kind
	replies  *prometheus.CounterVec   // platform, kind
	errors   *prometheus.CounterVec   // platform, reason
	duration *prometheus.HistogramVec // platform
	queue    prometheus.Gauge
	dropped  *prometheus.CounterVec // reason
	busy     *prometheus.CounterVec // platform, outcome
	// Team memory and shared de-duplication.
	answersByCode *prometheus.CounterVec // code
	findings      *prometheus.CounterVec // code
	feedback      *prometheus.CounterVec // value
	storeErrors   *prometheus.CounterVec // op
	dedupFallback prometheus.Counter
}

// Operations for vssbot_store_errors_total.
const (
	opRecord   = "record_answer"
	opFeedback = "record_feedback"
	opReport   = "report"
)

// otherCode labels the per-code counters for every code the knowledge
// base does not know.
const otherCode = "other"

// Reasons for vssbot_dropped_total.
const (
	dropDuplicate  = "duplicate"
	dropNotAllowed = "not_allowed"
	dropFromBot    = "from_bot"
	dropBusy       = "busy"
)

// Reasons for vssbot_errors_total.
const (
	errPanic      = "panic"
	errTimeout    = "timeout"
	errTooLarge   = "attachment_too_large"
	errOpen       = "attachment_open"
	errRead       = "attachment_read"
	errReply      = "reply"
	errRateLimit  = "rate_limited"
	errBusy       = "busy"
	errBusyNotice = "busy_notice"
)

func newMetrics(reg prometheus.Registerer, log *slog.Logger) *metrics {
	m := &metrics{
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vssbot_events_total",
			Help: "Events accepted by the engine, by platform and kind.",
		}, []string{"platform", "kind"}),
		replies: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vssbot_replies_total",
			Help: "Replies delivered, by platform and reply kind.",
		}, []string{"platform", "kind"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vssbot_errors_total",
			Help: "Failures while answering or delivering, by platform and reason.",
		}, []string{"platform", "reason"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "vssbot_event_duration_seconds",
			Help:    "Time from dequeuing an event to the end of its delivery.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}, []string{"platform"}),
		queue: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "vssbot_queue_depth",
			Help: "Events waiting for a worker.",
		}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vssbot_dropped_total",
			Help: "Events dropped without an answer, by reason.",
		}, []string{"reason"}),
		answersByCode: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vssbot_answers_by_code_total",
			Help: "Answers delivered, by each code they explained (codes the knowledge base does not know count as other).",
		}, []string{"code"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vssbot_findings_total",
			Help: "Sightings of codes in the logs answered, by code (codes the knowledge base does not know count as other).",
		}, []string{"code"}),
		feedback: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vssbot_feedback_total",
			Help: "Feedback votes recorded (one per user and answer), by value.",
		}, []string{"value"}),
		storeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vssbot_store_errors_total",
			Help: "Team memory operations that failed, by operation.",
		}, []string{"op"}),
		dedupFallback: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vssbot_dedup_fallback_total",
			Help: "De-duplication decisions made locally because Redis was down or slow.",
		}),
	}
	m.busy = newBusyCounter()
	if reg == nil {
		return m
	}
	for _, c := range []prometheus.Collector{m.events, m.replies, m.errors, m.duration, m.queue, m.dropped, m.busy,
		m.answersByCode, m.findings, m.feedback, m.storeErrors, m.dedupFallback} {
		// A second engine on the same registry is a configuration slip,
		// not a reason to crash: keep counting, say so once.
		if err := reg.Register(c); err != nil {
			var already prometheus.AlreadyRegisteredError
			if !errors.As(err, &already) {
				log.Error("register metric", "err", err)
				continue
			}
			log.Warn("metric already registered; this engine's counts are not exported", "err", err)
		}
	}
	return m
}
