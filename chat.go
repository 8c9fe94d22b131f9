package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/vssbot/vssbot/adapters/console"
	"github.com/vssbot/vssbot/bot"
)

func (a *app) chatCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "chat",
		Short: "Try the bot in the terminal: paste a log, /vss CODE, /file PATH",
		Long: "Runs the same engine the chat adapters use against the terminal and prints each reply " +
			"the way a chat would show it, so the bot can be tried without a Slack or Discord workspace.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kb, p, err := a.knowledge()
			if err != nil {
				return err
			}
			// No registry: a terminal session exports no metrics.
			eng := bot.New(kb, p, a.engineOptions(nil))
			defer eng.Shutdown(cmd.Context())
			err = console.Run(cmd.Context(), eng, readerCtx(cmd.Context(), a.stdin), a.stdout)
			if cmd.Context().Err() != nil {
				return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
			}
			return err
		},
	}
	cmd.Flags().String("lang", "auto", "answer language: ja, en or auto")
	return cmd
}
