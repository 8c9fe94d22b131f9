package rejects

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

func value(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// TestRejectCountsAllLogsSampled: a flood of refused requests is counted one
// by one but logged once a minute, each line saying how many it stands for.
func TestRejectCountsAllLogsSampled(t *testing.T) {
	reg := prometheus.NewRegistry()
	c, err := NewCounter(reg)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	r := c.For("slack", slog.New(slog.NewTextHandler(&log, nil)))
	now := time.Unix(1_700_000_000, 0)
	r.now = func() time.Time { return now }
	req := httptest.NewRequest("POST", "/slack/events", nil)
	for range 1000 {
		r.Reject(req, Signature, errors.New("bad signature"))
	}
	now = now.Add(logEvery)
	r.Reject(req, TooLarge, errors.New("too big"))
	if got := value(t, c.vec.WithLabelValues("slack", Signature)); got != 1000 {
		t.Errorf("counted %v signature refusals, want 1000", got)
	}
	if got := value(t, c.vec.WithLabelValues("slack", TooLarge)); got != 1 {
		t.Errorf("counted %v too-large refusals, want 1", got)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "refused_since_last_line=999") {
		t.Errorf("log lines:\n%s", log.String())
	}
	// A second counter on the same registry shares the first's series.
	c2, err := NewCounter(reg)
	if err != nil {
		t.Fatal(err)
	}
	c2.For("discord", nil).Reject(req, Signature, nil)
	if got := value(t, c.vec.WithLabelValues("discord", Signature)); got != 1 {
		t.Errorf("shared counter: %v", got)
	}
	var nilRecorder *Recorder
	nilRecorder.Reject(req, Signature, nil) // no recorder: nothing, no panic
}
