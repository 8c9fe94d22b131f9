package bot_test

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"github.com/vssbot/vssbot/answer"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/parse"
)

// BenchmarkEngine measures pasted excerpts answered per second through
// Submit, with a Replier that does nothing. The submitter keeps at most a
// queue's worth of events outstanding, so it waits instead of spinning on
// ErrBusy.
func BenchmarkEngine(b *testing.B) {
	const queue = 256
	excerpt := readFile(b, "seed_excerpt.txt")
	e, _ := newEngine(b, bot.Config{Queue: queue}, parse.Limits{})
	var wg sync.WaitGroup
	slots := make(chan struct{}, queue)
	noop := bot.ReplierFunc(func(context.Context, bot.Target, *answer.Outline, *bot.Progress) error {
		<-slots
		wg.Done()
		return nil
	})
	b.ResetTimer()
	for i := range b.N {
		ev := message(excerpt)
		ev.ID = strconv.Itoa(i)
		slots <- struct{}{}
		wg.Add(1)
		if err := e.Submit(ev, noop); err != nil {
			b.Fatal(err)
		}
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "excerpts/s")
}
