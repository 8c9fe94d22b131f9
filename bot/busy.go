package bot

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/answer"
)

// What became of an event refused with ErrBusy, for vssbot_busy_total.
// Every refusal ends in exactly one of them, so events in = answered +
// told + left for retry (the platform sends those again, and each new
// attempt ends the same way).
const (
	BusyRetry        = "retry"         // left unacknowledged: the platform sends it again
	BusyTold         = "told"          // the user was told the bot is busy
	BusyNoticeFailed = "notice_failed" // telling the user failed (logged)
)

func newBusyCounter() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "vssbot_busy_total",
		Help: "Events refused because the queue was full, by platform and what became of them (retry, told, notice_failed).",
	}, []string{"platform", "outcome"})
}

// LeftForRetry records that the adapter left a refused event
// unacknowledged (Slack: a non-200 answer, no Socket Mode ack) so that the
// platform sends it again.
func (e *Engine) LeftForRetry(ev Event) {
	e.metrics.busy.WithLabelValues(ev.Target.Platform, BusyRetry).Inc()
	e.log.Info("queue full, event left for the platform's retry", "platform", ev.Target.Platform, "event", ev.ID)
}

// BusyReply is the busy notice in ev's language, for an adapter that gives
// it in its acknowledgement (a slash command's or an interaction's
// response); it counts the event as told.
func (e *Engine) BusyReply(ev Event) *answer.Outline {
	e.metrics.busy.WithLabelValues(ev.Target.Platform, BusyTold).Inc()
	e.metrics.replies.WithLabelValues(ev.Target.Platform, answer.Failure.String()).Inc()
	return busyReply(e.fixedLanguage(ev))
}

// TellBusy delivers the busy notice through to, once, within busyTimeout,
// for a refused event the platform would not send again. It blocks: the
// caller runs it on the goroutine of the event it refuses, so a flood of
// refusals cannot outgrow the flood of events.
func (e *Engine) TellBusy(ctx context.Context, ev Event, to Replier) error {
	ctx, cancel := context.WithTimeout(ctx, busyTimeout)
	defer cancel()
	if err := e.replyOnce(ctx, to, ev.Target, busyReply(e.fixedLanguage(ev)), &Progress{}); err != nil {
		e.metrics.busy.WithLabelValues(ev.Target.Platform, BusyNoticeFailed).Inc()
		e.metrics.errors.WithLabelValues(ev.Target.Platform, errBusyNotice).Inc()
		e.log.Warn("busy notice not delivered", "platform", ev.Target.Platform, "event", ev.ID, "err", err)
		return err
	}
	e.metrics.busy.WithLabelValues(ev.Target.Platform, BusyTold).Inc()
	e.metrics.replies.WithLabelValues(ev.Target.Platform, answer.Failure.String()).Inc()
	return nil
}
