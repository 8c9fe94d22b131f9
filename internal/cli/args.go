package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// negativeQueries lets `vssbot lookup -311` mean what the README says: a
// negative number is an exit code or a signed HRESULT to look up, never a
// cluster of shorthand flags. The lookup command's queries are moved after
// a "--" (flags and their values stay where they were), keeping their
// order; other commands' arguments are returned as they are.
func negativeQueries(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd.Name() != "lookup" {
		return args
	}
	at := slices.Index(args, cmd.Name())
	if at < 0 || !hasNegative(args[at+1:]) {
		return args
	}
	head, rest := args[:at+1], args[at+1:]
	flags := pflag.NewFlagSet(cmd.Name(), pflag.ContinueOnError)
	flags.AddFlagSet(cmd.Flags())
	flags.AddFlagSet(cmd.InheritedFlags())
	var opts, queries []string
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			queries = append(queries, rest[i+1:]...)
			i = len(rest)
		case isNegative(a) || a == "-" || !strings.HasPrefix(a, "-"):
			queries = append(queries, a)
		default:
			opts = append(opts, a)
			if f := flagOf(flags, a); f != nil && f.NoOptDefVal == "" && !strings.Contains(a, "=") && i+1 < len(rest) {
				i++
				opts = append(opts, rest[i])
			}
		}
	}
	out := append(append([]string(nil), head...), opts...)
	return append(append(out, "--"), queries...)
}

func hasNegative(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if isNegative(a) {
			return true
		}
	}
	return false
}

// isNegative reports whether a is a negative decimal such as -311.
func isNegative(a string) bool {
	return len(a) > 1 && a[0] == '-' && strings.Trim(a[1:], "0123456789") == ""
}

// flagOf returns the flag an option names ("--format", "--format=json",
// "-f"), nil if none.
func flagOf(fs *pflag.FlagSet, a string) *pflag.Flag {
	if name, ok := strings.CutPrefix(a, "--"); ok {
		name, _, _ = strings.Cut(name, "=")
		return fs.Lookup(name)
	}
	if len(a) == 2 {
		return fs.ShorthandLookup(a[1:])
	}
	return nil
}
