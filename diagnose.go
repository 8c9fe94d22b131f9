package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/parse"
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
			rep := kb.Diagnose(parse.Merge(results...), knowledge.Lang(a.cfg.Language))
			if err := out.write(a.stdout, rep, answer.Diagnosis, a.cfg.Answer); err != nil {
				return fmt.Errorf("write report: %w", err)
			}
			if len(failed) > 0 {
				// Already reported one by one above.
				return &exitError{code: exitInput, err: errors.New("")}
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

func (a *app) lookupCommand() *cobra.Command {
	var out output
	cmd := &cobra.Command{
		Use:   "lookup QUERY...",
		Short: "Explain a code, symbolic name, writer, writer state or event ID",
		Example: "  vssbot lookup 0x800423f2\n  vssbot lookup writererror_timeout -2147212302\n" +
			"  vssbot lookup \"System Writer\" \"event 8229\" -311",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr(errors.New("lookup needs at least one QUERY, e.g. vssbot lookup 0x800423f2"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.check(); err != nil {
				return err
			}
			kb, _, err := a.knowledge()
			if err != nil {
				return err
			}
			return out.write(a.stdout, kb.Lookup(args, knowledge.Lang(a.cfg.Language)), answer.Lookup, a.cfg.Answer)
		},
	}
	out.register(cmd)
	return cmd
}

func (a *app) kbCommand() *cobra.Command {
	kb := &cobra.Command{Use: "kb", Short: "Work with the knowledge base"}
	kb.AddCommand(&cobra.Command{
		Use:   "check DIR",
		Short: "Validate a directory of overlay YAML files (file:line: problem)",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErr(errors.New("kb check needs exactly one DIR"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			problems, err := checkOverlay(cmd.Context(), a.cfg.KB, args[0])
			if err != nil {
				return err
			}
			for _, p := range problems {
				fmt.Fprintln(a.stdout, p)
			}
			if len(problems) > 0 {
				return &exitError{code: exitInput, err: fmt.Errorf("%s: %d problem(s)", args[0], len(problems))}
			}
			fmt.Fprintf(a.stdout, "%s: ok\n", args[0])
			return nil
		},
	})
	return kb
}

// checkOverlay runs knowledge.Check until ctx is done: Ctrl-C ends
// `kb check` even while a read is stuck (a FIFO in the directory, a hung
// network share), which the read itself cannot be made to notice; the
// stuck read is left to the process's exit.
func checkOverlay(ctx context.Context, kb knowledge.Config, dir string) ([]knowledge.Problem, error) {
	type result struct {
		problems []knowledge.Problem
		err      error
	}
	if ctx.Err() != nil {
		return nil, &exitError{code: exitInterrupted, err: fmt.Errorf("interrupted: %s was not checked", dir)}
	}
	done := make(chan result, 1)
	go func() {
		p, err := kb.Check(dir)
		done <- result{p, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, &exitError{code: exitInput, err: r.err}
		}
		return r.problems, nil
	case <-ctx.Done():
		return nil, &exitError{code: exitInterrupted, err: fmt.Errorf("interrupted: %s was not checked to its end", dir)}
	}
}

func (a *app) configCommand() *cobra.Command {
	c := &cobra.Command{Use: "config", Short: "Inspect the settings"}
	c.AddCommand(&cobra.Command{
		Use:   "show",
		Short: "Print the effective settings, secrets masked",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return a.cfg.Show(a.stdout) },
	})
	return c
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintln(a.stdout, "vssbot", version())
			return nil
		},
	}
}

// version comes from the module and VCS data the Go toolchain embeds.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " (" + s.Value[:12] + ")"
		}
	}
	return v + " " + info.GoVersion
}
