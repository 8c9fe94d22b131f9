package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/stats"
	"github.com/vssbot/vssbot/store"
)

// Claims shares de-duplication between replicas (dedup.Shared). An error
// means the shared state is unavailable: the engine then relies on its own
// memory and answers.
type Claims interface {
	Claim(ctx context.Context, id string) (bool, error)
	Done(ctx context.Context, id string) error
	Release(ctx context.Context, id string) error
}

// Memory records answers and feedback and reports on them (store.Store).
type Memory interface {
	RecordAnswer(ctx context.Context, a store.Answer) error
	RecordFeedback(ctx context.Context, f store.Feedback) (store.Tally, bool, error)
	Report(ctx context.Context, since, until time.Time) (*stats.Report, error)
}

// FeedbackPrompt asks whether an answer helped. Adapters render it as two
// buttons whose values are Value(store.Fixed) and Value(store.NotHelpful),
// labelled Label(vote).
type FeedbackPrompt struct {
	AnswerID string
	Lang     lang.Tag
	Tally    store.Tally
}

// feedbackTag starts every feedback button value, so adapters tell the
// bot's buttons from anything else on a message.
const feedbackTag = "vssbot-fb"

// Value is what a button carries: tag, vote, language, answer id. It stays
// under Discord's 100-character custom_id limit.
func (p FeedbackPrompt) Value(v store.Vote) string {
	return feedbackTag + ":" + string(v) + ":" + string(p.Lang) + ":" + p.AnswerID
}

// Votes lists the buttons in order.
func (p FeedbackPrompt) Votes() []store.Vote { return []store.Vote{store.Fixed, store.NotHelpful} }

// Label is a button's text in the answer's language, with its count once
// anyone voted.
func (p FeedbackPrompt) Label(v store.Vote) string {
	text, n := p.Lang.Pick("Fixed it", "解決した"), p.Tally.Fixed
	if v == store.NotHelpful {
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
		out = append(out, answer.Action{ID: FeedbackActionPrefix + string(v), Label: p.Label(v), Value: p.Value(v), Primary: v == store.Fixed})
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
func ParseFeedback(value string) (vote store.Vote, p FeedbackPrompt, ok bool) {
	parts := strings.SplitN(value, ":", 4)
	if len(parts) != 4 || parts[0] != feedbackTag || !store.Vote(parts[1]).Valid() || !store.ValidID(parts[3]) {
		return "", FeedbackPrompt{}, false
	}
	l := lang.Tag(parts[2])
	if l != lang.Japanese {
		l = lang.English
	}
	return store.Vote(parts[1]), FeedbackPrompt{AnswerID: parts[3], Lang: l}, true
}

// ErrNoMemory is returned by Feedback when no store is configured.
var ErrNoMemory = errors.New("bot: stats.dsn is off")

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
	t, recorded, err := e.opts.Memory.RecordFeedback(ctx, store.Feedback{
		AnswerID: p.AnswerID, Platform: c.Platform, User: c.User, Vote: vote, At: e.now(),
	})
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

// askFeedback gives an answer worth judging an id and the feedback
// buttons, and returns the id ("" when the answer gets none).
func (e *Engine) askFeedback(r *Reply) string {
	if e.opts.Memory == nil || (r.Kind != Diagnosis && r.Kind != Lookup) || !explains(r) {
		return ""
	}
	p := FeedbackPrompt{AnswerID: store.NewID(), Lang: r.Lang}
	r.Actions = append(r.Actions, p.Actions()...)
	return p.AnswerID
}

// explains reports whether an answer explains at least one code.
func explains(r *Reply) bool {
	return slices.ContainsFunc(r.About, func(s answer.Subject) bool { return s.Kind == answer.AboutCode })
}

// record stores what a delivered answer explained and counts it; id is
// the answer's feedback id, or "" for a fresh one.
func (e *Engine) record(ctx context.Context, ev Event, r *Reply, id string) {
	if (r.Kind != Diagnosis && r.Kind != Lookup) || !explains(r) {
		return
	}
	a := answerRecord(ev, r, e.now())
	if id != "" {
		a.ID = id
	}
	for _, f := range a.Findings {
		if f.Kind != store.KindCode {
			continue
		}
		e.metrics.answersByCode.WithLabelValues(f.Value).Inc()
		if r.Kind == Diagnosis {
			e.metrics.findings.WithLabelValues(f.Value).Inc()
		}
	}
	if e.opts.Memory == nil {
		return
	}
	if err := e.opts.Memory.RecordAnswer(ctx, a); err != nil {
		e.metrics.storeErrors.WithLabelValues(opRecord).Inc()
		e.log.Warn("answer not recorded", "platform", ev.Target.Platform, "event", ev.ID, "err", err)
	}
}

// answerRecord is what the team memory keeps of an answer: what it was
// about, never the text.
func answerRecord(ev Event, r *Reply, now time.Time) store.Answer {
	a := store.Answer{
		ID:        store.NewID(),
		At:        now,
		Platform:  ev.Target.Platform,
		Workspace: ev.Target.Workspace,
		Channel:   ev.Target.Channel,
		Source:    sourceOf(ev),
		Lang:      string(r.Lang),
		MessageID: ev.Target.Message,
		Kind:      r.Kind.String(),
	}
	for _, s := range r.About {
		kind := s.Kind
		switch kind {
		case answer.AboutInput:
			if s.Value == messageSource {
				continue
			}
			kind = store.KindFile // kept only when stats.file_names allows
		case answer.AboutCode, answer.AboutWriter, answer.AboutState, answer.AboutEvent:
		default:
			continue
		}
		a.Findings = append(a.Findings, store.Finding{Kind: kind, Value: s.Value, Name: s.Name})
	}
	return a
}

// sourceOf says how a question came.
func sourceOf(ev Event) store.Source {
	switch {
	case ev.Target.Platform == "console":
		return store.CLI
	case ev.Kind == Command:
		return store.Slash
	case len(ev.Attachments) > 0:
		return store.File
	}
	return store.Paste
}

// isStats reports whether a command asks for the team report: "stats",
// optionally with a period.
func isStats(text string) (period string, ok bool) {
	f := strings.Fields(strings.ToLower(text))
	if len(f) == 0 || f[0] != "stats" || len(f) > 2 {
		return "", false
	}
	if len(f) == 2 {
		return f[1], true
	}
	return "", true
}

// statsReply answers `/vss stats [7d|30d|90d]`.
func (e *Engine) statsReply(ctx context.Context, period string, l lang.Tag) *Reply {
	if e.opts.Memory == nil {
		return notice(Failure, l, "Statistics are off here (stats.dsn is off).", "ここでは統計が無効です (stats.dsn が off)。")
	}
	p, err := stats.ParsePeriod(period)
	if err != nil || !slices.Contains([]string{"", "7d", "30d", "90d"}, period) {
		return notice(Help, l, "Usage: `/vss stats [7d|30d|90d]`", "使い方: `/vss stats [7d|30d|90d]`")
	}
	until := e.now()
	rep, err := e.opts.Memory.Report(ctx, p.Window(until), until)
	if err != nil {
		e.metrics.storeErrors.WithLabelValues(opReport).Inc()
		e.log.Warn("stats report failed", "err", err)
		return notice(Failure, l, "The statistics could not be read just now; try again shortly.", "統計を読み込めませんでした。少し待ってからもう一度お試しください。")
	}
	var b strings.Builder
	_ = stats.WriteText(&b, rep, stats.Lang(l)) // a strings.Builder never fails
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	// One fenced block keeps the bars aligned in every chat client.
	o := answer.Notice(Help, l, lines[0], l.Pick("The period at a glance", "期間のまとめ"),
		"```\n"+strings.Join(lines[1:], "\n")+"\n```")
	o.Footer = "vssbot stats"
	return o
}
