package parse

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestLayouts checks the field layouts of issue 7, one excerpt each: what
// must be found, as "kind writer code state" or "kind code" or
// "event provider id code", and that healthy output gives nothing.
func TestLayouts(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	tests := []struct {
		name, in string
		want     []string
	}{
		{"veeam", "Writer name: [System Writer]. Class ID: [{e8132975-6f93-4464-a53e-1050253ae220}]. Writer's state: [VSS_WS_FAILED_AT_FREEZE]. Error code: [0x800423f2].",
			[]string{"writer_failure System Writer 0x800423f2 9"}},
		{"veeam healthy", "Writer name: [System Writer]. Writer's state: [VSS_WS_STABLE]. Error code: [0x00000000].", nil},
		{"bacula failed", `VSS Writer (PrepareForBackup): "SqlServerWriter", State: 0x7 (VSS_WS_FAILED_AT_PREPARE_BACKUP)`,
			[]string{"writer_state SqlServerWriter  7"}},
		{"bacula stable", `VSS Writer (BackupComplete): "System Writer", State: 0x1 (VSS_WS_STABLE)`, nil},
		{"bareos invalid", `Warning: VSS Writer "WMI Writer" has invalid state. ERR=The writer vetoed the shadow copy creation process during the backup preparation state.`,
			[]string{"writer_state WMI Writer  7"}},
		{"urbackup", "Writer SqlServerWriter has failure state VSS_WS_FAILED_AT_PREPARE_SNAPSHOT with error VSS_E_WRITERERROR_NONRETRYABLE.",
			[]string{"writer_failure SqlServerWriter 0x800423f4 8"}},
		{"urbackup healthy", "Writer System Writer has failure state VSS_WS_STABLE with error S_OK", nil},
		{"dpm", "GetWriterStatus FAILED for Selected writer [Microsoft Hyper-V VSS Writer], writer is in state [9] [VSS_WS_FAILED_AT_FREEZE]",
			[]string{"writer_state Microsoft Hyper-V VSS Writer  9"}},
		{"ntbackup", `"MSDEWriter" has reported an error 0x800423f0. This is part of System State.`,
			[]string{"writer_failure MSDEWriter 0x800423f0 -1"}},
		{"diskshadow healthy", "\t* WRITER \"System Writer\"\n\t\t- Status: 1 (VSS_WS_STABLE)\n\t\t- Writer Failure code: 0x00000000 (S_OK)\n", nil},
		{"vssadmin waiting", "Writer name: 'System Writer'\n   State: [5] Waiting for completion\n   Last error: No error\n", nil},
		{"vssadmin e-mail", "Writer name: 'System Writer'\n\nWriter Id: {e8132975-6f93-4464-a53e-1050253ae220}\n\nState: [9] Failed\n\nLast error: Timed out\n",
			[]string{"writer_failure System Writer 0x800423f2 9"}},
		{"vssadmin german", "Verfassername: \"System Writer\"\n   Status: [9] Fehlerhaft\n   Letzter Fehler: Zeitüberschreitung\n",
			[]string{"writer_failure System Writer 0x800423f2 9"}},
		{"bare after colon", "Error returned while creating the volume shadow copy:800423f2", []string{"vss_error 0x800423f2"}},
		{"bare on next line", "Error returned while creating the volume shadow copy:\n800423f4\n", []string{"vss_error 0x800423f4"}},
		{"wrapped", "ning writer's data. Error code: [0x800423\nf2].", []string{"vss_error 0x800423f2"}},
		{"powershell", "PS C:\\> $err.Exception.HResult\n-2147212302\n", []string{"vss_error 0x800423f2"}},
		{"exception", "Alphaleonis.Win32.Vss.VssSnapshotSetInProgressException: x", []string{"vss_error 0x80042316"}},
		{"phrase", "Snapshot failed. The writer experienced a non-transient error.", []string{"vss_error 0x800423f4"}},
		{"event 2003", "Event Type:\tError\nEvent Source:\tVSS\nEvent ID:\t12298\nDescription:\nhr = 0x80042314.\n",
			[]string{"event VSS 12298 0x80042314"}},
		{"event short =", "Level = Error\nSource = VSS\nEvent ID = 8194\n\nUnexpected error. hr = 0x80070005, Access is denied.\n",
			[]string{"event VSS 8194 0x80070005"}},
		{"event info", "Log Name: Application\nSource: VSS\nEvent ID: 8224\nLevel: Information\nDescription:\nThe VSS service is shutting down due to idle timeout.\n", nil},
		{"hyper-v vmms", "TimeCreated  : 11/26/2026 1:05:44 AM\nProviderName : Microsoft-Windows-Hyper-V-VMMS\nId           : 18016\nMessage      : Could not create backup checkpoint (0x800423F4).\n",
			[]string{"event Microsoft-Windows-Hyper-V-VMMS 18016 0x800423f4"}},
		{"counts of no errors", "System Writer: 0 errors\nWMI Writer errors: 0\nRegistry Writer: no error\n", nil},
		{"other source", "Log Name: Application\nSource: Application Error\nEvent ID: 1000\nLevel: Error\nDescription:\nException code: 0xc0000005\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := p.Parse(context.Background(), "x", strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				switch f.Kind {
				case KindWriterFailure, KindWriterState:
					got = append(got, fmt.Sprintf("%s %s %s %d", f.Kind, f.Writer, f.Code, f.State))
				case KindEvent:
					got = append(got, fmt.Sprintf("event %s %d %s", f.Provider, f.Event, f.Code))
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

// testPhrases is the phrase table the layout tests use (the knowledge
// base's own is tested through the field corpus).
func (v *testVocab) Phrases() []Phrase {
	return []Phrase{
		{Text: "The writer experienced a non-transient error", Code: "0x800423f4"},
		{Text: "VssSnapshotSetInProgressException", Code: "0x80042316", Exception: true},
	}
}
