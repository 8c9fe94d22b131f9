package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// /vss note works in `vssbot chat` against the team memory that memory.dsn
// names, and the next answer about the code shows the note.
func TestChatTeamNotes(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "notes.db")
	t.Setenv("VSSBOT_STATS_DSN", dsn)
	t.Setenv("VSSBOT_STATS_STATEMENT_TIMEOUT", "30s") // not a test of timeouts
	in := "/vss note 0x800423f2 restart CryptSvc <b>first</b>\n/vss 0x800423f2\n/quit\n"
	out, errOut, code := vssbot(t, in, "chat", "--lang", "en")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"kept on 0x800423f2", "Team notes: 0x800423f2", "restart CryptSvc <b>first</b> — @console"} {
		if !strings.Contains(out, want) {
			t.Errorf("chat output lacks %q:\n%s", want, out)
		}
	}
}
