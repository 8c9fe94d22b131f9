package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vssbot/vssbot/knowledge"
)

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
				return &exitError{code: ExitFailure, err: fmt.Errorf("%s: %d problem(s)", args[0], len(problems))}
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
		return nil, &exitError{code: ExitInterrupted, err: fmt.Errorf("interrupted: %s was not checked", dir)}
	}
	done := make(chan result, 1)
	go func() {
		p, err := kb.Check(dir)
		done <- result{p, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, failure(r.err)
		}
		return r.problems, nil
	case <-ctx.Done():
		return nil, &exitError{code: ExitInterrupted, err: fmt.Errorf("interrupted: %s was not checked to its end", dir)}
	}
}
