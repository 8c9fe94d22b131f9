package slack

import (
	"strings"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackutilsx"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/lang"
)

// Slack's Block Kit limits. A message over them is refused whole
// (invalid_blocks, msg_blocks_too_long), so every message is laid out within
// a budget before it is sent; budget is the one place that knows them.
const (
	maxBlocks      = 50
	maxHeaderChars = 150
	maxTextChars   = 3000 // a section's or a context element's text
	// maxBlockText bounds the text of all blocks of one message, as
	// blockChars counts it: Slack refuses a message whose blocks hold more
	// than 11,000 or so characters with msg_blocks_too_long (11,341 has
	// been seen refused), and its own count takes in more than the text
	// we measure, so the budget keeps a margin below it.
	maxBlockText = 10000
	// maxFallbackChars bounds the plain text fallback (notifications, clients
	// without Block Kit); Slack advises 4000 for the text field.
	maxFallbackChars = 3000
	// maxMessages bounds one answer: the first screen and what follows it
	// in the thread.
	maxMessages = 5
)

// budget is what one message may hold.
type budget struct {
	blocks int // blocks per message
	text   int // characters of block text per message
	block  int // characters of one section's or context's text
}

// full is the budget of an answer; small the one of the retry after Slack
// refused a message anyway.
func full() budget  { return budget{blocks: maxBlocks, text: maxBlockText, block: maxTextChars} }
func small() budget { return budget{blocks: 20, text: 4000, block: 1200} }

// message is one Slack message: Block Kit blocks and the plain text fallback
// that notifications and screen readers use.
type message struct {
	Text   string
	Blocks []slackapi.Block
}

func (m message) empty() bool { return len(m.Blocks) == 0 }

// unit is a block and the characters of text it holds.
type unit struct {
	block slackapi.Block
	text  int
}

// render lays r out as messages within the full budget for a thread: the
// first screen (headline, what failed, what to do first, the buttons, the
// team's notes) opens the first message, everything else follows it, in
// further messages when it does not fit.
func render(r *answer.Outline) []message { return renderIn(r, full(), false) }

// renderSplit is render with the rest never in the first message: a slash
// command's first message goes to the channel, the rest to its thread.
func renderSplit(r *answer.Outline) []message { return renderIn(r, full(), true) }

func renderIn(r *answer.Outline, b budget, split bool) []message {
	first, rest := r.First()
	var head []unit
	if r.Headline != "" {
		head = append(head, headlineUnit(r.Headline, b))
	}
	var lead []unit
	for i, s := range first {
		lead = append(lead, sectionUnit(s, r.Lang, b))
		if i == 0 && len(r.Actions) > 0 {
			lead = append(lead, measured(actionsBlock(r.Actions, "")))
		}
	}
	var tail []unit
	for _, s := range rest {
		tail = append(tail, measured(slackapi.NewDividerBlock()), sectionUnit(s, r.Lang, b))
	}
	if !r.Details.Empty() {
		tail = append(tail, evidenceUnits(r.Details, r.Lang, b)...)
	}
	if u, ok := referencesUnit(r, b); ok {
		tail = append(tail, u)
	}
	if r.Footer != "" {
		tail = append(tail, contextUnit(escape(r.Footer), b))
	}
	if len(first) == 0 && len(r.Actions) > 0 {
		// No first screen (a notice, a lookup of nothing): the buttons
		// close the answer.
		tail = append(tail, measured(actionsBlock(r.Actions, "")))
	}
	msgs := pack(append(head, lead...), tail, b, split, r.Lang)
	for i := range msgs {
		msgs[i].Text = fallback(r, msgs[i], i == 0)
	}
	return msgs
}

// pack puts the first screen in the first message and the rest after it,
// in a message of its own when split, each message within b. Units past
// maxMessages are counted in a notice.
func pack(first, rest []unit, b budget, split bool, l lang.Tag) []message {
	var msgs []message
	blocks, text := 0, 0
	add := func(u unit) bool {
		if len(msgs) == 0 || blocks+1 > b.blocks || text+u.text > b.text {
			if len(msgs) == maxMessages {
				return false
			}
			msgs = append(msgs, message{})
			blocks, text = 0, 0
		}
		m := &msgs[len(msgs)-1]
		m.Blocks = append(m.Blocks, u.block)
		blocks, text = blocks+1, text+u.text
		return true
	}
	for _, u := range first {
		add(u) // the first screen is a few blocks well within any budget
	}
	if split && len(msgs) > 0 && len(rest) > 0 {
		blocks = b.blocks // the rest starts a message of its own: the thread
	}
	for i, u := range rest {
		if _, divider := u.block.(*slackapi.DividerBlock); divider && blocks == 0 {
			continue // a message does not open with a divider
		}
		if !add(u) {
			m := &msgs[len(msgs)-1]
			note := contextUnit(escape(answer.More(len(rest)-i, l)), b)
			// Blocks give way to the notice until it fits the message.
			for len(m.Blocks) > 1 && (len(m.Blocks) == b.blocks || text+note.text > b.text) {
				last := m.Blocks[len(m.Blocks)-1]
				m.Blocks = m.Blocks[:len(m.Blocks)-1]
				text -= blockChars(last)
				i--
				note = contextUnit(escape(answer.More(len(rest)-i, l)), b)
			}
			m.Blocks = append(m.Blocks, note.block)
			break
		}
	}
	if len(msgs) == 0 {
		msgs = append(msgs, message{})
	}
	return msgs
}

func headlineUnit(h string, b budget) unit {
	if n := utf8.RuneCountInString(h); n <= maxHeaderChars {
		return measured(slackapi.NewHeaderBlock(slackapi.NewTextBlockObject(slackapi.PlainTextType, h, false, false)))
	}
	return textUnit(answer.Truncate("*"+escape(h)+"*", b.block))
}

// sectionUnit is one explained subject: its title, lines and lists. When
// they do not fit one block the numbered lists are kept and the rest is
// cut: the workaround is what the reader came for.
func sectionUnit(s answer.Section, l lang.Tag, b budget) unit {
	parts := make([][]string, 0, len(s.Lists)+1)
	parts = append(parts, escapeLines(s.Lines))
	for _, list := range s.Lists {
		parts = append(parts, append([]string{"*" + escape(list.Label) + "*"}, escapeLines(list.Lines())...))
	}
	var all []string
	room := b.block
	if s.Title != "" {
		title := "*" + escape(s.Title) + "*"
		all = append(all, title)
		room -= utf8.RuneCountInString(title)
	}
	// One newline joins each part to the one before.
	for i, list := range s.Lists {
		if list.Numbered {
			room -= 1 + joinedLen(parts[i+1])
		}
	}
	for i, p := range parts {
		if i > 0 && s.Lists[i-1].Numbered {
			all = append(all, p...)
			continue
		}
		if len(p) == 0 || room <= 1 {
			continue
		}
		kept := answer.Cut(p, 0, room-1, l)
		room -= 1 + joinedLen(kept)
		all = append(all, kept...)
	}
	if len(all) == 0 {
		all = []string{"-"} // Slack refuses an empty text
	}
	return textUnit(strings.Join(answer.Cut(all, 0, b.block, l), "\n"))
}

// evidenceUnits lays the evidence out in context blocks: the label, then
// the items, each block within the budget; the cut says how many more.
func evidenceUnits(d answer.List, l lang.Tag, b budget) []unit {
	lines := append([]string{"*" + escape(d.Label) + "*"}, escapeLines(d.Lines())...)
	return []unit{contextUnit(strings.Join(answer.Cut(lines, 0, b.block, l), "\n"), b)}
}

// referencesUnit shows the references as titled links, <url|title>.
func referencesUnit(r *answer.Outline, b budget) (unit, bool) {
	if len(r.References) == 0 {
		return unit{}, false
	}
	links := make([]string, 0, len(r.References))
	for _, ref := range r.References {
		links = append(links, "<"+linkURL(ref.URL)+"|"+escape(strings.ReplaceAll(ref.Title, "|", "¦"))+">")
	}
	return contextUnit(answer.Truncate(escape(r.Lang.Pick("References: ", "参考: "))+strings.Join(links, " · "), b.block), b), true
}

// linkURL keeps a link's address from ending the link early.
func linkURL(u string) string {
	return strings.NewReplacer("|", "%7C", ">", "%3E", "<", "%3C", " ", "%20").Replace(u)
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

// mrkdwn is a Markdown text object with verbatim set, so that Slack does
// not turn names and channel words in it into mentions or links.
func mrkdwn(text string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.MarkdownType, text, false, true)
}

// measured is b with the characters Slack counts against a message's
// block text.
func measured(b slackapi.Block) unit { return unit{block: b, text: blockChars(b)} }

// blockChars counts the text of b as Slack counts it toward
// msg_blocks_too_long: every text a reader sees, a header's, a section's
// and its fields', a context's elements', the buttons' labels.
func blockChars(b slackapi.Block) int {
	n := 0
	text := func(t *slackapi.TextBlockObject) {
		if t != nil {
			n += utf8.RuneCountInString(t.Text)
		}
	}
	switch v := b.(type) {
	case *slackapi.HeaderBlock:
		text(v.Text)
	case *slackapi.SectionBlock:
		text(v.Text)
		for _, f := range v.Fields {
			text(f)
		}
	case *slackapi.ContextBlock:
		for _, e := range v.ContextElements.Elements {
			if t, ok := e.(*slackapi.TextBlockObject); ok {
				text(t)
			}
		}
	case *slackapi.ActionBlock:
		for _, e := range v.Elements.ElementSet {
			if btn, ok := e.(*slackapi.ButtonBlockElement); ok {
				text(btn.Text)
			}
		}
	}
	return n
}

func textUnit(text string) unit {
	return measured(slackapi.NewSectionBlock(mrkdwn(text), nil, nil))
}

func contextUnit(text string, b budget) unit {
	text = answer.Truncate(text, b.block)
	return measured(slackapi.NewContextBlock("", mrkdwn(text)))
}

// shrink is the smaller rendering of a message Slack refused: every text
// cut to the small budget, as many blocks as it allows, a notice saying
// what was left out.
func shrink(m message, l lang.Tag) message {
	b := small()
	out := message{Text: answer.Truncate(m.Text, b.block)}
	text := 0
	for i, blk := range m.Blocks {
		u := measured(blk)
		switch v := blk.(type) {
		case *slackapi.SectionBlock:
			if v.Text != nil {
				u = textUnit(answer.Truncate(v.Text.Text, b.block))
			}
		case *slackapi.ContextBlock:
			if t, ok := firstText(v); ok {
				u = contextUnit(t, b)
			}
		}
		if len(out.Blocks)+2 > b.blocks || text+u.text > b.text-100 {
			out.Blocks = append(out.Blocks, contextUnit(escape(answer.More(len(m.Blocks)-i, l)), b).block)
			break
		}
		out.Blocks = append(out.Blocks, u.block)
		text += u.text
	}
	return out
}

func firstText(c *slackapi.ContextBlock) (string, bool) {
	for _, e := range c.ContextElements.Elements {
		if t, ok := e.(*slackapi.TextBlockObject); ok {
			return t.Text, true
		}
	}
	return "", false
}

// fallback is the plain text summary that notifications show: for the
// first message the headline and the first screen's lines, for the others
// their first section's title.
func fallback(r *answer.Outline, m message, first bool) string {
	var lines []string
	if first {
		if r.Headline != "" {
			lines = append(lines, r.Headline)
		}
		lead, _ := r.First()
		for _, s := range lead {
			lines = append(lines, s.Lines...)
		}
	}
	if len(lines) == 0 {
		for _, b := range m.Blocks {
			if s, ok := b.(*slackapi.SectionBlock); ok && s.Text != nil {
				line, _, _ := strings.Cut(s.Text.Text, "\n")
				lines = append(lines, strings.Trim(unescape(line), "*"))
				break
			}
		}
	}
	if len(lines) == 0 {
		lines = append(lines, r.Details.Items...)
	}
	if len(lines) == 0 {
		lines = append(lines, cmpOr(r.Footer, "vssbot"))
	}
	return strings.Join(answer.Cut(escapeLines(lines), 0, maxFallbackChars, r.Lang), "\n")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// escape protects &, < and >, which mrkdwn reserves: text from logs
// ("<Unknown error code>") would otherwise be read as a link or dropped.
// The answer's own mentions (a note's author) become Slack's <@U1>.
func escape(s string) string {
	return answer.Mentions(slackutilsx.EscapeMessage(s), func(id string) string { return "<@" + id + ">" })
}

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
