package parse

import (
	"bytes"
	"context"
	"io"
	"math/bits"
	"runtime"
	"sync"
)

// The scanner of a large input runs in two stages. The first reads blocks
// and finds the hits that verify without knowing what the text reader is
// inside of (a superset: a record's Level key and a loose hex code are let
// through); its search runs on a block as soon as the block is read, on
// as many goroutines as there are processors, since blocks do not depend
// on each other. The second stage takes the blocks in order and reads
// candidate lines from those hits, verifying each again with the reader's
// state, so it finds the lines the single loop would. Blocks are cut at
// the same line ends as run cuts them; memory is a few blocks whatever the
// input.

// scanned is one block of complete lines and the first stage's hits in it.
type scanned struct {
	data  []byte
	whole []byte        // data and the part line after it, as read
	cont  bool          // data continues a long line (see run)
	cands []hit         // the hits, ascending
	ready chan struct{} // closed once cands is complete
	eof   bool
	err   error // the read error after data, if any
}

// pipelineBlocks is how many blocks are in flight: one being filled, one
// being searched per searcher, one being read by the second stage, one
// waiting.
func pipelineBlocks(searchers int) int { return searchers + 3 }

func (s *scanner) pipeline(ctx context.Context, r io.Reader, sample func([]byte)) error {
	searchers := min(runtime.GOMAXPROCS(0), 2)
	out := make(chan *scanned, pipelineBlocks(searchers))
	work := make(chan *scanned, pipelineBlocks(searchers))
	free := make(chan *scanned, pipelineBlocks(searchers))
	for range pipelineBlocks(searchers) {
		free <- &scanned{data: make([]byte, scanBlock)}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(work)
		blocks(r, free, work, out, done)
	})
	for range searchers {
		pre := &scanner{a: s.a, v: &verifier{p: s.v.p}}
		wg.Go(func() {
			for b := range work {
				b.cands = pre.hits(b.whole, len(b.data), b.cands[:0])
				close(b.ready)
			}
		})
	}
	stop := func() {
		close(done)
		wg.Wait()
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
		<-b.ready
		s.staged, s.cands, s.ci = true, b.cands, 0
		s.lines(b.whole, len(b.data), b.cont)
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

// blocks reads r into blocks cut as run cuts them and sends each both to
// be searched and, in order, to the second stage, until the input ends or
// done is closed.
func blocks(r io.Reader, free <-chan *scanned, work, out chan<- *scanned, done <-chan struct{}) {
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
		b.ready = make(chan struct{})
		cont = next
		// Both channels hold every block in flight, so neither send waits
		// for long; done still ends the wait.
		select {
		case work <- b:
		case <-done:
			return
		}
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

// hits appends to dst the position of every hit in data[:limit] that
// verifies without the reader's state.
func (s *scanner) hits(data []byte, limit int, dst []hit) []hit {
	from := 0
	if f := s.a.filter(); f != nil && limit > 0 {
		if s.check(data, 0, 0, uint16('\n')<<8|uint16(data[0])) {
			dst = s.appendHit(dst, 0)
		}
		dst, from = s.filtered(f, data, limit, dst)
	}
	for from < limit {
		i := s.nextHit(data, 0, from, limit)
		if i >= limit {
			return dst
		}
		dst = s.appendHit(dst, i)
		from = i + 1
	}
	return dst
}

func (s *scanner) appendHit(dst []hit, i int) []hit {
	return append(dst, hit{at: int32(i), pat: s.pat, field: s.field, val: s.val})
}

// filtered is hits for the positions from 1 up to the last whole round of
// 32 before limit, which the bigram filter picks out; it returns where the
// caller goes on.
func (s *scanner) filtered(f *bigramFilter, data []byte, limit int, dst []hit) ([]hit, int) {
	hit := &s.a.hit
	var masks [64]uint32
	i := 1
	for i+32 <= limit {
		n := min(len(masks), (limit-i)/32)
		f.masks(data[i-1:], masks[:n])
		for k, m := range masks[:n] {
			for m != 0 {
				p := i + 32*k + bits.TrailingZeros32(m)
				m &= m - 1
				bg := uint16(data[p-1])<<8 | uint16(data[p])
				if hit[bg] && s.check(data, 0, p, bg) {
					dst = s.appendHit(dst, p)
				}
			}
		}
		i += 32 * n
	}
	return dst, i
}

// next returns the next candidate at or after pos, from the first stage's
// hits when there are, else by scanning.
func (s *scanner) next(data []byte, pos, limit int) int {
	if !s.staged {
		return s.nextCandidate(data, pos, limit)
	}
	for ; s.ci < len(s.cands); s.ci++ {
		h := s.cands[s.ci]
		i := int(h.at)
		if i < pos {
			continue
		}
		// What the first stage verified without state holds here too.
		if taken, known := s.settled(h, pos); known {
			if !taken {
				continue
			}
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
	return limit
}

// settled says whether the first stage's verdict on h holds for the line
// at pos as it stands (known), and if so whether the hit is taken: what the
// verifier decided without state holds, and a Level key needs only the
// record's relevance. Other hits are verified again.
func (s *scanner) settled(h hit, pos int) (taken, known bool) {
	p := &s.a.pats[h.pat]
	switch {
	case p.start(int(h.at)) < pos-1:
		return false, false
	case p.stateless(h.field):
		return true, true
	case h.pat == s.a.keyPat:
		ev := s.t.ev
		return ev == nil || !ev.irrelevant, true
	}
	return false, false
}
