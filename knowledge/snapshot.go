package knowledge

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"strings"

	"github.com/cespare/xxhash/v2"
)

// The embedded base is decoded from its YAML files once, by go generate,
// into snapshot.bin, which is embedded beside them: decoding the YAML into
// nodes and validating it took most of every command's start (~25 ms of a
// 6-byte diagnosis). The YAML stays the only source of truth: Load uses the
// snapshot only when the checksum at its head is that of the embedded YAML
// files and of the Go types it fills, and decodes the YAML otherwise: an
// edit of the data or of the entry types costs time until the snapshot is
// refreshed, not a wrong answer. A change in how the YAML is decoded leaves
// the checksum alone; TestSnapshotFresh catches that, as it fails whenever
// the snapshot is stale, and it pins the embedded YAML as valid, which the
// snapshot path does not check again.
//
// Refresh it after editing data/*.yaml or the entry types:
//
//go:generate go test -run ^TestSnapshotFresh$ -update .

// snapshotData is snapshot.bin; a string, so that the decoded strings are
// slices of it rather than copies.
//
//go:embed snapshot.bin
var snapshotData string

// snapshotFormat changes when the encoding of snapshot.bin does.
const snapshotFormat = "vssbot knowledge snapshot 1"

// snapshot is the embedded entries as the YAML decodes them. snapshot.bin
// is its checksum (sumFS) followed by its encoding (snapEncoder), which
// carries no field names: the checksum covers the types' shape instead.
type snapshot struct {
	Codes      []snapItem[codeEntry]
	States     []snapItem[stateEntry]
	Writers    []snapItem[writerEntry]
	Events     []snapItem[eventEntry]
	Phrases    []snapItem[phraseEntry]
	Situations []snapItem[situationEntry]
	Registry   []snapItem[registryEntry]
	Win32      []snapItem[win32Entry]
}

// snapItem is one entry; its position, an unexported field the encoding
// skips, travels in File and Line.
type snapItem[T any] struct {
	Entry *T
	File  string
	Line  int
}

// located is an entry type, which knows where it was read.
type located[T any] interface {
	*T
	position() *position
}

func (e *codeEntry) position() *position      { return &e.at }
func (e *stateEntry) position() *position     { return &e.at }
func (e *writerEntry) position() *position    { return &e.at }
func (e *eventEntry) position() *position     { return &e.at }
func (e *phraseEntry) position() *position    { return &e.at }
func (e *situationEntry) position() *position { return &e.at }
func (e *registryEntry) position() *position  { return &e.at }
func (e *win32Entry) position() *position     { return &e.at }

// fromSnapshot decodes data, the bytes of a snapshot.bin, when its checksum
// is sum; ok is false when it is not, or the snapshot cannot be decoded.
func fromSnapshot(data string, sum snapSum) (entries, bool) {
	body, ok := strings.CutPrefix(data, string(sum[:]))
	if !ok {
		return entries{}, false
	}
	var s snapshot
	r := snapDecoder{data: body}
	if err := r.decode(reflect.ValueOf(&s).Elem()); err != nil {
		return entries{}, false
	}
	return entries{
		codes:      fromItems(s.Codes),
		states:     fromItems(s.States),
		writers:    fromItems(s.Writers),
		events:     fromItems(s.Events),
		phrases:    fromItems(s.Phrases),
		situations: fromItems(s.Situations),
		registry:   fromItems(s.Registry),
		win32:      fromItems(s.Win32),
	}, true
}

func fromItems[T any, P located[T]](items []snapItem[T]) []*T {
	if len(items) == 0 {
		return nil
	}
	out := make([]*T, len(items))
	for i, it := range items {
		e := it.Entry
		if e == nil {
			e = new(T)
		}
		*P(e).position() = position{file: it.File, line: it.Line}
		out[i] = e
	}
	return out
}

// encodeSnapshot is the snapshot.bin of e, decoded from files whose
// checksum is sum.
func encodeSnapshot(e entries, sum snapSum) ([]byte, error) {
	w := snapEncoder{buf: sum[:]}
	s := snapshot{
		Codes:      toItems(e.codes),
		States:     toItems(e.states),
		Writers:    toItems(e.writers),
		Events:     toItems(e.events),
		Phrases:    toItems(e.phrases),
		Situations: toItems(e.situations),
		Registry:   toItems(e.registry),
		Win32:      toItems(e.win32),
	}
	if err := w.value(reflect.ValueOf(s)); err != nil {
		return nil, err
	}
	return w.buf, nil
}

func toItems[T any, P located[T]](es []*T) []snapItem[T] {
	out := make([]snapItem[T], len(es))
	for i, e := range es {
		at := P(e).position()
		out[i] = snapItem[T]{Entry: e, File: at.file, Line: at.line}
	}
	return out
}

// snapEncoder writes a value field by field, in the order of its type:
// strings and slices as a length and their content, ints as varints, a
// pointer as 0 (nil) or 1 and its target, a slice's length plus one (0 is
// nil, which the YAML leaves apart from empty). Unexported fields are left
// out, save embedded structs, whose exported fields are promoted.
type snapEncoder struct{ buf []byte }

func (w *snapEncoder) value(v reflect.Value) error {
	switch v.Kind() {
	case reflect.String:
		w.buf = binary.AppendUvarint(w.buf, uint64(v.Len()))
		w.buf = append(w.buf, v.String()...)
	case reflect.Int:
		w.buf = binary.AppendVarint(w.buf, v.Int())
	case reflect.Pointer:
		if v.IsNil() {
			w.buf = append(w.buf, 0)
			return nil
		}
		w.buf = append(w.buf, 1)
		return w.value(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			w.buf = append(w.buf, 0)
			return nil
		}
		w.buf = binary.AppendUvarint(w.buf, uint64(v.Len())+1)
		for i := range v.Len() {
			if err := w.value(v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if carried(v.Type().Field(i)) {
				if err := w.value(v.Field(i)); err != nil {
					return err
				}
			}
		}
	default:
		return fmt.Errorf("encode knowledge snapshot: cannot encode a %s", v.Type())
	}
	return nil
}

// carried says whether the encoding holds a struct field: exported ones,
// and embedded structs, whose exported fields reflect can set.
func carried(f reflect.StructField) bool {
	return f.IsExported() || (f.Anonymous && f.Type.Kind() == reflect.Struct)
}

var errSnapshot = errors.New("knowledge snapshot damaged")

// snapDecoder reads what snapEncoder wrote into a value of the same type,
// through a function made once per type. Damaged data is an error, never
// a panic.
type snapDecoder struct {
	data string
	err  error
	fns  map[reflect.Type]decodeFn
}

type decodeFn func(r *snapDecoder, v reflect.Value)

// decode fills v, which must be settable, and checks that all the data was
// read.
func (r *snapDecoder) decode(v reflect.Value) error {
	r.fns = map[reflect.Type]decodeFn{}
	r.fnFor(v.Type())(r, v)
	if r.err == nil && r.data != "" {
		r.err = errSnapshot
	}
	return r.err
}

func (r *snapDecoder) fnFor(t reflect.Type) decodeFn {
	if fn, ok := r.fns[t]; ok {
		return fn
	}
	var fn decodeFn
	r.fns[t] = func(r *snapDecoder, v reflect.Value) { fn(r, v) } // for a type that holds itself
	switch t.Kind() {
	case reflect.String:
		fn = func(r *snapDecoder, v reflect.Value) {
			n := r.uvarint()
			if n > uint64(len(r.data)) {
				r.err = errSnapshot
				return
			}
			v.SetString(r.data[:n])
			r.data = r.data[n:]
		}
	case reflect.Int:
		fn = func(r *snapDecoder, v reflect.Value) {
			u := r.uvarint()
			v.SetInt(int64(u>>1) ^ -int64(u&1)) // zig-zag, as binary.AppendVarint
		}
	case reflect.Pointer:
		elem := r.fnFor(t.Elem())
		fn = func(r *snapDecoder, v reflect.Value) {
			switch r.uvarint() {
			case 0:
			case 1:
				v.Set(reflect.New(t.Elem()))
				elem(r, v.Elem())
			default:
				r.err = errSnapshot
			}
		}
	case reflect.Slice:
		elem := r.fnFor(t.Elem())
		fn = func(r *snapDecoder, v reflect.Value) {
			n := r.uvarint()
			if n == 0 {
				return
			}
			if n-1 > uint64(len(r.data)) { // every element takes a byte at least
				r.err = errSnapshot
				return
			}
			s := reflect.MakeSlice(t, int(n-1), int(n-1))
			for i := 0; i < s.Len() && r.err == nil; i++ {
				elem(r, s.Index(i))
			}
			v.Set(s)
		}
	case reflect.Struct:
		type field struct {
			index int
			fn    decodeFn
		}
		var fields []field
		for i := range t.NumField() {
			if f := t.Field(i); carried(f) {
				fields = append(fields, field{i, r.fnFor(f.Type)})
			}
		}
		fn = func(r *snapDecoder, v reflect.Value) {
			for _, f := range fields {
				if r.err != nil {
					return
				}
				f.fn(r, v.Field(f.index))
			}
		}
	default:
		fn = func(r *snapDecoder, _ reflect.Value) {
			r.err = fmt.Errorf("decode knowledge snapshot: cannot decode a %s", t)
		}
	}
	r.fns[t] = fn
	return fn
}

// uvarint reads an unsigned varint, as binary.Uvarint does from bytes.
func (r *snapDecoder) uvarint() uint64 {
	var x uint64
	for i := 0; i < binary.MaxVarintLen64 && i < len(r.data); i++ {
		b := r.data[i]
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 {
				break // overflows 64 bits
			}
			r.data = r.data[i+1:]
			return x | uint64(b)<<(7*i)
		}
		x |= uint64(b&0x7f) << (7 * i)
	}
	r.err = errSnapshot
	return 0
}

// snapSum is the checksum a snapshot records, xxhash64 in little-endian
// order: a collision-resistant hash was not needed against an edit left
// unrefreshed, and SHA-256 took a fifth of Load.
type snapSum [8]byte

// sumFS is the checksum of a snapshot of the data/*.yaml files of fsys: of
// the snapshot's format, of the Go types it fills (the encoding carries no
// field names) and of each file's name and bytes.
func sumFS(fsys fs.FS) (snapSum, error) {
	names, err := fs.Glob(fsys, "data/*.yaml")
	if err != nil {
		return snapSum{}, fmt.Errorf("list embedded knowledge: %w", err)
	}
	h := xxhash.New()
	_, _ = h.WriteString(snapshotFormat + "\n")
	writeShape(h, reflect.TypeFor[snapshot]())
	_, _ = h.WriteString("\n")
	var n [8]byte
	buf := make([]byte, 32<<10)
	for _, name := range names {
		binary.LittleEndian.PutUint64(n[:], uint64(len(name)))
		_, _ = h.Write(n[:])
		_, _ = h.WriteString(name)
		if err := sumFile(fsys, name, h, buf); err != nil {
			return snapSum{}, fmt.Errorf("read embedded knowledge: %w", err)
		}
	}
	var sum snapSum
	binary.LittleEndian.PutUint64(sum[:], h.Sum64())
	return sum, nil
}

// sumFile adds the size and the bytes of a file to h, without reading it
// into memory of its own.
func sumFile(fsys fs.FS, name string, h io.Writer, buf []byte) error {
	f, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(fi.Size()))
	_, _ = h.Write(n[:])
	_, err = io.CopyBuffer(h, f, buf)
	return err
}

// writeShape spells out t to w: its fields' names, types and tags,
// recursively.
func writeShape(w io.StringWriter, t reflect.Type) {
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice:
			_, _ = w.WriteString(t.Kind().String())
			_, _ = w.WriteString(" ")
			walk(t.Elem())
		case reflect.Struct:
			_, _ = w.WriteString(t.String())
			if seen[t] {
				return
			}
			seen[t] = true
			_, _ = w.WriteString("{")
			for i := range t.NumField() {
				f := t.Field(i)
				_, _ = w.WriteString(f.Name)
				_, _ = w.WriteString(" ")
				walk(f.Type)
				_, _ = w.WriteString(" `")
				_, _ = w.WriteString(string(f.Tag))
				_, _ = w.WriteString("`; ")
			}
			_, _ = w.WriteString("}")
		default:
			_, _ = w.WriteString(t.String())
		}
	}
	walk(t)
}
