package answer

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// Budgets of the first screen: what a support engineer reads before
// scrolling. Everything past them goes to the sections that follow.
const (
	maxActions     = 3   // "Do this first"
	maxResets      = 2   // writer resets among them when the code has its own first step
	maxFailedLines = 8   // one line per failed writer
	maxHeadline    = 150 // one line; Slack's header holds 150 characters
	maxReferences  = 3
)

// failedWriter is one writer the evidence shows failing, with the
// diagnosis that explains it.
type failedWriter struct {
	reset knowledge.WriterAction
	d     *knowledge.Diagnosis
}

// failedWriters lists every failed writer once, in the order the evidence
// names them (fs). A writer merely named (a writer entry, a Stable state)
// is not a failure.
func failedWriters(ds []knowledge.Diagnosis, fs []parse.Finding) []failedWriter {
	var out []failedWriter
	seen := map[string]bool{}
	for i := range ds {
		d := &ds[i]
		if d.Kind == "writer" {
			continue
		}
		for _, r := range d.Writers {
			if !r.Failed && (d.Kind == "writer_state" || d.Code == "") {
				continue
			}
			if key := strings.ToLower(r.Writer); !seen[key] {
				seen[key] = true
				out = append(out, failedWriter{reset: r, d: d})
			}
		}
	}
	first := map[string]int{}
	for i, f := range fs {
		if k := strings.ToLower(f.Writer); f.Writer != "" {
			if _, ok := first[k]; !ok {
				first[k] = i
			}
		}
	}
	at := func(w failedWriter) int {
		if i, ok := first[strings.ToLower(w.reset.Writer)]; ok {
			return i
		}
		return len(fs)
	}
	slices.SortStableFunc(out, func(a, b failedWriter) int { return at(a) - at(b) })
	return out
}

// isConsequence reports whether d only reports that something failed
// downstream of a writer failure: a task's exit code, or a catch-all HRESULT
// of FACILITY_NULL such as E_UNEXPECTED and E_FAIL. A code with a facility
// of its own (E_ACCESSDENIED is FACILITY_WIN32) may be a cause and stays.
func isConsequence(d knowledge.Diagnosis) bool {
	if len(d.Writers) > 0 {
		return false
	}
	switch d.Kind {
	case "exit_code":
		return true
	case "hresult":
		hex, ok := strings.CutPrefix(strings.ToLower(d.Code), "0x")
		v, err := strconv.ParseUint(hex, 16, 32)
		return ok && err == nil && v&0x80000000 != 0 && (v>>16)&0x7ff == 0
	}
	return false
}

// headlineOf names every failed writer and every code when it fits one
// line; otherwise as many writers as fit and how many more.
func headlineOf(fw []failedWriter, l lang.Tag) string {
	var names, codes []string
	for _, f := range fw {
		names = append(names, f.reset.Writer)
		if c := f.d.Code; c != "" && !contains(codes, c) {
			codes = append(codes, c)
		}
	}
	for n := len(names); n > 0; n-- {
		shown := names[:n]
		if n < len(names) {
			shown = append(shown[:n:n], l.Pick(strconv.Itoa(len(names)-n)+" more writers", "ほか "+strconv.Itoa(len(names)-n)+" 個のライター"))
		}
		h := l.Pick(andList(shown)+" failed", strings.Join(shown, "、")+" が失敗")
		if len(codes) > 0 {
			h += ": " + strings.Join(codes, ", ")
		}
		if utf8.RuneCountInString(h) <= maxHeadline {
			return h
		}
	}
	return Truncate(l.Pick(strconv.Itoa(len(names))+" writers failed: ", strconv.Itoa(len(names))+" 個のライターが失敗: ")+strings.Join(codes, ", "), maxHeadline)
}

// andList joins English names: "A", "A and B", "A, B and C".
func andList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// failedLine is writer · stage · code name · meaning.
func failedLine(f failedWriter, l lang.Tag) string {
	parts := []string{f.reset.Writer}
	if f.reset.Stage != "" {
		parts = append(parts, f.reset.Stage)
	}
	if s := strings.TrimSpace(f.d.Code + " " + f.d.Name); s != "" && f.d.Kind != "writer_state" {
		parts = append(parts, s)
	} else if f.d.Name != "" {
		parts = append(parts, f.d.Name)
	}
	if f.d.Title != "" {
		parts = append(parts, f.d.Title)
	}
	return strings.Join(parts, " · ")
}

// leadSection is the first screen after the headline: one line per
// failed writer, the consequences folded into one line, and at most three
// actions, the most specific first. It has no title: the headline is it.
func leadSection(fw []failedWriter, folded []knowledge.Diagnosis, ds []knowledge.Diagnosis, l lang.Tag) Section {
	s := Section{}
	for i, f := range fw {
		if i == maxFailedLines {
			s.Lines = append(s.Lines, More(len(fw)-i, l))
			break
		}
		s.Lines = append(s.Lines, failedLine(f, l))
	}
	if len(folded) > 0 {
		var names []string
		for _, d := range folded {
			n := d.Subject(l)
			if d.Kind == "hresult" && d.Name != "" {
				n = d.Name
			}
			if !contains(names, n) {
				names = append(names, n)
			}
		}
		s.Lines = append(s.Lines, l.Pick(andList(names)+": consequences of the writer failure above",
			strings.Join(names, " と ")+": 上記のライター障害の結果です"))
	}
	s.Lists = appendList(nil, List{Label: l.Pick("Do this first", "まずこれを"), Items: firstActions(fw, ds), Numbered: true})
	return s
}

// firstActions chooses at most three actions: each failed writer's own
// reset (restart the service that hosts it, then check), then the code's
// documented first-line handling, the steps of no vendor before a vendor's.
func firstActions(fw []failedWriter, ds []knowledge.Diagnosis) []string {
	primary := primaryDiagnosis(fw, ds)
	var steps []string
	if primary != nil {
		steps = orderedSteps(*primary)
	}
	resets := maxActions
	if len(steps) > 0 {
		resets = maxResets
	}
	var out []string
	for _, f := range fw {
		if len(out) == resets {
			break
		}
		if a := f.reset.Advice; a != "" && !contains(out, a) {
			out = append(out, a)
		}
	}
	for _, s := range steps {
		if len(out) == maxActions {
			break
		}
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// primaryDiagnosis is the diagnosis whose steps come first: the first
// failed writer's, else the first that has steps and is no consequence.
func primaryDiagnosis(fw []failedWriter, ds []knowledge.Diagnosis) *knowledge.Diagnosis {
	if len(fw) > 0 {
		return fw[0].d
	}
	for i := range ds {
		if len(ds[i].Steps) > 0 && ds[i].Kind != "writer" {
			return &ds[i]
		}
	}
	return nil
}

// orderedSteps puts the steps labelled with no vendor (Microsoft's, or
// unlabelled) before a vendor's, keeping each group's order.
func orderedSteps(d knowledge.Diagnosis) []string {
	var first, later []string
	for _, s := range d.Steps {
		if v := stepSource(s, d); v != "" && isVendor(v, d) {
			later = append(later, s)
		} else {
			first = append(first, s)
		}
	}
	return append(first, later...)
}

// stepSource is the label a step is cited with ("[Microsoft] ..."), when
// it names one of d's references.
func stepSource(step string, d knowledge.Diagnosis) string {
	rest, ok := strings.CutPrefix(step, "[")
	if !ok {
		return ""
	}
	label, _, ok := strings.Cut(rest, "] ")
	if !ok {
		return ""
	}
	for _, r := range d.References {
		if r.Label == label {
			return label
		}
	}
	return ""
}

// isVendor reports whether label names a backup vendor rather than
// Microsoft, whose documentation covers VSS itself: a vendor's steps (a
// product the entry applies to, or another vendor cited for a general fix
// such as scan exclusions) need that vendor's evidence.
func isVendor(label string, d knowledge.Diagnosis) bool {
	if label == "" || strings.EqualFold(strings.TrimSpace(label), "Microsoft") {
		return false
	}
	for _, p := range d.Products {
		if strings.HasPrefix(strings.ToLower(p), strings.ToLower(label)) {
			return true
		}
	}
	for _, r := range d.References {
		if r.Label == label {
			return true
		}
	}
	return false
}
