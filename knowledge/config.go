package knowledge

import (
	"fmt"
	"os"
	"time"
)

// Config is the knowledge base's part of the settings, keys under kb.
type Config struct {
	// Dir is a directory of YAML files overlaying the embedded base; empty
	// means none.
	Dir string `mapstructure:"dir"`
	// MaxFileBytes bounds one overlay file and MaxOverlayBytes all of them
	// together: decoding YAML takes some fifty times a file's size in
	// memory, so these bound what an overlay can cost.
	MaxFileBytes    int64 `mapstructure:"max_file_bytes"`
	MaxOverlayBytes int64 `mapstructure:"max_overlay_bytes"`
	// ReloadTimeout bounds reading and checking the overlay, at start and
	// on each reload; past it the overlay is refused.
	ReloadTimeout time.Duration `mapstructure:"reload_timeout"`
}

// Defaults of the overlay's limits.
const (
	DefaultMaxFileBytes    = 1 << 20 // three times the largest embedded file
	DefaultMaxOverlayBytes = 2 << 20
	DefaultReloadTimeout   = 10 * time.Second
)

// WithDefaults fills the unset limits (the server's Reloader reads them).
func (c Config) WithDefaults() Config {
	if c.MaxFileBytes <= 0 {
		c.MaxFileBytes = DefaultMaxFileBytes
	}
	if c.MaxOverlayBytes <= 0 {
		c.MaxOverlayBytes = DefaultMaxOverlayBytes
	}
	if c.ReloadTimeout <= 0 {
		c.ReloadTimeout = DefaultReloadTimeout
	}
	return c
}

// Validate checks that the overlay directory, when set, is one, and that
// no limit is negative (zero takes the default). Its files are checked by
// Load (and by `vssbot kb check`).
func (c Config) Validate() error {
	switch {
	case c.MaxFileBytes < 0:
		return fmt.Errorf("kb.max_file_bytes: %d is negative", c.MaxFileBytes)
	case c.MaxOverlayBytes < 0:
		return fmt.Errorf("kb.max_overlay_bytes: %d is negative", c.MaxOverlayBytes)
	case c.ReloadTimeout < 0:
		return fmt.Errorf("kb.reload_timeout: %v is negative", c.ReloadTimeout)
	}
	if c.Dir == "" {
		return nil
	}
	fi, err := os.Stat(c.Dir)
	switch {
	case err != nil:
		return fmt.Errorf("kb.dir: %v", err)
	case !fi.IsDir():
		return fmt.Errorf("kb.dir: %s is not a directory", c.Dir)
	}
	return nil
}
