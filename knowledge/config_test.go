package knowledge

import (
	"strings"
	"testing"
	"time"
)

func TestConfigLimits(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string // in the error; empty: valid
	}{
		{Config{}, ""},
		{Config{MaxFileBytes: 10, MaxOverlayBytes: 20, ReloadTimeout: time.Second}, ""},
		{Config{MaxFileBytes: -1}, "kb.max_file_bytes"},
		{Config{MaxOverlayBytes: -1}, "kb.max_overlay_bytes"},
		{Config{ReloadTimeout: -time.Second}, "kb.reload_timeout"},
		{Config{Dir: "/nonexistent/overlay"}, "kb.dir"},
	} {
		err := tc.cfg.Validate()
		if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.cfg, err, tc.want)
		}
	}
	d := Config{}.WithDefaults()
	if d.MaxFileBytes != DefaultMaxFileBytes || d.MaxOverlayBytes != DefaultMaxOverlayBytes || d.ReloadTimeout != DefaultReloadTimeout {
		t.Errorf("defaults %+v", d)
	}
}
