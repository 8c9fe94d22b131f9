package bot_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
	"github.com/vssbot/vssbot/parse/evtx/evtxtest"
)

// TestEVTXAttachment drops a binary System log cut short, as a file copied
// while Windows writes it: the VolSnap event is explained, and the answer
// says that records were lost.
func TestEVTXAttachment(t *testing.T) {
	at := time.Date(2024, 3, 5, 1, 2, 3, 0, time.UTC)
	var evs []evtxtest.Event
	for i := range 300 {
		evs = append(evs, evtxtest.Event{Provider: "Service Control Manager", EventID: 7036, Qualifiers: 16384, Level: 4,
			Time: at, Computer: strings.Repeat("S", 100), Data: []evtxtest.Data{{Name: "param1", Value: "service"}}})
		if i == 10 {
			evs = append(evs, evtxtest.Event{Provider: "volsnap", EventID: 25, Qualifiers: 49158, Level: 2, Time: at,
				Data: []evtxtest.Data{{Value: `\Device\HarddiskVolumeShadowCopy3`}, {Value: "C:"}}})
		}
	}
	log := evtxtest.File(evs...)
	log = log[:len(log)-40000] // cut inside the last chunk's records
	for _, l := range []lang.Tag{lang.English, lang.Japanese} {
		e, _ := newEngine(t, bot.Config{Language: l}, parse.Limits{})
		open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(log)), nil }
		ev := bot.Event{ID: "x", Attachments: []bot.Attachment{file("System.evtx", int64(len(log)), open)},
			Target: bot.Target{Platform: "test", Channel: "C1"}}
		r, ok := e.Answer(context.Background(), ev)
		if !ok {
			t.Fatalf("Answer = %+v, %v", r, ok)
		}
		want := []string{"VolSnap 25", "records could not be read"}
		if l == lang.Japanese {
			want[1] = "レコードを読めませんでした"
		}
		for _, w := range want {
			if !strings.Contains(r.Headline, w) {
				t.Errorf("%s headline %q lacks %q", l, r.Headline, w)
			}
		}
		// The details point at the record by its number.
		if d := strings.Join(r.Details.Items, "\n"); !strings.Contains(d, "System.evtx:12") {
			t.Errorf("details lack the record number: %s", d)
		}
	}
}
