package parse

import (
	"context"
	"strings"
	"testing"
)

func TestParseDateZone(t *testing.T) {
	tests := []struct{ in, ts, zone string }{
		{"2017-07-13T04:40:43.7900000Z", "2017-07-13T04:40:43.790", ZoneUTC},
		{"2017-07-13T13:40:43.79+09:00", "2017-07-13T13:40:43.790", "+09:00"},
		{"2017-07-13T00:40:43-04:00", "2017-07-13T00:40:43.000", "-04:00"},
		{"7/13/2017 1:40:43 PM", "2017-07-13T13:40:43.000", ZoneLocal},
		{"2017/07/13 13:40:43", "2017-07-13T13:40:43.000", ZoneLocal},
		{"2017-07-13 13:40:43+0900", "2017-07-13T13:40:43.000", ZoneUnknown},
		{"yesterday", "", ""},
	}
	for _, tt := range tests {
		ts, zone := parseDate(tt.in)
		if ts != tt.ts || zone != tt.zone {
			t.Errorf("parseDate(%q) = %q, %q; want %q, %q", tt.in, ts, zone, tt.ts, tt.zone)
		}
	}
}

// The same event hours apart is one finding with two sightings, and the
// sightings follow their finding when ranking moves it.
func TestSightingsKeepEachOccurrence(t *testing.T) {
	log := strings.Join([]string{
		`Information	7/13/2017 10:12:07 AM	VSS	8224	None	The VSS service is shutting down due to idle timeout.`,
		`Warning	7/13/2017 10:12:07 AM	VSS	8229	None	"A VSS writer has rejected an event with error 0x800423f2. Writer name: [System Writer]"`,
		`Warning	7/13/2017 1:40:44 PM	VSS	8229	None	"A VSS writer has rejected an event with error 0x800423f2. Writer name: [System Writer]"`,
	}, "\n")
	p := New(loadVocab(t), Limits{})
	res, err := p.Parse(context.Background(), "app.txt", strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	checkSightings(t, res)
	var times []string
	for _, s := range res.Sightings {
		if f := res.Findings[s.Finding]; f.Event == 8229 {
			times = append(times, s.Time+" "+s.Zone)
		}
	}
	want := "2017-07-13T10:12:07.000 local,2017-07-13T13:40:44.000 local"
	if got := strings.Join(times, ","); got != want {
		t.Errorf("8229 sightings %s, want %s", got, want)
	}
	m := Merge(&Result{Findings: []Finding{{Kind: KindExitCode, Code: "-311", Source: "a.log", Line: 9, Time: "2017-07-13T04:40:44.020", State: -1}},
		Sightings: []Sighting{{Finding: 0, Source: "a.log", Line: 9, Time: "2017-07-13T04:40:44.020"}}}, res)
	checkSightings(t, m)
	if len(m.Sightings) != len(res.Sightings)+1 {
		t.Errorf("merged %d sightings, want %d", len(m.Sightings), len(res.Sightings)+1)
	}
}

func TestSightingsBounded(t *testing.T) {
	var b strings.Builder
	for i := range 500 {
		b.WriteString("07/13/2017 04:")
		b.WriteString(string(rune('0'+i/600%6)) + string(rune('0'+i/60%10)) + ":")
		b.WriteString(string(rune('0'+i%60/10)) + string(rune('0'+i%10)) + ".000 hr = 0x800423f2\n")
	}
	res, err := New(loadVocab(t), Limits{}).Parse(context.Background(), "a.log", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	checkSightings(t, res)
	if len(res.Findings) != 1 || len(res.Sightings) != maxSightings {
		t.Errorf("%d findings, %d sightings; want 1 and %d", len(res.Findings), len(res.Sightings), maxSightings)
	}
}

// checkSightings makes sure every sighting names its finding's place.
func checkSightings(t testing.TB, res *Result) {
	t.Helper()
	for _, s := range res.Sightings {
		if s.Finding < 0 || s.Finding >= len(res.Findings) || s.Time == "" {
			t.Fatalf("bad sighting %+v", s)
		}
		f := res.Findings[s.Finding]
		if f.Source == s.Source && f.Line == s.Line && f.Time != s.Time {
			t.Errorf("sighting %+v does not match its finding %+v", s, f)
		}
	}
}

func TestBracketClock(t *testing.T) {
	tests := []struct{ line, want string }{
		{"07/13/2017 04:40:43.957 [07/13/2017 13:40:43.787] OUTPUT:", ZoneUTC},
		{"07/13/2017 13:40:43.957 [07/13/2017 13:40:43.787] OUTPUT:", ZoneLocal},
		{"07/13/2017 04:40:43.957 [07/13/2017 10:10:43.787] OUTPUT:", ZoneUTC}, // UTC+05:30
		{"07/13/2017 04:40:43.957 [07/13/2017 13:17:03.787] OUTPUT:", ""},      // no zone explains it
		{"07/13/2017 04:40:43.957 [not a time] OUTPUT:", ""},
		{"07/13/2017 04:40:43.957 VssStart()", ""},
	}
	for _, tt := range tests {
		ts, rest := leadingTimestamp([]byte(tt.line))
		if got := bracketClock(ts, rest); got != tt.want {
			t.Errorf("bracketClock(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

// A task log whose bracketed output shows the local clock 9 h ahead is kept
// in UTC, and every finding of it says so, those before that line too.
func TestTaskLogInUTC(t *testing.T) {
	log := "07/13/2017 04:37:54.439 VssStart()\n" +
		"07/13/2017 04:40:43.790 com exception caught(0x8000ffff) in VssStart\n" +
		"07/13/2017 04:40:43.957 [07/13/2017 13:40:43.787] OUTPUT:\n" +
		"ERROR: Selected writer 'System Writer' is in failed state!\n" +
		"- Status: 9 (VSS_WS_FAILED_AT_FREEZE)\n" +
		"- Writer Failure code: 0x800423f2 (<Unknown error code>)\n"
	res, err := New(loadVocab(t), Limits{}).Parse(context.Background(), "1.log", strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Time != "" && f.Zone != ZoneUTC {
			t.Errorf("%s at %s: zone %q, want UTC", f.Code, f.Time, f.Zone)
		}
	}
	for _, s := range res.Sightings {
		if s.Zone != ZoneUTC {
			t.Errorf("sighting %+v not UTC", s)
		}
	}
}
