package discord

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vssbot/vssbot/adapters/discord/discordtest"
	"github.com/vssbot/vssbot/bot"
)

// awaitCount waits until n requests matching have been recorded.
func (h *harness) awaitCount(tb testing.TB, n int, match func(discordtest.Request) bool) {
	tb.Helper()
	if n == 0 {
		return
	}
	seen := 0
	h.await(tb, func(r discordtest.Request) bool {
		if match(r) {
			seen++
		}
		return seen >= n
	})
}

// BenchmarkGatewayMessages measures excerpts answered per second: each
// goes through the fake gateway, discordgo, the adapter, the real engine
// and back through REST into the thread.
func BenchmarkGatewayMessages(b *testing.B) {
	h := start(b, newEngine(b), nil, nil)
	text := excerpt(b)
	const batch = 100 // below the engine's queue, so nobody is told "busy"
	posted := isPost("channels/" + thread + "/messages")
	b.ResetTimer()
	start := time.Now()
	for done := 0; done < b.N; {
		n := min(batch, b.N-done)
		for range n {
			if _, err := h.fake.SendMessage(discordtest.Message{ChannelID: thread, GuildID: guild, AuthorID: user, Content: text}); err != nil {
				b.Fatal(err)
			}
		}
		done += n
		h.awaitCount(b, done, posted)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

// BenchmarkInteractionDefer sends 100 /vss commands at once and measures,
// per command, the time from dispatch to the deferral reaching Discord.
func BenchmarkInteractionDefer(b *testing.B) {
	b.Run("engine", func(b *testing.B) { benchDefer(b, newEngine(b)) })
	// The echo engine answers at once: what remains is the adapter's own
	// cost.
	b.Run("echo", func(b *testing.B) { benchDefer(b, newEcho()) })
}

func benchDefer(b *testing.B, eng bot.Inbox) {
	const concurrent = 100
	h := start(b, eng, nil, nil)
	var lat []time.Duration
	b.ResetTimer()
	for range b.N {
		sent := make(map[string]time.Time, concurrent)
		for range concurrent {
			p, token := h.fake.Interaction(discordtest.Command{ChannelID: general, GuildID: guild, UserID: user, Code: "0x800423f2"})
			sent[token] = time.Now()
			if _, err := h.fake.Dispatch("INTERACTION_CREATE", p); err != nil {
				b.Fatal(err)
			}
		}
		h.awaitCount(b, concurrent, func(r discordtest.Request) bool {
			return strings.HasSuffix(r.Path, "/callback") && sent[token(r.Path)] != time.Time{}
		})
		for tok, at := range sent {
			cb, ok := h.fake.AnsweredAt(tok)
			if !ok {
				b.Fatalf("interaction %s not deferred", tok)
			}
			lat = append(lat, cb.Sub(at))
		}
		// Let the edits finish so the next round measures deferral alone.
		h.awaitCount(b, concurrent, func(r discordtest.Request) bool {
			return r.Method == "PATCH" && sent[token(r.Path)] != time.Time{}
		})
	}
	b.StopTimer()
	slices.Sort(lat)
	p99 := lat[(len(lat)*99)/100]
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
}

// token is the interaction token in a callback or webhook path.
func token(path string) string {
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "token-") {
			return seg
		}
	}
	return ""
}
