package knowledge

import (
	"github.com/vssbot/vssbot/knowledge/incident"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// Report is the answer to a diagnosis or a lookup, already in one language.
// Its JSON form is the stable contract of `vssbot diagnose --format json`,
// `vssbot lookup --format json` and the chat adapters: fields may be added,
// never renamed.
type Report struct {
	Lang      lang.Tag        `json:"lang"`
	Headline  string          `json:"headline"` // one line: writer, stage, code, name, meaning
	Inputs    []parse.Input   `json:"inputs"`
	Findings  []parse.Finding `json:"findings"`
	Facts     []parse.Fact    `json:"facts,omitempty"`
	Diagnoses []Diagnosis     `json:"diagnoses"`
	// Incidents are failures that several sources of one case describe,
	// joined with their clocks aligned; empty unless a case has several.
	Incidents []incident.Incident `json:"incidents"`
	// Timeline tells a case with incidents on one clock.
	Timeline *incident.Timeline `json:"timeline,omitempty"`
	// Unknown lists lookup queries the base does not know, with the nearest
	// known codes.
	Unknown []Unknown `json:"unknown,omitempty"`
}

// Diagnosis is one knowledge-base entry applied to the findings.
type Diagnosis struct {
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	Kind       string      `json:"kind"` // hresult, exit_code, writer_state, writer, event
	Title      string      `json:"title"`
	Meaning    string      `json:"meaning"`
	Causes     []string    `json:"causes"`
	Steps      []string    `json:"steps"`
	References []Reference `json:"references"`
	Products   []string    `json:"products,omitempty"`
	// Writer, WriterID, Stage and Service are set when a writer is involved:
	// the stage is the failed state's plain words ("at freeze"), the service
	// the one to restart.
	Writer   string `json:"writer,omitempty"`
	WriterID string `json:"writer_id,omitempty"`
	Stage    string `json:"stage,omitempty"`
	Service  string `json:"service,omitempty"`
	// Resets say, per product version where it differs, which service
	// hosts the writer and how to reset it, the disruption as the step's
	// inline warning; set with Writer when the base knows the writer.
	Resets []WriterReset `json:"resets,omitempty"`
	// Notes are derived facts and writer-specific advice in sentences, e.g.
	// "169 s passed between VssStart() and the failure; the span covers
	// every phase of the snapshot, not only the freeze."
	Notes []string `json:"notes,omitempty"`
	// Findings indexes Report.Findings that this diagnosis explains.
	Findings []int `json:"findings,omitempty"`
	// Writers lists each writer this diagnosis names, in the order met, with
	// its own first action (restart the service that hosts it, then check),
	// so an answer can lead with it. Not part of the JSON contract: the
	// same words are in Notes or Steps.
	Writers []WriterAction `json:"-"`
}

// WriterAction is one writer of a diagnosis and the action that resets it.
type WriterAction struct {
	Writer  string
	Stage   string // plain words, e.g. "at Freeze"; "" when unknown
	Service string
	Failed  bool   // the writer's state was a failed one
	Advice  string // the writer's own reset, its warning inline
}

// WriterReset is how to reset a writer on some versions of its product.
type WriterReset struct {
	Versions string `json:"versions"` // "Exchange Server 2013 and later"
	Service  string `json:"service"`  // the service hosting the writer there
	Step     string `json:"step"`     // the reset, its warning inline
}

// Unknown is a lookup query that matched nothing.
type Unknown struct {
	Query   string   `json:"query"`
	Message string   `json:"message"`
	Nearest []string `json:"nearest"` // nearest known codes, e.g. "0x800423f2 VSS_E_WRITERERROR_TIMEOUT"
}

// Subject names a diagnosis the way a support engineer would say it:
// "Exit Code -311", "0x800423f2 VSS_E_WRITERERROR_TIMEOUT", "Event VSS 8229".
func (d Diagnosis) Subject(l lang.Tag) string { return label(d, l) }
