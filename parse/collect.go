package parse

import (
	"sort"
	"strconv"
	"strings"

	"github.com/vssbot/vssbot/lang"
)

// maxFindings bounds the distinct findings kept per result, so that a log
// made of millions of distinct codes cannot grow memory without bound.
const maxFindings = 10000

// maxFacts bounds the derived facts kept per result.
const maxFacts = 100

// maxSightings bounds the sightings kept per finding: enough to tell a
// failure from a decoy of the same event hours away, bounded whatever the
// log repeats.
const maxSightings = 32

// findingKey is what makes two findings one: the same evidence in the same
// source. Evidence from another file of a bundle stays a finding of its
// own, so that each file is named with its own line and time.
type findingKey struct {
	source   string
	kind     Kind
	code     string
	writer   string
	writerID string
	event    int
	provider string
}

func keyOf(f *Finding) findingKey {
	return findingKey{f.Source, f.Kind, f.Code, f.Writer, f.WriterID, f.Event, f.Provider}
}

// collector gathers the findings of one Parse call, merging as it goes.
type collector struct {
	res     Result
	index   map[findingKey]int
	sights  []int // sightings kept per finding
	dropped int
	// expanded counts bytes decompressed from the whole container tree.
	expanded int64
	// letters counts the letters of the sample that decides the language.
	letters lang.Letters
}

func newCollector() *collector {
	return &collector{index: make(map[findingKey]int)}
}

func (c *collector) add(f Finding) {
	if i := c.merge(f); i >= 0 && f.Time != "" {
		c.sight(Sighting{Finding: i, Source: f.Source, Line: f.Line, Time: f.Time, Zone: f.Zone})
	}
}

// merge adds f or counts it into the identical finding, returning its
// index, -1 when the limit dropped it.
func (c *collector) merge(f Finding) int {
	if f.Count == 0 {
		f.Count = 1
	}
	k := keyOf(&f)
	if i, ok := c.index[k]; ok {
		c.res.Findings[i].Count += f.Count
		return i
	}
	if len(c.res.Findings) >= maxFindings {
		c.dropped++
		return -1
	}
	c.index[k] = len(c.res.Findings)
	c.res.Findings = append(c.res.Findings, f)
	c.sights = append(c.sights, 0)
	return len(c.res.Findings) - 1
}

// sight records one timed occurrence of finding s.Finding, skipping a
// repeat of the previous one (a record spread over lines).
func (c *collector) sight(s Sighting) {
	if c.sights[s.Finding] >= maxSightings {
		return
	}
	if n := len(c.res.Sightings); n > 0 {
		if p := c.res.Sightings[n-1]; p.Finding == s.Finding && p.Source == s.Source && p.Time == s.Time {
			return
		}
	}
	c.sights[s.Finding]++
	c.res.Sightings = append(c.res.Sightings, s)
}

func (c *collector) fact(f Fact) {
	if len(c.res.Facts) < maxFacts {
		c.res.Facts = append(c.res.Facts, f)
	}
}

// rezone gives the findings and sightings of source whose clock was
// unknown the zone that a later line of it revealed.
func (c *collector) rezone(source, zone string) {
	for i := range c.res.Findings {
		if f := &c.res.Findings[i]; f.Source == source && f.Zone == ZoneUnknown {
			f.Zone = zone
		}
	}
	for i := range c.res.Sightings {
		if s := &c.res.Sightings[i]; s.Source == source && s.Zone == ZoneUnknown {
			s.Zone = zone
		}
	}
}

// result ranks the findings and returns the result.
func (c *collector) result() *Result {
	c.res.Japanese = c.letters.Mostly()
	c.prune()
	c.rank()
	if c.res.Findings == nil {
		c.res.Findings = []Finding{}
	}
	if c.res.Inputs == nil {
		c.res.Inputs = []Input{}
	}
	return &c.res
}

// prune keeps one finding per writer: a bare mention goes when another
// finding carries the same writer (a failure, a state, an event, the same
// mention with its GUID) or a longer name containing it ("Hyper-V VSS
// Writer" inside "Microsoft Hyper-V VSS Writer"). A loose code goes when a
// writer failure carries the same code: one failure, told twice (a job's
// error line above the writer listing). Its count and sightings go to the
// finding that stays.
func (c *collector) prune() {
	fs := c.res.Findings
	into := make([]int, len(fs))
	for i := range fs {
		into[i] = i
		if looseCode(&fs[i]) {
			for j := range fs {
				if fs[j].Kind == KindWriterFailure && fs[j].Code == fs[i].Code {
					into[i] = j
					break
				}
			}
			continue
		}
		if fs[i].Kind != KindWriter || fs[i].Writer == "" {
			continue
		}
		for j := range fs {
			if j != i && carries(&fs[j], &fs[i]) {
				into[i] = j
				break
			}
		}
	}
	var kept []Finding
	at := make([]int, len(fs))
	for i, f := range fs {
		if into[i] == i {
			at[i] = len(kept)
			kept = append(kept, f)
		}
	}
	if len(kept) == len(fs) {
		return
	}
	for i := range fs {
		for into[i] != into[into[i]] {
			into[i] = into[into[i]]
		}
		at[i] = at[into[i]]
		if into[i] != i {
			kept[at[i]].Count += fs[i].Count
		}
	}
	for k := range c.res.Sightings {
		c.res.Sightings[k].Finding = at[c.res.Sightings[k].Finding]
	}
	c.res.Findings = kept
}

// looseCode reports whether f is a code seen in free text, tied to no
// writer or event.
func looseCode(f *Finding) bool {
	return (f.Kind == KindVSSError || f.Kind == KindUnknownVSS || f.Kind == KindHRESULT) &&
		f.Writer == "" && f.WriterID == "" && f.Event == 0 && f.Code != ""
}

// carries reports whether finding o stands for the writer of mention m.
func carries(o, m *Finding) bool {
	if o.Writer == "" {
		return false
	}
	ow, mw := strings.ToLower(o.Writer), strings.ToLower(m.Writer)
	switch {
	case o.Kind != KindWriter && ow == mw:
		return true
	case o.Kind == KindWriter && ow == mw:
		// The same mention twice (by name, by GUID): the one with the GUID stays.
		return o.WriterID != "" && m.WriterID == ""
	}
	return len(ow) > len(mw) && strings.Contains(ow, mw)
}

// Rank orders findings by how directly they explain a failure; lower comes
// first. A failed writer's failure code leads, then the task exit code, then
// VSS HRESULTs and the events carrying them, unknown VSS codes, generic
// COM/Win32 HRESULTs, bare writer mentions, and informational events last.
func Rank(f Finding) int {
	switch f.Kind {
	case KindWriterFailure:
		return 0
	case KindExitCode:
		return 1
	case KindVSSError:
		return 2
	case KindWriterState:
		return 3
	case KindUnknownVSS:
		return 4
	case KindHRESULT:
		return 5
	case KindEvent:
		return eventRank(f)
	case KindWriter:
		return 7
	}
	return 9
}

func eventRank(f Finding) int {
	if f.Event == 8224 && f.Code == "" {
		return 8 // VSS idle shutdown: informational, shown last
	}
	v, err := strconv.ParseUint(f.Code, 0, 32)
	switch {
	case err != nil:
		return 6
	case isVSSRange(uint32(v)) && f.Name != "":
		return 2
	case isVSSRange(uint32(v)):
		return 4
	}
	return 5
}

// rank sorts findings by Rank, keeping the order of first sighting within a
// rank, and points the sightings at the findings' new places.
func (c *collector) rank() {
	fs := c.res.Findings
	order := make([]int, len(fs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return Rank(fs[order[i]]) < Rank(fs[order[j]]) })
	ranked := make([]Finding, len(fs))
	moved := make([]int, len(fs))
	for to, from := range order {
		ranked[to] = fs[from]
		moved[from] = to
	}
	c.res.Findings = ranked
	for i := range c.res.Sightings {
		c.res.Sightings[i].Finding = moved[c.res.Sightings[i].Finding]
	}
}

// Merge joins the results of several inputs, merging identical findings and
// ranking them again. Nil results are skipped.
func Merge(results ...*Result) *Result {
	c := newCollector()
	jp := false
	for _, r := range results {
		if r == nil {
			continue
		}
		c.res.Inputs = append(c.res.Inputs, r.Inputs...)
		at := make([]int, len(r.Findings))
		for i, f := range r.Findings {
			at[i] = c.merge(f)
		}
		for _, s := range r.Sightings {
			if s.Finding >= 0 && s.Finding < len(at) && at[s.Finding] >= 0 {
				s.Finding = at[s.Finding]
				c.sight(s)
			}
		}
		for _, f := range r.Facts {
			c.fact(f)
		}
		jp = jp || r.Japanese
	}
	res := c.result()
	res.Japanese = jp
	return res
}
