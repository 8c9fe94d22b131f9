package stats

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vssbot/vssbot/lang"
)

// Top is how many codes, writers and channels the text forms list.
const Top = 10

// barWidth is the longest bar, in character cells.
const barWidth = 20

type labels struct {
	title, answers, previous, codes, writers, channels, helpful, none, noVotes string
}

// labelsFor gives the labels of l: Japanese for lang.Japanese, English for
// anything else, as lang.Tag.Pick does.
func labelsFor(l lang.Tag) labels {
	if l == lang.Japanese {
		return labels{"vssbot 統計", "回答数", "前の期間", "上位のコード", "上位のライター", "チャンネル", "役に立った", "この期間の回答はありません。", "投票なし"}
	}
	return labels{"vssbot stats", "Answers", "previous period", "Top codes", "Top writers", "Channels", "helpful", "Nothing answered in this period.", "no votes"}
}

// WriteJSON writes the report as the JSON contract, empty lists as [].
func WriteJSON(w io.Writer, r *Report) error {
	out := *r
	out.Since, out.Until = r.Since.UTC().Truncate(time.Second), r.Until.UTC().Truncate(time.Second)
	if out.Codes == nil {
		out.Codes = []Code{}
	}
	if out.Writers == nil {
		out.Writers = []Writer{}
	}
	if out.Channels == nil {
		out.Channels = []Channel{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteText writes the report for a terminal or a chat code block, with a
// bar per code and writer.
func WriteText(w io.Writer, r *Report, l lang.Tag) error {
	return write(w, r, labelsFor(l), false)
}

// WriteMarkdown writes the report as Markdown: headings, with the bars in
// code blocks so they line up.
func WriteMarkdown(w io.Writer, r *Report, l lang.Tag) error {
	return write(w, r, labelsFor(l), true)
}

func write(w io.Writer, r *Report, l labels, md bool) error {
	var b strings.Builder
	heading := func(s string) {
		if md {
			fmt.Fprintf(&b, "\n## %s\n\n```\n", s)
			return
		}
		fmt.Fprintf(&b, "\n%s\n", s)
	}
	end := func() {
		if md {
			b.WriteString("```\n")
		}
	}
	title := fmt.Sprintf("%s: %s – %s (%s)", l.title, day(r.Since), day(r.Until), Period(r.Until.Sub(r.Since)))
	if md {
		title = "# " + title
	}
	fmt.Fprintf(&b, "%s\n%s: %d (%s: %d, %s)\n", title, l.answers, r.Answers, l.previous, r.PreviousAnswers, change(r.Answers, r.PreviousAnswers))
	if r.Answers == 0 {
		fmt.Fprintf(&b, "%s\n", l.none)
		_, err := io.WriteString(w, b.String())
		return err
	}
	if len(r.Codes) > 0 {
		heading(l.codes)
		rows := make([]row, 0, min(len(r.Codes), Top))
		for _, c := range r.Codes[:min(len(r.Codes), Top)] {
			verdict := l.noVotes
			if share, ok := c.HelpfulShare(); ok {
				verdict = fmt.Sprintf("%s %.0f%% (%d/%d)", l.helpful, share*100, c.Helpful, c.Helpful+c.NotHelpful)
			}
			rows = append(rows, row{label: strings.TrimSpace(c.Code + " " + c.Name), n: c.Count, extra: change(c.Count, c.Previous) + "\t" + verdict})
		}
		chart(&b, rows)
		end()
	}
	if len(r.Writers) > 0 {
		heading(l.writers)
		rows := make([]row, 0, min(len(r.Writers), Top))
		for _, wr := range r.Writers[:min(len(r.Writers), Top)] {
			rows = append(rows, row{label: wr.Writer, n: wr.Count, extra: change(wr.Count, wr.Previous)})
		}
		chart(&b, rows)
		end()
	}
	if len(r.Channels) > 0 {
		heading(l.channels)
		rows := make([]row, 0, min(len(r.Channels), Top))
		for _, c := range r.Channels[:min(len(r.Channels), Top)] {
			rows = append(rows, row{label: c.Platform + " " + c.Channel, n: c.Count})
		}
		chart(&b, rows)
		end()
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type row struct {
	label string
	n     int
	extra string
}

// chart writes one line per row: label, bar, count and the extra columns.
func chart(b *strings.Builder, rows []row) {
	most := 0
	for _, r := range rows {
		most = max(most, r.n)
	}
	var t strings.Builder
	tw := tabwriter.NewWriter(&t, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", r.label, Bar(r.n, most, barWidth), r.n, r.extra)
	}
	_ = tw.Flush() // a strings.Builder never fails
	for line := range strings.Lines(t.String()) {
		b.WriteString(strings.TrimRight(line, " \n"))
		b.WriteByte('\n')
	}
}

// eighths are the partial blocks, one to seven eighths of a cell.
var eighths = []rune("▏▎▍▌▋▊▉")

// Bar draws n out of most as at most width cells of Unicode blocks, with
// eighth-cell precision; any n > 0 shows at least a sliver. It is padded
// to width so columns after it line up.
func Bar(n, most, width int) string {
	if most <= 0 || n <= 0 || width <= 0 {
		return strings.Repeat(" ", max(width, 0))
	}
	n = min(n, most)
	units := max(n*width*8/most, 1)
	full, part := units/8, units%8
	s := strings.Repeat("█", full)
	cells := full
	if part > 0 {
		s += string(eighths[part-1])
		cells++
	}
	return s + strings.Repeat(" ", width-cells)
}

// change is the difference from the previous period: +3, -2, ±0, or "new".
func change(now, before int) string {
	switch {
	case before == 0 && now > 0:
		return "new"
	case now > before:
		return fmt.Sprintf("+%d", now-before)
	case now < before:
		return fmt.Sprintf("-%d", before-now)
	}
	return "±0"
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }
