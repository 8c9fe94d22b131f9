package discord

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestReadmePermissions keeps the invite URL in docs/discord.md in step with the
// permissions the adapter needs.
func TestReadmePermissions(t *testing.T) {
	b, err := os.ReadFile("../../docs/discord.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := "permissions=" + strconv.FormatInt(Permissions, 10); !strings.Contains(string(b), want) {
		t.Errorf("docs/discord.md lacks %s", want)
	}
}
