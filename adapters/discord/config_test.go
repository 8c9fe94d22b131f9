package discord

import (
	"strings"
	"testing"
)

func TestNewValidatesConfig(t *testing.T) {
	ok := Config{Token: "abc", AppID: "1"}
	tests := []struct {
		name string
		mod  func(*Config)
		key  string // named in the error; "" for a valid config
	}{
		{"valid", func(*Config) {}, ""},
		{"token with prefix", func(c *Config) { c.Token = "Bot abc" }, ""},
		{"no token", func(c *Config) { c.Token = " " }, "discord.token"},
		{"no app id", func(c *Config) { c.AppID = "" }, "discord.app_id"},
		{"bad key", func(c *Config) { c.PublicKey = "zz" }, "discord.public_key"},
		{"short key", func(c *Config) { c.PublicKey = "abcd" }, "discord.public_key"},
		{"api url scheme", func(c *Config) { c.APIURL = "ftp://x/" }, "discord.api_url"},
		{"api url relative", func(c *Config) { c.APIURL = "api/v10" }, "discord.api_url"},
		{"negative shards", func(c *Config) { c.ShardCount = -1 }, "discord.shard_count"},
		{"shard out of range", func(c *Config) { c.ShardID, c.ShardCount = 2, 2 }, "discord.shard_id"},
		{"shard without count", func(c *Config) { c.ShardID = 1 }, "discord.shard_id"},
		{"negative retries", func(c *Config) { c.MaxRetries = -1 }, "discord.max_retries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.mod(&c)
			a, err := New(c, newEcho(), nil)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				if a.cfg.Token != "Bot abc" || a.cfg.APIURL != DefaultAPIURL || a.cfg.MaxRetries != DefaultMaxRetries {
					t.Errorf("defaults not applied: %+v", a.cfg)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.key) {
				t.Errorf("err = %v, want one naming %s", err, tt.key)
			}
		})
	}
	if _, err := New(ok, nil, nil); err == nil {
		t.Error("New without an engine succeeded")
	}
}
