package bot

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/memory"
)

const (
	// maxSeenQueries bounds the look-ups of one answer: its first codes
	// and writers are what the reader recognises.
	maxSeenQueries = 8
	// maxSeenLines bounds the threads shown, newest first.
	maxSeenLines = 2
)

// seenThread is one earlier thread and what this answer shares with it.
type seenThread struct {
	memory.Seen
	shared []string // codes and writers, in the answer's order
}

// addSeenBefore adds to the first screen the last times this workspace had
// the answer's codes or writers, each with a link to that thread and
// whether it was marked Fixed it. A memory that fails leaves the answer as
// it is.
func (e *Engine) addSeenBefore(ctx context.Context, ev Event, r *answer.Outline) {
	mem := e.opts.Memory
	if mem == nil || ev.Target.Platform == "" {
		return
	}
	kb, _ := e.src.Current()
	var threads []*seenThread
	queries := 0
	for _, s := range r.About {
		kind := s.Kind
		if kind != answer.AboutCode && kind != answer.AboutWriter {
			continue
		}
		f, ok := storable(kb, memory.Finding{Kind: kind, Value: s.Value, Name: s.Name})
		if !ok || strings.HasPrefix(f.Name, "custom") {
			continue // a writer the base does not know is stored as a hash
		}
		if queries++; queries > maxSeenQueries {
			break
		}
		seen, found, err := mem.LastSeen(ctx, ev.Target.Platform, scopeOf(ev), f.Kind, f.Value, e.now())
		if err != nil {
			e.log.Warn("seen before not read", "platform", ev.Target.Platform, "err", err)
			return
		}
		if !found {
			continue
		}
		i := slices.IndexFunc(threads, func(t *seenThread) bool {
			return t.Channel == seen.Channel && t.MessageID == seen.MessageID
		})
		if i < 0 {
			threads = append(threads, &seenThread{Seen: seen})
			i = len(threads) - 1
		}
		threads[i].shared = append(threads[i].shared, f.Value)
	}
	if len(threads) == 0 {
		return
	}
	slices.SortStableFunc(threads, func(a, b *seenThread) int { return b.At.Compare(a.At) })
	sec := answer.Section{Title: r.Lang.Pick("Seen before", "過去の事例")}
	for _, t := range threads[:min(len(threads), maxSeenLines)] {
		sec.Lines = append(sec.Lines, seenLine(t, ev.Target.Workspace, r.Lang))
	}
	at := min(max(r.Lead, 0), len(r.Sections))
	r.Sections = slices.Insert(r.Sections, at, sec)
	r.Lead = at + 1
}

// seenLine says when a thread had what, where, and whether it was fixed.
func seenLine(t *seenThread, guild string, l lang.Tag) string {
	what := strings.Join(t.shared, ", ")
	day := t.At.Format("2006-01-02")
	line := day + ": " + what
	if link := threadLink(t.Seen, guild); link != "" {
		line += " " + link
	}
	if t.Fixed {
		return line + l.Pick(" (marked Fixed it)", " (「解決した」が付いています)")
	}
	return line + l.Pick(" (not marked Fixed it)", " (「解決した」は付いていません)")
}

// threadLink is the address of the thread an answer was posted in; guild
// is the Discord server's id, "" in a direct message.
func threadLink(s memory.Seen, guild string) string {
	switch s.Platform {
	case "slack":
		return "https://slack.com/archives/" + s.Channel + "/p" + strings.ReplaceAll(s.MessageID, ".", "")
	case "discord":
		return "https://discord.com/channels/" + cmp.Or(guild, "@me") + "/" + s.Channel + "/" + s.MessageID
	}
	return ""
}
