package parse

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/internal/devtools/loggen"
)

// TestBigramFilterAdmitsAnchors checks the filter lets every anchor
// bigram through, for the parser's own table and for random ones; when
// the anchors fall in few enough exact buckets it must admit nothing else.
func TestBigramFilterAdmitsAnchors(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	tables := []*[65536]bool{&p.anchors.hit}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 40 {
		tab := new([65536]bool)
		for range 1 + rng.IntN(8*(n+1)) {
			tab[rng.IntN(65536)] = true
		}
		if n%4 == 0 { // a byte that follows anything, as '{' does
			y := rng.IntN(256)
			for x := range 256 {
				tab[x<<8|y] = true
			}
		}
		tables = append(tables, tab)
	}
	for k, tab := range tables {
		f := newBigramFilter(tab)
		for bg, ok := range tab {
			if ok && !f.admits(byte(bg>>8), byte(bg)) {
				t.Fatalf("table %d: anchor %q not admitted", k, []byte{byte(bg >> 8), byte(bg)})
			}
		}
	}
	// Three bigrams whose bytes share no nibble need no merge: exact.
	tab := new([65536]bool)
	for _, bg := range []string{"0x", "\nD", "Wr"} {
		tab[uint16(bg[0])<<8|uint16(bg[1])] = true
	}
	f := newBigramFilter(tab)
	for bg, ok := range tab {
		if f.admits(byte(bg>>8), byte(bg)) != ok {
			t.Errorf("%q: admitted %v, want %v", []byte{byte(bg >> 8), byte(bg)}, !ok, ok)
		}
	}
}

// TestBigramMasks checks the vector masks against the portable ones.
func TestBigramMasks(t *testing.T) {
	f := New(loadVocab(t), Limits{}).anchors.filter()
	if f == nil {
		t.Skip("no vector bigram filter on this machine")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "\n\t ,\"{}0123456789abcdefxX-_<EPDLSWrvwil\x83\xa9\xe3\x81"
	for n := range 200 {
		data := make([]byte, 1+rng.IntN(4096))
		if n%2 == 0 {
			for i := range data {
				data[i] = byte(rng.IntN(256))
			}
		} else {
			data = randomText(rng, alphabet, len(data))
		}
		checkMasks(t, f, data)
	}
}

func checkMasks(t *testing.T, f *bigramFilter, data []byte) {
	t.Helper()
	rounds := (len(data) - 1) / 32
	got := make([]uint32, rounds+3) // more than fits: masks leaves the rest
	f.masks(data, got)
	want := make([]uint32, rounds)
	f.masksGeneric(data, want)
	if !slices.Equal(got[:rounds], want) || slices.ContainsFunc(got[rounds:], func(m uint32) bool { return m != 0 }) {
		t.Fatalf("%d bytes: masks %x, want %x", len(data), got, want)
	}
}

func FuzzBigramMasks(f *testing.F) {
	f.Add([]byte("Log Name: Application\nSource: VSS\nhr = 0x800423f4 {12345678-1234-1234-1234-123456789abc}\n"))
	bf := New(loadVocab(f), Limits{}).anchors.filter()
	f.Fuzz(func(t *testing.T, data []byte) {
		if bf != nil && len(data) > 0 {
			checkMasks(t, bf, data)
		}
	})
}

// TestFilteredHits checks that the first stage finds the same hits with
// the bigram filter as with the scalar walk, on every generated class and
// on random bytes.
func TestFilteredHits(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	if p.anchors.filter() == nil {
		t.Skip("no vector bigram filter on this machine")
	}
	scalar := *p.anchors
	scalar.filter = func() *bigramFilter { return nil }
	var inputs [][]byte
	for _, class := range loggen.Classes {
		var b bytes.Buffer
		if err := loggen.WriteClass(&b, 1<<20, class, "utf-8"); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, b.Bytes())
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20 {
		inputs = append(inputs, randomText(rng, "\n0x8004{abcdef-23 LSDEwriter,\t", rng.IntN(9000)))
	}
	for k, data := range inputs {
		for _, limit := range []int{len(data), len(data) * 2 / 3, min(len(data), 31), min(len(data), 33)} {
			fast := &scanner{a: p.anchors, v: &verifier{p: p}}
			slow := &scanner{a: &scalar, v: &verifier{p: p}}
			got, want := fast.hits(data, limit, nil), slow.hits(data, limit, nil)
			if !slices.Equal(got, want) {
				t.Fatalf("input %d, limit %d: %d hits with the filter, %d without", k, limit, len(got), len(want))
			}
		}
	}
}

// TestFilteredTokens checks that reading a message's tokens through the
// bigram filter finds what the scalar walk finds: the whole parse of every
// field sample and generated class, with and without the filter.
func TestFilteredTokens(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	if p.anchors.filter() == nil {
		t.Skip("no vector bigram filter on this machine")
	}
	scalar := *p
	a := *p.anchors
	a.filter = func() *bigramFilter { return nil }
	scalar.anchors = &a
	inputs := map[string][]byte{}
	names, _ := filepath.Glob(filepath.Join("..", "testdata", "field", "*"))
	for _, name := range names {
		if b, err := os.ReadFile(name); err == nil && !strings.HasSuffix(name, ".yaml") {
			inputs[name] = b
		}
	}
	for _, class := range loggen.Classes {
		var b bytes.Buffer
		if err := loggen.WriteClass(&b, 1<<20, class, "utf-8"); err != nil {
			t.Fatal(err)
		}
		inputs[class] = b.Bytes()
	}
	if len(inputs) < 10 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	for name, in := range inputs {
		got, err1 := p.Parse(context.Background(), "x", bytes.NewReader(in))
		want, err2 := scalar.Parse(context.Background(), "x", bytes.NewReader(in))
		if (err1 == nil) != (err2 == nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: with the filter\n%+v\nwithout\n%+v", name, got.Findings, want.Findings)
		}
	}
}
