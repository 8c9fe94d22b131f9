package acceptance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The field corpus (testdata/field) holds excerpts laid out exactly as
// customers paste them, each with the answer a senior support engineer reads
// in it. TestFieldCorpus runs every sample through the same pipeline as
// `vssbot diagnose --format json` and scores it.

const fieldDir = "../testdata/field"

// fieldExpect is one sample's expected answer (NAME.expected.yaml).
type fieldExpect struct {
	Layout string `yaml:"layout"`
	// Seen says where the layout was seen (URL or thread title).
	Seen string `yaml:"seen"`
	// Healthy samples must give no finding at all.
	Healthy bool `yaml:"healthy"`
	// Codes must each be carried by some finding: HRESULTs as 0x + 8 hex
	// digits, task exit codes as signed decimals ("-311").
	Codes   []string        `yaml:"codes"`
	Writers []fieldWriter   `yaml:"writers"`
	Events  []fieldEvent    `yaml:"events"`
	Allow   fieldAllowances `yaml:"allow"`
	// Format, when set, is the format the first input must be detected as;
	// NotFormat is one it must not be (e.g. "aip" for other vendors' logs).
	Format    string `yaml:"format"`
	NotFormat string `yaml:"not_format"`
	// Quiet names codes a line of the excerpt shows on its own that the
	// excerpt as a whole rightly does not report, with the reason (stale:
	// an old session's value; documentation: a reference list; benign: a
	// warning documented as ignorable). parse's TestFieldMonotone reads it.
	Quiet []fieldQuiet `yaml:"quiet"`
}

type fieldQuiet struct {
	Code string `yaml:"code"`
	Why  string `yaml:"why"`
}

// fieldWriter is a writer the excerpt says is wrong. Code and State, when
// set, must be on the same finding as the writer: tied, not loose.
type fieldWriter struct {
	Name  string `yaml:"name"`
	Code  string `yaml:"code"`
	State *int   `yaml:"state"`
}

type fieldEvent struct {
	ID       int    `yaml:"id"`
	Provider string `yaml:"provider"` // matched as a case-insensitive substring
	Code     string `yaml:"code"`
}

// fieldAllowances are findings a reader may or may not report without being
// wrong either way, e.g. a generic E_UNEXPECTED printed beside the real cause.
type fieldAllowances struct {
	Codes   []string `yaml:"codes"`
	Writers []string `yaml:"writers"`
	Events  []int    `yaml:"events"`
}

// fieldFinding is the part of a JSON finding the corpus scores.
type fieldFinding struct {
	Kind, Code, Writer, Provider string
	WriterID                     string `json:"writer_id"`
	State                        int    `json:"state"`
	Event                        int    `json:"event"`
}

type fieldScore struct {
	expected, found int      // expected items and how many were found
	problems        []string // missing or unexpected, empty when fully right
	unexpected      int      // findings of significance nobody expected
}

func TestFieldCorpus(t *testing.T) {
	samples, err := fieldSamples()
	if err != nil {
		t.Fatal(err)
	}
	known, err := readKnownFailures(filepath.Join(fieldDir, "known-failures.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for name := range known {
		if !slices.Contains(samples, name) {
			t.Errorf("known-failures.txt names %q, which is not a sample", name)
		}
	}
	var right, healthy, healthyNoisy, expected, found, unexpected int
	for _, name := range samples {
		exp, err := readFieldExpect(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		sc := runFieldSample(t, name, exp)
		expected += sc.expected
		found += sc.found
		if !exp.Healthy {
			unexpected += sc.unexpected
		}
		if exp.Healthy {
			healthy++
			if len(sc.problems) > 0 {
				healthyNoisy++
			}
		}
		ok := len(sc.problems) == 0
		if ok {
			right++
		}
		_, isKnown := known[name]
		switch {
		case ok && isKnown:
			t.Errorf("%s is fully right now: remove it from known-failures.txt", name)
		case !ok && isKnown:
			t.Logf("%s (known failure): %s", name, strings.Join(sc.problems, "; "))
		case !ok:
			t.Errorf("%s: %s", name, strings.Join(sc.problems, "; "))
		}
	}
	t.Logf("field corpus: %d/%d fully right, recall %d/%d expected items, %d false positives on %d healthy, %d unexpected findings in %d failure samples",
		right, len(samples), found, expected, healthyNoisy, healthy, unexpected, len(samples)-healthy)
}

// runFieldSample diagnoses one sample and scores it against exp.
func runFieldSample(t *testing.T, name string, exp *fieldExpect) fieldScore {
	t.Helper()
	out, errOut, code := vssbot(t, "", "diagnose", "--format", "json", "--lang", "en", filepath.Join(fieldDir, name))
	if code != 0 {
		return fieldScore{problems: []string{fmt.Sprintf("exit %d: %s", code, strings.TrimSpace(errOut))}}
	}
	var rep struct {
		Inputs   []struct{ Format string } `json:"inputs"`
		Findings []fieldFinding            `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		return fieldScore{problems: []string{"output is not JSON: " + err.Error()}}
	}
	format := ""
	if len(rep.Inputs) > 0 {
		format = rep.Inputs[0].Format
	}
	return scoreField(exp, format, rep.Findings)
}

// scoreField compares findings with the expected answer.
func scoreField(exp *fieldExpect, format string, got []fieldFinding) fieldScore {
	var sc fieldScore
	miss := func(what string, a ...any) { sc.problems = append(sc.problems, "missing "+fmt.Sprintf(what, a...)) }
	extra := func(f fieldFinding) {
		sc.unexpected++
		sc.problems = append(sc.problems, "unexpected "+describeFinding(f))
	}
	if exp.Format != "" && format != exp.Format {
		sc.problems = append(sc.problems, fmt.Sprintf("format %q, want %q", format, exp.Format))
	}
	if exp.NotFormat != "" && format == exp.NotFormat {
		sc.problems = append(sc.problems, fmt.Sprintf("format %q, want anything else", format))
	}
	if exp.Healthy {
		for _, f := range got {
			extra(f)
		}
		return sc
	}
	expect := func(what string, item any, matches func(fieldFinding) bool) {
		sc.expected++
		if slices.ContainsFunc(got, matches) {
			sc.found++
		} else {
			miss("%s %s", what, item)
		}
	}
	for _, c := range exp.Codes {
		expect("code", c, func(f fieldFinding) bool { return sameCode(f.Code, c) })
	}
	for _, w := range exp.Writers {
		expect("writer", w, w.matches)
	}
	for _, e := range exp.Events {
		expect("event", e, e.matches)
	}
	for _, f := range got {
		if !exp.accounts(f, got) {
			extra(f)
		}
	}
	return sc
}

func (w fieldWriter) matches(f fieldFinding) bool {
	return strings.EqualFold(f.Writer, w.Name) &&
		(w.Code == "" || sameCode(f.Code, w.Code)) &&
		(w.State == nil || f.State == *w.State)
}

func (w fieldWriter) String() string {
	s := fmt.Sprintf("%q", w.Name)
	if w.Code != "" {
		s += " with code " + w.Code
	}
	if w.State != nil {
		s += fmt.Sprintf(" in state %d", *w.State)
	}
	return s
}

func (e fieldEvent) matches(f fieldFinding) bool {
	return f.Kind == "event" && f.Event == e.ID &&
		(e.Provider == "" || strings.Contains(strings.ToLower(f.Provider), strings.ToLower(e.Provider))) &&
		(e.Code == "" || sameCode(f.Code, e.Code))
}

func (e fieldEvent) String() string {
	s := fmt.Sprintf("%s %d", e.Provider, e.ID)
	if e.Code != "" {
		s += " with code " + e.Code
	}
	return strings.TrimSpace(s)
}

// accounts reports whether a finding is part of the expected answer (or
// allowed). A writer, code or event nobody expected is a false finding; so
// is a bare mention of an expected writer beside the finding that ties that
// writer to its failure (one writer, one finding).
func (exp *fieldExpect) accounts(f fieldFinding, all []fieldFinding) bool {
	if f.Code != "" && !exp.knowsCode(f.Code) {
		return false
	}
	if f.Kind == "event" && !slices.ContainsFunc(exp.Events, func(e fieldEvent) bool { return e.ID == f.Event }) &&
		!slices.Contains(exp.Allow.Events, f.Event) {
		return false
	}
	if f.Writer == "" {
		// A loose code beside the writer failure carrying it is one failure
		// reported twice.
		return f.Kind == "event" || !slices.ContainsFunc(all, func(o fieldFinding) bool {
			return o.Kind == "writer_failure" && sameCode(o.Code, f.Code)
		})
	}
	if slices.ContainsFunc(exp.Allow.Writers, func(w string) bool { return strings.EqualFold(w, f.Writer) }) {
		return true
	}
	if !slices.ContainsFunc(exp.Writers, func(w fieldWriter) bool { return strings.EqualFold(w.Name, f.Writer) }) {
		return false
	}
	if f.Kind == "writer" {
		// A loose mention is fine only when nothing else carries the writer.
		return !slices.ContainsFunc(all, func(o fieldFinding) bool {
			return o.Kind != "writer" && strings.EqualFold(o.Writer, f.Writer)
		})
	}
	// The same evidence once by name and once by name and GUID is one
	// finding reported twice.
	return f.WriterID != "" || !slices.ContainsFunc(all, func(o fieldFinding) bool {
		return o.WriterID != "" && o.Kind == f.Kind && o.Code == f.Code && strings.EqualFold(o.Writer, f.Writer)
	})
}

func (exp *fieldExpect) knowsCode(c string) bool {
	same := func(x string) bool { return sameCode(x, c) }
	return slices.ContainsFunc(exp.Codes, same) || slices.ContainsFunc(exp.Allow.Codes, same) ||
		slices.ContainsFunc(exp.Writers, func(w fieldWriter) bool { return same(w.Code) }) ||
		slices.ContainsFunc(exp.Events, func(e fieldEvent) bool { return same(e.Code) })
}

func sameCode(a, b string) bool { return a != "" && strings.EqualFold(a, b) }

func describeFinding(f fieldFinding) string {
	var parts []string
	for _, p := range []struct{ k, v string }{{"kind", f.Kind}, {"code", f.Code}, {"writer", f.Writer}, {"id", f.WriterID}, {"provider", f.Provider}} {
		if p.v != "" {
			parts = append(parts, p.k+"="+p.v)
		}
	}
	if f.State >= 0 && f.Writer != "" {
		parts = append(parts, fmt.Sprintf("state=%d", f.State))
	}
	if f.Event != 0 {
		parts = append(parts, fmt.Sprintf("event=%d", f.Event))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

// fieldSamples lists the sample files: everything in the directory but the
// README, the known-failures list and the expected files.
func fieldSamples() ([]string, error) {
	entries, err := os.ReadDir(fieldDir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", fieldDir, err)
	}
	var samples []string
	expects := map[string]bool{}
	for _, e := range entries {
		n := e.Name()
		switch {
		case e.IsDir() || strings.HasPrefix(n, ".") || n == "README.md" || n == "known-failures.txt":
		case strings.HasSuffix(n, ".expected.yaml"):
			expects[strings.TrimSuffix(n, ".expected.yaml")] = true
		default:
			samples = append(samples, n)
		}
	}
	for _, s := range samples {
		if !expects[s] {
			return nil, fmt.Errorf("%s has no %s.expected.yaml", s, s)
		}
		delete(expects, s)
	}
	for e := range expects {
		return nil, fmt.Errorf("%s.expected.yaml has no sample %s", e, e)
	}
	return samples, nil
}

func readFieldExpect(sample string) (*fieldExpect, error) {
	name := filepath.Join(fieldDir, sample+".expected.yaml")
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var exp fieldExpect
	if err := dec.Decode(&exp); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, q := range exp.Quiet {
		if !slices.Contains([]string{"stale", "documentation", "benign"}, q.Why) {
			return nil, fmt.Errorf("%s: quiet code %s: why must be stale, documentation or benign, not %q", name, q.Code, q.Why)
		}
	}
	empty := len(exp.Codes) == 0 && len(exp.Writers) == 0 && len(exp.Events) == 0
	if exp.Healthy != empty {
		return nil, fmt.Errorf("%s: a sample is either healthy or expects something, not both or neither", name)
	}
	return &exp, nil
}

// readKnownFailures reads "sample-name  # why" lines; blank and # lines are
// comments.
func readKnownFailures(name string) (map[string]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	known := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, why, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			known[line] = strings.TrimSpace(why)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return known, nil
}

// TestFieldScoring pins the comparison rules the corpus relies on.
func TestFieldScoring(t *testing.T) {
	nine := 9
	timeout := fieldWriter{Name: "System Writer", Code: "0x800423f2", State: &nine}
	tied := fieldFinding{Kind: "writer_failure", Code: "0x800423f2", Writer: "System Writer", WriterID: "{e8132975-6f93-4464-a53e-1050253ae220}", State: 9}
	tests := []struct {
		name     string
		exp      fieldExpect
		got      []fieldFinding
		problems int
	}{
		{"healthy and silent", fieldExpect{Healthy: true}, nil, 0},
		{"healthy with a stable writer reported", fieldExpect{Healthy: true}, []fieldFinding{{Kind: "writer", Writer: "WMI Writer", State: 1}}, 1},
		{"tied writer", fieldExpect{Writers: []fieldWriter{timeout}}, []fieldFinding{tied}, 0},
		{"writer and code loose", fieldExpect{Writers: []fieldWriter{timeout}},
			[]fieldFinding{{Kind: "writer", Writer: "System Writer", State: -1}, {Kind: "vss_error", Code: "0x800423f2", State: -1}}, 1},
		{"bare mention beside the tied finding", fieldExpect{Writers: []fieldWriter{timeout}},
			[]fieldFinding{tied, {Kind: "writer", Writer: "System Writer", State: -1}}, 1},
		{"same failure by name and by GUID", fieldExpect{Writers: []fieldWriter{timeout}},
			[]fieldFinding{tied, {Kind: "writer_failure", Code: "0x800423f2", Writer: "System Writer", State: 9}}, 1},
		{"shorter writer name", fieldExpect{Writers: []fieldWriter{{Name: "Microsoft Hyper-V VSS Writer"}}},
			[]fieldFinding{{Kind: "writer_failure", Writer: "Microsoft Hyper-V VSS Writer", State: 9}, {Kind: "writer", Writer: "Hyper-V VSS Writer", State: -1}}, 1},
		{"allowed generic code", fieldExpect{Codes: []string{"-311"}, Allow: fieldAllowances{Codes: []string{"0x8000ffff"}}},
			[]fieldFinding{{Kind: "exit_code", Code: "-311"}, {Kind: "hresult", Code: "0x8000FFFF"}}, 0},
		{"event with the wrong code", fieldExpect{Events: []fieldEvent{{ID: 8194, Provider: "VSS", Code: "0x80070005"}}},
			[]fieldFinding{{Kind: "event", Event: 8194, Provider: "VSS", Code: "0x8000ffff"}}, 2},
		{"provider matched as a substring", fieldExpect{Events: []fieldEvent{{ID: 18016, Provider: "Hyper-V-VMMS"}}},
			[]fieldFinding{{Kind: "event", Event: 18016, Provider: "Microsoft-Windows-Hyper-V-VMMS"}}, 0},
		{"unexpected event", fieldExpect{Codes: []string{"0x80042306"}},
			[]fieldFinding{{Kind: "vss_error", Code: "0x80042306"}, {Kind: "event", Event: 8224, Provider: "VSS"}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := scoreField(&tt.exp, "text", tt.got)
			if len(sc.problems) != tt.problems {
				t.Errorf("%d problems, want %d: %q", len(sc.problems), tt.problems, sc.problems)
			}
		})
	}
}
