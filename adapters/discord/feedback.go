package discord

import (
	"context"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
)

// Discord's limits on buttons.
const (
	maxButtonLabel = 80
	maxCustomID    = 100
	maxButtons     = 5 // per action row
)

// feedbackTimeout keeps a click's answer inside the 3 seconds Discord
// waits for an interaction response.
const feedbackTimeout = 2 * time.Second

// actionRow lays out an answer's actions as one row of buttons; the
// button's custom_id carries the action's value.
func actionRow(actions []answer.Action) []discordgo.MessageComponent {
	var buttons []discordgo.MessageComponent
	for _, act := range actions[:min(len(actions), maxButtons)] {
		if len(act.Value) > maxCustomID {
			continue // Discord would refuse the whole message
		}
		style := discordgo.SecondaryButton
		if act.Primary {
			style = discordgo.SuccessButton
		}
		buttons = append(buttons, discordgo.Button{Label: answer.Truncate(act.Label, maxButtonLabel), Style: style, CustomID: act.Value})
	}
	if len(buttons) == 0 {
		return nil
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: buttons}}
}

// clickReply is the answer to a button press. Only what it names changes:
// by Discord's edit semantics a field sent replaces the message's (an
// empty content or a null embeds clears them), so an update carries the
// components alone. discordgo's InteractionResponseData always sends
// content and embeds, hence this type of its own.
type clickReply struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data *componentsOnly                   `json:"data,omitempty"`
}

type componentsOnly struct {
	Components []discordgo.MessageComponent `json:"components"`
}

// clickResponse answers a button press (a MESSAGE_COMPONENT interaction):
// the click is recorded once per user and the message's buttons are
// redrawn with the tally (UPDATE_MESSAGE), the answer's text and embeds
// left as they are. Anything else, or a failure, is acknowledged without
// change, so the user never sees "interaction failed".
func (a *Adapter) clickResponse(in *discordgo.Interaction) *clickReply {
	ack := &clickReply{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	if in.Type != discordgo.InteractionMessageComponent {
		return ack
	}
	value := in.MessageComponentData().CustomID
	if _, _, ok := bot.ParseFeedback(value); !ok {
		return ack
	}
	user := ""
	switch {
	case in.Member != nil && in.Member.User != nil:
		user = in.Member.User.ID
	case in.User != nil:
		user = in.User.ID
	}
	ctx, cancel := context.WithTimeout(context.Background(), feedbackTimeout)
	defer cancel()
	p, err := a.eng.Feedback(ctx, bot.Click{Platform: platform, User: user, Value: value})
	if err != nil {
		a.log.Warn("feedback not recorded", "channel", in.ChannelID, "err", err)
		return ack
	}
	return &clickReply{Type: discordgo.InteractionResponseUpdateMessage, Data: &componentsOnly{Components: actionRow(p.Actions())}}
}

// onClick answers a button press that came over the gateway.
func (a *Adapter) onClick(in *discordgo.Interaction) {
	resp := a.clickResponse(in)
	ctx, cancel := context.WithTimeout(context.Background(), feedbackTimeout)
	defer cancel()
	err := a.call(ctx, func(opts ...discordgo.RequestOption) error {
		_, err := a.session.RequestWithBucketID(http.MethodPost, discordgo.EndpointInteractionResponse(in.ID, in.Token),
			resp, discordgo.EndpointInteractionResponse(in.ID, ""), opts...)
		return err
	})
	if err != nil {
		a.log.Warn("click not acknowledged", "channel", in.ChannelID, "err", err)
	}
}
