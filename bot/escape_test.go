package bot

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/answer"
)

// TestDeliveredRepliesEscaped: whatever built a reply (a team note, a
// notice naming a file), what reaches a platform has no raw control or bidi
// character.
func TestDeliveredRepliesEscaped(t *testing.T) {
	e := &Engine{log: slog.New(slog.DiscardHandler), metrics: newMetrics(nil, slog.New(slog.DiscardHandler))}
	r := &answer.Outline{Headline: "note by \x1b[31mmallory", Sections: []answer.Section{{Title: "t\u202eitle", Lines: []string{"a\x00b"},
		Lists: []answer.List{{Label: "l", Items: []string{"\x9bitem"}}}}}, Details: answer.List{Items: []string{"x\u2066y"}}}
	var got *answer.Outline
	err := e.replyOnce(context.Background(), ReplierFunc(func(_ context.Context, _ Target, r *answer.Outline, _ *Progress) error {
		got = r
		return nil
	}), Target{}, r, &Progress{})
	if err != nil {
		t.Fatal(err)
	}
	all := got.Headline + got.Sections[0].Title + strings.Join(got.Sections[0].Lines, "") + got.Sections[0].Lists[0].Items[0] + got.Details.Items[0]
	if strings.ContainsAny(all, "\x1b\u202e\x00\u009b\u2066") {
		t.Errorf("raw control characters delivered: %q", all)
	}
	if !strings.Contains(all, `\x1b[31mmallory`) {
		t.Errorf("not shown escaped: %q", all)
	}
}
