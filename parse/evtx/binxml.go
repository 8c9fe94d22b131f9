package evtx

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Binary XML tokens (MS-EVEN6 2.2.12). The 0x40 bit of some tokens says
// "more follows"; the reader relies on the tokens themselves instead.
const (
	tokEOF          = 0x00
	tokOpenStart    = 0x01
	tokCloseStart   = 0x02
	tokCloseEmpty   = 0x03
	tokEnd          = 0x04
	tokValue        = 0x05
	tokAttribute    = 0x06
	tokCDATA        = 0x07
	tokCharRef      = 0x08
	tokEntityRef    = 0x09
	tokPITarget     = 0x0a
	tokPIData       = 0x0b
	tokTemplate     = 0x0c
	tokSubst        = 0x0d
	tokOptSubst     = 0x0e
	tokFragment     = 0x0f
	flagMore        = 0x40
	typeNull        = 0x00
	typeString      = 0x01
	typeBinXML      = 0x21
	typeArray       = 0x80
	templateDefSize = 24 // next offset, GUID, data size
)

type nodeKind uint8

const (
	kindElement nodeKind = iota
	kindText
	kindSubst
	kindCharRef
	kindEntity
	kindCDATA
	kindPI
	kindTemplate
)

// node is one piece of a decoded Binary XML tree. Templates are decoded
// once per chunk into nodes and rendered for each record with its values.
type node struct {
	kind     nodeKind
	optional bool      // optional substitution: a NULL value drops the element
	vtype    byte      // substitution's declared value type
	sub      uint16    // substitution index, or character of a CharRef
	name     string    // element, entity or PI target name
	text     string    // text, CDATA or PI data
	attrs    []attr    // element attributes
	kids     []node    // element content
	inst     *instance // template instance
}

type attr struct {
	name string
	val  []node
}

// template is a decoded template definition of the current chunk.
type template struct {
	nodes []node
	err   error
	busy  bool // being decoded: a reference to it now is a loop
	// provSub is the substitution giving System/Provider/@Name, or -1 when
	// provName spells it out; provKnown is false when no Provider element
	// was found.
	provSub   int
	provName  string
	provKnown bool
}

// value is one substitution value of a template instance.
type value struct {
	typ  byte
	data []byte
	off  int // chunk offset of data, for Binary XML values
}

type instance struct {
	t    *template
	vals []value
}

// decoder reads the Binary XML of one chunk.
type decoder struct {
	r   *Reader
	b   []byte // the whole chunk: names and templates are chunk offsets
	dep bool   // element starts carry a dependency identifier
}

func errAt(off int, format string, args ...any) error {
	return fmt.Errorf("binary XML at offset %d: %s", off, fmt.Sprintf(format, args...))
}

var errShort = errors.New("ends early")

func (d *decoder) need(off, n, end int) error {
	if off < 0 || off+n > end || off+n > len(d.b) {
		return errAt(off, "%v (needs %d bytes)", errShort, n)
	}
	return nil
}

func (d *decoder) u16(off int) int { return int(binary.LittleEndian.Uint16(d.b[off:])) }
func (d *decoder) u32(off int) int { return int(binary.LittleEndian.Uint32(d.b[off:])) }

// doc decodes a document: fragment headers, elements, template instances
// and processing instructions up to an end-of-file token or end.
func (d *decoder) doc(out []node, off, end, depth int) ([]node, int, error) {
	if depth > d.r.lim.MaxDepth {
		return nil, off, errAt(off, "nested deeper than %d", d.r.lim.MaxDepth)
	}
	for off < end {
		switch tok := d.b[off]; tok {
		case tokEOF:
			return out, off + 1, nil
		case tokFragment:
			if err := d.need(off, 4, end); err != nil {
				return out, off, err
			}
			off += 4
		case tokTemplate:
			in, next, err := d.instance(off, end, depth)
			if err != nil {
				return out, next, err
			}
			out = append(out, node{kind: kindTemplate, inst: in})
			off = next
		case tokOpenStart, tokOpenStart | flagMore, tokPITarget, tokPIData:
			kids, next, err := d.content(off, end, depth, false)
			out = append(out, kids...)
			if err != nil {
				return out, next, err
			}
			if next == off {
				return out, off, errAt(off, "unexpected token 0x%02x", d.b[off])
			}
			off = next
		default:
			return out, off, errAt(off, "unexpected token 0x%02x", tok)
		}
	}
	return out, off, nil
}

// element decodes an element from its open start token to its end.
func (d *decoder) element(off, end, depth int) (node, int, error) {
	if depth > d.r.lim.MaxDepth {
		return node{}, off, errAt(off, "elements nested deeper than %d", d.r.lim.MaxDepth)
	}
	tok := d.b[off]
	p := off + 1
	if d.dep {
		p += 2
	}
	if err := d.need(p, 8, end); err != nil {
		return node{}, p, err
	}
	p += 4 // data size: the tokens themselves say where the element ends
	name, p, err := d.name(d.u32(p), p+4, end)
	if err != nil {
		return node{}, p, err
	}
	n := node{kind: kindElement, name: name}
	if tok&flagMore != 0 {
		if err := d.need(p, 4, end); err != nil {
			return n, p, err
		}
		p += 4 // attribute list size
		for p < end && d.b[p]&^flagMore == tokAttribute {
			if err := d.need(p, 5, end); err != nil {
				return n, p, err
			}
			var a attr
			if a.name, p, err = d.name(d.u32(p+1), p+5, end); err != nil {
				return n, p, err
			}
			if a.val, p, err = d.content(p, end, depth, true); err != nil {
				return n, p, err
			}
			n.attrs = append(n.attrs, a)
		}
	}
	if err := d.need(p, 1, end); err != nil {
		return n, p, err
	}
	switch d.b[p] {
	case tokCloseEmpty:
		return n, p + 1, nil
	case tokCloseStart:
		if n.kids, p, err = d.content(p+1, end, depth+1, false); err != nil {
			return n, p, err
		}
		if p >= end || d.b[p] != tokEnd {
			return n, p, errAt(p, "element %s is not closed", name)
		}
		return n, p + 1, nil
	}
	return n, p, errAt(p, "unexpected token 0x%02x in start of element %s", d.b[p], name)
}

// content decodes content tokens until one that is not content (an end
// tag, a close tag, an attribute, end of file), which it leaves unread.
// Attribute values hold only text, substitutions and references.
func (d *decoder) content(p, end, depth int, inAttr bool) ([]node, int, error) {
	var out []node
	for p < end {
		tok := d.b[p] &^ flagMore
		if inAttr && tok != tokValue && tok != tokSubst && tok != tokOptSubst && tok != tokCharRef && tok != tokEntityRef {
			return out, p, nil
		}
		var n node
		var err error
		switch tok {
		case tokValue:
			if err = d.need(p, 4, end); err != nil {
				return out, p, err
			}
			if d.b[p+1] != typeString {
				return out, p, errAt(p, "text value of type 0x%02x", d.b[p+1])
			}
			n.kind = kindText
			n.text, p, err = d.str(p+2, end)
		case tokSubst, tokOptSubst:
			if err = d.need(p, 4, end); err != nil {
				return out, p, err
			}
			n = node{kind: kindSubst, optional: tok == tokOptSubst, sub: uint16(d.u16(p + 1)), vtype: d.b[p+3]}
			p += 4
		case tokCharRef:
			if err = d.need(p, 3, end); err != nil {
				return out, p, err
			}
			n = node{kind: kindCharRef, sub: uint16(d.u16(p + 1))}
			p += 3
		case tokEntityRef:
			if err = d.need(p, 5, end); err != nil {
				return out, p, err
			}
			n.kind = kindEntity
			n.name, p, err = d.name(d.u32(p+1), p+5, end)
		case tokCDATA:
			n.kind = kindCDATA
			n.text, p, err = d.str(p+1, end)
		case tokPITarget:
			if err = d.need(p, 5, end); err != nil {
				return out, p, err
			}
			n.kind = kindPI
			if n.name, p, err = d.name(d.u32(p+1), p+5, end); err == nil && p < end && d.b[p] == tokPIData {
				n.text, p, err = d.str(p+1, end)
			}
		case tokPIData: // data without a target: keep the text
			n.kind = kindPI
			n.text, p, err = d.str(p+1, end)
		case tokOpenStart:
			n, p, err = d.element(p, end, depth)
		case tokTemplate:
			n.kind = kindTemplate
			n.inst, p, err = d.instance(p, end, depth)
		default:
			return out, p, nil
		}
		if err != nil {
			return out, p, err
		}
		out = append(out, n)
	}
	return out, p, nil
}

// name returns the name at chunk offset at; p is where the name would be
// stored inline, in which case it is skipped.
func (d *decoder) name(at, p, end int) (string, int, error) {
	if at == p {
		s, size, err := d.readName(p, end)
		if err == nil {
			d.r.names[uint32(at)] = s
		}
		return s, p + size, err
	}
	if s, ok := d.r.names[uint32(at)]; ok {
		return s, p, nil
	}
	s, _, err := d.readName(at, len(d.b))
	if err != nil {
		return "", p, err
	}
	d.r.names[uint32(at)] = s
	return s, p, nil
}

// readName reads a name: next-name offset, hash, length, characters and a
// terminating NUL.
func (d *decoder) readName(at, end int) (string, int, error) {
	if at < chunkHeaderSize {
		return "", 0, errAt(at, "name offset inside the chunk header")
	}
	if err := d.need(at, 8, end); err != nil {
		return "", 0, err
	}
	n := d.u16(at + 6)
	if err := d.need(at+8, 2*n+2, end); err != nil {
		return "", 0, err
	}
	return decodeUTF16(d.b[at+8 : at+8+2*n]), 8 + 2*n + 2, nil
}

// str reads a length-prefixed UTF-16 string.
func (d *decoder) str(p, end int) (string, int, error) {
	if err := d.need(p, 2, end); err != nil {
		return "", p, err
	}
	n := d.u16(p)
	if err := d.need(p+2, 2*n, end); err != nil {
		return "", p, err
	}
	return decodeUTF16(d.b[p+2 : p+2+2*n]), p + 2 + 2*n, nil
}

// instance decodes a template instance: the template (defined here or
// earlier in the chunk) and the substitution values.
func (d *decoder) instance(off, end, depth int) (*instance, int, error) {
	if err := d.need(off, 10, end); err != nil {
		return nil, off, err
	}
	def := d.u32(off + 6)
	p := off + 10
	if def == p { // defined here: skip the definition
		if err := d.need(p, templateDefSize, end); err != nil {
			return nil, p, err
		}
		size := d.u32(p + 20)
		if err := d.need(p+templateDefSize, size, end); err != nil {
			return nil, p, err
		}
		p += templateDefSize + size
	}
	t := d.template(def, depth)
	if t.err != nil {
		return nil, p, t.err
	}
	if err := d.need(p, 4, end); err != nil {
		return nil, p, err
	}
	count := d.u32(p)
	p += 4
	if count > d.r.lim.MaxValues {
		return nil, p, errAt(p, "%d substitution values, more than the limit of %d", count, d.r.lim.MaxValues)
	}
	if err := d.need(p, 4*count, end); err != nil {
		return nil, p, err
	}
	in := &instance{t: t, vals: make([]value, count)}
	q := p + 4*count
	for i := range in.vals {
		size := d.u16(p + 4*i)
		if err := d.need(q, size, end); err != nil {
			return nil, q, fmt.Errorf("substitution value %d: %w", i, err)
		}
		in.vals[i] = value{typ: d.b[p+4*i+2], data: d.b[q : q+size], off: q}
		q += size
	}
	return in, q, nil
}

// template returns the template defined at chunk offset def, decoding it
// on first use.
func (d *decoder) template(def, depth int) *template {
	if t, ok := d.r.templates[uint32(def)]; ok {
		if t.busy {
			return &template{err: errAt(def, "template refers to itself")}
		}
		return t
	}
	if len(d.r.templates) >= d.r.lim.MaxTemplates {
		return &template{err: errAt(def, "more than %d templates in one chunk", d.r.lim.MaxTemplates)}
	}
	t := &template{busy: true, provSub: -1}
	d.r.templates[uint32(def)] = t
	switch {
	case def < chunkHeaderSize || def+templateDefSize > len(d.b):
		t.err = errAt(def, "template offset outside the chunk")
	default:
		end := def + templateDefSize + d.u32(def+20)
		if end > len(d.b) || end < def {
			t.err = errAt(def, "template of %d bytes runs past the chunk", d.u32(def+20))
			break
		}
		dep := d.dep
		d.dep = true
		t.nodes, _, t.err = d.doc(nil, def+templateDefSize, end, depth+1)
		d.dep = dep
	}
	t.busy = false
	if t.err == nil {
		t.findProvider(t.nodes)
	}
	return t
}

// findProvider notes where the template keeps System/Provider/@Name, so
// that records can be sorted by provider without being rendered.
func (t *template) findProvider(ns []node) bool {
	for i := range ns {
		n := &ns[i]
		if n.kind != kindElement {
			continue
		}
		if n.name == "Provider" {
			for _, a := range n.attrs {
				if a.name != "Name" || len(a.val) != 1 {
					continue
				}
				switch v := a.val[0]; v.kind {
				case kindText:
					t.provName, t.provKnown = v.text, true
				case kindSubst:
					t.provSub, t.provKnown = int(v.sub), true
				}
			}
			return true
		}
		if t.findProvider(n.kids) {
			return true
		}
	}
	return false
}

// decodeUTF16 turns little-endian UTF-16 into UTF-8, replacing unpaired
// surrogates.
func decodeUTF16(b []byte) string {
	ascii := true
	for i := 0; i+1 < len(b); i += 2 {
		if b[i+1] != 0 || b[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		s := make([]byte, len(b)/2)
		for i := range s {
			s[i] = b[2*i]
		}
		return string(s)
	}
	return string(appendUTF16(make([]byte, 0, len(b)), b))
}

// appendUTF16 appends little-endian UTF-16 as UTF-8 to dst, replacing
// unpaired surrogates.
func appendUTF16(dst, b []byte) []byte {
	for i := 0; i+1 < len(b); i += 2 {
		r := rune(binary.LittleEndian.Uint16(b[i:]))
		if r < utf8.RuneSelf {
			dst = append(dst, byte(r))
			continue
		}
		if utf16.IsSurrogate(r) && i+3 < len(b) {
			r2 := rune(binary.LittleEndian.Uint16(b[i+2:]))
			if c := utf16.DecodeRune(r, r2); c != utf8.RuneError {
				dst = utf8.AppendRune(dst, c)
				i += 2
				continue
			}
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// Record is one event record. It is valid until the Reader's next call.
type Record struct {
	ID      uint64    // event record identifier (EventRecordID)
	Written time.Time // when the record was written
	r       *Reader
	start   int // the record's Binary XML in the chunk
	end     int
	nodes   []node
}

// decode reads the record's Binary XML structure (not its values).
func (rec *Record) decode() error {
	d := decoder{r: rec.r, b: rec.r.buf, dep: true}
	nodes, _, err := d.doc(rec.r.nodes[:0], rec.start, rec.end, 0)
	rec.nodes = nodes
	rec.r.nodes = nodes[:0] // reused by the next record
	if err == nil && len(nodes) == 0 {
		err = errors.New("no event in the record")
	}
	return err
}

// Provider returns the record's System/Provider/@Name without rendering
// it; ok is false when only rendering can tell.
func (rec *Record) Provider() (name string, ok bool) {
	if len(rec.nodes) != 1 || rec.nodes[0].kind != kindTemplate {
		return "", false
	}
	in := rec.nodes[0].inst
	t := in.t
	switch {
	case !t.provKnown:
		return "", false
	case t.provSub < 0:
		return t.provName, true
	case t.provSub >= len(in.vals):
		return "", true
	}
	switch v := in.vals[t.provSub]; v.typ {
	case typeString:
		return rec.r.providerName(v.data), true
	case typeNull:
		return "", true
	}
	return "", false
}

// providerName decodes a provider name, remembering the few a log has so
// that sorting records by provider allocates nothing.
func (r *Reader) providerName(b []byte) string {
	if s, ok := r.providers[string(b)]; ok {
		return s
	}
	s := trimNUL(decodeUTF16(b))
	if len(r.providers) < maxProviders {
		r.providers[string(b)] = s
	}
	return s
}

// maxProviders bounds the provider names remembered.
const maxProviders = 4096

func trimNUL(s string) string {
	for len(s) > 0 && s[len(s)-1] == 0 {
		s = s[:len(s)-1]
	}
	return s
}
