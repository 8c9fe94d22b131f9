// Package stats is the team report: what the bot answered over a period,
// which codes and writers came up, compared with the period before, and
// whether users found the answers helpful. It defines the report and its
// text, Markdown and JSON forms; the store fills it.
package stats

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Report is one period's summary. Its JSON form is a contract: fields may be
// added, never renamed.
type Report struct {
	Since   time.Time `json:"since"`
	Until   time.Time `json:"until"`
	Answers int       `json:"answers"`
	// PreviousAnswers counts the period of the same length before Since.
	PreviousAnswers int       `json:"previous_answers"`
	Codes           []Code    `json:"codes"`
	Writers         []Writer  `json:"writers"`
	Channels        []Channel `json:"channels"`
}

// Code is one code's count. Helpful and NotHelpful count answers naming the
// code whose votes lean that way (more "Fixed it" than "Did not help", or
// the reverse); a tie counts as neither.
type Code struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Count      int    `json:"count"`
	Previous   int    `json:"previous"`
	Helpful    int    `json:"helpful"`
	NotHelpful int    `json:"not_helpful"`
}

// Writer is one VSS writer's count.
type Writer struct {
	Writer   string `json:"writer"`
	Count    int    `json:"count"`
	Previous int    `json:"previous"`
}

// Channel is one channel's count.
type Channel struct {
	Platform string `json:"platform"`
	Channel  string `json:"channel"`
	Count    int    `json:"count"`
}

// Period is a report's length: 7d, 30d, 90d, 2w or a Go duration (36h).
type Period time.Duration

// DefaultPeriod is a week.
const DefaultPeriod = Period(7 * 24 * time.Hour)

// maxPeriod bounds a period to something a store can answer quickly.
const maxPeriod = Period(10 * 366 * 24 * time.Hour)

// minPeriod is the shortest period a report covers, as the messages say.
const minPeriod = Period(time.Hour)

// ErrPeriod is wrapped by ParsePeriod's errors.
var ErrPeriod = errors.New("period")

// ParsePeriod reads 7d, 2w, 36h...
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" {
		return DefaultPeriod, nil
	}
	var d time.Duration
	if n, unit := s[:len(s)-1], s[len(s)-1]; unit == 'd' || unit == 'w' {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, fmt.Errorf("%w %q: want a number of days (7d), weeks (2w) or hours (36h)", ErrPeriod, s)
		}
		if unit == 'w' {
			days *= 7
		}
		if days > int(time.Duration(maxPeriod)/(24*time.Hour)) || days < 0 {
			return 0, fmt.Errorf("%w %q: between 1h and 10 years", ErrPeriod, s)
		}
		d = time.Duration(days) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("%w %q: want a number of days (7d), weeks (2w) or hours (36h)", ErrPeriod, s)
		}
	}
	if p := Period(d); p < minPeriod || p > maxPeriod {
		return 0, fmt.Errorf("%w %q: between 1h and 10 years", ErrPeriod, s)
	}
	return Period(d), nil
}

// String writes the period as it is typed: 7d, 36h.
func (p Period) String() string {
	d := time.Duration(p)
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	return d.String()
}

// Window is the period ending at until.
func (p Period) Window(until time.Time) (since time.Time) {
	return until.Add(-time.Duration(p))
}

// HelpfulShare is the share of voted answers that helped, and whether any
// answer was voted on.
func (c Code) HelpfulShare() (float64, bool) {
	n := c.Helpful + c.NotHelpful
	if n == 0 {
		return 0, false
	}
	return float64(c.Helpful) / float64(n), true
}
