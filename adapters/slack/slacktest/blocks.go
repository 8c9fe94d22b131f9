package slacktest

import (
	"encoding/json"
	"unicode/utf8"
)

// Slack's limits on a message, as the platform enforces them: a message
// over one is refused whole with the error code named.
const (
	MaxBlocks     = 50    // blocks per message (invalid_blocks)
	MaxHeader     = 150   // a header's plain text (invalid_blocks)
	MaxSection    = 3000  // a section's text, a context element's (invalid_blocks)
	MaxField      = 2000  // a section field's text (invalid_blocks)
	MaxButton     = 75    // a button's label (invalid_blocks)
	MaxBlockText  = 11000 // all text of a message's blocks (msg_blocks_too_long)
	MaxTextField  = 40000 // the top-level text (msg_too_long)
	maxContextEls = 10
	maxActionEls  = 25
)

type textObject struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Verbatim bool   `json:"verbatim"`
}

type block struct {
	Type     string            `json:"type"`
	Text     *textObject       `json:"text"`
	Fields   []textObject      `json:"fields"`
	Elements []json.RawMessage `json:"elements"`
}

type element struct {
	Type     string `json:"type"`
	Text     any    `json:"text"`
	ActionID string `json:"action_id"`
	Value    string `json:"value"`
}

// CheckMessage returns the error code Slack answers a message with, or ""
// when Slack would take it.
func CheckMessage(text string, blocks json.RawMessage) string {
	if utf8.RuneCountInString(text) > MaxTextField {
		return "msg_too_long"
	}
	if len(blocks) == 0 || string(blocks) == "null" {
		return ""
	}
	var bs []block
	if err := json.Unmarshal(blocks, &bs); err != nil {
		return "invalid_blocks_format"
	}
	if len(bs) > MaxBlocks {
		return "invalid_blocks"
	}
	total := 0
	for _, b := range bs {
		n, code := checkBlock(b)
		if code != "" {
			return code
		}
		total += n
	}
	if total > MaxBlockText {
		return "msg_blocks_too_long"
	}
	return ""
}

// checkBlock returns the characters of text b holds, or the refusal.
func checkBlock(b block) (int, string) {
	switch b.Type {
	case "divider":
		return 0, ""
	case "header":
		if b.Text == nil || b.Text.Type != "plain_text" || b.Text.Text == "" || utf8.RuneCountInString(b.Text.Text) > MaxHeader {
			return 0, "invalid_blocks"
		}
		return utf8.RuneCountInString(b.Text.Text), ""
	case "section":
		n := 0
		if b.Text == nil && len(b.Fields) == 0 {
			return 0, "invalid_blocks"
		}
		if b.Text != nil {
			m, ok := checkText(*b.Text, MaxSection)
			if !ok {
				return 0, "invalid_blocks"
			}
			n += m
		}
		if len(b.Fields) > 10 {
			return 0, "invalid_blocks"
		}
		for _, f := range b.Fields {
			m, ok := checkText(f, MaxField)
			if !ok {
				return 0, "invalid_blocks"
			}
			n += m
		}
		return n, ""
	case "context":
		return checkElements(b.Elements, maxContextEls, func(e json.RawMessage) (int, bool) {
			var t textObject
			if json.Unmarshal(e, &t) != nil {
				return 0, false
			}
			if t.Type == "image" {
				return 0, true
			}
			return checkText(t, MaxSection)
		})
	case "actions":
		return checkElements(b.Elements, maxActionEls, func(e json.RawMessage) (int, bool) {
			var el element
			if json.Unmarshal(e, &el) != nil || el.Type != "button" {
				return 0, el.Type != ""
			}
			raw, _ := json.Marshal(el.Text)
			var t textObject
			if json.Unmarshal(raw, &t) != nil || t.Type != "plain_text" {
				return 0, false
			}
			n := utf8.RuneCountInString(t.Text)
			return n, n > 0 && n <= MaxButton && len(el.ActionID) <= 255 && len(el.Value) <= 2000
		})
	}
	return 0, "invalid_blocks"
}

func checkElements(els []json.RawMessage, max int, check func(json.RawMessage) (int, bool)) (int, string) {
	if len(els) == 0 || len(els) > max {
		return 0, "invalid_blocks"
	}
	n := 0
	for _, e := range els {
		m, ok := check(e)
		if !ok {
			return 0, "invalid_blocks"
		}
		n += m
	}
	return n, ""
}

// checkText checks a text object: a known type, some text, within max.
func checkText(t textObject, max int) (int, bool) {
	n := utf8.RuneCountInString(t.Text)
	return n, (t.Type == "mrkdwn" || t.Type == "plain_text") && n > 0 && n <= max
}
