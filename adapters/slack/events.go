package slack

import (
	"cmp"
	"context"
	"io"
	"strings"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/slackutilsx"

	"github.com/vssbot/vssbot/bot"
)

const platform = "slack"

// onEventsAPI handles one Events API callback, from Socket Mode or HTTP.
// The event id becomes the Event's ID, so Slack's retries of the same event
// are dropped by the engine.
func (a *Adapter) onEventsAPI(ev slackevents.EventsAPIEvent, retryable bool) (taken bool) {
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok {
		a.log.Debug("ignored Events API envelope", "type", ev.Type)
		return true
	}
	var (
		e    bot.Event
		keep bool
	)
	switch in := ev.InnerEvent.Data.(type) {
	case *slackevents.MessageEvent:
		e, keep = a.fromMessage(in)
	case *slackevents.AppMentionEvent:
		e, keep = a.fromMention(in)
	}
	if !keep {
		a.log.Debug("ignored event", "event", cb.EventID, "type", ev.InnerEvent.Type)
		return true
	}
	e.ID = cb.EventID
	e.Target.Workspace = ev.TeamID
	return a.submit(e, retryable)
}

// fromMessage turns a message into an Event; keep is false for what is
// not a user's new message (edits, deletions, joins) and for channel
// messages that mention the bot, which Slack also delivers as an
// app_mention: answering only that one answers such a message once. A
// bot's message, the bot's own included, is marked FromBot for the engine
// to drop.
func (a *Adapter) fromMessage(m *slackevents.MessageEvent) (e bot.Event, keep bool) {
	self := a.whoami()
	if !answerable(m.SubType) || (m.User == "" && m.BotID == "") {
		return bot.Event{}, false
	}
	dm := m.ChannelType == slackevents.ChannelTypeIM
	if !dm && mentions(m.Text, self.User) {
		return bot.Event{}, false
	}
	var files []slackapi.File
	if m.Message != nil {
		files = m.Message.Files
	}
	return bot.Event{
		Kind:        bot.Message,
		Text:        strings.TrimSpace(unescape(stripMention(m.Text, self.User))),
		Attachments: a.attachments(files),
		User:        m.User,
		FromBot:     m.BotID != "" || m.User == self.User,
		// A direct message is addressed to the bot even without a mention.
		Mentioned: dm,
		Target:    target(m.Channel, m.TimeStamp, m.ThreadTimeStamp, dm),
	}, true
}

// fromMention turns an app_mention into an Event.
func (a *Adapter) fromMention(m *slackevents.AppMentionEvent) (e bot.Event, keep bool) {
	self := a.whoami()
	// A mention in a DM, should Slack send one, arrives as message.im too.
	if (m.User == "" && m.BotID == "") || isDM(m.Channel) {
		return bot.Event{}, false
	}
	return bot.Event{
		Kind:        bot.Message,
		Text:        strings.TrimSpace(unescape(stripMention(m.Text, self.User))),
		Attachments: a.attachments(m.Files),
		User:        m.User,
		FromBot:     m.BotID != "" || m.User == self.User,
		Mentioned:   true,
		Target:      target(m.Channel, m.TimeStamp, m.ThreadTimeStamp, false),
	}, true
}

// onCommand turns a slash command into an Event. Slack gives commands no
// event id; the trigger id is unique per invocation, and without one the
// key is the request's (the Socket Mode envelope, the signed HTTP request).
func (a *Adapter) onCommand(envelopeID string, cmd slackapi.SlashCommand) (busy string) {
	if cmd.ResponseURL != "" {
		a.commands.add(cmd.ResponseURL, cmd.UserID)
	}
	return a.busyText(bot.Event{
		ID:   cmp.Or(cmd.TriggerID, envelopeID),
		Kind: bot.Command,
		Text: strings.TrimSpace(unescape(cmd.Text)),
		User: cmd.UserID,
		Target: bot.Target{
			Platform:    platform,
			Workspace:   cmd.TeamID,
			Channel:     cmd.ChannelID,
			ResponseURL: cmd.ResponseURL,
			DM:          isDM(cmd.ChannelID),
		},
	})
}

// answerable reports whether a message subtype is a user's new message.
func answerable(subtype string) bool {
	switch subtype {
	case "", "file_share", "thread_broadcast":
		return true
	}
	return false
}

// target answers in the message's thread, or starts one on the message.
func target(channel, ts, threadTS string, dm bool) bot.Target {
	return bot.Target{
		Platform: platform,
		Channel:  channel,
		Thread:   cmp.Or(threadTS, ts),
		Message:  ts,
		DM:       dm,
	}
}

func isDM(channel string) bool {
	return slackutilsx.DetectChannelType(channel) == slackutilsx.CTypeDM
}

// mentions reports whether text mentions user as <@U123> or <@U123|name>.
func mentions(text, user string) bool {
	_, _, found := cutMention(text, user)
	return found
}

// stripMention removes every mention of user from text.
func stripMention(text, user string) string {
	for {
		before, after, found := cutMention(text, user)
		if !found {
			return text
		}
		text = before + after
	}
}

// cutMention splits text around its first mention of user.
func cutMention(text, user string) (before, after string, found bool) {
	if user == "" {
		return text, "", false
	}
	tag := "<@" + user
	for off := 0; ; {
		i := strings.Index(text[off:], tag)
		if i < 0 {
			return text, "", false
		}
		i += off
		rest := text[i+len(tag):]
		if strings.HasPrefix(rest, ">") || strings.HasPrefix(rest, "|") {
			if end := strings.IndexByte(rest, '>'); end >= 0 {
				return text[:i], rest[end+1:], true
			}
		}
		off = i + len(tag)
	}
}

// attachments describes files for the engine; each is downloaded only if
// and when the engine opens it.
func (a *Adapter) attachments(files []slackapi.File) []bot.Attachment {
	if len(files) == 0 {
		return nil
	}
	out := make([]bot.Attachment, 0, len(files))
	for _, f := range files {
		size := int64(f.Size)
		if size == 0 && f.URLPrivateDownload == "" && f.URLPrivate == "" {
			size = -1 // only the id came: files.info will tell
		}
		out = append(out, bot.Attachment{
			Name: cmp.Or(f.Name, f.Title, f.ID),
			Size: size,
			Open: func(ctx context.Context) (io.ReadCloser, error) { return a.download(ctx, f) },
		})
	}
	return out
}
