package bot

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestLimitReader(t *testing.T) {
	tests := []struct {
		name    string
		size    int
		limit   int64
		wantErr bool
	}{
		{"under", 10, 20, false},
		{"exact", 20, 20, false},
		{"one over", 21, 20, true},
		{"far over", 1 << 16, 20, true},
		{"zero limit", 1, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lr := &limitReader{r: iotest.HalfReader(bytes.NewReader(make([]byte, tt.size))), left: tt.limit}
			got, err := io.ReadAll(lr)
			if tt.wantErr != (err != nil) || lr.exceeded != tt.wantErr {
				t.Fatalf("err = %v, exceeded = %v, want error %v", err, lr.exceeded, tt.wantErr)
			}
			if tt.wantErr && !errors.Is(err, errTooLargeRead) {
				t.Errorf("err = %v, want errTooLargeRead", err)
			}
			if int64(len(got)) > tt.limit {
				t.Errorf("read %d bytes past the %d limit", len(got), tt.limit)
			}
		})
	}
}

func TestByteSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{80 << 20, "80 MB"},
		{50 << 20, "50 MB"},
		{3<<20 + 1<<19, "3.5 MB"},
		{2048, "2 KB"},
		{12, "12 B"},
	}
	for _, tt := range tests {
		if got := byteSize(tt.n); got != tt.want {
			t.Errorf("byteSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestProblemText(t *testing.T) {
	p := problem{kind: tooLargeAnnounced, name: "big.log", size: 80 << 20}
	en := p.text("en", 50<<20)
	ja := p.text("ja", 50<<20)
	for _, want := range []string{"big.log", "80 MB", "50 MB"} {
		if !strings.Contains(en, want) || !strings.Contains(ja, want) {
			t.Errorf("missing %q in %q / %q", want, en, ja)
		}
	}
	if en == ja {
		t.Error("Japanese text equals English")
	}
}
