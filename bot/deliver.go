package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"
)

// firstBackoff is the wait before retrying a temporary error; it doubles
// with each attempt.
const firstBackoff = 200 * time.Millisecond

// deliver hands r to the Replier, waiting and retrying after a rate limit
// or a temporary error, up to MaxRetries. It logs and counts every failure,
// so callers need not.
func (e *Engine) deliver(ctx context.Context, to Replier, t Target, r *Reply) error {
	for attempt := 0; ; attempt++ {
		err := e.replyOnce(ctx, to, t, r)
		if err == nil {
			e.metrics.replies.WithLabelValues(t.Platform, r.Kind.String()).Inc()
			return nil
		}
		wait, retry := e.retryAfter(err, attempt)
		if !retry {
			e.metrics.errors.WithLabelValues(t.Platform, errReply).Inc()
			e.log.Error("reply not delivered", "platform", t.Platform, "channel", t.Channel, "attempts", attempt+1, "err", err)
			return err
		}
		reason := errReply
		if rl := (*RateLimitError)(nil); errors.As(err, &rl) {
			reason = errRateLimit
		}
		e.metrics.errors.WithLabelValues(t.Platform, reason).Inc()
		e.log.Warn("reply failed, retrying", "platform", t.Platform, "channel", t.Channel, "attempt", attempt+1, "wait", wait, "err", err)
		if err := sleep(ctx, wait); err != nil {
			e.metrics.errors.WithLabelValues(t.Platform, errReply).Inc()
			e.log.Error("reply abandoned while waiting to retry", "platform", t.Platform, "channel", t.Channel, "err", err)
			return fmt.Errorf("reply: %w", err)
		}
	}
}

// retryAfter says whether a failed reply is worth another attempt, and
// after how long.
func (e *Engine) retryAfter(err error, attempt int) (time.Duration, bool) {
	if attempt >= e.opts.MaxRetries || errors.Is(err, errReplierPanicked) {
		return 0, false
	}
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return min(max(rl.RetryAfter, 0), e.opts.MaxRetryWait), true
	}
	var tmp interface{ Temporary() bool }
	if errors.As(err, &tmp) && tmp.Temporary() {
		return min(firstBackoff<<attempt, e.opts.MaxRetryWait), true
	}
	return 0, false
}

// errReplierPanicked marks a Replier that panicked; retrying would only
// panic again.
var errReplierPanicked = errors.New("replier panicked")

// replyOnce calls the Replier once, turning its panic into an error.
func (e *Engine) replyOnce(ctx context.Context, to Replier, t Target, r *Reply) (err error) {
	defer func() {
		if v := recover(); v != nil {
			e.metrics.errors.WithLabelValues(t.Platform, errPanic).Inc()
			e.log.Error("panic in replier", "platform", t.Platform, "channel", t.Channel, "panic", v, "stack", string(debug.Stack()))
			err = fmt.Errorf("%w: %v", errReplierPanicked, v)
		}
	}()
	return to.Reply(ctx, t, r)
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
