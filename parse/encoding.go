package parse

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/bits"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// Encoding names reported in Input.Encoding.
const (
	encUTF8    = "utf-8"
	encUTF8BOM = "utf-8-bom"
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
	encSJIS    = "shift_jis"
)

// sniffEncoding guesses the encoding of a text from its first bytes and
// returns how many leading bytes are a byte order mark.
func sniffEncoding(b []byte) (enc string, bom int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		return encUTF8BOM, 3
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		return encUTF16LE, 2
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return encUTF16BE, 2
	}
	if enc := sniffUTF16(b); enc != "" {
		return enc, 0
	}
	if validUTF8Prefix(b) {
		return encUTF8, 0
	}
	if validShiftJIS(b) {
		return encSJIS, 0
	}
	return encUTF8, 0
}

// sniffUTF16 recognises BOM-less UTF-16 by its NUL bytes: text in the Latin
// range has a zero in every other byte, on the odd side for little endian.
func sniffUTF16(b []byte) string {
	if len(b) > 4096 {
		b = b[:4096]
	}
	pairs := len(b) / 2
	if pairs < 8 {
		return ""
	}
	var even, odd int
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	switch {
	case odd*10 >= pairs*3 && even*20 < pairs:
		return encUTF16LE
	case even*10 >= pairs*3 && odd*20 < pairs:
		return encUTF16BE
	}
	return ""
}

// validUTF8Prefix is utf8.Valid, tolerating a rune cut at the end of the
// sample.
func validUTF8Prefix(b []byte) bool {
	for cut := 0; cut < 4 && cut <= len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			return true
		}
		if len(b)-cut > 0 && utf8.RuneStart(b[len(b)-cut-1]) {
			// The cut rune started here; anything before must be valid.
			return utf8.Valid(b[:len(b)-cut-1])
		}
	}
	return false
}

// validShiftJIS reports whether b reads as Shift-JIS: it decodes with at
// most a few damaged characters (a pair cut or garbled in a copy, which
// the decoder marks with U+FFFD), far fewer than the Japanese characters
// it holds. Damage is tolerated as it is in UTF-16: the lines around a bad
// pair still decode, and they hold the failed writer.
func validShiftJIS(b []byte) bool {
	if bytes.Contains(b, []byte{0xef, 0xbf, 0xbd}) {
		return false
	}
	out := make([]byte, len(b)*3/2+16)
	nDst, _, err := japanese.ShiftJIS.NewDecoder().Transform(out, b, false)
	if err != nil && err != transform.ErrShortSrc {
		return false
	}
	bad, wide := 0, 0
	for _, r := range string(out[:nDst]) {
		switch {
		case r == utf8.RuneError:
			bad++
		case r >= 0x3000:
			wide++
		}
	}
	return bad == 0 || wide >= 8 && bad*maxSJISDamage <= wide
}

// maxSJISDamage is how many Japanese characters a Shift-JIS text must hold
// for each damaged one.
const maxSJISDamage = 8

// decoder returns a reader that yields UTF-8 for a text in enc. UTF-8 input
// is passed through untouched (invalid bytes stay as they are, which the
// matchers tolerate).
func decoder(enc string, r io.Reader) io.Reader {
	var t transform.Transformer
	switch enc {
	case encUTF16LE:
		t = &utf16Decoder{}
	case encUTF16BE:
		t = &utf16Decoder{be: true}
	case encSJIS:
		t = newSJISDecoder()
	default:
		return r
	}
	return &blockReader{r: r, t: t, src: make([]byte, 0, decodeBlock)}
}

const decodeBlock = 256 << 10

// blockReader runs a transformer over large blocks: transform.Reader's 4 KiB
// buffers cost a call per few lines, which shows at hundreds of MB/s.
type blockReader struct {
	r   io.Reader
	t   transform.Transformer
	src []byte
	eof bool
	err error
}

func (b *blockReader) Read(p []byte) (int, error) {
	for {
		if len(b.src) > 0 || b.eof {
			n, used, err := b.t.Transform(p, b.src, b.eof)
			b.src = b.src[:copy(b.src, b.src[used:])]
			switch {
			case n > 0:
				return n, nil
			case err == transform.ErrShortDst:
				// p cannot hold one rune; callers read in large blocks.
				return 0, io.ErrShortBuffer
			case b.eof:
				if b.err != nil {
					return 0, b.err
				}
				return 0, io.EOF
			}
		}
		m, err := b.r.Read(b.src[len(b.src):cap(b.src)])
		b.src = b.src[:len(b.src)+m]
		if err != nil {
			b.eof = true
			if err != io.EOF {
				b.err = err
			}
		}
	}
}

// utf16Decoder turns UTF-16 into UTF-8. Logs are mostly ASCII, which it
// copies a code unit at a time without decoding a rune; anything invalid
// (a lone surrogate, an odd last byte) becomes U+FFFD, as x/text's decoder
// does.
type utf16Decoder struct {
	be bool
}

func (d *utf16Decoder) Reset() {}

func (d *utf16Decoder) unit(b []byte) uint16 {
	if d.be {
		return uint16(b[0])<<8 | uint16(b[1])
	}
	return uint16(b[0]) | uint16(b[1])<<8
}

// Transform implements transform.Transformer.
func (d *utf16Decoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc+1 < len(src) {
		u := d.unit(src[nSrc:])
		if u < 0x80 {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = byte(u)
			nDst++
			nSrc += 2
			continue
		}
		r, size := rune(u), 2
		if u >= 0xd800 && u < 0xe000 {
			// Like x/text: a surrogate and a low surrogate after it are
			// decoded together (U+FFFD if they are no pair); a surrogate
			// without one is U+FFFD alone.
			switch {
			case nSrc+3 < len(src):
				if u2 := d.unit(src[nSrc+2:]); u2 >= 0xdc00 && u2 < 0xe000 {
					r, size = utf16.DecodeRune(r, rune(u2)), 4
				} else {
					r = utf8.RuneError
				}
			case !atEOF:
				return nDst, nSrc, transform.ErrShortSrc
			default:
				r = utf8.RuneError
			}
		}
		if nDst+utf8.RuneLen(r) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc += size
	}
	if nSrc < len(src) { // one byte left over
		if !atEOF {
			return nDst, nSrc, transform.ErrShortSrc
		}
		if nDst+3 > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], utf8.RuneError)
		nSrc++
	}
	return nDst, nSrc, nil
}

// sjisDecoder turns Shift-JIS (CP932) into UTF-8 through a table of
// every two-byte sequence, built once from x/text's decoder: that decoder
// costs a call and a rune encoding per character, which made Japanese
// logs the slowest input. It decodes exactly as x/text does, damaged
// bytes included (TestSJISDecoder, TestSJISTable).
type sjisDecoder struct {
	t *sjisTable
}

func newSJISDecoder() *sjisDecoder { return &sjisDecoder{t: sjisTableOnce()} }

// Reset implements transform.Transformer; the decoder keeps no state.
func (d *sjisDecoder) Reset() {}

// sjisTable decodes a byte of 0x80 or more with the byte after it (a
// lead byte takes both; another byte's row repeats its single entry), and
// every byte alone. An entry holds the UTF-8 of the
// character in its low three bytes, their count in bits 24-27 and the
// source bytes it takes in bits 28-31, so that one store writes it.
type sjisTable struct {
	lead   [256]bool        // the byte leads a pair
	high   [128][256]uint32 // a byte of 0x80 or more, by the byte after it
	single [256]uint32
}

var sjisTableOnce = sync.OnceValue(buildSJISTable)

func buildSJISTable() *sjisTable {
	t := &sjisTable{}
	entry := func(r rune, size int) uint32 {
		var b [4]byte
		n := utf8.EncodeRune(b[:], r)
		return binary.LittleEndian.Uint32(b[:])&0xffffff | uint32(n)<<24 | uint32(size)<<28
	}
	for c := range 256 {
		switch {
		case c < utf8.RuneSelf:
			t.single[c] = entry(rune(c), 1)
		case c == 0x80:
			t.single[c] = entry(0x80, 1)
		case c >= 0xa1 && c < 0xe0:
			t.single[c] = entry(rune(c)+(0xff61-0xa1), 1)
		default:
			t.single[c] = entry(utf8.RuneError, 1)
		}
	}
	dec := japanese.ShiftJIS.NewDecoder()
	var in []byte
	for c0 := range 256 {
		if !(c0 >= 0x81 && c0 < 0xa0 || c0 >= 0xe0 && c0 < 0xfd) {
			continue
		}
		t.lead[c0] = true
		row := &t.high[c0-0x80]
		// The row's pairs are decoded in one call, each followed by a line
		// break: a second byte of 0x40 or more always makes a pair, so
		// the output is one character and a break for each.
		in = in[:0]
		for c1 := 0x40; c1 < 256; c1++ {
			if c1 != 0x7f {
				in = append(in, byte(c0), byte(c1), '\n')
			}
		}
		out, _ := dec.Bytes(in)
		for c1 := range 256 {
			if c1 < 0x40 || c1 == 0x7f {
				// x/text emits U+FFFD for the lead alone and reads the
				// ASCII byte after it on its own.
				row[c1] = entry(utf8.RuneError, 1)
				continue
			}
			r, n := utf8.DecodeRune(out)
			out = out[n+1:] // and its line break
			row[c1] = entry(r, 2)
		}
	}
	for c := 0x80; c < 256; c++ {
		if !t.lead[c] {
			for c1 := range 256 {
				t.high[c-0x80][c1] = t.single[c]
			}
		}
	}
	return t
}

// Transform implements transform.Transformer.
func (d *sjisDecoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	t := d.t
	// Far from both ends, eight bytes are loaded at a time: the ASCII
	// before the first high byte is copied in one store (the bytes past it
	// are scratch, overwritten next), then the characters from there on.
	for nSrc+8 <= len(src) && nDst+16 <= len(dst) {
		w := binary.LittleEndian.Uint64(src[nSrc:])
		binary.LittleEndian.PutUint64(dst[nDst:], w)
		high := w & 0x8080808080808080
		if high == 0 {
			nSrc += 8
			nDst += 8
			continue
		}
		k := bits.TrailingZeros64(high) / 8
		nSrc += k
		nDst += k
		// Then the run of characters that are not ASCII.
		for nSrc+2 <= len(src) && nDst+4 <= len(dst) && src[nSrc] >= utf8.RuneSelf {
			e := t.high[src[nSrc]&0x7f][src[nSrc+1]]
			binary.LittleEndian.PutUint32(dst[nDst:], e)
			nDst += int(e>>24) & 0xf
			nSrc += int(e >> 28)
		}
	}
	for nSrc < len(src) {
		c := src[nSrc]
		if c < utf8.RuneSelf {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			// ASCII is copied eight bytes at a time while it lasts.
			if nSrc+8 <= len(src) && nDst+8 <= len(dst) {
				if w := binary.LittleEndian.Uint64(src[nSrc:]); w&0x8080808080808080 == 0 {
					binary.LittleEndian.PutUint64(dst[nDst:], w)
					nSrc += 8
					nDst += 8
					continue
				}
			}
			dst[nDst] = c
			nDst++
			nSrc++
			continue
		}
		e := t.single[c]
		if t.lead[c] {
			if nSrc+1 < len(src) {
				e = t.high[c&0x7f][src[nSrc+1]]
			} else if !atEOF {
				return nDst, nSrc, transform.ErrShortSrc
			}
		}
		n := int(e>>24) & 0xf
		switch {
		case nDst+4 <= len(dst):
			// Four bytes are written whatever the length: what lies past
			// nDst is scratch.
			binary.LittleEndian.PutUint32(dst[nDst:], e)
		case nDst+n <= len(dst):
			for k := range n {
				dst[nDst+k] = byte(e >> (8 * k))
			}
		default:
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += n
		nSrc += int(e >> 28)
	}
	return nDst, nSrc, nil
}
