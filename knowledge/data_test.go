package knowledge

import (
	"os"
	"strings"
	"testing"

	goldenfile "github.com/vssbot/vssbot/internal/golden"
	"github.com/vssbot/vssbot/lang"
)

// TestEmbeddedBilingual checks every embedded entry in both languages; Load
// already refuses empty ones, this guards the data against a loosened
// validator.
func TestEmbeddedBilingual(t *testing.T) {
	b := loadBase(t)
	check := func(what string, ts ...Text) {
		t.Helper()
		for _, x := range ts {
			if x.JA == "" || x.EN == "" {
				t.Errorf("%s: text %+v lacks a language", what, x)
			}
		}
	}
	expl := func(what string, x explanation) {
		t.Helper()
		check(what, append([]Text{x.Title, x.Meaning}, x.Causes...)...)
		checkSteps(t, what, x.Steps)
	}
	for code, c := range b.codes {
		if c.fromWin32 { // worded when shown: check what is shown
			d := codeDiagnosis(c, lang.English)
			dj := codeDiagnosis(c, lang.Japanese)
			check(code, Text{EN: d.Title, JA: dj.Title}, Text{EN: d.Meaning, JA: dj.Meaning})
			checkSteps(t, code, c.Steps)
			continue
		}
		expl(code, c.explanation)
	}
	for v, s := range b.states {
		check(s.Name, s.Stage, s.Vssadmin, s.Meaning)
		if v < 0 || v > 15 {
			t.Errorf("state %d out of range", v)
		}
	}
	for id, w := range b.writers {
		checkSteps(t, id, []Step{w.Advice})
	}
	for k, e := range b.events {
		expl(k.String(), e.explanation)
	}
	for id, s := range b.situations {
		expl(id, s.explanation)
	}
	for n, r := range b.registry {
		expl(n, r.explanation)
		check(n, r.Default)
	}
}

// checkSteps fails on a step lacking a language, and on a risky command in
// a step that carries no warning in both languages.
func checkSteps(t *testing.T, what string, steps []Step) {
	t.Helper()
	for _, s := range steps {
		if s.JA == "" || s.EN == "" {
			t.Errorf("%s: step %+v lacks a language", what, s)
		}
		risk := riskIn(s.EN + "\n" + s.JA)
		if s.Warning != nil && (s.Warning.JA == "" || s.Warning.EN == "") {
			t.Errorf("%s: warning of step %q lacks a language", what, s.EN)
		}
		if risk != "" && s.Warning == nil {
			t.Errorf("%s: step runs %s without a warning: %q", what, risk, s.EN)
		}
	}
}

// TestRiskyStepsWarned renders every step of every entry and checks that
// each one naming a risky action shows its caution in both languages.
func TestRiskyStepsWarned(t *testing.T) {
	b := loadBase(t)
	n := 0
	for _, l := range []lang.Tag{lang.English, lang.Japanese} {
		for _, d := range allDiagnoses(b, l) {
			for _, s := range d.Steps {
				if riskIn(s) == "" {
					continue
				}
				n++
				if !strings.Contains(s, l.Pick("⚠ Caution:", "⚠ 注意:")) {
					t.Errorf("%s %s: risky step shown without its warning: %q", d.Kind, d.Name, s)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no risky step found: the detector or the data is broken")
	}
}

func TestRiskIn(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Run `vssadmin resize shadowstorage /for=C: /on=C: /maxsize=20%`", "vssadmin resize shadowstorage"},
		{"`vssadmin delete shadows /for=C: /oldest`", "vssadmin delete shadows"},
		{"Restart the Cluster Service service (ClusSvc)", "a restart of the Cluster service"},
		{"Check the Cluster service's state", ""},
		{"restart the Active Directory Domain Services service (NTDS)", "a restart of NTDS (AD DS)"},
		{"restart the Microsoft Exchange Information Store service (MSExchangeIS)", "a restart of Exchange's Information Store"},
		{"restart the SQL Server service (MSSQLSERVER)", "a restart of SQL Server"},
		{"restart the SQL Server VSS Writer service (SQLWriter)", ""},
		{"Run `vssadmin list shadowstorage`", ""},
	}
	for _, tt := range tests {
		if got := riskIn(tt.text); got != tt.want {
			t.Errorf("riskIn(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestEmbeddedCoverage(t *testing.T) {
	b := loadBase(t)
	for _, code := range []string{"0x800423f1", "0x800423f2", "0x800423f3", "0x800423f4"} {
		c, ok := b.codes[code]
		if !ok {
			t.Errorf("writer failure code %s missing", code)
			continue
		}
		if len(c.Steps) < 2 {
			t.Errorf("%s has %d steps, want at least 2", code, len(c.Steps))
		}
		if len(c.References) == 0 || len(c.Products) == 0 {
			t.Errorf("%s lacks references or products", code)
		}
	}
	for _, code := range []string{"0x800423f0", "0x80042336", "-311", "0x8000ffff", "0x80004005", "0x80070005",
		"0x8007000e", "0x80070057", "0x800706ba", "0x80070070", "0x80070015"} {
		if _, ok := b.codes[code]; !ok {
			t.Errorf("code %s missing", code)
		}
	}
	if len(b.states) != 16 {
		t.Errorf("%d writer states, want 16", len(b.states))
	}
	for _, k := range []eventKey{{"vss", 8193}, {"vss", 8194}, {"vss", 8224}, {"vss", 8229}, {"vss", 12289},
		{"vss", 12292}, {"vss", 12293}, {"vss", 12298}, {"vss", 13}, {"volsnap", 25}, {"volsnap", 33}, {"volsnap", 36}} {
		if _, ok := b.events[k]; !ok {
			t.Errorf("event %s missing", k)
		}
	}
	if len(b.writers) < 35 {
		t.Errorf("%d writers, want the 35 well-known ones", len(b.writers))
	}
}

// allDiagnoses is every entry of b as a lookup would show it.
func allDiagnoses(b *Base, l lang.Tag) []Diagnosis {
	var out []Diagnosis
	for _, c := range b.codes {
		out = append(out, codeDiagnosis(c, l))
	}
	for _, w := range b.writers {
		out = append(out, writerDiagnosis(w, l))
	}
	for _, e := range b.events {
		out = append(out, eventDiagnosis(e, l))
	}
	for _, s := range b.situations {
		out = append(out, situationDiagnosis(s, l))
	}
	for _, r := range b.registry {
		out = append(out, registryDiagnosis(r, l))
	}
	return out
}

// TestReadmeCoverage keeps the README's coverage numbers counted, not typed.
func TestReadmeCoverage(t *testing.T) {
	const readme = "../README.md"
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	const open, closing = "<!-- coverage -->", "<!-- /coverage -->"
	before, rest, ok := strings.Cut(string(data), open)
	_, after, ok2 := strings.Cut(rest, closing)
	if !ok || !ok2 {
		t.Fatalf("%s lacks the %s ... %s line", readme, open, closing)
	}
	b := loadBase(t)
	want := b.Coverage().String()
	got, _, _ := strings.Cut(rest, closing)
	if got == want {
		return
	}
	if goldenfile.Update() {
		if err := os.WriteFile(readme, []byte(before+open+want+closing+after), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README coverage says %q, the base has %q (run with -update)", got, want)
}
