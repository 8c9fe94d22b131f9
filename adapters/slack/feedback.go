package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
)

// actionsBlockID names the actions block holding an answer's buttons, so
// a click's redraw replaces exactly that block.
const actionsBlockID = "vssbot_actions"

// actionsBlock lays out an answer's actions as buttons. Slack asks for a
// new block_id whenever a message is updated, so a redraw passes a suffix
// (the tally); the block is found again by its prefix.
func actionsBlock(actions []answer.Action, suffix string) slackapi.Block {
	buttons := make([]slackapi.BlockElement, 0, len(actions))
	for _, act := range actions {
		b := slackapi.NewButtonBlockElement(act.ID, act.Value,
			slackapi.NewTextBlockObject(slackapi.PlainTextType, answer.Truncate(act.Label, 75), true, false))
		if act.Primary {
			b.Style = slackapi.StylePrimary
		}
		buttons = append(buttons, b)
	}
	return slackapi.NewActionBlock(actionsBlockID+suffix, buttons...)
}

// onInteraction handles a block_actions payload (HTTP or Socket Mode),
// already acknowledged: a feedback click is recorded and the answer's
// buttons show the new tally. Other interactions are ignored.
func (a *Adapter) onInteraction(cb slackapi.InteractionCallback) {
	if cb.Type != slackapi.InteractionTypeBlockActions {
		return
	}
	for _, act := range cb.ActionCallback.BlockActions {
		if _, _, ok := bot.ParseFeedback(act.Value); !ok {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), apiTimeout)
		p, err := a.eng.Feedback(ctx, bot.Click{Platform: platform, User: cb.User.ID, Value: act.Value})
		if err != nil {
			cancel()
			a.log.Warn("feedback not recorded", "channel", cb.Channel.ID, "err", err)
			return
		}
		err = a.showTally(ctx, cb, &p)
		cancel()
		if err != nil {
			a.log.Warn("feedback tally not shown", "channel", cb.Channel.ID, "err", err)
		}
		return
	}
}

// showTally replaces the answer through the click's response_url: the same
// blocks, the feedback buttons relabelled. It works for ephemeral answers
// too, which chat.update cannot edit.
func (a *Adapter) showTally(ctx context.Context, cb slackapi.InteractionCallback, p *bot.FeedbackPrompt) error {
	if cb.ResponseURL == "" {
		return errors.New("interaction without response_url")
	}
	blocks := make([]slackapi.Block, 0, len(cb.Message.Blocks.BlockSet))
	for _, b := range cb.Message.Blocks.BlockSet {
		if ab, ok := b.(*slackapi.ActionBlock); ok && strings.HasPrefix(ab.BlockID, actionsBlockID) {
			b = actionsBlock(p.Actions(), fmt.Sprintf(".%d.%d", p.Tally.Fixed, p.Tally.NotHelpful))
		}
		blocks = append(blocks, b)
	}
	msg := &slackapi.WebhookMessage{Text: cb.Message.Text, Blocks: &slackapi.Blocks{BlockSet: blocks}, ReplaceOriginal: true}
	if err := slackapi.PostWebhookCustomHTTPContext(ctx, cb.ResponseURL, a.files, msg); err != nil {
		return fmt.Errorf("replace the answer through response_url: %w", err)
	}
	return nil
}
