package slack

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/bot"
)

// errURLUsedUp says a response_url has no post left.
var errURLUsedUp = errors.New("response_url used up (5 posts within 30 minutes)")

// Reply implements bot.Replier. A message is answered in its thread. A slash
// command is answered in the channel with the details in a thread under
// that post, or privately when slash_response is ephemeral. A 429 comes
// back as *bot.RateLimitError. Once the reply is posted, the reaction put
// on a message while its file was read is taken back.
func (a *Adapter) Reply(ctx context.Context, to bot.Target, r *bot.Reply) error {
	var err error
	if to.ResponseURL != "" {
		err = a.answerCommand(ctx, to, r)
	} else {
		_, err = a.post(ctx, to.Channel, render(r), cmp.Or(to.Thread, to.Message))
	}
	if err != nil {
		return err
	}
	a.unreact(ctx, to)
	return nil
}

// answerCommand posts the headline and first section to the channel and the
// rest in a thread under it: only chat.postMessage tells the new post's ts,
// which the thread needs. When the bot cannot post there (not a member,
// someone else's DM), the response_url answers in one message instead.
func (a *Adapter) answerCommand(ctx context.Context, to bot.Target, r *bot.Reply) error {
	if a.cfg.SlashResponse == Ephemeral {
		return a.answerEphemeral(ctx, to, render(r))
	}
	head, rest := renderSplit(r)
	// A retry after a failed thread post must not post the headline again.
	headTS := a.commands.get(to.ResponseURL).headTS
	if headTS == "" {
		ts, err := a.post(ctx, to.Channel, head, "")
		if err != nil {
			if isRateLimit(err) {
				return err
			}
			a.log.Info("cannot post the answer in the channel; using response_url", "channel", to.Channel, "err", err)
			if rerr := a.respond(ctx, to.ResponseURL, InChannel, render(r)); rerr != nil {
				return errors.Join(err, rerr)
			}
			return nil
		}
		headTS = ts
		a.commands.setHead(to.ResponseURL, ts)
	}
	if rest.empty() {
		return nil
	}
	_, err := a.post(ctx, to.Channel, rest, headTS)
	return err
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
		return errors.Join(err, fmt.Errorf("chat.postEphemeral to %s: %w", to.Channel, rateLimited(explain("slack.bot_token", perr))))
	}
	return nil
}

// post sends m with chat.postMessage, in thread when set, and returns the
// new message's ts.
func (a *Adapter) post(ctx context.Context, channel string, m message, thread string) (string, error) {
	_, ts, err := a.api.PostMessageContext(ctx, channel, msgOptions(m, thread)...)
	if err != nil {
		return "", fmt.Errorf("chat.postMessage to %s: %w", channel, rateLimited(explain("slack.bot_token", err)))
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
		return fmt.Errorf("post to response_url: %w", rateLimited(err))
	}
	return nil
}

// react marks a message whose large file is being read. Failures are only
// logged: the reaction is a courtesy.
func (a *Adapter) react(to bot.Target) {
	k := reactionKey{to.Channel, to.Message}
	if k.ts == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), apiTimeout)
	defer cancel()
	a.reacted.add(k, a.cfg.Reaction)
	if err := a.api.AddReactionContext(ctx, a.cfg.Reaction, slackapi.NewRefToMessage(k.channel, k.ts)); err != nil {
		a.reacted.take(k)
		a.log.Warn("add reaction", "channel", k.channel, "ts", k.ts, "err", explain("slack.bot_token", err))
	}
}

// unreact takes back the reaction react put on the message, if any.
func (a *Adapter) unreact(ctx context.Context, to bot.Target) {
	k := reactionKey{to.Channel, to.Message}
	emoji, ok := a.reacted.take(k)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), apiTimeout)
	defer cancel()
	if err := a.api.RemoveReactionContext(ctx, emoji, slackapi.NewRefToMessage(k.channel, k.ts)); err != nil {
		a.log.Warn("remove reaction", "channel", k.channel, "ts", k.ts, "err", explain("slack.bot_token", err))
	}
}
