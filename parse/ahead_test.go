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
			a := readAhead(decoder(encSJIS, tc.in()))
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
		a := readAhead(decoder(encUTF16LE, bytes.NewReader(bytes.Repeat([]byte("a\x00"), 4*aheadBlock))))
		if _, err := a.Read(make([]byte, 10)); err != nil {
			t.Fatal(err)
		}
		a.close() // returns only once the goroutine has stopped
	})
}
