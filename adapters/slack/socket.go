package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// runSocket holds a Socket Mode connection until ctx is done. slack-go's
// client reconnects on its own when the websocket drops, Slack asks it to
// (disconnect), or pings stop; Run returns early only when a setting is at
// fault, since retrying cannot help then.
func (a *Adapter) runSocket(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	defer a.connected.Store(false)
	smc := socketmode.New(a.api, socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)))
	done := make(chan error, 1)
	go func() { done <- smc.RunContext(ctx) }()
	var fatal error
	for {
		select {
		case err := <-done:
			switch {
			case fatal != nil:
				return fatal
			case parent.Err() != nil:
				return nil
			}
			return fmt.Errorf("slack socket mode: %w", explain("slack.app_token", err))
		case evt := <-smc.Events:
			if err := a.onSocketEvent(ctx, smc, evt); err != nil && fatal == nil {
				fatal = err
				cancel()
			}
		}
	}
}

// onSocketEvent acknowledges what Slack asks to be acknowledged at once,
// before any work (Slack retries requests not acked within 3 seconds), then
// hands the event on. It returns an error only when the connection cannot
// work with the current settings.
func (a *Adapter) onSocketEvent(ctx context.Context, smc *socketmode.Client, evt socketmode.Event) error {
	switch evt.Type {
	case socketmode.EventTypeEventsAPI:
		// No ack for an event the engine cannot take: Slack sends it
		// again (up to three times; the last time the user is told).
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok || evt.Request == nil || a.onEventsAPI(ev, evt.Request.RetryAttempt < lastRetry) {
			a.ack(ctx, smc, evt.Request)
		}
	case socketmode.EventTypeSlashCommand:
		// An empty ack: the answer goes through the Web API, never in the
		// ack, which Slack drops at 20 KB and which must come within 3 s.
		// Only "busy" fits in it.
		cmd, ok := evt.Data.(slackapi.SlashCommand)
		if !ok || evt.Request == nil {
			a.ack(ctx, smc, evt.Request)
			break
		}
		if busy := a.onCommand(evt.Request.EnvelopeID, cmd); busy != "" {
			a.ackWith(ctx, smc, evt.Request, map[string]string{"response_type": "ephemeral", "text": busy})
		} else {
			a.ack(ctx, smc, evt.Request)
		}
	case socketmode.EventTypeInteractive:
		a.ack(ctx, smc, evt.Request)
		if cb, ok := evt.Data.(slackapi.InteractionCallback); ok {
			// Recording and redrawing are network calls: off the event loop.
			go a.onInteraction(cb)
		}
	case socketmode.EventTypeConnected:
		a.connected.Store(true)
		if ce, ok := evt.Data.(*socketmode.ConnectedEvent); ok {
			a.log.Info("socket mode connected", "connection", ce.ConnectionCount)
		}
	case socketmode.EventTypeConnecting, socketmode.EventTypeDisconnect:
		// slack-go announces every (re)connection attempt; until it is
		// connected no event can arrive.
		a.connected.Store(false)
		a.log.Debug("socket mode", "event", evt.Type)
	case socketmode.EventTypeConnectionError:
		a.connected.Store(false)
		ce, ok := evt.Data.(*slackapi.ConnectionErrorEvent)
		if !ok {
			break
		}
		if se, ok := errors.AsType[*SettingError](explain("slack.app_token", ce.ErrorObj)); ok {
			return fmt.Errorf("slack socket mode: %w", se)
		}
		a.log.Warn("socket mode connection failed; retrying", "attempt", ce.Attempt, "backoff", ce.Backoff, "err", ce.ErrorObj)
	case socketmode.EventTypeInvalidAuth:
		return errors.New("slack.app_token: Slack refused to open a Socket Mode connection: " +
			"check that Socket Mode is enabled for the app and the token is the app's")
	case socketmode.EventTypeErrorBadMessage:
		// An event slack-go cannot parse (a type it does not know) is still
		// acked, or Slack would send it again and again.
		if bad, ok := evt.Data.(*socketmode.ErrorBadMessage); ok {
			var req socketmode.Request
			if json.Unmarshal(bad.Message, &req) == nil {
				a.ack(ctx, smc, &req)
			}
			a.log.Debug("socket mode: unparsed request", "err", bad.Cause)
		}
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("socket mode", "event", evt.Type, "data", evt.Data)
	default:
		a.log.Debug("socket mode", "event", evt.Type)
	}
	return nil
}

func (a *Adapter) ack(ctx context.Context, smc *socketmode.Client, req *socketmode.Request) {
	a.ackWith(ctx, smc, req, nil)
}

func (a *Adapter) ackWith(ctx context.Context, smc *socketmode.Client, req *socketmode.Request, payload any) {
	if req == nil || req.EnvelopeID == "" {
		return
	}
	if err := smc.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
		a.log.Warn("socket mode ack", "envelope", req.EnvelopeID, "err", err)
	}
}

// Ready reports whether the adapter can receive events now: in Socket Mode
// only while the connection is up (it is down while slack-go reconnects);
// in HTTP mode always, Slack connecting to us.
func (a *Adapter) Ready() bool { return a.cfg.Mode == ModeHTTP || a.connected.Load() }
