package slacktest

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCheckMessage(t *testing.T) {
	section := func(n int) map[string]any {
		return map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": strings.Repeat("x", n)}}
	}
	many := func(n int, b map[string]any) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = b
		}
		return out
	}
	tests := []struct {
		name   string
		blocks []any
		want   string
	}{
		{"ok", []any{section(10)}, ""},
		{"51 blocks", many(51, section(1)), "invalid_blocks"},
		{"section over 3000", []any{section(3001)}, "invalid_blocks"},
		{"empty section", []any{section(0)}, "invalid_blocks"},
		{"header over 150", []any{map[string]any{"type": "header", "text": map[string]any{"type": "plain_text", "text": strings.Repeat("h", 151)}}}, "invalid_blocks"},
		{"header in mrkdwn", []any{map[string]any{"type": "header", "text": map[string]any{"type": "mrkdwn", "text": "h"}}}, "invalid_blocks"},
		{"12,000 characters in all", many(4, section(3000)), "msg_blocks_too_long"},
		{"11,000 characters in all", append(many(3, section(3000)), section(2000)), ""},
		{"unknown block", []any{map[string]any{"type": "bogus"}}, "invalid_blocks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, _ := json.Marshal(tt.blocks)
			if got := CheckMessage("fallback", raw); got != tt.want {
				t.Errorf("CheckMessage = %q, want %q", got, tt.want)
			}
		})
	}
	if got := CheckMessage(strings.Repeat("t", MaxTextField+1), nil); got != "msg_too_long" {
		t.Errorf("long text: %q", got)
	}
}
