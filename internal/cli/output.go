package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/knowledge"
)

// output holds the flags shared by diagnose and lookup.
type output struct {
	format string
	lang   string
}

func (o *output) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.format, "format", "text", "text, json or markdown")
	cmd.Flags().StringVar(&o.lang, "lang", "auto", "answer language: ja, en or auto (Japanese when the input is)")
}

func (o *output) check() error {
	switch o.format {
	case "text", "json", "markdown":
		return nil
	}
	return usageErr(fmt.Errorf("--format %q: want text, json or markdown", o.format))
}

// write renders rep; text is coloured only on a terminal, and never when
// NO_COLOR is set.
func (o *output) write(w io.Writer, rep *knowledge.Report, kind answer.Kind, cfg answer.Config) error {
	switch o.format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	case "markdown":
		return answer.WriteMarkdown(w, answer.Build(rep, kind, cfg))
	}
	return answer.WriteText(w, answer.Build(rep, kind, cfg), isTerminal(w) && os.Getenv("NO_COLOR") == "")
}

// isTerminal reports whether a stream is a terminal, not a file or pipe.
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
