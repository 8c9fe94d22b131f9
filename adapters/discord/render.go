package discord

import (
	"strings"
	"unicode"
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

// Embed colours by weight: a failure, a warning, information.
const (
	colorFailure = 0xd9534f
	colorWarning = 0xf0ad4e
	colorInfo    = 0x5865f2
	colorHelp    = 0x57f287
)

// weightColor is the colour of a section of a reply of kind k.
func weightColor(w answer.Weight, k answer.Kind) int {
	switch {
	case k == answer.Help:
		return colorHelp
	case w == answer.WeightFailure:
		return colorFailure
	case w == answer.WeightWarning:
		return colorWarning
	}
	return colorInfo
}

// message is one Discord message of an answer.
type message struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent // buttons, on the first message
}

// render lays r out as messages within every Discord limit: the first
// screen (headline, what failed and what to do first, the buttons, the
// team's notes) in the first message; the rest, with the evidence and the
// references, in the messages after it. What does not fit is cut with an
// "and N more" note after what it counts, rather than refused.
func render(r *answer.Outline) []message {
	if r == nil {
		return nil
	}
	first, rest := r.First()
	lead := make([]*discordgo.MessageEmbed, 0, len(first))
	for _, s := range first {
		lead = append(lead, sectionEmbed(s, r, ""))
	}
	embeds := make([]*discordgo.MessageEmbed, 0, len(rest)+2)
	for _, s := range rest {
		embeds = append(embeds, sectionEmbed(s, r, ""))
	}
	if !r.Details.Empty() {
		e := &discordgo.MessageEmbed{Title: answer.Truncate(md(r.Details.Label), maxTitle), Color: colorInfo}
		e.Description = cutLines(mdLines(r.Details.Lines()), maxDescription, r.Lang)
		embeds = append(embeds, e)
	}
	if e := tailEmbed(r); e != nil {
		embeds = append(embeds, e)
	}
	content := answer.Truncate(md(r.Headline), maxContent)
	if len(first) == 0 && len(rest) == 0 && r.Details.Empty() && r.Footer != "" && len(r.References) == 0 {
		content = answer.Truncate(strings.TrimSpace(md(r.Headline)+"\n"+md(r.Footer)), maxContent)
		embeds = embeds[:0]
	}
	msgs := pack(content, lead, embeds, r.Lang)
	msgs[0].Components = actionRow(r.Actions)
	return msgs
}

// tailEmbed holds the references, as titled links, and the footer. Links
// are in the description: Discord does not make links in a footer
// clickable.
func tailEmbed(r *answer.Outline) *discordgo.MessageEmbed {
	if len(r.References) == 0 && (r.Footer == "" || r.Footer == "vssbot") {
		return nil
	}
	e := &discordgo.MessageEmbed{Color: colorInfo}
	if len(r.References) > 0 {
		e.Title = r.Lang.Pick("References", "参考")
		links := make([]string, 0, len(r.References))
		for _, ref := range r.References {
			links = append(links, "• ["+answer.Truncate(md(ref.Title), 200)+"]("+linkURL(ref.URL)+")")
		}
		e.Description = cutLines(links, maxDescription, r.Lang)
	}
	if r.Footer != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: answer.Truncate(r.Footer, maxFooter)}
	}
	return e
}

// linkURL keeps a link's address inside its parentheses.
func linkURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E").Replace(u)
}

// md escapes Discord Markdown in s, so that text from users and logs
// ("[Microsoft KB fix](https://evil.example/p.ps1)", "**", "# big",
// "@everyone", "<@123>") is shown as written: emphasis, strike, spoilers,
// masked links, mentions anywhere; headings, quotes and lists at the start
// of a line; an underscore only where it could start or end emphasis, so
// VSS_E_WRITERERROR_TIMEOUT stays as it is. Backticks are kept: the
// knowledge base writes commands in them, and a code span holds no link.
// The answer's own mentions become <@id> afterwards.
func md(s string) string {
	var b strings.Builder
	rs := []rune(s)
	lineStart := true
	for i, r := range rs {
		escape := false
		switch {
		case strings.ContainsRune("\\*~|[]<@", r):
			escape = true
		case r == '_':
			escape = i == 0 || i == len(rs)-1 || !isWord(rs[i-1]) || !isWord(rs[i+1])
		case lineStart && strings.ContainsRune("#>-+", r):
			escape = true
		}
		if escape {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		switch {
		case r == '\n':
			lineStart = true
		case r != ' ' && r != '\t':
			lineStart = false
		}
	}
	return answer.Mentions(b.String(), func(id string) string { return "<@" + id + ">" })
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// mdLines escapes lines, except those of a fenced code block (a line
// "```" opens and closes one): Discord reads nothing in it, and a backslash
// there would show.
func mdLines(lines []string) []string {
	out := make([]string, len(lines))
	fenced := false
	for i, l := range lines {
		switch {
		case l == "```":
			fenced = !fenced
			out[i] = l
		case fenced:
			out[i] = strings.ReplaceAll(l, "```", "'''")
		default:
			out[i] = md(l)
		}
	}
	return out
}

// sectionEmbed renders one explained subject: its lines as the
// description, each list in a field, coloured by its weight. The
// description gets what the other parts leave of the per-message budget.
func sectionEmbed(s answer.Section, r *answer.Outline, footer string) *discordgo.MessageEmbed {
	l := r.Lang
	e := &discordgo.MessageEmbed{Title: answer.Truncate(md(s.Title), maxTitle), Color: weightColor(s.Weight, r.Kind)}
	if footer != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: answer.Truncate(footer, maxFooter)}
	}
	for _, list := range s.Lists[:min(len(s.Lists), maxFields)] {
		name := answer.Truncate(md(list.Label), maxFieldName)
		room := min(maxFieldValue, maxEmbedTotal-embedLen(e)-utf8.RuneCountInString(name))
		if name == "" || room < minField {
			break // what is left of the budget would show nothing useful
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: cutLines(mdLines(list.Lines()), room, l)})
	}
	if room := min(maxDescription, maxEmbedTotal-embedLen(e)); room > 0 {
		e.Description = cutLines(mdLines(s.Lines), room, l)
	}
	if e.Title == "" && e.Description == "" && len(e.Fields) == 0 {
		e.Description = "-" // Discord rejects an empty embed
	}
	return e
}

// pack puts the first screen's embeds in the first message, with the
// headline as its content, and the other embeds in messages after it, each
// of at most maxEmbeds embeds and maxEmbedTotal characters. Embeds past
// maxMessages messages are dropped and counted in a last embed, after the
// ones shown.
func pack(content string, lead, embeds []*discordgo.MessageEmbed, l lang.Tag) []message {
	msgs := []message{{Content: content}}
	size := 0
	add := func(e *discordgo.MessageEmbed, newMessage bool) bool {
		cur := &msgs[len(msgs)-1]
		n := embedLen(e)
		if newMessage || len(cur.Embeds) == maxEmbeds || (len(cur.Embeds) > 0 && size+n > maxEmbedTotal) {
			if len(msgs) == maxMessages {
				return false
			}
			msgs = append(msgs, message{})
			cur, size = &msgs[len(msgs)-1], 0
		}
		cur.Embeds = append(cur.Embeds, e)
		size += n
		return true
	}
	for _, e := range lead {
		add(e, false)
	}
	for i, e := range embeds {
		// The buttons sit under the first screen: what follows goes in
		// messages of its own.
		if !add(e, i == 0 && len(lead) > 0) {
			moreNote(&msgs[len(msgs)-1], len(embeds)-i, l)
			break
		}
	}
	if msgs[0].Content == "" && len(msgs[0].Embeds) == 0 {
		msgs[0].Content = "-"
	}
	return msgs
}

// moreNote ends m with an embed saying how many embeds were left out,
// making room for it when m is full.
func moreNote(m *message, n int, l lang.Tag) {
	note := &discordgo.MessageEmbed{Description: answer.More(n, l), Color: colorInfo}
	total := 0
	for _, e := range m.Embeds {
		total += embedLen(e)
	}
	for len(m.Embeds) > 0 && (len(m.Embeds) == maxEmbeds || total+embedLen(note) > maxEmbedTotal) {
		total -= embedLen(m.Embeds[len(m.Embeds)-1])
		m.Embeds = m.Embeds[:len(m.Embeds)-1]
		n++
		note.Description = answer.More(n, l)
	}
	m.Embeds = append(m.Embeds, note)
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
