// Package cli is vssbot's command line: one file per command, the
// arguments, the input (files, stdin, interrupts), the progress line and
// the exit statuses. The serving process itself is internal/server; cli
// loads its settings, wires the signals and maps its errors to statuses.
//
//	vssbot diagnose customer.log          # what went wrong, and what to do
//	vssbot lookup 0x800423f2              # what a code means
//	vssbot kb check ./kb                  # validate a knowledge-base overlay
//	vssbot serve                          # run the chat adapters
//	vssbot chat                           # try the bot in the terminal
//	vssbot stats --since 30d              # what the team's answers found
package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/config"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/memory"
	"github.com/vssbot/vssbot/parse"
)

// Main runs vssbot with args (without the program name) and returns the
// status to exit with. SIGINT and SIGTERM cancel the command; serve also
// reloads the knowledge overlay on SIGHUP.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return int(Run(ctx, args, stdin, stdout, stderr))
}

// Run is Main without the process's signals: tests call it with their own
// context and streams.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) ExitCode {
	app := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := app.rootCommand()
	root.SetArgs(negativeQueries(root, args))
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code := exitCodeOf(err, app.ran)
	if msg := err.Error(); msg != "" {
		fmt.Fprintln(stderr, "vssbot:", answer.Printable(msg))
	}
	return code
}

// app holds what every command shares: the streams and the settings.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	configFile     string
	cfg            *config.Config
	log            *slog.Logger
	// ran is set once the command line parsed and the settings loaded:
	// an error after that is the command's, not a usage error.
	ran bool
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "vssbot",
		Short:         "Diagnose VSS writer and backup failures in logs, on the command line or in chat",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.loadConfig(cmd.Flags()); err != nil {
				return err
			}
			a.ran = true
			return nil
		},
	}
	root.PersistentFlags().StringVar(&a.configFile, "config", "", "config file (default $VSSBOT_CONFIG, else ./vssbot.yaml when present)")
	root.PersistentFlags().String("kb-dir", "", "directory of YAML files overlaying the built-in knowledge base (kb.dir)")
	root.PersistentFlags().String("log-level", "info", "debug, info, warn or error (log.level)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr(err) })
	root.AddCommand(
		a.diagnoseCommand(),
		a.lookupCommand(),
		a.kbCommand(),
		a.configCommand(),
		a.serveCommand(),
		a.statsCommand(),
		a.chatCommand(),
		a.versionCommand(),
	)
	return root
}

// flagKeys maps flag names to the settings they override.
func flagKeys() map[string]string {
	return map[string]string{
		"lang":      "language",
		"kb-dir":    "kb.dir",
		"log-level": "log.level",
		"listen":    "listen",
	}
}

func (a *app) loadConfig(flags *pflag.FlagSet) error {
	cfg, err := config.Load(config.Source{File: a.configFile, Flags: flags, FlagKeys: flagKeys()})
	if err != nil {
		return usageErr(err)
	}
	a.cfg = cfg
	a.log = newLogger(a.stderr, cfg.Log)
	return nil
}

func newLogger(w io.Writer, c config.Log) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level)) // validated by config
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// knowledge loads the base and a parser bounded by the configured limits.
func (a *app) knowledge() (*knowledge.Base, *parse.Parser, error) {
	// Decoding YAML (an overlay, or the embedded files when their snapshot
	// is stale) allocates a few MB of short-lived nodes; collecting them at
	// the default pace costs a one-shot run (vssbot diagnose) a tenth of its
	// start. The embedded snapshot and the parser stay under the first
	// collection's goal. The pace is restored before any input is read.
	gc := debug.SetGCPercent(400)
	defer debug.SetGCPercent(gc)
	kb, err := a.cfg.KB.Load()
	if err != nil {
		return nil, nil, &exitError{code: ExitUsage, err: fmt.Errorf("knowledge base: %w", err)}
	}
	return kb, parse.New(kb, a.cfg.Limits.Limits), nil
}

// openMemory opens the team memory named by memory.dsn at once, for the
// commands that read or write it (stats, chat).
func (a *app) openMemory(ctx context.Context) (*memory.Team, error) {
	m, err := memory.Open(ctx, a.cfg.Memory, a.log.With("component", "memory"))
	if err != nil {
		return nil, failure(fmt.Errorf("memory.dsn: %w", err))
	}
	return m, nil
}
