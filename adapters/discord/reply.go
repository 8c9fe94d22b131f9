package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/bwmarrin/discordgo"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
)

// Reply implements bot.Replier with one attempt: an interaction's deferred
// response is edited (long answers continue in follow-ups); a message is
// answered in its thread, in a thread started on it, or, where threads are
// not possible, as a reply referencing it. p says which messages earlier
// attempts posted and where, so a retry posts only the rest.
func (a *Adapter) Reply(ctx context.Context, to bot.Target, r *answer.Outline, p *bot.Progress) error {
	msgs := render(r)
	if p.Posts >= len(msgs) {
		return nil
	}
	if to.Interaction != "" && r.Private {
		return a.replyPrivately(ctx, to.Interaction, msgs, p)
	}
	if to.Interaction != "" {
		return a.replyInteraction(ctx, to.Interaction, msgs, p)
	}
	channel, ref := p.Thread, (*discordgo.MessageReference)(nil)
	if channel == "" {
		var err error
		if channel, ref, err = a.replyChannel(ctx, to, r); err != nil {
			return err
		}
	}
	for _, m := range msgs[p.Posts:] {
		send := &discordgo.MessageSend{
			Content:         m.Content,
			Embeds:          m.Embeds,
			Components:      m.Components,
			AllowedMentions: &discordgo.MessageAllowedMentions{}, // never ping anyone
		}
		if p.Posts == 0 {
			send.Reference = ref
		}
		err := a.call(ctx, func(opts ...discordgo.RequestOption) error {
			_, err := a.session.ChannelMessageSendComplex(channel, send, opts...)
			return err
		})
		if err != nil {
			return fmt.Errorf("discord: send to %s: %w", channel, err)
		}
		p.Posts++
		p.Thread = channel
	}
	return nil
}

// replyChannel picks where a message's answer goes, starting a thread on
// the message when it is in a plain channel. A refusal (busy, a file it
// cannot read) is one reply to the message where it was posted: a thread
// holding only "cannot" would clutter the channel's list of threads.
func (a *Adapter) replyChannel(ctx context.Context, to bot.Target, r *answer.Outline) (string, *discordgo.MessageReference, error) {
	ref := &discordgo.MessageReference{MessageID: to.Message, ChannelID: to.Channel}
	switch {
	case to.Thread != "":
		return to.Thread, nil, nil
	case to.Message == "":
		return to.Channel, nil, nil
	case to.DM, r.Kind == answer.Failure:
		return to.Channel, ref, nil
	}
	inThread, err := a.isThread(ctx, to.Channel)
	if err != nil {
		if _, limited := errors.AsType[*bot.RateLimitError](err); limited {
			return "", nil, err
		}
		a.log.Warn("channel lookup failed, trying a thread", "channel", to.Channel, "err", err)
	}
	if inThread {
		return to.Channel, nil, nil
	}
	var th *discordgo.Channel
	err = a.call(ctx, func(opts ...discordgo.RequestOption) error {
		var err error
		th, err = a.session.MessageThreadStartComplex(to.Channel, to.Message, &discordgo.ThreadStart{
			Name: threadName(r.Headline), AutoArchiveDuration: 1440,
		}, opts...)
		return err
	})
	if err == nil {
		a.channels.put(th.ID, true)
		return th.ID, nil, nil
	}
	status, code := apiCode(err)
	switch {
	case code == discordgo.ErrCodeThreadAlreadyCreatedForThisMessage:
		// A thread started on a message has the message's id: this is
		// also the path of a retried reply whose thread already exists.
		return to.Message, nil, nil
	case status == http.StatusForbidden || code == discordgo.ErrCodeMissingPermissions ||
		code == discordgo.ErrCodeMissingAccess || (status >= 400 && status < 500 && status != http.StatusTooManyRequests):
		a.log.Info("cannot start a thread, replying to the message", "channel", to.Channel, "status", status, "code", code)
		return to.Channel, ref, nil
	}
	return "", nil, fmt.Errorf("discord: start thread in %s: %w", to.Channel, err)
}

// isThread reports whether a channel is a thread, asking Discord once per
// channel.
func (a *Adapter) isThread(ctx context.Context, id string) (bool, error) {
	if t, ok := a.channels.get(id); ok {
		return t, nil
	}
	var ch *discordgo.Channel
	err := a.call(ctx, func(opts ...discordgo.RequestOption) error {
		var err error
		ch, err = a.session.Channel(id, opts...)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("discord: get channel %s: %w", id, err)
	}
	t := ch.IsThread()
	a.channels.put(id, t)
	return t, nil
}

// replyInteraction edits the deferred response with the first message and
// sends the rest as follow-ups, from where p says an earlier attempt
// stopped.
func (a *Adapter) replyInteraction(ctx context.Context, token string, msgs []message, p *bot.Progress) error {
	in := &discordgo.Interaction{AppID: a.cfg.AppID, Token: token}
	none := &discordgo.MessageAllowedMentions{}
	if p.Posts == 0 {
		first := msgs[0]
		err := a.call(ctx, func(opts ...discordgo.RequestOption) error {
			embeds := first.Embeds
			if embeds == nil {
				embeds = []*discordgo.MessageEmbed{}
			}
			edit := &discordgo.WebhookEdit{Content: &first.Content, Embeds: &embeds, AllowedMentions: none}
			if first.Components != nil {
				edit.Components = &first.Components
			}
			posted, err := a.session.InteractionResponseEdit(in, edit, opts...)
			if err == nil && posted != nil {
				p.Posted = posted.ID
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("discord: edit interaction response: %w", err)
		}
		p.Posts++
	}
	for _, m := range msgs[p.Posts:] {
		err := a.call(ctx, func(opts ...discordgo.RequestOption) error {
			_, err := a.session.FollowupMessageCreate(in, true, &discordgo.WebhookParams{
				Content: m.Content, Embeds: m.Embeds, Components: m.Components, AllowedMentions: none,
			}, opts...)
			return err
		})
		if err != nil {
			return fmt.Errorf("discord: interaction follow-up: %w", err)
		}
		p.Posts++
	}
	return nil
}

// replyPrivately answers only the user who asked: the deferred response,
// which all can see, is deleted, and the answer sent as ephemeral
// follow-ups.
func (a *Adapter) replyPrivately(ctx context.Context, token string, msgs []message, p *bot.Progress) error {
	in := &discordgo.Interaction{AppID: a.cfg.AppID, Token: token}
	for p.Posts < len(msgs) {
		m := msgs[p.Posts]
		err := a.call(ctx, func(opts ...discordgo.RequestOption) error {
			_, err := a.session.FollowupMessageCreate(in, true, &discordgo.WebhookParams{
				Content: m.Content, Embeds: m.Embeds, Components: m.Components,
				AllowedMentions: &discordgo.MessageAllowedMentions{}, Flags: discordgo.MessageFlagsEphemeral,
			}, opts...)
			return err
		})
		if err != nil {
			return fmt.Errorf("discord: ephemeral follow-up: %w", err)
		}
		p.Posts++
	}
	err := a.call(ctx, func(opts ...discordgo.RequestOption) error {
		return a.session.InteractionResponseDelete(in, opts...)
	})
	if err != nil {
		// The answer reached its user; the "thinking" placeholder stays.
		a.log.Warn("deferred response not deleted", "err", err)
	}
	return nil
}

// channelCache remembers whether channels are threads. It is bounded: when
// full it starts over, which costs one lookup per channel.
type channelCache struct {
	mu sync.Mutex
	m  map[string]bool
}

const maxCachedChannels = 4096

func (c *channelCache) get(id string) (thread, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	thread, ok = c.m[id]
	return thread, ok
}

func (c *channelCache) put(id string, thread bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedChannels {
		c.m = make(map[string]bool)
	}
	c.m[id] = thread
}
