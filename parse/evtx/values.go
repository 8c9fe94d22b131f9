package evtx

import (
	"encoding/binary"
	"math"
	"strconv"
	"time"
)

// Substitution value types (MS-EVEN6 2.2.16); typeArray marks arrays.
const (
	typeAnsi       = 0x02
	typeInt8       = 0x03
	typeUint8      = 0x04
	typeInt16      = 0x05
	typeUint16     = 0x06
	typeInt32      = 0x07
	typeUint32     = 0x08
	typeInt64      = 0x09
	typeUint64     = 0x0a
	typeReal32     = 0x0b
	typeReal64     = 0x0c
	typeBool       = 0x0d
	typeBinary     = 0x0e
	typeGUID       = 0x0f
	typeSizeT      = 0x10
	typeFileTime   = 0x11
	typeSystemTime = 0x12
	typeSID        = 0x13
	typeHex32      = 0x14
	typeHex64      = 0x15
)

const hexDigits = "0123456789ABCDEF"

// width is the size of one item of a fixed-size type, 0 for variable ones.
func width(typ byte) int {
	switch typ {
	case typeInt8, typeUint8:
		return 1
	case typeInt16, typeUint16:
		return 2
	case typeInt32, typeUint32, typeReal32, typeBool, typeHex32:
		return 4
	case typeInt64, typeUint64, typeReal64, typeFileTime, typeHex64:
		return 8
	case typeGUID, typeSystemTime:
		return 16
	}
	return 0
}

// appendValue formats a value as Windows renders it. A value whose size
// does not fit its type is written in hexadecimal rather than dropped.
func appendValue(dst []byte, v value) []byte {
	b := v.data
	le := binary.LittleEndian
	typ := v.typ
	if typ&typeArray != 0 {
		for i, it := range splitArray(v) {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendValue(dst, it)
		}
		return dst
	}
	if w := width(typ); w != 0 && len(b) != w {
		if len(b) == 0 {
			return dst
		}
		return appendHex(dst, b)
	}
	switch typ {
	case typeNull:
		return dst
	case typeString:
		mark := len(dst)
		dst = appendUTF16(dst, b)
		for len(dst) > mark && dst[len(dst)-1] == 0 { // trailing NULs
			dst = dst[:len(dst)-1]
		}
		return dst
	case typeAnsi:
		for _, c := range b {
			if c == 0 {
				break
			}
			dst = append(dst, c)
		}
		return dst
	case typeInt8:
		return strconv.AppendInt(dst, int64(int8(b[0])), 10)
	case typeUint8:
		return strconv.AppendUint(dst, uint64(b[0]), 10)
	case typeInt16:
		return strconv.AppendInt(dst, int64(int16(le.Uint16(b))), 10)
	case typeUint16:
		return strconv.AppendUint(dst, uint64(le.Uint16(b)), 10)
	case typeInt32:
		return strconv.AppendInt(dst, int64(int32(le.Uint32(b))), 10)
	case typeUint32:
		return strconv.AppendUint(dst, uint64(le.Uint32(b)), 10)
	case typeInt64:
		return strconv.AppendInt(dst, int64(le.Uint64(b)), 10)
	case typeUint64:
		return strconv.AppendUint(dst, le.Uint64(b), 10)
	case typeReal32:
		return strconv.AppendFloat(dst, float64(math.Float32frombits(le.Uint32(b))), 'g', -1, 32)
	case typeReal64:
		return strconv.AppendFloat(dst, math.Float64frombits(le.Uint64(b)), 'g', -1, 64)
	case typeBool:
		if le.Uint32(b) != 0 {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case typeGUID:
		return appendGUID(dst, b)
	case typeSizeT, typeHex32, typeHex64:
		switch len(b) {
		case 4:
			return appendHexInt(dst, uint64(le.Uint32(b)), 8)
		case 8:
			return appendHexInt(dst, le.Uint64(b), 16)
		}
		return appendHex(dst, b)
	case typeFileTime:
		return appendTime(dst, filetime(le.Uint64(b)))
	case typeSystemTime:
		t := time.Date(int(le.Uint16(b)), time.Month(le.Uint16(b[2:])), int(le.Uint16(b[6:])),
			int(le.Uint16(b[8:])), int(le.Uint16(b[10:])), int(le.Uint16(b[12:])), int(le.Uint16(b[14:]))*1e6, time.UTC)
		return appendTime(dst, t)
	case typeSID:
		if s, ok := appendSID(dst, b); ok {
			return s
		}
	}
	return appendHex(dst, b) // binary, handles, and anything unknown
}

func appendHex(dst, b []byte) []byte {
	for _, c := range b {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	return dst
}

func appendHexInt(dst []byte, v uint64, digits int) []byte {
	dst = append(dst, "0x"...)
	for i := digits - 1; i >= 0; i-- {
		dst = append(dst, "0123456789abcdef"[v>>(4*uint(i))&15])
	}
	return dst
}

// appendGUID writes a GUID in braces, upper case, as Windows does.
func appendGUID(dst, b []byte) []byte {
	le := binary.LittleEndian
	dst = append(dst, '{')
	dst = appendUpper(dst, uint64(le.Uint32(b)), 8)
	dst = append(dst, '-')
	dst = appendUpper(dst, uint64(le.Uint16(b[4:])), 4)
	dst = append(dst, '-')
	dst = appendUpper(dst, uint64(le.Uint16(b[6:])), 4)
	dst = append(dst, '-')
	dst = appendHex(dst, b[8:10])
	dst = append(dst, '-')
	dst = appendHex(dst, b[10:16])
	return append(dst, '}')
}

func appendUpper(dst []byte, v uint64, digits int) []byte {
	for i := digits - 1; i >= 0; i-- {
		dst = append(dst, hexDigits[v>>(4*uint(i))&15])
	}
	return dst
}

// appendTime writes a time as Windows exports do, to the nanosecond.
func appendTime(dst []byte, t time.Time) []byte {
	return t.AppendFormat(dst, "2006-01-02T15:04:05.000000000Z")
}

// appendSID writes a security identifier: S-revision-authority-subs.
func appendSID(dst, b []byte) ([]byte, bool) {
	if len(b) < 8 || len(b) != 8+4*int(b[1]) {
		return dst, false
	}
	dst = append(dst, "S-"...)
	dst = strconv.AppendUint(dst, uint64(b[0]), 10)
	var auth uint64
	for _, c := range b[2:8] {
		auth = auth<<8 | uint64(c)
	}
	dst = append(dst, '-')
	dst = strconv.AppendUint(dst, auth, 10)
	for i := 8; i < len(b); i += 4 {
		dst = append(dst, '-')
		dst = strconv.AppendUint(dst, uint64(binary.LittleEndian.Uint32(b[i:])), 10)
	}
	return dst, true
}

// splitArray cuts an array value into its items: strings end with a NUL,
// SIDs carry their own length, other types have a fixed width.
func splitArray(v value) []value {
	typ := v.typ &^ typeArray
	b := v.data
	var out []value
	switch typ {
	case typeString:
		start := 0
		for i := 0; i+1 < len(b); i += 2 {
			if b[i] == 0 && b[i+1] == 0 {
				out = append(out, value{typ: typ, data: b[start:i]})
				start = i + 2
			}
		}
		if start < len(b)-1 {
			out = append(out, value{typ: typ, data: b[start:]})
		}
	case typeAnsi:
		start := 0
		for i, c := range b {
			if c == 0 {
				out = append(out, value{typ: typ, data: b[start:i]})
				start = i + 1
			}
		}
		if start < len(b) {
			out = append(out, value{typ: typ, data: b[start:]})
		}
	case typeSID:
		for len(b) >= 8 {
			n := 8 + 4*int(b[1])
			if n > len(b) {
				break
			}
			out = append(out, value{typ: typ, data: b[:n]})
			b = b[n:]
		}
	default:
		w := width(typ)
		if typ == typeSizeT {
			w = 8
			if len(b)%8 != 0 {
				w = 4
			}
		}
		if w == 0 {
			return []value{{typ: typeBinary, data: b}}
		}
		for len(b) >= w {
			out = append(out, value{typ: typ, data: b[:w]})
			b = b[w:]
		}
	}
	return out
}
