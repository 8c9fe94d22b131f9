package slack

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestManifestGrantsWhatTheAdapterUses keeps the shipped app manifest in
// step with the adapter: every scope and event it relies on, the /vss
// command, Socket Mode.
func TestManifestGrantsWhatTheAdapterUses(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "deploy", "slack-manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Features struct {
			SlashCommands []struct {
				Command     string `yaml:"command"`
				Description string `yaml:"description"`
				UsageHint   string `yaml:"usage_hint"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
		Settings struct {
			Events struct {
				Bot []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			SocketMode    bool `yaml:"socket_mode_enabled"`
			Interactivity struct {
				Enabled bool `yaml:"is_enabled"`
			} `yaml:"interactivity"`
		} `yaml:"settings"`
	}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if !m.Settings.Interactivity.Enabled {
		t.Error("interactivity is off: the feedback buttons under answers would do nothing")
	}
	for _, scope := range []string{"app_mentions:read", "channels:history", "groups:history", "im:history",
		"mpim:history", "chat:write", "files:read", "reactions:write", "commands", "users:read"} {
		if !slices.Contains(m.OAuth.Scopes.Bot, scope) {
			t.Errorf("scope %s missing", scope)
		}
	}
	for _, ev := range []string{"message.channels", "message.groups", "message.im", "message.mpim", "app_mention"} {
		if !slices.Contains(m.Settings.Events.Bot, ev) {
			t.Errorf("event %s missing", ev)
		}
	}
	if len(m.Features.SlashCommands) != 1 || m.Features.SlashCommands[0].Command != "/vss" ||
		m.Features.SlashCommands[0].UsageHint == "" || m.Features.SlashCommands[0].Description == "" {
		t.Errorf("slash commands %+v, want /vss with a description and a usage hint", m.Features.SlashCommands)
	}
	if !m.Settings.SocketMode {
		t.Error("Socket Mode is off")
	}
}
