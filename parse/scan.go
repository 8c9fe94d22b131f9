package parse

import (
	"bytes"
	"context"
	"io"
	"math"
	"strings"
)

const (
	// scanBlock is how much decoded text is searched at once for triggers.
	scanBlock = 1 << 20
	// minRead keeps reads into the block large (decoders need room for a
	// rune, and small reads waste calls).
	minRead = 4 << 10
	// overlap is what a line longer than a block keeps of its previous chunk,
	// so that a code straddling two chunks is still seen whole.
	overlap = 512
	// maxLineWork bounds the part of one line handed to the matchers.
	maxLineWork = 64 << 10
)

// baseTriggers are byte strings without which a line cannot hold evidence.
// Lines containing none of them are skipped without further work; the
// triggers are searched in whole blocks with bytes.Index, which is what
// makes skipping cheap.
var baseTriggers = []string{
	"0x", "0X", "Exit", "exit", "EXIT", "xception", "XCEPTION",
	"riter", "RITER", "ライター", "終了", "エラー", "イベント",
	"VSS", "vss", "Vss", "olSnap", "olsnap", "OLSNAP",
	"esult", "ESULT", "rror", "RROR", "hr", "HR",
	"Log Name", "Event[", "TimeCreated", "<Event", "{",
}

// buildTriggers adds, in three cases, the writer names that baseTriggers
// would not catch (those without "writer" in them, such as NTDS).
func buildTriggers(names []string) [][]byte {
	seen := make(map[string]bool)
	var out [][]byte
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, []byte(s))
		}
	}
	for _, t := range baseTriggers {
		add(t)
	}
	for _, n := range names {
		if strings.Contains(strings.ToLower(n), "riter") {
			continue
		}
		add(n)
		add(strings.ToLower(n))
		add(strings.ToUpper(n))
	}
	return out
}

// scanner walks decoded text block by block and hands candidate lines to a
// textReader.
type scanner struct {
	t    *textReader
	trig [][]byte
	next []int
}

// run reads r to its end. Memory is one block whatever the input: a line
// longer than a block is processed in chunks that overlap by a few bytes.
func (s *scanner) run(ctx context.Context, r io.Reader, sample func([]byte)) error {
	buf := make([]byte, scanBlock)
	s.next = make([]int, len(s.trig))
	n, sampled := 0, false
	cont := false // buf starts inside a line continued from the last chunk
	var readErr error
	for {
		eof := false
		for !eof && len(buf)-n >= minRead {
			m, err := r.Read(buf[n:])
			n += m
			if err != nil {
				// What was read before an error is still diagnosed.
				eof = true
				if err != io.EOF {
					readErr = err
				}
			}
		}
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
			s.lines(data, cont)
			copy(buf, data[n-overlap:])
			n, cont = overlap, true
			continue
		}
		s.lines(data[:end], cont)
		cont = false
		n = copy(buf, data[end:n])
		if eof {
			s.t.end()
			return readErr
		}
	}
}

// lines processes the complete lines of data (the last one may lack its
// newline at the end of input or of a long-line chunk). cont says the first
// line continues a chunk whose last overlap bytes it repeats.
func (s *scanner) lines(data []byte, cont bool) {
	for i := range s.next {
		s.next[i] = -1
	}
	t := s.t
	pos := 0
	for pos < len(data) {
		var ls int
		if t.wantAll() {
			ls = pos
		} else {
			hit := s.nextHit(data, pos)
			if hit == math.MaxInt {
				t.line += bytes.Count(data[pos:], []byte{'\n'})
				return
			}
			ls = pos + bytes.LastIndexByte(data[pos:hit], '\n') + 1
			t.line += bytes.Count(data[pos:ls], []byte{'\n'})
		}
		le := bytes.IndexByte(data[ls:], '\n')
		next := len(data)
		if le >= 0 {
			le += ls
			next = le + 1
		} else {
			le = len(data)
		}
		skip := 0
		if cont && ls == 0 {
			skip = overlap
		}
		t.process(data, ls, le, skip)
		if le < len(data) {
			t.line++
		}
		pos = next
	}
}

// nextHit returns the position of the earliest trigger at or after pos.
// Each trigger's next occurrence is remembered, so each is searched about
// once per block rather than once per line.
func (s *scanner) nextHit(data []byte, pos int) int {
	best := math.MaxInt
	for i, tr := range s.trig {
		if s.next[i] < pos {
			j := bytes.Index(data[pos:], tr)
			if j < 0 {
				s.next[i] = math.MaxInt
			} else {
				s.next[i] = pos + j
			}
		}
		best = min(best, s.next[i])
	}
	return best
}
