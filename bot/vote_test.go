package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/poll"
	"github.com/vssbot/vssbot/memory"
	"github.com/vssbot/vssbot/parse"
)

// TestVotesOnlyOnSentAnswers: a button value naming an answer the bot
// never sent, or a click without a user id, counts nothing.
func TestVotesOnlyOnSentAnswers(t *testing.T) {
	mem := teamMemory(t)
	e, reg := newEngine(t, bot.Config{Memory: mem}, parse.Limits{})
	ctx := context.Background()
	forged := bot.FeedbackPrompt{AnswerID: memory.NewID(), Lang: "en"}.Value(memory.Fixed)
	if _, err := e.Feedback(ctx, bot.Click{Platform: "test", User: "U1", Value: forged}); !errors.Is(err, memory.ErrUnknownAnswer) {
		t.Fatalf("vote on an answer never sent: %v", err)
	}
	rec := &recorder{}
	if err := e.Submit(lookup("EvVote"), rec); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "the answer", func() bool { return len(rec.delivered()) == 1 })
	var value string
	for _, a := range rec.delivered()[0].Actions {
		if strings.HasSuffix(a.ID, "fixed") {
			value = a.Value
		}
	}
	if value == "" {
		t.Fatal("the answer has no feedback buttons")
	}
	if _, err := e.Feedback(ctx, bot.Click{Platform: "test", User: "", Value: value}); err == nil {
		t.Fatal("a click without a user was counted")
	}
	if got := metric(t, reg, "vssbot_feedback_total", "value", "fixed"); got != 0 {
		t.Fatalf("votes counted: %v", got)
	}
	// The same button pressed by a user counts.
	if p, err := e.Feedback(ctx, bot.Click{Platform: "test", User: "U1", Value: value}); err != nil || p.Tally.Fixed != 1 {
		t.Fatalf("a real vote: %+v %v", p.Tally, err)
	}
}
