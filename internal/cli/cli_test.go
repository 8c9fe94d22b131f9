package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	goldenfile "github.com/vssbot/vssbot/internal/golden"
)

// vssbot runs the CLI in-process, isolated from the developer's environment.
func vssbot(t *testing.T, stdin string, args ...string) (stdout, stderr string, code ExitCode) {
	t.Helper()
	for _, k := range []string{"VSSBOT_CONFIG", "VSSBOT_LANGUAGE", "VSSBOT_KB_DIR", "VSSBOT_SLACK_BOT_TOKEN", "VSSBOT_DISCORD_TOKEN"} {
		t.Setenv(k, "")
	}
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

// atRoot runs the rest of the test in the repository's root, where the
// README's commands run, so that sources are named as a user names them;
// it returns this package's directory.
func atRoot(t *testing.T) string {
	t.Helper()
	here, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(here, "..", ".."))
	return here
}

// report is the part of the JSON contract the tests read.
type report struct {
	Lang     string `json:"lang"`
	Headline string `json:"headline"`
	Inputs   []struct {
		Source, Encoding, Format, Error string
		Bytes                           int64
	} `json:"inputs"`
	Findings []struct {
		Kind, Code, Name, Writer, Source string
		WriterID                         string `json:"writer_id"`
		State                            int    `json:"state"`
		StateName                        string `json:"state_name"`
		Line, Count                      int
	} `json:"findings"`
	Diagnoses []struct {
		Code, Name, Title, Meaning string
		Causes, Steps              []string
	} `json:"diagnoses"`
}

func decode(t *testing.T, s string) report {
	t.Helper()
	var r report
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return r
}

func TestDiagnoseGolden(t *testing.T) {
	dir := filepath.Join(atRoot(t), "testdata", "golden")
	tests := []struct {
		golden string
		args   []string
	}{
		{"aip-exit-311.en.json", []string{"diagnose", "--format", "json", "--lang", "en", "examples/aip-exit-311.log"}},
		{"aip-exit-311.ja.json", []string{"diagnose", "--format", "json", "--lang", "ja", "examples/aip-exit-311.log"}},
		{"aip-exit-311.en.txt", []string{"diagnose", "--lang", "en", "examples/aip-exit-311.log"}},
		{"aip-exit-311.ja.md", []string{"diagnose", "--format", "markdown", "--lang", "ja", "examples/aip-exit-311.log"}},
		{"case-9h.en.json", []string{"diagnose", "--format", "json", "--lang", "en", "knowledge/testdata/story/task-utc.log", "knowledge/testdata/story/application-jst.txt"}},
		{"case-9h.ja.txt", []string{"diagnose", "--lang", "ja", "knowledge/testdata/story/task-utc.log", "knowledge/testdata/story/application-jst.txt"}},
		{"case-9h.en.md", []string{"diagnose", "--format", "markdown", "--lang", "en", "knowledge/testdata/story/task-utc.log", "knowledge/testdata/story/application-jst.txt"}},
		{"lookup-f2.en.json", []string{"lookup", "--format", "json", "--lang", "en", "0x800423F2"}},
		{"lookup-unknown.ja.txt", []string{"lookup", "--lang", "ja", "0x80042399"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			out, errOut, code := vssbot(t, "", tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			goldenfile.Check(t, filepath.Join(dir, tt.golden), []byte(out))
		})
	}
}

func TestDiagnoseSeedFromStdin(t *testing.T) {
	excerpt := `07/13/2017 04:37:54.439 VssStart()
07/13/2017 04:40:43.790 com exception caught(0x8000ffff) in VssStart
ERROR: Selected writer 'System Writer' is in failed state!
- Status: 9 (VSS_WS_FAILED_AT_FREEZE)
- Writer Failure code: 0x800423f2 (<Unknown error code>)
- Writer ID: {e8132975-6f93-4464-a53e-1050253ae220}
`
	out, errOut, code := vssbot(t, excerpt, "diagnose", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	r := decode(t, out)
	if len(r.Findings) == 0 || r.Findings[0].Code != "0x800423f2" || r.Findings[0].Writer != "System Writer" || r.Findings[0].State != 9 {
		t.Fatalf("first finding is not the System Writer timeout: %+v", r.Findings)
	}
	if len(r.Diagnoses) == 0 || r.Diagnoses[0].Name != "VSS_E_WRITERERROR_TIMEOUT" || len(r.Diagnoses[0].Steps) == 0 {
		t.Fatalf("diagnosis: %+v", r.Diagnoses)
	}
	if r.Inputs[0].Source != "stdin" {
		t.Errorf("input source %q, want stdin", r.Inputs[0].Source)
	}
}

func TestExitStatus(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		stdin      string
		code       ExitCode
		stderrHas  string
		stdoutHas  string
		wantReport bool
	}{
		{name: "nothing found is still success", args: []string{"diagnose", "--format", "json", "-"}, stdin: "backup finished, Exit Code 0\n", code: 0, wantReport: true},
		{name: "missing file names the file, others still diagnosed", args: []string{"diagnose", "--format", "json", "no-such.log", "-"}, stdin: "hr = 0x80042306\n", code: 1, stderrHas: "no-such.log", wantReport: true},
		{name: "bad format", args: []string{"diagnose", "--format", "xml"}, code: 2, stderrHas: "--format"},
		{name: "bad language names the key", args: []string{"diagnose", "--lang", "fr"}, code: 2, stderrHas: "language"},
		{name: "unknown flag", args: []string{"diagnose", "--bogus"}, code: 2, stderrHas: "bogus"},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, stderrHas: "frobnicate"},
		{name: "lookup needs a query", args: []string{"lookup"}, code: 2, stderrHas: "QUERY"},
		{name: "kb check needs a dir", args: []string{"kb", "check"}, code: 2, stderrHas: "DIR"},
		{name: "kb check of a missing dir", args: []string{"kb", "check", "no-such-dir"}, code: 1, stderrHas: "no-such-dir"},
		{name: "serve without a platform says what is missing", args: []string{"serve"}, code: 2, stderrHas: "VSSBOT_SLACK_APP_TOKEN"},
		{name: "version", args: []string{"version"}, code: 0, stdoutHas: "vssbot"},
		{name: "config show masks", args: []string{"config", "show"}, code: 0, stdoutHas: "language: auto"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := vssbot(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if !strings.Contains(errOut, tt.stderrHas) {
				t.Errorf("stderr %q does not mention %q", errOut, tt.stderrHas)
			}
			if !strings.Contains(out, tt.stdoutHas) {
				t.Errorf("stdout %q does not contain %q", out, tt.stdoutHas)
			}
			if tt.wantReport {
				decode(t, out)
			}
		})
	}
}

func TestConfigShowNeverPrintsSecrets(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("VSSBOT_SLACK_BOT_TOKEN", "xoxb-very-secret")
	t.Setenv("VSSBOT_SLACK_APP_TOKEN", "xapp-very-secret")
	var out, errb bytes.Buffer
	if code := Run(context.Background(), []string{"config", "show"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if strings.Contains(out.String(), "very-secret") || !strings.Contains(out.String(), "slack.bot_token: xoxb-********") {
		t.Errorf("config show:\n%s", out.String())
	}
}

// brokenPipe is a stdout whose reader went away.
type brokenPipe struct{}

func (brokenPipe) Write([]byte) (int, error) { return 0, errors.New("write |1: broken pipe") }

// An error of a command that ran is a failure (1), never a usage error
// (2): a report that cannot be written, a port another process holds.
func TestIOErrorIsNotUsage(t *testing.T) {
	t.Setenv("VSSBOT_CONFIG", "")
	var errb bytes.Buffer
	code := Run(context.Background(), []string{"lookup", "0x800423f2"}, strings.NewReader(""), brokenPipe{}, &errb)
	if code != ExitFailure || !strings.Contains(errb.String(), "broken pipe") {
		t.Errorf("write to a broken pipe: exit %v (%d), stderr %q; want failure", code, code, errb.String())
	}

	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	t.Setenv("VSSBOT_SLACK_BOT_TOKEN", "xoxb-test")
	t.Setenv("VSSBOT_SLACK_SIGNING_SECRET", "secret")
	t.Setenv("VSSBOT_SLACK_MODE", "http")
	t.Setenv("VSSBOT_MEMORY_DSN", "off")
	t.Setenv("VSSBOT_LISTEN", busy.Addr().String())
	errb.Reset()
	code = Run(context.Background(), []string{"serve"}, strings.NewReader(""), io.Discard, &errb)
	if code != ExitFailure || !strings.Contains(errb.String(), busy.Addr().String()) {
		t.Errorf("serve on a busy port: exit %v (%d), stderr %q; want failure", code, code, errb.String())
	}
}
