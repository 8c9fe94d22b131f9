package parse

import (
	"bytes"
	"context"
	"io"
)

// The scanner of a large input runs in two stages on two goroutines. The
// first reads blocks and finds the hits that verify without knowing what
// the text reader is inside of (a superset: a record's Level key and a
// loose hex code are let through); the second reads candidate lines from
// those hits, verifying each again with the reader's state, so it finds the
// lines the single loop would. Blocks, cut at the same line ends as run
// cuts them, go from one stage to the other in order; memory is a few
// blocks whatever the input.

// scanned is one block of complete lines and the first stage's hits in it.
type scanned struct {
	data  []byte
	whole []byte // data and the part line after it, as read
	cont  bool   // data continues a long line (see run)
	cands []hit  // the hits, ascending
	eof   bool
	err   error // the read error after data, if any
}

// pipelineBlocks is how many blocks are in flight: one being filled, one
// being read, one waiting between them.
const pipelineBlocks = 3

func (s *scanner) pipeline(ctx context.Context, r io.Reader, sample func([]byte)) error {
	out := make(chan *scanned, 1)
	free := make(chan *scanned, pipelineBlocks)
	for range pipelineBlocks {
		free <- &scanned{data: make([]byte, scanBlock)}
	}
	done := make(chan struct{})
	exited := make(chan struct{})
	pre := &scanner{a: s.a, v: &verifier{p: s.v.p}}
	go func() {
		defer close(exited)
		pre.blocks(r, free, out, done)
	}()
	stop := func() {
		close(done)
		<-exited
	}
	sampled := false
	for b := range out {
		if err := ctx.Err(); err != nil {
			stop()
			s.t.end()
			return err
		}
		if !sampled {
			sample(b.whole[:min(len(b.whole), jpSample)])
			sampled = true
		}
		s.staged, s.cands, s.ci = true, b.cands, 0
		s.lines(b.data, b.cont)
		s.staged, s.cands = false, nil
		if b.eof {
			stop()
			s.t.end()
			return b.err
		}
		free <- b
	}
	return nil // not reached: the first stage ends with an eof block
}

// blocks is the first stage: it reads r into blocks cut as run cuts them
// and sends each with its hits, until the input ends or done is closed.
func (s *scanner) blocks(r io.Reader, free <-chan *scanned, out chan<- *scanned, done <-chan struct{}) {
	var tail []byte // what the last block left for the next (a part line)
	cont := false
	for {
		var b *scanned
		select {
		case b = <-free:
		case <-done:
			return
		}
		buf := b.data[:cap(b.data)]
		n := copy(buf, tail) // tail may lie in buf itself: copy moves it
		n, eof, readErr := fill(r, buf, n)
		data := buf[:n]
		end := bytes.LastIndexByte(data, '\n') + 1
		next := cont
		switch {
		case eof:
			end = n
		case end == 0:
			end, next = n, true
			tail = data[n-overlap : n]
		default:
			next = false
			tail = data[end:n]
		}
		b.data, b.whole, b.cont, b.eof, b.err = data[:end], data, cont, eof, readErr
		b.cands = s.hits(b.data, b.cands[:0])
		cont = next
		select {
		case out <- b:
		case <-done:
			return
		}
		if eof {
			return
		}
	}
}

// hits appends to dst the position of every hit in data that verifies
// without the reader's state.
func (s *scanner) hits(data []byte, dst []hit) []hit {
	if len(data) == 0 {
		return dst
	}
	for from := 0; ; {
		i := s.nextHit(data, 0, from)
		if i >= len(data) {
			return dst
		}
		dst = append(dst, hit{at: int32(i), pat: s.pat, field: s.field, val: s.val})
		from = i + 1
	}
}

// next returns the next candidate at or after pos, from the first stage's
// hits when there are, else by scanning.
func (s *scanner) next(data []byte, pos int) int {
	if !s.staged {
		return s.nextCandidate(data, pos)
	}
	for ; s.ci < len(s.cands); s.ci++ {
		h := s.cands[s.ci]
		i := int(h.at)
		if i < pos {
			continue
		}
		// What the first stage verified without state holds here too.
		if p := &s.a.pats[h.pat]; p.stateless(h.field) && p.start(i) >= pos-1 {
			s.pat, s.field, s.val = h.pat, h.field, h.val
			return i
		}
		bg := uint16('\n')<<8 | uint16(data[0])
		if i > 0 {
			bg = uint16(data[i-1])<<8 | uint16(data[i])
		}
		if s.check(data, pos, i, bg) {
			return i
		}
	}
	return len(data)
}
