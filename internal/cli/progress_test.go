package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/parse"
)

// clock is a fake time that moves on by step at each reading.
type clock struct {
	t    time.Time
	step time.Duration
}

func (c *clock) now() time.Time {
	c.t = c.t.Add(c.step)
	return c.t
}

func TestProgressShownOnlyForLongReads(t *testing.T) {
	log, err := os.ReadFile(filepath.Join("..", "..", "examples", "aip-exit-311.log"))
	if err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat(append(log, '\n'), 2000)
	path := filepath.Join(t.TempDir(), "big.log")
	if err := os.WriteFile(path, big, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		step time.Duration
		want bool
	}{
		{"slow read", 300 * time.Millisecond, true},
		{"fast read", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var out bytes.Buffer
			c := &clock{t: time.Unix(0, 0), step: tt.step}
			pr := newProgress(&out, "big.log", int64(len(big)), c.now)
			res, err := parse.New(nil, parse.Limits{}).Parse(context.Background(), "big.log", progressFile{f: f, p: pr})
			pr.done()
			if err != nil || len(res.Findings) == 0 {
				t.Fatalf("parse through progress: %v, %d findings", err, len(res.Findings))
			}
			got := out.String()
			if shown := strings.Contains(got, "big.log") && strings.Contains(got, "B/s"); shown != tt.want {
				t.Errorf("progress shown %v, want %v: %q", shown, tt.want, got)
			}
			if tt.want && pr.n != int64(len(big)) {
				t.Errorf("counted %d of %d bytes", pr.n, len(big))
			}
		})
	}
}

// A zip read through the progress wrapper keeps random access: no spool.
func TestProgressKeepsRandomAccess(t *testing.T) {
	var r any = progressFile{}
	if _, ok := r.(interface {
		ReadAt([]byte, int64) (int, error)
		Seek(int64, int) (int64, error)
	}); !ok {
		t.Fatal("progressFile lost ReadAt/Seek")
	}
}

func TestWantProgress(t *testing.T) {
	var buf bytes.Buffer
	for _, tt := range []struct {
		format string
		stderr any
		want   bool
	}{
		{"text", &buf, false}, // not a terminal
		{"json", &buf, false},
		{"json", os.Stderr, false},
	} {
		if got := wantProgress(tt.format, tt.stderr); got != tt.want {
			t.Errorf("wantProgress(%s, %T) = %v", tt.format, tt.stderr, got)
		}
	}
}
