package discordtest

import (
	"encoding/json"
	"unicode/utf8"
)

// Discord's limits on a message, as the platform enforces them: a message
// over one is refused with 400 and code 50035 (Invalid Form Body).
const (
	MaxContent     = 2000
	MaxEmbeds      = 10
	MaxTitle       = 256
	MaxDescription = 4096
	MaxFields      = 25
	MaxFieldName   = 256
	MaxFieldValue  = 1024
	MaxFooter      = 2048
	MaxAuthor      = 256
	MaxEmbedTotal  = 6000 // all embeds of one message
)

// CheckMessage reports whether Discord would take a message body (a
// create or an edit): "" when it would, else why not.
func CheckMessage(body []byte) string {
	var m Sent
	if err := json.Unmarshal(body, &m); err != nil {
		return "invalid JSON"
	}
	if m.Content != nil && utf8.RuneCountInString(*m.Content) > MaxContent {
		return "content over 2000"
	}
	if len(m.Embeds) > MaxEmbeds {
		return "more than 10 embeds"
	}
	total := 0
	for _, e := range m.Embeds {
		n := func(s string) int { return utf8.RuneCountInString(s) }
		switch {
		case n(e.Title) > MaxTitle:
			return "embed title over 256"
		case n(e.Description) > MaxDescription:
			return "embed description over 4096"
		case len(e.Fields) > MaxFields:
			return "more than 25 fields"
		case e.Footer != nil && n(e.Footer.Text) > MaxFooter:
			return "footer over 2048"
		case e.Author != nil && n(e.Author.Name) > MaxAuthor:
			return "author over 256"
		}
		total += n(e.Title) + n(e.Description)
		for _, f := range e.Fields {
			if n(f.Name) == 0 || n(f.Value) == 0 || n(f.Name) > MaxFieldName || n(f.Value) > MaxFieldValue {
				return "field name or value empty or too long"
			}
			total += n(f.Name) + n(f.Value)
		}
		if e.Footer != nil {
			total += n(e.Footer.Text)
		}
		if e.Author != nil {
			total += n(e.Author.Name)
		}
	}
	if total > MaxEmbedTotal {
		return "embeds over 6000 characters in all"
	}
	return ""
}

// Edit applies an edit to a message as Discord does: each field the edit
// sends replaces the message's, null included (content "" or embeds null
// or [] clear them); a field not sent is kept.
func Edit(message map[string]any, edit []byte) (map[string]any, error) {
	var patch map[string]json.RawMessage
	if err := json.Unmarshal(edit, &patch); err != nil {
		return nil, err
	}
	out := make(map[string]any, len(message))
	for k, v := range message {
		out[k] = v
	}
	for k, raw := range patch {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		if v == nil && (k == "embeds" || k == "components" || k == "attachments") {
			v = []any{}
		}
		out[k] = v
	}
	return out, nil
}
