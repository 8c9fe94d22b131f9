package parse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/vssbot/vssbot/parse/evtx"
)

func isEVTX(b []byte) bool { return bytes.HasPrefix(b, []byte(evtx.Signature)) }

// evtxLog reads a binary Windows event log. Records from sources the event
// recogniser keeps are rendered as XML and read exactly like an XML
// export; the others are skipped by provider name without being rendered,
// which is what makes large logs fast.
func (p *Parser) evtxLog(ctx context.Context, c *collector, name string, r io.Reader, in *Input) error {
	rd, err := evtx.NewReader(r, evtx.Limits{})
	if err != nil {
		return fmt.Errorf("read event log: %w", err)
	}
	rd.SetContext(ctx) // checked before each chunk, whose rendering is bounded
	t := &textReader{p: p, c: c, source: name, format: "evtx"}
	var buf []byte
	var failed int64
	var firstErr error
	relevant := make(map[string]bool) // provider name: does the recogniser keep its records

	for {
		var rec *evtx.Record
		if rec, err = rd.Next(); err != nil {
			break
		}
		if prov, ok := rec.Provider(); ok {
			keep, seen := relevant[prov]
			if !seen {
				keep = relevantProvider(prov)
				if len(relevant) < 4096 {
					relevant[prov] = keep
				}
			}
			if !keep {
				continue
			}
		}
		if buf, err = rec.XML(buf[:0]); err != nil {
			failed++
			firstErr = firstOf(firstErr, err)
			continue
		}
		t.eventXML(buf, int(min(rec.ID, 1<<62)))
	}
	t.end()
	st := rd.Stats()
	in.Records = st.Records - failed
	in.Unreadable = st.Unreadable + failed
	if errors.Is(err, io.EOF) {
		err = nil
	}
	if in.Unreadable > 0 {
		in.Damage = damage(st.Problems, firstErr)
	}
	return err
}

func firstOf(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// damage says in one line where the first damage was found.
func damage(problems []string, renderErr error) string {
	switch {
	case len(problems) > 0:
		return problems[0]
	case renderErr != nil:
		return renderErr.Error()
	}
	return ""
}

// eventXML feeds one rendered record, line by line, to the recogniser of
// XML exports; n, the record's number, stands for the line.
func (t *textReader) eventXML(x []byte, n int) {
	t.line = n
	for len(x) > 0 {
		var line []byte
		line, x, _ = bytes.Cut(x, []byte{'\n'})
		t.ts = ""
		t.lower = appendLower(t.lower[:0], line)
		t.structured(line, 0, len(line))
		t.afterLine()
	}
	t.closeEvent()
}
