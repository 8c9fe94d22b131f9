package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/vssbot/vssbot/adapters/console"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/store"
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
			opts := a.engineOptions(nil)
			if m := a.chatNotes(cmd.Context()); m != nil {
				defer m.Close()
				opts.Notes = m
				// The terminal's answers count too, as source "cli".
				opts.Memory = m
			}
			eng := bot.New(kb, p, opts)
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

// chatNotes opens the team memory for /vss note, /vss stats and recording
// when stats.dsn names one.
// A try-out session never creates the default database, and one that
// cannot be opened leaves the session without notes rather than failing.
func (a *app) chatNotes(ctx context.Context) *store.Store {
	if a.cfg.Stats.DSN == "" || a.cfg.Stats.Off() {
		return nil
	}
	m, err := a.openStore(ctx, store.Open)
	if err != nil {
		a.log.Warn("team notes off for this session", "err", err)
		return nil
	}
	return m
}
