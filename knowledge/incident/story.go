package incident

import (
	"cmp"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// Diagnosis is what correlation reads of a diagnosis: its code, whether it
// is about an event, and the findings it explains.
type Diagnosis struct {
	Code     string
	Event    bool
	Findings []int
}

// Case is a report being written: its language, its findings (from the
// parse.Result) and the diagnoses that explain them.
type Case struct {
	Lang      lang.Tag
	Findings  []parse.Finding
	Diagnoses []Diagnosis
}

// Told is what Tell adds to a case.
type Told struct {
	// Incidents are the failures that several sources describe; nil when
	// the case has none.
	Incidents []Incident
	Timeline  *Timeline
	// Findings are the case's, each time stamped with its clock's offset,
	// and the sightings of a finding that no incident joined split into a
	// finding of their own at the end.
	Findings []parse.Finding
	// Apart maps each finding a split added to the finding it was split
	// from: the diagnoses that explain one explain the other.
	Apart map[int]int
}

// Tell correlates the sources of res: incidents and a timeline when several
// sources describe one failure, and every finding's time stamped with its
// offset. c.Findings is not changed.
func Tell(b Base, c Case, res *parse.Result) Told {
	t := Told{Findings: slices.Clone(c.Findings)}
	clock, groups := incidents(b, res)
	if len(groups) == 0 {
		stampTimes(t.Findings, nil)
		return t
	}
	formats := map[string]string{}
	for _, in := range res.Inputs {
		formats[in.Source] = in.Format
	}
	s := &story{b: b, c: clock, cs: c, lang: c.Lang, formats: formats}
	for _, g := range groups {
		t.Incidents = append(t.Incidents, s.incident(g))
	}
	t.Timeline = s.timeline(groups, res.Facts)
	t.Apart = s.split(groups, &t.Findings)
	inferred := map[string]string{}
	for _, src := range sourcesOf(clock.occ) {
		if z, ok := s.zoneOf(src); ok {
			inferred[src] = z
		}
	}
	stampTimes(t.Findings, inferred)
	return t
}

// stampTimes writes every finding's time in ISO 8601 with the offset of
// its clock when known: Z for UTC, the written offset, or the one the
// alignment inferred for a source; a time whose zone is unknown stays bare.
func stampTimes(fs []parse.Finding, inferred map[string]string) {
	for i := range fs {
		f := &fs[i]
		zone := f.Zone
		if z, ok := inferred[f.Source]; ok && f.Zone != parse.ZoneUTC && f.Zone != z {
			if _, known := zoneOffset(f.Zone); !known {
				zone = z
			}
		}
		f.Time = stamp(f.Time, zone)
	}
}

// stamp adds zone's offset to a wall time as parse wrote it.
func stamp(ts, zone string) string {
	off, ok := zoneOffset(zone)
	switch {
	case ts == "" || !ok:
		return ts
	case off == 0:
		return ts + "Z"
	}
	return ts + zoneName(off)
}

// split gives the sightings of a finding that no incident joined (the same
// event hours away) a finding of their own, so that the finding an
// incident stands on carries the incident's line and time, and the other
// sightings keep theirs. The new finding is explained by the same
// diagnoses; split returns the new findings' origins by index.
func (s *story) split(groups [][]occurrence, findings *[]parse.Finding) map[int]int {
	in := map[int]bool{} // occurrence order -> joined
	first := map[int]occurrence{}
	for _, g := range groups {
		for _, o := range g {
			in[o.order] = true
			if f, ok := first[o.idx]; !ok || o.order < f.order {
				first[o.idx] = o
			}
		}
	}
	rest := map[int][]occurrence{}
	joined := map[int]int{}
	for _, o := range s.c.occ {
		if _, member := first[o.idx]; !member {
			continue
		}
		if in[o.order] {
			joined[o.idx]++
		} else {
			rest[o.idx] = append(rest[o.idx], o)
		}
	}
	apart := map[int]int{}
	for _, idx := range slices.Sorted(maps.Keys(rest)) {
		others, o := rest[idx], first[idx]
		f := &(*findings)[idx]
		total := max(f.Count, joined[idx]+len(others))
		split := *f
		split.Line, split.Time, split.Zone = others[0].line, others[0].ts, others[0].zone
		split.Count = total - joined[idx]
		f.Line, f.Time, f.Zone, f.Count = o.line, o.ts, o.zone, joined[idx]
		*findings = append(*findings, split)
		apart[len(*findings)-1] = idx
	}
	return apart
}

// story builds the words of one case in its report's language.
type story struct {
	b       Base
	c       *caseClock
	cs      Case
	lang    lang.Tag
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

// incident turns one group of sightings into an Incident.
func (s *story) incident(g []occurrence) Incident {
	a := g[0]
	in := Incident{Code: a.f.Code, Diagnosis: -1, Sources: []Source{}}
	for _, o := range g {
		f := o.f
		if in.Code == "" && f.Code != "" && f.Kind != parse.KindExitCode {
			in.Code = f.Code
		}
		if in.Writer == "" && (f.Writer != "" || f.WriterID != "") {
			in.Writer = cmp.Or(oneLine(f.Writer), oneLine(f.WriterID))
			if _, name, ok := s.b.WriterOf(f); ok {
				in.Writer = name
			}
		}
		if in.Stage == "" && f.State >= 0 {
			in.Stage = s.b.StageOf(f, s.lang)
		}
	}
	for _, src := range sourcesOf(g) {
		o := s.witness(g, src)
		zone := o.zone
		if z, inferred := s.zoneOf(src); inferred {
			zone = z // a local export whose offset the alignment revealed
		}
		is := Source{Source: o.src, Line: o.line, Time: isoTime(o.wall, zone), Zone: zone}
		if src != a.src {
			is.Offset, is.OffsetFrom = offsetName(s.c.offset[src]-s.c.offset[a.src]), a.src
		}
		in.Sources = append(in.Sources, is)
	}
	in.Code = cmp.Or(in.Code, a.f.Code)
	in.Name = cmp.Or(s.b.NameOf(in.Code), oneLine(a.f.Name))
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
		if w := affinity(g[0], o); w > score {
			best, score = o, w
		}
	}
	return best
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
	if s.lang != lang.Japanese {
		note = strings.ToUpper(note[:1]) + note[1:]
	}
	return note
}

// diagnosisOf finds the diagnosis whose steps are the incident's
// workaround: the one of its code, else the first that explains a member.
func (s *story) diagnosisOf(g []occurrence, code string) int {
	first := -1
	for i, d := range s.cs.Diagnoses {
		for _, o := range g {
			if !slices.Contains(d.Findings, o.idx) {
				continue
			}
			if d.Code == code && !d.Event {
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
		parts = append(parts, s.lang.Pick(in.Writer+" failed "+in.Stage, in.Writer+" が"+lang.Spaced(in.Stage)+"に失敗"))
	case in.Writer != "":
		parts = append(parts, s.lang.Pick(in.Writer+" failed", in.Writer+" で失敗"))
	}
	if c := strings.TrimSpace(in.Code + " " + in.Name); c != "" {
		parts = append(parts, c)
	}
	parts = append(parts, fmt.Sprintf(s.lang.Pick("seen in %d sources", "%d 個のソースで確認"), sources))
	return strings.Join(parts, " — ")
}

// oneLine keeps text read from a log on one line: control characters
// become spaces, so a summary stays one line.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsControl), " ")
}
