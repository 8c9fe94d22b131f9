package bot

import (
	"slices"
	"strings"
	"testing"
)

func TestSplitQueries(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"0x800423f2", []string{"0x800423f2"}},
		{"0x800423f2 0x800423F3", []string{"0x800423f2", "0x800423F3"}},
		{"0x800423f2,0x800423f3, -311", []string{"0x800423f2", "0x800423f3", "-311"}},
		{"-311", []string{"-311"}}, // a negative number is a query, not an option
		{"-2147212302 -311", []string{"-2147212302", "-311"}},
		{"System Writer", []string{"System Writer"}},
		{"event 8229", []string{"event 8229"}},
		{"0x800423f2 System Writer", []string{"0x800423f2", "System Writer"}},
		{"VSS_E_WRITERERROR_TIMEOUT、800423F4", []string{"VSS_E_WRITERERROR_TIMEOUT", "800423F4"}},
		{"0x800423f2 0X800423F2", []string{"0x800423f2"}},
		{"  ,, ", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := splitQueries(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("splitQueries(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestSplitQueriesBounded(t *testing.T) {
	var b strings.Builder
	for i := range 100 {
		b.WriteString("-")
		b.WriteString(strings.Repeat("1", i+1))
		b.WriteString(" ")
	}
	if got := splitQueries(b.String()); len(got) != maxQueries {
		t.Errorf("got %d queries, want %d", len(got), maxQueries)
	}
}

func TestIsPasted(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"0x800423f2", false},
		{"0x800423f2\n0x800423f3", true},
		{strings.Repeat("0x800423f2 ", 30), true},
	}
	for _, tt := range tests {
		if got := isPasted(tt.text); got != tt.want {
			t.Errorf("isPasted(%q) = %v", tt.text, got)
		}
	}
}

func FuzzSplitQueries(f *testing.F) {
	f.Add("0x800423f2, System Writer event 8229")
	f.Add("\xff\xfe -")
	f.Fuzz(func(t *testing.T, text string) {
		got := splitQueries(text)
		if len(got) > maxQueries {
			t.Fatalf("%d queries", len(got))
		}
		for _, q := range got {
			if q == "" || strings.TrimSpace(q) != q {
				t.Fatalf("bad query %q from %q", q, text)
			}
		}
	})
}
