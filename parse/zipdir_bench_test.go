package parse

import (
	"bytes"
	"context"
	"testing"
)

// BenchmarkZipDirectoryRefusal parses a 62 MB zip listing 530,000 entries,
// the shape of the attachments that took the process to 1.11 GB: B/op is
// what its refusal costs.
func BenchmarkZipDirectoryRefusal(b *testing.B) {
	z := manyEntries(b, 530_000)
	p := New(nil, Limits{})
	b.SetBytes(int64(len(z)))
	b.ReportAllocs()
	for b.Loop() {
		_, err := p.Parse(context.Background(), "bundle.zip", bytes.NewReader(z))
		if err == nil {
			b.Fatal("a 530,000-entry zip was read")
		}
	}
}
