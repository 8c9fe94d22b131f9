package parse

import (
	"io"
	"testing"
)

func TestProbe(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	for _, in := range []string{
		"イベント ID: 12289\nhr = 0x80042409\n",
		"Event ID: 12289 VSS Error\nVolume Shadow Copy Service error: Unexpected error DeviceIoControl. hr = 0x80042409, the request failed.\n",
		"> ログの名前:         Application\n> ソース:           VSS\n> イベント ID:      12289\n> レベル:           エラー\n> 説明:\n> ボリューム シャドウ コピー サービス エラー: 予期しないエラーです。hr = 0x80042409\n",
		"Log Name: Application\nSource: VSS\nEvent ID: 8229\nLevel: Warning\nDescription:\nA VSS writer has rejected an event with error 0x800423f4.\n\nOperation:\n   PrepareForSnapshot Event\n\nContext:\n   Execution Context: Writer\n   Writer Class Id: {a65faa63-5ea8-4ebc-9dbd-a0c4db26912a}\n   Writer Name: SqlServerWriter\n\nhr = 0x80070002\n",
		"'Microsoft Hyper-V VSS Writer' failed to prepare for backup: The system cannot find the file specified. (0x80070002)\n",
		"Log Name: Microsoft-Windows-Hyper-V-VMMS-Admin\nSource: Microsoft-Windows-Hyper-V-VMMS\nEvent ID: 10150\nLevel: Error\nDescription:\nCould not create backup checkpoint for virtual machine 'DC01': The system cannot find the file specified. (0x80070002). (Virtual machine ID 1B2C...)\n",
		"Status for writer System Writer: STABLE(0x800423f3 - VSS_E_WRITERERROR_RETRYABLE)\n",
		"Writer name: 'System Writer'\n   Writer Id: {e8132975-6f93-4464-a53e-1050253ae220}\n   Writer Instance Id: {4d2b7f9c-8e13-4a60-b5d7-21f0c9e3a684}\n   State: [1] Stable\n   Last error: Retryable error\n",
		"Failed to create snapshot (0x80070005)\n",
	} {
		res, _ := p.Parse(t.Context(), "x", stringsReader(in))
		t.Logf("%q\n  -> %q", in[:min(len(in), 50)], signature(res))
	}
}

func stringsReader(s string) *stringsR { return &stringsR{s: s} }

type stringsR struct{ s string }

func (r *stringsR) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	n := copy(p, r.s)
	r.s = r.s[n:]
	return n, nil
}
