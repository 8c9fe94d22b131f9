package console

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/vssbot/vssbot/answer"
)

// Render writes r as plain text laid out the way a chat shows it: the
// headline, one block per section with its lists, the details, then the
// footer.
func Render(w io.Writer, r *answer.Outline) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, r.Headline)
	for _, s := range r.Sections {
		if s.Title != "" {
			fmt.Fprintf(bw, "\n■ %s\n", s.Title)
		} else {
			fmt.Fprintln(bw)
		}
		for _, l := range s.Lines {
			fmt.Fprintf(bw, "  %s\n", indent(l, "  "))
		}
		for _, l := range s.Lists {
			list(bw, l, "  ")
		}
	}
	if !r.Details.Empty() {
		fmt.Fprintln(bw)
		list(bw, r.Details, "")
	}
	for i, ref := range r.References {
		if i == 0 {
			fmt.Fprintf(bw, "\n%s:\n", r.Lang.Pick("References", "参考"))
		}
		fmt.Fprintf(bw, "  • %s <%s>\n", ref.Title, ref.URL)
	}
	if r.Footer != "" {
		fmt.Fprintf(bw, "\n-- %s\n", r.Footer)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("render reply: %w", err)
	}
	return nil
}

// list writes a labelled list, its items under the label.
func list(w io.Writer, l answer.List, prefix string) {
	fmt.Fprintf(w, "%s%s:\n", prefix, l.Label)
	for _, item := range l.Lines() {
		fmt.Fprintf(w, "%s  %s\n", prefix, indent(item, prefix+"     "))
	}
}

// indent aligns the continuation lines of a multi-line entry under its
// first line so it stays visibly one item.
func indent(s, prefix string) string {
	s = answer.Mentions(s, answer.AtMention)
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}
