package knowledge

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// Diagnosis kinds besides the code kinds (hresult, exit_code).
const (
	kindHRESULT     = "hresult"
	kindExitCode    = "exit_code"
	kindWriterState = "writer_state"
	kindWriter      = "writer"
	kindEvent       = "event"
	kindSituation   = "situation"
	kindRegistry    = "registry"
)

func texts(ts []Text, l lang.Tag) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, t.In(l))
	}
	return out
}

func refs(rs []Reference, l lang.Tag) []Reference {
	out := make([]Reference, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.In(l))
	}
	return out
}

// steps renders steps in lang, each citing its source by the label of the
// reference it names.
func steps(ss []Step, rs []Reference, l lang.Tag) []string {
	labels := map[string]string{}
	for _, r := range rs {
		if r.Label != "" {
			labels[r.Label] = r.Label
		}
	}
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, s.In(l, labels))
	}
	return out
}

// codeDiagnosis is the plain entry of a code, before any finding is joined.
func codeDiagnosis(c *codeEntry, l lang.Tag) Diagnosis {
	d := c.diagnosis(l)
	d.Code, d.Name, d.Kind = c.Code, c.Name, c.Kind
	d.Products = append([]string(nil), c.Products...)
	switch {
	case c.fromWin32:
		win32Explained(&d, c.win32, l)
	case c.win32 != nil:
		d.Notes = append(d.Notes, win32Note(c.win32, l))
	}
	return d
}

// unknownCodeDiagnosis explains a code the base lacks, so that a finding is
// never dropped silently.
func unknownCodeDiagnosis(code, name string, l lang.Tag) Diagnosis {
	d := Diagnosis{Code: code, Name: name, Kind: kindHRESULT, Causes: []string{}, References: []Reference{}}
	switch {
	case exitCodePattern().MatchString(code):
		d.Kind = kindExitCode
		d.Title = l.Pick("Unknown task exit code", "不明なタスク終了コード")
		d.Meaning = l.Pick("The backup task ended with exit code "+code+", which is not in the knowledge base.",
			"バックアップタスクは終了コード "+code+" で終了しましたが、このコードはナレッジベースにありません。")
	case parse.InVSSRange(code):
		d.Title = l.Pick("VSS error code not in the knowledge base", "ナレッジベースにない VSS エラー コード")
		d.Meaning = l.Pick("The code "+code+" lies in the VSS range (0x80042300-0x800424ff) but is not in the knowledge base.",
			"コード "+code+" は VSS の範囲 (0x80042300-0x800424ff) ですが、ナレッジベースには登録されていません。")
	case isWin32(code):
		n, _ := win32Number(code)
		d.Title = fmt.Sprintf(l.Pick("Win32 error %d, not in the knowledge base", "ナレッジベースにない Win32 エラー %d"), n)
		d.Meaning = fmt.Sprintf(l.Pick("The code %s is Win32 error %d carried in an HRESULT (0x8007 marks FACILITY_WIN32). The knowledge base does not list it; Microsoft's System Error Codes page gives its name and message.",
			"コード %s は Win32 エラー %d を HRESULT で表したものです (0x8007 は FACILITY_WIN32 を表します)。ナレッジベースには登録されていないため、名前とメッセージは Microsoft のシステム エラー コードのページで確認してください。"), code, n)
		d.References = []Reference{win32Reference(n).In(l)}
	default:
		d.Title = l.Pick("Error code not in the knowledge base", "ナレッジベースにないエラー コード")
		d.Meaning = l.Pick("The code "+code+" is not in the knowledge base.",
			"コード "+code+" はナレッジベースに登録されていません。")
	}
	d.Steps = []string{
		l.Pick("Open the Windows Event Viewer and look in the Application and System logs for VSS, VolSnap and backup errors logged at the time of the failure.",
			"Windows のイベント ビューアーを開き、失敗した時刻に記録された VSS、VolSnap、バックアップ関連のエラーをアプリケーション ログとシステム ログで確認してください。"),
		l.Pick("Run `vssadmin list writers` in an elevated command prompt and check that every writer is Stable with no error.",
			"管理者権限のコマンド プロンプトで `vssadmin list writers` を実行し、すべてのライターが「安定」でエラーがないことを確認してください。"),
		l.Pick("If the cause is still unclear, send the backup log and the event logs to your support contact.",
			"原因がわからない場合は、バックアップのログとイベント ログをサポート窓口へ送付してください。"),
	}
	return d
}

// stateDiagnosis is a writer state seen without a failure code.
func stateDiagnosis(s *stateEntry, l lang.Tag) Diagnosis {
	d := Diagnosis{
		Code:       strconv.Itoa(s.Value),
		Name:       s.Name,
		Kind:       kindWriterState,
		Title:      l.Pick("Writer state [%d] %s", "ライターの状態 [%d] %s"),
		Meaning:    s.Meaning.In(l),
		Causes:     []string{},
		Steps:      []string{},
		References: refs(s.References, l),
		Stage:      s.Stage.In(l),
	}
	d.Title = fmt.Sprintf(d.Title, s.Value, s.Vssadmin.In(l))
	if s.Value != 1 {
		d.Steps = append(d.Steps,
			l.Pick("Run `vssadmin list writers` again a few minutes later: a writer still in this state after the backup ended is stuck.",
				"数分おいて `vssadmin list writers` を再度実行し、バックアップの終了後もこの状態のまま残っていないか確認してください (残っていれば、ライターはこの状態から抜け出せていません)。"),
			l.Pick("Check the Windows Application and System event logs around the backup time for VSS errors.",
				"バックアップ時刻前後の Windows アプリケーション ログとシステム ログで VSS のエラーを確認してください。"))
	}
	return d
}

// writerDiagnosis is a writer named without a failure.
func writerDiagnosis(w *writerEntry, l lang.Tag) Diagnosis {
	return Diagnosis{
		Name:  w.Name,
		Kind:  kindWriter,
		Title: fmt.Sprintf(l.Pick("VSS writer hosted by %s", "%s で動作する VSS ライター"), w.Service),
		Meaning: fmt.Sprintf(l.Pick("The VSS writer %s (Writer Id %s) runs in the %s service.",
			"VSS ライター %s (ライター ID %s) は %s サービスで動作します。"), w.Name, w.ID, w.Service),
		Causes:     []string{},
		Steps:      []string{w.Advice.In(l, nil)},
		References: refs(w.References, l),
		Writer:     w.Name,
		WriterID:   w.ID,
		Service:    w.Service.String(),
		Resets:     w.resets(l),
		Notes:      w.resetNotes(l),
	}
}

// resetNotes words the resets for other versions than the advice's, so
// that every rendering shows them: "Exchange Server 2007 and 2010: ...".
func (w *writerEntry) resetNotes(l lang.Tag) []string {
	var out []string
	advice := w.Advice.In(l, nil)
	for _, r := range w.resets(l) {
		if r.Step != advice {
			out = append(out, r.Versions+l.Pick(": ", ": ")+r.Step)
		}
	}
	return out
}

// resets renders the writer's per-version resets in lang.
func (w *writerEntry) resets(l lang.Tag) []WriterReset {
	if len(w.Resets) == 0 {
		return nil
	}
	out := make([]WriterReset, 0, len(w.Resets))
	for _, r := range w.Resets {
		out = append(out, WriterReset{Versions: r.Versions.In(l), Service: r.Service.String(), Step: r.Step.In(l, nil)})
	}
	return out
}

// eventDiagnosis is a Windows event log record's entry.
func eventDiagnosis(e *eventEntry, l lang.Tag) Diagnosis {
	d := e.diagnosis(l)
	d.Code = strconv.Itoa(e.ID)
	d.Name = e.Provider + " " + strconv.Itoa(e.ID)
	d.Kind = kindEvent
	return d
}

// situationDiagnosis is a field situation's entry.
func situationDiagnosis(s *situationEntry, l lang.Tag) Diagnosis {
	d := s.diagnosis(l)
	d.Name, d.Kind = s.ID, kindSituation
	return d
}

// registryDiagnosis is a registry value's entry: where it lives and its
// default lead the meaning.
func registryDiagnosis(r *registryEntry, l lang.Tag) Diagnosis {
	d := r.diagnosis(l)
	d.Name, d.Kind = r.Name, kindRegistry
	d.Notes = append(d.Notes,
		fmt.Sprintf(l.Pick("Location: %s\\%s (%s)", "場所: %s\\%s (%s)"), r.Key, r.Name, r.Type),
		l.Pick("Default: ", "既定値: ")+r.Default.In(l))
	return d
}

// headline is the one-line summary of a diagnosis.
func headline(d Diagnosis, failed bool, l lang.Tag) string {
	subject := label(d, l)
	if d.Writer == "" || d.Kind == kindWriter {
		return subject + " — " + lowerFirst(d.Title, l)
	}
	var who string
	switch {
	case d.Stage == "":
		who = l.Pick(d.Writer+" failed", d.Writer+" で失敗")
	case failed:
		who = l.Pick(d.Writer+" failed "+d.Stage, d.Writer+" が"+lang.Spaced(d.Stage)+"に失敗")
	default:
		who = l.Pick(d.Writer+" is "+d.Stage, d.Writer+" は"+lang.Spaced(d.Stage))
	}
	if d.Kind == kindWriterState {
		return who + ": " + d.Name + " — " + lowerFirst(d.Title, l)
	}
	return who + ": " + subject + " — " + lowerFirst(d.Title, l)
}

// label names a diagnosis the way a support engineer would say it.
func label(d Diagnosis, l lang.Tag) string {
	switch d.Kind {
	case kindExitCode:
		return l.Pick("Exit Code ", "終了コード ") + d.Code
	case kindEvent:
		return l.Pick("Event ", "イベント ") + d.Name
	case kindWriter:
		return d.Writer
	case kindWriterState:
		return d.Name
	case kindSituation:
		return l.Pick("Situation", "状況")
	case kindRegistry:
		return l.Pick("Registry value ", "レジストリ値 ") + d.Name
	}
	return strings.TrimSpace(d.Code + " " + d.Name)
}

// lowerFirst lowers an English title's first letter for use mid-sentence,
// leaving acronyms such as "VSS" alone.
func lowerFirst(s string, l lang.Tag) string {
	if l == lang.Japanese {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	next, _ := utf8.DecodeRuneInString(s[n:])
	if !unicode.IsUpper(r) || !unicode.IsLower(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
