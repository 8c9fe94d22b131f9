//go:build amd64 && !purego

package parse

import "golang.org/x/sys/cpu"

// bigramMasksAVX2 is masksGeneric in AVX2: 32 positions a round.
//
//go:noescape
func bigramMasksAVX2(tab *[9][32]byte, data []byte, out []uint32)

// masks sets bit j of out[k] when the filter admits the bigram
// data[32k+j], data[32k+j+1]; data holds at least 32*len(out)+1 bytes.
func (f *bigramFilter) masks(data []byte, out []uint32) {
	if n := max(0, len(data)-1) / 32; len(out) > n {
		out = out[:n] // never read past data, whatever a caller asks
	}
	bigramMasksAVX2(&f.tab, data, out)
}

// bigramSIMD reports whether masks runs in vector instructions, which
// beat the scalar table walk.
func bigramSIMD() bool { return cpu.X86.HasAVX2 }
