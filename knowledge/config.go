package knowledge

import (
	"fmt"
	"os"
)

// Config is the knowledge base's part of the settings, keys under kb.
type Config struct {
	// Dir is a directory of YAML files overlaying the embedded base; empty
	// means none.
	Dir string `mapstructure:"dir"`
}

// Validate checks that the overlay directory, when set, is one. Its files
// are checked by Load (and by `vssbot kb check`).
func (c Config) Validate() error {
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
