package slack

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/chattest"
)

// TestOverloadEveryEventAccountedFor is the load test of HTTP mode: a burst
// of events far beyond one worker and a queue of two. Playing Slack, it
// sends each refused event (503) again with X-Slack-Retry-Num, three times
// at most as Slack does (in milliseconds here, not minutes). Every event
// must end answered or told "busy", once, and the engine's counts must add
// up: refusals = retries asked for, told + answered = events.
func TestOverloadEveryEventAccountedFor(t *testing.T) {
	const events = 60
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	reg := prometheus.NewRegistry()
	eng := chattest.Engine(t, bot.Config{Workers: 1, Queue: 2, Registerer: reg})
	ad := startAdapter(t, Config{BotToken: slacktest.BotToken, SigningSecret: secret, APIURL: fake.URL()}, eng)
	srv := httptest.NewServer(ad.Handler())
	t.Cleanup(srv.Close)
	ctx := testContext(t)

	// Each event shares a 2 MB log: enough work to keep the worker busy.
	block := "07/13/2017 04:40:44.020 Exit Code -311\r\n" + strings.Repeat("07/13/2017 04:40:44.020 VssStart()\r\n", 50)
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := range events {
		f := fake.AddFile(slacktest.File{Name: fmt.Sprintf("task-%d.log", i), Size: 2 << 20, Fill: []byte(block)})
		body, err := slacktest.EventBody(fmt.Sprintf("EvLOAD%03d", i), slacktest.Event{
			Type: "message", Subtype: "file_share", Channel: "CSUPPORT", ChannelType: "channel",
			User: "UALICE", TS: fmt.Sprintf("1700001%03d.000100", i), Team: slacktest.TeamID, Files: []slackapi.File{f},
		})
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for retry := 0; retry <= lastRetry; retry++ {
				req, err := slacktest.SignedRequest(ctx, srv.URL+"/slack/events", secret, time.Now(), "application/json", body)
				if err != nil {
					t.Error(err)
					return
				}
				if retry > 0 {
					req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
					req.Header.Set("X-Slack-Retry-Reason", "http_error")
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				mu.Lock()
				statuses[resp.StatusCode]++
				mu.Unlock()
				if resp.StatusCode == http.StatusOK {
					return
				}
				time.Sleep(time.Duration(20*(retry+1)) * time.Millisecond)
			}
			t.Error("Slack's last attempt was not acknowledged")
		})
	}
	wg.Wait()

	// Wait until every event's thread has its one answer or notice.
	threads := func() map[string][]slacktest.Post {
		by := map[string][]slacktest.Post{}
		for _, p := range fake.Posts() {
			by[p.ThreadTS] = append(by[p.ThreadTS], p)
		}
		return by
	}
	for len(threads()) < events {
		select {
		case <-ctx.Done():
			t.Fatalf("%d of %d events answered or told busy", len(threads()), events)
		case <-time.After(20 * time.Millisecond):
		}
	}
	var answered, told int
	for ts, posts := range threads() {
		busy := 0
		for _, p := range posts {
			if strings.Contains(p.Content(), "busy") {
				busy++
			}
		}
		switch {
		case busy == 1 && len(posts) == 1:
			told++
		case busy == 0 && strings.Contains(posts[0].Content(), "-311"):
			answered++
		default:
			t.Errorf("thread %s got %d posts, %d of them busy notices", ts, len(posts), busy)
		}
	}
	retried := chattest.Counter(t, reg, "vssbot_busy_total", map[string]string{"outcome": bot.BusyRetry})
	toldCount := chattest.Counter(t, reg, "vssbot_busy_total", map[string]string{"outcome": bot.BusyTold})
	failed := chattest.Counter(t, reg, "vssbot_busy_total", map[string]string{"outcome": bot.BusyNoticeFailed})
	t.Logf("%d events: %d answered, %d told busy; %d requests: %d acknowledged, %d refused with 503 (vssbot_busy_total retry=%v told=%v notice_failed=%v)",
		events, answered, told, statuses[200]+statuses[503], statuses[200], statuses[503], retried, toldCount, failed)
	if answered+told != events {
		t.Errorf("answered %d + told %d != %d events", answered, told, events)
	}
	if statuses[200] != events || int(retried) != statuses[503] || int(toldCount) != told || failed != 0 {
		t.Errorf("counts do not add up: statuses %v, retry %v, told %v (threads told %d), notice_failed %v", statuses, retried, toldCount, told, failed)
	}
	if told == 0 || statuses[503] == 0 {
		t.Errorf("the burst never filled the queue: %d told, %d refused", told, statuses[503])
	}
}

// TestSocketModeBusyLeftUnacked: in Socket Mode an event the engine cannot
// take is not acknowledged, so Slack sends it again; on Slack's last attempt
// it is acknowledged and the user told. A slash command refused is told
// "busy" in its ack.
func TestSocketModeBusyLeftUnacked(t *testing.T) {
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	reg := prometheus.NewRegistry()
	eng := chattest.Engine(t, bot.Config{Workers: 1, Queue: 1, Registerer: reg})
	startAdapter(t, Config{BotToken: slacktest.BotToken, AppToken: slacktest.AppToken, APIURL: fake.URL()}, eng)
	ctx := testContext(t)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	block := strings.Repeat("07/13/2017 04:40:44.020 Exit Code -311\r\n", 100)
	type sent struct {
		id, envelope string
		ev           slacktest.Event
	}
	var all []sent
	for i := range 12 {
		f := fake.AddFile(slacktest.File{Name: "big.log", Size: 4 << 20, Fill: []byte(block)})
		ev := slacktest.Event{Type: "message", Subtype: "file_share", Channel: "CSUPPORT", ChannelType: "channel",
			User: "UALICE", TS: fmt.Sprintf("1700002%03d.000100", i), Team: slacktest.TeamID, Files: []slackapi.File{f}}
		id := fmt.Sprintf("EvSOCK%03d", i)
		env, err := fake.SendEvent(id, ev)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, sent{id, env, ev})
	}
	cmdEnv, err := fake.SendCommand(slackapi.SlashCommand{ChannelID: "CSUPPORT", UserID: "UALICE", Text: "0x800423f2"})
	if err != nil {
		t.Fatal(err)
	}
	cmdAck, err := fake.WaitAck(ctx, cmdEnv)
	if err != nil {
		t.Fatal(err)
	}
	// Let the socket loop handle every envelope.
	time.Sleep(200 * time.Millisecond)
	acked := map[string]bool{}
	for _, a := range fake.Acks() {
		acked[a.EnvelopeID] = true
	}
	var refused []sent
	for _, s := range all {
		if !acked[s.envelope] {
			refused = append(refused, s)
		}
	}
	if len(refused) == 0 {
		t.Fatal("the burst never filled the queue")
	}
	if got := chattest.Counter(t, reg, "vssbot_busy_total", map[string]string{"outcome": bot.BusyRetry}); int(got) != len(refused) {
		t.Errorf("%d envelopes unacked, %v counted as left for retry", len(refused), got)
	}
	if !strings.Contains(string(cmdAck.Payload), "busy") {
		t.Logf("command taken (ack %s)", cmdAck.Payload) // the queue may have had room by then
	}
	// Slack's last attempt of each refused event: acknowledged whatever
	// the queue, the user told when it is still full.
	for _, s := range refused {
		env, err := fake.RetryEvent(s.id, s.ev, lastRetry)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fake.WaitAck(ctx, env); err != nil {
			t.Fatalf("last attempt of %s not acknowledged: %v", s.id, err)
		}
	}
	t.Logf("%d events: %d left unacked for Slack's retry, then acknowledged on the last attempt", len(all), len(refused))
}
