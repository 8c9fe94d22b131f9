package parse

import (
	"io"
	"runtime"
	"sync"

	"golang.org/x/text/transform"
)

// aheadBlock is the size of the raw pieces an aheadReader decodes.
const aheadBlock = 128 << 10

// aheadReader decodes a large UTF-16 or Shift-JIS input on other
// goroutines while the scanner reads: decoding costs more than scanning
// there. The input is cut where a character surely starts (decodeCut), so
// the pieces decode on their own, two at a time, and are read in input
// order. Memory is a few pieces whatever the input.
type aheadReader struct {
	out  chan *aheadChunk // in input order
	free chan *aheadChunk
	done chan struct{} // closed by close: the scanner stopped
	wg   sync.WaitGroup
	cur  *aheadChunk
	off  int
}

type aheadChunk struct {
	raw   []byte
	b     []byte        // raw decoded, once ready is closed
	err   error         // the error that ended the input after raw, if any
	last  bool          // raw ends the input
	ready chan struct{} // closed once b is decoded
}

// readAhead starts decoding r, a text in enc (after its byte order mark).
// The caller must call close when it stops reading, even before the end.
func readAhead(enc string, r io.Reader) *aheadReader {
	decoders := min(runtime.GOMAXPROCS(0), 2)
	chunks := decoders + 3
	a := &aheadReader{
		out:  make(chan *aheadChunk, chunks),
		free: make(chan *aheadChunk, chunks),
		done: make(chan struct{}),
	}
	for range chunks {
		// Decoding at most triples the size (a half-width kana or an
		// invalid byte becomes three bytes of UTF-8).
		a.free <- &aheadChunk{raw: make([]byte, aheadBlock), b: make([]byte, 3*aheadBlock+4)}
	}
	work := make(chan *aheadChunk, chunks)
	a.wg.Go(func() {
		defer close(work)
		a.read(enc, r, work)
	})
	for range decoders {
		a.wg.Go(func() {
			t := newTransformer(enc)
			for c := range work {
				n, _, _ := t.Transform(c.b[:cap(c.b)], c.raw, true) // dst holds the worst case
				c.b = c.b[:n]
				close(c.ready)
			}
		})
	}
	return a
}

// read cuts r into pieces and hands each to the decoders and, in order, to
// the reader, until the input ends or close is called.
func (a *aheadReader) read(enc string, r io.Reader, work chan<- *aheadChunk) {
	var tail []byte // what the last piece left for the next
	for {
		var c *aheadChunk
		select {
		case c = <-a.free:
		case <-a.done:
			return
		}
		buf := c.raw[:cap(c.raw)]
		n := copy(buf, tail)
		var err error
		for err == nil && n < len(buf) {
			var m int
			m, err = r.Read(buf[n:])
			n += m
		}
		last := err != nil
		cut := n
		if !last {
			cut = decodeCut(enc, buf[:n])
		}
		if cut == 0 {
			// A piece of nothing but high surrogates: no cut is exact, and
			// one must be made for the input to go on.
			cut = n
		}
		tail = append(tail[:0], buf[cut:n]...)
		c.raw, c.last, c.ready = buf[:cut], last, make(chan struct{})
		c.err = nil
		if err != io.EOF {
			c.err = err
		}
		select {
		case work <- c:
		case <-a.done:
			return
		}
		select {
		case a.out <- c:
		case <-a.done:
			return
		}
		if last {
			return
		}
	}
}

// decodeCut returns where b may be cut so that both parts decode as the
// whole would: after a byte below 0x40 in Shift-JIS (never the second
// byte of a character), before a UTF-16 unit that follows no high
// surrogate.
func decodeCut(enc string, b []byte) int {
	switch enc {
	case encSJIS:
		for i := len(b) - 1; i >= 0; i-- {
			if b[i] < 0x40 {
				return i + 1
			}
		}
		return sjisAligned(b)
	case encUTF16LE, encUTF16BE:
		hi := 1 // the high byte of a unit
		if enc == encUTF16BE {
			hi = 0
		}
		k := len(b) &^ 1
		for ; k >= 2; k -= 2 {
			if u := b[k-2+hi]; u < 0xd8 || u > 0xdb {
				return k
			}
		}
		return 0
	}
	return len(b)
}

// sjisAligned returns the end of the last character wholly in b, walking
// it from its start as the decoder does: for the pathological piece with no
// byte below 0x40 at all.
func sjisAligned(b []byte) int {
	i := 0
	for i < len(b) {
		if c := b[i]; c >= 0x81 && c < 0xa0 || c >= 0xe0 && c < 0xfd {
			if i+1 == len(b) {
				return i // a lead byte whose partner is still to come
			}
			if c1 := b[i+1]; c1 >= 0x40 && c1 != 0x7f {
				i += 2
				continue
			}
		}
		i++
	}
	return i
}

// newTransformer returns a decoder to UTF-8 for enc.
func newTransformer(enc string) transform.Transformer {
	switch enc {
	case encUTF16LE:
		return &utf16Decoder{}
	case encUTF16BE:
		return &utf16Decoder{be: true}
	}
	return newSJISDecoder()
}

func (a *aheadReader) Read(p []byte) (int, error) {
	for a.cur == nil || a.off == len(a.cur.b) {
		if a.cur != nil {
			if a.cur.last {
				if a.cur.err != nil {
					return 0, a.cur.err
				}
				return 0, io.EOF
			}
			a.free <- a.cur
		}
		a.cur, a.off = <-a.out, 0
		<-a.cur.ready
	}
	n := copy(p, a.cur.b[a.off:])
	a.off += n
	return n, nil
}

// close stops the decoding and waits for its goroutines, so that nothing
// reads the input once the parser has moved on.
func (a *aheadReader) close() {
	close(a.done)
	a.wg.Wait()
}
