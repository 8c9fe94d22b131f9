package acceptance

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/vssbot/vssbot/"

// imports lists every package of the module with what it imports (tests
// aside), as `go list` sees them.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	pkgs := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkgs[strings.TrimPrefix(f[0], module)] = f[1:]
	}
	return pkgs
}

// TestLayers keeps ARCHITECTURE.md's rules true: no chat SDK below the
// adapters, adapters that see only events, outlines and bot.Inbox, and a
// root that only calls the CLI.
func TestLayers(t *testing.T) {
	pkgs := imports(t)
	if len(pkgs) < 20 {
		t.Fatalf("go list gave %d packages", len(pkgs))
	}
	sdks := []string{"github.com/slack-go/slack", "github.com/bwmarrin/discordgo"}
	for pkg, imps := range pkgs {
		for _, imp := range imps {
			below := !strings.HasPrefix(pkg, "adapters/") && !strings.HasPrefix(pkg, "internal/devtools/") && pkg != "internal/chattest"
			for _, sdk := range sdks {
				if below && strings.HasPrefix(imp, sdk) {
					t.Errorf("%s imports the chat SDK %s: only adapters/ may", pkg, imp)
				}
			}
			if strings.HasPrefix(pkg, "adapters/") && (imp == module+"parse" || imp == module+"knowledge") {
				t.Errorf("%s imports %s: adapters see events, outlines and bot.Inbox only", pkg, imp)
			}
		}
	}
	if root := pkgs[strings.TrimSuffix(module, "/")]; len(root) != 2 || !slices.Contains(root, "os") || !slices.Contains(root, module+"internal/cli") {
		t.Errorf("main imports %v: it calls cli.Main and nothing else", root)
	}
}
