package bot

import (
	"context"
	"slices"
	"time"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/memory"
	"github.com/vssbot/vssbot/stats"
)

// Claims shares de-duplication between replicas (dedup.Shared). An error
// means the shared state is unavailable: the engine then relies on its own
// memory and answers.
type Claims interface {
	Claim(ctx context.Context, id string) (bool, error)
	Done(ctx context.Context, id string) error
	Release(ctx context.Context, id string) error
}

// Memory is the team memory as the engine uses it (memory.Team): it records
// answers and feedback, reports on them, and keeps the team's notes on
// codes.
type Memory interface {
	RecordAnswer(ctx context.Context, a memory.Answer) error
	RecordFeedback(ctx context.Context, f memory.Feedback) (memory.Tally, bool, error)
	Report(ctx context.Context, since, until time.Time) (*stats.Report, error)
	AddNote(ctx context.Context, n memory.Note) (memory.Note, error)
	Notes(ctx context.Context, platform, workspace, code string, limit int) ([]memory.Note, error)
	RemoveNote(ctx context.Context, platform, workspace, id, user string, admin bool) (memory.Note, error)
}

// askFeedback gives an answer worth judging an id and the feedback
// buttons, and returns the id ("" when the answer gets none).
func (e *Engine) askFeedback(r *Reply) string {
	if e.opts.Memory == nil || (r.Kind != Diagnosis && r.Kind != Lookup) || !explains(r) {
		return ""
	}
	p := FeedbackPrompt{AnswerID: memory.NewID(), Lang: r.Lang}
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
		if f.Kind != memory.KindCode {
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
func answerRecord(ev Event, r *Reply, now time.Time) memory.Answer {
	a := memory.Answer{
		ID:        memory.NewID(),
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
			kind = memory.KindFile // kept only when memory.file_names allows
		case answer.AboutCode, answer.AboutWriter, answer.AboutState, answer.AboutEvent:
		default:
			continue
		}
		a.Findings = append(a.Findings, memory.Finding{Kind: kind, Value: s.Value, Name: s.Name})
	}
	return a
}

// sourceOf says how a question came.
func sourceOf(ev Event) memory.Source {
	switch {
	case ev.Target.Platform == "console":
		return memory.CLI
	case ev.Kind == Command:
		return memory.Slash
	case len(ev.Attachments) > 0:
		return memory.File
	}
	return memory.Paste
}
