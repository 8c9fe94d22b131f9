// Package knowledge is the bilingual knowledge base of VSS and backup failure
// codes, writers, writer states and event IDs, and the diagnosis that joins a
// parser's findings to its entries. Its entries are YAML data embedded in the
// binary, overlaid by an operator's directory.
package knowledge

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// Text is one sentence or paragraph in both languages.
type Text struct {
	JA string `yaml:"ja" json:"ja"`
	EN string `yaml:"en" json:"en"`
}

// In returns the text in lang (English for anything but Japanese).
func (t Text) In(l lang.Tag) string {
	if l == lang.Japanese && t.JA != "" {
		return t.JA
	}
	return t.EN
}

// Reference is a document that backs an entry. Label is the short source
// name that steps cite ("Microsoft", "ActiveImage Protector"); TitleJA and
// URLJA are the Japanese edition's, used in Japanese answers when the source
// has one.
type Reference struct {
	Title   string `yaml:"title" json:"title"`
	URL     string `yaml:"url" json:"url"`
	Label   string `yaml:"label" json:"label,omitempty"`
	TitleJA string `yaml:"title_ja" json:"-"`
	URLJA   string `yaml:"url_ja" json:"-"`
}

// In is the reference as a reader of lang sees it.
func (r Reference) In(l lang.Tag) Reference {
	out := Reference{Title: r.Title, URL: r.URL, Label: r.Label}
	if l == lang.Japanese {
		out.Title = cmpOr(r.TitleJA, r.Title)
		out.URL = cmpOr(r.URLJA, r.URL)
	}
	return out
}

//go:embed data/*.yaml
var embedded embed.FS

// Base is the loaded knowledge base. It is read-only after Load and safe for
// concurrent use. It implements parse.Vocabulary.
type Base struct {
	codes      map[string]*codeEntry // canonical code -> entry
	codeNames  map[string]string     // upper-case name, with and without prefix -> code
	states     map[int]*stateEntry
	stateNames map[string]int          // upper-case name, with and without VSS_WS_ -> value
	writers    map[string]*writerEntry // braced lowercase GUID -> entry
	writerKeys map[string]string       // lower-case name or alias -> GUID
	names      []string                // writer names and aliases, sorted
	events     map[eventKey]*eventEntry
	phrases    map[string]*phraseEntry    // code -> message texts and exception names
	situations map[string]*situationEntry // id -> entry
	registry   map[string]*registryEntry  // lower-case value name -> entry
	win32      map[int]*win32Entry        // Win32 error number -> entry
	// pasted holds the normalised texts that stand for codes, built on
	// the first lookup that needs it: most loads never look up a text.
	pastedOnce sync.Once
	pastedIdx  *pastedIndex
}

var _ parse.Vocabulary = (*Base)(nil)

// maxProblems bounds how many problems a Load error lists.
const maxProblems = 10

// Load reads the embedded entries and, when overlayDir is not empty, the YAML
// files of that directory over them (an overlay entry with the same key
// replaces the embedded one). A defect in either is an error naming the file
// and line; `vssbot kb check` lists all of an overlay's problems. The
// embedded entries come from snapshot.bin when it is fresh (see
// snapshot.go); an overlay is always decoded and checked.
func Load(overlayDir string) (*Base, error) { return Config{Dir: overlayDir}.Load() }

// Load is the package's Load of c.Dir within c's limits.
func (c Config) Load() (*Base, error) {
	base, err := loadEmbedded()
	if err != nil {
		return nil, err
	}
	if c.Dir == "" {
		return newBase(base), nil
	}
	over, problems, err := readDir(c.Dir, c)
	if err != nil {
		return nil, fmt.Errorf("load knowledge overlay: %w", err)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("load knowledge overlay: %w", problemsError(problems))
	}
	return newBase(base, over), nil
}

// loadEmbedded returns the embedded entries: from the snapshot when it was
// taken of these very files, else decoded and validated from the YAML.
func loadEmbedded() (entries, error) {
	sum, err := sumFS(embedded)
	if err != nil {
		return entries{}, err
	}
	if e, ok := fromSnapshot(snapshotData, sum); ok {
		return e, nil
	}
	return loadFS(embedded)
}

// loadFS reads data/*.yaml of fsys, the embedded files outside tests,
// decoding and validating the YAML.
func loadFS(fsys fs.FS) (entries, error) {
	files, err := readFS(fsys)
	if err != nil {
		return entries{}, err
	}
	return decodeEmbedded(files)
}

// readFS reads data/*.yaml of fsys, in name order.
func readFS(fsys fs.FS) ([]dataFile, error) {
	names, err := fs.Glob(fsys, "data/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list embedded knowledge: %w", err)
	}
	files := make([]dataFile, 0, len(names))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read embedded knowledge: %w", err)
		}
		files = append(files, dataFile{name: name, data: data})
	}
	return files, nil
}

// decodeEmbedded decodes the embedded files; any problem is an error.
func decodeEmbedded(files []dataFile) (entries, error) {
	e, problems := decodeFiles(files)
	if len(problems) > 0 {
		return entries{}, fmt.Errorf("load embedded knowledge: %w", problemsError(problems))
	}
	return e, nil
}

// problemsError joins the first problems into one error.
func problemsError(problems []Problem) error {
	errs := make([]error, 0, maxProblems+1)
	for i, p := range problems {
		if i == maxProblems {
			errs = append(errs, fmt.Errorf("and %d more problems", len(problems)-i))
			break
		}
		errs = append(errs, errors.New(p.String()))
	}
	return errors.Join(errs...)
}

// newBase indexes layers of entries; a later layer's entry replaces an
// earlier one with the same key.
func newBase(layers ...entries) *Base {
	var n entries // sized like the first layer, which holds most entries
	if len(layers) > 0 {
		n = layers[0]
	}
	b := &Base{
		codes:      make(map[string]*codeEntry, len(n.codes)),
		codeNames:  make(map[string]string, 2*len(n.codes)),
		states:     make(map[int]*stateEntry, len(n.states)),
		stateNames: make(map[string]int, 2*len(n.states)),
		writers:    make(map[string]*writerEntry, len(n.writers)),
		writerKeys: make(map[string]string, 2*len(n.writers)),
		events:     make(map[eventKey]*eventEntry, len(n.events)),
		phrases:    make(map[string]*phraseEntry, len(n.phrases)),
		situations: make(map[string]*situationEntry, len(n.situations)),
		registry:   make(map[string]*registryEntry, len(n.registry)),
		win32:      make(map[int]*win32Entry, len(n.win32)),
	}
	for _, l := range layers {
		for _, c := range l.codes {
			b.codes[c.Code] = c
		}
		for _, s := range l.states {
			b.states[s.Value] = s
		}
		for _, w := range l.writers {
			b.writers[w.ID] = w
		}
		for _, e := range l.events {
			b.events[keyOf(e.Provider, e.ID)] = e
		}
		for _, p := range l.phrases {
			b.phrases[p.Code] = p
		}
		for _, s := range l.situations {
			b.situations[s.ID] = s
		}
		for _, r := range l.registry {
			b.registry[strings.ToLower(r.Name)] = r
		}
		for _, w := range l.win32 {
			b.win32[w.Code] = w
		}
	}
	b.joinWin32()
	b.indexNames()

	return b
}

// indexNames builds the name indexes once the entries are final, so that a
// replaced entry's old name does not linger.
func (b *Base) indexNames() {
	// Full names first; then short forms, where a VSS name wins over a
	// generic one (UNEXPECTED is VSS_E_UNEXPECTED here, E_UNEXPECTED is
	// still reachable by its full name).
	codes := b.codeList()
	for _, code := range codes {
		if n := b.codes[code].Name; n != "" {
			b.codeNames[strings.ToUpper(n)] = code
		}
	}
	for _, code := range codes {
		full := strings.ToUpper(b.codes[code].Name)
		short := stripPrefix(full)
		if short == full || short == "" {
			continue
		}
		if prev, ok := b.codeNames[short]; !ok || (!isVSSName(b.codes[prev].Name) && isVSSName(full)) {
			b.codeNames[short] = code
		}
	}
	// Win32 names (ERROR_ACCESS_DENIED) last: they never displace a name
	// an entry of its own carries (E_ACCESSDENIED for the same code).
	for _, code := range codes {
		if w := b.codes[code].win32; w != nil {
			if n := strings.ToUpper(w.Name); b.codeNames[n] == "" {
				b.codeNames[n] = code
			}
		}
	}
	for v, s := range b.states {
		n := strings.ToUpper(s.Name)
		b.stateNames[n] = v
		b.stateNames[strings.TrimPrefix(n, "VSS_WS_")] = v
	}
	for id, w := range b.writers {
		for _, n := range append([]string{w.Name}, w.Aliases...) {
			b.writerKeys[strings.ToLower(n)] = id
			b.names = append(b.names, n)
		}
	}
	slices.Sort(b.names)
}

// codeList returns the known codes in a stable order.
func (b *Base) codeList() []string {
	out := make([]string, 0, len(b.codes))
	for c := range b.codes {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

func isVSSName(name string) bool { return strings.HasPrefix(strings.ToUpper(name), "VSS_") }

// namePrefixes are stripped so that "writererror_timeout" finds
// VSS_E_WRITERERROR_TIMEOUT; longest first.
func stripPrefix(name string) string {
	for _, p := range []string{"VSS_E_", "VSS_S_", "E_", "S_"} {
		if rest, ok := strings.CutPrefix(name, p); ok {
			return rest
		}
	}
	return name
}

// NameOf implements parse.Vocabulary.
func (b *Base) NameOf(code string) string {
	if c, ok := b.codes[strings.ToLower(code)]; ok {
		return c.Name
	}
	return ""
}

// Knows reports whether code (canonical, any case) has an entry, for
// callers that must keep to the codes the base names, such as metric labels.
func (b *Base) Knows(code string) bool {
	_, ok := b.codes[strings.ToLower(code)]
	return ok
}

// CodeOf implements parse.Vocabulary.
func (b *Base) CodeOf(name string) (string, bool) {
	n := normalizeName(name)
	if n == "" {
		return "", false
	}
	if code, ok := b.codeNames[n]; ok {
		return code, true
	}
	code, ok := b.codeNames[stripPrefix(n)]
	return code, ok
}

// normalizeName upper-cases a symbolic name and turns spaces and hyphens
// into underscores, so "writererror timeout" matches too.
func normalizeName(name string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(name)))
}

// WriterNames implements parse.Vocabulary. The slice is the caller's.
func (b *Base) WriterNames() []string { return slices.Clone(b.names) }

// WriterByID implements parse.Vocabulary.
func (b *Base) WriterByID(id string) (string, bool) {
	w, ok := b.writers[normalizeGUID(id)]
	if !ok {
		return "", false
	}
	return w.Name, true
}

// normalizeGUID lower-cases a GUID and puts it in braces.
func normalizeGUID(id string) string {
	id = strings.ToLower(strings.TrimSpace(id))
	if !strings.HasPrefix(id, "{") {
		id = "{" + id + "}"
	}
	return id
}
