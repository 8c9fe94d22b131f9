package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/vssbot/vssbot/answer"
)

// firstBackoff is the wait before retrying a temporary error; it doubles
// with each attempt.
const firstBackoff = 200 * time.Millisecond

// deliver hands r to the Replier until every part is posted, waiting and
// retrying after a rate limit or a temporary error, up to MaxRetries failed
// attempts in a row: an attempt that posts something resets the count,
// since the reply did move on. It logs and counts every failure, so
// callers need not. It returns where the reply went so far.
func (e *Engine) deliver(ctx context.Context, to Replier, t Target, r *answer.Outline) (Progress, error) {
	var p Progress
	failed := 0
	for attempt := 1; ; attempt++ {
		before := p.Posts
		err := e.replyOnce(ctx, to, t, r, &p)
		if err == nil {
			e.metrics.replies.WithLabelValues(t.Platform, r.Kind.String()).Inc()
			return p, nil
		}
		if p.Posts > before {
			failed = 0
		}
		wait, retry := e.retryAfter(err, failed)
		failed++
		if !retry {
			e.metrics.errors.WithLabelValues(t.Platform, errReply).Inc()
			e.log.Error("reply not delivered", "platform", t.Platform, "channel", t.Channel, "attempts", attempt, "posted", p.Posts, "err", err)
			return p, err
		}
		reason := errReply
		if _, ok := errors.AsType[*RateLimitError](err); ok {
			reason = errRateLimit
		}
		e.metrics.errors.WithLabelValues(t.Platform, reason).Inc()
		e.log.Warn("reply failed, retrying", "platform", t.Platform, "channel", t.Channel, "attempt", attempt, "posted", p.Posts, "wait", wait, "err", err)
		if err := sleep(ctx, wait); err != nil {
			e.metrics.errors.WithLabelValues(t.Platform, errReply).Inc()
			e.log.Error("reply abandoned while waiting to retry", "platform", t.Platform, "channel", t.Channel, "posted", p.Posts, "err", err)
			return p, fmt.Errorf("reply: %w", err)
		}
	}
}

// retryAfter says whether a failed attempt is worth another, after failed
// failures in a row, and after how long.
func (e *Engine) retryAfter(err error, failed int) (time.Duration, bool) {
	if failed >= e.opts.MaxRetries || errors.Is(err, errReplierPanicked) {
		return 0, false
	}
	if rl, ok := errors.AsType[*RateLimitError](err); ok {
		return min(max(rl.RetryAfter, 0), e.opts.MaxRetryWait), true
	}
	if _, ok := errors.AsType[*TemporaryError](err); ok {
		return min(firstBackoff<<failed, e.opts.MaxRetryWait), true
	}
	return 0, false
}

// errReplierPanicked marks a Replier that panicked; retrying would only
// panic again.
var errReplierPanicked = errors.New("replier panicked")

// replyOnce calls the Replier once, turning its panic into an error.
func (e *Engine) replyOnce(ctx context.Context, to Replier, t Target, r *answer.Outline, p *Progress) (err error) {
	defer func() {
		if v := recover(); v != nil {
			e.metrics.errors.WithLabelValues(t.Platform, errPanic).Inc()
			e.log.Error("panic in replier", "platform", t.Platform, "channel", t.Channel, "panic", v, "stack", string(debug.Stack()))
			err = fmt.Errorf("%w: %v", errReplierPanicked, v)
		}
	}()
	// Every chat output passes here: untrusted text (a log's, a file
	// name, a team note) reaches it escaped.
	r.Escape()
	return to.Reply(ctx, t, r, p)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
