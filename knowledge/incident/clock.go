package incident

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// occurrence is one timed sighting of a finding.
type occurrence struct {
	f     parse.Finding
	idx   int // index of f in the result
	src   string
	line  int
	wall  time.Time // as written, read as if UTC
	ts    string    // the time as parse wrote it
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

// wallLayout is how parse.Finding.Time writes a wall time.
const wallLayout = "2006-01-02T15:04:05.999999999"

// occurrences lists the timed sightings of res, first sightings standing
// in for a result made without them.
func occurrences(b Base, res *parse.Result) []occurrence {
	var out []occurrence
	add := func(i int, src string, line int, ts, zone string) {
		w, err := time.Parse(wallLayout, ts)
		if err != nil || i < 0 || i >= len(res.Findings) || len(out) >= maxOccurrences {
			return
		}
		f := res.Findings[i]
		if f.Code == "" && f.Writer == "" && f.WriterID == "" && !told(f) {
			return // nothing to join on or tell
		}
		out = append(out, occurrence{f: f, idx: i, src: src, line: line, wall: w, ts: ts, zone: zone, order: len(out), wkey: writerKey(b, f), acc: accompanied(b, f)})
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
	occ    []occurrence
	by     map[string][]occurrence  // occ by source
	offset map[string]time.Duration // source -> its clock minus the reference clock
	ref    string                   // the reference source
	// vss is each source's VSS window on its own clock, VssStart to the
	// failure, where a task log measured it.
	vss map[string][2]time.Time
}

// windows reads the sources' VSS windows from the VssStart-to-failure facts.
func (c *caseClock) windows(facts []parse.Fact) {
	c.vss = map[string][2]time.Time{}
	for _, f := range facts {
		if f.Kind != "vss_start_to_failure" || !(f.Seconds > 0) {
			continue
		}
		span := min(time.Duration(f.Seconds*float64(time.Second)), maxVSSWindow)
		for _, o := range c.by[f.Source] {
			if o.line == f.Line {
				c.vss[f.Source] = [2]time.Time{o.wall.Add(-span), o.wall}
				break
			}
		}
	}
}

// own is the stretch of o's own clock that o may stand for: tol either side
// of it, or its task's VSS window widened by tol when o lies in that window
// (an event logged between VssStart and the failure report belongs to it).
func (c *caseClock) own(o occurrence, tol time.Duration) (time.Time, time.Time) {
	lo, hi := o.wall.Add(-tol), o.wall.Add(tol)
	if w, ok := c.vss[o.src]; ok && !o.wall.Before(w[0].Add(-tol)) && !o.wall.After(w[1].Add(tol)) {
		lo, hi = minTime(lo, w[0].Add(-tol)), maxTime(hi, w[1].Add(tol))
	}
	return lo, hi
}

// span is own on the reference clock.
func (c *caseClock) span(o occurrence, tol time.Duration) (time.Time, time.Time, bool) {
	off, ok := c.offset[o.src]
	lo, hi := c.own(o, tol)
	return lo.Add(-off), hi.Add(-off), ok
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
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
			w := affinity(x, y)
			if w == 0 {
				continue
			}
			k, res, ok := c.fit(x, y)
			if !ok {
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

// fit finds the offset of y's clock against x's that a matching pair
// implies, and how far the pair then misses: a whole or half hour (or the
// zones' difference when both are known) that puts y within alignTolerance
// of x, or of x's VSS window when x lies in one (and the other way round).
// Clocks that agree take the wider join window: no zone is guessed.
func (c *caseClock) fit(x, y occurrence) (time.Duration, time.Duration, bool) {
	d := y.wall.Sub(x.wall)
	ks := []time.Duration{d.Round(30 * time.Minute)}
	zx, okx := x.absolute()
	zy, oky := y.absolute()
	if okx && oky {
		ks = []time.Duration{zy - zx} // both clocks known: the zones say the offset
	} else {
		for _, w := range [][2]time.Time{c.vss[x.src], c.vss[y.src]} {
			if !w[0].IsZero() {
				ks = append(ks, y.wall.Sub(x.wall.Add(w[0].Sub(w[1]))).Round(30*time.Minute),
					y.wall.Sub(x.wall.Add(w[1].Sub(w[0]))).Round(30*time.Minute))
			}
		}
	}
	for _, k := range ks {
		tol := alignTolerance
		if k == 0 {
			tol = joinWindow
		}
		if k.Abs() > maxZoneOffset {
			continue
		}
		xlo, xhi := c.own(x, tol)
		ylo, yhi := c.own(y, tol)
		if yx := y.wall.Add(-k); !yx.Before(xlo) && !yx.After(xhi) {
			return k, (d - k).Abs(), true
		}
		if xy := x.wall.Add(k); !xy.Before(ylo) && !xy.After(yhi) {
			return k, (d - k).Abs(), true
		}
	}
	return 0, 0, false
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
func hours(d time.Duration, l lang.Tag) string {
	d = d.Abs()
	h, m := int(d.Hours()), int(math.Mod(d.Minutes(), 60))
	switch {
	case m == 0:
		return l.Pick(strconv.Itoa(h)+" h", strconv.Itoa(h)+" 時間 ("+strconv.Itoa(h)+" h)")
	case h == 0:
		return l.Pick(strconv.Itoa(m)+" min", strconv.Itoa(m)+" 分")
	}
	return l.Pick(strconv.Itoa(h)+" h "+strconv.Itoa(m)+" min", strconv.Itoa(h)+" 時間 "+strconv.Itoa(m)+" 分")
}

func zoneName(off time.Duration) string {
	if off == 0 {
		return parse.ZoneUTC
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.FixedZone("", int(off.Seconds()))).Format("-07:00")
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

func utcName(zone string) string {
	if zone == parse.ZoneUTC {
		return "UTC"
	}
	return "UTC" + zone
}
