package slack

import (
	"context"
	"errors"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
)

// lastRetry is the attempt number of Slack's last retry of an event
// (X-Slack-Retry-Num, a Socket Mode envelope's retry_attempt): Slack sends an
// event at most three times more, so a refusal then must be told.
const lastRetry = 3

// busyTeller is what the adapter needs from the engine to account for an
// event refused on a full queue: each such event is left for Slack's retry
// or the user is told, and the engine counts which.
type busyTeller interface {
	LeftForRetry(ev bot.Event)
	BusyReply(ev bot.Event) *answer.Outline
	TellBusy(ctx context.Context, ev bot.Event, to bot.Replier) error
}

// offer hands ev to the engine. It reports false when the event was
// refused and left for Slack to send again, which the caller does by not
// acknowledging it; retryable says whether Slack will still do that. A
// refused event Slack will not send again is told "busy".
func (a *Adapter) offer(ev bot.Event, retryable bool) (taken bool) {
	err := a.eng.Submit(ev, a)
	if err == nil {
		return true
	}
	bt, counts := a.eng.(busyTeller)
	switch {
	case !errors.Is(err, bot.ErrBusy):
		// Shutting down: another replica (or this one restarted) serves
		// Slack's retry.
		a.log.Warn("engine refused event", "event", ev.ID, "err", err)
		return !retryable
	case retryable:
		if counts {
			bt.LeftForRetry(ev)
		}
		return false
	case counts:
		// Slack will not send it again: the user hears it, off the
		// acknowledging goroutine.
		go func() { _ = bt.TellBusy(context.Background(), ev, a) }()
	default:
		a.log.Warn("queue full on Slack's last attempt; nobody told", "event", ev.ID)
	}
	return true
}

// busyText is the busy notice for a slash command refused on a full queue,
// given in the command's acknowledgement; "" when the command was taken.
func (a *Adapter) busyText(ev bot.Event) string {
	err := a.eng.Submit(ev, a)
	if err == nil {
		return ""
	}
	if bt, ok := a.eng.(busyTeller); ok {
		// Busy or shutting down: either way the user hears it now.
		return bt.BusyReply(ev).Headline
	}
	a.log.Warn("engine refused command; nobody told", "event", ev.ID, "err", err)
	return ""
}
