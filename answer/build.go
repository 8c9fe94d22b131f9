package answer

import (
	"strconv"
	"strings"

	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// FromReport outlines a knowledge report: one section per diagnosis, then
// one per unknown query, the findings as details, references and products
// in the footer. Derived facts (the time from VssStart() to the failure)
// are already notes of their diagnosis and appear nowhere else.
func FromReport(rep *knowledge.Report, kind Kind) *Outline {
	l := rep.Lang.Choose(false)
	o := &Outline{Kind: kind, Lang: l, Headline: rep.Headline}
	o.Sections = storySections(rep, l)
	for _, d := range rep.Diagnoses {
		o.Sections = append(o.Sections, diagnosisSection(d, l))
	}
	for _, u := range rep.Unknown {
		o.Sections = append(o.Sections, unknownSection(u, l))
	}
	sayOnce(o.Sections)
	o.Details = List{Label: l.Pick("Details", "検出内容"), Items: findingLines(rep.Findings, l)}
	o.Footer = footer(rep.Diagnoses, l)
	o.About = aboutReport(rep)
	if o.Headline == "" && len(o.Sections) > 0 {
		o.Headline = o.Sections[0].Title
	}
	o.Escape()
	return o
}

// Notice is a short answer with no diagnosis: a headline, and optionally a
// section of lines under title.
func Notice(kind Kind, l lang.Tag, headline, title string, lines ...string) *Outline {
	o := &Outline{Kind: kind, Lang: l, Headline: headline, Footer: "vssbot"}
	if len(lines) > 0 {
		o.Sections = []Section{{Title: title, Lines: lines}}
	}
	o.Escape()
	return o
}

func diagnosisSection(d knowledge.Diagnosis, l lang.Tag) Section {
	s := Section{Title: d.Subject(l)}
	switch {
	case s.Title == "":
		s.Title = d.Title
	case d.Title != "":
		s.Title += ": " + d.Title
	}
	if d.Meaning != "" {
		s.Lines = append(s.Lines, d.Meaning)
	}
	if w := writerLine(d, l); w != "" {
		s.Lines = append(s.Lines, w)
	}
	s.Lists = appendList(s.Lists, List{Label: l.Pick("Possible causes", "考えられる原因"), Items: d.Causes})
	s.Lists = appendList(s.Lists, List{Label: l.Pick("Steps", "対処手順"), Items: d.Steps, Numbered: true})
	s.Lists = appendList(s.Lists, List{Label: l.Pick("Notes", "補足"), Items: d.Notes})
	return s
}

// sayOnce drops every sentence an earlier section already said: two codes
// the base knows nothing about share their generic steps, a writer named by
// a code and by an event brings its advice twice.
func sayOnce(sections []Section) {
	said := map[string]bool{}
	fresh := func(items []string) []string {
		out := items[:0:0]
		for _, s := range items {
			if !said[s] {
				said[s] = true
				out = append(out, s)
			}
		}
		return out
	}
	for i := range sections {
		s := &sections[i]
		s.Lines = fresh(s.Lines)
		lists := s.Lists[:0]
		for _, l := range s.Lists {
			if l.Items = fresh(l.Items); !l.Empty() {
				lists = append(lists, l)
			}
		}
		s.Lists = lists
	}
}

func appendList(ls []List, l List) []List {
	if l.Empty() {
		return ls
	}
	return append(ls, l)
}

// writerLine says which writer failed where, and which service hosts it.
// A writer's own entry already says all of this in its meaning.
func writerLine(d knowledge.Diagnosis, l lang.Tag) string {
	if d.Kind == "writer" || (d.Writer == "" && d.Service == "") {
		return ""
	}
	var parts []string
	if d.Writer != "" {
		w := l.Pick("Writer: ", "ライター: ") + d.Writer
		if d.WriterID != "" {
			w += " " + d.WriterID
		}
		parts = append(parts, w)
	}
	if d.Stage != "" {
		parts = append(parts, l.Pick("failed ", "失敗した段階: ")+d.Stage)
	}
	if d.Service != "" {
		parts = append(parts, l.Pick("service: ", "サービス: ")+d.Service)
	}
	return strings.Join(parts, l.Pick("; ", "、"))
}

func unknownSection(u knowledge.Unknown, l lang.Tag) Section {
	s := Section{Title: u.Query}
	if u.Message != "" {
		s.Lines = append(s.Lines, u.Message)
	}
	if len(u.Nearest) > 0 {
		s.Lines = append(s.Lines, l.Pick("Nearest known: ", "近いコード: ")+strings.Join(u.Nearest, ", "))
	}
	return s
}

// findingLines lists each distinct finding once per source with its count.
// The parser already merges identical evidence of a source; merging again
// by the rendered line covers evidence that differs only in what the line
// does not show. Another source's evidence keeps its own line, so every
// file of a bundle is named.
func findingLines(fs []parse.Finding, l lang.Tag) []string {
	var order []string
	counts := map[string]int{}
	where := map[string]string{}
	for _, f := range fs {
		key := findingText(f) + "\x00" + f.Source
		if _, ok := counts[key]; !ok {
			order = append(order, key)
			where[key] = findingWhere(f, l)
		}
		counts[key] += max(f.Count, 1)
	}
	lines := make([]string, 0, len(order))
	for _, key := range order {
		s, _, _ := strings.Cut(key, "\x00")
		if n := counts[key]; n > 1 {
			s += " ×" + strconv.Itoa(n)
		}
		if w := where[key]; w != "" {
			s += " (" + w + ")"
		}
		lines = append(lines, s)
	}
	return lines
}

func findingText(f parse.Finding) string {
	var parts []string
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	add(f.Code)
	add(f.Name)
	if f.Kind == parse.KindEvent && f.Event != 0 {
		add(strings.TrimSpace(f.Provider + " " + strconv.Itoa(f.Event)))
	}
	add(f.Writer)
	add(f.StateName)
	add(f.LastError)
	if len(parts) == 0 {
		return string(f.Kind)
	}
	return strings.Join(parts, " ")
}

func findingWhere(f parse.Finding, l lang.Tag) string {
	var parts []string
	if f.Source != "" {
		loc := f.Source
		if f.Line > 0 {
			loc += ":" + strconv.Itoa(f.Line)
		}
		parts = append(parts, loc)
	}
	if f.Time != "" {
		parts = append(parts, timeWithZone(f, l))
	}
	if f.Count > 1 {
		parts = append(parts, l.Pick("first seen", "初出"))
	}
	return strings.Join(parts, ", ")
}

// footer lists each reference once, then the products the advice applies to.
func footer(ds []knowledge.Diagnosis, l lang.Tag) string {
	var refs, products []string
	seen := map[string]bool{}
	for _, d := range ds {
		for _, ref := range d.References {
			s := strings.TrimSpace(ref.Title + " " + ref.URL)
			if s != "" && !seen["r"+s] {
				seen["r"+s] = true
				refs = append(refs, s)
			}
		}
		for _, p := range d.Products {
			if !seen["p"+p] {
				seen["p"+p] = true
				products = append(products, p)
			}
		}
	}
	var parts []string
	if len(refs) > 0 {
		parts = append(parts, l.Pick("References: ", "参考: ")+strings.Join(refs, "; "))
	}
	bot := "vssbot"
	if len(products) > 0 {
		bot += l.Pick(" · applies to ", " · 対象製品: ") + strings.Join(products, ", ")
	}
	return strings.Join(append(parts, bot), " | ")
}

// timeWithZone says which clock a finding's time was written in.
func timeWithZone(f parse.Finding, l lang.Tag) string {
	if z := f.Time[min(19, len(f.Time)):]; strings.ContainsAny(z, "Z+-") {
		// A report's time carries its offset: say it as written.
		return strings.Replace(f.Time, "Z", " UTC", 1)
	}
	switch f.Zone {
	case "":
		return f.Time
	case parse.ZoneUTC:
		return f.Time + " UTC"
	case parse.ZoneLocal:
		return f.Time + l.Pick(" local time", " 現地時刻")
	case parse.ZoneUnknown:
		return f.Time + l.Pick(" zone unknown", " タイムゾーン不明")
	}
	return f.Time + f.Zone
}
