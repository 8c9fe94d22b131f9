package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/memory"
)

// FeedbackPrompt asks whether an answer helped. Adapters render it as two
// buttons whose values are Value(memory.Fixed) and Value(memory.NotHelpful),
// labelled Label(vote).
type FeedbackPrompt struct {
	AnswerID string
	Lang     lang.Tag
	Tally    memory.Tally
}

// feedbackTag starts every feedback button value, so adapters tell the
// bot's buttons from anything else on a message.
const feedbackTag = "vssbot-fb"

// Value is what a button carries: tag, vote, language, answer id. It stays
// under Discord's 100-character custom_id limit.
func (p FeedbackPrompt) Value(v memory.Vote) string {
	return feedbackTag + ":" + string(v) + ":" + string(p.Lang) + ":" + p.AnswerID
}

// Votes lists the buttons in order.
func (p FeedbackPrompt) Votes() []memory.Vote { return []memory.Vote{memory.Fixed, memory.NotHelpful} }

// Label is a button's text in the answer's language, with its count once
// anyone voted.
func (p FeedbackPrompt) Label(v memory.Vote) string {
	text, n := p.Lang.Pick("Fixed it", "解決した"), p.Tally.Fixed
	if v == memory.NotHelpful {
		text, n = p.Lang.Pick("Did not help", "解決しなかった"), p.Tally.NotHelpful
	}
	if n > 0 {
		text += " (" + strconv.Itoa(n) + ")"
	}
	return text
}

// Actions are the prompt's buttons, labelled with the tally.
func (p FeedbackPrompt) Actions() []answer.Action {
	out := make([]answer.Action, 0, 2)
	for _, v := range p.Votes() {
		out = append(out, answer.Action{ID: FeedbackActionPrefix + string(v), Label: p.Label(v), Value: p.Value(v), Primary: v == memory.Fixed})
	}
	return out
}

// FeedbackActionPrefix starts the ID of every feedback button, so an adapter
// redrawing an answer knows which buttons are the tally's.
const FeedbackActionPrefix = "vssbot_feedback_"

// Click is a user pressing a feedback button.
type Click struct {
	Platform string
	User     string
	Value    string // the button's value as the platform returned it
}

// ParseFeedback reads a button value made by Value. ok is false for any
// other value.
func ParseFeedback(value string) (vote memory.Vote, p FeedbackPrompt, ok bool) {
	parts := strings.SplitN(value, ":", 4)
	if len(parts) != 4 || parts[0] != feedbackTag || !memory.Vote(parts[1]).Valid() || !memory.ValidID(parts[3]) {
		return "", FeedbackPrompt{}, false
	}
	l := lang.Tag(parts[2])
	if l != lang.Japanese {
		l = lang.English
	}
	return memory.Vote(parts[1]), FeedbackPrompt{AnswerID: parts[3], Lang: l}, true
}

// feedbackRecheck is how long a vote on an answer not yet recorded waits
// for the record before it is refused.
const feedbackRecheck = time.Second

// ErrNoMemory is returned by Feedback when no store is configured.
var ErrNoMemory = errors.New("bot: memory.dsn is off")

// Feedback records a click once per user and returns the prompt with the
// answer's tally, for the adapter to show on the answer.
func (e *Engine) Feedback(ctx context.Context, c Click) (FeedbackPrompt, error) {
	vote, p, ok := ParseFeedback(c.Value)
	if !ok {
		return FeedbackPrompt{}, fmt.Errorf("bot: not a feedback button: %q", c.Value)
	}
	if e.opts.Memory == nil {
		return p, ErrNoMemory
	}
	f := memory.Feedback{AnswerID: p.AnswerID, Platform: c.Platform, User: c.User, Vote: vote, At: e.now()}
	t, recorded, err := e.opts.Memory.RecordFeedback(ctx, f)
	if errors.Is(err, memory.ErrUnknownAnswer) {
		// The answer may be recorded by another replica a moment after
		// the user saw it: once more, after that moment.
		select {
		case <-ctx.Done():
		case <-time.After(feedbackRecheck):
			t, recorded, err = e.opts.Memory.RecordFeedback(ctx, f)
		}
	}
	if err != nil {
		e.metrics.storeErrors.WithLabelValues(opFeedback).Inc()
		return p, fmt.Errorf("feedback: %w", err)
	}
	if recorded {
		e.metrics.feedback.WithLabelValues(string(vote)).Inc()
	}
	p.Tally = t
	return p, nil
}
