package parse

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// TestHex8 checks the word-at-a-time hex reader against a byte loop: every
// byte value at every position among hex digits, and random words.
func TestHex8(t *testing.T) {
	want := func(b []byte) (int, uint32) {
		n := 0
		for n < 8 && isHex(b[n]) {
			n++
		}
		if n < 8 {
			return n, 0
		}
		return 8, hexValue(b)
	}
	check := func(b []byte) {
		t.Helper()
		n, v := hex8(binary.LittleEndian.Uint64(b))
		if wn, wv := want(b); n != wn || v != wv {
			t.Fatalf("%q: got %d %#x, want %d %#x", b, n, v, wn, wv)
		}
	}
	rng := rand.New(rand.NewPCG(11, 12))
	const digits = "0123456789abcdefABCDEF"
	for pos := range 8 {
		for c := range 256 {
			for range 4 {
				b := randomText(rng, digits, 8)
				b[pos] = byte(c)
				check(b)
			}
		}
	}
	mixed := digits + "xXgG/:@`[{ \n\x00\x7f\x80\xb0\xc6\xe6\xff"
	for range 100000 {
		check(randomText(rng, mixed, 8))
	}
}

// TestHexRun checks hexRun against a byte loop at every offset of short
// inputs, so that both its word read and its tail loop are taken.
func TestHexRun(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	const alphabet = "0123456789abcdefABCDEFxg- "
	for range 20000 {
		data := randomText(rng, alphabet, rng.IntN(14))
		for i := range len(data) + 1 {
			wantN := 0
			for i+wantN < len(data) && wantN < 9 && isHex(data[i+wantN]) {
				wantN++
			}
			var wantV uint32
			if wantN == 8 {
				wantV = hexValue(data[i : i+8])
			}
			if n, v := hexRun(data, i); n != wantN || v != wantV {
				t.Fatalf("%q at %d: got %d %#x, want %d %#x", data, i, n, v, wantN, wantV)
			}
		}
	}
}
