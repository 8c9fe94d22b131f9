package answer

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// FromReport outlines a knowledge report with the default settings
// (Build).
func FromReport(rep *knowledge.Report, kind Kind) *Outline { return Build(rep, kind, Config{}) }

// Build outlines a knowledge report. The first screen comes first: a
// headline naming every failed writer and its codes, then a lead section
// with one line per failed writer and at most three actions (Lead counts
// it). Then one section per incident and per diagnosis, grouped by code,
// and one per unknown query; the findings as details; at most three
// references as titled links. Codes that are only consequences of a
// writer failure (an exit code, E_UNEXPECTED) fold into one line of the
// lead, and a vendor's steps appear only when the evidence or cfg shows
// that vendor's product. Derived facts (the time from VssStart() to the
// failure) are already notes of their diagnosis and appear nowhere else.
func Build(rep *knowledge.Report, kind Kind, cfg Config) *Outline {
	l := rep.Lang.Choose(false)
	o := &Outline{Kind: kind, Lang: l, Headline: rep.Headline}
	inUse := products(rep, cfg)
	ds := make([]knowledge.Diagnosis, len(rep.Diagnoses))
	for i, d := range rep.Diagnoses {
		ds[i] = forProducts(d, inUse)
	}
	fw := failedWriters(ds, rep.Findings)
	var kept, folded []knowledge.Diagnosis
	for _, d := range ds {
		if len(fw) > 0 && isConsequence(d) {
			folded = append(folded, d)
		} else {
			kept = append(kept, d)
		}
	}
	if len(fw) > 0 {
		o.Headline = headlineOf(fw, l)
	}
	rest := storySections(rep, l)
	for _, d := range kept {
		rest = append(rest, diagnosisSection(d, l))
	}
	for _, u := range rep.Unknown {
		rest = append(rest, unknownSection(u, l))
	}
	if lead := leadSection(fw, folded, kept, l); len(lead.Lines) > 0 || len(lead.Lists) > 0 {
		if len(fw) > 0 || kind == Diagnosis {
			lead.Weight = WeightFailure
		}
		o.Sections, o.Lead = append(o.Sections, lead), 1
	}
	// What the first screen says, the sections after it do not repeat.
	o.Sections = append(o.Sections, rest...)
	sayOnce(o.Sections)
	o.Details = List{Label: l.Pick("Evidence", "検出内容"), Items: capEvidence(findingLines(rep.Findings, l), l)}
	o.References = references(kept, folded)
	o.Footer = footer(ds, l)
	o.About = aboutReport(rep)
	if o.Headline == "" && len(rest) > 0 {
		o.Headline = rest[0].Title
	}
	o.escapeUntrusted()
	return o
}

// Notice is a short answer with no diagnosis: a headline, and optionally a
// section of lines under title.
func Notice(kind Kind, l lang.Tag, headline, title string, lines ...string) *Outline {
	o := &Outline{Kind: kind, Lang: l, Headline: headline, Footer: "vssbot"}
	if len(lines) > 0 {
		o.Sections = []Section{{Title: title, Lines: lines}}
	}
	o.escapeUntrusted()
	return o
}

func diagnosisSection(d knowledge.Diagnosis, l lang.Tag) Section {
	s := Section{Title: d.Subject(l), Weight: weightOf(d)}
	switch {
	case s.Title == "":
		s.Title = d.Title
	case len(d.Writers) > 1 && d.Kind != "writer":
		// grouped by code: "0x800423f2 ×3: System Writer, ..."
		names := make([]string, len(d.Writers))
		for i, r := range d.Writers {
			names[i] = r.Writer
		}
		s.Title += " ×" + strconv.Itoa(len(d.Writers)) + ": " + Truncate(strings.Join(names, ", "), 120)
		if d.Title != "" {
			s.Lines = append(s.Lines, d.Title)
		}
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

// weightOf is how serious a diagnosis is: a failure code, a failed
// writer or a failing event is a failure; a writer state that may yet
// finish a warning; a writer named, a situation, a registry value
// information.
func weightOf(d knowledge.Diagnosis) Weight {
	switch d.Kind {
	case "writer", "situation", "registry":
		return WeightInfo
	case "writer_state":
		for _, r := range d.Writers {
			if r.Failed {
				return WeightFailure
			}
		}
		return WeightWarning
	}
	return WeightFailure
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

// maxEvidence bounds the evidence lines of an answer; the rest are
// counted in one line that names their codes.
const maxEvidence = 12

// evidence is one line of evidence and the code it shows.
type evidence struct{ line, code string }

// findingLines lists each distinct finding once per source with its count.
// The parser already merges identical evidence of a source; merging again
// by the rendered line covers evidence that differs only in what the line
// does not show. Another source's evidence keeps its own line, so every
// file of a bundle is named. A clock's zone is said once per source, on
// its first line with a time.
func findingLines(fs []parse.Finding, l lang.Tag) []evidence {
	var order []string
	counts := map[string]int{}
	where := map[string]string{}
	codes := map[string]string{}
	zoned := map[string]bool{}
	for _, f := range fs {
		key := findingText(f) + "\x00" + f.Source
		if _, ok := counts[key]; !ok {
			order = append(order, key)
			where[key] = findingWhere(f, l, !zoned[f.Source])
			codes[key] = f.Code
			zoned[f.Source] = zoned[f.Source] || f.Time != ""
		}
		counts[key] += max(f.Count, 1)
	}
	lines := make([]evidence, 0, len(order))
	for _, key := range order {
		s, _, _ := strings.Cut(key, "\x00")
		if n := counts[key]; n > 1 {
			s += " ×" + strconv.Itoa(n)
		}
		if w := where[key]; w != "" {
			s += " (" + w + ")"
		}
		lines = append(lines, evidence{line: s, code: codes[key]})
	}
	return lines
}

// capEvidence keeps the first maxEvidence lines and says after them how
// many more there are and which codes they show.
func capEvidence(ev []evidence, l lang.Tag) []string {
	out := make([]string, 0, min(len(ev), maxEvidence+1))
	for i, e := range ev {
		if i == maxEvidence {
			var codes []string
			for _, r := range ev[i:] {
				if r.code != "" && !contains(codes, r.code) {
					codes = append(codes, r.code)
				}
			}
			more := MoreEvidence(len(ev)-i, codes, l)
			return append(out, more)
		}
		out = append(out, e.line)
	}
	return out
}

// MoreEvidence says how many evidence lines were left out and which codes
// they show, at most eight of them.
func MoreEvidence(n int, codes []string, l lang.Tag) string {
	s := More(n, l)
	if len(codes) > 8 {
		codes = append(codes[:8:8], "…")
	}
	if len(codes) > 0 {
		s += l.Pick(" (codes: ", " (コード: ") + strings.Join(codes, ", ") + ")"
	}
	return s
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

func findingWhere(f parse.Finding, l lang.Tag, withZone bool) string {
	var parts []string
	if f.Source != "" {
		loc := f.Source
		if f.Line > 0 {
			loc += ":" + strconv.Itoa(f.Line)
		}
		parts = append(parts, loc)
	}
	if f.Time != "" {
		parts = append(parts, timeWithZone(f, l, withZone))
	}
	if f.Count > 1 {
		parts = append(parts, l.Pick("first seen", "初出"))
	}
	return strings.Join(parts, ", ")
}

// references are the first references with an address, each once, at
// most maxReferences: the explained codes' before the consequences'.
func references(kept, folded []knowledge.Diagnosis) []Link {
	var out []Link
	for _, d := range append(append([]knowledge.Diagnosis(nil), kept...), folded...) {
		for _, r := range d.References {
			if len(out) == maxReferences {
				return out
			}
			if r.URL == "" || slices.ContainsFunc(out, func(k Link) bool { return k.URL == r.URL }) {
				continue
			}
			out = append(out, Link{Title: cmp.Or(r.Title, r.URL), URL: r.URL})
		}
	}
	return out
}

// footer names the bot and the products the advice applies to, when a
// vendor's advice is shown.
func footer(ds []knowledge.Diagnosis, l lang.Tag) string {
	var products []string
	for _, d := range ds {
		for _, p := range d.Products {
			if !contains(products, p) {
				products = append(products, p)
			}
		}
	}
	if len(products) == 0 {
		return "vssbot"
	}
	return "vssbot" + l.Pick(" · applies to ", " · 対象製品: ") + strings.Join(products, ", ")
}

// timeWithZone says which clock a finding's time was written in.
// A zone named in words (local, unknown) is said only when withZone.
func timeWithZone(f parse.Finding, l lang.Tag, withZone bool) string {
	if z := f.Time[min(19, len(f.Time)):]; strings.ContainsAny(z, "Z+-") {
		// A report's time carries its offset: say it as written.
		return strings.Replace(f.Time, "Z", " UTC", 1)
	}
	switch {
	case !withZone:
		return f.Time
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
