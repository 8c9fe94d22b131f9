package answer

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// threeWriters is a report of three writers failing with three codes, a
// task exit code and E_UNEXPECTED that follow from them, and a vendor's
// steps beside Microsoft's.
func threeWriters(format string) *knowledge.Report {
	ms := knowledge.Reference{Title: "Writer errors", URL: "https://example.invalid/ms", Label: "Microsoft"}
	vendor := knowledge.Reference{Title: "Vendor KB", URL: "https://example.invalid/aip", Label: "ActiveImage Protector"}
	writerCode := func(code, name, writer, service string) knowledge.Diagnosis {
		return knowledge.Diagnosis{Code: code, Name: name, Kind: "hresult", Title: name + " title",
			Steps:      []string{"[ActiveImage Protector] run at night", "[Microsoft] wait and retry " + code},
			References: []knowledge.Reference{vendor, ms}, Products: []string{"ActiveImage Protector 2018"},
			Writer: writer, Service: service,
			Writers: []knowledge.WriterAction{{Writer: writer, Stage: "at Freeze", Service: service, Failed: true, Advice: "restart " + service}}}
	}
	return &knowledge.Report{
		Lang:   lang.English,
		Inputs: []parse.Input{{Source: "x", Format: format}},
		Diagnoses: []knowledge.Diagnosis{
			writerCode("0x800423f2", "VSS_E_WRITERERROR_TIMEOUT", "System Writer", "CryptSvc"),
			writerCode("0x800423f4", "VSS_E_WRITERERROR_NONRETRYABLE", "SqlServerWriter", "SQLWriter"),
			writerCode("0x800423f3", "VSS_E_WRITERERROR_RETRYABLE", "Hyper-V writer", "vmms"),
			{Code: "-311", Kind: "exit_code", Steps: []string{"Open the task log and look for Selected writer"}},
			{Code: "0x8000ffff", Name: "E_UNEXPECTED", Kind: "hresult", Steps: []string{"Look in the same log for a writer failure code"}},
			{Code: "0x80070005", Name: "E_ACCESSDENIED", Kind: "hresult", Steps: []string{"check permissions"}},
		},
	}
}

func TestFirstScreen(t *testing.T) {
	tests := []struct {
		name     string
		format   string
		cfg      Config
		vendor   bool // the vendor's steps and "applies to" line are shown
		headline string
	}{
		{"no vendor evidence", "vssadmin", Config{}, false,
			"System Writer, SqlServerWriter and Hyper-V writer failed: 0x800423f2, 0x800423f4, 0x800423f3"},
		{"vendor's own log", "aip", Config{}, true, ""},
		{"vendor configured", "vssadmin", Config{Products: []string{"ActiveImage Protector"}}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Build(threeWriters(tt.format), Diagnosis, tt.cfg)
			if tt.headline != "" && o.Headline != tt.headline {
				t.Errorf("headline %q, want %q", o.Headline, tt.headline)
			}
			first, rest := o.First()
			if len(first) != 1 || first[0].Title != "" {
				t.Fatalf("first screen %+v", first)
			}
			lead := first[0]
			for _, w := range []string{"System Writer · at Freeze · 0x800423f2", "SqlServerWriter · at Freeze · 0x800423f4", "Hyper-V writer"} {
				if !slices.ContainsFunc(lead.Lines, func(l string) bool { return strings.HasPrefix(l, w) }) {
					t.Errorf("lead lacks a line for %q: %q", w, lead.Lines)
				}
			}
			if !slices.Contains(lead.Lines, "Exit Code -311 and E_UNEXPECTED: consequences of the writer failure above") {
				t.Errorf("consequences not folded: %q", lead.Lines)
			}
			acts := lead.Lists[0].Items
			want := []string{"restart CryptSvc", "restart SQLWriter", "[Microsoft] wait and retry 0x800423f2"}
			if !slices.Equal(acts, want) {
				t.Errorf("do this first %q, want %q", acts, want)
			}
			all := dump(o)
			for _, homework := range []string{"Selected writer", "Look in the same log"} {
				if strings.Contains(all, homework) {
					t.Errorf("answer asks the user to look for what the bot read (%q)", homework)
				}
			}
			if got := strings.Contains(all, "[ActiveImage Protector]"); got != tt.vendor {
				t.Errorf("vendor steps shown %v, want %v", got, tt.vendor)
			}
			if got := strings.Contains(o.Footer, "applies to"); got != tt.vendor {
				t.Errorf("footer %q", o.Footer)
			}
			if !slices.ContainsFunc(rest, func(s Section) bool { return strings.HasPrefix(s.Title, "0x80070005") }) {
				t.Error("a code with a facility of its own was folded as a consequence")
			}
			if len(o.References) > maxReferences {
				t.Errorf("%d references", len(o.References))
			}
		})
	}
}

func TestHeadlineFitsOneLine(t *testing.T) {
	var fw []failedWriter
	d := &knowledge.Diagnosis{Code: "0x800423f2"}
	for i := range 30 {
		fw = append(fw, failedWriter{reset: knowledge.WriterAction{Writer: "Writer number " + strings.Repeat("x", i)}, d: d})
	}
	h := headlineOf(fw, lang.English)
	if n := len([]rune(h)); n > maxHeadline || !strings.Contains(h, "more writers failed: 0x800423f2") {
		t.Errorf("headline (%d runes) %q", n, h)
	}
}

func TestEvidenceCapped(t *testing.T) {
	var fs []parse.Finding
	for i := range 30 {
		fs = append(fs, parse.Finding{Kind: parse.KindVSSError, Code: fmt.Sprintf("0x800423%02x", i), Source: "s", Line: i + 1,
			Time: "2024-01-01 10:00:00", Zone: parse.ZoneUnknown})
	}
	items := capEvidence(findingLines(fs, lang.English), lang.English)
	if len(items) != maxEvidence+1 || !strings.HasPrefix(items[maxEvidence], "… and 18 more (codes: ") {
		t.Fatalf("evidence %q", items)
	}
	if n := strings.Count(strings.Join(items, "\n"), "zone unknown"); n != 1 {
		t.Errorf("zone said %d times, want once per source", n)
	}
}

// dump is every string of o, for searching.
func dump(o *Outline) string {
	var b strings.Builder
	b.WriteString(o.Headline + "\n")
	for _, s := range o.Sections {
		b.WriteString(s.Title + "\n" + strings.Join(s.Lines, "\n"))
		for _, l := range s.Lists {
			b.WriteString(strings.Join(l.Items, "\n"))
		}
	}
	return b.String() + strings.Join(o.Details.Items, "\n") + o.Footer
}
