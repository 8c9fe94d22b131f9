package cli

import (
	"errors"
	"fmt"
)

// ExitCode is the status vssbot exits with.
type ExitCode int

// Exit statuses. A command that ran reports 0 whether or not it found
// anything.
const (
	ExitOK ExitCode = 0
	// ExitFailure: the command ran but an input could not be read, an
	// output not written, a check failed or a service not reached.
	ExitFailure ExitCode = 1
	// ExitUsage: the command line or the settings are wrong; nothing ran.
	ExitUsage ExitCode = 2
	// ExitInterrupted: SIGINT or SIGTERM stopped a command before its end
	// (the shell's status for SIGINT, 128+2).
	ExitInterrupted ExitCode = 130
)

// exitError carries the status an error exits with.
type exitError struct {
	code ExitCode
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(err error) error { return &exitError{code: ExitUsage, err: err} }

// failure is an error of a command that ran: a file, a stream, a service.
func failure(err error) error { return &exitError{code: ExitFailure, err: err} }

// exitCodeOf says how err exits: as it says when typed; otherwise as a
// usage error when the command never ran (cobra's unknown command, wrong
// argument count), and as a failure when it did (a write to a closed
// stdout, a busy port).
func exitCodeOf(err error, ran bool) ExitCode {
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case ran:
		return ExitFailure
	}
	return ExitUsage
}

// String names the status for messages and tests.
func (c ExitCode) String() string {
	switch c {
	case ExitOK:
		return "ok"
	case ExitFailure:
		return "failure"
	case ExitUsage:
		return "usage"
	case ExitInterrupted:
		return "interrupted"
	}
	return fmt.Sprintf("exit %d", int(c))
}
