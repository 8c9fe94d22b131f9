package discord

import (
	"encoding/hex"
	"strings"

	"github.com/vssbot/vssbot/internal/setting"
)

// Defaults of the adapter's settings. DefaultAPIURL is the only place the
// adapter names a Discord address.
const (
	DefaultAPIURL     = "https://discord.com/api/v10/"
	DefaultMaxRetries = 3
)

// Config is the adapter's part of the settings; the tags name the keys
// under discord.
type Config struct {
	Token     string   `mapstructure:"token"`      // bot token, with or without "Bot "; set -> Discord is used
	AppID     string   `mapstructure:"app_id"`     // the /vss command is registered under it
	GuildIDs  []string `mapstructure:"guild_ids"`  // register /vss per guild; empty -> global
	PublicKey string   `mapstructure:"public_key"` // hex Ed25519; empty -> no HTTP endpoint
	// APIURL is where REST calls go; the gateway address is whatever GET
	// gateway answers from there [https://discord.com/api/v10/].
	APIURL     string `mapstructure:"api_url"`
	ShardID    int    `mapstructure:"shard_id"`
	ShardCount int    `mapstructure:"shard_count"` // 0/1: no sharding
	// MaxRetries bounds the 429 retries of registering /vss at start, the
	// one call made outside a reply (the engine retries replies) [3].
	MaxRetries int `mapstructure:"max_retries"`
}

// Enabled reports whether Discord is configured at all.
func (c Config) Enabled() bool {
	t := strings.TrimSpace(c.Token)
	return t != "" && t != "Bot"
}

// Validate checks the settings, naming the key of each problem. A config
// that sets nothing (Discord not used) is valid.
func (c Config) Validate() error {
	var bad setting.Problems
	if c.APIURL != "" {
		bad.HTTPURL("discord.api_url", c.APIURL)
	}
	if c.Enabled() && c.AppID == "" {
		bad.Add("discord.app_id", "is required with discord.token (the /vss command is registered under it)")
	}
	if c.AppID != "" && !c.Enabled() {
		bad.Add("discord.token", "is required with discord.app_id")
	}
	if c.PublicKey != "" {
		if k, err := hex.DecodeString(c.PublicKey); err != nil || len(k) != 32 {
			bad.Add("discord.public_key", "must be the application's 64-hex-digit Ed25519 public key")
		}
	}
	if c.ShardCount < 0 {
		bad.Add("discord.shard_count", "%d is negative", c.ShardCount)
	}
	if c.ShardID < 0 || (c.ShardID > 0 && c.ShardID >= max(c.ShardCount, 1)) {
		bad.Add("discord.shard_id", "must be between 0 and discord.shard_count-1")
	}
	if c.MaxRetries < 0 {
		bad.Add("discord.max_retries", "must not be negative")
	}
	return bad.Err()
}

// withDefaults fills what was left empty and puts the token and the API
// URL in the form discordgo needs.
func (c Config) withDefaults() Config {
	c.Token = strings.TrimSpace(c.Token)
	if !strings.HasPrefix(c.Token, "Bot ") {
		c.Token = "Bot " + c.Token
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(c.APIURL, "/") {
		c.APIURL += "/"
	}
	if c.MaxRetries == 0 {
		c.MaxRetries = DefaultMaxRetries
	}
	return c
}
