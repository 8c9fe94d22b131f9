package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

func (a *app) diagnoseCommand() *cobra.Command {
	var out output
	cmd := &cobra.Command{
		Use:   "diagnose [FILE|-]...",
		Short: "Find VSS and backup failures in logs and say what to do",
		Long: "Reads AIP task logs, vssadmin output, Windows event log exports, zip or gzip bundles, or pasted " +
			"text (- or no argument reads standard input), in UTF-8, UTF-16 or Shift-JIS, and prints a diagnosis.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.check(); err != nil {
				return err
			}
			kb, p, err := a.knowledge()
			if err != nil {
				return err
			}
			if len(args) == 0 {
				args = []string{"-"}
			}
			var results []*parse.Result
			var failed []error
			for _, name := range args {
				res, err := a.parseInput(cmd, p, name, wantProgress(out.format, a.stderr))
				if cmd.Context().Err() != nil {
					return errInterrupted
				}
				if err != nil {
					failed = append(failed, err)
					fmt.Fprintln(a.stderr, "vssbot:", answer.Printable(err.Error()))
				}
				results = append(results, res)
			}
			rep := kb.Diagnose(parse.Merge(results...), lang.Tag(a.cfg.Language))
			if err := out.write(a.stdout, rep, answer.Diagnosis, a.cfg.Answer); err != nil {
				return fmt.Errorf("write report: %w", err)
			}
			if len(failed) > 0 {
				// Already reported one by one above.
				return &exitError{code: ExitFailure, err: errors.New("")}
			}
			return nil
		},
	}
	out.register(cmd)
	return cmd
}

// parseInput reads one named input; "-" is standard input. The result is
// never nil, so what was found before an error still reaches the report.
func (a *app) parseInput(cmd *cobra.Command, p *parse.Parser, name string, showProgress bool) (*parse.Result, error) {
	if name == "-" {
		if isTerminal(a.stdin) {
			fmt.Fprintln(a.stderr, "vssbot: reading a log from the terminal; paste it, then press Ctrl-D")
			return p.Parse(cmd.Context(), "stdin", a.stdin)
		}
		in := readerCtx(cmd.Context(), a.stdin)
		if !showProgress {
			return p.Parse(cmd.Context(), "stdin", in)
		}
		pr := newProgress(a.stderr, "stdin", -1, time.Now)
		defer pr.done()
		return p.Parse(cmd.Context(), "stdin", progressReader{r: in, p: pr})
	}
	f, err := openCtx(cmd.Context(), name)
	if err != nil {
		return &parse.Result{Inputs: []parse.Input{{Source: name, Error: err.Error()}}}, fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	if !isRegular(f) { // a FIFO or a device: its reads may block
		return p.Parse(cmd.Context(), name, readerCtx(cmd.Context(), f))
	}
	st, err := f.Stat()
	if !showProgress || err != nil {
		return p.Parse(cmd.Context(), name, f)
	}
	pr := newProgress(a.stderr, filepath.Base(name), st.Size(), time.Now)
	defer pr.done()
	return p.Parse(cmd.Context(), name, progressFile{f: f, p: pr})
}
