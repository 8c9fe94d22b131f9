package parse

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestHasPatternHead checks the eight-byte compare of hasPattern against
// a byte-by-byte one, for patterns of every length around eight, with and
// without case folding, at every position of random text that often
// holds the pattern in some case.
func TestHasPatternHead(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	const alphabet = "aAbBxX0_:- {[\n\xe3\x83"
	for range 3000 {
		text := randomText(rng, alphabet, 2+rng.IntN(12))
		p := pattern{text: text, fold: rng.IntN(2) == 0}
		if p.fold {
			p.text = appendLower(nil, text)
		}
		p.setHead()
		data := randomText(rng, alphabet, rng.IntN(40))
		if len(data) > len(text) && rng.IntN(2) == 0 { // plant it, in random case
			at := rng.IntN(len(data) - len(text))
			for i, c := range text {
				if rng.IntN(2) == 0 && c >= 'a' && c <= 'z' {
					c -= 'a' - 'A'
				}
				data[at+i] = c
			}
		}
		for start := -1; start <= len(data); start++ {
			want := start >= 0 && start+len(p.text) <= len(data)
			if want {
				if p.fold {
					want = hasFold(data, start, p.text)
				} else {
					want = bytes.Equal(data[start:start+len(p.text)], p.text)
				}
			}
			if got := hasPattern(data, start, &p); got != want {
				t.Fatalf("pattern %q (fold %v) at %d of %q: got %v, want %v", p.text, p.fold, start, data, got, want)
			}
		}
	}
}
