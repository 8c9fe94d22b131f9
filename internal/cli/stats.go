package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/memory"
	"github.com/vssbot/vssbot/stats"
)

// statsTimeout bounds the CLI's report query.
const statsTimeout = 30 * time.Second

func (a *app) statsCommand() *cobra.Command {
	var since, format string
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Report what the bot answered: top codes and writers, channels, and whether answers helped",
		Long: "Reads the team memory (memory.dsn, VSSBOT_MEMORY_DSN) that every replica writes to.\n" +
			"--format json prints the contract {since, until, answers, codes, writers, channels}.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.stats(cmd.Context(), since, format) },
	}
	cmd.Flags().StringVar(&since, "since", "7d", "period before now: 7d, 30d, 90d, 2w, 36h")
	cmd.Flags().StringVar(&format, "format", "text", "text, json or markdown")
	return cmd
}

func (a *app) stats(ctx context.Context, since, format string) error {
	p, err := stats.ParsePeriod(since)
	if err != nil {
		return usageErr(fmt.Errorf("--since: %w", err))
	}
	switch format {
	case "text", "json", "markdown":
	default:
		return usageErr(fmt.Errorf("--format %q: want text, json or markdown", format))
	}
	if a.cfg.Memory.Off() {
		return usageErr(errors.New("memory.dsn is off: nothing is recorded, so there is nothing to report"))
	}
	ctx, cancel := context.WithTimeout(ctx, statsTimeout)
	defer cancel()
	m, err := a.openMemory(ctx)
	if err != nil {
		return err
	}
	defer m.Close()
	until := time.Now()
	rep, err := m.Report(ctx, memory.Scope{}, p.Window(until), until)
	if err != nil {
		return &exitError{code: ExitFailure, err: err}
	}
	// auto has no input to follow here: English, as for any tag but ja.
	l := lang.Tag(a.cfg.Language)
	switch format {
	case "json":
		err = stats.WriteJSON(a.stdout, rep)
	case "markdown":
		err = stats.WriteMarkdown(a.stdout, rep, l)
	default:
		err = stats.WriteText(a.stdout, rep, l)
	}
	if err != nil {
		return &exitError{code: ExitFailure, err: fmt.Errorf("write: %w", err)}
	}
	return nil
}
