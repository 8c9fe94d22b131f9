package slack

import (
	"strings"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackutilsx"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/lang"
)

// Slack's Block Kit limits. A message over them is rejected whole
// (invalid_blocks), so every reply is cut to fit before it is sent.
const (
	maxBlocks      = 50
	maxHeaderChars = 150
	maxTextChars   = 3000 // a section's or a context element's text
	// maxFallbackChars bounds the plain text fallback (notifications, clients
	// without Block Kit); Slack advises 4000 for the text field.
	maxFallbackChars = 3000
)

// message is one Slack message: Block Kit blocks and the plain text fallback
// that notifications and screen readers use.
type message struct {
	Text   string
	Blocks []slackapi.Block
}

func (m message) empty() bool { return len(m.Blocks) == 0 }

// render lays the whole reply out as one message: headline, one section per
// diagnosed code, the details and the footer.
func render(r *answer.Outline) message {
	return layout(r, r.Sections, true)
}

// renderSplit lays out a slash command's answer in two messages: the
// headline with the first section goes to the channel, everything else to a
// thread under it, because a slash command cannot be answered in a thread.
func renderSplit(r *answer.Outline) (head, rest message) {
	if len(r.Sections) == 0 {
		return render(r), message{}
	}
	if len(r.Sections) == 1 && r.Details.Empty() && r.Footer == "" {
		// Nothing for a thread: the buttons go under the headline.
		return layout(r, r.Sections, true), message{}
	}
	head = layout(r, r.Sections[:1], false)
	rest = layout(&answer.Outline{Lang: r.Lang, Details: r.Details, Footer: r.Footer, Actions: r.Actions}, r.Sections[1:], true)
	return head, rest
}

// layout builds the blocks of r's headline (when set), the given sections
// and, with withTail, the details and the footer, within maxBlocks.
func layout(r *answer.Outline, sections []answer.Section, withTail bool) message {
	var tail []slackapi.Block
	if withTail && !r.Details.Empty() {
		lines := append([]string{"*" + escape(r.Details.Label) + "*"}, escapeLines(r.Details.Items)...)
		tail = append(tail, contextBlock(strings.Join(answer.Cut(lines, 0, maxTextChars, r.Lang), "\n")))
	}
	if withTail && r.Footer != "" {
		tail = append(tail, contextBlock(answer.Truncate(escape(r.Footer), maxTextChars)))
	}
	if withTail && len(r.Actions) > 0 {
		tail = append(tail, actionsBlock(r.Actions, ""))
	}
	var blocks []slackapi.Block
	if r.Headline != "" {
		blocks = append(blocks, headlineBlock(r.Headline))
	}
	sections, notice := fitSections(sections, maxBlocks-len(blocks)-len(tail), r.Lang)
	for _, s := range sections {
		if len(blocks) > 0 {
			blocks = append(blocks, slackapi.NewDividerBlock())
		}
		blocks = append(blocks, sectionBlock(s, r))
	}
	if notice != "" {
		blocks = append(blocks, contextBlock(escape(notice)))
	}
	blocks = append(blocks, tail...)
	return message{Text: fallback(r, sections), Blocks: blocks}
}

// fitSections keeps the sections that fit in room blocks, a divider and a
// section each; the others are counted in a notice worded by answer.Cut in the
// reply's language.
func fitSections(sections []answer.Section, room int, l lang.Tag) ([]answer.Section, string) {
	if 2*len(sections) <= room {
		return sections, ""
	}
	titles := make([]string, len(sections))
	for i, s := range sections {
		titles[i] = s.Title
	}
	kept := answer.Cut(titles, (room-1)/2+1, 0, l)
	return sections[:len(kept)-1], kept[len(kept)-1]
}

// headlineBlock is a header when the headline fits one, else a bold section
// so that nothing of it is lost.
func headlineBlock(h string) slackapi.Block {
	if utf8.RuneCountInString(h) <= maxHeaderChars {
		return slackapi.NewHeaderBlock(slackapi.NewTextBlockObject(slackapi.PlainTextType, h, false, false))
	}
	return textSection(answer.Truncate("*"+escape(h)+"*", maxTextChars))
}

// sectionBlock is one explained subject: its title, lines and lists. When
// they do not fit one block the numbered lists are kept and the rest is
// cut: the workaround is what the reader came for.
func sectionBlock(s answer.Section, r *answer.Outline) slackapi.Block {
	parts := make([][]string, 0, len(s.Lists)+1)
	parts = append(parts, escapeLines(s.Lines))
	for _, l := range s.Lists {
		parts = append(parts, append([]string{"*" + escape(l.Label) + "*"}, escapeLines(l.Lines())...))
	}
	title := "*" + escape(s.Title) + "*"
	// One newline joins each part to the one before.
	room := maxTextChars - utf8.RuneCountInString(title)
	for i, l := range s.Lists {
		if l.Numbered {
			room -= 1 + joinedLen(parts[i+1])
		}
	}
	all := []string{title}
	for i, p := range parts {
		if i > 0 && s.Lists[i-1].Numbered {
			all = append(all, p...)
			continue
		}
		if len(p) == 0 || room <= 1 {
			continue
		}
		kept := answer.Cut(p, 0, room-1, r.Lang)
		room -= 1 + joinedLen(kept)
		all = append(all, kept...)
	}
	return textSection(strings.Join(answer.Cut(all, 0, maxTextChars, r.Lang), "\n"))
}

func joinedLen(lines []string) int {
	n := 0
	for i, l := range lines {
		if i > 0 {
			n++
		}
		n += utf8.RuneCountInString(l)
	}
	return n
}

func textSection(text string) slackapi.Block {
	return slackapi.NewSectionBlock(slackapi.NewTextBlockObject(slackapi.MarkdownType, text, false, false), nil, nil)
}

func contextBlock(text string) slackapi.Block {
	return slackapi.NewContextBlock("", slackapi.NewTextBlockObject(slackapi.MarkdownType, text, false, false))
}

// fallback is the plain text summary that notifications show: the headline
// and the sections' titles, cut to fit.
func fallback(r *answer.Outline, sections []answer.Section) string {
	var lines []string
	if r.Headline != "" {
		lines = append(lines, r.Headline)
	}
	for _, s := range sections {
		lines = append(lines, s.Title)
	}
	if len(lines) == 0 {
		lines = append(lines, r.Details.Items...)
	}
	if len(lines) == 0 && r.Footer != "" {
		lines = append(lines, r.Footer)
	}
	return strings.Join(answer.Cut(escapeLines(lines), 0, maxFallbackChars, r.Lang), "\n")
}

// escape protects &, < and >, which mrkdwn reserves: text from logs
// ("<Unknown error code>") would otherwise be read as a link or dropped.
func escape(s string) string { return slackutilsx.EscapeMessage(s) }

func escapeLines(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = escape(l)
	}
	return out
}

// unescaper undoes Slack's escaping of message text, so the parser sees the
// log as it was pasted.
var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

func unescape(s string) string { return unescaper.Replace(s) }
