//go:build !amd64 || purego

package parse

func (f *bigramFilter) masks(data []byte, out []uint32) { f.masksGeneric(data, out) }

// bigramSIMD is false: the portable masks are slower than the scalar
// table walk, which the first stage keeps.
func bigramSIMD() bool { return false }
