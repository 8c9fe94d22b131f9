package bot

import (
	"context"
	"strings"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/memory"
)

// addSeenBefore adds to the first screen the last time this workspace had
// the answer's first code, with a link to that thread and whether it was
// marked Fixed it. A memory that fails leaves the answer as it is.
func (e *Engine) addSeenBefore(ctx context.Context, ev Event, rep *knowledge.Report, r *answer.Outline) {
	mem := e.opts.Memory
	if mem == nil || rep == nil || ev.Target.Platform == "" {
		return
	}
	for _, d := range rep.Diagnoses {
		if d.Code == "" || d.Kind == "writer" || d.Kind == "writer_state" {
			continue
		}
		s, found, err := mem.LastSeen(ctx, ev.Target.Platform, ev.Target.Workspace, memory.KindCode, d.Code, e.now())
		if err != nil {
			e.log.Warn("seen before not read", "platform", ev.Target.Platform, "err", err)
			return
		}
		if found {
			at := min(max(r.Lead, 0), len(r.Sections))
			r.Sections = append(r.Sections[:at], append([]answer.Section{seenSection(d.Code, s, r.Lang)}, r.Sections[at:]...)...)
			r.Lead = at + 1
		}
		return // the first code the answer explains
	}
}

// seenSection says when and where a code was seen before.
func seenSection(code string, s memory.Seen, l lang.Tag) answer.Section {
	line := l.Pick("Last time "+code+" came up here: "+s.At.Format("2006-01-02"), "前回この場で "+code+" が出たのは "+s.At.Format("2006-01-02"))
	if link := threadLink(s); link != "" {
		line += " " + link
	}
	if s.Fixed {
		line += l.Pick(" (marked Fixed it)", " (「解決した」が付いています)")
	} else {
		line += l.Pick(" (not marked Fixed it)", " (「解決した」は付いていません)")
	}
	return answer.Section{Title: l.Pick("Seen before", "過去の事例"), Lines: []string{line}}
}

// threadLink is the address of the thread an answer was posted in.
func threadLink(s memory.Seen) string {
	switch s.Platform {
	case "slack":
		return "https://slack.com/archives/" + s.Channel + "/p" + strings.ReplaceAll(s.MessageID, ".", "")
	case "discord":
		guild := s.Workspace
		if guild == "" {
			guild = "@me"
		}
		return "https://discord.com/channels/" + guild + "/" + s.Channel + "/" + s.MessageID
	}
	return ""
}
