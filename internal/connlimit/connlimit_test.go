package connlimit

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// bounded serves h on a loopback listener within cfg. Handlers on /hold
// block until release is closed, after telling held they started.
type bounded struct {
	addr    string
	m       *Metrics
	held    chan struct{}
	release chan struct{}
	idled   chan string // remote address of each connection the server saw go idle
}

func serve(t *testing.T, cfg Config) *bounded {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	b := &bounded{addr: ln.Addr().String(), m: m, held: make(chan struct{}, 64), release: make(chan struct{}),
		idled: make(chan string, 256)}
	bl := Wrap(ln, cfg, m, "test")
	mux := http.NewServeMux()
	mux.HandleFunc("/hold", func(w http.ResponseWriter, _ *http.Request) {
		b.held <- struct{}{}
		<-b.release
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	// The server marks a connection idle just after its response is
	// written: the tests wait for that mark rather than race it.
	state := func(c net.Conn, st http.ConnState) {
		bl.ConnState(c, st)
		if st == http.StateIdle {
			select {
			case b.idled <- c.RemoteAddr().String():
			default:
			}
		}
	}
	srv := &http.Server{Handler: mux, ConnState: state, ReadHeaderTimeout: time.Minute}
	go func() { _ = srv.Serve(bl) }()
	t.Cleanup(func() {
		select {
		case <-b.release:
		default:
			close(b.release)
		}
		_ = srv.Close()
	})
	return b
}

// dial connects from local (an address on loopback, "" for any).
func (b *bounded) dial(t *testing.T, local string) net.Conn {
	t.Helper()
	d := net.Dialer{}
	if local != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(local)}
	}
	c, err := d.Dial("tcp", b.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// idle makes a keep-alive connection that was served once and now waits.
func (b *bounded) idle(t *testing.T, local string) net.Conn {
	t.Helper()
	c := b.dial(t, local)
	if err := get(c, "/"); err != nil {
		t.Fatalf("idle client not served: %v", err)
	}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case addr := <-b.idled:
			if addr == c.LocalAddr().String() {
				return c
			}
		case <-deadline:
			t.Fatalf("the server never saw %s go idle", c.LocalAddr())
		}
	}
}

// hold makes a connection whose request is being handled.
func (b *bounded) hold(t *testing.T, local string) net.Conn {
	t.Helper()
	c := b.dial(t, local)
	if _, err := io.WriteString(c, "GET /hold HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-b.held:
		return c
	case <-time.After(10 * time.Second):
		// A connection the listener refused would otherwise wait forever.
		t.Fatalf("the request from %s was never handled", c.LocalAddr())
		return nil
	}
}

func get(c net.Conn, path string) error {
	if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		return err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err
}

// closed reports whether the server has closed c: a read ends in EOF or
// a reset rather than waiting.
func closed(c net.Conn) bool {
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, err := c.Read(make([]byte, 1))
	ne, ok := err.(net.Error)
	return err != nil && !(ok && ne.Timeout())
}

func (b *bounded) count(reason string) float64 {
	var m dto.Metric
	if err := b.m.refused.WithLabelValues("test", reason).Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}

// TestIdleClosedWhenFull: with every slot held by an idle keep-alive
// connection, a new client is served at once and one idle connection is
// closed for it.
func TestIdleClosedWhenFull(t *testing.T) {
	b := serve(t, Config{MaxConns: 4})
	gone := make(chan int, 4)
	for i := range 4 {
		c := b.idle(t, "")
		go func() {
			if closed(c) {
				gone <- i
			}
		}()
	}
	if err := get(b.dial(t, ""), "/"); err != nil {
		t.Fatalf("new client not served with every slot idle: %v", err)
	}
	select {
	case i := <-gone:
		t.Logf("idle connection %d closed", i)
	case <-time.After(30 * time.Second):
		t.Fatal("no idle connection was closed")
	}
	if n := b.count(ReasonIdle); n != 1 {
		t.Errorf("idle closes counted %v, want 1", n)
	}
}

// TestFullOfActiveWaits: with every slot held by a request in progress, a
// new connection waits for one to finish rather than being refused.
func TestFullOfActiveWaits(t *testing.T) {
	b := serve(t, Config{MaxConns: 2})
	b.hold(t, "")
	b.hold(t, "")
	extra := b.dial(t, "")
	done := make(chan error, 1)
	go func() { done <- get(extra, "/") }()
	select {
	case err := <-done:
		t.Fatalf("served (%v) while every slot was busy", err)
	case <-time.After(200 * time.Millisecond):
		// Not a timing assertion: a wrong server answers at once.
	}
	close(b.release)
	if err := <-done; err != nil {
		t.Fatalf("not served once the slots freed: %v", err)
	}
	if n := b.count(ReasonPerClient); n != 0 {
		t.Errorf("%v connections refused, want 0", n)
	}
}

// TestPerClientBound: one address gets its share; beyond it an idle
// connection of its own is closed, or with none idle the new one is
// refused and counted. Other addresses are not affected.
func TestPerClientBound(t *testing.T) {
	b := serve(t, Config{MaxConns: 10, MaxConnsPerClient: 2})
	b.hold(t, "127.0.0.1")
	old := b.idle(t, "127.0.0.1")
	// The third connection is served (the client's idle one gives way) and
	// then waits idle itself, marked so before the next dial counts on it.
	b.idle(t, "127.0.0.1")
	if !closed(old) {
		t.Fatal("the client's idle connection was not given up")
	}
	b.hold(t, "127.0.0.1") // now both of its slots are busy
	refused := b.dial(t, "127.0.0.1")
	if !closed(refused) {
		t.Fatal("a connection over the client's bound was kept")
	}
	if n := b.count(ReasonPerClient); n != 1 {
		t.Errorf("refusals counted %v, want 1", n)
	}
	if !strings.HasPrefix(b.addr, "127.") {
		t.Skip("not on loopback")
	}
	if err := get(b.dial(t, "127.0.0.2"), "/"); err != nil {
		t.Fatalf("another address refused: %v", err)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		cfg Config
		ok  bool
	}{
		{Config{MaxConns: DefaultMaxConns, MaxConnsPerClient: DefaultMaxConnsPerClient}, true},
		{Config{MaxConns: 1}, true},
		{Config{MaxConns: 0}, false},
		{Config{MaxConns: 4, MaxConnsPerClient: -1}, false},
		{Config{MaxConns: 4, MaxConnsPerClient: 5}, false},
	} {
		if err := c.cfg.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v: %v", c.cfg, err)
		}
	}
}
