package discord

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/chattest"
	goldenfile "github.com/vssbot/vssbot/internal/golden"
)

// TestPicturePayloads keeps the payloads the README's pictures are drawn
// from (internal/devtools/answershot): the answers to the example log, the
// Japanese vssadmin output and thirty failed writers, as sent, each within
// Discord's limits.
func TestPicturePayloads(t *testing.T) {
	for _, c := range chattest.Pictures(t) {
		t.Run(c.Name, func(t *testing.T) {
			r := *c.Outline
			r.Actions = bot.FeedbackPrompt{AnswerID: "0123456789abcdef0123456789abcdef", Lang: r.Lang}.Actions()
			var sent []*discordgo.MessageSend
			for _, m := range render(&r) {
				checkLimits(t, asSent(t, m))
				sent = append(sent, &discordgo.MessageSend{Content: m.Content, Embeds: m.Embeds, Components: m.Components})
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(sent); err != nil {
				t.Fatal(err)
			}
			goldenfile.Check(t, filepath.Join("testdata", "pictures", c.Name+".golden.json"), buf.Bytes())
		})
	}
}
