package answer

import (
	"strconv"
	"strings"

	"github.com/vssbot/vssbot/knowledge"
)

// Subject kinds, as the team memory records them.
const (
	AboutCode   = "code"
	AboutWriter = "writer"
	AboutState  = "state"
	AboutEvent  = "event"
	AboutInput  = "input"
)

// Subject is one thing an answer is about: a code it explains (Name is the
// code's symbolic name), a writer, a writer state, an event, an input read.
// Renderers do not show subjects; they let the answer be counted without
// keeping its text.
type Subject struct {
	Kind  string
	Value string
	Name  string
}

// Action is a button offered under the answer: its Value comes back from
// the platform when a user presses it. Renderers that cannot offer buttons
// (the terminal, the CLI) leave actions out.
type Action struct {
	ID      string // stable per kind of button, e.g. "vssbot_feedback_fixed"
	Label   string
	Value   string
	Primary bool
}

// aboutReport lists a report's subjects, each once.
func aboutReport(rep *knowledge.Report) []Subject {
	var out []Subject
	seen := map[Subject]bool{}
	add := func(kind, value, name string) {
		k := Subject{Kind: kind, Value: value}
		if value == "" || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, Subject{Kind: kind, Value: value, Name: name})
	}
	for _, d := range rep.Diagnoses {
		add(AboutCode, d.Code, d.Name)
		add(AboutWriter, d.Writer, "")
	}
	for _, f := range rep.Findings {
		add(AboutWriter, f.Writer, "")
		add(AboutState, f.StateName, "")
		if f.Event != 0 {
			add(AboutEvent, strings.TrimSpace(f.Provider+" "+strconv.Itoa(f.Event)), "")
		}
	}
	for _, in := range rep.Inputs {
		add(AboutInput, in.Source, "")
	}
	return out
}
