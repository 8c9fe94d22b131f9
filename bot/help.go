package bot

import (
	"fmt"
	"strings"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/lang"
)

// usageReply answers `/vss` and `/vss help`.
func usageReply(l lang.Tag) *answer.Outline {
	return answer.Notice(answer.Help, l,
		l.Pick("vssbot explains VSS writer and backup failures from codes, log excerpts and log files.",
			"vssbot は VSS ライターとバックアップの失敗を、コード・ログ抜粋・ログファイルから説明します。"),
		l.Pick("How to ask", "使い方"),
		l.Pick("`/vss 0x800423f2` explains codes: HRESULTs, VSS_E_ names, exit codes such as -311, writer names, `event 8229`. Separate several with spaces or commas.",
			"`/vss 0x800423f2` でコードを説明します。HRESULT、VSS_E_ で始まる名前、-311 のような終了コード、ライター名、`event 8229` が使えます。複数ならスペースかカンマで区切ってください。"),
		l.Pick("Paste a log excerpt or attach the task log (<install path>\\logs\\<Unixtime>.log, also inside .zip or .gz) and I answer in the thread.",
			"ログの抜粋を貼るか、タスクのログ (<インストールパス>\\logs\\<Unixtime>.log、.zip や .gz でも可) を添付すると、スレッドで回答します。"),
		l.Pick("`/vss note 0x800423f2 text` keeps a team note on a code; `/vss notes 0x800423f2` lists them.",
			"`/vss note 0x800423f2 本文` でコードにチームのメモを残し、`/vss notes 0x800423f2` で一覧します。"),
		l.Pick("`/vss help` shows this message.", "`/vss help` でこの説明を表示します。"))
}

// notice is a one-line reply with no diagnosis.
func notice(kind answer.Kind, l lang.Tag, en, ja string) *answer.Outline {
	return answer.Notice(kind, l, l.Pick(en, ja), "")
}

// nothingFoundReply answers a mention or a command in which nothing was
// recognised, so the user knows the bot heard them.
func nothingFoundReply(l lang.Tag) *answer.Outline {
	return notice(answer.Help, l,
		"I found no VSS error code or backup log in that. Try `/vss 0x800423f2`, or attach the task log.",
		"VSS のエラーコードやバックアップのログは見つかりませんでした。`/vss 0x800423f2` のように尋ねるか、タスクのログを添付してください。")
}

// busyReply is the short answer when the queue is full.
func busyReply(l lang.Tag) *answer.Outline {
	return notice(answer.Failure, l,
		"I am busy with other requests right now; please try again in a minute.",
		"ただいま他の依頼で混み合っています。1 分ほどしてからもう一度お試しください。")
}

// internalErrorReply is the short answer after a recovered panic.
func internalErrorReply(l lang.Tag) *answer.Outline {
	return notice(answer.Failure, l,
		"Something went wrong on my side while answering; the error was logged. Please try again.",
		"回答中に内部エラーが発生しました (ログに記録済みです)。もう一度お試しください。")
}

// problemsReply answers when no file could be read and nothing was found.
func problemsReply(l lang.Tag, problems []string) *answer.Outline {
	if len(problems) == 1 {
		return answer.Notice(answer.Failure, l, problems[0], "")
	}
	s := problemSection(l, problems)
	return answer.Notice(answer.Failure, l,
		fmt.Sprintf(l.Pick("%d inputs could not be read.", "%d 件の入力を読めませんでした。"), len(problems)),
		s.Title, s.Lines...)
}

func problemSection(l lang.Tag, problems []string) answer.Section {
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = answer.Untrusted(p) // names files the user sent
	}
	return answer.Section{Title: l.Pick("Not everything could be read", "読み取れなかった入力"), Lines: lines}
}

// isHelp reports whether a command's text asks for usage.
func isHelp(text string) bool {
	switch strings.ToLower(text) {
	case "", "help", "-h", "--help", "?", "？", "ヘルプ", "使い方":
		return true
	}
	return false
}
