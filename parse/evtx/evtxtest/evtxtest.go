// Package evtxtest writes small .evtx files for tests: events with the
// shape Windows gives them (a template per event shape, defined in the
// chunk on first use and referenced after, substitution values of the
// common types), so that readers can be tested on records nobody had to
// capture from a real machine.
package evtxtest

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"time"
	"unicode/utf16"
)

// Event is one record to write.
type Event struct {
	Provider     string
	ProviderGUID [16]byte // zero: no Guid attribute
	EventID      uint16
	Qualifiers   uint16 // classic events carry them; zero leaves the attribute out
	Level        uint8
	Keywords     uint64
	Time         time.Time
	RecordID     uint64 // zero: numbered from 1 in order
	Channel      string
	Computer     string
	UserSID      string // e.g. "S-1-5-18"; empty leaves the attribute out
	Data         []Data // EventData/Data elements
	Binary       []byte // EventData/Binary, nil for none
	// UserData, when set, is written as a Binary XML value holding one
	// element of that name with the Data items' values as child elements.
	UserData string
}

// Data is one EventData item. Value is a string, []string, uint8, uint16,
// uint32, uint64, int32, int64, bool, float64, time.Time (FILETIME),
// SystemTime, [16]byte (GUID), SID, Hex32, Hex64 or []byte.
type Data struct {
	Name  string // empty: no Name attribute
	Value any
}

type (
	// SID is a security identifier written in binary form.
	SID string
	// SystemTime is a time written as a 16-byte SYSTEMTIME.
	SystemTime time.Time
	// Hex32 is a 32-bit integer rendered in hexadecimal.
	Hex32 uint32
	// Hex64 is a 64-bit integer rendered in hexadecimal.
	Hex64 uint64
)

const chunkSize = 64 << 10

// File returns a whole .evtx file holding events, as many chunks as they
// need.
func File(events ...Event) []byte {
	var chunks [][]byte
	w := newChunk(1)
	for i, ev := range events {
		if ev.RecordID == 0 {
			ev.RecordID = uint64(i + 1)
		}
		if !w.add(ev) {
			chunks = append(chunks, w.finish())
			w = newChunk(ev.RecordID)
			if !w.add(ev) {
				panic(fmt.Sprintf("evtxtest: event %d does not fit in a chunk", i))
			}
		}
	}
	chunks = append(chunks, w.finish())
	next := uint64(len(events) + 1)
	return fileOf(chunks, next)
}

func fileOf(chunks [][]byte, next uint64) []byte {
	h := make([]byte, 4096)
	copy(h, "ElfFile\x00")
	le := binary.LittleEndian
	le.PutUint64(h[16:], uint64(len(chunks)-1))
	le.PutUint64(h[24:], next)
	le.PutUint32(h[32:], 128)
	le.PutUint16(h[36:], 1)
	le.PutUint16(h[38:], 3)
	le.PutUint16(h[40:], 4096)
	le.PutUint16(h[42:], uint16(len(chunks)))
	le.PutUint32(h[124:], crc32.ChecksumIEEE(h[:120]))
	for _, c := range chunks {
		h = append(h, c...)
	}
	return h
}

// chunk builds one chunk.
type chunk struct {
	b         []byte
	names     map[string]uint32
	templates map[string]uint32
	first     uint64
	last      uint64
	lastOff   int
	n         int
}

func newChunk(first uint64) *chunk {
	c := &chunk{b: make([]byte, 512, chunkSize), names: map[string]uint32{}, templates: map[string]uint32{}, first: first}
	return c
}

// add appends a record; false when the chunk is full.
func (c *chunk) add(ev Event) bool {
	saveB, saveN, saveT := len(c.b), copyMap(c.names), copyMap(c.templates)
	start := len(c.b)
	c.b = append(c.b, "\x2a\x2a\x00\x00"...)
	c.b = binary.LittleEndian.AppendUint32(c.b, 0)
	c.b = binary.LittleEndian.AppendUint64(c.b, ev.RecordID)
	c.b = binary.LittleEndian.AppendUint64(c.b, filetime(ev.Time))
	c.b = append(c.b, 0x0f, 1, 1, 0)
	c.instance(ev)
	c.b = append(c.b, 0x00)
	size := len(c.b) + 4 - start
	c.b = binary.LittleEndian.AppendUint32(c.b, uint32(size))
	if len(c.b) > chunkSize {
		c.b, c.names, c.templates = c.b[:saveB], saveN, saveT
		return false
	}
	binary.LittleEndian.PutUint32(c.b[start+4:], uint32(size))
	if c.n == 0 {
		c.first = ev.RecordID
	}
	c.last, c.lastOff = ev.RecordID, start
	c.n++
	return true
}

func copyMap(m map[string]uint32) map[string]uint32 {
	out := make(map[string]uint32, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (c *chunk) finish() []byte {
	b := c.b
	free := len(b)
	b = append(b, make([]byte, chunkSize-len(b))...)
	le := binary.LittleEndian
	copy(b, "ElfChnk\x00")
	le.PutUint64(b[8:], c.first)
	le.PutUint64(b[16:], c.last)
	le.PutUint64(b[24:], c.first)
	le.PutUint64(b[32:], c.last)
	le.PutUint32(b[40:], 128)
	le.PutUint32(b[44:], uint32(c.lastOff))
	le.PutUint32(b[48:], uint32(free))
	le.PutUint32(b[52:], crc32.ChecksumIEEE(b[512:free]))
	sum := crc32.ChecksumIEEE(b[:120])
	sum = crc32.Update(sum, crc32.IEEETable, b[128:512])
	le.PutUint32(b[124:], sum)
	return b
}

func filetime(t time.Time) uint64 {
	if t.IsZero() {
		return 0
	}
	return uint64(t.Unix()+11644473600)*1e7 + uint64(t.Nanosecond()/100)
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}
