package bot

import (
	"context"
	"slices"
	"strings"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/memory"
	"github.com/vssbot/vssbot/stats"
)

// isStats reports whether a command asks for the team report: "stats",
// optionally with a period.
func isStats(text string) (period string, ok bool) {
	f := strings.Fields(strings.ToLower(text))
	if len(f) == 0 || f[0] != "stats" || len(f) > 2 {
		return "", false
	}
	if len(f) == 2 {
		return f[1], true
	}
	return "", true
}

// statsReply answers `/vss stats [7d|30d|90d]`.
func (e *Engine) statsReply(ctx context.Context, ev Event, period string, l lang.Tag) *answer.Outline {
	if e.opts.Memory == nil {
		return notice(answer.Failure, l, "Statistics are off here (memory.dsn is off).", "ここでは統計が無効です (memory.dsn が off)。")
	}
	p, err := stats.ParsePeriod(period)
	if err != nil || !slices.Contains([]string{"", "7d", "30d", "90d"}, period) {
		return notice(answer.Help, l, "Usage: `/vss stats [7d|30d|90d]`", "使い方: `/vss stats [7d|30d|90d]`")
	}
	until := e.now()
	// A workspace sees its own; the terminal is the operator's, and sees all.
	sc := memory.Scope{Platform: ev.Target.Platform, Workspace: scopeOf(ev)}
	if ev.Target.Platform == "console" {
		sc = memory.Scope{}
	}
	rep, err := e.opts.Memory.Report(ctx, sc, p.Window(until), until)
	if err != nil {
		e.metrics.storeErrors.WithLabelValues(opReport).Inc()
		e.log.Warn("stats report failed", "err", err)
		return notice(answer.Failure, l, "The statistics could not be read just now; try again shortly.", "統計を読み込めませんでした。少し待ってからもう一度お試しください。")
	}
	var b strings.Builder
	_ = stats.WriteText(&b, rep, l) // a strings.Builder never fails
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	// One fenced block keeps the bars aligned in every chat client. Each
	// line is a line of the section: a line never holds a new line, which
	// would be shown escaped.
	block := make([]string, 0, len(lines)+1)
	block = append(block, "```")
	for _, line := range lines[1:] {
		block = append(block, strings.ReplaceAll(line, "```", "'''"))
	}
	o := answer.Notice(answer.Help, l, lines[0], l.Pick("The period at a glance", "期間のまとめ"), append(block, "```")...)
	o.Footer = "vssbot stats"
	return o
}
