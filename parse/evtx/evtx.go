// Package evtx reads Windows XML Event Log files (.evtx) as a stream: the
// file header, then one 64 KiB chunk at a time, each holding event records
// in Binary XML with the chunk's templates and names. Memory stays at a few
// chunks whatever the file size, and damage (a chunk with a bad signature,
// checksum or template, a file cut short) costs only the records it touches:
// they are counted, the rest of the file is still read.
//
// The layout follows the public format notes (libyal's "Windows XML Event
// Log (EVTX)" and Microsoft's MS-EVEN6 Binary XML section).
package evtx

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// Signature starts every .evtx file.
const Signature = "ElfFile\x00"

const (
	chunkSignature  = "ElfChnk\x00"
	recordSignature = "\x2a\x2a\x00\x00"
	// ChunkSize is the size of every chunk.
	ChunkSize        = 64 << 10
	fileHeaderSize   = 4096
	chunkHeaderSize  = 512
	recordHeaderSize = 24
	// maxChunkRecords bounds how many records a chunk can hold (the
	// smallest record is a header, a few tokens and the size copy).
	maxChunkRecords = (ChunkSize - chunkHeaderSize) / 32
)

// Limits bound what a hostile file may cost. Zero fields take defaults.
type Limits struct {
	MaxDepth     int // nesting of elements and templates in one record (default 64)
	MaxValues    int // substitution values in one template instance (default 1024)
	MaxRecord    int // bytes of one record (default one chunk's data area)
	MaxRendered  int // bytes of one record rendered as XML (default 1 MiB)
	MaxTemplates int // distinct templates kept per chunk (default 4096)
	// Rendering work (a node or child visited, a byte of Binary XML value
	// decoded, 16 bytes written) allowed for the records of one chunk
	// (default 1Mi), and for the whole file: WorkPerByte per byte of chunks
	// read so far plus one chunk's allowance (default 4). Real logs spend
	// under 60Ki on a chunk and under 0.7 per byte; a file of nested
	// templates, whose records cost far more to render than their size, is
	// stopped at the budget and its chunks reported as damaged.
	ChunkWork   int64
	WorkPerByte int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = 64
	}
	if l.MaxValues <= 0 {
		l.MaxValues = 1024
	}
	if l.MaxRecord <= 0 || l.MaxRecord > ChunkSize-chunkHeaderSize {
		l.MaxRecord = ChunkSize - chunkHeaderSize
	}
	if l.MaxRendered <= 0 {
		l.MaxRendered = 1 << 20
	}
	if l.MaxTemplates <= 0 {
		l.MaxTemplates = 4096
	}
	if l.ChunkWork <= 0 {
		l.ChunkWork = 1 << 20
	}
	if l.WorkPerByte <= 0 {
		l.WorkPerByte = 4
	}
	return l
}

// ErrNotEVTX is returned when the input does not start with Signature.
var ErrNotEVTX = errors.New("not an EVTX file (no ElfFile signature)")

// Header is the file header's useful part.
type Header struct {
	FirstChunk, LastChunk uint64
	NextRecord            uint64
	Major, Minor          uint16
	Chunks                uint16
	Flags                 uint32 // 1: dirty (not closed cleanly), 2: full
	ChecksumOK            bool
}

// Stats counts what was read and what was lost.
type Stats struct {
	Chunks     int   // chunks seen (unused, all-zero chunks excluded)
	BadChunks  int   // chunks where records were lost to damage
	Records    int64 // records read
	Unreadable int64 // records known to exist that could not be read
	Work       int64 // rendering work spent (see Limits.ChunkWork)
	// Problems lists the first few damages found, each naming its chunk.
	Problems []string
}

const maxProblems = 8

// Reader reads records from an EVTX stream. It is not safe for concurrent
// use. A Record returned by Next is valid until the following call.
type Reader struct {
	r      io.Reader
	lim    Limits
	header Header
	stats  Stats

	buf     []byte // the current chunk
	n       int    // bytes of buf read from the input
	index   int    // number of the current chunk in the file
	off     int    // next record's offset in buf
	end     int    // end of the record area
	hdr     chunkHeader
	inChunk bool
	seen    int64    // records read in the current chunk
	failed  int64    // records of the current chunk that could not be decoded
	notes   []string // what is wrong with the current chunk
	eof     bool
	counted bool   // missingChunks has run
	maxID   uint64 // highest record identifier read
	ctx     context.Context

	read       int64 // bytes of chunks read
	chunkWork  int64 // rendering work spent on the current chunk
	overBudget bool  // the current chunk's or the file's budget is spent

	names     map[uint32]string
	templates map[uint32]*template
	providers map[string]string
	rec       Record
	nodes     []node // the current record's top nodes
}

// NewReader reads the file header from r and returns a Reader positioned
// at the first chunk.
func NewReader(r io.Reader, lim Limits) (*Reader, error) {
	head := make([]byte, fileHeaderSize)
	n, err := io.ReadFull(r, head)
	if n < 128 || !bytes.HasPrefix(head, []byte(Signature)) {
		if n >= len(Signature) && !bytes.HasPrefix(head, []byte(Signature)) {
			return nil, ErrNotEVTX
		}
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("read file header: %w", err)
	}
	rd := &Reader{
		r:         r,
		lim:       lim.withDefaults(),
		buf:       make([]byte, ChunkSize),
		names:     make(map[uint32]string),
		templates: make(map[uint32]*template),
		providers: make(map[string]string),
	}
	h := &rd.header
	h.FirstChunk = binary.LittleEndian.Uint64(head[8:])
	h.LastChunk = binary.LittleEndian.Uint64(head[16:])
	h.NextRecord = binary.LittleEndian.Uint64(head[24:])
	h.Minor = binary.LittleEndian.Uint16(head[36:])
	h.Major = binary.LittleEndian.Uint16(head[38:])
	h.Chunks = binary.LittleEndian.Uint16(head[42:])
	h.Flags = binary.LittleEndian.Uint32(head[120:])
	h.ChecksumOK = crc32.ChecksumIEEE(head[:120]) == binary.LittleEndian.Uint32(head[124:])
	// The header block is 4096 bytes in every known version; a header
	// that says otherwise is damaged, and the chunks are still where
	// Windows puts them.
	if err != nil {
		rd.eof = true
	}
	return rd, nil
}

// SetContext makes Next return ctx's error, checked before each chunk, once
// ctx is done; rendering one chunk is bounded by Limits.ChunkWork.
func (r *Reader) SetContext(ctx context.Context) { r.ctx = ctx }

// budget is the rendering work the current chunk may still use: what is
// left of its own allowance and of the file's, which grows with the bytes
// read so that ordinary chunks never run short while costly ones add up.
func (r *Reader) budget() int64 {
	file := r.lim.ChunkWork + r.lim.WorkPerByte*r.read - r.stats.Work
	return max(0, min(r.lim.ChunkWork-r.chunkWork, file))
}

func (r *Reader) charge(work int64) {
	r.chunkWork += work
	r.stats.Work += work
}

// Header returns the file header.
func (r *Reader) Header() Header { return r.header }

// Stats returns what has been read so far.
func (r *Reader) Stats() Stats { return r.stats }

func (r *Reader) problem(format string, args ...any) {
	if len(r.stats.Problems) < maxProblems {
		r.stats.Problems = append(r.stats.Problems, fmt.Sprintf("chunk %d: ", r.index)+fmt.Sprintf(format, args...))
	}
}

// Next returns the next readable record, or io.EOF after the last one.
// Damaged records and chunks are counted in Stats and skipped, as are the
// records of a chunk left once rendering went over budget (Record.XML); any
// other error comes from the underlying reader or the context (SetContext).
func (r *Reader) Next() (*Record, error) {
	for {
		if r.inChunk {
			rec, ok := r.nextRecord()
			if ok {
				r.maxID = max(r.maxID, rec.ID)
				r.stats.Records++
				r.seen++
				return rec, nil
			}
			r.finishChunk()
		}
		if r.eof {
			r.missingChunks()
			return nil, io.EOF
		}
		if err := r.readChunk(); err != nil {
			return nil, err
		}
	}
}

// missingChunks counts, once, the records of chunks the file header
// promises but a file cut short does not hold, from the header's next
// record identifier.
func (r *Reader) missingChunks() {
	read := r.index + 1
	if r.n == 0 {
		read = r.index
	}
	missing := int(r.header.Chunks) - read
	if r.counted || missing <= 0 {
		return
	}
	r.counted = true
	next := r.header.NextRecord
	if r.maxID == 0 || next <= r.maxID+1 || next-r.maxID-1 > uint64(missing*maxChunkRecords) {
		r.stats.BadChunks += missing
		r.stats.Problems = append(r.stats.Problems, fmt.Sprintf("the file ends before %d more chunks", missing))
		return
	}
	lost := int64(next - r.maxID - 1)
	r.stats.BadChunks += missing
	r.stats.Unreadable += lost
	r.stats.Problems = append(r.stats.Problems, fmt.Sprintf("the file ends before %d more chunks: %d records could not be read", missing, lost))
}

// readChunk loads the next chunk and checks its header; a chunk that
// cannot be read at all is counted and left with inChunk false.
func (r *Reader) readChunk() error {
	if r.ctx != nil {
		if err := r.ctx.Err(); err != nil {
			return err
		}
	}
	if r.n > 0 {
		r.index++
	}
	n, err := io.ReadFull(r.r, r.buf)
	r.n = n
	r.read += int64(n)
	switch {
	case err == io.EOF:
		r.eof = true
		return nil
	case err == io.ErrUnexpectedEOF:
		r.eof = true
		clear(r.buf[n:])
	case err != nil:
		return fmt.Errorf("read chunk %d: %w", r.index, err)
	}
	return r.openChunk()
}
