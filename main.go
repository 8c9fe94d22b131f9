// Command vssbot diagnoses VSS and backup failures in logs, from the command
// line or as a chat bot in Slack and Discord.
//
//	vssbot diagnose customer.log          # what went wrong, and what to do
//	vssbot lookup 0x800423f2              # what a code means
//	vssbot kb check ./kb                  # validate a knowledge-base overlay
//	vssbot serve                          # run the chat adapters
//	vssbot chat                           # try the bot in the terminal
//	vssbot stats --since 30d              # what the team's answers found
package main

import (
	"context"
	"errors"
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
	"github.com/vssbot/vssbot/parse"
)

// Exit statuses: 0 when the command ran (found or not), 1 when an input
// could not be read or a check failed, 2 for a usage or settings error.
const (
	exitOK    = 0
	exitInput = 1
	exitUsage = 2
)

// exitError carries the status main should exit with.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(err error) error { return &exitError{code: exitUsage, err: err} }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it with their own streams.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := app.rootCommand()
	root.SetArgs(negativeQueries(root, args))
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "vssbot:", answer.Printable(ee.err.Error()))
		}
		return ee.code
	}
	// Cobra's own errors (unknown command, bad flag, wrong argument count)
	// are usage errors.
	fmt.Fprintln(stderr, "vssbot:", answer.Printable(err.Error()))
	return exitUsage
}

// app holds what every command shares: the streams and the settings.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	configFile     string
	cfg            *config.Config
	log            *slog.Logger
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "vssbot",
		Short:         "Diagnose VSS writer and backup failures in logs, on the command line or in chat",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.loadConfig(cmd.Flags())
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
		return nil, nil, &exitError{code: exitUsage, err: fmt.Errorf("knowledge base: %w", err)}
	}
	return kb, parse.New(kb, a.cfg.Limits.Limits), nil
}
