// Package chattest holds what the tests of the engine, its renderers and
// its adapters share: the real engine, a recorder of the events an adapter
// hands over, a buffer safe for goroutines, the answers every renderer's
// golden files are made from, and the check that an answer says no fact
// twice.
package chattest

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// KB loads the embedded knowledge base once per test binary: it is
// read-only, and loading it for every test is slow under -race.
var KB = sync.OnceValues(func() (*knowledge.Base, error) { return knowledge.Load("") })

// Case is one answer every renderer lays out and checks against its own
// golden file, so the five layouts come from the same diagnoses.
type Case struct {
	Name    string
	Report  *knowledge.Report
	Outline *answer.Outline
}

// Cases builds the shared answers from the real knowledge base and parser.
func Cases(t testing.TB) []Case {
	t.Helper()
	kb, err := KB()
	if err != nil {
		t.Fatalf("load knowledge: %v", err)
	}
	seed := parseSeed(t, kb)
	cases := []struct {
		name string
		kind answer.Kind
		rep  *knowledge.Report
	}{
		{"seed-en", answer.Diagnosis, kb.Diagnose(seed, lang.English)},
		{"seed-ja", answer.Diagnosis, kb.Diagnose(seed, lang.Japanese)},
		{"vssadmin-en", answer.Diagnosis, kb.Diagnose(vssadmin(), lang.English)},
		{"unknowns-ja", answer.Diagnosis, kb.Diagnose(unknowns(), lang.Japanese)},
		{"case-en", answer.Diagnosis, kb.Diagnose(bundle(t, kb), lang.English)},
		{"case-ja", answer.Diagnosis, kb.Diagnose(bundle(t, kb), lang.Japanese)},
		{"lookup-en", answer.Lookup, kb.Lookup([]string{"0x800423f2", "-311", "event 8229", "0x80042399"}, lang.English)},
	}
	out := make([]Case, len(cases))
	for i, c := range cases {
		out[i] = Case{Name: c.name, Report: c.rep, Outline: answer.FromReport(c.rep, c.kind)}
	}
	return out
}

// SeedExcerpt is the AIP log excerpt of the motivating case: Exit Code -311
// after System Writer timed out at freeze.
func SeedExcerpt(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "bot", "testdata", "seed_excerpt.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// bundle is a case of two sources: a task log written in UTC and the
// Event Viewer export of the same failure in JST, read together.
func bundle(t testing.TB, kb *knowledge.Base) *parse.Result {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	p := parse.New(kb, parse.Limits{})
	var results []*parse.Result
	for _, name := range []string{"task-utc.log", "application-jst.txt"} {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "knowledge", "testdata", "story", name))
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Parse(context.Background(), name, strings.NewReader(string(b)))
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		results = append(results, res)
	}
	return parse.Merge(results...)
}

func parseSeed(t testing.TB, kb *knowledge.Base) *parse.Result {
	t.Helper()
	res, err := parse.New(kb, parse.Limits{}).Parse(context.Background(), "message", strings.NewReader(SeedExcerpt(t)))
	if err != nil {
		t.Fatalf("parse seed excerpt: %v", err)
	}
	return res
}

func vssadmin() *parse.Result {
	return &parse.Result{
		Inputs: []parse.Input{{Source: "writers.txt", Encoding: "shift_jis", Format: "vssadmin", Bytes: 4000}},
		Findings: []parse.Finding{
			{Kind: parse.KindWriterFailure, Code: "0x800423f4", Name: "VSS_E_WRITERERROR_NONRETRYABLE", Writer: "SqlServerWriter",
				WriterID: "{a65faa63-5ea8-4ebc-9dbd-a0c4db26912a}", State: 9, Source: "writers.txt", Line: 40, Count: 1, LastError: "Non-retryable error"},
			{Kind: parse.KindWriterState, Writer: "Registry Writer", WriterID: "{afbab4a2-367d-4d15-a586-71dbb18f8485}",
				State: 5, StateName: "VSS_WS_WAITING_FOR_BACKUP_COMPLETE", Source: "writers.txt", Line: 12, Count: 1, LastError: "No error"},
			{Kind: parse.KindWriterState, Writer: "WMI Writer", WriterID: "{a6ad56c2-b509-4e6c-bb19-49d8f43532f0}",
				State: 5, Source: "writers.txt", Line: 20, Count: 1, LastError: "No error"},
		},
	}
}

func unknowns() *parse.Result {
	return &parse.Result{
		Findings: []parse.Finding{
			{Kind: parse.KindUnknownVSS, Code: "0x800424ee", State: -1, Source: "paste", Line: 1, Count: 1},
			{Kind: parse.KindWriterFailure, Code: "0x800423f3", Writer: "Contoso Writer", State: 11, Source: "paste", Line: 2, Count: 1},
			{Kind: parse.KindEvent, Provider: "VSS", Event: 8229, Code: "0x800423f3", Writer: "Contoso Writer", State: -1, Source: "app.evtx.xml", Line: 30, Count: 3},
			{Kind: parse.KindEvent, Provider: "Contoso", Event: 4, State: -1, Source: "app.evtx.xml", Line: 50, Count: 1},
			{Kind: parse.KindExitCode, Code: "-999", State: -1, Source: "paste", Line: 3, Count: 1},
			{Kind: parse.KindWriter, Writer: "ASR Writer", State: -1, Source: "paste", Line: 4, Count: 1},
		},
		Facts: []parse.Fact{{Kind: "vss_start_to_failure", Seconds: 75.5, Source: "paste", Line: 1}},
	}
}

// markup is what renderers put around a line: bullets, numbers, emphasis,
// quotes and indentation.
var markup = regexp.MustCompile("^[\\s\\-•■*>#`_0-9.)]*|[\\s*`_]*$")

// minFactRunes is the length from which a line states a fact; shorter
// lines are labels ("Steps:") and separators that layouts repeat.
const minFactRunes = 24

// SaidOnce fails t when a rendered answer says a fact twice: the same line
// twice, or a derived fact of rep (the time from VssStart() to the failure)
// on more than one line. rendered is the answer's visible text.
func SaidOnce(t testing.TB, rendered string, rep *knowledge.Report) {
	t.Helper()
	seen := map[string]int{}
	lines := strings.Split(rendered, "\n")
	for i, l := range lines {
		l = markup.ReplaceAllString(l, "")
		if utf8.RuneCountInString(l) < minFactRunes {
			continue
		}
		if j, ok := seen[l]; ok {
			t.Errorf("line %d repeats line %d: %q", i+1, j+1, l)
		}
		seen[l] = i
	}
	if rep == nil {
		return
	}
	for _, f := range rep.Facts {
		secs := strconv.FormatFloat(f.Seconds, 'f', -1, 64)
		n := 0
		for _, l := range lines {
			if strings.Contains(l, secs) {
				n++
			}
		}
		if n != 1 && len(rep.Diagnoses) > 0 {
			t.Errorf("fact %s (%s s) on %d lines, want 1:\n%s", f.Kind, secs, n, rendered)
		}
	}
}

// Pictures are the answers the README shows: the example AIP log, the
// Japanese vssadmin output, and a case of thirty failed writers, each read
// by the real parser from the examples/ files or generated text.
func Pictures(t testing.TB) []Case {
	t.Helper()
	kb, err := KB()
	if err != nil {
		t.Fatalf("load knowledge: %v", err)
	}
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	p := parse.New(kb, parse.Limits{})
	read := func(name, text string) *parse.Result {
		res, err := p.Parse(context.Background(), name, strings.NewReader(text))
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		return res
	}
	example := func(name string) *parse.Result {
		b, err := os.ReadFile(filepath.Join(root, "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		return read(name, string(b))
	}
	cases := []struct {
		name string
		res  *parse.Result
	}{
		{"aip-exit-311", example("aip-exit-311.log")},
		{"vssadmin-ja", example("vssadmin-ja.txt")},
		{"thirty-findings", read("writers.txt", ThirtyWriters())},
	}
	out := make([]Case, len(cases))
	for i, c := range cases {
		rep := kb.Diagnose(c.res, lang.Auto)
		out[i] = Case{Name: c.name, Report: rep, Outline: answer.FromReport(rep, answer.Diagnosis)}
	}
	return out
}

// ThirtyWriters is `vssadmin list writers` output in which thirty writers
// failed, with four different last errors.
func ThirtyWriters() string {
	states := []struct{ state, err string }{
		{"[9] Failed", "Timed out"},
		{"[8] Failed", "Retryable error"},
		{"[7] Failed", "Non-retryable error"},
		{"[9] Failed", "Out of resources"},
	}
	var b strings.Builder
	b.WriteString("vssadmin 1.1 - Volume Shadow Copy Service administrative command-line tool\n(C) Copyright 2001-2013 Microsoft Corp.\n\n")
	for i := range 30 {
		s := states[i%len(states)]
		b.WriteString("Writer name: 'Application Writer " + strconv.Itoa(i+1) + "'\n")
		b.WriteString("   Writer Id: {" + strings.Repeat(strconv.Itoa(i%10), 8) + "-0000-4000-8000-0000000000" + strconv.Itoa(10+i) + "}\n")
		b.WriteString("   Writer Instance Id: {11111111-2222-4333-8444-5555555555" + strconv.Itoa(10+i) + "}\n")
		b.WriteString("   State: " + s.state + "\n   Last error: " + s.err + "\n\n")
	}
	return b.String()
}
