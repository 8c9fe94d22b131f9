package answer

import (
	"strconv"
	"strings"

	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/knowledge/incident"
	"github.com/vssbot/vssbot/lang"
)

// storySections lead an answer about a case of several sources: one
// section per incident with its workaround, then the case's timeline. The
// diagnosis sections that follow lose the steps said here (sayOnce), so
// each workaround is given once.
func storySections(rep *knowledge.Report, l lang.Tag) []Section {
	var out []Section
	for n, in := range rep.Incidents {
		s := Section{Title: l.Pick("Incident "+strconv.Itoa(n+1)+": ", "インシデント "+strconv.Itoa(n+1)+": ") + in.Summary}
		if in.OffsetNote != "" {
			s.Lines = append(s.Lines, in.OffsetNote)
		}
		s.Lines = append(s.Lines, l.Pick("Seen in: ", "記録箇所: ")+sourceLine(in))
		if in.Diagnosis >= 0 && in.Diagnosis < len(rep.Diagnoses) {
			s.Lists = appendList(s.Lists, List{Label: l.Pick("Workaround", "対処手順"), Items: rep.Diagnoses[in.Diagnosis].Steps, Numbered: true})
		}
		out = append(out, s)
	}
	if t := rep.Timeline; t != nil && len(t.Entries) > 0 {
		items := make([]string, 0, len(t.Entries)+1)
		day := dayOf(t.Entries[0])
		for _, e := range t.Entries {
			items = append(items, timelineLine(e, day))
		}
		if t.Omitted > 0 {
			items = append(items, l.Pick(strconv.Itoa(t.Omitted)+" more left out", "ほか "+strconv.Itoa(t.Omitted)+" 件は省略"))
		}
		out = append(out, Section{
			Title: l.Pick("Timeline of the case", "ケースの時系列"),
			Lines: []string{l.Pick("Times on the clock of "+t.Clock+".", "時刻は"+t.Clock+"の時計で示します。")},
			Lists: []List{{Label: l.Pick("Moments", "出来事"), Items: items}},
		})
	}
	return out
}

// sourceLine lists where an incident was seen: source:line (time).
func sourceLine(in incident.Incident) string {
	parts := make([]string, 0, len(in.Sources))
	for _, s := range in.Sources {
		parts = append(parts, s.Source+":"+strconv.Itoa(s.Line)+" ("+s.Time+")")
	}
	return strings.Join(parts, ", ")
}

// dayOf is the date of a timeline entry, "" when its time has none.
func dayOf(e incident.TimelineEntry) string {
	if len(e.Time) >= 10 {
		return e.Time[:10]
	}
	return ""
}

// timelineLine is one moment: clock (with its date when it is not day's),
// incident mark, what, where.
func timelineLine(e incident.TimelineEntry, day string) string {
	s := e.Clock() + " "
	if d := dayOf(e); d != day {
		s = d + " " + s
	}
	if e.Incident > 0 {
		s += "[#" + strconv.Itoa(e.Incident) + "] "
	}
	where := e.Source
	if e.Line > 0 {
		where += ":" + strconv.Itoa(e.Line)
	}
	return s + e.What + " — " + where
}
