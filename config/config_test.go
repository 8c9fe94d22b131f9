package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLayering(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		env   map[string]string
		flags []string
		check func(t *testing.T, c *Config)
	}{
		{
			name: "defaults",
			check: func(t *testing.T, c *Config) {
				if c.Language != "auto" || c.Listen != ":8080" || c.Timeout != time.Minute {
					t.Errorf("defaults: %+v", c)
				}
				if c.Limits.AttachmentBytes != 50<<20 || c.Slack.APIURL != "https://slack.com/api/" {
					t.Errorf("defaults: %+v", c)
				}
				if c.SlackEnabled() || c.DiscordEnabled() {
					t.Error("no platform should be enabled by default")
				}
			},
		},
		{
			name: "file over defaults",
			file: "testdata/vssbot.yaml",
			check: func(t *testing.T, c *Config) {
				if c.Language != "ja" || c.Slack.BotToken != "xoxb-from-file" || c.Limits.AttachmentBytes != 1<<20 {
					t.Errorf("file not applied: %+v", c)
				}
				if len(c.AllowedChannels) != 2 || c.ChannelLanguages["c111"] != "en" && c.ChannelLanguages["C111"] != "en" {
					t.Errorf("lists/maps not applied: %v %v", c.AllowedChannels, c.ChannelLanguages)
				}
				if c.Queue != 256 {
					t.Errorf("default lost under file: queue=%d", c.Queue)
				}
			},
		},
		{
			name: "env over file",
			file: "testdata/vssbot.yaml",
			env: map[string]string{
				"VSSBOT_SLACK_BOT_TOKEN":     "xoxb-from-env",
				"VSSBOT_LANGUAGE":            "en",
				"VSSBOT_DISCORD_TOKEN":       "tok",
				"VSSBOT_DISCORD_APP_ID":      "42",
				"VSSBOT_DISCORD_GUILD_IDS":   "1,2 3",
				"VSSBOT_LIMITS_DEPTH":        "5",
				"VSSBOT_TIMEOUT":             "2s",
				"VSSBOT_DISCORD_SHARD_COUNT": "2",
				"VSSBOT_DISCORD_SHARD_ID":    "1",
				"VSSBOT_MAX_RETRIES":         "5",
				"VSSBOT_MAX_RETRY_WAIT":      "20s",
				"VSSBOT_DEDUP_WINDOW":        "30m",
			},
			check: func(t *testing.T, c *Config) {
				if c.MaxRetries != 5 || c.MaxRetryWait != 20*time.Second || c.DedupWindow != 30*time.Minute {
					t.Errorf("engine settings not applied: %+v", c.Config)
				}
				if c.Slack.BotToken != "xoxb-from-env" || c.Language != "en" || c.Limits.MaxDepth != 5 {
					t.Errorf("env not applied: %+v", c)
				}
				if strings.Join(c.Discord.GuildIDs, "|") != "1|2|3" || c.Timeout != 2*time.Second {
					t.Errorf("env lists/durations: %v %v", c.Discord.GuildIDs, c.Timeout)
				}
				if !c.DiscordEnabled() || c.Discord.ShardID != 1 {
					t.Errorf("discord: %+v", c.Discord)
				}
			},
		},
		{
			name:  "flags over env",
			file:  "testdata/vssbot.yaml",
			env:   map[string]string{"VSSBOT_LANGUAGE": "en", "VSSBOT_LISTEN": ":1"},
			flags: []string{"--lang=ja"},
			check: func(t *testing.T, c *Config) {
				if c.Language != "ja" {
					t.Errorf("flag not applied: %q", c.Language)
				}
				if c.Listen != ":1" {
					t.Errorf("unchanged flag must not override env: %q", c.Listen)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			fs.String("lang", "auto", "")
			fs.String("listen", ":8080", "")
			if err := fs.Parse(tt.flags); err != nil {
				t.Fatal(err)
			}
			c, err := Load(Source{File: tt.file, Flags: fs, FlagKeys: map[string]string{"lang": "language"}, Getenv: envMap(tt.env)})
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestValidateNamesKeys(t *testing.T) {
	_, err := Load(Source{File: "testdata/bad.yaml", Getenv: envMap(nil)})
	if err == nil {
		t.Fatal("bad config accepted")
	}
	for _, key := range []string{"language:", "slack.bot_token:", "slack.mode:", "discord.app_id:", "discord.public_key:", "limits.ratio:", "max_retry_wait:"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error does not name %s:\n%v", key, err)
		}
	}
}

func TestConfigFileErrors(t *testing.T) {
	for _, file := range []string{"testdata/missing.yaml", "config_test.go"} {
		if _, err := Load(Source{File: file, Getenv: envMap(nil)}); err == nil || !strings.Contains(err.Error(), file) {
			t.Errorf("%s: want an error naming the file, got %v", file, err)
		}
	}
	// VSSBOT_CONFIG names the file when --config is not given.
	c, err := Load(Source{Getenv: envMap(map[string]string{"VSSBOT_CONFIG": "testdata/vssbot.yaml"})})
	if err != nil || c.Language != "ja" {
		t.Errorf("VSSBOT_CONFIG: %v %+v", err, c)
	}
}

func TestShowMasksSecrets(t *testing.T) {
	c, err := Load(Source{File: "testdata/vssbot.yaml", Getenv: envMap(map[string]string{
		"VSSBOT_SLACK_SIGNING_SECRET": "s3cr3t-value", "VSSBOT_DISCORD_TOKEN": "discord-secret", "VSSBOT_DISCORD_APP_ID": "1"})})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := c.Show(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, secret := range []string{"from-file", "s3cr3t-value", "discord-secret"} {
		if strings.Contains(out, secret) {
			t.Errorf("secret %q printed:\n%s", secret, out)
		}
	}
	for _, want := range []string{"slack.bot_token: xoxb-********", "discord.token: ********", "language: ja", "discord.app_id: 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

func TestOwnedSettings(t *testing.T) {
	env := map[string]string{
		"VSSBOT_REDIS_URL":       "redis://:secret@cache:6379/0",
		"VSSBOT_REDIS_EXPIRY":    "15m",
		"VSSBOT_STATS_DSN":       "postgres://bot:pw@db:5432/vssbot",
		"VSSBOT_STATS_RETENTION": "2160h",
	}
	c, err := Load(Source{Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	if c.Redis.URL != env["VSSBOT_REDIS_URL"] || c.Redis.Expiry != 15*time.Minute || c.Memory.Retention != 2160*time.Hour {
		t.Fatalf("%+v %+v", c.Redis, c.Memory)
	}
	var b strings.Builder
	if err := c.Show(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), ":secret@") || strings.Contains(b.String(), ":pw@") {
		t.Fatalf("password shown:\n%s", b.String())
	}
	if got := redactURL("host=db user=bot password=hunter2 dbname=x"); strings.Contains(got, "hunter2") {
		t.Fatalf("keyword DSN shown as %q", got)
	}
	env["VSSBOT_REDIS_EXPIRY"] = "1m"
	env["VSSBOT_STATS_DSN"] = "mysql://db/x"
	_, err = Load(Source{Getenv: func(k string) string { return env[k] }})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "redis.expiry") || !strings.Contains(err.Error(), "memory.dsn") {
		t.Fatalf("want both keys named: %v", err)
	}
}

// The team memory's keys were stats.*: the old names still work in the
// file and the environment, each in its layer, and the new name wins where
// both are set in one layer.
func TestRenamedKeys(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	oldFile := write("old.yaml", "stats:\n  dsn: off\n  retention: 48h\n  file_names: true\n")
	bothFile := write("both.yaml", "stats:\n  dsn: old.db\nmemory:\n  dsn: new.db\n")
	tests := []struct {
		name string
		file string
		env  map[string]string
		dsn  string
	}{
		{"old file keys", oldFile, nil, "off"},
		{"old env key", "", map[string]string{"VSSBOT_STATS_DSN": "env-old.db"}, "env-old.db"},
		{"new env key wins over old", "", map[string]string{"VSSBOT_STATS_DSN": "env-old.db", "VSSBOT_MEMORY_DSN": "env-new.db"}, "env-new.db"},
		{"new file key wins over old", bothFile, nil, "new.db"},
		{"old env key over new file key", bothFile, map[string]string{"VSSBOT_STATS_DSN": "env-old.db"}, "env-old.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(Source{File: tt.file, Getenv: func(k string) string { return tt.env[k] }})
			if err != nil {
				t.Fatal(err)
			}
			if c.Memory.DSN != tt.dsn {
				t.Errorf("memory.dsn = %q, want %q", c.Memory.DSN, tt.dsn)
			}
		})
	}
	c, err := Load(Source{File: oldFile, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	if c.Memory.Retention != 48*time.Hour || !c.Memory.FileNames {
		t.Errorf("old retention and file_names not read: %+v", c.Memory)
	}
}

// TestListsHoldNoEmptyEntries: "a,,b" and stray spaces give no empty
// entry, so an empty user id is never a notes admin.
func TestListsHoldNoEmptyEntries(t *testing.T) {
	c, err := Load(Source{Getenv: envMap(map[string]string{"VSSBOT_NOTES_ADMINS": "a,,b, ,slack:U1,"})})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Notes.Admins, "|"); got != "a|b|slack:U1" {
		t.Fatalf("notes.admins %q", c.Notes.Admins)
	}
}
