package cli

import "github.com/spf13/cobra"

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
