package parse

import (
	"strconv"
	"strings"
)

// genericHRESULTs are the COM/Win32 failure codes that commonly accompany VSS
// errors. Outside this table a generic HRESULT is only taken as a code when a
// word such as "hr" or "HRESULT" introduces it, so that random hex in a log
// is not mistaken for one.
var genericHRESULTs = map[uint32]string{
	0x8000ffff: "E_UNEXPECTED",
	0x80004001: "E_NOTIMPL",
	0x80004002: "E_NOINTERFACE",
	0x80004005: "E_FAIL",
	0x80070005: "E_ACCESSDENIED",
	0x80070006: "E_HANDLE",
	0x8007000e: "E_OUTOFMEMORY",
	0x80070015: "ERROR_NOT_READY",
	0x80070020: "ERROR_SHARING_VIOLATION",
	0x80070057: "E_INVALIDARG",
	0x80070070: "ERROR_DISK_FULL",
	0x80070422: "ERROR_SERVICE_DISABLED",
	0x8007045d: "ERROR_IO_DEVICE",
	0x80070490: "ERROR_NOT_FOUND",
	0x800706ba: "RPC_S_SERVER_UNAVAILABLE",
	0x800706be: "RPC_S_CALL_FAILED",
	0x80080005: "CO_E_SERVER_EXEC_FAILURE",
}

// writerStates are the VSS_WRITER_STATE values (vss.h), protocol constants.
var writerStates = [...]string{
	"VSS_WS_UNKNOWN",
	"VSS_WS_STABLE",
	"VSS_WS_WAITING_FOR_FREEZE",
	"VSS_WS_WAITING_FOR_THAW",
	"VSS_WS_WAITING_FOR_POST_SNAPSHOT",
	"VSS_WS_WAITING_FOR_BACKUP_COMPLETE",
	"VSS_WS_FAILED_AT_IDENTIFY",
	"VSS_WS_FAILED_AT_PREPARE_BACKUP",
	"VSS_WS_FAILED_AT_PREPARE_SNAPSHOT",
	"VSS_WS_FAILED_AT_FREEZE",
	"VSS_WS_FAILED_AT_THAW",
	"VSS_WS_FAILED_AT_POST_SNAPSHOT",
	"VSS_WS_FAILED_AT_BACKUP_COMPLETE",
	"VSS_WS_FAILED_AT_PRE_RESTORE",
	"VSS_WS_FAILED_AT_POST_RESTORE",
	"VSS_WS_FAILED_AT_BACKUPSHUTDOWN",
}

const stateStable = 1

// StateName returns the VSS_WS_* name of a writer state number, "" if it is
// out of range.
func StateName(n int) string {
	if n < 0 || n >= len(writerStates) {
		return ""
	}
	return writerStates[n]
}

// StateNumber returns the number of a VSS_WS_* name (any case), -1 if unknown.
func StateNumber(name string) int {
	for i, s := range writerStates {
		if strings.EqualFold(s, name) {
			return i
		}
	}
	return -1
}

// stateFromText maps vssadmin's state words (English or Japanese) to a state
// number, for listings that give a word without a number.
func stateFromText(s string) int {
	l := strings.ToLower(strings.TrimSpace(s))
	switch {
	case l == "stable" || l == "stabil" || l == "estable" || l == "stabile" || strings.Contains(l, "安定") || strings.Contains(l, "稳定"):
		return 1
	case strings.Contains(l, "waiting for freeze"):
		return 2
	case strings.Contains(l, "waiting for thaw"):
		return 3
	case strings.Contains(l, "waiting for post"):
		return 4
	case strings.Contains(l, "waiting for completion") || strings.Contains(l, "完了"):
		return 5
	}
	return -1
}

// lastErrors maps vssadmin "Last error" texts to writer error codes. Texts
// are matched lowercased and by substring, most specific first, so that
// "Non-retryable error" is not read as "Retryable error".
var lastErrors = []struct {
	text string
	code string
}{
	{"non-retryable", "0x800423f4"},
	{"no reintentable", "0x800423f4"},
	{"non ripetibile", "0x800423f4"},
	{"不可重试", "0x800423f4"},
	{"nicht wiederholbar", "0x800423f4"},
	{"non renouvelable", "0x800423f4"},
	{"not responding", "0x80042319"},
	{"antwortet nicht", "0x80042319"},
	{"keine antwort", "0x80042319"},
	{"ne répond pas", "0x80042319"},
	{"応答なし", "0x80042319"},
	{"応答していません", "0x80042319"},
	{"nonretryable", "0x800423f4"},
	{"再試行不可", "0x800423f4"},
	{"再試行できない", "0x800423f4"},
	{"retryable", "0x800423f3"},
	{"reintentable", "0x800423f3"},
	{"ripetibile", "0x800423f3"},
	{"可重试", "0x800423f3"},
	{"wiederholbar", "0x800423f3"},
	{"renouvelable", "0x800423f3"},
	{"再試行可能", "0x800423f3"},
	{"timed out", "0x800423f2"},
	{"tiempo de espera", "0x800423f2"},
	{"超时", "0x800423f2"},
	{"timeout", "0x800423f2"},
	{"zeitüberschreitung", "0x800423f2"},
	{"délai", "0x800423f2"},
	{"タイムアウト", "0x800423f2"},
	{"out of resources", "0x800423f1"},
	{"リソース不足", "0x800423f1"},
	{"inconsistent shadow copy", "0x800423f0"},
	{"一貫性のない", "0x800423f0"},
	{"partial failure", "0x80042336"},
	{"部分的な", "0x80042336"},
}

// lastErrorCode returns the writer error code of a "Last error" text, and
// whether the text says there was no error at all.
func lastErrorCode(text string) (code string, noError bool) {
	l := strings.ToLower(strings.TrimSpace(text))
	if l == "" || l == "no error" || l == "kein fehler" || l == "aucune erreur" || strings.Contains(l, "エラーなし") || l == "なし" ||
		l == "sin error" || l == "sin errores" || l == "nessun errore" || l == "无错误" || l == "没有错误" {
		return "", true
	}
	for _, e := range lastErrors {
		if strings.Contains(l, e.text) {
			return e.code, false
		}
	}
	return "", false
}

// canon formats an HRESULT canonically: 0x + 8 lowercase hex digits.
func canon(v uint32) string {
	const hex = "0123456789abcdef"
	var b [10]byte
	b[0], b[1] = '0', 'x'
	for i := 9; i >= 2; i-- {
		b[i] = hex[v&0xf]
		v >>= 4
	}
	return string(b[:])
}

// InVSSRange reports whether a canonical code ("0x" + 8 hex digits) lies in
// the block of FACILITY_ITF codes VSS uses, so the knowledge base and the
// parser agree on what an unknown VSS code is.
func InVSSRange(code string) bool {
	hex, ok := strings.CutPrefix(code, "0x")
	if !ok || len(hex) != 8 {
		return false
	}
	v, err := strconv.ParseUint(hex, 16, 32)
	return err == nil && isVSSRange(uint32(v))
}

// isVSSRange reports whether v is in the block of FACILITY_ITF codes VSS uses.
func isVSSRange(v uint32) bool {
	lo := v & 0xffff
	return v>>16&0x7fff == 0x0004 && lo >= 0x2300 && lo <= 0x24ff
}

// classifiable reports whether some case of classify can take v: a
// value of VSS's range, a failure, or a generic HRESULT. Another is no
// evidence whatever its context.
func classifiable(v uint32) bool {
	return isVSSRange(v) || v&0x80000000 != 0 || genericHRESULTs[v] != ""
}

// classify decides whether an HRESULT-looking value is evidence, and of what
// kind. introduced says a word such as "hr" or "HRESULT" stood before it,
// which admits failure codes outside the known tables.
func (p *Parser) classify(v uint32, introduced bool) (Kind, string, bool) {
	if !classifiable(v) {
		return "", "", false // spare the name lookup
	}
	name := ""
	if p.named == nil || p.named[v] {
		name = p.vocab.NameOf(canon(v))
	}
	switch {
	case isVSSRange(v) && name != "":
		return KindVSSError, name, true
	case isVSSRange(v) && v&0x80000000 != 0:
		return KindUnknownVSS, "", true
	}
	if g, ok := genericHRESULTs[v]; ok {
		if name == "" {
			name = g
		}
		return KindHRESULT, name, true
	}
	// A failure code the knowledge base describes is evidence on its own, so
	// an operator's overlay entry makes the parser recognise it too.
	if (introduced || name != "") && v&0x80000000 != 0 {
		return KindHRESULT, name, true
	}
	return "", "", false
}

// parseExit parses a signed decimal exit code, bounded to 32 bits.
func parseExit(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 32)
	return n, err == nil
}
