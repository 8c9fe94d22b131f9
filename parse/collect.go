package parse

import (
	"sort"
	"strconv"
)

// maxFindings bounds the distinct findings kept per result, so that a log
// made of millions of distinct codes cannot grow memory without bound.
const maxFindings = 10000

// maxFacts bounds the derived facts kept per result.
const maxFacts = 100

type findingKey struct {
	kind     Kind
	code     string
	writer   string
	writerID string
	event    int
	provider string
}

func keyOf(f *Finding) findingKey {
	return findingKey{f.Kind, f.Code, f.Writer, f.WriterID, f.Event, f.Provider}
}

// collector gathers the findings of one Parse call, merging as it goes.
type collector struct {
	res     Result
	index   map[findingKey]int
	dropped int
	// expanded counts bytes decompressed from the whole container tree.
	expanded int64
	// jp and latin count letters of the Japanese sample.
	jp, latin int
}

func newCollector() *collector {
	return &collector{index: make(map[findingKey]int)}
}

func (c *collector) add(f Finding) {
	if f.Count == 0 {
		f.Count = 1
	}
	k := keyOf(&f)
	if i, ok := c.index[k]; ok {
		c.res.Findings[i].Count += f.Count
		return
	}
	if len(c.res.Findings) >= maxFindings {
		c.dropped++
		return
	}
	c.index[k] = len(c.res.Findings)
	c.res.Findings = append(c.res.Findings, f)
}

func (c *collector) fact(f Fact) {
	if len(c.res.Facts) < maxFacts {
		c.res.Facts = append(c.res.Facts, f)
	}
}

// result ranks the findings and returns the result.
func (c *collector) result() *Result {
	c.res.Japanese = isJapanese(c.jp, c.latin)
	rank(c.res.Findings)
	if c.res.Findings == nil {
		c.res.Findings = []Finding{}
	}
	if c.res.Inputs == nil {
		c.res.Inputs = []Input{}
	}
	return &c.res
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
// rank.
func rank(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return Rank(fs[i]) < Rank(fs[j]) })
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
		for _, f := range r.Findings {
			c.add(f)
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
