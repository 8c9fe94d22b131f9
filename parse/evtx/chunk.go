package evtx

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
	"time"
)

// chunkHeader is the part of a chunk's 512-byte header the reader uses.
type chunkHeader struct {
	firstID, lastID uint64 // identifiers of the first and last records
	freeOff         uint32 // end of the record area
	dataCRC         uint32 // CRC32 of the record area
	headerCRC       uint32 // CRC32 of bytes 0-120 and 128-512
	sane            bool   // the record identifiers make sense
}

func parseChunkHeader(b []byte) chunkHeader {
	le := binary.LittleEndian
	h := chunkHeader{
		firstID: le.Uint64(b[24:]),
		lastID:  le.Uint64(b[32:]),
	}
	if len(b) >= chunkHeaderSize {
		h.freeOff = le.Uint32(b[48:])
		h.dataCRC = le.Uint32(b[52:])
		h.headerCRC = le.Uint32(b[124:])
	}
	h.sane = h.lastID >= h.firstID && h.lastID-h.firstID < maxChunkRecords
	return h
}

// expected is how many records the header says the chunk holds, 0 when it
// cannot tell.
func (h chunkHeader) expected() int64 {
	if !h.sane {
		return 0
	}
	return int64(h.lastID-h.firstID) + 1
}

func headerChecksum(b []byte) uint32 {
	c := crc32.ChecksumIEEE(b[:120])
	return crc32.Update(c, crc32.IEEETable, b[128:chunkHeaderSize])
}

func isZero(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b) != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// openChunk checks the header of the chunk in buf[:n] and prepares its
// records. Damage that leaves no record readable is counted here.
func (r *Reader) openChunk() error {
	b := r.buf[:r.n]
	r.inChunk = false
	r.seen, r.failed, r.notes = 0, 0, r.notes[:0]
	r.chunkWork, r.overBudget = 0, false
	clear(r.names)
	clear(r.templates)
	if len(b) == 0 || isZero(b) {
		return nil // space Windows reserved and never used
	}
	r.stats.Chunks++
	if len(b) < 40 || !bytes.HasPrefix(b, []byte(chunkSignature)) {
		lost := carve(b)
		if lost == 0 && len(b) >= 40 {
			lost = parseChunkHeader(b).expected()
		}
		r.lose(lost, "no chunk signature")
		return nil
	}
	r.hdr = parseChunkHeader(b)
	if len(b) < chunkHeaderSize {
		lost := r.hdr.expected()
		if r.hdr.sane {
			r.maxID = max(r.maxID, r.hdr.lastID)
		}
		r.lose(lost, "the file ends inside the chunk header")
		return nil
	}
	if sum := headerChecksum(b); sum != r.hdr.headerCRC && r.hdr.headerCRC != 0 {
		r.note("header checksum wrong")
	}
	r.end = int(r.hdr.freeOff)
	if r.end < chunkHeaderSize || r.end > ChunkSize {
		r.note(fmt.Sprintf("free space offset %d out of range", r.end))
		r.end = ChunkSize
	} else if sum := crc32.ChecksumIEEE(b[chunkHeaderSize:min(r.end, len(b))]); sum != r.hdr.dataCRC && r.hdr.dataCRC != 0 && r.end <= len(b) {
		r.note("record data checksum wrong")
	}
	r.end = min(r.end, len(b))
	r.off = chunkHeaderSize
	r.inChunk = true
	return nil
}

// note remembers what is wrong with the current chunk, for the problem
// reported if records are lost in it.
func (r *Reader) note(s string) {
	if len(r.notes) < 4 {
		r.notes = append(r.notes, s)
	}
}

// lose counts n records of the current chunk that cannot be read and
// reports why.
func (r *Reader) lose(n int64, why string) {
	r.stats.BadChunks++
	r.stats.Unreadable += n
	for _, s := range r.notes {
		if why != "" {
			why += "; "
		}
		why += s
	}
	if why == "" {
		why = "damaged"
	}
	r.problem("%d records could not be read (%s)", n, why)
}

// carve counts what look like whole records in a chunk whose header is
// unusable, to say how many records were lost with it.
func carve(b []byte) int64 {
	var n int64
	for off := 0; off+recordHeaderSize <= len(b); {
		i := bytes.Index(b[off:], []byte(recordSignature))
		if i < 0 {
			break
		}
		at := off + i
		if size, ok := recordSize(b, at); ok {
			n++
			off = at + size
			continue
		}
		off = at + 1
	}
	return n
}

// recordSize returns the size of the record at off when its header and
// trailing size copy agree and it fits in b.
func recordSize(b []byte, off int) (int, bool) {
	if off+recordHeaderSize > len(b) {
		return 0, false
	}
	size := int(binary.LittleEndian.Uint32(b[off+4:]))
	if size < recordHeaderSize+4 || size > ChunkSize-chunkHeaderSize || off+size > len(b) {
		return 0, false
	}
	return size, int(binary.LittleEndian.Uint32(b[off+size-4:])) == size
}

// nextRecord returns the chunk's next readable record; false at the end of
// the chunk.
func (r *Reader) nextRecord() (*Record, bool) {
	b := r.buf[:r.end]
	if r.overBudget {
		// The records left cost rendering the budget no longer has.
		r.failed += carve(b[r.off:])
		r.off = r.end
	}
	for r.off+recordHeaderSize <= r.end {
		off := r.off
		if !bytes.Equal(b[off:off+4], []byte(recordSignature)) {
			if !r.resync() {
				break
			}
			continue
		}
		size, ok := recordSize(b, off)
		if ok && size > r.lim.MaxRecord {
			r.note(fmt.Sprintf("record at offset %d has %d bytes, over the limit of %d", off, size, r.lim.MaxRecord))
			r.failed++
			r.off = off + size
			continue
		}
		if !ok {
			if !r.resync() {
				break
			}
			continue
		}
		r.off = off + size
		rec := &r.rec
		*rec = Record{
			ID:      binary.LittleEndian.Uint64(b[off+8:]),
			Written: filetime(binary.LittleEndian.Uint64(b[off+16:])),
			r:       r,
			start:   off + recordHeaderSize,
			end:     off + size - 4,
		}
		if err := rec.decode(); err != nil {
			r.failed++
			r.note(fmt.Sprintf("record %d: %v", rec.ID, err))
			continue
		}
		return rec, true
	}
	return nil, false
}

// resync moves past damage to the next place where a whole record
// starts. Zeros (free space) are not damage.
func (r *Reader) resync() bool {
	b := r.buf[:r.end]
	for off := r.off + 1; off+recordHeaderSize <= len(b); {
		i := bytes.Index(b[off:], []byte(recordSignature))
		if i < 0 {
			break
		}
		if _, ok := recordSize(b, off+i); ok {
			if !isZero(b[r.off : off+i]) {
				r.note(fmt.Sprintf("damaged bytes from offset %d to %d", r.off, off+i))
			}
			r.off = off + i
			return true
		}
		off += i + 1
	}
	switch {
	case isZero(b[r.off:]):
	case r.end == r.n && r.n < ChunkSize:
		r.note(fmt.Sprintf("the file ends inside the record at offset %d", r.off))
	default:
		r.note(fmt.Sprintf("damaged bytes from offset %d to the end of the chunk", r.off))
	}
	r.off = r.end
	return false
}

// finishChunk counts the records that failed to decode and those the
// header promised that were not found.
func (r *Reader) finishChunk() {
	r.inChunk = false
	if r.hdr.sane {
		r.maxID = max(r.maxID, r.hdr.lastID)
	}
	lost := max(r.hdr.expected()-r.seen, r.failed)
	if lost > 0 {
		why := ""
		if r.n < ChunkSize {
			why = "the file is cut short"
		}
		r.lose(lost, why)
	} else if r.overBudget {
		// Only the chunk's last record went over: its caller counts it.
		r.stats.BadChunks++
		r.problem("%s", strings.Join(r.notes, "; "))
	}
}

// filetime converts 100-nanosecond intervals since 1601 to a time.
func filetime(v uint64) time.Time {
	const epochDiff = 11644473600 // seconds from 1601 to 1970
	return time.Unix(int64(v/1e7)-epochDiff, int64(v%1e7)*100).UTC()
}
