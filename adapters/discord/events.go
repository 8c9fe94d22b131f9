package discord

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/vssbot/vssbot/bot"
)

const platform = "discord"

// command is /vss, registered at start.
func command() *discordgo.ApplicationCommand {
	ja := map[discordgo.Locale]string{discordgo.Japanese: "VSS やバックアップのエラーコードを説明し、ログを診断します"}
	return &discordgo.ApplicationCommand{
		Name:                     "vss",
		Type:                     discordgo.ChatApplicationCommand,
		Description:              "Explain a VSS or backup error code, or diagnose a log file",
		DescriptionLocalizations: &ja,
		Options: []*discordgo.ApplicationCommandOption{{
			Type:        discordgo.ApplicationCommandOptionString,
			Name:        "code",
			Description: "Codes, names or writers, e.g. 0x800423f2, -311, System Writer, help",
			MaxLength:   1000,
		}, {
			Type:        discordgo.ApplicationCommandOptionAttachment,
			Name:        "file",
			Description: "A backup log, vssadmin output or event log export",
		}},
	}
}

// registerCommands overwrites the application's commands with /vss, per
// guild when guilds are configured (immediate), globally otherwise.
func (a *Adapter) registerCommands(ctx context.Context) error {
	guilds := a.cfg.GuildIDs
	if len(guilds) == 0 {
		guilds = []string{""}
	}
	for _, g := range guilds {
		err := a.retrying(ctx, "register commands", func(opts ...discordgo.RequestOption) error {
			_, err := a.session.ApplicationCommandBulkOverwrite(a.cfg.AppID, g, []*discordgo.ApplicationCommand{command()}, opts...)
			return err
		})
		if err != nil {
			if g == "" {
				return err
			}
			return fmt.Errorf("guild %s: %w", g, err)
		}
	}
	return nil
}

// onMessage turns a gateway message into an Event.
func (a *Adapter) onMessage(_ *discordgo.Session, m *discordgo.MessageCreate) {
	ev, ok := a.messageEvent(m.Message)
	if !ok {
		return
	}
	a.submit(ev)
}

// messageEvent builds the Event of a message; ok is false for what is not
// a user's message (system notices, empty ones). A bot's message, the
// bot's own included, is marked FromBot for the engine to drop.
func (a *Adapter) messageEvent(m *discordgo.Message) (bot.Event, bool) {
	if m == nil || m.Author == nil {
		return bot.Event{}, false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return bot.Event{}, false
	}
	text, mentioned := stripMention(m.Content, a.self())
	for _, u := range m.Mentions {
		mentioned = mentioned || (u != nil && u.ID == a.self() && u.ID != "")
	}
	ev := bot.Event{
		ID:        m.ID,
		Kind:      bot.Message,
		Text:      text,
		User:      m.Author.ID,
		FromBot:   m.Author.Bot || m.Author.System || m.Author.ID == a.self(),
		Mentioned: mentioned,
		Target: bot.Target{
			Platform: platform,
			Channel:  m.ChannelID,
			Message:  m.ID,
			DM:       m.GuildID == "",
			// The guild is the workspace the team memory counts by.
			Workspace: m.GuildID,
		},
	}
	for _, at := range m.Attachments {
		if at != nil {
			ev.Attachments = append(ev.Attachments, a.attachment(at))
		}
	}
	if strings.TrimSpace(ev.Text) == "" && len(ev.Attachments) == 0 && !mentioned {
		return bot.Event{}, false
	}
	return ev, true
}

// stripMention removes <@id> and <@!id> mentions of the bot from text.
func stripMention(text, self string) (string, bool) {
	if self == "" {
		return text, false
	}
	found := false
	for _, m := range []string{"<@" + self + ">", "<@!" + self + ">"} {
		if strings.Contains(text, m) {
			found = true
			text = strings.ReplaceAll(text, m, "")
		}
	}
	return strings.TrimSpace(text), found
}

// onInteraction defers a /vss command at once (Discord allows 3 seconds)
// and hands it to the engine, which edits the response later.
func (a *Adapter) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	if ic.Interaction != nil && ic.Type == discordgo.InteractionMessageComponent {
		a.onClick(ic.Interaction)
		return
	}
	ev, ok := a.commandEvent(ic.Interaction)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	err := a.call(ctx, func(opts ...discordgo.RequestOption) error {
		return a.session.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		}, opts...)
	})
	if err != nil {
		a.log.Error("cannot defer the interaction", "event", ev.ID, "err", err)
		return
	}
	a.submit(ev)
}

func (a *Adapter) submit(ev bot.Event) {
	err := a.eng.Submit(ev, a)
	if err == nil {
		return
	}
	// Discord sends nothing twice: a refused event is told "busy" (an
	// interaction's deferred answer edited, a message answered in its
	// thread), here on its own goroutine, so refusals cost no more
	// goroutines than the events themselves.
	_ = a.eng.TellBusy(context.Background(), ev, a)
}

// commandEvent builds the Event of a /vss invocation.
func (a *Adapter) commandEvent(in *discordgo.Interaction) (bot.Event, bool) {
	if in == nil || in.Type != discordgo.InteractionApplicationCommand || in.Token == "" {
		return bot.Event{}, false
	}
	data, ok := in.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok || data.Name != "vss" {
		return bot.Event{}, false
	}
	ev := bot.Event{
		ID:     in.ID,
		Kind:   bot.Command,
		Locale: string(in.Locale), // the user's client language
		Target: bot.Target{
			Platform:    platform,
			Channel:     in.ChannelID,
			Interaction: in.Token,
			DM:          in.GuildID == "",
			Workspace:   in.GuildID,
		},
	}
	switch {
	case in.Member != nil && in.Member.User != nil:
		ev.User = in.Member.User.ID
	case in.User != nil:
		ev.User = in.User.ID
	}
	for _, o := range data.Options {
		if o == nil {
			continue
		}
		v, _ := o.Value.(string)
		switch o.Name {
		case "code":
			ev.Text = strings.TrimSpace(v)
		case "file":
			if data.Resolved == nil {
				continue
			}
			if at := data.Resolved.Attachments[v]; at != nil {
				ev.Attachments = append(ev.Attachments, a.attachment(at))
			}
		}
	}
	return ev, true
}

// Permissions is what the bot needs in a channel, for the invite URL: View
// Channels, Send Messages, Send Messages in Threads, Create Public Threads,
// Read Message History, Attach Files and Embed Links.
const Permissions int64 = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
	discordgo.PermissionSendMessagesInThreads | discordgo.PermissionCreatePublicThreads |
	discordgo.PermissionReadMessageHistory | discordgo.PermissionAttachFiles | discordgo.PermissionEmbedLinks
