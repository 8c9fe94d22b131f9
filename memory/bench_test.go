package memory

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/vssbot/vssbot/internal/servicetest"
)

// seedAnswer is shaped like the answer to the motivating AIP log: three
// codes, the writer, its state, two events.
func seedAnswer(now time.Time) Answer {
	return Answer{
		ID: NewID(), At: now, Platform: "slack", Workspace: "T0123", Channel: "C0SUPPORT",
		Source: File, Lang: "ja", MessageID: "1700000000.000100", Kind: "diagnosis",
		Findings: []Finding{
			{Kind: KindCode, Value: "-311", Name: ""},
			{Kind: KindCode, Value: "0x800423f2", Name: "VSS_E_WRITERERROR_TIMEOUT"},
			{Kind: KindCode, Value: "0x800423f4", Name: "VSS_E_WRITERERROR_RETRYABLE"},
			{Kind: KindWriter, Value: "SqlServerWriter"},
			{Kind: KindState, Value: "VSS_WS_FAILED_AT_FREEZE"},
			{Kind: KindEvent, Value: "VSS 8229"},
			{Kind: KindEvent, Value: "VSS 12289"},
		},
	}
}

// BenchmarkRecordAnswer records answers one after another as the engine's
// workers do; answers/s is the figure to compare with 1,000.
func BenchmarkRecordAnswer(b *testing.B) {
	for _, tc := range []struct {
		name string
		dsn  func(b *testing.B) string
	}{
		{"sqlite", func(b *testing.B) string { return filepath.Join(b.TempDir(), "stats.db") }},
		{"postgres", func(b *testing.B) string { return servicetest.Postgres(b) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, err := Open(context.Background(), Config{DSN: tc.dsn(b)}, quiet)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			now := time.Now()
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			// Four writers at once, like the engine's workers on 2 cores.
			b.SetParallelism(2)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := s.RecordAnswer(ctx, seedAnswer(now)); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "answers/s")
		})
	}
}
