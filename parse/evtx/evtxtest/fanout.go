package evtxtest

import (
	"encoding/binary"
	"fmt"
)

// FanOut returns a hostile file of at least size bytes, whole chunks, whose
// records are small but costly to render: each chunk defines one template
// holding subs substitutions, all of value 0 and of type Binary XML, and
// each record's value 0 is an instance of that same template whose value 0
// is again one, depth levels deep, the innermost a string. Rendering a
// record visits subs^depth nodes while its bytes grow only with depth.
func FanOut(size, subs, depth int) []byte {
	if subs < 1 || depth < 1 || 4*subs > chunkSize/2 {
		panic(fmt.Sprintf("evtxtest: FanOut(%d, %d, %d): subs must fit half a chunk, depth at least 1", size, subs, depth))
	}
	var chunks [][]byte
	id := uint64(1)
	for len(chunks)*chunkSize+4096 < size || len(chunks) == 0 {
		c := newChunk(id)
		for c.fanRecord(id, subs, depth) {
			id++
		}
		chunks = append(chunks, c.finish())
	}
	return fileOf(chunks, id)
}

// fanRecord appends one record of FanOut's shape; false when the chunk is
// full.
func (c *chunk) fanRecord(id uint64, subs, depth int) bool {
	saveB, saveN, saveT := len(c.b), copyMap(c.names), copyMap(c.templates)
	start := len(c.b)
	c.b = append(c.b, "\x2a\x2a\x00\x00"...)
	c.u32(0)
	c.b = binary.LittleEndian.AppendUint64(c.b, id)
	c.b = binary.LittleEndian.AppendUint64(c.b, 0)
	c.b = append(c.b, 0x0f, 1, 1, 0)
	c.fanInstance(subs, depth)
	c.b = append(c.b, 0x00)
	size := len(c.b) + 4 - start
	c.u32(size)
	if len(c.b) > chunkSize {
		c.b, c.names, c.templates = c.b[:saveB], saveN, saveT
		return false
	}
	binary.LittleEndian.PutUint32(c.b[start+4:], uint32(size))
	if c.n == 0 {
		c.first = id
	}
	c.last, c.lastOff = id, start
	c.n++
	return true
}

// fanInstance writes an instance of the fan-out template, defining it on
// first use in the chunk, with one value nested depth-1 levels further.
func (c *chunk) fanInstance(subs, depth int) {
	const key = "fan-out"
	c.b = append(c.b, 0x0c, 0x01)
	c.u32(0xfa4)
	if off, ok := c.templates[key]; ok {
		c.u32(int(off))
	} else {
		off := len(c.b) + 4
		c.templates[key] = uint32(off)
		c.u32(off)
		c.u32(0)
		for range 4 {
			c.u32(0xfa4)
		}
		size := len(c.b)
		c.u32(0)
		c.b = append(c.b, 0x0f, 1, 1, 0)
		c.element("Fan", true, nil, func() {
			for range subs {
				c.sub(0, 0x21, false)()
			}
		})
		c.b = append(c.b, 0x00)
		c.patch(size)
	}
	c.u32(1)
	desc := len(c.b)
	c.u32(0)
	start := len(c.b)
	if depth > 1 {
		c.b = append(c.b, 0x0f, 1, 1, 0)
		c.fanInstance(subs, depth-1)
		c.b = append(c.b, 0x00)
		c.b[desc+2] = 0x21
	} else {
		c.b = append(c.b, utf16le("x")...)
		c.b[desc+2] = 0x01
	}
	binary.LittleEndian.PutUint16(c.b[desc:], uint16(len(c.b)-start))
}
