package console

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/knowledge"
)

// Render writes r as plain text laid out the way a chat shows it: the
// headline, one block per section with its steps numbered, the details,
// then the footer.
func Render(w io.Writer, r *bot.Reply) error {
	bw := bufio.NewWriter(w)
	ja := r.Lang == knowledge.Japanese
	label := func(en, jp string) string {
		if ja {
			return jp
		}
		return en
	}
	fmt.Fprintln(bw, r.Headline)
	for _, s := range r.Sections {
		fmt.Fprintf(bw, "\n■ %s\n", s.Title)
		for _, l := range s.Lines {
			fmt.Fprintf(bw, "  %s\n", indent(l, "  "))
		}
		if len(s.Steps) > 0 {
			fmt.Fprintf(bw, "  %s\n", label("Steps:", "手順:"))
			for i, st := range s.Steps {
				fmt.Fprintf(bw, "    %d. %s\n", i+1, indent(st, "       "))
			}
		}
	}
	if len(r.Details) > 0 {
		fmt.Fprintf(bw, "\n%s\n", label("Details:", "詳細:"))
		for _, d := range r.Details {
			fmt.Fprintf(bw, "  - %s\n", indent(d, "    "))
		}
	}
	if r.Footer != "" {
		fmt.Fprintf(bw, "\n-- %s\n", r.Footer)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("render reply: %w", err)
	}
	return nil
}

// indent aligns the continuation lines of a multi-line entry under its
// first line so it stays visibly one item.
func indent(s, prefix string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}
