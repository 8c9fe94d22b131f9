package bot

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
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
	Report(ctx context.Context, sc memory.Scope, since, until time.Time) (*stats.Report, error)
	AddNote(ctx context.Context, n memory.Note) (memory.Note, error)
	Notes(ctx context.Context, platform, workspace, code string, limit int) ([]memory.Note, error)
	RemoveNote(ctx context.Context, platform, workspace, id, user string, admin bool) (memory.Note, error)
	// LastSeen tells when a workspace last had a finding, for "Seen before".
	LastSeen(ctx context.Context, platform, workspace, kind, value string, until time.Time) (memory.Seen, bool, error)
}

// askFeedback gives an answer worth judging an id and the feedback
// buttons, and returns the id ("" when the answer gets none).
func (e *Engine) askFeedback(r *answer.Outline) string {
	if e.opts.Memory == nil || (r.Kind != answer.Diagnosis && r.Kind != answer.Lookup) || !explains(r) {
		return ""
	}
	p := FeedbackPrompt{AnswerID: memory.NewID(), Lang: r.Lang}
	r.Actions = append(r.Actions, p.Actions()...)
	return p.AnswerID
}

// explains reports whether an answer explains at least one code.
func explains(r *answer.Outline) bool {
	return slices.ContainsFunc(r.About, func(s answer.Subject) bool { return s.Kind == answer.AboutCode })
}

// record stores what a delivered answer explained and counts it; id is
// the answer's feedback id, or "" for a fresh one; posted is the answer's
// first message where the event had none to link to (a slash command).
func (e *Engine) record(ctx context.Context, ev Event, r *answer.Outline, id, posted string) {
	if (r.Kind != answer.Diagnosis && r.Kind != answer.Lookup) || !explains(r) {
		return
	}
	kb, _ := e.src.Current()
	a := answerRecord(kb, ev, r, e.now())
	if a.MessageID == "" {
		a.MessageID = posted
	}
	if ev.Target.DM && a.Workspace == ev.Target.Workspace {
		// A DM counted in its workspace (Slack's) is no thread the others
		// can open: it is never linked as "seen before".
		a.MessageID = ""
	}
	if id != "" {
		a.ID = id
	}
	for _, f := range a.Findings {
		if f.Kind != memory.KindCode {
			continue
		}
		code := codeLabel(kb, f.Value)
		e.metrics.answersByCode.WithLabelValues(code).Inc()
		if r.Kind == answer.Diagnosis {
			e.metrics.findings.WithLabelValues(code).Inc()
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

// codeLabel is the code label of the per-code counters: a code the
// knowledge base knows, else otherCode. A log can name any number of
// codes, and one series per code it invents would grow /metrics and memory
// without bound.
func codeLabel(kb *knowledge.Base, code string) string {
	if kb != nil && kb.Knows(code) {
		return code
	}
	return otherCode
}

// answerRecord is what the team memory keeps of an answer: what it was
// about, in the knowledge base's words, never the text.
func answerRecord(kb *knowledge.Base, ev Event, r *answer.Outline, now time.Time) memory.Answer {
	a := memory.Answer{
		ID:        memory.NewID(),
		At:        now,
		Platform:  ev.Target.Platform,
		Workspace: scopeOf(ev),
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
		if f, ok := storable(kb, memory.Finding{Kind: kind, Value: s.Value, Name: s.Name}); ok {
			a.Findings = append(a.Findings, f)
		}
	}
	return a
}

var (
	canonicalCode = regexp.MustCompile(`^(0x[0-9a-f]{8}|-?[0-9]{1,10})$`)
	stateName     = regexp.MustCompile(`^VSS_WS_[A-Z_]{1,40}$`)
)

// storable keeps what a finding may say in the team memory: codes in
// canonical form with the knowledge base's name, writers and events the
// knowledge base knows; a writer or event it does not know becomes an
// opaque hash under a "custom" label, so nothing a log says verbatim is
// ever stored. File names are the store's to keep or drop.
func storable(kb *knowledge.Base, f memory.Finding) (memory.Finding, bool) {
	switch f.Kind {
	case memory.KindCode:
		if !canonicalCode.MatchString(f.Value) {
			return f, false
		}
		return memory.Finding{Kind: f.Kind, Value: f.Value, Name: kb.NameOf(f.Value)}, true
	case memory.KindWriter:
		for _, w := range kb.WriterNames() {
			if strings.EqualFold(w, strings.TrimSpace(f.Value)) {
				return memory.Finding{Kind: f.Kind, Value: w}, true
			}
		}
		return memory.Finding{Kind: f.Kind, Value: memory.Opaque("custom writer", f.Value), Name: "custom writer"}, true
	case memory.KindState:
		return memory.Finding{Kind: f.Kind, Value: f.Value}, stateName.MatchString(f.Value)
	case memory.KindEvent:
		if name, ok := knownEvent(kb, f.Value); ok {
			return memory.Finding{Kind: f.Kind, Value: name}, true
		}
		return memory.Finding{Kind: f.Kind, Value: memory.Opaque("custom event", f.Value), Name: "custom event"}, true
	case memory.KindFile:
		return memory.Finding{Kind: f.Kind, Value: f.Value}, true
	}
	return f, false
}

// knownEvent is the knowledge base's own name ("VSS 8229") for an event a
// log names "provider id", when it knows the event.
func knownEvent(kb *knowledge.Base, value string) (string, bool) {
	i := strings.LastIndexByte(value, ' ')
	if i <= 0 {
		return "", false
	}
	id, err := strconv.Atoi(value[i+1:])
	if err != nil || !kb.KnowsEvent(value[:i], id) {
		return "", false
	}
	for _, d := range kb.Lookup([]string{value}, lang.English).Diagnoses {
		if d.Kind == "event" && d.Code == value[i+1:] {
			return d.Name, true
		}
	}
	return "", false
}

// scopeOf is the workspace an event's team memory belongs to: its Slack
// team or Discord guild; in a direct message, which has none, the user's
// own (memory.DMScope), so no stranger's note or statistics reach it. The
// terminal has none.
func scopeOf(ev Event) string {
	if ev.Target.Workspace != "" || ev.Target.Platform == "console" {
		return ev.Target.Workspace
	}
	return memory.DMScope(ev.Target.Platform, ev.User)
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
