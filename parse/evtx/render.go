package evtx

import (
	"errors"
	"fmt"
	"strconv"
)

// XML appends the record rendered as indented XML, in the shape of Event
// Viewer's and evtxexport's exports, to dst.
//
// The work of rendering (nodes visited, bytes written) is charged to the
// record's chunk and file budgets (Limits.ChunkWork, Limits.WorkPerByte).
// A record that exhausts either fails with an error wrapping ErrBudget, and
// the chunk's remaining records are skipped and counted as unreadable.
func (rec *Record) XML(dst []byte) ([]byte, error) {
	r := rec.r
	if r.overBudget {
		return dst, fmt.Errorf("record %d: %w", rec.ID, ErrBudget)
	}
	w := writer{
		d:      decoder{r: r, b: r.buf, dep: true},
		out:    dst,
		limit:  len(dst) + r.lim.MaxRendered,
		depth:  r.lim.MaxDepth,
		budget: min(maxSteps, r.budget()),
		start:  len(dst),
	}
	err := w.nodes(rec.nodes, nil, 0, 0)
	r.charge(w.work())
	if errors.Is(err, ErrBudget) {
		r.overBudget = true
		r.note(fmt.Sprintf("rendering record %d went over the chunk's or the file's budget", rec.ID))
	}
	if err != nil {
		err = fmt.Errorf("record %d: %w", rec.ID, err)
	}
	return w.out, err
}

// ErrBudget says that rendering went over the chunk's or the file's work
// budget: the records are too costly for their size, as a hostile file's
// nested templates make them.
var ErrBudget = errors.New("rendering over budget")

type writer struct {
	d     decoder
	out   []byte
	limit int
	depth int
	steps int // nodes visited: templates can nest so that rendering
	// does much work for little output (elements dropped for NULL values)
	budget int64 // work this record may use
	start  int   // len(out) before the record
}

// maxSteps bounds the work spent rendering one record.
const maxSteps = 1 << 20

// bytesPerStep is how many bytes written cost as much as a node visited.
const bytesPerStep = 16

// work is what the record has cost so far.
func (w *writer) work() int64 {
	return int64(w.steps) + int64(len(w.out)-w.start)/bytesPerStep
}

func (w *writer) check(depth int) error {
	w.steps++
	if w.work() > w.budget {
		if w.budget < maxSteps {
			return ErrBudget
		}
		return fmt.Errorf("record too complex to render (over %d steps)", maxSteps)
	}
	if depth > w.depth {
		return fmt.Errorf("rendering nested deeper than %d", w.depth)
	}
	if len(w.out) > w.limit {
		return fmt.Errorf("rendered record larger than the limit of %d bytes", w.limit)
	}
	return nil
}

func (w *writer) indent(level int) {
	for range level {
		w.out = append(w.out, "  "...)
	}
}

func val(n *node, vals []value) value {
	if int(n.sub) >= len(vals) {
		return value{typ: typeNull}
	}
	return vals[n.sub]
}

// nodes writes a sequence of nodes, one per line.
func (w *writer) nodes(ns []node, vals []value, level, depth int) error {
	if err := w.check(depth); err != nil {
		return err
	}
	for i := range ns {
		n := &ns[i]
		if err := w.check(depth); err != nil {
			return err
		}
		var err error
		switch n.kind {
		case kindElement:
			err = w.element(n, vals, level, depth)
		case kindTemplate:
			err = w.nodes(n.inst.t.nodes, n.inst.vals, level, depth+1)
		case kindSubst:
			if v := val(n, vals); v.typ == typeBinXML {
				err = w.binXML(v, level, depth+1)
				break
			}
			fallthrough
		default:
			mark := len(w.out)
			w.indent(level)
			at := len(w.out)
			w.inline(n, vals)
			if len(w.out) == at {
				w.out = w.out[:mark]
			} else {
				w.out = append(w.out, '\n')
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// binXML writes a substitution value that is itself Binary XML. An element
// start there has no dependency identifier.
func (w *writer) binXML(v value, level, depth int) error {
	if err := w.check(depth); err != nil {
		return err
	}
	w.steps += len(v.data)
	d := w.d
	d.dep = !(len(v.data) > 0 && v.data[0]&^flagMore == tokOpenStart)
	ns, _, err := d.doc(nil, v.off, v.off+len(v.data), depth)
	if err != nil {
		return err
	}
	return w.nodes(ns, nil, level, depth+1)
}

// element writes an element; an optional substitution with no value drops
// it, and an array value repeats it once per item.
func (w *writer) element(n *node, vals []value, level, depth int) error {
	// Each copy looks at every child and attribute, so they count as
	// steps: an element of thousands of substitutions is costly.
	w.steps += len(n.kids) + len(n.attrs)
	for i := range n.kids {
		if k := &n.kids[i]; k.kind == kindSubst && k.optional && val(k, vals).typ == typeNull {
			return nil
		}
	}
	if len(n.kids) == 1 && n.kids[0].kind == kindSubst {
		if v := val(&n.kids[0], vals); v.typ&typeArray != 0 {
			items := splitArray(v)
			if len(items) == 0 {
				items = []value{{typ: typeNull}}
			}
			for i := range items {
				if err := w.check(depth); err != nil {
					return err
				}
				w.one(n, vals, level, depth, &items[i])
			}
			return nil
		}
	}
	return w.one(n, vals, level, depth, nil)
}

// one writes one copy of an element; item, when set, is its content.
func (w *writer) one(n *node, vals []value, level, depth int, item *value) error {
	w.indent(level)
	w.out = append(w.out, '<')
	w.out = append(w.out, n.name...)
	for i := range n.attrs {
		w.attr(&n.attrs[i], vals)
	}
	block := false
	for i := range n.kids {
		switch k := &n.kids[i]; k.kind {
		case kindElement, kindTemplate:
			block = true
		case kindSubst:
			block = block || item == nil && val(k, vals).typ == typeBinXML
		}
	}
	if !block {
		w.out = append(w.out, '>')
		mark := len(w.out)
		if item != nil {
			w.value(*item)
		} else {
			for i := range n.kids {
				w.inline(&n.kids[i], vals)
			}
		}
		if len(w.out) == mark {
			w.out = append(w.out[:mark-1], "/>\n"...)
			return nil
		}
		w.out = append(w.out, "</"...)
		w.out = append(w.out, n.name...)
		w.out = append(w.out, ">\n"...)
		return nil
	}
	w.out = append(w.out, ">\n"...)
	if err := w.nodes(n.kids, vals, level+1, depth+1); err != nil {
		return err
	}
	w.indent(level)
	w.out = append(w.out, "</"...)
	w.out = append(w.out, n.name...)
	w.out = append(w.out, ">\n"...)
	return nil
}

// attr writes an attribute, or nothing when an optional substitution in
// it has no value.
func (w *writer) attr(a *attr, vals []value) {
	for i := range a.val {
		if k := &a.val[i]; k.kind == kindSubst && k.optional && val(k, vals).typ == typeNull {
			return
		}
	}
	w.out = append(w.out, ' ')
	w.out = append(w.out, a.name...)
	w.out = append(w.out, `="`...)
	for i := range a.val {
		w.inline(&a.val[i], vals)
	}
	w.out = append(w.out, '"')
}

// inline writes text-like content escaped for XML.
func (w *writer) inline(n *node, vals []value) {
	switch n.kind {
	case kindText:
		w.out = appendEscaped(w.out, n.text)
	case kindSubst:
		if v := val(n, vals); v.typ != typeBinXML {
			w.value(v)
		}
	case kindCharRef:
		w.out = append(w.out, "&#"...)
		w.out = strconv.AppendInt(w.out, int64(n.sub), 10)
		w.out = append(w.out, ';')
	case kindEntity:
		w.out = append(w.out, '&')
		w.out = append(w.out, n.name...)
		w.out = append(w.out, ';')
	case kindCDATA:
		w.out = append(w.out, "<![CDATA["...)
		w.out = append(w.out, n.text...)
		w.out = append(w.out, "]]>"...)
	case kindPI:
		w.out = append(w.out, "<?"...)
		w.out = append(w.out, n.name...)
		if n.text != "" {
			w.out = append(w.out, ' ')
			w.out = append(w.out, n.text...)
		}
		w.out = append(w.out, "?>"...)
	}
}

// value writes a substitution value escaped for XML.
func (w *writer) value(v value) {
	mark := len(w.out)
	w.out = appendValue(w.out, v)
	if needsEscape(w.out[mark:]) {
		s := string(w.out[mark:])
		w.out = appendEscaped(w.out[:mark], s)
	}
}

func needsEscape(b []byte) bool {
	for _, c := range b {
		switch c {
		case '&', '<', '>', '"':
			return true
		}
	}
	return false
}

func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			dst = append(dst, "&amp;"...)
		case '<':
			dst = append(dst, "&lt;"...)
		case '>':
			dst = append(dst, "&gt;"...)
		case '"':
			dst = append(dst, "&quot;"...)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
