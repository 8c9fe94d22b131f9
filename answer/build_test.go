package answer

import (
	"slices"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// handReport is a Report built by hand, so reply building is tested apart
// from the knowledge base's wording.
func handReport(l lang.Tag) *knowledge.Report {
	ref := knowledge.Reference{Title: "VSS error codes", URL: "https://example.invalid/vss"}
	return &knowledge.Report{
		Lang:     l,
		Headline: "System Writer failed at freeze: 0x800423f2",
		Findings: []parse.Finding{
			{Kind: parse.KindWriterFailure, Code: "0x800423f2", Name: "VSS_E_WRITERERROR_TIMEOUT", Writer: "System Writer",
				InstanceID: "{1}", StateName: "VSS_WS_FAILED_AT_FREEZE", Source: "a.log", Line: 5, Count: 300},
			{Kind: parse.KindWriterFailure, Code: "0x800423f2", Name: "VSS_E_WRITERERROR_TIMEOUT", Writer: "System Writer",
				InstanceID: "{2}", StateName: "VSS_WS_FAILED_AT_FREEZE", Source: "b.log", Line: 9, Count: 200},
			{Kind: parse.KindEvent, Code: "0x80070005", Provider: "VSS", Event: 8194, Source: "app.evtx.txt", Line: 1, Count: 1},
			{Kind: parse.KindExitCode, Code: "-311", Count: 1},
		},
		Facts: []parse.Fact{{Kind: "vss_start_to_failure", Seconds: 169.5, Source: "a.log", Line: 3}},
		Diagnoses: []knowledge.Diagnosis{
			{Code: "0x800423f2", Name: "VSS_E_WRITERERROR_TIMEOUT", Title: "writer timed out", Meaning: "The writer timed out.",
				Causes: []string{"heavy I/O"}, Steps: []string{"run later", "upgrade"}, References: []knowledge.Reference{ref},
				Products: []string{"AIP 2016", "AIP 2018"}, Writer: "System Writer", Stage: "at freeze", Service: "CryptSvc",
				Notes: []string{"169.5 s passed."}},
			{Code: "-311", Kind: "exit_code", Title: "snapshot failed", Meaning: "A writer failed.",
				References: []knowledge.Reference{ref}, Products: []string{"AIP 2018"}},
			{Kind: "writer", Title: "System Writer"},
		},
		Unknown: []knowledge.Unknown{{Query: "0x80042399", Message: "unknown code", Nearest: []string{"0x80042301 VSS_E_BAD_STATE"}}},
	}
}

func TestFromReport(t *testing.T) {
	tests := []struct {
		lang     lang.Tag
		titles   []string
		details  []string
		footer   string
		writerLn string
	}{
		{lang.English,
			[]string{"", "0x800423f2 VSS_E_WRITERERROR_TIMEOUT: writer timed out", "Exit Code -311: snapshot failed", "System Writer", "0x80042399"},
			[]string{
				"0x800423f2 VSS_E_WRITERERROR_TIMEOUT System Writer VSS_WS_FAILED_AT_FREEZE ×300 (a.log:5, first seen)",
				"0x800423f2 VSS_E_WRITERERROR_TIMEOUT System Writer VSS_WS_FAILED_AT_FREEZE ×200 (b.log:9, first seen)",
				"0x80070005 VSS 8194 (app.evtx.txt:1)",
				"-311",
			},
			"vssbot", // no evidence of AIP and none configured
			"Writer: System Writer; failed at freeze; service: CryptSvc"},
		{lang.Japanese,
			[]string{"", "0x800423f2 VSS_E_WRITERERROR_TIMEOUT: writer timed out", "終了コード -311: snapshot failed", "System Writer", "0x80042399"},
			[]string{
				"0x800423f2 VSS_E_WRITERERROR_TIMEOUT System Writer VSS_WS_FAILED_AT_FREEZE ×300 (a.log:5, 初出)",
				"0x800423f2 VSS_E_WRITERERROR_TIMEOUT System Writer VSS_WS_FAILED_AT_FREEZE ×200 (b.log:9, 初出)",
				"0x80070005 VSS 8194 (app.evtx.txt:1)",
				"-311",
			},
			"vssbot",
			"ライター: System Writer、失敗した段階: at freeze、サービス: CryptSvc"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			rep := handReport(tt.lang)
			r := FromReport(rep, Diagnosis)
			if r.Kind != Diagnosis || r.Lang != tt.lang || r.Headline != rep.Headline {
				t.Errorf("reply header %+v", r)
			}
			var titles []string
			for _, s := range r.Sections {
				titles = append(titles, s.Title)
			}
			if !slices.Equal(titles, tt.titles) {
				t.Errorf("titles\n got %q\nwant %q", titles, tt.titles)
			}
			if !slices.Equal(r.Details.Items, tt.details) {
				t.Errorf("details\n got %q\nwant %q", r.Details.Items, tt.details)
			}
			if r.Footer != tt.footer {
				t.Errorf("footer\n got %q\nwant %q", r.Footer, tt.footer)
			}
			// No failed writer is known (no resets): the lead is the code's
			// first steps, which the code's own section does not repeat.
			lead := r.Sections[0]
			if r.Lead != 1 || !slices.ContainsFunc(lead.Lists, func(l List) bool {
				return l.Numbered && slices.Equal(l.Items, []string{"run later", "upgrade"})
			}) {
				t.Errorf("lead section %+v (Lead %d)", lead, r.Lead)
			}
			if first := r.Sections[1]; !slices.Contains(first.Lines, tt.writerLn) {
				t.Errorf("first section %+v", first)
			}
			if !strings.Contains(strings.Join(r.Sections[4].Lines, ""), "0x80042301") {
				t.Errorf("unknown section lacks nearest codes: %+v", r.Sections[4])
			}
			if want := []Link{{Title: "VSS error codes", URL: "https://example.invalid/vss"}}; !slices.Equal(r.References, want) {
				t.Errorf("references %q, want %q", r.References, want)
			}
		})
	}
}

func TestFromReportEmpty(t *testing.T) {
	r := FromReport(&knowledge.Report{Lang: lang.English}, Lookup)
	if r.Headline != "" || len(r.Sections) != 0 || !r.Details.Empty() || r.Footer != "vssbot" {
		t.Errorf("empty report gave %+v", r)
	}
}
