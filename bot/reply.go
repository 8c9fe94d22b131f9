package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/parse"
)

// String names the kind for metrics and logs.
func (k ReplyKind) String() string {
	switch k {
	case Diagnosis:
		return "diagnosis"
	case Lookup:
		return "lookup"
	case Help:
		return "help"
	case Failure:
		return "failure"
	}
	return "reply_" + strconv.Itoa(int(k))
}

// String names the kind for metrics and logs.
func (k EventKind) String() string {
	switch k {
	case Message:
		return "message"
	case Command:
		return "command"
	}
	return "event_" + strconv.Itoa(int(k))
}

// tr picks the sentence for lang; every user-facing string the engine writes
// goes through it so both languages stay side by side.
func tr(lang knowledge.Lang, en, ja string) string {
	if lang == knowledge.Japanese {
		return ja
	}
	return en
}

// NewReply turns a knowledge Report into a platform-neutral Reply: one
// section per diagnosis (and per unknown query), the findings and timing
// facts as details, references and applicability in the footer.
func NewReply(rep *knowledge.Report, kind ReplyKind) *Reply {
	lang := rep.Lang
	r := &Reply{Kind: kind, Lang: lang, Headline: rep.Headline, Report: rep}
	for _, d := range rep.Diagnoses {
		r.Sections = append(r.Sections, diagnosisSection(d, lang))
	}
	for _, u := range rep.Unknown {
		r.Sections = append(r.Sections, unknownSection(u, lang))
	}
	r.Details = append(findingLines(rep.Findings, lang), factLines(rep.Facts, lang)...)
	r.Footer = footer(rep.Diagnoses, lang)
	if r.Headline == "" && len(r.Sections) > 0 {
		r.Headline = r.Sections[0].Title
	}
	return r
}

func diagnosisSection(d knowledge.Diagnosis, lang knowledge.Lang) Section {
	title := strings.TrimSpace(d.Code + " " + d.Name)
	switch {
	case title == "":
		title = d.Title
	case d.Title != "":
		title += ": " + d.Title
	}
	s := Section{Title: title, Steps: d.Steps}
	if d.Meaning != "" {
		s.Lines = append(s.Lines, d.Meaning)
	}
	if w := writerLine(d, lang); w != "" {
		s.Lines = append(s.Lines, w)
	}
	for _, c := range d.Causes {
		s.Lines = append(s.Lines, tr(lang, "Possible cause: ", "考えられる原因: ")+c)
	}
	s.Lines = append(s.Lines, d.Notes...)
	return s
}

// writerLine says which writer failed where, and which service hosts it.
func writerLine(d knowledge.Diagnosis, lang knowledge.Lang) string {
	if d.Writer == "" && d.Service == "" {
		return ""
	}
	var parts []string
	if d.Writer != "" {
		w := tr(lang, "Writer: ", "ライター: ") + d.Writer
		if d.WriterID != "" {
			w += " " + d.WriterID
		}
		parts = append(parts, w)
	}
	if d.Stage != "" {
		parts = append(parts, tr(lang, "failed ", "失敗した段階: ")+d.Stage)
	}
	if d.Service != "" {
		parts = append(parts, tr(lang, "service: ", "サービス: ")+d.Service)
	}
	return strings.Join(parts, tr(lang, "; ", "、"))
}

func unknownSection(u knowledge.Unknown, lang knowledge.Lang) Section {
	s := Section{Title: u.Query}
	if u.Message != "" {
		s.Title += ": " + u.Message
	}
	if len(u.Nearest) > 0 {
		s.Lines = append(s.Lines, tr(lang, "Nearest known: ", "近いコード: ")+strings.Join(u.Nearest, ", "))
	}
	return s
}

// findingLines lists each distinct finding once with its count. The parser
// already merges identical evidence; merging again by the rendered line
// covers evidence that differs only in what the line does not show.
func findingLines(fs []parse.Finding, lang knowledge.Lang) []string {
	var order []string
	counts := map[string]int{}
	where := map[string]string{}
	for _, f := range fs {
		key := findingText(f)
		if _, ok := counts[key]; !ok {
			order = append(order, key)
			where[key] = findingWhere(f, lang)
		}
		counts[key] += max(f.Count, 1)
	}
	lines := make([]string, 0, len(order))
	for _, key := range order {
		l := key
		if n := counts[key]; n > 1 {
			l += " ×" + strconv.Itoa(n)
		}
		if w := where[key]; w != "" {
			l += " (" + w + ")"
		}
		lines = append(lines, l)
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

func findingWhere(f parse.Finding, lang knowledge.Lang) string {
	var parts []string
	if f.Source != "" {
		loc := f.Source
		if f.Line > 0 {
			loc += ":" + strconv.Itoa(f.Line)
		}
		parts = append(parts, loc)
	}
	if f.Time != "" {
		parts = append(parts, f.Time)
	}
	if f.Count > 1 {
		parts = append(parts, tr(lang, "first seen", "初出"))
	}
	return strings.Join(parts, ", ")
}

func factLines(facts []parse.Fact, lang knowledge.Lang) []string {
	var lines []string
	for _, f := range facts {
		var l string
		switch f.Kind {
		case "vss_start_to_failure":
			l = fmt.Sprintf(tr(lang, "%s s from VssStart() to the failure", "VssStart() から失敗まで %s 秒"), seconds(f.Seconds))
		default:
			l = fmt.Sprintf(tr(lang, "%s: %s s", "%s: %s 秒"), f.Kind, seconds(f.Seconds))
		}
		if f.Source != "" {
			l += " (" + f.Source
			if f.Line > 0 {
				l += ":" + strconv.Itoa(f.Line)
			}
			l += ")"
		}
		lines = append(lines, l)
	}
	return lines
}

func seconds(s float64) string {
	return strconv.FormatFloat(s, 'f', -1, 64)
}

// footer lists each reference once, then the products the advice applies to.
func footer(ds []knowledge.Diagnosis, lang knowledge.Lang) string {
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
		parts = append(parts, tr(lang, "References: ", "参考: ")+strings.Join(refs, "; "))
	}
	bot := "vssbot"
	if len(products) > 0 {
		bot += tr(lang, " · applies to ", " · 対象製品: ") + strings.Join(products, ", ")
	}
	return strings.Join(append(parts, bot), " | ")
}
