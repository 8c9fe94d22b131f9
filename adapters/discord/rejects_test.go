package discord

import (
	"bytes"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/internal/rejects"
)

// TestForgedInteractionsCountedLogSampled: forged interactions are counted
// in vssbot_rejected_requests_total and logged once, not once each.
func TestForgedInteractionsCountedLogSampled(t *testing.T) {
	cfg := Config{Token: "t", AppID: "1"}
	withKey(&cfg)
	a, err := New(cfg, newEcho(), nil)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	c, err := rejects.NewCounter(reg)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	a.CountRejects(c.For("discord", slog.New(slog.NewTextHandler(&log, nil))))
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	body := []byte(`{"id":"1","application_id":"1","type":1,"token":"x","version":1}`)
	for range 30 {
		if w := post(t, a.Handler(), ts, strings.Repeat("00", 64), body); w.Code != http.StatusUnauthorized {
			t.Fatalf("forged interaction answered %d", w.Code)
		}
	}
	if got := rejects.Count(reg, "discord", rejects.Signature); got != 30 {
		t.Errorf("counted %v forged interactions, want 30", got)
	}
	if n := strings.Count(log.String(), "\n"); n != 1 {
		t.Errorf("%d log lines for 30 forged interactions, want 1:\n%s", n, log.String())
	}
}
