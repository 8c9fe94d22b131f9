package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/lang"
)

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
			return out.write(a.stdout, kb.Lookup(args, lang.Tag(a.cfg.Language)), answer.Lookup, a.cfg.Answer)
		},
	}
	out.register(cmd)
	return cmd
}
