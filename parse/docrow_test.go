package parse

import (
	"context"
	"strings"
	"testing"
)

// TestDocumentationIsSilent: reference lists, catalogues and writer tables
// name codes nobody hit; ignorable warnings are no failure. A failure
// beside them, or a row alone, is still found.
func TestDocumentationIsSilent(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	tests := []struct {
		name, in string
		want     []string
	}{
		{"API return values", "Return value\tDescription\nS_OK\tThe operation was successful.\nVSS_E_BAD_STATE\tThe backup components object is not initialized.\nVSS_E_UNEXPECTED\tUnexpected error. The error code is logged in the error log file.\nVSS_E_WRITERERROR_TIMEOUT\tThe writer operation failed because of a time-out.\n", nil},
		{"names alone, one per line", "VSS_E_BAD_STATE\nThe object is not initialized.\nVSS_E_UNEXPECTED\nUnexpected error.\nVSS_E_WRITERERROR_RETRYABLE\nA transient error.\n", nil},
		{"catalogue table", "| Error code | Name | Meaning |\n|---|---|---|\n| 0x800423F2 | VSS_E_WRITERERROR_TIMEOUT | The writer timed out. |\n| 0x800423F3 | VSS_E_WRITERERROR_RETRYABLE | A transient error. |\n| 0x800423F4 | VSS_E_WRITERERROR_NONRETRYABLE | A non-transient error. |\n", nil},
		{"catalogue, Japanese descriptions", "0x800423F2 - VSS_E_WRITERERROR_TIMEOUT: ライターがタイムアウトしました。\n0x800423F3 - VSS_E_WRITERERROR_RETRYABLE: 一時的なエラーです。\n0x800423F4 - VSS_E_WRITERERROR_NONRETRYABLE: 一時的ではないエラーです。\n", nil},
		{"name then code in brackets", "VSS_E_WRITERERROR_TIMEOUT (0x800423F2)\nVSS_E_WRITERERROR_RETRYABLE (0x800423F3)\nVSS_E_WRITERERROR_NONRETRYABLE (0x800423F4)\n", nil},
		{"one row is a question, not a list", "VSS_E_WRITERERROR_TIMEOUT\tWhat does this mean?\n", []string{"0x800423f2"}},
		{"a failure beside the list", "Backup failed: hr = 0x80042316\n\nVSS_E_BAD_STATE\tThe object is not initialized.\nVSS_E_UNEXPECTED\tUnexpected error.\nVSS_E_WRITERERROR_RETRYABLE\tA transient error.\n", []string{"0x80042316"}},
		{"VSS 8230 is ignorable", "Log Name: Application\nSource: VSS\nEvent ID: 8230\nLevel: Warning\nDescription:\nVolume Shadow Copy Service error: Failed resolving account spsearch with status 1376.\n\nError-specific details:\n   Error: NetLocalGroupGetMemebers(spsearch), 0x80070560, The specified local group does not exist.\n", nil},
		{"CAPI2 513 is ignorable", "Log Name: Application\nSource: Microsoft-Windows-CAPI2\nEvent ID: 513\nLevel: Error\nDescription:\nCryptographic Services failed while processing the OnIdentity() call in the System Writer Object.\n\nDetails:\nAddLegacyDriverFiles: Unable to back up image of binary Microsoft Link-Layer Discovery Protocol.\n\nSystem Error:\nAccess is denied. (0x80070005)\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := p.Parse(context.Background(), "x", strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Code)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
