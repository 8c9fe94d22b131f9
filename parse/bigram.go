package parse

import "math/bits"

// A bigram filter finds, 32 bytes at a time, the positions whose bigram
// may be in the anchor table, so that the first stage looks up only
// those. It is the "shufti" scheme: every anchor bigram belongs to one of
// sixteen buckets; a byte's buckets as a first byte are the AND of two
// 16-entry tables indexed by its low and high nibble, and likewise as a
// second byte; a position is a candidate when a bucket has both its
// bytes. A bucket admits every pairing of the nibbles of its bytes, so
// candidates are a superset, settled by the exact table. Buckets are
// chosen so that what they admit beyond the anchors is rare in logs.

// bigramFilter holds the nibble tables of two banks of eight buckets,
// each table repeated in both 16-byte lanes of a 32-byte vector, then a
// vector of 0x0f.
type bigramFilter struct {
	tab [9][32]byte
}

const (
	fLo1 = iota // buckets of a first byte by its low nibble
	fHi1        // by its high nibble
	fLo2        // buckets of a second byte by its low nibble
	fHi2        // by its high nibble
	// then the same four for the second bank
	fNib = 8 // 0x0f
)

// bucket is a set of first bytes and one of second bytes.
type bucket struct{ first, second byteSet }

type byteSet [4]uint64

func (s *byteSet) add(c byte)      { s[c>>6] |= 1 << (c & 63) }
func (s *byteSet) has(c byte) bool { return s[c>>6]&(1<<(c&63)) != 0 }
func (s byteSet) union(o byteSet) byteSet {
	return byteSet{s[0] | o[0], s[1] | o[1], s[2] | o[2], s[3] | o[3]}
}

// closure is what the nibble tables admit for s: every byte whose low
// nibble and high nibble each occur in s.
func (s byteSet) closure() byteSet {
	var lo, hi uint16
	for w, word := range s {
		for word != 0 {
			c := w<<6 | bits.TrailingZeros64(word)
			word &= word - 1
			lo |= 1 << (c & 15)
			hi |= 1 << (c >> 4)
		}
	}
	var out byteSet
	for h := hi; h != 0; h &= h - 1 {
		top := bits.TrailingZeros16(h) << 4
		for l := lo; l != 0; l &= l - 1 {
			out.add(byte(top | bits.TrailingZeros16(l)))
		}
	}
	return out
}

// textWeight estimates how often a pair of bytes from two sets stands in
// logs, from the pairs counted in bigramText (cost adds a prior for the
// pairs it lacks).
type textWeight struct {
	after [256][]pairCount // the pairs counted, by their first byte
}

type pairCount struct {
	y byte
	n float64
}

func newTextWeight() *textWeight {
	w := &textWeight{}
	for i := 1; i < len(bigramText); i++ {
		x, y := bigramText[i-1], bigramText[i]
		l := w.after[x]
		k := 0
		for k < len(l) && l[k].y != y {
			k++
		}
		if k == len(l) {
			l = append(l, pairCount{y: y})
		}
		l[k].n++
		w.after[x] = l
	}
	return w
}

// cost is the weight of what a bucket's closure admits: the pairs the
// sample counts, and a prior for the pairs any sample misses, highest for
// digits (timestamps, sizes and offsets pair every digit with every other).
func (w *textWeight) cost(b bucket) float64 {
	f, s := b.first.closure(), b.second.closure()
	c := 0.0
	for i, word := range f {
		for word != 0 {
			x := i<<6 | bits.TrailingZeros64(word)
			word &= word - 1
			for _, p := range w.after[x] {
				if s.has(p.y) {
					c += p.n
				}
			}
		}
	}
	fc, sc := f.classes(), s.classes()
	return c + 3*fc.digit*sc.digit + 0.5*(fc.digit*sc.space+fc.space*sc.digit) +
		0.3*fc.letter*sc.letter + 0.05*fc.text*sc.text
}

// byteClasses counts a set's digits, letters, blanks and text bytes.
type byteClasses struct{ digit, letter, space, text float64 }

func (s byteSet) classes() byteClasses {
	digits := byteSet{0x03ff << '0'}
	letters := byteSet{0, 0x07fffffe07fffffe}
	spaces := byteSet{1<<' ' | 1<<'\t'}
	text := byteSet{^uint64(0)&^0xffffffff | 1<<'\t' | 1<<'\n' | 1<<'\r', ^uint64(0), ^uint64(0), ^uint64(0)}
	return byteClasses{s.count(digits), s.count(letters), s.count(spaces), s.count(text)}
}

// count is the size of s within o.
func (s byteSet) count(o byteSet) float64 {
	n := 0
	for i := range s {
		n += bits.OnesCount64(s[i] & o[i])
	}
	return float64(n)
}

func (b bucket) merge(o bucket) bucket {
	return bucket{b.first.union(o.first), b.second.union(o.second)}
}

// newBigramFilter groups the bigrams of hit into sixteen buckets: a second
// byte that follows every byte (the GUID's '{') gets a bucket of its own;
// the rest start as exact buckets and are merged, cheapest first, until
// they fit.
func newBigramFilter(hit *[65536]bool) *bigramFilter {
	var rows [256]byteSet // the second bytes of each first byte
	anyFirst := byteSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
	for x := range rows {
		for y, ok := range hit[x<<8 : x<<8+256] {
			if ok {
				rows[x].add(byte(y))
			}
		}
		for i := range anyFirst {
			anyFirst[i] &= rows[x][i]
		}
	}
	// Start from exact buckets: the first bytes that share a set of
	// second bytes, the set cut by high nibble (letters of both cases
	// together), as a bucket admits every nibble pairing of its bytes.
	var groups []bucket
	index := map[byteSet]int{}
	for x, row := range rows {
		var seconds [16]byteSet
		for i, word := range row {
			for word &^= anyFirst[i]; word != 0; word &= word - 1 {
				y := byte(i<<6 | bits.TrailingZeros64(word))
				seconds[nibbleClass(y)].add(y)
			}
		}
		for _, second := range seconds {
			if second == (byteSet{}) {
				continue
			}
			i, ok := index[second]
			if !ok {
				i = len(groups)
				index[second] = i
				groups = append(groups, bucket{second: second})
			}
			groups[i].first.add(byte(x))
		}
	}
	n := 16
	if anyFirst != (byteSet{}) {
		n--
	}
	return merged(groups, n, anyFirst)
}

// nibbleClass is a byte's high nibble, the same for both cases of a letter.
func nibbleClass(c byte) int {
	if h := c >> 4; h >= 6 && h <= 7 {
		return int(h - 2)
	}
	return int(c >> 4)
}

// merged merges the cheapest pair of groups until n remain, and builds the
// filter of those and the bucket of second bytes that follow any byte.
func merged(groups []bucket, n int, anyFirst byteSet) *bigramFilter {
	w := newTextWeight()
	cost := make([]float64, len(groups))
	for i, g := range groups {
		cost[i] = w.cost(g)
	}
	// pair[i][j], i < j, is the cost the merge of i and j adds.
	pair := make([][]float64, len(groups))
	for i := range groups {
		pair[i] = make([]float64, len(groups))
		for j := i + 1; j < len(groups); j++ {
			pair[i][j] = w.cost(groups[i].merge(groups[j])) - cost[i] - cost[j]
		}
	}
	alive := len(groups)
	dead := make([]bool, len(groups))
	for alive > n {
		bi, bj := -1, -1
		for i := range groups {
			for j := i + 1; j < len(groups); j++ {
				if !dead[i] && !dead[j] && (bi < 0 || pair[i][j] < pair[bi][bj]) {
					bi, bj = i, j
				}
			}
		}
		groups[bi] = groups[bi].merge(groups[bj])
		cost[bi] = w.cost(groups[bi])
		dead[bj] = true
		alive--
		for k := range groups {
			if k == bi || dead[k] {
				continue
			}
			i, j := min(k, bi), max(k, bi)
			pair[i][j] = w.cost(groups[i].merge(groups[j])) - cost[i] - cost[j]
		}
	}
	var live []bucket
	for i, g := range groups {
		if !dead[i] {
			live = append(live, g)
		}
	}
	groups = live
	if anyFirst != (byteSet{}) {
		groups = append(groups, bucket{first: byteSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}, second: anyFirst})
	}
	f := &bigramFilter{}
	for b, g := range groups {
		bank := 4 * (b / 8)
		for c := range 256 {
			if g.first.has(byte(c)) {
				f.set(bank+fLo1, c&15, b%8)
				f.set(bank+fHi1, c>>4, b%8)
			}
			if g.second.has(byte(c)) {
				f.set(bank+fLo2, c&15, b%8)
				f.set(bank+fHi2, c>>4, b%8)
			}
		}
	}
	for i := range f.tab[fNib] {
		f.tab[fNib][i] = 0x0f
	}
	return f
}

func (f *bigramFilter) set(table, nibble, b int) {
	f.tab[table][nibble] |= 1 << b
	f.tab[table][nibble+16] |= 1 << b
}

// admits reports whether the filter lets the bigram x, y through.
func (f *bigramFilter) admits(x, y byte) bool {
	for bank := 0; bank < 8; bank += 4 {
		m1 := f.tab[bank+fLo1][x&15] & f.tab[bank+fHi1][x>>4]
		m2 := f.tab[bank+fLo2][y&15] & f.tab[bank+fHi2][y>>4]
		if m1&m2 != 0 {
			return true
		}
	}
	return false
}

// masksGeneric is the portable form of masks: bit j of out[k] says the
// bigram data[32k+j], data[32k+j+1] is admitted. data holds at least
// 32*len(out)+1 bytes.
func (f *bigramFilter) masksGeneric(data []byte, out []uint32) {
	for k := range out {
		var m uint32
		for j, x := range data[32*k : 32*k+32] {
			if f.admits(x, data[32*k+j+1]) {
				m |= 1 << j
			}
		}
		out[k] = m
	}
}
