package parse

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Sizes of the zip records read before archive/zip opens an archive.
const (
	eocdLen       = 22 // end of central directory record, without its comment
	zip64LocLen   = 20 // zip64 end of central directory locator
	zip64EOCDLen  = 56 // zip64 end of central directory record, fixed part
	maxCommentLen = 0xffff
	// dirBytesPerEntry is the directory size allowed per permitted entry:
	// a header is 46 bytes plus name, extra field and comment, a few
	// hundred bytes in real bundles.
	dirBytesPerEntry = 1 << 10
)

// zipDirectory is what the end-of-central-directory record (or its zip64
// form) says of the central directory.
type zipDirectory struct {
	entries uint64
	size    uint64
}

// readZipDirectory reads the entry count and the directory size from the end
// of the archive: archive/zip reads the whole central directory into memory
// before any entry limit could apply.
func readZipDirectory(ra io.ReaderAt, size int64) (zipDirectory, error) {
	n := min(size, eocdLen+maxCommentLen)
	tail := make([]byte, n)
	if _, err := ra.ReadAt(tail, size-n); err != nil && !errors.Is(err, io.EOF) {
		return zipDirectory{}, err
	}
	i := findEOCD(tail)
	if i < 0 {
		return zipDirectory{}, zip.ErrFormat
	}
	rec := tail[i:]
	d := zipDirectory{
		entries: uint64(binary.LittleEndian.Uint16(rec[10:])),
		size:    uint64(binary.LittleEndian.Uint32(rec[12:])),
	}
	if d.entries != 0xffff && d.size != 0xffffffff && binary.LittleEndian.Uint32(rec[16:]) != 0xffffffff {
		return d, nil
	}
	// zip64: the locator sits right before the record and points at the
	// zip64 record, whose counts are 64-bit.
	at := size - n + int64(i) - zip64LocLen
	if at < 0 {
		return d, nil
	}
	loc := make([]byte, zip64LocLen)
	if _, err := ra.ReadAt(loc, at); err != nil || !bytes.HasPrefix(loc, []byte("PK\x06\x07")) {
		return d, nil // archive/zip decides what a record without a locator means
	}
	off := binary.LittleEndian.Uint64(loc[8:])
	if off > uint64(size-zip64EOCDLen) {
		return zipDirectory{}, zip.ErrFormat
	}
	rec64 := make([]byte, zip64EOCDLen)
	if _, err := ra.ReadAt(rec64, int64(off)); err != nil {
		return zipDirectory{}, err
	}
	if !bytes.HasPrefix(rec64, []byte("PK\x06\x06")) {
		return zipDirectory{}, zip.ErrFormat
	}
	return zipDirectory{
		entries: binary.LittleEndian.Uint64(rec64[32:]),
		size:    binary.LittleEndian.Uint64(rec64[40:]),
	}, nil
}

// findEOCD returns the offset in b of the last end-of-central-directory
// signature whose comment fits in b, or -1.
func findEOCD(b []byte) int {
	for i := len(b) - eocdLen; i >= 0; i-- {
		if b[i] == 'P' && b[i+1] == 'K' && b[i+2] == 5 && b[i+3] == 6 {
			if i+eocdLen+int(binary.LittleEndian.Uint16(b[i+20:])) <= len(b) {
				return i
			}
		}
	}
	return -1
}

// checkZipDirectory refuses an archive whose directory lists more entries,
// or takes more bytes, than the limits allow, before archive/zip reads it.
// It returns the byte budget for archive/zip's own reading of the directory.
func (p *Parser) checkZipDirectory(name string, ra io.ReaderAt, size int64) (int64, error) {
	d, err := readZipDirectory(ra, size)
	if err != nil {
		return 0, fmt.Errorf("%s: open zip: %w", name, err)
	}
	limit := p.limits.MaxArchiveEntries
	maxDir := uint64(limit) * dirBytesPerEntry
	if d.entries > uint64(limit) || d.size > maxDir {
		return 0, &LimitError{Input: name, Limit: "MaxArchiveEntries", Value: strconv.Itoa(limit),
			Detail: fmt.Sprintf("lists %d entries in a directory of %d bytes, more than %d entries allow; the archive was not opened", d.entries, d.size, limit)}
	}
	// archive/zip reads headers until one is malformed, whatever the
	// record says: the budget stops a directory longer than declared. The
	// slack covers the record search and bufio's read-ahead.
	return int64(d.size) + eocdLen + maxCommentLen + zip64LocLen + zip64EOCDLen + 64<<10, nil
}

// countingReaderAt counts the bytes read through it and, while budget is
// positive, fails reads past it.
type countingReaderAt struct {
	ra     io.ReaderAt
	n      int64
	budget int64
}

var errZipDirectoryTooLong = errors.New("central directory longer than its end record says")

func (c *countingReaderAt) ReadAt(b []byte, off int64) (int, error) {
	if c.budget > 0 && c.n+int64(len(b)) > c.budget {
		return 0, errZipDirectoryTooLong
	}
	n, err := c.ra.ReadAt(b, off)
	c.n += int64(n)
	return n, err
}
