// Command vssbot diagnoses VSS and backup failures in logs, from the command
// line or as a chat bot in Slack and Discord. Everything it does is in
// internal/cli (the commands) and internal/server (the serving process);
// see ARCHITECTURE.md.
package main

import (
	"os"

	"github.com/vssbot/vssbot/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
