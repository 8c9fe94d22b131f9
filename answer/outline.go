// Package answer is the outline of one answer: a headline, sections made of
// sentences and labelled lists, the evidence, a footer. It is built once,
// from a knowledge report or as a short notice, and every renderer (the
// CLI's text and Markdown, the console, Slack's blocks, Discord's embeds)
// lays out this outline and nothing else, so each fact is worded once.
//
// A new kind of content (incidents, team notes, a tally) is a new Section or
// List filled by its builder: renderers lay out sections and lists without
// knowing what they hold.
package answer

import (
	"strconv"

	"github.com/vssbot/vssbot/lang"
)

// Kind says what an answer is, so renderers can style it.
type Kind int

// Answer kinds.
const (
	Diagnosis Kind = iota // findings from a message or file
	Lookup                // answer to /vss CODE or `vssbot lookup`
	Help                  // usage, or "nothing found" after a mention
	Failure               // the request could not be served; Headline says why
)

// String names the kind for metrics and logs.
func (k Kind) String() string {
	switch k {
	case Diagnosis:
		return "diagnosis"
	case Lookup:
		return "lookup"
	case Help:
		return "help"
	case Failure:
		return "failure"
	}
	return "reply_" + strconv.Itoa(int(k))
}

// Outline is one answer in one language, before layout.
type Outline struct {
	Kind     Kind
	Lang     lang.Tag
	Headline string    // one line: every failed writer and its codes
	Sections []Section // the first screen's, then one per diagnosed code or query
	// Lead counts the sections of the first screen: what failed and what
	// to do first, then the team's notes and when it was seen before.
	// Renderers put the actions right after the first of them and every
	// later section out of the first message (a thread, a folded part).
	Lead int
	// Details is the evidence read from the input, one line per distinct
	// finding with its count and place. Its items are text from a log.
	Details List
	// References are at most three titled links.
	References []Link
	Footer     string // the bot, and the products the advice applies to
	// About names what the answer explains, for counting; not shown.
	About []Subject
	// Private answers are for the user who asked only (a confirmation),
	// where the platform can show them so: Slack's ephemeral messages,
	// Discord's ephemeral follow-ups.
	Private bool
	// Actions are buttons under the answer, such as feedback.
	Actions []Action
}

// Weight says how serious a section is, so renderers can colour it.
type Weight int

// Weights, from the lightest.
const (
	WeightInfo    Weight = iota // explains or notes
	WeightWarning               // a writer waiting, a consequence
	WeightFailure               // a writer or an operation that failed
)

// Section is one explained subject: its title, sentences, then lists.
type Section struct {
	Weight Weight
	Title  string   // e.g. "0x800423f2 VSS_E_WRITERERROR_TIMEOUT: The writer timed out"
	Lines  []string // sentences: the meaning, which writer failed where
	Lists  []List   // causes, steps, notes, in reading order
}

// Link is a titled link.
type Link struct {
	Title string
	URL   string
}

// First returns the sections of the first screen and the rest.
func (o *Outline) First() (first, rest []Section) {
	n := min(max(o.Lead, 0), len(o.Sections))
	return o.Sections[:n], o.Sections[n:]
}

// List is a labelled list of items.
type List struct {
	Label string
	Items []string
	// Numbered lists are ordered steps: the workaround the reader came
	// for, kept whole when a platform forces a cut.
	Numbered bool
}

// Empty reports whether l has nothing to show.
func (l List) Empty() bool { return len(l.Items) == 0 }

// Lines returns the items as chat lines: "1. " before each step, "• "
// before any other item.
func (l List) Lines() []string {
	out := make([]string, len(l.Items))
	for i, s := range l.Items {
		mark := "• "
		if l.Numbered {
			mark = strconv.Itoa(i+1) + ". "
		}
		out[i] = mark + s
	}
	return out
}
