// Command slowclients measures the memory that slow, unauthenticated clients
// make `vssbot serve` hold: it starts the given vssbot binary in Slack HTTP
// mode against a fake Slack on loopback, opens many connections that each
// send a request body slowly and then stall short of its end, and samples
// the server's resident memory (VmRSS) while they stay open.
//
//	go build -o vssbot . && go run ./internal/devtools/slowclients -bin ./vssbot -conns 300
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vssbot/vssbot/adapters/slack/slacktest"
)

func main() {
	bin := flag.String("bin", "", "vssbot binary to measure (required)")
	conns := flag.Int("conns", 300, "slow connections")
	body := flag.Int("body", 1<<20, "bytes each client sends before it stalls")
	rate := flag.Duration("every", 50*time.Millisecond, "pause between 32 KiB chunks")
	hold := flag.Duration("hold", 15*time.Second, "how long the clients stay connected")
	flag.Parse()
	if *bin == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*bin, *conns, *body, *rate, *hold); err != nil {
		fmt.Fprintln(os.Stderr, "slowclients:", err)
		os.Exit(1)
	}
}

func run(bin string, conns, body int, every, hold time.Duration) error {
	fake := slacktest.New()
	defer fake.Close()
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"VSSBOT_CONFIG=", "VSSBOT_LISTEN="+addr, "VSSBOT_LOG_LEVEL=error",
		"VSSBOT_SLACK_MODE=http", "VSSBOT_SLACK_SIGNING_SECRET=slow-clients-secret",
		"VSSBOT_SLACK_BOT_TOKEN="+slacktest.BotToken, "VSSBOT_SLACK_API_URL="+fake.URL())
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() }()
	if err := waitReady("http://" + addr + "/readyz"); err != nil {
		return err
	}
	pid := cmd.Process.Pid
	fmt.Printf("idle: VmRSS %.1f MB\n", mb(rss(pid)))

	ctx, cancel := context.WithTimeout(context.Background(), hold)
	defer cancel()
	var cut atomic.Int64 // connections the server closed
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			if client(ctx, addr, body, every) {
				cut.Add(1)
			}
		})
	}
	start := time.Now()
	var peak int64
	for t := time.Second; t <= hold; t += time.Second {
		time.Sleep(time.Until(start.Add(t)))
		r := rss(pid)
		peak = max(peak, r)
		fmt.Printf("t=%2.0fs VmRSS %6.1f MB, connections cut by the server so far %d of %d\n", t.Seconds(), mb(r), cut.Load(), conns)
	}
	cancel()
	wg.Wait()
	fmt.Printf("conns=%d body=%d: peak VmRSS %.1f MB, VmHWM %.1f MB, held at the end %.1f MB (Go heap in use %.1f MB)\n",
		conns, body, mb(peak), mb(status(pid, "VmHWM:")), mb(rss(pid)), mb(heapInUse("http://"+addr+"/metrics")))
	return nil
}

// heapInUse reads go_memstats_heap_inuse_bytes from the server's metrics:
// RSS keeps heap the runtime has freed but not yet returned to the system,
// this is what is still live.
func heapInUse(url string) int64 {
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "go_memstats_heap_inuse_bytes "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return int64(f)
		}
	}
	return -1
}

// client sends a request whose body stops one byte short of its length,
// 32 KiB at a time, and then waits. It reports whether the server closed
// the connection before ctx ended.
func client(ctx context.Context, addr string, body int, every time.Duration) bool {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return true
	}
	defer c.Close()
	closed := make(chan struct{})
	go func() { // the server's answer or close
		_, _ = io.Copy(io.Discard, c)
		close(closed)
	}()
	fmt.Fprintf(c, "POST /slack/events HTTP/1.1\r\nHost: vssbot\r\nContent-Type: application/json\r\n"+
		"X-Slack-Request-Timestamp: %d\r\nX-Slack-Signature: v0=00\r\nContent-Length: %d\r\n\r\n", time.Now().Unix(), body+1)
	chunk := []byte(strings.Repeat(" ", 32<<10))
	for sent := 0; sent < body; sent += len(chunk) {
		if _, err := c.Write(chunk[:min(len(chunk), body-sent)]); err != nil {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-closed:
			return true
		case <-time.After(every):
		}
	}
	select {
	case <-ctx.Done():
		return false
	case <-closed:
		return true
	}
}

func waitReady(url string) error {
	for range 200 {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("vssbot serve never became ready")
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func rss(pid int) int64 { return status(pid, "VmRSS:") }

// status reads a size field of /proc/PID/status, in bytes.
func status(pid int, field string) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return -1
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }
