package cli

import (
	"errors"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/vssbot/vssbot/internal/server"
)

func (a *app) serveCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run every configured chat adapter, with /healthz, /readyz and /metrics",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.serve(cmd) },
	}
	cmd.Flags().String("listen", ":8080", "address for /healthz, /readyz, /metrics and HTTP-mode endpoints (listen)")
	return cmd
}

// serve runs the server until SIGINT or SIGTERM (the command's context),
// reloading the knowledge overlay on SIGHUP.
func (a *app) serve(cmd *cobra.Command) error {
	ctx := cmd.Context()
	s, err := server.New(a.cfg, a.log)
	if errors.Is(err, server.ErrSettings) {
		return usageErr(err)
	}
	if err != nil {
		return failure(err)
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	if err := s.Start(ctx); err != nil {
		return failure(err)
	}
	for {
		select {
		case <-ctx.Done():
			s.Stop()
			return nil
		case <-hup:
			a.log.Info("reloading the knowledge overlay on signal", "dir", a.cfg.KB.Dir)
			_ = s.Reload() // logged and counted by the server
		}
	}
}
