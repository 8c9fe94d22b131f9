package answer

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteText lays o out for a terminal; color adds ANSI emphasis to the
// headline and the titles.
func WriteText(w io.Writer, o *Outline, color bool) error {
	bw := bufio.NewWriter(w)
	bold := func(s string) string {
		if color {
			return "\x1b[1m" + s + "\x1b[0m"
		}
		return s
	}
	fmt.Fprintln(bw, bold(o.Headline))
	n := 0
	for _, s := range o.Sections {
		if s.Title != "" {
			n++
			fmt.Fprintf(bw, "\n%s\n", bold(fmt.Sprintf("%d. %s", n, s.Title)))
		} else {
			fmt.Fprintln(bw)
		}
		for _, l := range s.Lines {
			fmt.Fprintf(bw, "   %s\n", hang(l, "   "))
		}
		for _, l := range s.Lists {
			textList(bw, l, "   ")
		}
	}
	if !o.Details.Empty() {
		fmt.Fprintf(bw, "\n%s\n", bold(o.Details.Label))
		for _, d := range o.Details.Items {
			fmt.Fprintf(bw, "- %s\n", hang(d, "  "))
		}
	}
	if len(o.References) > 0 {
		fmt.Fprintf(bw, "\n%s\n", bold(o.Lang.Pick("References", "参考")))
		for _, r := range o.References {
			fmt.Fprintf(bw, "- %s <%s>\n", r.Title, r.URL)
		}
	}
	if o.Footer != "" {
		fmt.Fprintf(bw, "\n-- %s\n", o.Footer)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write answer: %w", err)
	}
	return nil
}

func textList(w io.Writer, l List, indent string) {
	fmt.Fprintf(w, "%s%s:\n", indent, l.Label)
	for i, s := range l.Items {
		mark := "- "
		if l.Numbered {
			mark = fmt.Sprintf("%d) ", i+1)
		}
		fmt.Fprintf(w, "%s%s%s\n", indent, mark, hang(s, indent+strings.Repeat(" ", len(mark))))
	}
}

// hang aligns the continuation lines of a multi-line entry under its first
// line so it stays visibly one item.
func hang(s, prefix string) string {
	s = Mentions(s, AtMention)
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}
