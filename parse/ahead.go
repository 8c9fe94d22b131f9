package parse

import "io"

// aheadBlock is the size of the blocks an aheadReader decodes in advance.
const aheadBlock = 256 << 10

// aheadReader decodes a large UTF-16 or Shift-JIS input on a second
// goroutine while the scanner reads the previous block: decoding costs as
// much as scanning there, and the machine has a second core. Memory is two
// blocks; the order of the bytes is that of the input.
type aheadReader struct {
	full   chan aheadChunk // decoded blocks, in input order
	free   chan []byte     // blocks the reader has finished with
	done   chan struct{}   // closed by close: the scanner stopped
	exited chan struct{}   // closed when the decoding goroutine returns
	cur    aheadChunk
	off    int
}

type aheadChunk struct {
	b   []byte
	err error // the error that ended the input after b, if any
}

// readAhead starts decoding r. The caller must call close when it stops
// reading, even before the end.
func readAhead(r io.Reader) *aheadReader {
	a := &aheadReader{
		full:   make(chan aheadChunk, 1),
		free:   make(chan []byte, 2),
		done:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	a.free <- make([]byte, aheadBlock)
	a.free <- make([]byte, aheadBlock)
	go a.fill(r)
	return a
}

func (a *aheadReader) fill(r io.Reader) {
	defer close(a.exited)
	for {
		var buf []byte
		select {
		case buf = <-a.free:
		case <-a.done:
			return
		}
		// Reads leave minRead bytes of room: a decoder needs space for a
		// whole rune.
		n := 0
		var err error
		for err == nil && len(buf)-n >= minRead {
			var m int
			m, err = r.Read(buf[n:])
			n += m
		}
		select {
		case a.full <- aheadChunk{b: buf[:n], err: err}:
		case <-a.done:
			return
		}
		if err != nil {
			return
		}
	}
}

func (a *aheadReader) Read(p []byte) (int, error) {
	for a.off == len(a.cur.b) {
		if a.cur.err != nil {
			return 0, a.cur.err
		}
		if a.cur.b != nil {
			a.free <- a.cur.b[:cap(a.cur.b)]
		}
		a.cur, a.off = <-a.full, 0
	}
	n := copy(p, a.cur.b[a.off:])
	a.off += n
	return n, nil
}

// close stops the decoding and waits for its goroutine, so that nothing
// reads the input once the parser has moved on.
func (a *aheadReader) close() {
	close(a.done)
	<-a.exited
}
