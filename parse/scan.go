package parse

import (
	"bytes"
	"context"
	"io"
)

const (
	// scanBlock is how much decoded text is searched at once for triggers.
	scanBlock = 256 << 10
	// minRead keeps reads into the block large (decoders need room for a
	// rune, and small reads waste calls).
	minRead = 4 << 10
	// overlap is what a line longer than a block keeps of its previous chunk,
	// so that a code straddling two chunks is still seen whole.
	overlap = 512
	// maxLineWork bounds the part of one line handed to the matchers.
	maxLineWork = 64 << 10
)

// scanner walks decoded text block by block and hands candidate lines to a
// textReader.
type scanner struct {
	t *textReader // nil in the pipeline's first stage, which knows no record state
	a *anchors
	v *verifier

	staged bool    // lines come from the pipeline, with the first stage's hits
	cands  []hit   // hits found by the first stage in the block being read
	ci     int     // next entry of cands
	pat    int32   // the pattern that verified at the last hit nextHit returned
	field  evField // the field of the last record key verified
	val    uint8   // where that key's value starts in its line
}

// hit is a verified candidate token: where its anchor bigram ends in the
// block, and which pattern verified there.
type hit struct {
	at, pat int32
	field   evField // a record key's field
	val     uint8   // and where its value starts in the line
}

// run reads r to its end. Memory is one block whatever the input: a line
// longer than a block is processed in chunks that overlap by a few bytes.
// sizeHint, when positive, is the whole decoded size known in advance
// (small inputs such as chat messages get a small buffer).
func (s *scanner) run(ctx context.Context, r io.Reader, sample func([]byte), sizeHint int) error {
	size := scanBlock
	if sizeHint > 0 && sizeHint < scanBlock-minRead {
		size = max(sizeHint+minRead+1, 2*overlap+minRead)
	}
	if size == scanBlock {
		return s.pipeline(ctx, r, sample)
	}
	return s.serial(ctx, r, sample, size)
}

// serial is run in one goroutine, with a block of size bytes.
func (s *scanner) serial(ctx context.Context, r io.Reader, sample func([]byte), size int) error {
	buf := make([]byte, size)
	n, sampled := 0, false
	cont := false // buf starts inside a line continued from the last chunk
	var readErr error
	for {
		var eof bool
		n, eof, readErr = fill(r, buf, n)
		if err := ctx.Err(); err != nil {
			s.t.end()
			return err
		}
		data := buf[:n]
		if !sampled {
			sample(data[:min(len(data), jpSample)])
			sampled = true
		}
		end := bytes.LastIndexByte(data, '\n') + 1
		switch {
		case eof:
			end = n
		case end == 0:
			// A line longer than the block: process this chunk, keep its
			// tail so that a code cut at the boundary is seen next time.
			s.lines(data, n, cont)
			copy(buf, data[n-overlap:n])
			n, cont = overlap, true
			continue
		}
		s.lines(data, end, cont) // what follows end is only looked at
		cont = false
		n = copy(buf, data[end:n])
		if eof {
			s.t.end()
			return readErr
		}
	}
}

// lines processes the complete lines of data[:limit] (the last one may
// lack its newline at the end of input or of a long-line chunk). What
// follows limit, the start of the next block, is only looked at: a code a
// console wrapped onto the next line is seen whole across a block's end.
// cont says the first line continues a chunk whose last overlap bytes it
// repeats.
func (s *scanner) lines(data []byte, limit int, cont bool) {
	t := s.t
	pos := 0
	for pos < limit {
		ls := pos
		if !t.wantAll() {
			hit := s.next(data, pos, limit)
			if hit >= limit {
				t.line += bytes.Count(data[pos:limit], []byte{'\n'})
				return
			}
			ls = pos + bytes.LastIndexByte(data[pos:hit], '\n') + 1
			t.line += bytes.Count(data[pos:ls], []byte{'\n'})
		}
		le := bytes.IndexByte(data[ls:limit], '\n')
		next := limit
		if le >= 0 {
			le += ls
			next = le + 1
		} else {
			le = limit
		}
		skip := 0
		if cont && ls == 0 {
			skip = overlap
		}
		if skip > 0 || !s.keyLine(data, ls, le) {
			t.process(data, ls, le, skip)
		}
		if le < limit {
			t.line++
		}
		pos = next
	}
}

// keyLine hands the line data[ls:le] to the reader's key-line path when
// the first stage's only hit on it is a record key at its start; it
// reports whether the line was read that way.
func (s *scanner) keyLine(data []byte, ls, le int) bool {
	if !s.staged {
		return false
	}
	for s.ci < len(s.cands) && int(s.cands[s.ci].at) < ls {
		s.ci++
	}
	if s.ci == len(s.cands) {
		return false
	}
	h := s.cands[s.ci]
	if int(h.at) != ls || h.pat != s.a.keyPat || s.ci+1 < len(s.cands) && int(s.cands[s.ci+1].at) <= le {
		return false
	}
	return s.t.keyLine(data, ls, le, ls+int(h.val), h.field)
}

// tokensIn reads the tokens of data[ls:le], a range of the block being
// read, at the first stage's hits in it: where the first stage verified
// nothing, no token the reader takes can stand (its checks are the
// verifier's or stricter). Without those hits it walks the range.
func (s *scanner) tokensIn(data []byte, ls, le int) {
	t := s.t
	if !s.staged {
		t.tokens(data, ls, le, 0)
		return
	}
	for k := s.ci; k < len(s.cands) && int(s.cands[k].at) <= le; k++ {
		at := int(s.cands[k].at)
		if at < ls || at == le {
			continue
		}
		bg := uint16('\n')<<8 | uint16(data[at]) // the range follows a line break
		if at > ls {
			bg = uint16(data[at-1])<<8 | uint16(data[at])
		}
		t.tokensAt(data, ls, le, 0, at, bg)
	}
}

// nextCandidate returns the position of the first verified candidate token
// at or after pos (a position on the token's line) and before limit, or
// limit. This loop is the parser's hot path: one table lookup per byte,
// four bytes a round. The verifiers see data whole, past limit too.
func (s *scanner) nextCandidate(data []byte, pos, limit int) int {
	return s.nextHit(data, pos, pos, limit)
}

// nextHit is nextCandidate looking at bigrams ending at from or later.
func (s *scanner) nextHit(data []byte, pos, from, limit int) int {
	hit := &s.a.hit
	i := from
	if i == 0 && limit > 0 {
		// The block starts a line: a virtual line break stands before it.
		if s.check(data, pos, 0, uint16('\n')<<8|uint16(data[0])) {
			return 0
		}
		i = 1
	}
	for ; i+4 <= limit; i += 4 {
		b := data[i-1 : i+4 : i+4]
		if !(hit[uint16(b[0])<<8|uint16(b[1])] || hit[uint16(b[1])<<8|uint16(b[2])] ||
			hit[uint16(b[2])<<8|uint16(b[3])] || hit[uint16(b[3])<<8|uint16(b[4])]) {
			continue
		}
		for k := range 4 {
			bg := uint16(b[k])<<8 | uint16(b[k+1])
			if hit[bg] {
				if s.check(data, pos, i+k, bg) {
					return i + k
				}
			}
		}
	}
	for ; i < limit; i++ {
		bg := uint16(data[i-1])<<8 | uint16(data[i])
		if hit[bg] {
			if s.check(data, pos, i, bg) {
				return i
			}
		}
	}
	return limit
}

// check verifies the patterns anchored on the bigram ending at data[i];
// it reports whether one verifies, and keeps its id in s.pat.
func (s *scanner) check(data []byte, pos, i int, bg uint16) bool {
	if bg>>8 == '\n' && s.a.keyAlone[bg&0xff] {
		// Only the key pattern starts lines with this byte: read the key
		// here, without the dispatch (most lines of an event export).
		return s.lineKeyAt(data, i)
	}
	for _, id := range s.a.at(bg) {
		p := &s.a.pats[id]
		if start := p.start(i); start >= pos-1 && s.verify(data, start, p) {
			s.pat = id
			return true
		}
	}
	return false
}

// lineKeyAt verifies the key pattern on the line starting at data[i].
func (s *scanner) lineKeyAt(data []byte, i int) bool {
	if !s.a.keyStart(data[i:]) {
		return false // most lines start with no key: their second byte says so
	}
	fl, val := s.a.lineKey(data[i:min(len(data), i+maxKeyLine)])
	if !s.keyTaken(fl, val) {
		return false
	}
	s.pat = s.a.keyPat
	return true
}

// fill reads into buf[n:] until it has less than minRead bytes of room or
// the input ends. What was read before an error is still diagnosed, so the
// error is returned beside the count; io.EOF is no error.
func fill(r io.Reader, buf []byte, n int) (int, bool, error) {
	for len(buf)-n >= minRead {
		m, err := r.Read(buf[n:])
		n += m
		if err == io.EOF {
			return n, true, nil
		}
		if err != nil {
			return n, true, err
		}
	}
	return n, false, nil
}
