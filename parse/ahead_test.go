package parse

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// TestReadAhead checks that decoding on a second goroutine yields the same
// text and the same error as decoding in line, and stops when closed early.
func TestReadAhead(t *testing.T) {
	big := bytes.Repeat([]byte("\x82\xa0line 0x800423f2 \x83J\x83i\r\n"), 3*aheadBlock/20)
	broken := errors.New("disk gone")
	for _, tc := range []struct {
		name string
		in   func() io.Reader
		err  error
	}{
		{"empty", func() io.Reader { return bytes.NewReader(nil) }, nil},
		{"small", func() io.Reader { return bytes.NewReader([]byte("\x82\xa0 ok")) }, nil},
		{"blocks", func() io.Reader { return bytes.NewReader(big) }, nil},
		{"one byte reads", func() io.Reader { return iotest.OneByteReader(bytes.NewReader(big[:5000])) }, nil},
		{"read error", func() io.Reader {
			return io.MultiReader(bytes.NewReader(big[:aheadBlock+7]), iotest.ErrReader(broken))
		}, broken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, wantErr := io.ReadAll(decoder(encSJIS, tc.in()))
			a := readAhead(encSJIS, tc.in())
			got, err := io.ReadAll(a)
			a.close()
			if !bytes.Equal(got, want) {
				t.Errorf("read ahead gave %d bytes, in line %d", len(got), len(want))
			}
			if !errors.Is(err, tc.err) || !errors.Is(wantErr, tc.err) {
				t.Errorf("error %v (in line %v), want %v", err, wantErr, tc.err)
			}
		})
	}
	t.Run("closed early", func(t *testing.T) {
		a := readAhead(encUTF16LE, bytes.NewReader(bytes.Repeat([]byte("a\x00"), 4*aheadBlock)))
		if _, err := a.Read(make([]byte, 10)); err != nil {
			t.Fatal(err)
		}
		a.close() // returns only once the goroutine has stopped
	})
}

// TestReadAheadCuts checks that the pieces decoded apart join into what one
// decoder gives, for every encoding, on text, random bytes and the inputs
// no cut is exact for.
func TestReadAheadCuts(t *testing.T) {
	random := func(n int, seed uint32, from, to byte) []byte {
		b := make([]byte, n)
		for i := range b {
			seed = seed*1664525 + 1013904223
			b[i] = from + byte(int(seed>>24)%(int(to)-int(from)+1))
		}
		return b
	}
	size := 3*aheadBlock + 12345
	inputs := map[string][]byte{
		"random":              random(size, 1, 0, 255),
		"no byte below 0x40":  random(size, 2, 0x40, 0xff),
		"high surrogates":     bytes.Repeat([]byte{0x00, 0xd8}, size/2),
		"high surrogates, be": bytes.Repeat([]byte{0xd8, 0x00}, size/2),
		"kanji":               bytes.Repeat([]byte("\x8a\xbf\x8e\x9a"), size/4),
		"lines":               bytes.Repeat([]byte("\x82\xa0line 0x800423f2 \x83J\x83i\r\n"), size/24),
		"odd tail":            append(random(size, 3, 0, 255), 0xd8),
	}
	for name, in := range inputs {
		for _, enc := range []string{encSJIS, encUTF16LE, encUTF16BE} {
			want, err := io.ReadAll(decoder(enc, bytes.NewReader(in)))
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range []io.Reader{bytes.NewReader(in), iotest.HalfReader(bytes.NewReader(in))} {
				a := readAhead(enc, r)
				got, err := io.ReadAll(a)
				a.close()
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s in %s: %d bytes (%v), one decoder %d", name, enc, len(got), err, len(want))
				}
			}
		}
	}
}
