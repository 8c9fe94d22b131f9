// Package connlimit bounds the connections an HTTP listener holds open: in
// all and per client address. When the slots run short it closes idle
// keep-alive connections before anything waits, so clients that merely keep
// connections open cannot shut out the requests that matter; a client over
// its own bound with nothing idle to give back is refused and counted.
package connlimit

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Config is the listener's bounds (http.* keys).
type Config struct {
	// MaxConns bounds the connections open at once; beyond it, idle ones
	// are closed, and with none idle the next waits in the accept queue.
	MaxConns int `mapstructure:"max_conns"`
	// MaxConnsPerClient bounds the connections of one client address
	// (IP); 0 means no bound beyond MaxConns.
	MaxConnsPerClient int `mapstructure:"max_conns_per_client"`
}

// Defaults for Config.
const (
	DefaultMaxConns          = 128
	DefaultMaxConnsPerClient = 32
)

// ErrInvalid is wrapped by every error of Validate.
var ErrInvalid = errors.New("invalid setting")

// Validate checks the bounds.
func (c Config) Validate() error {
	var errs []error
	if c.MaxConns < 1 {
		errs = append(errs, fmt.Errorf("%w: http.max_conns %d: at least 1", ErrInvalid, c.MaxConns))
	}
	if c.MaxConnsPerClient < 0 || c.MaxConnsPerClient > c.MaxConns {
		errs = append(errs, fmt.Errorf("%w: http.max_conns_per_client %d: 0 (no bound) up to http.max_conns (%d)", ErrInvalid, c.MaxConnsPerClient, c.MaxConns))
	}
	return errors.Join(errs...)
}

// Reasons a connection is refused or closed early, as counted.
const (
	ReasonPerClient = "per_client" // its address already held its share, none idle
	ReasonIdle      = "idle"       // an idle keep-alive connection closed to free a slot
)

// Metrics counts what the listeners refuse and close; one per registry,
// shared by every listener.
type Metrics struct {
	refused *prometheus.CounterVec
}

// NewMetrics registers vssbot_http_connections_refused_total{listener,reason}.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{refused: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "vssbot_http_connections_refused_total",
		Help: "Connections refused (reason per_client) or closed while idle to free a slot (reason idle).",
	}, []string{"listener", "reason"})}
	if err := reg.Register(m.refused); err != nil {
		return nil, fmt.Errorf("register connection metrics: %w", err)
	}
	return m, nil
}

// Listener is a net.Listener within Config's bounds. Give its ConnState to
// the http.Server serving it: idle connections are known through it.
type Listener struct {
	net.Listener
	cfg            Config
	refused, idled prometheus.Counter

	mu     sync.Mutex
	open   int // slots taken, reserved ones included
	byAddr map[string]int
	conns  map[*Conn]struct{}
	wake   chan struct{} // a slot freed or a connection went idle
	done   chan struct{}
	closed sync.Once
}

// Wrap bounds ln by cfg; name labels its counts.
func Wrap(ln net.Listener, cfg Config, m *Metrics, name string) *Listener {
	return &Listener{
		Listener: ln,
		cfg:      cfg,
		refused:  m.refused.WithLabelValues(name, ReasonPerClient),
		idled:    m.refused.WithLabelValues(name, ReasonIdle),
		byAddr:   map[string]int{},
		conns:    map[*Conn]struct{}{},
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
}

// Conn is an accepted connection; closing it gives its slot back.
type Conn struct {
	net.Conn
	l         *Listener
	addr      string
	idleSince time.Time // zero unless idle between requests
	closing   bool      // chosen to be closed
	once      sync.Once
}

// Close closes the connection and frees its slot, once.
func (c *Conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c) })
	return err
}

// Accept returns the next connection within the bounds. With every slot
// taken it closes the longest idle connection; with none idle it waits for
// one to close or go idle, holding at most this one connection unserved.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		nc, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if err := l.reserve(); err != nil {
			_ = nc.Close()
			return nil, err
		}
		if c := l.admit(nc); c != nil {
			return c, nil
		}
	}
}

// Close stops Accept, including one waiting for a slot.
func (l *Listener) Close() error {
	l.closed.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// ConnState follows the server's view of each connection: idle between
// requests, or active.
func (l *Listener) ConnState(nc net.Conn, s http.ConnState) {
	c, ok := nc.(*Conn)
	if !ok {
		return
	}
	l.mu.Lock()
	switch s {
	case http.StateIdle:
		c.idleSince = time.Now()
	default:
		c.idleSince = time.Time{}
	}
	l.mu.Unlock()
	if s == http.StateIdle {
		l.signal()
	}
}

func (l *Listener) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// reserve takes a slot for an accepted connection, closing an idle one
// when none is free.
func (l *Listener) reserve() error {
	for {
		l.mu.Lock()
		if l.open < l.cfg.MaxConns {
			l.open++
			l.mu.Unlock()
			return nil
		}
		victim := l.oldestIdle("")
		l.mu.Unlock()
		if victim != nil {
			l.idled.Inc()
			_ = victim.Close()
			continue
		}
		select {
		case <-l.wake:
		case <-l.done:
			return net.ErrClosed
		}
	}
}

func (l *Listener) unreserve() {
	l.mu.Lock()
	l.open--
	l.mu.Unlock()
	l.signal()
}

// admit applies the per-client bound to a connection holding a reserved
// slot: it returns the connection, or nil when it was refused.
func (l *Listener) admit(nc net.Conn) *Conn {
	addr := clientAddr(nc.RemoteAddr())
	c := &Conn{Conn: nc, l: l, addr: addr}
	for {
		l.mu.Lock()
		if l.cfg.MaxConnsPerClient == 0 || l.byAddr[addr] < l.cfg.MaxConnsPerClient {
			l.byAddr[addr]++
			l.conns[c] = struct{}{}
			l.mu.Unlock()
			return c
		}
		victim := l.oldestIdle(addr)
		l.mu.Unlock()
		if victim == nil {
			l.refused.Inc()
			_ = nc.Close()
			l.unreserve()
			return nil
		}
		l.idled.Inc()
		_ = victim.Close()
	}
}

// oldestIdle picks the connection idle longest (of addr, unless empty)
// and marks it as closing. l.mu is held.
func (l *Listener) oldestIdle(addr string) *Conn {
	var v *Conn
	for c := range l.conns {
		if c.closing || c.idleSince.IsZero() || (addr != "" && c.addr != addr) {
			continue
		}
		if v == nil || c.idleSince.Before(v.idleSince) {
			v = c
		}
	}
	if v != nil {
		v.closing = true
	}
	return v
}

func (l *Listener) release(c *Conn) {
	l.mu.Lock()
	l.open--
	if _, ok := l.conns[c]; ok {
		delete(l.conns, c)
		if l.byAddr[c.addr]--; l.byAddr[c.addr] <= 0 {
			delete(l.byAddr, c.addr)
		}
	}
	l.mu.Unlock()
	l.signal()
}

// clientAddr is the address a client's connections are counted under:
// its IP, without the port.
func clientAddr(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}
