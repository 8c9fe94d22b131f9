package knowledge

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vssbot/vssbot/parse"
)

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
	OffsetNote string           `json:"offset_note"`
	Sources    []IncidentSource `json:"sources"`
	Name       string           `json:"name,omitempty"`
	Stage      string           `json:"stage,omitempty"`
	// Summary is the incident's one line: time, writer, stage, code, sources.
	Summary string `json:"summary"`
	// Diagnosis indexes Report.Diagnoses: the entry whose steps are the
	// incident's workaround; -1 when none.
	Diagnosis int `json:"diagnosis"`
}

// IncidentSource is a source an incident joined, with the sighting that
// speaks for it there.
type IncidentSource struct {
	Source string `json:"source"`
	Line   int    `json:"line"`
	// Time is as the source wrote it, ISO 8601 with its offset when known.
	Time string `json:"time"`
	Zone string `json:"zone,omitempty"` // parse.Finding.Zone of the sighting
	// Offset is how far this source's clock is ahead of the incident's
	// first source, "+09:00"; "+00:00" when they agree.
	Offset string `json:"offset"`
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

// maxZoneOffset bounds the clock offsets taken for a time-zone difference.
const maxZoneOffset = 14 * time.Hour

// maxOccurrences bounds the sightings weighed for incidents, so pairing them
// stays cheap whatever a bundle holds.
const maxOccurrences = 2000

// occurrence is one timed sighting of a finding.
type occurrence struct {
	f     parse.Finding
	idx   int // index of f in the result
	src   string
	line  int
	wall  time.Time // as written, read as if UTC
	zone  string
	order int
	wkey  string   // the writer's key, see writerKey
	acc   []string // codes the event is known to accompany
}

// absolute reports whether the sighting's zone is known, and its offset.
func (o occurrence) absolute() (time.Duration, bool) {
	return zoneOffset(o.zone)
}

func zoneOffset(zone string) (time.Duration, bool) {
	switch {
	case zone == parse.ZoneUTC:
		return 0, true
	case len(zone) != 6 || zone[0] != '+' && zone[0] != '-':
		return 0, false // local, unknown or none
	}
	t, err := time.Parse("-07:00", zone)
	if err != nil {
		return 0, false
	}
	_, off := t.Zone()
	return time.Duration(off) * time.Second, true
}

// occurrences lists the timed sightings of res, first sightings standing
// in for a result made without them.
func (b *Base) occurrences(res *parse.Result) []occurrence {
	var out []occurrence
	add := func(i int, src string, line int, ts, zone string) {
		w, err := time.Parse("2006-01-02T15:04:05.999999999", ts)
		if err != nil || i < 0 || i >= len(res.Findings) || len(out) >= maxOccurrences {
			return
		}
		f := res.Findings[i]
		if f.Code == "" && f.Writer == "" && f.WriterID == "" && !told(f) {
			return // nothing to join on or tell
		}
		out = append(out, occurrence{f: f, idx: i, src: src, line: line, wall: w, zone: zone, order: len(out), wkey: b.writerKey(f), acc: b.accompanied(f)})
	}
	if len(res.Sightings) > 0 {
		for _, s := range res.Sightings {
			add(s.Finding, s.Source, s.Line, s.Time, s.Zone)
		}
		return out
	}
	for i, f := range res.Findings {
		add(i, f.Source, f.Line, f.Time, f.Zone)
	}
	return out
}

// caseClock aligns the clocks of a case's sources.
type caseClock struct {
	b      *Base
	occ    []occurrence
	by     map[string][]occurrence  // occ by source
	offset map[string]time.Duration // source -> its clock minus the reference clock
	ref    string                   // the reference source
}

// affinity says how strongly two sightings describe the same failure: the
// same code, the same writer, an event known to accompany the code. Zero
// means nothing but time would join them, which never suffices.
func (b *Base) affinity(x, y occurrence) int {
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
func (b *Base) writerKey(f parse.Finding) string {
	if f.Writer == "" && f.WriterID == "" {
		return ""
	}
	if w := b.writerOf(f); w != nil {
		return w.ID
	}
	return strings.ToLower(cmp.Or(f.WriterID, strings.TrimSpace(f.Writer)))
}

// accompanied lists the codes an event is known to be logged with.
func (b *Base) accompanied(f parse.Finding) []string {
	if f.Kind != parse.KindEvent {
		return nil
	}
	if e, ok := b.events[eventKey{strings.ToLower(f.Provider), f.Event}]; ok {
		return e.Accompanies
	}
	return nil
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

// vote is the support an offset between two clocks gets from the matching
// pairs that imply it.
type vote struct {
	weight   int
	residual time.Duration
}

// pairOffset finds the offset of clock b against clock a that the matching
// pairs of their sightings imply: a whole or half hour (a time-zone
// difference) that leaves each pair within the join window. The strongest
// support wins, then the closest fit, then the smallest offset.
func (c *caseClock) pairOffset(a, b string) (time.Duration, bool) {
	votes := map[time.Duration]*vote{}
	for _, x := range c.by[a] {
		for _, y := range c.by[b] {
			w := c.b.affinity(x, y)
			if w == 0 {
				continue
			}
			d := y.wall.Sub(x.wall)
			k := d.Round(30 * time.Minute)
			if zx, ok := x.absolute(); ok {
				if zy, ok := y.absolute(); ok {
					k = zy - zx // both clocks known: the zones say the offset
				}
			}
			res := (d - k).Abs()
			tolerance := alignTolerance
			if k == 0 {
				tolerance = joinWindow // clocks that agree need no zone to be guessed
			}
			if res > tolerance || k.Abs() > maxZoneOffset {
				continue
			}
			v := votes[k]
			if v == nil {
				v = &vote{}
				votes[k] = v
			}
			v.weight += w
			v.residual += res
		}
	}
	best, found := time.Duration(0), false
	for k, v := range votes {
		if !found || better(k, v, best, votes[best]) {
			best, found = k, true
		}
	}
	return best, found
}

func better(k time.Duration, v *vote, than time.Duration, w *vote) bool {
	if v.weight != w.weight {
		return v.weight > w.weight
	}
	if v.residual != w.residual {
		return v.residual < w.residual
	}
	return k.Abs() < than.Abs() || k.Abs() == than.Abs() && k > than
}

// align sets every source's offset against the reference, source by
// source through the sources already aligned; each pair is weighed once. A
// source that no matching pair ties to stays unaligned and joins nothing.
func (c *caseClock) align(sources []string) {
	c.offset = map[string]time.Duration{c.ref: 0}
	queue := []string{c.ref}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		for _, s := range sources {
			if _, ok := c.offset[s]; ok {
				continue
			}
			if off, ok := c.pairOffset(t, s); ok {
				c.offset[s] = c.offset[t] + off
				queue = append(queue, s)
			}
		}
	}
}

// at is a sighting's time on the reference clock.
func (c *caseClock) at(o occurrence) (time.Time, bool) {
	off, ok := c.offset[o.src]
	return o.wall.Add(-off), ok
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
func (b *Base) incidents(res *parse.Result) (*caseClock, [][]occurrence) {
	occ := b.occurrences(res)
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
	c := &caseClock{b: b, occ: occ, ref: anchors[0].src, by: map[string][]occurrence{}}
	for _, o := range occ {
		c.by[o.src] = append(c.by[o.src], o)
	}
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
// with a member and fall within the window of a on the aligned clock.
func (c *caseClock) join(a occurrence, used []bool) []occurrence {
	ta, ok := c.at(a)
	if !ok {
		return nil
	}
	near := []occurrence{}
	for _, o := range c.occ {
		if t, ok := c.at(o); ok && !used[o.order] && o.order != a.order && t.Sub(ta).Abs() <= joinWindow {
			near = append(near, o)
		}
	}
	g := []occurrence{a}
	in := make([]bool, len(near))
	for grown := true; grown; {
		grown = false
		for i, o := range near {
			if !in[i] && slices.ContainsFunc(g, func(m occurrence) bool { return c.b.affinity(m, o) > 0 }) {
				g = append(g, o)
				in[i], grown = true, true
			}
		}
	}
	return g
}

// isoTime writes a wall time in ISO 8601 with the offset of zone when known.
func isoTime(wall time.Time, zone string) string {
	s := wall.Format("2006-01-02T15:04:05.000")
	off, ok := zoneOffset(zone)
	switch {
	case !ok:
		return s
	case off == 0:
		return s + "Z"
	}
	return wall.Add(-off).In(time.FixedZone("", int(off.Seconds()))).Format("2006-01-02T15:04:05.000-07:00")
}

// hours writes an offset in hours and minutes, without its sign.
func hours(d time.Duration, lang Lang) string {
	d = d.Abs()
	h, m := int(d.Hours()), int(math.Mod(d.Minutes(), 60))
	switch {
	case m == 0:
		return lang.Pick(strconv.Itoa(h)+" h", strconv.Itoa(h)+" 時間 ("+strconv.Itoa(h)+" h)")
	case h == 0:
		return lang.Pick(strconv.Itoa(m)+" min", strconv.Itoa(m)+" 分")
	}
	return lang.Pick(strconv.Itoa(h)+" h "+strconv.Itoa(m)+" min", strconv.Itoa(h)+" 時間 "+strconv.Itoa(m)+" 分")
}
