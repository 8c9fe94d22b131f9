// Command rsscheck measures the peak resident memory of the Slack adapter
// and the engine answering many large attachments at once: it starts a fake
// Slack, shares the files in one burst of file_share events, waits for every
// reply and prints the process's high-water mark (VmHWM). The fake streams
// the files without holding them, so the figure is the bot's.
//
//	go run ./internal/devtools/rsscheck -files 20 -size 50000000
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/adapters/slack"
	"github.com/vssbot/vssbot/adapters/slack/slacktest"
	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/parse"
)

// block is one AIP writer failure, repeated to fill the files.
const block = "07/13/2017 04:37:54.439 VssStart()\r\n" +
	"07/13/2017 04:37:54.538 Using Common Provider\r\n" +
	"07/13/2017 04:40:43.790 com exception caught(0x8000ffff) in VssStart\r\n" +
	"07/13/2017 04:40:43.957 [07/13/2017 13:40:43.787] OUTPUT:\r\n" +
	"ERROR: Selected writer 'System Writer' is in failed state!\r\n" +
	"- Status: 9 (VSS_WS_FAILED_AT_FREEZE)\r\n" +
	"- Writer Failure code: 0x800423f2 (<Unknown error code>)\r\n" +
	"- Writer ID: {e8132975-6f93-4464-a53e-1050253ae220}\r\n" +
	"- Instance ID: {ab13e0da-0a8b-48c4-ab4f-eabe2b3d01fe}\r\n"

func main() {
	files := flag.Int("files", 20, "attachments shared at once")
	size := flag.Int64("size", 50_000_000, "bytes per attachment")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up after")
	flag.Parse()
	if err := run(*files, *size, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "rsscheck:", err)
		os.Exit(1)
	}
}

func run(files int, size int64, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	fake := slacktest.New()
	defer fake.Close()
	kb, err := knowledge.Load("")
	if err != nil {
		return err
	}
	eng := bot.New(kb, parse.New(kb, parse.Limits{}), bot.Config{
		Workers: files, Queue: files, Timeout: timeout, MaxAttachmentBytes: size, Logger: log,
	})
	defer eng.Shutdown(context.Background())
	ad, err := slack.New(slack.Config{
		BotToken: slacktest.BotToken, AppToken: slacktest.AppToken, APIURL: fake.URL(),
		Reaction: "eyes",
	}, eng, log)
	if err != nil {
		return err
	}
	if err := ad.Start(ctx); err != nil {
		return err
	}
	go func() { _ = ad.Run(ctx) }()
	if err := fake.WaitConnected(ctx, 1); err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	base := hwm()
	start := time.Now()
	for i := range files {
		f := fake.AddFile(slacktest.File{Name: "task-" + strconv.Itoa(i) + ".log", Size: size, Fill: []byte(block)})
		ts := strconv.Itoa(1700000000+i) + ".000100"
		_, err := fake.SendEvent("EvRSS"+strconv.Itoa(i), slacktest.Event{
			Type: "message", Subtype: "file_share", Channel: "CSUPPORT", ChannelType: "channel",
			User: "UALICE", TS: ts, Files: []slackapi.File{f},
		})
		if err != nil {
			return err
		}
	}
	if _, err := fake.WaitPosts(ctx, files); err != nil {
		return fmt.Errorf("%d of %d answered: %w", fake.PostCount(), files, err)
	}
	elapsed := time.Since(start)
	for _, p := range fake.Posts() {
		if !strings.Contains(p.Content(), "0x800423f2") {
			return fmt.Errorf("a reply does not name 0x800423f2: %.200s", p.Content())
		}
	}
	fmt.Printf("files=%d size=%d answered=%d in %s\n", files, size, fake.PostCount(), elapsed.Round(time.Millisecond))
	fmt.Printf("VmHWM before=%.1f MB peak=%.1f MB (target < 200 MB)\n", mb(base), mb(hwm()))
	return nil
}

// hwm reads the peak resident set size from /proc/self/status, in bytes.
func hwm() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return -1
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }
