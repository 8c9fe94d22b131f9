package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// errInterrupted ends a command that a signal stopped before its input was
// read to the end: no report is printed, since it would read as "nothing
// found".
var errInterrupted = &exitError{code: ExitInterrupted, err: errors.New("interrupted: the input was not read to its end, so there is no report")}

// readerCtx returns a reader whose Read returns as soon as ctx is done,
// even while r is blocked on a terminal, a pipe or a FIFO that Go cannot
// interrupt. The blocked read is left to the process's exit.
func readerCtx(ctx context.Context, r io.Reader) io.Reader {
	return &ctxReader{ctx: ctx, r: r, res: make(chan readResult, 1)}
}

type readResult struct {
	b   []byte
	err error
}

type ctxReader struct {
	ctx     context.Context
	r       io.Reader
	res     chan readResult
	waiting bool   // a read is under way in its goroutine
	left    []byte // what the last read brought beyond the caller's buffer
	err     error  // the error that came with left
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if len(c.left) > 0 {
		n := copy(p, c.left)
		c.left = c.left[n:]
		if len(c.left) == 0 {
			return n, c.err
		}
		return n, nil
	}
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	if !c.waiting {
		c.waiting = true
		buf := make([]byte, max(len(p), 32<<10))
		go func() {
			n, err := c.r.Read(buf)
			c.res <- readResult{buf[:n], err}
		}()
	}
	select {
	case <-c.ctx.Done():
		return 0, c.ctx.Err()
	case r := <-c.res:
		c.waiting = false
		n := copy(p, r.b)
		if n < len(r.b) {
			c.left, c.err = r.b[n:], r.err
			return n, nil
		}
		return n, r.err
	}
}

// openCtx opens a named input; opening a FIFO waits for its writer, so the
// wait ends with ctx too.
func openCtx(ctx context.Context, name string) (*os.File, error) {
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(name)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		return o.f, o.err
	case <-ctx.Done():
		go func() { // a writer may still come: close what it opens
			if o := <-ch; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, fmt.Errorf("open %s: %w", name, ctx.Err())
	}
}

// isRegular reports whether f is a regular file, which never blocks.
func isRegular(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode().IsRegular()
}
