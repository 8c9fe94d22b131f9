package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// TestTenantsSeeTheirOwn: notes and `/vss stats` are scoped to the Slack
// team or Discord guild, and a Discord DM (no guild) to its user: a
// stranger's DM note never reaches another user, another team's channels
// never appear in a report.
func TestTenantsSeeTheirOwn(t *testing.T) {
	mem := teamMemory(t)
	e, _ := newEngine(t, bot.Config{Language: lang.English, Memory: mem}, parse.Limits{})
	ctx := context.Background()
	ask := func(platform, workspace, channel, user, text string) string {
		t.Helper()
		ev := command(user, text)
		ev.Target = bot.Target{Platform: platform, Workspace: workspace, Channel: channel}
		r, ok := e.Answer(ctx, ev)
		if !ok {
			t.Fatalf("no answer to %q", text)
		}
		return rendered(t, r)
	}
	ask("discord", "", "DM1", "U1", "note 0x800423f2 planted by a stranger")
	ask("slack", "T1", "CSECRETT1", "UA", "note 0x800423f2 T1 only")
	ask("slack", "T1", "CSECRETT1", "UA", "0x800423f2")
	ask("discord", "G1", "CGUILD1", "UB", "0x800423f3")

	for _, tc := range []struct {
		name, platform, workspace, channel, user string
		see, hide                                []string
	}{
		{"another DM user", "discord", "", "DM2", "U2", nil, []string{"planted by a stranger", "T1 only"}},
		{"the DM's author", "discord", "", "DM1", "U1", []string{"planted by a stranger"}, []string{"T1 only"}},
		{"another team", "slack", "T2", "C2", "UC", nil, []string{"planted by a stranger", "T1 only"}},
		{"the team", "slack", "T1", "C3", "UD", []string{"T1 only"}, []string{"planted by a stranger"}},
	} {
		out := ask(tc.platform, tc.workspace, tc.channel, tc.user, "0x800423f2")
		for _, s := range tc.see {
			if !strings.Contains(out, s) {
				t.Errorf("%s does not see %q:\n%s", tc.name, s, out)
			}
		}
		for _, s := range tc.hide {
			if strings.Contains(out, s) {
				t.Errorf("%s sees %q:\n%s", tc.name, s, out)
			}
		}
	}
	if out := ask("slack", "T2", "C2", "UC", "stats"); strings.Contains(out, "CSECRETT1") || strings.Contains(out, "CGUILD1") {
		t.Errorf("T2's stats show other workspaces' channels:\n%s", out)
	}
	if out := ask("discord", "", "DM3", "U3", "stats"); strings.Contains(out, "CSECRETT1") || strings.Contains(out, "CGUILD1") {
		t.Errorf("a DM's stats show workspaces' channels:\n%s", out)
	}
	if out := ask("slack", "T1", "C3", "UD", "stats"); !strings.Contains(out, "CSECRETT1") {
		t.Errorf("T1's stats miss its own channel:\n%s", out)
	}
}
