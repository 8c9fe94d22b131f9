package bot

import (
	"log/slog"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/internal/setting"
	"github.com/vssbot/vssbot/lang"
)

// Defaults of the engine's settings; zero values in a Config mean these.
const (
	DefaultQueue        = 256
	DefaultTimeout      = 60 * time.Second
	DefaultAttachment   = 50 << 20 // limits.attachment_bytes
	DefaultDedupWindow  = 10 * time.Minute
	DefaultMaxRetries   = 3
	DefaultMaxRetryWait = 60 * time.Second
)

// Config is the engine's part of the settings: the tags name the keys,
// zero values mean the defaults in brackets. The fields tagged "-" are what
// serve wires in, not settings.
type Config struct {
	Language         lang.Tag            `mapstructure:"language"`          // ja, en or auto [auto]
	ChannelLanguages map[string]lang.Tag `mapstructure:"channel_languages"` // channel id -> language
	AllowedChannels  []string            `mapstructure:"allowed_channels"`  // empty: every channel
	// Answer shapes the answers: answer.products names the products the
	// team supports, whose vendors' steps show without their evidence.
	Answer  answer.Config `mapstructure:"answer"`
	Workers int           `mapstructure:"workers"` // concurrent events [2 x GOMAXPROCS]
	Queue   int           `mapstructure:"queue"`   // events waiting for a worker [256]
	Timeout time.Duration `mapstructure:"timeout"` // per event, reading files included [60s]
	// MaxRetries bounds the attempts after a failed one that posted
	// nothing, on a 429 or a temporary failure [3; negative: none].
	MaxRetries int `mapstructure:"max_retries"`
	// MaxRetryWait caps the wait before a retry, whatever the platform
	// advertised [60s].
	MaxRetryWait time.Duration `mapstructure:"max_retry_wait"`
	// DedupWindow is how long an event id is remembered [10m].
	DedupWindow time.Duration `mapstructure:"dedup_window"`
	// MaxAttachmentBytes bounds each attachment read [50 MiB]; its key,
	// limits.attachment_bytes, sits with the parser's limits in the
	// settings, which check it and hand it over.
	MaxAttachmentBytes int64 `mapstructure:"-"`

	Logger     *slog.Logger          `mapstructure:"-"`
	Registerer prometheus.Registerer `mapstructure:"-"` // nil: metrics are not registered
	// NoteAdmins may remove any note: user ids, or "platform:id".
	NoteAdmins []string `mapstructure:"-"`
	// Claims shares de-duplication with other replicas; nil keeps it in
	// this process only.
	Claims Claims `mapstructure:"-"`
	// Memory is the team memory: answers, feedback and notes. nil records
	// nothing, shows no feedback buttons and turns /vss note and /vss stats
	// off.
	Memory Memory `mapstructure:"-"`
}

// Validate checks the settings as loaded, where every key carries its
// default, naming the key of each problem: a size, a count or a duration
// that cannot be zero must be greater than zero. (In code a zero field
// means the default.)
func (c Config) Validate() error {
	var bad setting.Problems
	if _, ok := lang.Parse(string(c.Language)); !ok && c.Language != "" {
		bad.Add("language", "%q is not one of ja, en, auto", c.Language)
	}
	for ch, l := range c.ChannelLanguages {
		if _, ok := lang.Parse(string(l)); !ok {
			bad.Add("channel_languages."+ch, "%q is not one of ja, en, auto", l)
		}
	}
	if err := c.Answer.Validate(); err != nil {
		bad.Add("answer.products", "%s", err)
	}
	if c.Workers < 0 {
		bad.Add("workers", "must not be negative (0 picks one per core, doubled)")
	}
	for _, n := range []struct {
		key string
		v   int64
	}{
		{"queue", int64(c.Queue)}, {"timeout", int64(c.Timeout)}, {"max_retry_wait", int64(c.MaxRetryWait)},
		{"dedup_window", int64(c.DedupWindow)},
	} {
		if n.v <= 0 {
			bad.Add(n.key, "must be greater than zero")
		}
	}
	return bad.Err()
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = 2 * runtime.GOMAXPROCS(0)
	}
	if c.Queue <= 0 {
		c.Queue = DefaultQueue
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxAttachmentBytes <= 0 {
		c.MaxAttachmentBytes = DefaultAttachment
	}
	if c.DedupWindow <= 0 {
		c.DedupWindow = DefaultDedupWindow
	}
	switch {
	case c.MaxRetries == 0:
		c.MaxRetries = DefaultMaxRetries
	case c.MaxRetries < 0:
		c.MaxRetries = 0
	}
	if c.MaxRetryWait <= 0 {
		c.MaxRetryWait = DefaultMaxRetryWait
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
