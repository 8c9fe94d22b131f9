// Package incident correlates the sources of one case: it aligns their
// clocks, joins the sightings that describe one failure into incidents and
// tells the case as a timeline on one clock. It asks a knowledge base only
// the few lookups of Base, so that the data and the reasoning stay in
// knowledge and the correlation here.
package incident

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// Base is what correlation asks of a knowledge base; knowledge.Base
// satisfies it.
type Base interface {
	// WriterOf names a finding's writer by its id or name: the canonical id
	// and display name, ok false when the base does not know the writer.
	WriterOf(f parse.Finding) (id, name string, ok bool)
	// StageOf is the plain words of the stage a writer-state finding
	// failed at ("at freeze") in l, "" when the state is unknown.
	StageOf(f parse.Finding, l lang.Tag) string
	// NameOf is the symbolic name of a known code, "" when unknown.
	NameOf(code string) string
	// Accompanies lists the codes an event is known to be logged with.
	Accompanies(provider string, event int) []string
}

// Incident is one failure told by several sources of a case (a task log and
// the event log written at the same moment), joined on what they share and
// their clocks aligned. Its JSON is part of the Report contract: fields may
// be added, never renamed.
type Incident struct {
	Code   string `json:"code"`
	Writer string `json:"writer"`
	// Time is the failure's time on the clock of the incident's first source,
	// ISO 8601 with its offset when that clock's zone is known.
	Time string `json:"time"`
	// OffsetNote says how the sources' clocks were aligned, e.g. "the event
	// log (app.txt) is 9 h ahead of the task log (1.log)"; "" when they agree.
	OffsetNote string   `json:"offset_note"`
	Sources    []Source `json:"sources"`
	Name       string   `json:"name,omitempty"`
	Stage      string   `json:"stage,omitempty"`
	// Summary is the incident's one line: time, writer, stage, code, sources.
	Summary string `json:"summary"`
	// Diagnosis indexes Report.Diagnoses: the entry whose steps are the
	// incident's workaround; -1 when none.
	Diagnosis int `json:"diagnosis"`
}

// Source is a source an incident joined, with the sighting that
// speaks for it there.
type Source struct {
	Source string `json:"source"`
	Line   int    `json:"line"`
	// Time is as the source wrote it, ISO 8601 with its offset when known.
	Time string `json:"time"`
	// Zone is the clock the time was written in: parse.Finding.Zone of the
	// sighting, or the offset the alignment inferred for a source whose
	// clock was not written ("+09:00" for a JST export).
	Zone string `json:"zone,omitempty"`
	// Offset is how far this source's clock is ahead of the clock of
	// OffsetFrom, the incident's first source: "+09:00"; "+00:00" when they
	// agree. It is not a zone, and the first source has none.
	Offset     string `json:"offset,omitempty"`
	OffsetFrom string `json:"offset_from,omitempty"`
}

// joinWindow is how far apart two sightings may be, once their clocks are
// aligned, to describe the same failure; a writer failure and its event are
// logged within seconds of each other.
const joinWindow = 3 * time.Minute

// alignTolerance is how far a matching pair may miss a whole or half hour
// for its offset to count as a time-zone difference. It is tighter than the
// join window: the pair that aligns two clocks must agree closely, or an
// event of the same ID hours away could pass for a zone.
const alignTolerance = time.Minute

// maxVSSWindow bounds the VSS window (VssStart to the failure) taken as a
// join window: a longer span would let the window straddle two half-hour
// offsets and blur the alignment.
const maxVSSWindow = 10 * time.Minute

// maxZoneOffset bounds the clock offsets taken for a time-zone difference.
const maxZoneOffset = 14 * time.Hour

// maxOccurrences bounds the sightings weighed for incidents, so pairing them
// stays cheap whatever a bundle holds.
const maxOccurrences = 2000

// affinity says how strongly two sightings describe the same failure: the
// same code, the same writer, an event known to accompany the code. Zero
// means nothing but time would join them, which never suffices.
func affinity(x, y occurrence) int {
	s := 0
	if x.f.Code != "" && x.f.Code == y.f.Code {
		s += 3
	}
	if x.wkey != "" && x.wkey == y.wkey {
		s += 2
	}
	if y.f.Code != "" && slices.Contains(x.acc, y.f.Code) || x.f.Code != "" && slices.Contains(y.acc, x.f.Code) {
		s++
	}
	return s
}

// writerKey names a finding's writer the same way whether a log gave its
// name, an alias or its id.
func writerKey(b Base, f parse.Finding) string {
	if f.Writer == "" && f.WriterID == "" {
		return ""
	}
	if id, _, ok := b.WriterOf(f); ok {
		return id
	}
	return strings.ToLower(cmp.Or(f.WriterID, strings.TrimSpace(f.Writer)))
}

// accompanied lists the codes an event is known to be logged with.
func accompanied(b Base, f parse.Finding) []string {
	if f.Kind != parse.KindEvent {
		return nil
	}
	return b.Accompanies(f.Provider, f.Event)
}

// anchor reports whether a finding is a failure an incident can be about.
func anchor(f parse.Finding) bool {
	switch f.Kind {
	case parse.KindWriterFailure, parse.KindVSSError, parse.KindUnknownVSS, parse.KindHRESULT:
		return true
	case parse.KindExitCode:
		return f.Code != "0"
	case parse.KindWriterState:
		return f.State >= 6 // VSS_WS_FAILED_AT_*
	case parse.KindEvent:
		return f.Code != ""
	}
	return false
}

// sourcesOf lists the distinct sources of the occurrences in order.
func sourcesOf(occ []occurrence) []string {
	var out []string
	for _, o := range occ {
		if !slices.Contains(out, o.src) {
			out = append(out, o.src)
		}
	}
	return out
}

// incidents joins the sightings of a case into incidents. It returns nil
// unless the case has two sources or more with timed findings.
func incidents(b Base, res *parse.Result) (*caseClock, [][]occurrence) {
	occ := occurrences(b, res)
	sources := sourcesOf(occ)
	if len(sources) < 2 {
		return nil, nil
	}
	anchors := make([]occurrence, 0, len(occ))
	for _, o := range occ {
		if anchor(o.f) {
			anchors = append(anchors, o)
		}
	}
	if len(anchors) == 0 {
		return nil, nil
	}
	slices.SortStableFunc(anchors, func(x, y occurrence) int {
		return cmp.Or(cmp.Compare(parse.Rank(x.f), parse.Rank(y.f)), x.wall.Compare(y.wall))
	})
	c := &caseClock{occ: occ, ref: anchors[0].src, by: map[string][]occurrence{}}
	for _, o := range occ {
		c.by[o.src] = append(c.by[o.src], o)
	}
	c.windows(res.Facts)
	c.align(sources)
	used := make([]bool, len(occ))
	var groups [][]occurrence
	for _, a := range anchors {
		if used[a.order] {
			continue
		}
		if g := c.join(a, used); len(sourcesOf(g)) >= 2 {
			for _, o := range g {
				used[o.order] = true
			}
			groups = append(groups, g)
		}
	}
	return c, groups
}

// join gathers around anchor a the unused sightings that share something
// with a member and fall within the window of a on the aligned clock: the
// join window around it, or its task's VSS window (VssStart to the failure)
// widened by the join window when a lies in it.
func (c *caseClock) join(a occurrence, used []bool) []occurrence {
	alo, ahi, ok := c.span(a, joinWindow)
	if !ok {
		return nil
	}
	near := []occurrence{}
	for _, o := range c.occ {
		if t, ok := c.at(o); ok && !used[o.order] && o.order != a.order && !t.Before(alo) && !t.After(ahi) {
			near = append(near, o)
		}
	}
	g := []occurrence{a}
	in := make([]bool, len(near))
	for grown := true; grown; {
		grown = false
		for i, o := range near {
			if !in[i] && slices.ContainsFunc(g, func(m occurrence) bool { return affinity(m, o) > 0 }) {
				g = append(g, o)
				in[i], grown = true, true
			}
		}
	}
	return g
}
