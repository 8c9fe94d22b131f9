package evtxtest

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"strconv"
	"strings"
	"time"
)

const (
	subProvider = iota
	subGUID
	subQualifiers
	subEventID
	subLevel
	subKeywords
	subTime
	subRecordID
	subChannel
	subComputer
	subUserID
	subData // first EventData item; Binary or UserData follows the items
)

func (c *chunk) u16(v int) { c.b = binary.LittleEndian.AppendUint16(c.b, uint16(v)) }
func (c *chunk) u32(v int) { c.b = binary.LittleEndian.AppendUint32(c.b, uint32(v)) }

func (c *chunk) patch(at int) {
	binary.LittleEndian.PutUint32(c.b[at:], uint32(len(c.b)-at-4))
}

// name writes a name reference, defining the name here on first use.
func (c *chunk) name(s string) {
	if off, ok := c.names[s]; ok {
		c.u32(int(off))
		return
	}
	off := len(c.b) + 4
	c.names[s] = uint32(off)
	c.u32(off)
	c.u32(0) // next name in the hash bucket
	c.u16(0) // hash: readers do not need it
	c.u16(len([]rune(s)))
	c.b = append(c.b, utf16le(s)...)
	c.u16(0)
}

// element writes an element; attrs and content write what is inside.
func (c *chunk) element(name string, dep bool, attrs []func(last bool), content func()) {
	tok := byte(0x01)
	if len(attrs) > 0 {
		tok = 0x41
	}
	c.b = append(c.b, tok)
	if dep {
		c.u16(0xffff)
	}
	size := len(c.b)
	c.u32(0)
	c.name(name)
	if len(attrs) > 0 {
		list := len(c.b)
		c.u32(0)
		for i, a := range attrs {
			a(i == len(attrs)-1)
		}
		c.patch(list)
	}
	if content == nil {
		c.b = append(c.b, 0x03)
	} else {
		c.b = append(c.b, 0x02)
		content()
		c.b = append(c.b, 0x04)
	}
	c.patch(size)
}

func (c *chunk) attr(name string, value func()) func(bool) {
	return func(last bool) {
		tok := byte(0x46)
		if last {
			tok = 0x06
		}
		c.b = append(c.b, tok)
		c.name(name)
		value()
	}
}

func (c *chunk) text(s string) func() {
	return func() {
		c.b = append(c.b, 0x05, 0x01)
		c.u16(len([]rune(s)))
		c.b = append(c.b, utf16le(s)...)
	}
}

func (c *chunk) sub(id int, typ byte, optional bool) func() {
	return func() {
		tok := byte(0x0d)
		if optional {
			tok = 0x0e
		}
		c.b = append(c.b, tok)
		c.u16(id)
		c.b = append(c.b, typ)
	}
}

// instance writes a template instance for ev: the template, defined here
// the first time its shape appears in the chunk, then the values.
func (c *chunk) instance(ev Event) {
	vals := values(ev)
	key := shape(ev, vals)
	c.b = append(c.b, 0x0c, 0x01)
	c.u32(int(crc32.ChecksumIEEE([]byte(key))))
	if off, ok := c.templates[key]; ok {
		c.u32(int(off))
	} else {
		off := len(c.b) + 4
		c.templates[key] = uint32(off)
		c.u32(off)
		c.u32(0)
		guid := crc32.ChecksumIEEE([]byte(key))
		for range 4 {
			c.u32(int(guid))
		}
		size := len(c.b)
		c.u32(0)
		c.b = append(c.b, 0x0f, 1, 1, 0)
		c.define(ev, vals)
		c.b = append(c.b, 0x00)
		c.patch(size)
	}
	c.u32(len(vals))
	desc := len(c.b)
	for _, v := range vals {
		c.u16(0)
		c.b = append(c.b, v.typ, 0)
	}
	for i, v := range vals {
		start := len(c.b)
		if v.typ == 0x21 {
			c.userData(ev)
		} else {
			c.b = append(c.b, v.data...)
		}
		binary.LittleEndian.PutUint16(c.b[desc+4*i:], uint16(len(c.b)-start))
	}
}

// define writes the template of ev's shape.
func (c *chunk) define(ev Event, vals []val) {
	c.element("Event", true, []func(bool){c.attr("xmlns", c.text("http://schemas.microsoft.com/win/2004/08/events/event"))}, func() {
		c.element("System", true, nil, func() {
			c.element("Provider", true, []func(bool){
				c.attr("Name", c.sub(subProvider, 0x01, true)),
				c.attr("Guid", c.sub(subGUID, 0x0f, true)),
			}, nil)
			c.element("EventID", true, []func(bool){c.attr("Qualifiers", c.sub(subQualifiers, 0x06, true))}, c.sub(subEventID, 0x06, false))
			c.element("Level", true, nil, c.sub(subLevel, 0x04, true))
			c.element("Keywords", true, nil, c.sub(subKeywords, 0x15, true))
			c.element("TimeCreated", true, []func(bool){c.attr("SystemTime", c.sub(subTime, 0x11, true))}, nil)
			c.element("EventRecordID", true, nil, c.sub(subRecordID, 0x0a, true))
			c.element("Channel", true, nil, c.sub(subChannel, 0x01, true))
			c.element("Computer", true, nil, c.sub(subComputer, 0x01, true))
			c.element("Security", true, []func(bool){c.attr("UserID", c.sub(subUserID, 0x13, true))}, nil)
		})
		if ev.UserData != "" {
			c.element("UserData", true, nil, c.sub(subData, 0x21, true))
			return
		}
		c.element("EventData", true, nil, func() {
			for i, d := range ev.Data {
				var attrs []func(bool)
				if d.Name != "" {
					attrs = append(attrs, c.attr("Name", c.text(d.Name)))
				}
				c.element("Data", true, attrs, c.sub(subData+i, vals[subData+i].typ, true))
			}
			c.element("Binary", true, nil, c.sub(subData+len(ev.Data), 0x0e, true))
		})
	})
}

// userData writes the UserData value: Binary XML whose element starts
// carry no dependency identifier.
func (c *chunk) userData(ev Event) {
	c.element(ev.UserData, false, nil, func() {
		for _, d := range ev.Data {
			c.element(d.Name, false, nil, c.text(fmt.Sprint(d.Value)))
		}
	})
	c.b = append(c.b, 0x00)
}

// shape names the template an event needs.
func shape(ev Event, vals []val) string {
	var sb strings.Builder
	sb.WriteString(ev.UserData)
	if ev.UserData != "" {
		return sb.String() // the items are inside the one Binary XML value
	}
	for i, d := range ev.Data {
		fmt.Fprintf(&sb, "|%s:%x", d.Name, vals[subData+i].typ)
	}
	return sb.String()
}

type val struct {
	typ  byte
	data []byte
}

// values lists the substitution values of ev in template order.
func values(ev Event) []val {
	le := binary.LittleEndian
	vs := make([]val, subData, subData+len(ev.Data)+1)
	vs[subProvider] = encode(ev.Provider)
	if ev.ProviderGUID != [16]byte{} {
		vs[subGUID] = encode(ev.ProviderGUID)
	}
	if ev.Qualifiers != 0 {
		vs[subQualifiers] = encode(ev.Qualifiers)
	}
	vs[subEventID] = encode(ev.EventID)
	vs[subLevel] = encode(ev.Level)
	vs[subKeywords] = val{0x15, le.AppendUint64(nil, ev.Keywords)}
	vs[subTime] = encode(ev.Time)
	vs[subRecordID] = encode(ev.RecordID)
	vs[subChannel] = encode(ev.Channel)
	vs[subComputer] = encode(ev.Computer)
	if ev.UserSID != "" {
		vs[subUserID] = encode(SID(ev.UserSID))
	}
	if ev.UserData != "" {
		return append(vs, val{typ: 0x21})
	}
	for _, d := range ev.Data {
		vs = append(vs, encode(d.Value))
	}
	if ev.Binary != nil {
		return append(vs, encode(ev.Binary))
	}
	return append(vs, val{})
}

// encode gives a Go value's substitution type and bytes.
func encode(v any) val {
	le := binary.LittleEndian
	switch x := v.(type) {
	case nil:
		return val{}
	case string:
		return val{0x01, utf16le(x)}
	case []string:
		var b []byte
		for _, s := range x {
			b = append(append(b, utf16le(s)...), 0, 0)
		}
		return val{0x81, b}
	case uint8:
		return val{0x04, []byte{x}}
	case uint16:
		return val{0x06, le.AppendUint16(nil, x)}
	case uint32:
		return val{0x08, le.AppendUint32(nil, x)}
	case uint64:
		return val{0x0a, le.AppendUint64(nil, x)}
	case int32:
		return val{0x07, le.AppendUint32(nil, uint32(x))}
	case int64:
		return val{0x09, le.AppendUint64(nil, uint64(x))}
	case bool:
		b := uint32(0)
		if x {
			b = 1
		}
		return val{0x0d, le.AppendUint32(nil, b)}
	case float64:
		return val{0x0c, le.AppendUint64(nil, math.Float64bits(x))}
	case time.Time:
		return val{0x11, le.AppendUint64(nil, filetime(x))}
	case SystemTime:
		t := time.Time(x)
		var b []byte
		for _, n := range []int{t.Year(), int(t.Month()), int(t.Weekday()), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond() / 1e6} {
			b = le.AppendUint16(b, uint16(n))
		}
		return val{0x12, b}
	case [16]byte:
		return val{0x0f, x[:]}
	case SID:
		return val{0x13, sidBytes(string(x))}
	case Hex32:
		return val{0x14, le.AppendUint32(nil, uint32(x))}
	case Hex64:
		return val{0x15, le.AppendUint64(nil, uint64(x))}
	case []byte:
		return val{0x0e, x}
	}
	panic(fmt.Sprintf("evtxtest: cannot encode %T", v))
}

func sidBytes(s string) []byte {
	parts := strings.Split(strings.TrimPrefix(s, "S-"), "-")
	if len(parts) < 2 {
		panic("evtxtest: bad SID " + s)
	}
	num := func(p string) uint64 {
		n, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			panic("evtxtest: bad SID " + s)
		}
		return n
	}
	b := []byte{byte(num(parts[0])), byte(len(parts) - 2)}
	auth := num(parts[1])
	for i := 5; i >= 0; i-- {
		b = append(b, byte(auth>>(8*uint(i))))
	}
	for _, p := range parts[2:] {
		b = binary.LittleEndian.AppendUint32(b, uint32(num(p)))
	}
	return b
}
