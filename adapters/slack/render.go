package slack

import (
	"strconv"
	"strings"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackutilsx"

	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/knowledge"
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
func render(r *bot.Reply) message {
	return layout(r, r.Sections, true)
}

// renderSplit lays out a slash command's answer in two messages: the
// headline with the first section goes to the channel, everything else to a
// thread under it, because a slash command cannot be answered in a thread.
func renderSplit(r *bot.Reply) (head, rest message) {
	if len(r.Sections) == 0 {
		return render(r), message{}
	}
	head = layout(r, r.Sections[:1], false)
	if len(r.Sections) > 1 || len(r.Details) > 0 || r.Footer != "" {
		rest = layout(&bot.Reply{Lang: r.Lang, Details: r.Details, Footer: r.Footer}, r.Sections[1:], true)
	}
	return head, rest
}

// layout builds the blocks of r's headline (when set), the given sections
// and, with withTail, the details and the footer, within maxBlocks.
func layout(r *bot.Reply, sections []bot.Section, withTail bool) message {
	var tail []slackapi.Block
	if withTail && len(r.Details) > 0 {
		tail = append(tail, contextBlock(strings.Join(bot.Cut(escapeLines(r.Details), 0, maxTextChars, r.Lang), "\n")))
	}
	if withTail && r.Footer != "" {
		tail = append(tail, contextBlock(bot.Truncate(escape(r.Footer), maxTextChars)))
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
// section each; the others are counted in a notice worded by bot.Cut in the
// reply's language.
func fitSections(sections []bot.Section, room int, lang knowledge.Lang) ([]bot.Section, string) {
	if 2*len(sections) <= room {
		return sections, ""
	}
	titles := make([]string, len(sections))
	for i, s := range sections {
		titles[i] = s.Title
	}
	kept := bot.Cut(titles, (room-1)/2+1, 0, lang)
	return sections[:len(kept)-1], kept[len(kept)-1]
}

// headlineBlock is a header when the headline fits one, else a bold section
// so that nothing of it is lost.
func headlineBlock(h string) slackapi.Block {
	if utf8.RuneCountInString(h) <= maxHeaderChars {
		return slackapi.NewHeaderBlock(slackapi.NewTextBlockObject(slackapi.PlainTextType, h, false, false))
	}
	return textSection(bot.Truncate("*"+escape(h)+"*", maxTextChars))
}

// sectionBlock is one diagnosed code: its title, lines and numbered steps.
// When they do not fit one block the lines are cut, not the steps: the
// workaround is what the reader came for.
func sectionBlock(s bot.Section, r *bot.Reply) slackapi.Block {
	title := "*" + escape(s.Title) + "*"
	steps := make([]string, len(s.Steps))
	for i, step := range s.Steps {
		steps[i] = strconv.Itoa(i+1) + ". " + escape(step)
	}
	// Two newlines join the three parts.
	room := maxTextChars - utf8.RuneCountInString(title) - utf8.RuneCountInString(strings.Join(steps, "\n")) - 2
	var lines []string
	if room > 0 {
		lines = bot.Cut(escapeLines(s.Lines), 0, room, r.Lang)
	}
	all := append(append([]string{title}, lines...), steps...)
	return textSection(strings.Join(bot.Cut(all, 0, maxTextChars, r.Lang), "\n"))
}

func textSection(text string) slackapi.Block {
	return slackapi.NewSectionBlock(slackapi.NewTextBlockObject(slackapi.MarkdownType, text, false, false), nil, nil)
}

func contextBlock(text string) slackapi.Block {
	return slackapi.NewContextBlock("", slackapi.NewTextBlockObject(slackapi.MarkdownType, text, false, false))
}

// fallback is the plain text summary that notifications show: the headline
// and the sections' titles, cut to fit.
func fallback(r *bot.Reply, sections []bot.Section) string {
	var lines []string
	if r.Headline != "" {
		lines = append(lines, r.Headline)
	}
	for _, s := range sections {
		lines = append(lines, s.Title)
	}
	if len(lines) == 0 {
		lines = append(lines, r.Details...)
	}
	if len(lines) == 0 && r.Footer != "" {
		lines = append(lines, r.Footer)
	}
	return strings.Join(bot.Cut(escapeLines(lines), 0, maxFallbackChars, r.Lang), "\n")
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
