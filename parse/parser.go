package parse

import (
	"context"
	"io"
)

// Limits bound what hostile containers may cost. Zero values mean defaults.
type Limits struct {
	MaxArchiveEntries int     // entries read from one zip before stopping (default 10000)
	MaxExpandedBytes  int64   // bytes decompressed from one container tree (default 4 GiB)
	MaxRatio          float64 // decompressed/compressed ratio per entry (default 1000)
	MaxDepth          int     // nesting of containers inside containers (default 3)
	MaxSpoolBytes     int64   // bytes of a non-seekable zip spooled to a temp file (default 1 GiB)
}

// Parser reads inputs and produces ranked findings. It is safe for
// concurrent use.
type Parser struct {
	vocab  Vocabulary
	limits Limits
}

// New returns a Parser that names codes through vocab.
func New(vocab Vocabulary, limits Limits) *Parser {
	return &Parser{vocab: vocab, limits: limits}
}

// Parse reads one input to its end (or until ctx is done) and returns what it
// found. name is the source shown in findings. The Result is never nil: on a
// read error or an exceeded limit the findings gathered so far are kept and
// the error says what stopped the reading, naming the input.
func (p *Parser) Parse(ctx context.Context, name string, r io.Reader) (*Result, error) {
	panic("parse: not implemented yet")
}

// Merge joins the results of several inputs, merging identical findings and
// ranking them again.
func Merge(results ...*Result) *Result {
	panic("parse: not implemented yet")
}
