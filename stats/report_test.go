package stats

import (
	"bytes"
	"encoding/json"
	"github.com/vssbot/vssbot/internal/golden"
	"github.com/vssbot/vssbot/lang"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 7 * 24 * time.Hour, true},
		{"7d", 7 * 24 * time.Hour, true},
		{"30D", 30 * 24 * time.Hour, true},
		{"2w", 14 * 24 * time.Hour, true},
		{"36h", 36 * time.Hour, true},
		{"0d", 0, false},
		{"1h", time.Hour, true},
		{"1ns", 0, false},
		{"59m59s", 0, false},
		{"-7d", 0, false},
		{"d", 0, false},
		{"week", 0, false},
		{"99999d", 0, false},
		{"106751991167301d", 0, false}, // overflows a Duration into range
		{"1317624576693539401w", 0, false},
	} {
		p, err := ParsePeriod(tc.in)
		if (err == nil) != tc.ok || (tc.ok && time.Duration(p) != tc.want) {
			t.Errorf("ParsePeriod(%q) = %v, %v", tc.in, time.Duration(p), err)
		}
	}
}

func TestBar(t *testing.T) {
	for _, tc := range []struct {
		n, most int
		want    string
	}{
		{8, 8, "████"},
		{4, 8, "██  "},
		{1, 8, "▌   "},
		{1, 1000, "▏   "},
		{0, 8, "    "},
		{9, 8, "████"},
	} {
		if got := Bar(tc.n, tc.most, 4); got != tc.want || utf8.RuneCountInString(got) != 4 {
			t.Errorf("Bar(%d, %d) = %q, want %q", tc.n, tc.most, got, tc.want)
		}
	}
}

func sample() *Report {
	until := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	return &Report{
		Since: until.Add(-7 * 24 * time.Hour), Until: until, Answers: 12, PreviousAnswers: 9,
		Codes: []Code{
			{Code: "0x800423f2", Name: "VSS_E_WRITERERROR_TIMEOUT", Count: 7, Previous: 4, Helpful: 3, NotHelpful: 1},
			{Code: "0x800423f4", Name: "VSS_E_WRITERERROR_RETRYABLE", Count: 3, Previous: 3},
			{Code: "-311", Count: 1},
		},
		Writers:  []Writer{{Writer: "SqlServerWriter", Count: 5, Previous: 6}, {Writer: "Microsoft Exchange Writer", Count: 2}},
		Channels: []Channel{{Platform: "slack", Channel: "C0SUPPORT", Count: 10}, {Platform: "discord", Channel: "1234", Count: 2}},
	}
}

func TestWriteGolden(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"text_en", func(b *bytes.Buffer) error { return WriteText(b, sample(), lang.English) }},
		{"text_ja", func(b *bytes.Buffer) error { return WriteText(b, sample(), lang.Japanese) }},
		{"markdown_en", func(b *bytes.Buffer) error { return WriteMarkdown(b, sample(), lang.English) }},
		{"json", func(b *bytes.Buffer) error { return WriteJSON(b, sample()) }},
		{"empty_text", func(b *bytes.Buffer) error {
			return WriteText(b, &Report{Until: sample().Until, Since: sample().Since}, lang.English)
		}},
		{"empty_json", func(b *bytes.Buffer) error {
			return WriteJSON(b, &Report{Until: sample().Until, Since: sample().Since})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.name+".golden")
			if golden.Update() {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("got\n%s\nwant\n%s", b.String(), want)
			}
		})
	}
}

// TestJSONContract pins the field names the issue fixed.
func TestJSONContract(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	has := func(obj map[string]any, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if _, ok := obj[k]; !ok {
				t.Errorf("missing %q in %v", k, obj)
			}
		}
	}
	has(m, "since", "until", "answers", "codes", "writers", "channels")
	has(m["codes"].([]any)[0].(map[string]any), "code", "name", "count", "previous", "helpful", "not_helpful")
	has(m["writers"].([]any)[0].(map[string]any), "writer", "count")
	has(m["channels"].([]any)[0].(map[string]any), "platform", "channel", "count")
	if !strings.HasPrefix(m["since"].(string), "2026-11-23T00:00:00Z") {
		t.Errorf("since %v", m["since"])
	}
}

// FuzzParsePeriod: a period is typed by users in chat.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"7d", "30d", "90d", "2w", "36h", "", "-1d", "9999999999999d", "1e9h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if p <= 0 || p > maxPeriod {
			t.Fatalf("%q gave %v", s, p)
		}
		if again, err := ParsePeriod(p.String()); err != nil || again != p {
			t.Fatalf("%q: %v does not round-trip (%v, %v)", s, p, again, err)
		}
	})
}
