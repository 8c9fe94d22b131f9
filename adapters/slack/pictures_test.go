package slack

import (
	"path/filepath"
	"testing"

	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/chattest"
)

// TestPicturePayloads keeps the payloads the README's pictures are drawn
// from (internal/devtools/answershot): the answers to the example log, the
// Japanese vssadmin output and thirty failed writers, as a slash command's
// messages, each within Slack's limits.
func TestPicturePayloads(t *testing.T) {
	for _, c := range chattest.Pictures(t) {
		t.Run(c.Name, func(t *testing.T) {
			r := *c.Outline
			r.Actions = bot.FeedbackPrompt{AnswerID: "0123456789abcdef0123456789abcdef", Lang: r.Lang}.Actions()
			msgs := renderSplit(&r)
			checkAll(t, msgs)
			checkGolden(t, filepath.Join("testdata", "pictures", c.Name+".golden.json"), marshalGolden(t, msgs))
		})
	}
}
