package servicetest

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// Proxy stands between a client and a server as a server that stops
// answering does: while hung it accepts connections and keeps them open,
// forwarding nothing either way; while refusing it closes every connection
// at once, as a server that is down.
type Proxy struct {
	ln       net.Listener
	target   string // "" forwards nowhere: hung from the start
	mu       sync.Mutex
	hung     bool
	refusing bool
	wake     chan struct{} // closed on Resume
	conns    []net.Conn
}

// NewProxy listens on loopback and forwards to target (host:port); an
// empty target is a server that never answers. Closed when t ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln, target: target, hung: target == "", wake: make(chan struct{})}
	go p.serve()
	t.Cleanup(p.close)
	return p
}

// Addr is where clients connect.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Via returns a URL with its host replaced by the proxy's.
func (p *Proxy) Via(t testing.TB, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = p.Addr()
	return u.String()
}

// Hang stops forwarding on every connection, open or to come.
func (p *Proxy) Hang() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.hung {
		p.hung = true
		p.wake = make(chan struct{})
	}
}

// Refuse closes every connection, open or to come, until Resume.
func (p *Proxy) Refuse() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refusing = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// Resume forwards again; connections opened while hung are closed, as a
// database restarted would.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refusing = false
	if p.hung && p.target != "" {
		p.hung = false
		close(p.wake)
	}
}

func (p *Proxy) state() (bool, chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hung, p.wake
}

func (p *Proxy) refused() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refusing
}

func (p *Proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns = append(p.conns, c)
		p.mu.Unlock()
		go p.handle(c)
	}
}

func (p *Proxy) handle(c net.Conn) {
	defer c.Close()
	if p.refused() {
		return
	}
	if hung, wake := p.state(); hung {
		<-wake // then closed: its client gave up long ago
		return
	}
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer s.Close()
	done := make(chan struct{}, 2)
	go func() { p.copy(s, c); done <- struct{}{} }()
	go func() { p.copy(c, s); done <- struct{}{} }()
	<-done
}

// copy forwards until either side closes; while hung it holds what it
// read.
func (p *Proxy) copy(dst io.Writer, src io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if hung, wake := p.state(); hung {
				<-wake
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *Proxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	if p.hung {
		close(p.wake)
		p.hung = false
	}
}

// HostOf is a URL's host:port.
func HostOf(t testing.TB, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
