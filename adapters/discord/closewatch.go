package discord

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/gorilla/websocket"
)

// gatewayDialer dials the gateway through connections that report the
// close code of every close frame Discord sends. discordgo reads close
// frames in its own goroutine and only logs them; without this a 4014
// arriving after an Identify sent outside Open (on op 9) would make it
// reconnect forever with the refused intent.
//
// The TLS handshake is done here, so that the watch sits above it; when an
// HTTP proxy is configured for the API host the stock dialer is kept (the
// proxy needs gorilla's own dialing) and close codes are seen only when
// Open fails.
func (a *Adapter) gatewayDialer(api *url.URL) *websocket.Dialer {
	d := &websocket.Dialer{
		HandshakeTimeout: 45 * time.Second,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &closeWatch{Conn: c, onClose: a.sawClose}, nil
		},
	}
	if p, err := http.ProxyFromEnvironment(&http.Request{URL: api}); err != nil || p != nil {
		d.NetDialContext = nil
		d.Proxy = http.ProxyFromEnvironment
		return d
	}
	d.NetDialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		raw, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		host, _, _ := net.SplitHostPort(addr)
		tc := tls.Client(raw, &tls.Config{ServerName: host, NextProtos: []string{"http/1.1"}, MinVersion: tls.VersionTLS12})
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, err
		}
		return &closeWatch{Conn: tc, onClose: a.sawClose}, nil
	}
	return d
}

// sawClose remembers the last close code Discord sent, and tells a
// closeGateway waiting for it.
func (a *Adapter) sawClose(code int) {
	a.lastClose.Store(int32(code))
	select {
	case a.closeSeen <- struct{}{}:
	default:
	}
}

// closeWatch passes a websocket connection's bytes through unchanged while
// following the server's frames: the HTTP upgrade response first, then
// frame headers, whose close frames' codes it reports.
type closeWatch struct {
	net.Conn
	onClose func(code int)

	crlf   int // how much of "\r\n\r\n" ended the bytes so far; 4: in frames
	hdr    [14]byte
	hn     int   // header bytes collected
	skip   int64 // payload bytes still to pass
	close  bool  // the current payload is a close frame's
	code   [2]byte
	cn     int
	broken bool // unparseable: stop watching, never interfere
}

func (c *closeWatch) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.scan(p[:n])
	return n, err
}

func (c *closeWatch) scan(b []byte) {
	for len(b) > 0 && !c.broken {
		switch {
		case c.crlf < 4:
			if b[0] == "\r\n\r\n"[c.crlf] {
				c.crlf++
			} else if b[0] == '\r' {
				c.crlf = 1
			} else {
				c.crlf = 0
			}
			b = b[1:]
		case c.skip > 0:
			if c.close && c.cn < 2 {
				c.code[c.cn] = b[0]
				c.cn++
				c.skip--
				b = b[1:]
				if c.cn == 2 {
					c.onClose(int(c.code[0])<<8 | int(c.code[1]))
				}
				continue
			}
			n := int(min(c.skip, int64(len(b))))
			c.skip -= int64(n)
			b = b[n:]
		default:
			c.hdr[c.hn] = b[0]
			c.hn++
			b = b[1:]
			c.header()
		}
	}
}

// header decodes a frame header once it is complete.
func (c *closeWatch) header() {
	if c.hn < 2 {
		return
	}
	need := 2
	switch c.hdr[1] & 0x7f {
	case 126:
		need += 2
	case 127:
		need += 8
	}
	masked := c.hdr[1]&0x80 != 0
	if masked {
		need += 4 // servers never mask; a mask still has to be skipped
	}
	if c.hn < need {
		return
	}
	var size int64
	switch l := c.hdr[1] & 0x7f; l {
	case 126:
		size = int64(c.hdr[2])<<8 | int64(c.hdr[3])
	case 127:
		for _, x := range c.hdr[2:10] {
			size = size<<8 | int64(x)
		}
		if size < 0 {
			c.broken, size = true, 0
		}
	default:
		size = int64(l)
	}
	c.hn, c.cn, c.skip = 0, 0, size
	c.close = c.hdr[0]&0x0f == websocket.CloseMessage && !masked
}
