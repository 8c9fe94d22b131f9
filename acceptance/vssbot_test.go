package acceptance

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/internal/cli"
)

// vssbot runs the command line in process, isolated from the developer's
// settings, and returns what it wrote and its exit status.
func vssbot(t *testing.T, stdin string, args ...string) (stdout, stderr string, code cli.ExitCode) {
	t.Helper()
	for _, k := range []string{"VSSBOT_CONFIG", "VSSBOT_LANGUAGE", "VSSBOT_KB_DIR", "VSSBOT_SLACK_BOT_TOKEN", "VSSBOT_DISCORD_TOKEN"} {
		t.Setenv(k, "")
	}
	var out, errb bytes.Buffer
	code = cli.Run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

// freeAddr is a loopback address nothing listens on, for a replica.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
