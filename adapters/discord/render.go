package discord

import (
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/lang"
)

// Discord's message and embed limits, in characters.
const (
	maxContent     = 2000
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxEmbedTotal  = 6000 // across all embeds of one message
	maxEmbeds      = 10   // per message
	maxThreadName  = 100
	// minField is the least room worth a field: a label and one short item.
	minField = 32
	// maxMessages bounds one answer: a reply and its follow-ups.
	maxMessages = 4
)

// kindColor is the embed colour of a reply kind.
func kindColor(k answer.Kind) int {
	switch k {
	case answer.Diagnosis:
		return 0xd9534f
	case answer.Lookup:
		return 0x5865f2
	case answer.Help:
		return 0x57f287
	}
	return 0x99aab5
}

// message is one Discord message of an answer.
type message struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent // buttons, on the last message
}

// render lays r out as messages within every Discord limit. What does not
// fit is cut with an "and N more" note rather than rejected.
func render(r *answer.Outline) []message {
	if r == nil {
		return nil
	}
	embeds := make([]*discordgo.MessageEmbed, 0, len(r.Sections)+1)
	for i, s := range r.Sections {
		footer := ""
		if i == 0 {
			footer = r.Footer
		}
		embeds = append(embeds, sectionEmbed(s, r.Lang, footer))
	}
	if !r.Details.Empty() {
		e := &discordgo.MessageEmbed{Title: answer.Truncate(r.Details.Label, maxTitle)}
		if len(r.Sections) == 0 && r.Footer != "" {
			e.Footer = &discordgo.MessageEmbedFooter{Text: answer.Truncate(r.Footer, maxFooter)}
		}
		e.Description = cutLines(r.Details.Items, min(maxDescription, maxEmbedTotal-embedLen(e)), r.Lang)
		embeds = append(embeds, e)
	}
	for _, e := range embeds {
		e.Color = kindColor(r.Kind)
	}
	content := answer.Truncate(r.Headline, maxContent)
	if len(embeds) == 0 && r.Footer != "" {
		content = answer.Truncate(strings.TrimSpace(r.Headline+"\n"+r.Footer), maxContent)
	}
	msgs := pack(content, embeds, r.Lang)
	msgs[len(msgs)-1].Components = actionRow(r.Actions)
	return msgs
}

// sectionEmbed renders one explained subject: its lines as the
// description, each list in a field, the footer when given. The
// description gets what the other parts leave of the per-message budget.
func sectionEmbed(s answer.Section, l lang.Tag, footer string) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Title: answer.Truncate(s.Title, maxTitle)}
	if footer != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: answer.Truncate(footer, maxFooter)}
	}
	for _, list := range s.Lists[:min(len(s.Lists), maxFields)] {
		name := answer.Truncate(list.Label, maxFieldName)
		room := min(maxFieldValue, maxEmbedTotal-embedLen(e)-utf8.RuneCountInString(name))
		if name == "" || room < minField {
			break // what is left of the budget would show nothing useful
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: cutLines(list.Lines(), room, l)})
	}
	if room := min(maxDescription, maxEmbedTotal-embedLen(e)); room > 0 {
		e.Description = cutLines(s.Lines, room, l)
	}
	if e.Title == "" && e.Description == "" && len(e.Fields) == 0 {
		e.Description = "-" // Discord rejects an empty embed
	}
	return e
}

// pack puts embeds into messages of at most maxEmbeds embeds and
// maxEmbedTotal characters, the headline as the first message's content.
// Embeds past maxMessages messages are dropped and counted in a note.
func pack(content string, embeds []*discordgo.MessageEmbed, l lang.Tag) []message {
	msgs := []message{{Content: content}}
	size := 0
	for i, e := range embeds {
		cur := &msgs[len(msgs)-1]
		n := embedLen(e)
		if len(cur.Embeds) == maxEmbeds || (len(cur.Embeds) > 0 && size+n > maxEmbedTotal) {
			if len(msgs) == maxMessages {
				note := answer.More(len(embeds)-i, l)
				cur.Content = answer.Truncate(cur.Content, maxContent-utf8.RuneCountInString(note)-1)
				cur.Content = strings.TrimSpace(cur.Content + "\n" + note)
				break
			}
			msgs = append(msgs, message{})
			cur, size = &msgs[len(msgs)-1], 0
		}
		cur.Embeds = append(cur.Embeds, e)
		size += n
	}
	if msgs[0].Content == "" && len(msgs[0].Embeds) == 0 {
		msgs[0].Content = "-"
	}
	return msgs
}

// embedLen counts what Discord counts toward the 6000-character budget.
func embedLen(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	if e.Author != nil {
		n += utf8.RuneCountInString(e.Author.Name)
	}
	return n
}

// cutLines joins lines within limit characters, what does not fit
// replaced by an "and N more" line (answer.Cut).
func cutLines(lines []string, limit int, l lang.Tag) string {
	return strings.Join(answer.Cut(lines, 0, limit, l), "\n")
}

// threadName names a thread after the headline's first line.
func threadName(headline string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(headline), "\n")
	if line = strings.TrimSpace(line); line == "" {
		line = "vssbot"
	}
	return answer.Truncate(line, maxThreadName)
}
