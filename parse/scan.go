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

// baseTriggers are byte strings without which a line cannot hold evidence.
// Lines containing none of them are skipped without further work; the
// triggers are searched in whole blocks with bytes.Index, which is what
// makes skipping cheap. bytes.Index is fast when a trigger's first byte is
// rare in logs, so triggers start with rare bytes: "x" stands for "0x",
// "Exit", "exit" and "exception", "Writer" for "System Writer" and
// "SqlServerWriter". Only "rror" (for "error code 80070005") starts with a
// common byte.
var baseTriggers = []string{
	"x", "X", "Writer", "writer", "WRITER", "ライター", "終了", "エラー", "イベント",
	"VSS", "vss", "Vss", "VolSnap", "Volsnap", "volsnap", "VOLSNAP",
	"HRESULT", "HResult", "Hresult", "hresult", "rror", "RROR", "hr", "HR",
	"Log Name", "Event[", "TimeCreated", "<Event", "{",
}

// trigger is a group of trigger strings sharing their first byte, searched
// in one pass: IndexByte finds the byte, then each string is compared.
type trigger struct {
	anchor byte
	pats   [][]byte
}

// buildTriggers groups baseTriggers and the writer names that they would
// not catch (those without "writer" in them, such as NTDS), as the
// vocabulary spells them: names start with a capital, which keeps the
// search fast.
func buildTriggers(names []string) []trigger {
	var out []trigger
	seen := make(map[string]bool)
	add := func(s string) {
		if s == "" || seen[s] {
			return
		}
		seen[s] = true
		for i := range out {
			if out[i].anchor == s[0] {
				out[i].pats = append(out[i].pats, []byte(s))
				return
			}
		}
		out = append(out, trigger{anchor: s[0], pats: [][]byte{[]byte(s)}})
	}
	for _, t := range baseTriggers {
		add(t)
	}
	for _, n := range names {
		if !strings.Contains(strings.ToLower(n), "writer") {
			add(n)
		}
	}
	return out
}

// index returns the position of the trigger's first match in b, or -1. A
// single string goes to bytes.Index, which copes with a common first byte.
func (t *trigger) index(b []byte) int {
	if len(t.pats) == 1 {
		return bytes.Index(b, t.pats[0])
	}
	for off := 0; ; {
		j := bytes.IndexByte(b[off:], t.anchor)
		if j < 0 {
			return -1
		}
		at := off + j
		for _, p := range t.pats {
			if bytes.HasPrefix(b[at:], p) {
				return at
			}
		}
		off = at + 1
	}
}

// scanner walks decoded text block by block and hands candidate lines to a
// textReader.
type scanner struct {
	t    *textReader
	trig []trigger
	next []int
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
	buf := make([]byte, size)
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
			copy(buf, data[n-overlap:n])
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
	for i := range s.trig {
		if s.next[i] < pos {
			j := s.trig[i].index(data[pos:])
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
