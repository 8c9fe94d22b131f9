package answer

import "strings"

// Mention marks: a user id between them is a platform mention, which each
// renderer writes its own way (<@U1> on Slack and Discord, @U1 in a
// terminal). Printable escapes them in text from users and logs, so only
// Mention can make one.
const (
	mentionOpen  = '\ue000'
	mentionClose = '\ue001'
)

// Mention marks id as a user to mention; "" when id is not a plain
// platform user id (letters and digits).
func Mention(id string) string {
	if id == "" || strings.IndexFunc(id, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z')
	}) >= 0 {
		return ""
	}
	return string(mentionOpen) + id + string(mentionClose)
}

// Mentions rewrites every mention in s with write.
func Mentions(s string, write func(id string) string) string {
	if !strings.ContainsRune(s, mentionOpen) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexRune(s, mentionOpen)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+len(string(mentionOpen)):]
		j := strings.IndexRune(rest, mentionClose)
		if j < 0 {
			b.WriteString(rest)
			return b.String()
		}
		b.WriteString(write(rest[:j]))
		s = rest[j+len(string(mentionClose)):]
	}
}

// AtMention writes a mention as plain text, for terminals.
func AtMention(id string) string { return "@" + id }
