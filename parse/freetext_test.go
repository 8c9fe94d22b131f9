package parse

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// TestFreeText checks one pasted line at a time: what it must yield, as
// "kind code" (or "kind writer" for mentions), in rank order.
func TestFreeText(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	tests := []struct {
		in   string
		want []string
	}{
		{"writer failure code : 0X800423F3", []string{"vss_error 0x800423f3"}},
		{"hr = 0x80042306", []string{"vss_error 0x80042306"}},
		{"Exception from HRESULT: 0x80042306", []string{"vss_error 0x80042306"}},
		{"HResult -2147212302", []string{"vss_error 0x800423f2"}},
		{"error code 2147754994", []string{"vss_error 0x800423f2"}},
		{"PowerShell ErrorRecord -2147212302", []string{"vss_error 0x800423f2"}},
		{"hr=8007000E", []string{"hresult 0x8007000e"}},
		{"hr = 0x80070539, The security ID structure is invalid", []string{"hresult 0x80070539"}},
		{"VSS_E_WRITERERROR_TIMEOUT", []string{"vss_error 0x800423f2"}},
		{"Vss_E_Provider_Veto happened", []string{"vss_error 0x80042306"}},
		{"0x800424ee", []string{"unknown_vss 0x800424ee"}},
		{"Exit Code -311", []string{"exit_code -311"}},
		{"exit code: -311.", []string{"exit_code -311"}},
		{"タスクは終了コード -311 で失敗", []string{"exit_code -311"}},
		{"the system writer and the WMI WRITER failed", []string{"writer System Writer", "writer WMI Writer"}},
		{"id {E8132975-6F93-4464-A53E-1050253AE220} reported an error", []string{"writer System Writer"}},
		// A writer named where nothing says it is wrong is not evidence.
		{"the system writer and the WMI WRITER are stable", nil},
		{"Writer Id: {e8132975-6f93-4464-a53e-1050253ae220}", nil},
		{"caught(0x8000ffff) in VssStart", []string{"hresult 0x8000ffff"}},
		// One writer and a failure code on a line: the writer failed with it.
		{"Microsoft Hyper-V VSS Writer failed (0x80070002)", []string{"writer_failure 0x80070002 Microsoft Hyper-V VSS Writer"}},
		{"The System Writer failed with error 0x800423f4", []string{"writer_failure 0x800423f4 System Writer"}},
		{"0x800423f2: wmi writer timed out", []string{"writer_failure 0x800423f2 WMI Writer"}},
		// Two writers: which one failed is not said, so neither is tied.
		{"System Writer and WMI Writer failed: 0x800423f2", []string{"vss_error 0x800423f2", "writer System Writer", "writer WMI Writer"}},
		// Known to the vocabulary only (as an overlay would add it): evidence
		// without an introducing word.
		{"copy failed with 0x80070079", []string{"hresult 0x80070079"}},
		// Negatives: none of these is evidence.
		{"Exit Code 0", nil},
		// A well-formed system HRESULT in a sentence that reports a failure
		// is its code, named or not (FACILITY_WIN32 here).
		{"copy failed with 0x80070078", []string{"hresult 0x80070078"}},
		{"Could not create backup checkpoint: The system cannot find the file specified. (0x80070002)", []string{"hresult 0x80070002"}},
		{"copy finished with 0x80070078", nil},                      // no failure said
		{"error calling CreateFileW(x,0x80000000,0x00000003)", nil}, // GENERIC_READ, a flag
		{"copy failed with 0xC0070078", nil},                        // not a system HRESULT's shape
		{"exit status 0 after 311 ms", nil},
		{"rip=0x00007ff6a1b2c3d4 rsp=0x7ffe4a3b2c10", nil},
		{"sha deadbeef80042306cafe", nil},
		{"x0x80042306 and 0x80042306z", nil},
		{"flags 0x80001234 set", nil},
		{"80042306 without any word", nil},
		{"Session {12345678-90ab-cdef-1234-567890abcdef}", nil},
		{"Systemwriter is not a writer name", nil},
		{"error count 0, 2147754994 bytes", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			res, err := p.Parse(context.Background(), "chat", strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				switch f.Kind {
				case KindWriter:
					got = append(got, string(f.Kind)+" "+f.Writer)
				case KindWriterFailure:
					got = append(got, string(f.Kind)+" "+f.Code+" "+f.Writer)
				default:
					got = append(got, string(f.Kind)+" "+f.Code)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRankOrder(t *testing.T) {
	in := strings.Join([]string{
		"WMI Writer mentioned in an error",
		"hr = 0x80070005",
		"0x800424ee",
		"hr = 0x80042306",
		"Exit Code -311",
		"ERROR: Selected writer 'System Writer' is in failed state!",
		"- Status: 9 (VSS_WS_FAILED_AT_FREEZE)",
		"- Writer Failure code: 0x800423f2 (<Unknown error code>)",
	}, "\n")
	res, err := New(loadVocab(t), Limits{}).Parse(context.Background(), "mix", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []Kind
	for _, f := range res.Findings {
		kinds = append(kinds, f.Kind)
	}
	want := []Kind{KindWriterFailure, KindExitCode, KindVSSError, KindUnknownVSS, KindHRESULT, KindWriter}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("got %v, want %v", kinds, want)
	}
}

func TestStateNames(t *testing.T) {
	for n := range 16 {
		if StateNumber(StateName(n)) != n {
			t.Errorf("state %d does not round-trip", n)
		}
	}
	if StateName(16) != "" || StateName(-1) != "" || StateNumber("VSS_WS_NOPE") != -1 {
		t.Error("out of range states must be empty/-1")
	}
}
