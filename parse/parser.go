package parse

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/vssbot/vssbot/internal/setting"
)

// Limits bound what hostile containers may cost: the parser's part of the
// settings, keys under limits. Zero values mean the defaults.
type Limits struct {
	MaxArchiveEntries int     `mapstructure:"archive_entries"` // entries read from one zip before stopping
	MaxExpandedBytes  int64   `mapstructure:"expanded_bytes"`  // bytes decompressed from one container tree
	MaxRatio          float64 `mapstructure:"ratio"`           // decompressed/compressed ratio per entry
	MaxDepth          int     `mapstructure:"depth"`           // nesting of containers inside containers
	MaxSpoolBytes     int64   `mapstructure:"spool_bytes"`     // bytes of a non-seekable zip spooled to a temp file
}

// DefaultLimits are the limits a zero field means.
var DefaultLimits = Limits{
	MaxArchiveEntries: 10000,
	MaxExpandedBytes:  4 << 30,
	MaxRatio:          1000,
	MaxDepth:          3,
	MaxSpoolBytes:     1 << 30,
}

// Validate checks the limits as settings, where every key carries its
// default: a limit must be greater than zero. (In code a zero field means
// the default.)
func (l Limits) Validate() error {
	var bad setting.Problems
	for _, f := range []struct {
		key string
		v   float64
	}{
		{"limits.archive_entries", float64(l.MaxArchiveEntries)},
		{"limits.expanded_bytes", float64(l.MaxExpandedBytes)},
		{"limits.ratio", l.MaxRatio},
		{"limits.depth", float64(l.MaxDepth)},
		{"limits.spool_bytes", float64(l.MaxSpoolBytes)},
	} {
		if f.v <= 0 {
			bad.Add(f.key, "must be greater than zero")
		}
	}
	return bad.Err()
}

// withDefaults fills the zero fields of l.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxArchiveEntries <= 0 {
		l.MaxArchiveEntries = d.MaxArchiveEntries
	}
	if l.MaxExpandedBytes <= 0 {
		l.MaxExpandedBytes = d.MaxExpandedBytes
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxSpoolBytes <= 0 {
		l.MaxSpoolBytes = d.MaxSpoolBytes
	}
	return l
}

// LimitError says which limit stopped the reading of which input.
type LimitError struct {
	Input string // source name, e.g. "bundle.zip:logs/a.log"
	Limit string // field of Limits, e.g. "MaxRatio"
	Value string // the limit's value
	// Detail, when set, says what happened instead of the limit's usual
	// words.
	Detail string
}

// Error says in plain words what the archive did and what was kept, since
// the message reaches the support engineer who sent the file.
func (e *LimitError) Error() string {
	var what string
	switch e.Limit {
	case "MaxRatio":
		what = "expands more than " + e.Value + " times its compressed size (a zip bomb?); reading stopped there"
	case "MaxExpandedBytes":
		what = "expands to more than " + e.Value + " bytes; reading stopped there"
	case "MaxArchiveEntries":
		what = "holds more than " + e.Value + " entries; the rest were not read"
	case "MaxDepth":
		what = "nests archives more than " + e.Value + " deep; the inner ones were not read"
	case "MaxSpoolBytes":
		what = "is over " + e.Value + " bytes, too large to open from a stream"
	default:
		what = "exceeds " + e.Limit + "=" + e.Value
	}
	if e.Detail != "" {
		what = e.Detail
	}
	return fmt.Sprintf("%s: %s (limit %s=%s)", e.Input, what, e.Limit, e.Value)
}

// Parser reads inputs and produces ranked findings. It is safe for
// concurrent use.
type Parser struct {
	vocab         Vocabulary
	limits        Limits
	anchors       *anchors
	match         *matcher          // writer names and phrases, lowercase
	entries       []textEntry       // what each match pattern stands for
	exceptions    map[string]string // .NET exception type name -> code
	exceptionLens [2]uint64         // a bit for the length of each of exceptions (under 128)
	events        eventSource       // nil when the vocabulary knows no events
	writerIDs     map[[38]byte]bool // lowercase braced writer GUIDs, nil if the vocabulary cannot list them
	idHeads       *[1 << 10]uint64  // bit set of the first 16 bits of each of writerIDs
	named         map[uint32]bool   // codes the vocabulary names, nil if it cannot list them
	mangle        func() *bigramFilter
}

// New returns a Parser that names codes through vocab (nil means no
// vocabulary: codes are still found, but not named).
func New(vocab Vocabulary, limits Limits) *Parser {
	if vocab == nil {
		vocab = noVocab{}
	}
	p := &Parser{vocab: vocab, limits: limits.withDefaults(), mangle: func() *bigramFilter { return nil }}
	if bigramSIMD() {
		p.mangle = sync.OnceValue(newMangleFilter)
	}
	p.compileVocab()
	return p
}

type noVocab struct{}

func (noVocab) NameOf(string) string             { return "" }
func (noVocab) CodeOf(string) (string, bool)     { return "", false }
func (noVocab) WriterNames() []string            { return nil }
func (noVocab) WriterByID(string) (string, bool) { return "", false }

// Parse reads one input to its end (or until ctx is done) and returns what it
// found. name is the source shown in findings. The Result is never nil: on a
// read error or an exceeded limit the findings gathered so far are kept and
// the error says what stopped the reading, naming the input.
func (p *Parser) Parse(ctx context.Context, name string, r io.Reader) (*Result, error) {
	c := newCollector()
	err := p.parse(ctx, c, name, r, 0)
	return c.result(), err
}

// parse reads one input, a container or a text, into c. depth counts the
// containers around it.
func (p *Parser) parse(ctx context.Context, c *collector, name string, r io.Reader, depth int) error {
	cr := &countReader{r: r}
	br := bufio.NewReaderSize(cr, 64<<10)
	head, peekErr := br.Peek(64 << 10)
	// The input's own row goes before the rows of what it contains.
	row := len(c.res.Inputs)
	c.res.Inputs = append(c.res.Inputs, Input{})
	in := Input{Source: name}
	var err error
	var size int64
	switch {
	case isZip(head):
		in.Format = "zip"
		size, err = p.zip(ctx, c, name, r, br, depth)
	case isGzip(head):
		in.Format = "gzip"
		err = p.gzip(ctx, c, name, br, cr, depth)
	case isEVTX(head):
		in.Format = "evtx"
		err = p.evtxLog(ctx, c, name, br, &in)
	case !isUTF16(head) && looksBinary(head):
		// Read as text it would only yield findings from noise.
		in.Format = FormatBinary
	default:
		enc, bom := sniffEncoding(head)
		in.Encoding = enc
		_, _ = br.Discard(bom)
		hint := 0
		if peekErr != nil { // the whole input is in head
			hint = 3 * len(head) // decoding at most triples the size (Shift-JIS, UTF-16)
		}
		dec := decoder(enc, br)
		if _, decodes := dec.(*blockReader); decodes && hint == 0 {
			// A large input that needs decoding: decode on other cores.
			a := readAhead(enc, br)
			in.Format, err = p.text(ctx, c, name, a, hint)
			a.close()
		} else {
			in.Format, err = p.text(ctx, c, name, dec, hint)
		}
	}
	in.Bytes = max(cr.n, size)
	if err != nil {
		err = named(name, err)
		in.Error = err.Error()
		if le, ok := errors.AsType[*LimitError](err); ok {
			in.Limit = le.Limit + "=" + le.Value
		}
	}
	c.res.Inputs[row] = in
	return err
}

// named makes sure err names the input, without naming it twice when an
// inner reader (an archive entry) already did.
func named(name string, err error) error {
	var le *LimitError
	if errors.As(err, &le) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		strings.HasPrefix(err.Error(), name) {
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}

// text scans one decoded text and returns the format it recognised.
func (p *Parser) text(ctx context.Context, c *collector, name string, r io.Reader, sizeHint int) (string, error) {
	t := &textReader{p: p, c: c, source: name, line: 1}
	s := &scanner{t: t, a: p.anchors, v: &verifier{p: p}}
	t.sc = s
	// Pasted text is read as the tool printed it (paste.go); the reader
	// hands on untouched what no paste mangled.
	err := s.run(ctx, newPasteReader(r, p.mangle()), c.letters.Count, sizeHint)
	if t.format == "" {
		t.format = "text"
	}
	return t.format, err
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
