package parse

import (
	"bytes"
	"context"
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// binaryLog is a made-up binary log: fixed records of small integers around
// a text that a log would hold, as ETW or vendor formats have.
func binaryLog() []byte {
	var b bytes.Buffer
	for i := range 400 {
		_ = binary.Write(&b, binary.LittleEndian, [6]uint32{0x2a, uint32(i), 3, 1, 0x10, 2})
		b.WriteString("ERROR: Selected writer 'System Writer' is in failed state! Exit Code -311 0x800423f2\x00")
	}
	return b.Bytes()
}

// TestBinaryInputIsNotReadAsText: random bytes, an image and a binary log of
// an unknown format are said to be binary and yield nothing, even where they
// hold bytes that read as a writer failure; text padded with NULs, UTF-16
// and Shift-JIS text are still read.
func TestBinaryInputIsNotReadAsText(t *testing.T) {
	rnd := make([]byte, 256<<10)
	r := rand.NewChaCha8([32]byte{1})
	_, _ = r.Read(rnd)
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), rnd[:8<<10]...)
	failure := []byte("07/13/2017 04:40:44.020 Exit Code -311\r\n")
	utf16 := []byte{0xff, 0xfe}
	for _, c := range failure {
		utf16 = append(utf16, c, 0)
	}
	for _, tc := range []struct {
		name   string
		in     []byte
		binary bool
	}{
		{"random bytes", rnd, true},
		{"image", png, true},
		{"binary log", binaryLog(), true},
		{"random bytes in a zip", zipOf(t, map[string][]byte{"x.bin": rnd}, "x.bin"), true},
		{"text", failure, false},
		{"text padded with NULs", append(append(bytes.Repeat(failure, 3), make([]byte, 64<<10)...), failure...), false},
		{"UTF-16", utf16, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := New(nil, Limits{}).Parse(context.Background(), "in", bytes.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			last := res.Inputs[len(res.Inputs)-1]
			if got := last.Format == FormatBinary; got != tc.binary {
				t.Errorf("format %q, binary want %v", last.Format, tc.binary)
			}
			if tc.binary && len(res.Findings) != 0 {
				t.Errorf("findings in binary data: %+v", res.Findings)
			}
			if !tc.binary && len(res.Findings) == 0 {
				t.Error("the text's failure was not found")
			}
		})
	}
}
