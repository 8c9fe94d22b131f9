package knowledge

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/vssbot/vssbot/parse"
)

// Report is the answer to a diagnosis or a lookup, already in one language.
// Its JSON form is the stable contract of `vssbot diagnose --format json`,
// `vssbot lookup --format json` and the chat adapters: fields may be added,
// never renamed.
type Report struct {
	Lang      Lang            `json:"lang"`
	Headline  string          `json:"headline"` // one line: writer, stage, code, name, meaning
	Inputs    []parse.Input   `json:"inputs"`
	Findings  []parse.Finding `json:"findings"`
	Facts     []parse.Fact    `json:"facts,omitempty"`
	Diagnoses []Diagnosis     `json:"diagnoses"`
	// Unknown lists lookup queries the base does not know, with the nearest
	// known codes.
	Unknown []Unknown `json:"unknown,omitempty"`
}

// Diagnosis is one knowledge-base entry applied to the findings.
type Diagnosis struct {
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	Kind       string      `json:"kind"` // hresult, exit_code, writer_state, writer, event
	Title      string      `json:"title"`
	Meaning    string      `json:"meaning"`
	Causes     []string    `json:"causes"`
	Steps      []string    `json:"steps"`
	References []Reference `json:"references"`
	Products   []string    `json:"products,omitempty"`
	// Writer, WriterID, Stage and Service are set when a writer is involved:
	// the stage is the failed state's plain words ("at freeze"), the service
	// the one to restart.
	Writer   string `json:"writer,omitempty"`
	WriterID string `json:"writer_id,omitempty"`
	Stage    string `json:"stage,omitempty"`
	Service  string `json:"service,omitempty"`
	// Notes are derived facts and writer-specific advice in sentences, e.g.
	// "169 s passed between VssStart() and the failure, far past the 60 s".
	Notes []string `json:"notes,omitempty"`
	// Findings indexes Report.Findings that this diagnosis explains.
	Findings []int `json:"findings,omitempty"`
}

// Unknown is a lookup query that matched nothing.
type Unknown struct {
	Query   string   `json:"query"`
	Message string   `json:"message"`
	Nearest []string `json:"nearest"` // nearest known codes, e.g. "0x800423f2 VSS_E_WRITERERROR_TIMEOUT"
}

// labels are the fixed words of a rendered report in one language.
type labels struct {
	causes, steps, notes, refs, writer, stage, service, products, details, nearest, seen string
}

func labelsFor(lang Lang) labels {
	if lang == Japanese {
		return labels{"考えられる原因", "対処手順", "補足", "参考資料", "ライター", "段階", "サービス", "対象製品", "検出内容", "近いもの", "回"}
	}
	return labels{"Causes", "Steps", "Notes", "References", "Writer", "Stage", "Service", "Products", "Details", "Nearest", "x"}
}

// WriteText renders r for a terminal; color adds ANSI emphasis.
func (r *Report) WriteText(w io.Writer, color bool) error {
	bw := bufio.NewWriter(w)
	l := labelsFor(r.Lang)
	bold := func(s string) string {
		if color {
			return "\x1b[1m" + s + "\x1b[0m"
		}
		return s
	}
	fmt.Fprintln(bw, bold(r.Headline))
	for i, d := range r.Diagnoses {
		fmt.Fprintf(bw, "\n%s\n", bold(fmt.Sprintf("%d. %s: %s", i+1, label(d, r.Lang), d.Title)))
		fmt.Fprintf(bw, "   %s\n", d.Meaning)
		if d.Writer != "" && d.Kind != kindWriter {
			fmt.Fprintf(bw, "   %s\n", writerLine(d, l, func(s string) string { return s }))
		}
		if d.Service != "" {
			fmt.Fprintf(bw, "   %s: %s\n", l.service, d.Service)
		}
		textList(bw, l.causes, d.Causes, false)
		textList(bw, l.steps, d.Steps, true)
		textList(bw, l.notes, d.Notes, false)
		if len(d.Products) > 0 {
			fmt.Fprintf(bw, "   %s: %s\n", l.products, strings.Join(d.Products, ", "))
		}
		if len(d.References) > 0 {
			fmt.Fprintf(bw, "   %s:\n", l.refs)
			for _, ref := range d.References {
				fmt.Fprintf(bw, "   - %s\n", strings.TrimSpace(ref.Title+" "+ref.URL))
			}
		}
	}
	for _, u := range r.Unknown {
		fmt.Fprintf(bw, "\n%s\n   %s\n", bold("? "+u.Query), u.Message)
		if len(u.Nearest) > 0 {
			fmt.Fprintf(bw, "   %s: %s\n", l.nearest, strings.Join(u.Nearest, ", "))
		}
	}
	if len(r.Findings) > 0 {
		fmt.Fprintf(bw, "\n%s\n", bold(l.details))
		for _, f := range r.Findings {
			fmt.Fprintf(bw, "- %s\n", findingLine(f, l))
		}
	}
	return bw.Flush()
}

// writerLine says which writer was involved and at which stage; quote
// formats the parts read from a log.
func writerLine(d Diagnosis, l labels, quote func(string) string) string {
	s := l.writer + ": " + quote(d.Writer)
	if d.WriterID != "" {
		s += " " + quote(d.WriterID)
	}
	if d.Stage != "" {
		s += " — " + l.stage + ": " + d.Stage
	}
	return s
}

func textList(w io.Writer, title string, items []string, numbered bool) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "   %s:\n", title)
	for i, s := range items {
		if numbered {
			fmt.Fprintf(w, "   %d) %s\n", i+1, s)
		} else {
			fmt.Fprintf(w, "   - %s\n", s)
		}
	}
}

// findingLine summarises one finding: what, how often, where, when.
func findingLine(f parse.Finding, l labels) string {
	parts := []string{string(f.Kind)}
	for _, s := range []string{f.Code, f.Name, f.Writer, f.StateName, f.LastError} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if f.Kind == parse.KindEvent {
		parts = append(parts, fmt.Sprintf("%s/%d", f.Provider, f.Event))
	}
	if f.Count > 1 {
		parts = append(parts, fmt.Sprintf("%d%s", f.Count, l.seen))
	}
	parts = append(parts, fmt.Sprintf("%s:%d", f.Source, f.Line))
	if f.Time != "" {
		parts = append(parts, f.Time)
	}
	return strings.Join(parts, " ")
}

// WriteMarkdown renders r as Markdown. Text read from logs is put in code
// spans so that it cannot format or link anything.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	l := labelsFor(r.Lang)
	fmt.Fprintf(bw, "**%s**\n", mdEscape(r.Headline))
	for i, d := range r.Diagnoses {
		fmt.Fprintf(bw, "\n### %d. %s: %s\n\n%s\n", i+1, label(d, r.Lang), d.Title, d.Meaning)
		if d.Writer != "" && d.Kind != kindWriter {
			fmt.Fprintf(bw, "\n- %s\n", writerLine(d, l, code))
		}
		if d.Service != "" {
			fmt.Fprintf(bw, "- %s: %s\n", l.service, d.Service)
		}
		mdList(bw, l.causes, d.Causes, false)
		mdList(bw, l.steps, d.Steps, true)
		mdList(bw, l.notes, d.Notes, false)
		if len(d.Products) > 0 {
			fmt.Fprintf(bw, "\n*%s*: %s\n", l.products, strings.Join(d.Products, ", "))
		}
		if len(d.References) > 0 {
			fmt.Fprintf(bw, "\n**%s**\n\n", l.refs)
			for _, ref := range d.References {
				if ref.URL == "" {
					fmt.Fprintf(bw, "- %s\n", ref.Title)
				} else {
					fmt.Fprintf(bw, "- [%s](%s)\n", ref.Title, ref.URL)
				}
			}
		}
	}
	for _, u := range r.Unknown {
		fmt.Fprintf(bw, "\n### ? %s\n\n%s\n", code(u.Query), u.Message)
		if len(u.Nearest) > 0 {
			fmt.Fprintf(bw, "\n%s: %s\n", l.nearest, strings.Join(u.Nearest, ", "))
		}
	}
	if len(r.Findings) > 0 {
		fmt.Fprintf(bw, "\n**%s**\n\n", l.details)
		for _, f := range r.Findings {
			fmt.Fprintf(bw, "- %s\n", code(findingLine(f, l)))
		}
	}
	return bw.Flush()
}

func mdList(w io.Writer, title string, items []string, numbered bool) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "\n**%s**\n\n", title)
	for i, s := range items {
		if numbered {
			fmt.Fprintf(w, "%d. %s\n", i+1, s)
		} else {
			fmt.Fprintf(w, "- %s\n", s)
		}
	}
}

// mdEscape backslash-escapes the characters that would format a line of
// Markdown, for lines that mix our words with text from a log.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>#|~", r) {
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
