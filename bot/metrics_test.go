package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/parse"
)

// series counts the series of the metric name in a scrape of reg.
func series(t *testing.T, reg *prometheus.Registry, name string) int {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range families {
		if f.GetName() == name {
			return len(f.GetMetric())
		}
	}
	return 0
}

// TestCodeSeriesBounded: a log naming thousands of codes the knowledge base
// does not know adds one "other" series, not one per code, while the codes
// the base knows keep their own series.
func TestCodeSeriesBounded(t *testing.T) {
	e, reg := newEngine(t, bot.Config{}, parse.Limits{})
	const perLog, logs = 2000, 3
	for n := range logs {
		var b strings.Builder
		b.WriteString("Backup failed. Error: VSS_E_WRITERERROR_TIMEOUT (0x800423f2)\n")
		for i := range perLog {
			fmt.Fprintf(&b, "2026-12-05 03:%02d:%02d Error: operation failed with hr = 0x8007%04x\n", i/60%60, i%60, n*perLog+i+0x3000)
		}
		ev := message(b.String())
		ev.ID = fmt.Sprintf("log%d", n)
		r, ok := e.Answer(context.Background(), ev)
		if !ok || r.Kind != answer.Diagnosis {
			t.Fatalf("log %d: Answer = %+v, %v; want a diagnosis", n, r, ok)
		}
	}
	other := metric(t, reg, "vssbot_findings_total", "code", "other")
	if other < logs*100 {
		t.Errorf("vssbot_findings_total{code=other} = %v; the unknown codes were not counted there", other)
	}
	if got := metric(t, reg, "vssbot_findings_total", "code", "0x800423f2"); got != logs {
		t.Errorf("vssbot_findings_total{code=0x800423f2} = %v, want %d", got, logs)
	}
	for _, name := range []string{"vssbot_findings_total", "vssbot_answers_by_code_total"} {
		// The known code, the ones the log's words may resolve to, and other.
		n := series(t, reg, name)
		if n > 10 {
			t.Errorf("%s has %d series after %d distinct unknown codes", name, n, logs*perLog)
		}
		t.Logf("%s: %d series after %d distinct unknown codes", name, n, logs*perLog)
	}
}
