package slack

import (
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/bot"
)

// BenchmarkThroughput measures pasted excerpts answered per second end to
// end: Socket Mode envelope in, ack, the engine's diagnosis, Block Kit reply
// posted to the fake Slack. At most window excerpts wait for their answer,
// as a busy channel would have.
//
//	go test -run '^$' -bench Throughput -benchtime 2000x ./adapters/slack/
func BenchmarkThroughput(b *testing.B) {
	const window = 128
	h := newHarness(b, bot.Config{Queue: 2 * window}, func(c *Config) { c.Reaction = "" })
	ctx := testContext(b)
	excerpt := readTestdata(b, "excerpt.log")
	b.ResetTimer()
	for i := range b.N {
		if i >= window {
			if err := h.fake.Wait(ctx, func() bool { return h.fake.PostCount() > i-window }); err != nil {
				b.Fatal(err)
			}
		}
		ts := strconv.Itoa(1700000000+i) + ".000100"
		if _, err := h.fake.SendEvent("EvBENCH"+strconv.Itoa(i), channelMessage(ts, excerpt)); err != nil {
			b.Fatal(err)
		}
	}
	if err := h.fake.Wait(ctx, func() bool { return h.fake.PostCount() >= b.N }); err != nil {
		b.Fatalf("%d of %d answered: %v", h.fake.PostCount(), b.N, err)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "excerpts/s")
}

// BenchmarkSlashAck measures how long slash commands wait for their ack
// when 100 arrive at once, from the fake's send to its receipt of the ack;
// the engine answers them meanwhile. It reports the 99th percentile.
//
//	go test -run '^$' -bench SlashAck -benchtime 20x ./adapters/slack/
func BenchmarkSlashAck(b *testing.B) {
	const concurrent = 100
	h := newHarness(b, bot.Config{Queue: 4096}, nil)
	ctx := testContext(b)
	var lat []time.Duration
	b.ResetTimer()
	for range b.N {
		sent := make([]time.Time, concurrent)
		envs := make([]string, concurrent)
		errs := make([]error, concurrent)
		var wg sync.WaitGroup
		for j := range concurrent {
			wg.Go(func() {
				sent[j] = time.Now()
				envs[j], errs[j] = h.fake.SendCommand(slackapi.SlashCommand{
					ChannelID: "CSUPPORT", UserID: "UALICE", Text: "0x800423f2",
				})
			})
		}
		wg.Wait()
		for j := range concurrent {
			if errs[j] != nil {
				b.Fatal(errs[j])
			}
			ack, err := h.fake.WaitAck(ctx, envs[j])
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, ack.At.Sub(sent[j]))
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	p99 := lat[len(lat)*99/100]
	b.ReportMetric(float64(p99)/float64(time.Millisecond), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)/2])/float64(time.Millisecond), "p50-ms")
}
