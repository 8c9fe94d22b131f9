package answer

import (
	"fmt"
	"unicode/utf8"

	"github.com/vssbot/vssbot/lang"
)

// minPartial is the fewest runes worth showing of a line cut in the middle;
// below that the line is left out and counted in the "more" notice.
const minPartial = 16

// Cut fits lines within maxLines lines and maxChars characters (runes, with
// one separator counted between lines) so adapters can respect platform
// limits without rejecting a reply: what does not fit is replaced by a last
// line saying how many lines were left out, in l. A line too long to fit
// whole is shortened when enough room is left. maxLines or maxChars <= 0
// mean no limit on that measure.
func Cut(lines []string, maxLines, maxChars int, l lang.Tag) []string {
	if maxLines <= 0 {
		maxLines = len(lines) + 1
	}
	if maxChars <= 0 {
		maxChars = int(^uint(0) >> 1)
	}
	if len(lines) <= maxLines && joinedLen(lines) <= maxChars {
		return lines
	}
	// Keep the longest prefix that fits with the notice after it. Each kept
	// line reserves room for the notice that would follow it, so stopping
	// at any line leaves room for its notice.
	used := 0
	var out []string
	for i, line := range lines {
		rest := len(lines) - i - 1
		reserve, lineSlots := 0, 1
		if rest > 0 {
			reserve, lineSlots = 1+utf8.RuneCountInString(More(rest, l)), 2
		}
		room := maxChars - used - sep(len(out)) - reserve
		n := utf8.RuneCountInString(line)
		if len(out)+lineSlots > maxLines || room < min(n, minPartial) {
			return append(out, fitNotice(More(rest+1, l), maxChars-used-sep(len(out))))
		}
		if n > room {
			out = append(out, Truncate(line, room))
			if rest > 0 {
				out = append(out, More(rest, l))
			}
			return out
		}
		out = append(out, line)
		used += sep(len(out)-1) + n
	}
	return out // not reached: the whole input did not fit
}

// fitNotice shortens the notice when even it does not fit.
func fitNotice(notice string, room int) string {
	return Truncate(notice, max(room, 1))
}

// sep is the separator cost before the next line when n lines are kept.
func sep(n int) int {
	if n == 0 {
		return 0
	}
	return 1
}

func joinedLen(lines []string) int {
	n := 0
	for i, l := range lines {
		n += sep(i) + utf8.RuneCountInString(l)
	}
	return n
}

// More is the notice that replaces n lines (or sections, or embeds) that
// did not fit.
func More(n int, l lang.Tag) string {
	return fmt.Sprintf(l.Pick("… and %d more", "…ほか %d 件"), n)
}

// Truncate shortens s to at most max runes, marking the cut with "…". It
// never splits a UTF-8 sequence.
func Truncate(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
