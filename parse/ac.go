package parse

import "sort"

// matcher is an Aho-Corasick automaton over ASCII-lowered bytes, built once
// per Parser: it finds every writer name and message phrase of a candidate
// line in one pass, however many the vocabulary holds. It runs only on the
// few candidate lines, so nodes keep sorted child lists (cheap to build at
// start) rather than a dense transition table.
type matcher struct {
	nodes   []acNode
	root    [256]int32 // the root's transitions, dense: most bytes leave it at once
	lengths []int
}

type acNode struct {
	keys []byte  // sorted child bytes
	kids []int32 // child node per key
	fail int32
	out  []int32 // pattern ids ending here, through failure links too
}

// match is one pattern found: its id and the end of the match in the line.
type match struct {
	id, end int
}

func newMatcher(pats [][]byte) *matcher {
	// A trie has at most one node per pattern byte: sized once, the node
	// slice is not copied as it grows (this runs at every start).
	size := 1
	for _, p := range pats {
		size += len(p)
	}
	m := &matcher{nodes: make([]acNode, 1, size)}
	for id, p := range pats {
		s := int32(0)
		for _, c := range p {
			nx, ok := m.child(s, c)
			if !ok {
				nx = int32(len(m.nodes))
				m.nodes = append(m.nodes, acNode{})
				n := &m.nodes[s]
				i := sort.Search(len(n.keys), func(i int) bool { return n.keys[i] >= c })
				n.keys = append(n.keys[:i], append([]byte{c}, n.keys[i:]...)...)
				n.kids = append(n.kids[:i], append([]int32{nx}, n.kids[i:]...)...)
			}
			s = nx
		}
		m.nodes[s].out = append(m.nodes[s].out, int32(id))
		m.lengths = append(m.lengths, len(p))
	}
	for i, c := range m.nodes[0].keys {
		m.root[c] = m.nodes[0].kids[i]
	}
	// Breadth-first failure links; outputs inherit those of their link.
	queue := append([]int32(nil), m.nodes[0].kids...)
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		n := &m.nodes[s]
		for i, c := range n.keys {
			kid := n.kids[i]
			f := n.fail
			for {
				if nx, ok := m.child(f, c); ok && nx != kid {
					m.nodes[kid].fail = nx
					break
				}
				if f == 0 {
					break
				}
				f = m.nodes[f].fail
			}
			k := &m.nodes[kid]
			k.out = append(k.out, m.nodes[k.fail].out...)
			queue = append(queue, kid)
		}
	}
	return m
}

// child returns the child of s on byte c.
func (m *matcher) child(s int32, c byte) (int32, bool) {
	n := &m.nodes[s]
	for i, k := range n.keys {
		if k == c {
			return n.kids[i], true
		}
		if k > c {
			break
		}
	}
	return 0, false
}

// maxMatches bounds the matches kept per line, so that a line repeating a
// writer name thousands of times costs no more than a normal one.
const maxMatches = 256

// find appends the matches in lower (ASCII-lowered text) to dst, at most
// maxMatches.
func (m *matcher) find(dst []match, lower []byte) []match {
	s := int32(0)
	for i, c := range lower {
		if s == 0 {
			if s = m.root[c]; s == 0 {
				continue
			}
			for _, id := range m.nodes[s].out {
				if len(dst) >= maxMatches {
					return dst
				}
				dst = append(dst, match{id: int(id), end: i + 1})
			}
			continue
		}
		for {
			if nx, ok := m.child(s, c); ok {
				s = nx
				break
			}
			if s == 0 {
				break
			}
			s = m.nodes[s].fail
		}
		for _, id := range m.nodes[s].out {
			if len(dst) >= maxMatches {
				return dst
			}
			dst = append(dst, match{id: int(id), end: i + 1})
		}
	}
	return dst
}
