package slack

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/internal/rejects"
)

// TestForgedRequestsCountedLogSampled: a burst of forged requests is
// counted in vssbot_rejected_requests_total and logged once, not once each.
func TestForgedRequestsCountedLogSampled(t *testing.T) {
	h, srv := newHTTPHarness(t)
	reg := prometheus.NewRegistry()
	c, err := rejects.NewCounter(reg)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	h.ad.CountRejects(c.For("slack", slog.New(slog.NewTextHandler(&log, nil))))
	for range 50 {
		req, err := http.NewRequestWithContext(testContext(t), http.MethodPost, srv.URL+"/slack/events", strings.NewReader(`{"type":"event_callback"}`))
		if err == nil {
			req.Header.Set("X-Slack-Request-Timestamp", "1700000000")
			req.Header.Set("X-Slack-Signature", "v0=forged")
		}
		if status, _, _ := do(t, req, err); status != http.StatusUnauthorized {
			t.Fatalf("forged request answered %d", status)
		}
	}
	if got := rejects.Count(reg, "slack", rejects.Signature); got != 50 {
		t.Errorf("counted %v forged requests, want 50", got)
	}
	if n := strings.Count(log.String(), "\n"); n != 1 {
		t.Errorf("%d log lines for 50 forged requests, want 1:\n%s", n, log.String())
	}
}
