package cli

import (
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
		RunE: func(_ *cobra.Command, args []string) error {
			problems, err := knowledge.Check(args[0])
			if err != nil {
				return &exitError{code: ExitFailure, err: err}
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
