package slack

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/vssbot/vssbot/answer"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/bot"
)

// errURLUsedUp says a response_url has no post left.
var errURLUsedUp = errors.New("response_url used up (5 posts within 30 minutes)")

// Reply implements bot.Replier with one attempt. A message is answered in
// its thread, in one post. A slash command is answered in the channel with
// the details in a thread under that post (two posts; p.Thread remembers
// the first so a retry does not post it again), or privately when
// slash_response is ephemeral. Errors are classified for the engine: a 429
// is a *bot.RateLimitError, a network failure or a 5xx is temporary.
func (a *Adapter) Reply(ctx context.Context, to bot.Target, r *answer.Outline, p *bot.Progress) error {
	if to.ResponseURL != "" {
		return a.answerCommand(ctx, to, r, p)
	}
	if p.Posts > 0 {
		return nil
	}
	if _, err := a.post(ctx, to.Channel, render(r), cmp.Or(to.Thread, to.Message)); err != nil {
		return err
	}
	p.Posts++
	return nil
}

// answerCommand posts the headline and first section to the channel and the
// rest in a thread under it: only chat.postMessage tells the new post's ts,
// which the thread needs. When the bot cannot post there (not a member,
// someone else's DM), the response_url answers in one message instead.
func (a *Adapter) answerCommand(ctx context.Context, to bot.Target, r *answer.Outline, p *bot.Progress) error {
	if a.cfg.SlashResponse == Ephemeral {
		if p.Posts > 0 {
			return nil
		}
		if err := a.answerEphemeral(ctx, to, render(r)); err != nil {
			return err
		}
		p.Posts++
		return nil
	}
	head, rest := renderSplit(r)
	if p.Posts == 0 {
		ts, err := a.post(ctx, to.Channel, head, "")
		if err != nil {
			if classified(err) {
				return err
			}
			a.log.Info("cannot post the answer in the channel; using response_url", "channel", to.Channel, "err", err)
			if rerr := a.respond(ctx, to.ResponseURL, InChannel, render(r)); rerr != nil {
				return errors.Join(err, rerr)
			}
			p.Posts = 2 // the whole answer went in one message
			return nil
		}
		p.Posts, p.Thread = 1, ts
	}
	if p.Posts > 1 || rest.empty() {
		return nil
	}
	if _, err := a.post(ctx, to.Channel, rest, p.Thread); err != nil {
		return err
	}
	p.Posts++
	return nil
}

// answerEphemeral answers only the user who ran the command, through the
// response_url, or chat.postEphemeral when the URL is used up or fails.
func (a *Adapter) answerEphemeral(ctx context.Context, to bot.Target, m message) error {
	err := a.respond(ctx, to.ResponseURL, Ephemeral, m)
	if err == nil {
		return nil
	}
	user := a.commands.get(to.ResponseURL).user
	if user == "" {
		return err
	}
	a.log.Info("response_url failed; using chat.postEphemeral", "channel", to.Channel, "err", err)
	if _, perr := a.api.PostEphemeralContext(ctx, to.Channel, user, msgOptions(m, "")...); perr != nil {
		return errors.Join(err, fmt.Errorf("chat.postEphemeral to %s: %w", to.Channel, classify(explain("slack.bot_token", perr))))
	}
	return nil
}

// post sends m with chat.postMessage, in thread when set, and returns the
// new message's ts.
func (a *Adapter) post(ctx context.Context, channel string, m message, thread string) (string, error) {
	_, ts, err := a.api.PostMessageContext(ctx, channel, msgOptions(m, thread)...)
	if err != nil {
		return "", fmt.Errorf("chat.postMessage to %s: %w", channel, classify(explain("slack.bot_token", err)))
	}
	return ts, nil
}

func msgOptions(m message, thread string) []slackapi.MsgOption {
	opts := []slackapi.MsgOption{slackapi.MsgOptionText(m.Text, false), slackapi.MsgOptionDisableLinkUnfurl()}
	if len(m.Blocks) > 0 {
		opts = append(opts, slackapi.MsgOptionBlocks(m.Blocks...))
	}
	if thread != "" {
		opts = append(opts, slackapi.MsgOptionTS(thread))
	}
	return opts
}

// respond posts m to a command's response_url, counting the URL's uses.
func (a *Adapter) respond(ctx context.Context, responseURL, responseType string, m message) error {
	if !a.commands.use(responseURL) {
		return errURLUsedUp
	}
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	msg := &slackapi.WebhookMessage{Text: m.Text, ResponseType: responseType}
	if len(m.Blocks) > 0 {
		msg.Blocks = &slackapi.Blocks{BlockSet: m.Blocks}
	}
	if err := slackapi.PostWebhookCustomHTTPContext(ctx, responseURL, a.files, msg); err != nil {
		return fmt.Errorf("post to response_url: %w", classify(err))
	}
	return nil
}

// Begin implements bot.Watcher: a message carrying a large file gets the
// configured reaction while the engine reads it, and the end the engine
// defers takes it off again, whether the bot answered or stayed silent.
// Failures are only logged: the reaction is a courtesy.
func (a *Adapter) Begin(ctx context.Context, ev bot.Event) (end func(context.Context)) {
	emoji, ref := a.cfg.Reaction, slackapi.NewRefToMessage(ev.Target.Channel, ev.Target.Message)
	if emoji == "" || ev.Target.Message == "" || !hasLarge(ev.Attachments) {
		return nil
	}
	actx, cancel := context.WithTimeout(ctx, reactTimeout)
	defer cancel()
	if err := a.api.AddReactionContext(actx, emoji, ref); err != nil {
		a.log.Warn("add reaction", "channel", ref.Channel, "ts", ref.Timestamp, "err", explain("slack.bot_token", err))
		return nil
	}
	return func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, reactTimeout)
		defer cancel()
		if err := a.api.RemoveReactionContext(ctx, emoji, ref); err != nil {
			a.log.Warn("remove reaction", "channel", ref.Channel, "ts", ref.Timestamp, "err", explain("slack.bot_token", err))
		}
	}
}

func hasLarge(atts []bot.Attachment) bool {
	for _, at := range atts {
		if at.Size > largeFile {
			return true
		}
	}
	return false
}
