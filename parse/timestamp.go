package parse

import (
	"strconv"
	"strings"
	"time"
)

// tsLayout is how Finding.Time is written: RFC 3339 without a zone.
const tsLayout = "2006-01-02T15:04:05.000"

// leadingTimestamp reads the "MM/DD/YYYY hh:mm:ss.mmm " prefix of an AIP
// log line (or an ISO "YYYY-MM-DD hh:mm:ss.mmm" one) without allocating
// unless one is there.
func leadingTimestamp(b []byte) (ts string, rest []byte) {
	if len(b) >= 23 && digits(b, 0, 2) && b[2] == '/' && digits(b, 3, 5) && b[5] == '/' &&
		digits(b, 6, 10) && b[10] == ' ' && digits(b, 11, 13) && b[13] == ':' &&
		digits(b, 14, 16) && b[16] == ':' && digits(b, 17, 19) && b[19] == '.' && digits(b, 20, 23) {
		ts = string(b[6:10]) + "-" + string(b[0:2]) + "-" + string(b[3:5]) + "T" + string(b[11:23])
		return ts, trimLeft(b[23:])
	}
	if len(b) >= 19 && digits(b, 0, 4) && b[4] == '-' && digits(b, 5, 7) && b[7] == '-' &&
		digits(b, 8, 10) && (b[10] == ' ' || b[10] == 'T') && digits(b, 11, 13) && b[13] == ':' &&
		digits(b, 14, 16) && b[16] == ':' && digits(b, 17, 19) {
		end := 19
		if len(b) >= 23 && b[19] == '.' && digits(b, 20, 23) {
			end = 23
		}
		ts = string(b[0:10]) + "T" + string(b[11:end])
		return ts, trimLeft(b[end:])
	}
	return "", b
}

func digits(b []byte, from, to int) bool {
	for _, c := range b[from:to] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func trimLeft(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

// dateLayouts are the date forms of event log exports (Event Viewer in
// English and Japanese locales, wevtutil, Get-WinEvent, XML SystemTime).
var dateLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 15:04:05",
	"01/02/2006 15:04:05.999",
	"2006/01/02 15:04:05",
	"2006/1/2 15:04:05",
}

// parseDate turns an event date into Finding.Time form, "" if unknown, and
// says its zone: UTC or the offset when the date carries one, else local
// (an export shows the exporting machine's clock). The time stays as the
// log wrote it.
func parseDate(s string) (ts, zone string) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format(tsLayout), zoneOf(l, s, t)
		}
	}
	if i := strings.IndexAny(s, "Z+"); i > 10 { // an offset in a form the layouts lack
		for _, l := range dateLayouts {
			if t, err := time.Parse(l, s[:i]); err == nil {
				return t.Format(tsLayout), ZoneUnknown
			}
		}
	}
	return "", ""
}

// zoneOf names the zone of a date parsed with layout l.
func zoneOf(l, s string, t time.Time) string {
	switch {
	case !strings.HasSuffix(l, "Z07:00"):
		return ZoneLocal
	case strings.HasSuffix(s, "Z"):
		return ZoneUTC
	}
	return t.Format("-07:00")
}

// tsTime parses a Finding.Time value back.
func tsTime(ts string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02T15:04:05.999999999", ts)
	return t, err == nil
}

// seconds rounds a duration to milliseconds, as logs give them.
func seconds(d time.Duration) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(d.Seconds(), 'f', 3, 64), 64)
	return v
}

// bracketClock tells the zone of an AIP task log from a line such as
// "11/28/2026 04:40:43.957 [11/28/2026 13:40:43.787] OUTPUT:": the bracket
// is the snapshot tool's output stamped with the machine's local clock, so
// a whole or half hour between the two means the log's own clock is UTC,
// and none means it is local time. "" when the line shows neither.
func bracketClock(ts string, rest []byte) string {
	if len(rest) < 2 || rest[0] != '[' {
		return ""
	}
	inner, _ := leadingTimestamp(rest[1:])
	a, ok1 := tsTime(ts)
	b, ok2 := tsTime(inner)
	if inner == "" || !ok1 || !ok2 {
		return ""
	}
	d := b.Sub(a)
	k := d.Round(30 * time.Minute)
	switch {
	case (d-k).Abs() > time.Minute || k.Abs() > 14*time.Hour:
		return ""
	case k == 0:
		return ZoneLocal
	}
	return ZoneUTC
}
