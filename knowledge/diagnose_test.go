package knowledge

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// seedFindings is what the parser reports for the AIP log excerpt of an
// Exit Code -311 caused by a System Writer timeout, built by hand so these
// tests do not depend on the parser.
func seedResult(japanese bool, seconds float64) *parse.Result {
	return &parse.Result{
		Inputs: []parse.Input{{Source: "1500000000.log", Encoding: "utf-8", Format: "aip", Bytes: 812}},
		Findings: []parse.Finding{
			{Kind: parse.KindWriterFailure, Code: "0x800423f2", Name: "VSS_E_WRITERERROR_TIMEOUT", Writer: "System Writer",
				WriterID: "{e8132975-6f93-4464-a53e-1050253ae220}", InstanceID: "{ab13e0da-0a8b-48c4-ab4f-eabe2b3d01fe}",
				State: 9, StateName: "VSS_WS_FAILED_AT_FREEZE", Source: "1500000000.log", Line: 6, Time: "2017-07-13T04:40:43.957", Count: 1},
			{Kind: parse.KindExitCode, Code: "-311", State: -1, Source: "1500000000.log", Line: 14, Count: 1},
			{Kind: parse.KindHRESULT, Code: "0x8000ffff", Name: "E_UNEXPECTED", State: -1, Source: "1500000000.log", Line: 4,
				Time: "2017-07-13T04:40:43.790", Count: 2},
		},
		Facts:    []parse.Fact{{Kind: "vss_start_to_failure", Seconds: seconds, Source: "1500000000.log", Line: 4}},
		Japanese: japanese,
	}
}

func TestDiagnoseGolden(t *testing.T) {
	b := loadBase(t)
	tests := []struct {
		name string
		res  *parse.Result
		lang lang.Tag
	}{
		{"seed-en", seedResult(false, 169.351), lang.Auto},
		{"seed-ja", seedResult(true, 169.351), lang.Auto},
		{"seed-short-en", seedResult(false, 12), lang.English},
		{"vssadmin-en", &parse.Result{
			Inputs: []parse.Input{{Source: "writers.txt", Encoding: "shift_jis", Format: "vssadmin", Bytes: 4000}},
			Findings: []parse.Finding{
				{Kind: parse.KindWriterFailure, Code: "0x800423f4", Name: "VSS_E_WRITERERROR_NONRETRYABLE", Writer: "SqlServerWriter",
					WriterID: "{a65faa63-5ea8-4ebc-9dbd-a0c4db26912a}", State: 9, Source: "writers.txt", Line: 40, Count: 1, LastError: "Non-retryable error"},
				{Kind: parse.KindWriterState, Writer: "Registry Writer", WriterID: "{afbab4a2-367d-4d15-a586-71dbb18f8485}",
					State: 5, StateName: "VSS_WS_WAITING_FOR_BACKUP_COMPLETE", Source: "writers.txt", Line: 12, Count: 1, LastError: "No error"},
				{Kind: parse.KindWriterState, Writer: "WMI Writer", WriterID: "{a6ad56c2-b509-4e6c-bb19-49d8f43532f0}",
					State: 5, Source: "writers.txt", Line: 20, Count: 1, LastError: "No error"},
			},
		}, lang.English},
		{"unknowns-ja", &parse.Result{
			Findings: []parse.Finding{
				{Kind: parse.KindUnknownVSS, Code: "0x800424ee", State: -1, Source: "paste", Line: 1, Count: 1},
				{Kind: parse.KindWriterFailure, Code: "0x800423f3", Writer: "Contoso Writer", State: 11, Source: "paste", Line: 2, Count: 1},
				{Kind: parse.KindEvent, Provider: "VSS", Event: 8229, Code: "0x800423f3", Writer: "Contoso Writer", State: -1, Source: "app.evtx.xml", Line: 30, Count: 3},
				{Kind: parse.KindEvent, Provider: "Contoso", Event: 4, State: -1, Source: "app.evtx.xml", Line: 50, Count: 1},
				{Kind: parse.KindExitCode, Code: "-999", State: -1, Source: "paste", Line: 3, Count: 1},
				{Kind: parse.KindWriter, Writer: "ASR Writer", State: -1, Source: "paste", Line: 4, Count: 1},
			},
		}, lang.Japanese},
		{"nothing-en", &parse.Result{Inputs: []parse.Input{{Source: "empty.log", Format: "text"}}}, lang.English},
		{"nil-ja", nil, lang.Japanese},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.Diagnose(tt.res, tt.lang)
			js, err := json.MarshalIndent(r, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "diagnose/"+tt.name+".json", append(js, '\n'))
		})
	}
}

func TestDiagnoseSeed(t *testing.T) {
	b := loadBase(t)
	tests := []struct {
		res          *parse.Result
		lang         lang.Tag
		wantLang     lang.Tag
		wantHeadline string
		wantNote     string
	}{
		{seedResult(false, 169), lang.Auto, lang.English,
			"System Writer failed at Freeze: 0x800423f2 VSS_E_WRITERERROR_TIMEOUT — the writer timed out between Freeze and Thaw (and 2 more)",
			"169 s passed between VssStart() and the failure (1500000000.log:4); the span covers every phase of the snapshot, not only the freeze."},
		{seedResult(true, 169), lang.Auto, lang.Japanese,
			"System Writer が Freeze 時に失敗: 0x800423f2 VSS_E_WRITERERROR_TIMEOUT — ライターが Freeze と Thaw の間でタイムアウトしました (他 2 件)",
			"VssStart() から失敗まで 169 秒でした"},
		{seedResult(true, 90), lang.English, lang.English, "", "90 s passed between VssStart() and the failure"},
		{seedResult(false, 30), lang.English, lang.English, "", "30 s passed between VssStart() and the failure"},
	}
	for _, tt := range tests {
		r := b.Diagnose(tt.res, tt.lang)
		if r.Lang != tt.wantLang {
			t.Errorf("Lang = %s, want %s", r.Lang, tt.wantLang)
		}
		if tt.wantHeadline != "" && r.Headline != tt.wantHeadline {
			t.Errorf("Headline = %q\nwant       %q", r.Headline, tt.wantHeadline)
		}
		d := r.Diagnoses[0]
		if d.Code != "0x800423f2" || d.Writer != "System Writer" || d.Service != "Cryptographic Services (CryptSvc)" {
			t.Errorf("first diagnosis = %s %s %s", d.Code, d.Writer, d.Service)
		}
		if len(d.Findings) != 1 || d.Findings[0] != 0 {
			t.Errorf("first diagnosis findings = %v, want [0]", d.Findings)
		}
		if !strings.Contains(strings.Join(d.Notes, "\n"), tt.wantNote) {
			t.Errorf("notes %q lack %q", d.Notes, tt.wantNote)
		}
		// The 60 s default is stated once per answer, and the span is never
		// compared with it.
		var all strings.Builder
		for _, x := range r.Diagnoses {
			all.WriteString(x.Meaning + strings.Join(x.Notes, " ") + strings.Join(x.Steps, " "))
		}
		if n := strings.Count(all.String(), r.Lang.Pick("60 s", "60 秒")); n != 1 {
			t.Errorf("the 60 s default is stated %d times, want once: %s", n, all.String())
		}
		if strings.Contains(all.String(), "past the") || strings.Contains(all.String(), "超えています") {
			t.Errorf("answer concludes more than the log shows: %q", d.Notes)
		}
		if len(r.Diagnoses) != 3 || r.Diagnoses[1].Code != "-311" || r.Diagnoses[2].Code != "0x8000ffff" {
			t.Errorf("diagnoses not one per code in finding order: %+v", r.Diagnoses)
		}
	}
}

func TestDiagnoseNeverNull(t *testing.T) {
	js, err := json.Marshal(loadBase(t).Diagnose(&parse.Result{}, lang.English))
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"inputs":[]`, `"findings":[]`, `"diagnoses":[]`} {
		if !strings.Contains(string(js), field) {
			t.Errorf("JSON %s lacks %s", js, field)
		}
	}
}

func TestDiagnoseManyWriters(t *testing.T) {
	res := &parse.Result{}
	for i := range 500 {
		res.Findings = append(res.Findings, parse.Finding{Kind: parse.KindWriterFailure, Code: "0x800423f3",
			Writer: fmt.Sprintf("Writer %d", i%100), State: 9, Source: "x", Line: i + 1, Count: 1})
	}
	r := loadBase(t).Diagnose(res, lang.English)
	if len(r.Diagnoses) != 1 {
		t.Fatalf("%d diagnoses, want 1", len(r.Diagnoses))
	}
	d := r.Diagnoses[0]
	if len(d.Findings) != 500 {
		t.Errorf("diagnosis explains %d findings, want 500", len(d.Findings))
	}
	// 1 advice for the first writer, 10 "also involved", 1 summary.
	if len(d.Notes) != 12 || d.Notes[11] != "89 more writers are involved." {
		t.Errorf("notes = %d, last %q", len(d.Notes), d.Notes[len(d.Notes)-1])
	}
}

func TestDiagnoseWriterByNameAndID(t *testing.T) {
	res := &parse.Result{Findings: []parse.Finding{
		{Kind: parse.KindWriter, Writer: "system writer", State: -1, Source: "a", Line: 1, Count: 1},
		{Kind: parse.KindWriter, WriterID: "{E8132975-6F93-4464-A53E-1050253AE220}", State: -1, Source: "b", Line: 1, Count: 1},
	}}
	r := loadBase(t).Diagnose(res, lang.English)
	if len(r.Diagnoses) != 1 || r.Diagnoses[0].Writer != "System Writer" || len(r.Diagnoses[0].Findings) != 2 {
		t.Fatalf("diagnoses = %+v, want System Writer once for both findings", r.Diagnoses)
	}
}

// TestEventCodeOrder: an event's VSS code explains it better than the event
// does, a generic code worse.
func TestEventCodeOrder(t *testing.T) {
	b := loadBase(t)
	tests := []struct {
		provider  string
		event     int
		code      string
		wantFirst string
	}{
		{"VSS", 8229, "0x800423f4", "0x800423f4"},
		{"VSS", 12289, "0x80042306", "0x80042306"},
		{"VSS", 8194, "0x80070005", "8194"},
		{"VSS", 8193, "0x8007045d", "8193"},
		{"VolSnap", 25, "", "25"},
	}
	for _, tt := range tests {
		res := &parse.Result{Findings: []parse.Finding{{Kind: parse.KindEvent, Provider: tt.provider, Event: tt.event,
			Code: tt.code, Writer: "System Writer", State: -1, Source: "events.xml", Line: 1, Count: 1}}}
		r := b.Diagnose(res, lang.English)
		if len(r.Diagnoses) == 0 || r.Diagnoses[0].Code != tt.wantFirst {
			t.Errorf("%s %d with %q: first diagnosis %+v, want %s", tt.provider, tt.event, tt.code, r.Diagnoses, tt.wantFirst)
		}
	}
}
