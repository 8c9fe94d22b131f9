package discordtest

import "strings"

// Sent is the JSON body of a message a bot sends: a create, an edit, a
// follow-up or a thread start, as far as the fake, the tests and the
// answer pictures read it. Content is nil when the body leaves it out,
// which an edit reads as "keep the old one".
type Sent struct {
	Content    *string     `json:"content"`
	Embeds     []Embed     `json:"embeds"`
	Components []ActionRow `json:"components"`
	Reference  *struct {
		MessageID string `json:"message_id"`
		ChannelID string `json:"channel_id"`
	} `json:"message_reference"`
	Name string `json:"name"` // a thread start's
}

// Embed is one embed of a Sent message.
type Embed struct {
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Color       int     `json:"color"`
	Fields      []Field `json:"fields"`
	Footer      *struct {
		Text string `json:"text"`
	} `json:"footer"`
	Author *struct {
		Name string `json:"name"`
	} `json:"author"`
}

// Field is an embed's field.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ActionRow holds a message's buttons.
type ActionRow struct {
	Components []struct {
		Label    string `json:"label"`
		Style    int    `json:"style"`
		CustomID string `json:"custom_id"`
	} `json:"components"`
}

// Text is everything a person would read in the message: its content,
// then each embed's title, description and fields.
func (m Sent) Text() string {
	var b strings.Builder
	if m.Content != nil {
		b.WriteString(*m.Content)
	}
	for _, e := range m.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + "\n" + f.Value)
		}
	}
	return b.String()
}
