package parse

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
)

func isZip(b []byte) bool {
	return bytes.HasPrefix(b, []byte("PK\x03\x04")) || bytes.HasPrefix(b, []byte("PK\x05\x06"))
}

func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// ratioSlack is how many bytes any entry may expand to before MaxRatio is
// checked: tiny, very repetitive logs legitimately compress far beyond it.
const ratioSlack = 1 << 20

// zip diagnoses every entry of a zip archive. archive/zip needs random
// access, so a reader that is not seekable is spooled to a temporary file.
func (p *Parser) zip(ctx context.Context, c *collector, name string, r io.Reader, br *bufio.Reader, depth int) (int64, error) {
	if depth >= p.limits.MaxDepth {
		return 0, &LimitError{Input: name, Limit: "MaxDepth", Value: strconv.Itoa(p.limits.MaxDepth)}
	}
	ra, size, cleanup, err := p.readerAt(name, r, br)
	if err != nil {
		return size, err
	}
	defer cleanup()
	budget, err := p.checkZipDirectory(name, ra, size)
	if err != nil {
		return size, err
	}
	cra := &countingReaderAt{ra: ra, budget: budget}
	zr, err := zip.NewReader(cra, size)
	if err != nil {
		return size, fmt.Errorf("%s: open zip: %w", name, err)
	}
	cra.budget = 0 // entries are bounded by the expansion limits
	var errs []error
	for i, f := range zr.File {
		if i >= p.limits.MaxArchiveEntries {
			errs = append(errs, &LimitError{Input: name, Limit: "MaxArchiveEntries", Value: strconv.Itoa(p.limits.MaxArchiveEntries)})
			break
		}
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		if f.FileInfo().IsDir() {
			continue
		}
		err := p.entry(ctx, c, name+":"+f.Name, f, cra, depth)
		if err == nil {
			continue
		}
		errs = append(errs, err)
		var le *LimitError
		if errors.As(err, &le) && le.Limit == "MaxExpandedBytes" || ctx.Err() != nil {
			break
		}
	}
	return size, errors.Join(errs...)
}

// entry parses one zip entry under the expansion limits. Its ratio is taken
// over the compressed bytes really read (ra counts them), not the size the
// directory declares: a declared size can be anything.
func (p *Parser) entry(ctx context.Context, c *collector, name string, f *zip.File, ra *countingReaderAt, depth int) error {
	rc, err := f.Open()
	if err != nil {
		err = fmt.Errorf("%s: %w", name, err)
		c.res.Inputs = append(c.res.Inputs, Input{Source: name, Error: err.Error()})
		return err
	}
	defer rc.Close()
	declared, start := int64(min(f.CompressedSize64, 1<<62)), ra.n
	compressed := func() int64 { return min(declared, ra.n-start) }
	br := &budgetReader{r: rc, c: c, p: p, name: name, compressed: compressed}
	return p.parse(ctx, c, name, br, depth+1)
}

// readerAt gives random access to a zip: directly when r allows it, else
// through a temporary file of at most MaxSpoolBytes.
func (p *Parser) readerAt(name string, r io.Reader, br *bufio.Reader) (io.ReaderAt, int64, func(), error) {
	type readerAtSeeker interface {
		io.ReaderAt
		io.Seeker
	}
	if rs, ok := r.(readerAtSeeker); ok {
		if size, err := rs.Seek(0, io.SeekEnd); err == nil {
			return rs, size, func() {}, nil
		}
	}
	tmp, err := os.CreateTemp("", "vssbot-zip-*")
	if err != nil {
		return nil, 0, nil, fmt.Errorf("%s: spool zip: %w", name, err)
	}
	cleanup := func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}
	n, err := io.Copy(tmp, io.LimitReader(br, p.limits.MaxSpoolBytes+1))
	switch {
	case err != nil:
		cleanup()
		return nil, n, nil, fmt.Errorf("%s: spool zip: %w", name, err)
	case n > p.limits.MaxSpoolBytes:
		cleanup()
		return nil, n, nil, &LimitError{Input: name, Limit: "MaxSpoolBytes", Value: strconv.FormatInt(p.limits.MaxSpoolBytes, 10)}
	}
	return tmp, n, cleanup, nil
}

// gzip parses the single stream of a gzip file as an entry of it.
func (p *Parser) gzip(ctx context.Context, c *collector, name string, br *bufio.Reader, cr *countReader, depth int) error {
	if depth >= p.limits.MaxDepth {
		return &LimitError{Input: name, Limit: "MaxDepth", Value: strconv.Itoa(p.limits.MaxDepth)}
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return fmt.Errorf("%s: open gzip: %w", name, err)
	}
	defer zr.Close()
	inner := zr.Header.Name
	if inner == "" || strings.ContainsAny(inner, "\x00\n") {
		inner = strings.TrimSuffix(strings.TrimSuffix(path.Base(name), ".gz"), ".tgz")
	}
	entry := name + ":" + inner
	bud := &budgetReader{r: zr, c: c, p: p, name: entry, compressed: func() int64 { return cr.n }}
	return p.parse(ctx, c, entry, bud, depth+1)
}

// budgetReader stops a decompressing reader at MaxExpandedBytes for the
// whole container tree and at MaxRatio for the entry.
type budgetReader struct {
	r          io.Reader
	c          *collector
	p          *Parser
	name       string
	n          int64
	compressed func() int64
}

func (b *budgetReader) Read(buf []byte) (int, error) {
	n, err := b.r.Read(buf)
	b.n += int64(n)
	b.c.expanded += int64(n)
	l := b.p.limits
	switch {
	case b.c.expanded > l.MaxExpandedBytes:
		return n, &LimitError{Input: b.name, Limit: "MaxExpandedBytes", Value: strconv.FormatInt(l.MaxExpandedBytes, 10)}
	case b.n > ratioSlack && float64(b.n) > l.MaxRatio*float64(max(b.compressed(), 1)):
		return n, &LimitError{Input: b.name, Limit: "MaxRatio", Value: strconv.FormatFloat(l.MaxRatio, 'g', -1, 64)}
	}
	return n, err
}
