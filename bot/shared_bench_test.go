package bot

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	shared "github.com/vssbot/vssbot/dedup"
	"github.com/vssbot/vssbot/internal/servicetest"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/memory"
	"github.com/vssbot/vssbot/parse"
)

// BenchmarkSharedStateOverhead measures what Redis and PostgreSQL add to
// answering one event, as the engine does it: the claim when the event is
// admitted, the answered mark and the record once it is delivered. The
// parse and the reply are the same with or without shared state, so they
// are left out; p99-ms is the figure to compare with 2 ms.
func BenchmarkSharedStateOverhead(b *testing.B) {
	redisURL, prefix := servicetest.Redis(b)
	claims, err := shared.New(shared.Config{URL: redisURL, Expiry: shared.DefaultExpiry, Lease: shared.DefaultLease,
		Timeout: shared.DefaultTimeout, Prefix: prefix}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer claims.Close()
	mem, err := memory.Open(context.Background(), memory.Config{DSN: servicetest.Postgres(b)}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer mem.Close()
	kb, err := knowledge.Load("")
	if err != nil {
		b.Fatal(err)
	}
	e := New(kb, parse.New(kb, parse.Limits{}), Config{Claims: claims, Memory: mem, Logger: slog.New(slog.DiscardHandler)})
	defer e.Shutdown(context.Background())
	base := Event{Kind: Command, Text: "0x800423f2 0x800423f4 -311", Target: Target{Platform: "slack", Workspace: "T1", Channel: "C1"}}
	reply, ok := e.answer(context.Background(), base)
	if !ok || !explains(reply) {
		b.Fatal("no answer to measure")
	}
	ctx := context.Background()
	durations := make([]time.Duration, 0, b.N)
	var parts [3][]time.Duration
	b.ResetTimer()
	for i := range b.N {
		ev := base
		ev.ID = fmt.Sprintf("Ev%d-%d", time.Now().UnixNano(), i)
		r := *reply
		start := time.Now()
		if !e.admit(ev) {
			b.Fatal("a fresh event was dropped")
		}
		id := e.askFeedback(&r)
		t1 := time.Now()
		e.settle(ev, true)
		t2 := time.Now()
		e.record(ctx, ev, &r, id, "")
		end := time.Now()
		durations = append(durations, end.Sub(start))
		parts[0] = append(parts[0], t1.Sub(start))
		parts[1] = append(parts[1], t2.Sub(t1))
		parts[2] = append(parts[2], end.Sub(t2))
	}
	b.StopTimer()
	slices.Sort(durations)
	p := func(q float64) float64 { return float64(durations[int(q*float64(len(durations)-1))]) / 1e6 }
	for i, name := range []string{"claim", "done", "record"} {
		slices.Sort(parts[i])
		b.ReportMetric(float64(parts[i][len(parts[i])*99/100])/1e6, name+"-p99-ms")
	}
	b.ReportMetric(p(0.5), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
	if got := testing.Verbose(); got {
		b.Logf("n=%d p50=%.3fms p99=%.3fms max=%.3fms", len(durations), p(0.5), p(0.99), p(1))
	}
}
