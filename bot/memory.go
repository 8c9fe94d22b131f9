package bot

import (
	"context"
	"slices"
	"time"

	"github.com/vssbot/vssbot/answer"
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

// askFeedback gives an answer worth judging an id and the feedback
// buttons, and returns the id ("" when the answer gets none).
func (e *Engine) askFeedback(r *answer.Outline) string {
	if e.opts.Memory == nil || (r.Kind != answer.Diagnosis && r.Kind != answer.Lookup) || !explains(r) {
		return ""
	}
	p := FeedbackPrompt{AnswerID: store.NewID(), Lang: r.Lang}
	r.Actions = append(r.Actions, p.Actions()...)
	return p.AnswerID
}

// explains reports whether an answer explains at least one code.
func explains(r *answer.Outline) bool {
	return slices.ContainsFunc(r.About, func(s answer.Subject) bool { return s.Kind == answer.AboutCode })
}

// record stores what a delivered answer explained and counts it; id is
// the answer's feedback id, or "" for a fresh one.
func (e *Engine) record(ctx context.Context, ev Event, r *answer.Outline, id string) {
	if (r.Kind != answer.Diagnosis && r.Kind != answer.Lookup) || !explains(r) {
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
		if r.Kind == answer.Diagnosis {
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
func answerRecord(ev Event, r *answer.Outline, now time.Time) store.Answer {
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
