package knowledge

import (
	"cmp"
	"fmt"
	"path"
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

// tell adds the case's incidents and timeline to r, when several sources
// of r's result describe one failure.
func (b *Base) tell(r *Report, res *parse.Result) {
	c, groups := b.incidents(res)
	if len(groups) == 0 {
		return
	}
	formats := map[string]string{}
	for _, in := range res.Inputs {
		formats[in.Source] = in.Format
	}
	s := &story{b: b, c: c, r: r, lang: r.Lang, formats: formats}
	for _, g := range groups {
		r.Incidents = append(r.Incidents, s.incident(g))
	}
	r.Timeline = s.timeline(groups, res.Facts)
}

// story builds the words of one case in its report's language.
type story struct {
	b       *Base
	c       *caseClock
	r       *Report
	lang    Lang
	formats map[string]string // source -> parse.Input.Format
}

// label names a source by what it is and its file name.
func (s *story) label(src string) string {
	var kind string
	switch s.formats[src] {
	case "aip":
		kind = s.lang.Pick("the task log", "タスク ログ")
	case "eventlog", "evtx":
		kind = s.lang.Pick("the event log", "イベント ログ")
	case "vssadmin":
		kind = s.lang.Pick("the vssadmin output", "vssadmin の出力")
	default:
		kind = s.lang.Pick("the log", "ログ")
	}
	return kind + " (" + baseName(src) + ")"
}

// baseName is the file name of a source, archive entries included.
func baseName(src string) string {
	if i := strings.LastIndexByte(src, ':'); i >= 0 && i+1 < len(src) {
		src = src[i+1:]
	}
	return oneLine(path.Base(strings.ReplaceAll(src, `\`, "/")))
}

// zoneOf is the zone of a source's clock: written in its sightings, or
// inferred from a source with a known zone and the offset between them.
func (s *story) zoneOf(src string) (string, bool) {
	for _, o := range s.c.occ {
		if o.src == src {
			if _, ok := o.absolute(); ok {
				return o.zone, false
			}
		}
	}
	off, ok := s.c.offset[src]
	if !ok {
		return "", false
	}
	for _, o := range s.c.occ {
		other, aligned := s.c.offset[o.src]
		z, known := o.absolute()
		if aligned && known {
			return zoneName(z - (other - off)), true
		}
	}
	return "", false
}

func zoneName(off time.Duration) string {
	if off == 0 {
		return parse.ZoneUTC
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.FixedZone("", int(off.Seconds()))).Format("-07:00")
}

// incident turns one group of sightings into an Incident.
func (s *story) incident(g []occurrence) Incident {
	a := g[0]
	in := Incident{Code: a.f.Code, Diagnosis: -1, Sources: []IncidentSource{}}
	for _, o := range g {
		f := o.f
		if in.Code == "" && f.Code != "" && f.Kind != parse.KindExitCode {
			in.Code = f.Code
		}
		if in.Writer == "" && (f.Writer != "" || f.WriterID != "") {
			in.Writer = cmp.Or(oneLine(f.Writer), oneLine(f.WriterID))
			if w := s.b.writerOf(f); w != nil {
				in.Writer = w.Name
			}
		}
		if st := s.b.stateOf(f); in.Stage == "" && st != nil && f.State >= 0 {
			in.Stage = st.Stage.In(s.lang)
		}
	}
	for _, src := range sourcesOf(g) {
		o := s.witness(g, src)
		in.Sources = append(in.Sources, IncidentSource{Source: o.src, Line: o.line, Time: isoTime(o.wall, o.zone), Zone: o.zone,
			Offset: offsetName(s.c.offset[src] - s.c.offset[a.src])})
	}
	in.Code = cmp.Or(in.Code, a.f.Code)
	if e, ok := s.b.codes[in.Code]; ok {
		in.Name = e.Name
	} else {
		in.Name = oneLine(a.f.Name)
	}
	zone, _ := s.zoneOf(a.src)
	in.Time = isoTime(a.wall, zone)
	in.OffsetNote = s.offsetNote(a.src, sourcesOf(g))
	in.Diagnosis = s.diagnosisOf(g, in.Code)
	in.Summary = s.summary(in, a.wall, zone, len(sourcesOf(g)))
	return in
}

// witness is the sighting that speaks for a source in an incident: the
// anchor in its own source, elsewhere the one sharing most with it.
func (s *story) witness(g []occurrence, src string) occurrence {
	best, score := occurrence{}, -1
	for _, o := range g {
		if o.src != src {
			continue
		}
		if o.order == g[0].order {
			return o
		}
		if w := s.b.affinity(g[0], o); w > score {
			best, score = o, w
		}
	}
	return best
}

// offsetName writes a clock offset as ISO 8601 does a zone: "+09:00".
func offsetName(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	h, m := int(d.Hours()), int(d.Minutes())%60
	return fmt.Sprintf("%s%02d:%02d", sign, h, m)
}

// offsetNote says how the clocks of an incident's sources relate to the
// clock of its first source.
func (s *story) offsetNote(ref string, sources []string) string {
	var notes []string
	for _, src := range sources[1:] {
		d := s.c.offset[src] - s.c.offset[ref]
		if d == 0 {
			continue
		}
		n := fmt.Sprintf(s.lang.Pick("%s is %s ahead of %s", "%[1]s の時刻は%[3]sより %[2]s 進んでいます"), s.label(src), hours(d, s.lang), s.label(ref))
		if d < 0 {
			n = fmt.Sprintf(s.lang.Pick("%s is %s behind %s", "%[1]s の時刻は%[3]sより %[2]s 遅れています"), s.label(src), hours(d, s.lang), s.label(ref))
		}
		notes = append(notes, n)
	}
	if len(notes) == 0 {
		return ""
	}
	for _, src := range sources {
		if z, inferred := s.zoneOf(src); inferred {
			notes = append(notes, fmt.Sprintf(s.lang.Pick("so %s was written in %s", "したがって%sの時刻は %s です"), s.label(src), utcName(z)))
		}
	}
	sep := s.lang.Pick("; ", "。")
	note := strings.Join(notes, sep) + s.lang.Pick(".", "。")
	if s.lang != Japanese {
		note = strings.ToUpper(note[:1]) + note[1:]
	}
	return note
}

func utcName(zone string) string {
	if zone == parse.ZoneUTC {
		return "UTC"
	}
	return "UTC" + zone
}

// diagnosisOf finds the diagnosis whose steps are the incident's
// workaround: the one of its code, else the first that explains a member.
func (s *story) diagnosisOf(g []occurrence, code string) int {
	first := -1
	for i, d := range s.r.Diagnoses {
		for _, o := range g {
			if !slices.Contains(d.Findings, o.idx) {
				continue
			}
			if d.Code == code && d.Kind != kindEvent {
				return i
			}
			if first < 0 {
				first = i
			}
		}
	}
	return first
}

// summary is the incident's one line.
func (s *story) summary(in Incident, wall time.Time, zone string, sources int) string {
	when := wall.Format("2006-01-02 15:04:05")
	if zone != "" {
		when += " " + utcName(zone)
	}
	parts := []string{when}
	switch {
	case in.Writer != "" && in.Stage != "":
		parts = append(parts, s.lang.Pick(in.Writer+" failed "+in.Stage, in.Writer+" が"+in.Stage+"に失敗"))
	case in.Writer != "":
		parts = append(parts, s.lang.Pick(in.Writer+" failed", in.Writer+" で失敗"))
	}
	if c := strings.TrimSpace(in.Code + " " + in.Name); c != "" {
		parts = append(parts, c)
	}
	parts = append(parts, fmt.Sprintf(s.lang.Pick("seen in %d sources", "%d 個のソースで確認"), sources))
	return strings.Join(parts, " — ")
}

// moment is a timeline candidate.
type moment struct {
	at       time.Time
	entry    TimelineEntry
	incident bool
}

// timeline tells the case on the clock of the first incident's source.
func (s *story) timeline(groups [][]occurrence, facts []parse.Fact) *Timeline {
	ref := groups[0][0].src
	zone, _ := s.zoneOf(ref)
	base := s.c.offset[ref]
	member := map[int]int{}
	var first, last time.Time
	for n, g := range groups {
		for _, o := range g {
			member[o.order] = n + 1
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
	add := func(t time.Time, src string, line int, what string, inc int) {
		if t.Before(first.Add(-timelineSpan)) || t.After(last.Add(timelineSpan)) {
			return
		}
		wall := t.Add(base)
		ms = append(ms, moment{at: t, incident: inc > 0, entry: TimelineEntry{Time: isoTime(wall, zone), Source: src, Line: line, What: what, Incident: inc}})
	}
	if o, secs, ok := s.vssStart(facts); ok {
		if t, ok := s.c.at(o); ok {
			add(t.Add(-time.Duration(secs*float64(time.Second))), o.src, 0, "VssStart()", 0)
		}
	}
	for _, o := range s.c.occ {
		inc := member[o.order]
		if inc == 0 && !told(o.f) {
			continue
		}
		if t, ok := s.c.at(o); ok {
			add(t, o.src, o.line, s.describe(o.f), inc)
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
// own always, in time order.
func compact(ms []moment, first time.Time, ref, clock string) *Timeline {
	slices.SortStableFunc(ms, func(x, y moment) int {
		if x.incident != y.incident {
			if x.incident {
				return -1
			}
			return 1
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
