// Package config loads vssbot's settings in layers: built-in defaults, then a
// YAML file (vssbot.yaml, --config or VSSBOT_CONFIG), then VSSBOT_* environment
// variables, then command-line flags, and validates the result with messages
// that name the offending key.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/vssbot/vssbot/adapters/discord"
	"github.com/vssbot/vssbot/adapters/slack"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/dedup"
	"github.com/vssbot/vssbot/internal/connlimit"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/memory"
	"github.com/vssbot/vssbot/parse"
)

// EnvPrefix is prepended to every key to form its environment variable:
// slack.bot_token is read from VSSBOT_SLACK_BOT_TOKEN.
const EnvPrefix = "VSSBOT"

// Config is every setting vssbot reads. The mapstructure tags are the keys
// of the config file and, upper-cased with "." as "_", of the environment.
// Each package owns its part, with its defaults and its Validate: the
// engine (the top-level keys), the knowledge base, the parser's limits,
// the adapters, the shared de-duplication and the team memory.
type Config struct {
	bot.Config `mapstructure:",squash"`
	Listen     string           `mapstructure:"listen"`
	HTTP       HTTP             `mapstructure:"http"`
	KB         knowledge.Config `mapstructure:"kb"`
	Limits     Limits           `mapstructure:"limits"`
	Notes      Notes            `mapstructure:"notes"`
	Log        Log              `mapstructure:"log"`
	Slack      slack.Config     `mapstructure:"slack"`
	Discord    discord.Config   `mapstructure:"discord"`
	// Redis shares event de-duplication between replicas.
	Redis dedup.Config `mapstructure:"redis"`
	// Memory is the team memory of answers, feedback and notes; its keys
	// were stats.*, still read (Renamed). It shadows bot.Config's Memory,
	// the open team memory serve wires in.
	Memory memory.Config `mapstructure:"memory"`
}

// Limits bound what one attachment or archive may cost: the engine's
// attachment limit (handed to bot.Config) beside the parser's.
type Limits struct {
	AttachmentBytes int64 `mapstructure:"attachment_bytes"`
	parse.Limits    `mapstructure:",squash"`
}

// Notes governs the team notes kept in the team memory.
type Notes struct {
	// Admins may remove any note: user ids, or "slack:U123", "discord:123".
	Admins []string `mapstructure:"admins"`
}

// HTTP bounds serve's listeners: connections in all and per client
// (connlimit), and an optional listener of their own for probes and
// metrics.
type HTTP struct {
	connlimit.Config `mapstructure:",squash"`
	// HealthListen, when set, serves /healthz, /readyz and /metrics on
	// this address instead of listen, so no probe or scrape ever holds a
	// connection the platforms need.
	HealthListen string `mapstructure:"health_listen"`
}

// Log selects the slog handler.
type Log struct {
	Level  string `mapstructure:"level"`
	Format string `mapstructure:"format"`
}

// defaults lists every key with its default. Each key must be here: viper
// only consults the environment for keys it knows of.
func defaults() map[string]any {
	return map[string]any{
		"language":                  string(lang.Auto),
		"channel_languages":         map[string]string{},
		"allowed_channels":          []string{},
		"listen":                    ":8080",
		"http.health_listen":        "",
		"http.max_conns":            connlimit.DefaultMaxConns,
		"http.max_conns_per_client": connlimit.DefaultMaxConnsPerClient,
		"workers":                   0,
		"queue":                     bot.DefaultQueue,
		"timeout":                   bot.DefaultTimeout.String(),
		"max_retries":               bot.DefaultMaxRetries,
		"max_retry_wait":            bot.DefaultMaxRetryWait.String(),
		"dedup_window":              bot.DefaultDedupWindow.String(),
		"kb.dir":                    "",
		"kb.max_file_bytes":         int64(knowledge.DefaultMaxFileBytes),
		"kb.max_overlay_bytes":      int64(knowledge.DefaultMaxOverlayBytes),
		"kb.reload_timeout":         knowledge.DefaultReloadTimeout.String(),
		"limits.attachment_bytes":   int64(bot.DefaultAttachment),
		"limits.archive_entries":    parse.DefaultLimits.MaxArchiveEntries,
		"limits.expanded_bytes":     parse.DefaultLimits.MaxExpandedBytes,
		"limits.ratio":              parse.DefaultLimits.MaxRatio,
		"limits.depth":              parse.DefaultLimits.MaxDepth,
		"limits.spool_bytes":        parse.DefaultLimits.MaxSpoolBytes,
		"notes.admins":              []string{},
		"answer.products":           []string{},
		"log.level":                 "info",
		"log.format":                "text",
		"slack.bot_token":           "",
		"slack.app_token":           "",
		"slack.signing_secret":      "",
		"slack.api_url":             slack.DefaultAPIURL,
		"slack.mode":                "",
		"slack.slash_response":      "in_channel",
		"slack.reaction":            slack.DefaultReaction,
		"discord.token":             "",
		"discord.app_id":            "",
		"discord.guild_ids":         []string{},
		"discord.public_key":        "",
		"discord.api_url":           discord.DefaultAPIURL,
		"discord.shard_id":          0,
		"discord.shard_count":       0,
		"discord.max_retries":       discord.DefaultMaxRetries,
		"redis.url":                 "",
		"redis.expiry":              dedup.DefaultExpiry.String(),
		"redis.lease":               dedup.DefaultLease.String(),
		"redis.timeout":             dedup.DefaultTimeout.String(),
		"redis.prefix":              dedup.DefaultPrefix,
		"memory.dsn":                "",
		"memory.retention":          memory.DefaultRetention.String(),
		"memory.file_names":         false,
		"memory.connect_timeout":    memory.DefaultConnectTimeout.String(),
		"memory.statement_timeout":  memory.DefaultStatementTimeout.String(),
		"memory.scope":              memory.ScopeWorkspace,
	}
}

// Keys lists every setting's key, sorted: what the config file, the
// VSSBOT_* environment and `vssbot config show` know.
func Keys() []string {
	return slices.Sorted(maps.Keys(defaults()))
}

// Renamed maps the old name of a renamed key to its name now. An old name
// is still read in the config file and the environment (VSSBOT_STATS_DSN),
// each in its layer; where both names are set in one layer, the new one
// wins.
func Renamed() map[string]string {
	return map[string]string{
		"stats.dsn":               "memory.dsn",
		"stats.retention":         "memory.retention",
		"stats.file_names":        "memory.file_names",
		"stats.connect_timeout":   "memory.connect_timeout",
		"stats.statement_timeout": "memory.statement_timeout",
		"stats.scope":             "memory.scope",
	}
}

// Source says where the settings come from.
type Source struct {
	// File is the config file; empty means VSSBOT_CONFIG, else ./vssbot.yaml
	// when it exists, else none.
	File string
	// Flags are bound over everything else; a flag's name is its key unless
	// FlagKeys maps it ("lang" -> "language").
	Flags    *pflag.FlagSet
	FlagKeys map[string]string
	// Getenv reads the environment; nil means os.Getenv. Tests pass a map.
	Getenv func(string) string
}

// Load reads and validates the settings.
func Load(src Source) (*Config, error) {
	v := viper.New()
	for k, d := range defaults() {
		v.SetDefault(k, d)
	}
	getenv := src.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if err := readFile(v, src.File, getenv); err != nil {
		return nil, err
	}
	for old, key := range Renamed() {
		if v.InConfig(old) && !v.InConfig(key) {
			v.Set(key, v.Get(old))
		}
	}
	// viper's AutomaticEnv uses os.Getenv only; reading each known key
	// ourselves keeps the layering testable without touching the process.
	for k := range defaults() {
		if val, ok := lookupEnv(getenv, k); ok {
			v.Set(k, val)
		}
	}
	for old, key := range Renamed() {
		if _, set := lookupEnv(getenv, key); set {
			continue
		}
		if val, ok := lookupEnv(getenv, old); ok {
			v.Set(key, val)
		}
	}
	bindFlags(v, src)
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c.AllowedChannels = splitList(c.AllowedChannels)
	c.Discord.GuildIDs = splitList(c.Discord.GuildIDs)
	c.Notes.Admins = splitList(c.Notes.Admins)
	c.Answer.Products = splitCommas(c.Answer.Products)
	c.MaxAttachmentBytes = c.Limits.AttachmentBytes
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

func readFile(v *viper.Viper, file string, getenv func(string) string) error {
	if file == "" {
		file = getenv(EnvPrefix + "_CONFIG")
	}
	if file == "" {
		if _, err := os.Stat("vssbot.yaml"); err != nil {
			return nil
		}
		file = "vssbot.yaml"
	}
	v.SetConfigFile(file)
	v.SetConfigType("yaml")
	if err := v.ReadInConfig(); err != nil {
		return fmt.Errorf("config file %s: %w", file, err)
	}
	return nil
}

func lookupEnv(getenv func(string) string, key string) (string, bool) {
	name := EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
	val := getenv(name)
	return val, val != ""
}

func bindFlags(v *viper.Viper, src Source) {
	if src.Flags == nil {
		return
	}
	// Set, not BindPFlag: the environment was applied with Set, which viper
	// ranks above bound flags, and flags must win.
	src.Flags.Visit(func(f *pflag.Flag) {
		key := f.Name
		if k, ok := src.FlagKeys[f.Name]; ok {
			key = k
		}
		if !isKnown(key) {
			return
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			v.Set(key, sv.GetSlice())
			return
		}
		v.Set(key, f.Value.String())
	})
}

func isKnown(key string) bool {
	_, ok := defaults()[key]
	return ok
}

// splitList accepts both YAML lists and "a,b c" strings from the environment.
func splitList(in []string) []string {
	out := []string{}
	for _, s := range in {
		out = append(out, strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })...)
	}
	return out
}

// splitCommas accepts YAML lists and "a,b" strings from the environment:
// names with spaces in them ("ActiveImage Protector") split on commas only.
func splitCommas(in []string) []string {
	out := []string{}
	for _, s := range in {
		for _, f := range strings.Split(s, ",") {
			if f = strings.TrimSpace(f); f != "" {
				out = append(out, f)
			}
		}
	}
	return out
}

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("invalid setting")

// Engine is the engine's part of the settings with what every command
// wires in: the note admins, the logger and the metrics registry (nil
// registers none).
func (c *Config) Engine(log *slog.Logger, reg prometheus.Registerer) bot.Config {
	e := c.Config
	e.NoteAdmins = c.Notes.Admins
	e.Logger, e.Registerer = log, reg
	return e
}
