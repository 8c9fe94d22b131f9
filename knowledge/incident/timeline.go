package incident

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vssbot/vssbot/parse"
)

// Timeline is the compact story of a case on one clock: the first
// VssStart, the writer states, the failure, the events around it, the exit
// code.
type Timeline struct {
	// Clock names the source whose clock the times are on, e.g. "task log
	// 1500000000.log"; its zone is in each time when known.
	Clock   string          `json:"clock"`
	Entries []TimelineEntry `json:"entries"`
	// Omitted counts the entries left out to keep the timeline compact.
	Omitted int `json:"omitted,omitempty"`
}

// TimelineEntry is one moment of a case.
type TimelineEntry struct {
	Time   string `json:"time"` // ISO 8601 on the timeline's clock
	Source string `json:"source"`
	Line   int    `json:"line,omitempty"` // 0 when derived, as VssStart is
	What   string `json:"what"`
	// Incident is the 1-based number of the incident the moment belongs to.
	Incident int `json:"incident,omitempty"`
}

// Clock is the entry's time of day, as a timeline shows it.
func (e TimelineEntry) Clock() string {
	if len(e.Time) >= 19 {
		return e.Time[11:19]
	}
	return e.Time
}

// maxTimeline bounds a timeline's entries; timelineSpan how far from the
// incidents a moment may lie to be told.
const (
	maxTimeline  = 15
	timelineSpan = 30 * time.Minute
)

// moment is a timeline candidate.
type moment struct {
	at    time.Time
	entry TimelineEntry
	// rank orders what a compact timeline keeps: the incidents' own moments
	// (0), other sightings of their findings, however far (1), the rest (2).
	rank int
}

// timeline tells the case on the clock of the first incident's source.
func (s *story) timeline(groups [][]occurrence, facts []parse.Fact) *Timeline {
	ref := groups[0][0].src
	zone, _ := s.zoneOf(ref)
	base := s.c.offset[ref]
	member := map[int]int{}
	joined := map[int]bool{} // findings an incident stands on
	var first, last time.Time
	for n, g := range groups {
		for _, o := range g {
			member[o.order] = n + 1
			joined[o.idx] = true
		}
		t, _ := s.c.at(g[0])
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	var ms []moment
	add := func(t time.Time, src string, line int, what string, inc, rank int) {
		if rank > 1 && (t.Before(first.Add(-timelineSpan)) || t.After(last.Add(timelineSpan))) {
			return
		}
		wall := t.Add(base)
		ms = append(ms, moment{at: t, rank: rank, entry: TimelineEntry{Time: isoTime(wall, zone), Source: src, Line: line, What: what, Incident: inc}})
	}
	if o, secs, ok := s.vssStart(facts); ok {
		if t, ok := s.c.at(o); ok {
			add(t.Add(-time.Duration(secs*float64(time.Second))), o.src, 0, "VssStart()", 0, 2)
		}
	}
	for _, o := range s.c.occ {
		inc := member[o.order]
		if inc == 0 && !told(o.f) {
			continue
		}
		rank := 2
		switch {
		case inc > 0:
			rank = 0
		case joined[o.idx]:
			rank = 1 // the same event hours away: told at its own time, not joined
		}
		what := s.describe(o.f)
		if rank == 1 {
			what += s.lang.Pick(" (the same evidence at another time; not part of the incident)", " (別の時刻の同じ記録のため、インシデントには含めていません)")
		}
		if t, ok := s.c.at(o); ok {
			add(t, o.src, o.line, what, inc, rank)
		}
	}
	return compact(ms, first, ref, s.label(ref))
}

// told reports whether a finding outside the incidents belongs in a
// timeline: writer states, events, exit codes.
func told(f parse.Finding) bool {
	switch f.Kind {
	case parse.KindWriterFailure, parse.KindWriterState, parse.KindEvent, parse.KindExitCode:
		return true
	}
	return false
}

// compact keeps the moments nearest the first incident, the incidents'
// own always and the other sightings of their findings next, in time order.
func compact(ms []moment, first time.Time, ref, clock string) *Timeline {
	slices.SortStableFunc(ms, func(x, y moment) int {
		if x.rank != y.rank {
			return cmp.Compare(x.rank, y.rank)
		}
		return cmp.Compare(x.at.Sub(first).Abs(), y.at.Sub(first).Abs())
	})
	t := &Timeline{Clock: clock, Entries: []TimelineEntry{}}
	if len(ms) > maxTimeline {
		t.Omitted = len(ms) - maxTimeline
		ms = ms[:maxTimeline]
	}
	slices.SortStableFunc(ms, func(x, y moment) int { return x.at.Compare(y.at) })
	for _, m := range ms {
		t.Entries = append(t.Entries, m.entry)
	}
	return t
}

// vssStart finds the sighting of the failure that a VssStart-to-failure
// fact measured from, and the seconds before it.
func (s *story) vssStart(facts []parse.Fact) (occurrence, float64, bool) {
	for _, f := range facts {
		if f.Kind != "vss_start_to_failure" {
			continue
		}
		for _, o := range s.c.occ {
			if o.src == f.Source && o.line == f.Line {
				return o, f.Seconds, true
			}
		}
	}
	return occurrence{}, 0, false
}

// describe says what a finding is in a few words of the report's language.
func (s *story) describe(f parse.Finding) string {
	var parts []string
	switch f.Kind {
	case parse.KindExitCode:
		return s.lang.Pick("Exit Code ", "終了コード ") + oneLine(f.Code)
	case parse.KindEvent:
		parts = append(parts, oneLine(f.Provider)+" "+strconv.Itoa(f.Event))
	}
	for _, p := range []string{f.StateName, f.Code, f.Name} {
		if p != "" {
			parts = append(parts, oneLine(p))
		}
	}
	w := cmp.Or(oneLine(f.Writer), oneLine(f.WriterID))
	if w == "" {
		return strings.Join(parts, " ")
	}
	if len(parts) == 0 {
		return w
	}
	return w + ": " + strings.Join(parts, " ")
}
