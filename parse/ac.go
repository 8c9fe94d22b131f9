package parse

// matcher is an Aho-Corasick automaton over ASCII-lowered bytes, built once
// per Parser: it finds every writer name and message phrase of a candidate
// line in one pass, however many the vocabulary holds. Bytes are mapped to
// classes first (only bytes that occur in some pattern get their own), so
// the dense transition table stays small.
type matcher struct {
	class   [256]uint8
	nclass  int
	next    []int32 // state*nclass + class -> state
	out     [][]int32
	lengths []int
}

// match is one pattern found: its id and the end of the match in the line.
type match struct {
	id, end int
}

func newMatcher(pats [][]byte) *matcher {
	m := &matcher{nclass: 1}
	for _, p := range pats {
		for _, c := range p {
			if m.class[c] == 0 && m.nclass < 255 {
				m.class[c] = uint8(m.nclass)
				m.nclass++
			}
		}
	}
	// Build the trie with the goto function.
	type node struct {
		kids map[uint8]int32
		out  []int32
	}
	nodes := []node{{kids: map[uint8]int32{}}}
	for id, p := range pats {
		s := int32(0)
		for _, c := range p {
			k := m.class[c]
			nx, ok := nodes[s].kids[k]
			if !ok {
				nx = int32(len(nodes))
				nodes = append(nodes, node{kids: map[uint8]int32{}})
				nodes[s].kids[k] = nx
			}
			s = nx
		}
		nodes[s].out = append(nodes[s].out, int32(id))
		m.lengths = append(m.lengths, len(p))
	}
	// Breadth-first: failure links turn the trie into a full DFA.
	n := m.nclass
	m.next = make([]int32, len(nodes)*n)
	m.out = make([][]int32, len(nodes))
	fail := make([]int32, len(nodes))
	queue := []int32{}
	for k := 0; k < n; k++ {
		if nx, ok := nodes[0].kids[uint8(k)]; ok {
			m.next[k] = nx
			queue = append(queue, nx)
		}
	}
	m.out[0] = nodes[0].out
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		m.out[s] = append(append([]int32(nil), nodes[s].out...), m.out[fail[s]]...)
		for k := 0; k < n; k++ {
			if nx, ok := nodes[s].kids[uint8(k)]; ok {
				fail[nx] = m.next[int(fail[s])*n+k]
				m.next[int(s)*n+k] = nx
				queue = append(queue, nx)
			} else {
				m.next[int(s)*n+k] = m.next[int(fail[s])*n+k]
			}
		}
	}
	return m
}

// find appends the matches in lower (ASCII-lowered text) to dst.
func (m *matcher) find(dst []match, lower []byte) []match {
	s := int32(0)
	n := int32(m.nclass)
	for i, c := range lower {
		s = m.next[s*n+int32(m.class[c])]
		for _, id := range m.out[s] {
			dst = append(dst, match{id: int(id), end: i + 1})
		}
	}
	return dst
}
