package evtxtest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// Large writes an event log of about size bytes to w: the chunks of the
// real log src over and over, then chunks holding tail. It is how
// throughput and memory are measured on logs of any size shaped like real
// ones, a few relevant events at the very end.
func Large(w io.Writer, src []byte, size int64, tail ...Event) error {
	var chunks [][]byte
	for at := 4096; at+chunkSize <= len(src); at += chunkSize {
		if c := src[at : at+chunkSize]; bytes.HasPrefix(c, []byte("ElfChnk\x00")) {
			chunks = append(chunks, c)
		}
	}
	if len(chunks) == 0 {
		return errors.New("evtxtest: the source log has no chunk")
	}
	var tailChunks []byte
	if len(tail) > 0 {
		tailChunks = File(tail...)[4096:]
	}
	n := max(int((size-int64(len(tailChunks)))/chunkSize), 1)
	total := n + len(tailChunks)/chunkSize
	h := fileOf([][]byte{nil}, 1)
	binary.LittleEndian.PutUint64(h[16:], uint64(total-1))
	binary.LittleEndian.PutUint16(h[42:], uint16(min(total, 0xffff)))
	binary.LittleEndian.PutUint32(h[124:], crc32.ChecksumIEEE(h[:120]))
	if _, err := w.Write(h); err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	for i := range n {
		if _, err := w.Write(chunks[i%len(chunks)]); err != nil {
			return fmt.Errorf("write chunk %d: %w", i, err)
		}
	}
	if _, err := w.Write(tailChunks); err != nil {
		return fmt.Errorf("write tail: %w", err)
	}
	return nil
}
