package parse

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// TestEncodings re-encodes UTF-8 samples the ways Windows writes text and
// expects the same findings and the right encoding name.
func TestEncodings(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	le := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	be := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	variants := []struct {
		enc  string
		bom  []byte
		code encoding.Encoding
	}{
		{"utf-8-bom", []byte{0xef, 0xbb, 0xbf}, nil},
		{"utf-16le", []byte{0xff, 0xfe}, le},
		{"utf-16le", nil, le},
		{"utf-16be", []byte{0xfe, 0xff}, be},
		{"utf-16be", nil, be},
		{"shift_jis", nil, japanese.ShiftJIS},
	}
	for _, sample := range []string{"vssadmin-ja.txt", "chat-ja.txt", "aip-failed-writer.log", "wevtutil.txt"} {
		raw, err := os.ReadFile("testdata/" + sample)
		if err != nil {
			t.Fatal(err)
		}
		want, err := p.Parse(context.Background(), sample, bytes.NewReader(raw))
		if err != nil || len(want.Findings) == 0 {
			t.Fatalf("%s: utf-8 baseline: %v, %d findings", sample, err, len(want.Findings))
		}
		for _, v := range variants {
			if v.code == japanese.ShiftJIS && isASCII(raw) {
				continue // ASCII is the same bytes in Shift-JIS and UTF-8
			}
			body := raw
			if v.code != nil {
				if body, err = v.code.NewEncoder().Bytes(raw); err != nil {
					t.Fatal(err)
				}
			}
			name := sample + "/" + v.enc
			if v.bom == nil {
				name += "-nobom"
			}
			t.Run(name, func(t *testing.T) {
				got, err := p.Parse(context.Background(), sample, bytes.NewReader(append(append([]byte{}, v.bom...), body...)))
				if err != nil {
					t.Fatal(err)
				}
				if e := got.Inputs[0].Encoding; e != v.enc {
					t.Errorf("encoding %q, want %q", e, v.enc)
				}
				if !reflect.DeepEqual(got.Findings, want.Findings) || got.Japanese != want.Japanese {
					t.Errorf("findings differ:\n got %+v\nwant %+v", got.Findings, want.Findings)
				}
			})
		}
	}
}

func TestSniffEncoding(t *testing.T) {
	sjis, _ := japanese.ShiftJIS.NewEncoder().Bytes([]byte("状態: [9] 失敗\r\n最後のエラー: タイムアウトしました\r\n"))
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"ascii", []byte("Exit Code -311\n"), "utf-8"},
		{"utf-8 japanese cut mid-rune", []byte("ライター名")[:7], "utf-8"},
		{"shift_jis", sjis, "shift_jis"},
		// A garbled pair per line decodes to U+FFFD there: the lines keep
		// the rest of what they say.
		{"shift_jis with damaged pairs", damagedSJIS(), "shift_jis"},
		{"few Japanese characters, much damage", []byte{0x81, 0x7f, 0x85, 0x40, 0x82, 0xa0, 'a', 0xfd, 0xfd}, "utf-8"},
		{"binary garbage", []byte{0x80, 0xff, 0x00, 0xfe, 0x81}, "utf-8"},
		{"empty", nil, "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := sniffEncoding(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// damagedSJIS is a Japanese vssadmin listing in Shift-JIS with one pair
// on every other line garbled (its second byte turned into DEL).
func damagedSJIS() []byte {
	var b []byte
	for i := range 6 {
		l, _ := japanese.ShiftJIS.NewEncoder().Bytes([]byte("ライター名: 'SqlServerWriter'\r\n   状態: [8] 失敗\r\n   最後のエラー: 再試行不可能なエラー\r\n"))
		if i%2 == 0 {
			l[1] = 0x7f
		}
		b = append(b, l...)
	}
	return b
}

// TestDamagedShiftJIS reads a damaged listing through the parser: not
// binary, Shift-JIS, the failed writer kept.
func TestDamagedShiftJIS(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	res, err := p.Parse(context.Background(), "v.txt", bytes.NewReader(damagedSJIS()))
	if err != nil {
		t.Fatal(err)
	}
	if in := res.Inputs[0]; in.Encoding != "shift_jis" || in.Format == FormatBinary {
		t.Fatalf("read as %s %s", in.Encoding, in.Format)
	}
	for _, f := range res.Findings {
		if f.Writer == "SqlServerWriter" && f.Code == "0x800423f4" && f.State == 8 {
			return
		}
	}
	t.Errorf("the failed writer is lost: %+v", res.Findings)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// TestUTF16Decoder checks the fast UTF-16 decoder against x/text's on
// valid and damaged input, in both byte orders and across block edges.
func TestUTF16Decoder(t *testing.T) {
	inputs := [][]byte{
		[]byte("E\x00r\x00r\x00o\x00r\x00"),
		[]byte("\xb9\x30\xca\x30\xc3\x30\xd7\x30"), // スナップ
		[]byte("=\xd8\x00\xde"),                    // a surrogate pair (U+1F600)
		[]byte("=\xd8A\x00"),                       // high surrogate then ASCII
		[]byte("\x00\xdeA\x00"),                    // low surrogate alone
		[]byte("A\x00B"),                           // odd length
		[]byte("=\xd8"),                            // high surrogate at the end
	}
	inputs = append(inputs, randomInputs(7, 64)...)
	for _, in := range inputs {
		for _, be := range []bool{false, true} {
			order := unicode.LittleEndian
			if be {
				order = unicode.BigEndian
			}
			want, _, err := transform.Bytes(unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder(), in)
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := transform.Bytes(&utf16Decoder{be: be}, in)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%x (be %v): got %q %v, want %q", in, be, got, err, want)
			}
		}
	}
}

// TestSJISDecoder checks the Shift-JIS decoder against x/text's alone, on
// Japanese text, damaged bytes and random input, whole and cut in two.
func TestSJISDecoder(t *testing.T) {
	jp, _, _ := transform.Bytes(japanese.ShiftJIS.NewEncoder(), []byte("ライター 'System Writer' の状態: [9] 失敗 ｶﾀｶﾅ エラー コード 0x800423f2\r\n"))
	inputs := [][]byte{jp, {0x82}, {0x82, 0x41, 0x80, 0xa0, 0xfd, 'a'}, {'a', 0x83}}
	inputs = append(inputs, randomInputs(11, 32)...)
	for _, in := range inputs {
		want, _, err := transform.Bytes(japanese.ShiftJIS.NewDecoder(), in)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := transform.Bytes(newSJISDecoder(), in)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%x: got %q %v, want %q", in, got, err, want)
		}
		// Through the block reader, so that blocks end inside characters.
		r := decoder(encSJIS, &oneByteReader{b: in})
		var out bytes.Buffer
		buf := make([]byte, 8<<10)
		for {
			n, err := r.Read(buf)
			out.Write(buf[:n])
			if err != nil {
				break
			}
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%x through blocks: got %q, want %q", in, out.Bytes(), want)
		}
	}
}

// TestSJISTable compares the decoder with x/text's on every byte alone and
// every two-byte sequence, at the end of the input, followed by text, and
// inside longer text (the eight-byte loop).
func TestSJISTable(t *testing.T) {
	ref := japanese.ShiftJIS.NewDecoder()
	for c0 := range 256 {
		for c1 := -1; c1 < 256; c1++ {
			in := []byte{byte(c0)}
			if c1 >= 0 {
				in = append(in, byte(c1))
			}
			// Alone, followed by more, and far enough from both ends that the
			// eight-byte loop reads it (after ASCII, and at the start).
			long := append(append([]byte("1234567"), in...), "0123456789abcdef"...)
			for _, in := range [][]byte{in, append(in, 'x', 0x82, 0xa0), long, long[7:]} {
				want, _ := ref.Bytes(in)
				got, _, err := transform.Bytes(newSJISDecoder(), in)
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("%x: got %x %v, want %x", in, got, err, want)
				}
			}
		}
	}
}

// oneByteReader returns its bytes one at a time.
type oneByteReader struct{ b []byte }

func (o *oneByteReader) Read(p []byte) (int, error) {
	if len(o.b) == 0 {
		return 0, io.EOF
	}
	p[0] = o.b[0]
	o.b = o.b[1:]
	return 1, nil
}

// randomInputs is 200 blocks of pseudo-random bytes, each shortest to shortest+63
// long, the same for the same seed so that a failure can be replayed.
// randomText returns n bytes drawn from alphabet: text rich in the bytes a
// test cares about.
func randomText(rng *rand.Rand, alphabet string, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return b
}

func randomInputs(seed, shortest uint32) [][]byte {
	var inputs [][]byte
	for range 200 {
		b := make([]byte, shortest+seed%64)
		for i := range b {
			seed = seed*1664525 + 1013904223
			b[i] = byte(seed >> 24)
		}
		inputs = append(inputs, b)
	}
	return inputs
}
