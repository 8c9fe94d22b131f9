package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUntrustedNamesEscaped: an entry name carrying a terminal escape and a
// bidi override reaches every output (text, Markdown, the error line on
// stderr) escaped, never raw.
func TestUntrustedNamesEscaped(t *testing.T) {
	t.Setenv("VSSBOT_CONFIG", "")
	const name = "logs/evil\x1b[2J\u202egol.log"
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("07/13/2017 04:40:44.020 Exit Code -311\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bundle.zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "markdown"} {
		var stdout, stderr bytes.Buffer
		// The missing file makes an error line on stderr too.
		Run(context.Background(), []string{"diagnose", "--format", format, path, path + "\x1b[31m-missing"}, strings.NewReader(""), &stdout, &stderr)
		out := stdout.String() + stderr.String()
		if strings.ContainsAny(out, "\x1b\u202e") {
			t.Errorf("%s: raw control characters in the output:\n%q", format, out)
		}
		if !strings.Contains(stdout.String(), `\x1b`) || !strings.Contains(stderr.String(), `\x1b[31m-missing`) {
			t.Errorf("%s: the names are not shown escaped:\n%s", format, out)
		}
	}
}
