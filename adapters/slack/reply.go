package slack

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/lang"
)

// errURLUsedUp says a response_url has no post left.
var errURLUsedUp = errors.New("response_url used up (5 posts within 30 minutes)")

// Reply implements bot.Replier with one attempt. The answer is its first
// screen and, for a long one, further messages (render). A message is
// answered in its thread. A slash command is answered in the channel with
// the rest in a thread under that post (p.Thread remembers it so a retry
// does not post it again), or privately when slash_response is ephemeral.
// p.Posts counts the messages posted, so a retry resumes after them.
// Errors are classified for the engine: a 429 is a *bot.RateLimitError, a
// network failure or a 5xx is temporary.
func (a *Adapter) Reply(ctx context.Context, to bot.Target, r *answer.Outline, p *bot.Progress) error {
	if to.ResponseURL != "" {
		return a.answerCommand(ctx, to, r, p)
	}
	msgs := render(r)
	thread := cmp.Or(to.Thread, to.Message, p.Thread)
	for ; p.Posts < len(msgs); p.Posts++ {
		ts, err := a.postFitting(ctx, to.Channel, msgs[p.Posts], thread, r.Lang)
		if err != nil {
			return err
		}
		if thread == "" {
			thread, p.Thread, p.Posted = ts, ts, ts
		}
	}
	return nil
}

// answerCommand posts the first message to the channel and the rest in a
// thread under it: only chat.postMessage tells the new post's ts, which the
// thread needs. When the bot cannot post there (not a member, someone
// else's DM), the response_url answers instead, one message per post.
func (a *Adapter) answerCommand(ctx context.Context, to bot.Target, r *answer.Outline, p *bot.Progress) error {
	l := r.Lang
	if a.cfg.SlashResponse == Ephemeral || r.Private {
		msgs := render(r)
		for ; p.Posts < len(msgs); p.Posts++ {
			if err := a.answerEphemeral(ctx, to, msgs[p.Posts]); err != nil {
				return err
			}
		}
		return nil
	}
	msgs := renderSplit(r)
	if p.Posts == 0 {
		ts, err := a.postFitting(ctx, to.Channel, msgs[0], "", l)
		if err != nil {
			if classified(err) {
				return err
			}
			a.log.Info("cannot post the answer in the channel; using response_url", "channel", to.Channel, "err", err)
			whole := render(r) // no thread to put the rest in
			for i, m := range whole {
				if rerr := a.respond(ctx, to.ResponseURL, InChannel, m); rerr != nil {
					if i == 0 {
						return errors.Join(err, rerr)
					}
					a.log.Warn("rest of the answer not posted through response_url", "channel", to.Channel, "err", rerr)
					break
				}
			}
			p.Posts = len(msgs) // done: a retry posts nothing more
			return nil
		}
		p.Posts, p.Thread, p.Posted = 1, ts, ts
	}
	for ; p.Posts < len(msgs); p.Posts++ {
		if _, err := a.postFitting(ctx, to.Channel, msgs[p.Posts], p.Thread, l); err != nil {
			return err
		}
	}
	return nil
}

// postFitting posts m; when Slack refuses it for its size or its blocks,
// it posts a smaller rendering once, and when even that is refused it
// tells the user that the answer could not be shown, so a refusal is never
// silent.
func (a *Adapter) postFitting(ctx context.Context, channel string, m message, thread string, l lang.Tag) (string, error) {
	ts, err := a.post(ctx, channel, m, thread)
	if !refused(err) {
		return ts, err
	}
	a.log.Warn("Slack refused the answer; posting a smaller one", "channel", channel, "err", err)
	ts, err2 := a.post(ctx, channel, shrink(m, l), thread)
	if !refused(err2) {
		return ts, err2
	}
	note := message{Text: l.Pick("vssbot could not post this answer: Slack refused it even when shortened ("+refusalCode(err2)+"). Try `vssbot diagnose` on the file, or ask an administrator to look at the bot's log.",
		"vssbot はこの回答を投稿できませんでした。短くしても Slack に拒否されました ("+refusalCode(err2)+")。ファイルを `vssbot diagnose` で診断するか、管理者にボットのログを確認してもらってください。")}
	ts, err3 := a.post(ctx, channel, note, thread)
	if err3 != nil {
		return "", errors.Join(err, err2, err3)
	}
	a.log.Error("answer refused twice by Slack; the user was told", "channel", channel, "err", errors.Join(err, err2))
	return ts, nil
}

// refused reports whether Slack refused a message for what it holds, not
// for a setting or the network: a smaller message may pass.
func refused(err error) bool {
	switch refusalCode(err) {
	case "msg_blocks_too_long", "invalid_blocks", "msg_too_long", "invalid_blocks_format", "too_many_attachments":
		return true
	}
	return false
}

func refusalCode(err error) string {
	if se, ok := errors.AsType[slackapi.SlackErrorResponse](err); ok {
		return se.Err
	}
	return ""
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
