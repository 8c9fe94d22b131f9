package answer

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown lays o out as Markdown. Every line is escaped so that text
// read from a log cannot start a heading or a list, format or link; the
// evidence is put in code spans. Backticks are kept: the knowledge base
// writes commands in them.
func WriteMarkdown(w io.Writer, o *Outline) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "**%s**\n", mdEscape(o.Headline))
	n := 0
	for _, s := range o.Sections {
		if s.Title != "" {
			n++
			fmt.Fprintf(bw, "\n### %d. %s\n", n, mdEscape(s.Title))
		}
		for _, l := range s.Lines {
			fmt.Fprintf(bw, "\n%s\n", mdEscape(l))
		}
		for _, l := range s.Lists {
			mdList(bw, l)
		}
	}
	if !o.Details.Empty() {
		fmt.Fprintf(bw, "\n**%s**\n\n", mdEscape(o.Details.Label))
		for _, d := range o.Details.Items {
			fmt.Fprintf(bw, "- %s\n", code(d))
		}
	}
	if len(o.References) > 0 {
		fmt.Fprintf(bw, "\n**%s**\n\n", mdEscape(o.Lang.Pick("References", "参考")))
		for _, r := range o.References {
			fmt.Fprintf(bw, "- [%s](%s)\n", mdEscape(r.Title), linkURL(r.URL))
		}
	}
	if o.Footer != "" {
		fmt.Fprintf(bw, "\n*%s*\n", mdEscape(o.Footer))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write answer: %w", err)
	}
	return nil
}

func mdList(w io.Writer, l List) {
	fmt.Fprintf(w, "\n**%s**\n\n", mdEscape(l.Label))
	for i, s := range l.Items {
		if l.Numbered {
			fmt.Fprintf(w, "%d. %s\n", i+1, mdEscape(s))
		} else {
			fmt.Fprintf(w, "- %s\n", mdEscape(s))
		}
	}
}

// mdEscape backslash-escapes the characters that would format a line of
// Markdown and keeps it on one line.
func mdEscape(s string) string {
	s = Mentions(s, AtMention)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			b.WriteByte(' ')
			continue
		case strings.ContainsRune("\\*_[]<>#|~", r):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// code wraps untrusted text in a Markdown code span, dropping backticks and
// line breaks that would end it early.
func code(s string) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("`", "'", "\n", " ", "\r", " ").Replace(s)
	return "`" + s + "`"
}

// linkURL keeps a link's address inside its parentheses.
func linkURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "\n", "", "\r", "").Replace(u)
}
