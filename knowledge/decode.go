package knowledge

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// fieldType is the shape a field of an entry must have.
type fieldType int

const (
	fString  fieldType = iota // non-empty scalar
	fInt                      // integer scalar
	fText                     // {ja, en}, both non-empty
	fTexts                    // list of {ja, en}
	fStrings                  // list of scalars
	fRefs                     // list of {title, url}
	fService                  // {display, name}
	fStep                     // {ja, en, warning?, source?}
	fSteps                    // list of fStep
	fResets                   // list of {versions, service, step}
)

type field struct {
	key      string
	typ      fieldType
	required bool
}

// sectionFields is the schema of each top-level list (see data/README.md).
func sectionFields(section string) []field {
	switch section {
	case "codes":
		return []field{
			{"code", fString, true}, {"name", fString, false}, {"kind", fString, true},
			{"title", fText, true}, {"meaning", fText, true}, {"causes", fTexts, false},
			{"steps", fSteps, false}, {"references", fRefs, true},
			{"products", fStrings, false}, {"related", fStrings, false},
		}
	case "states":
		return []field{
			{"value", fInt, true}, {"name", fString, true}, {"stage", fText, true},
			{"vssadmin", fText, true}, {"meaning", fText, true}, {"references", fRefs, true},
		}
	case "writers":
		return []field{
			{"name", fString, true}, {"id", fString, true}, {"service", fService, true},
			{"advice", fStep, true}, {"resets", fResets, false}, {"aliases", fStrings, false},
			{"references", fRefs, true},
		}
	case "phrases":
		return []field{{"code", fString, true}, {"texts", fStrings, false}, {"exceptions", fStrings, false},
			{"labels", fStrings, false}, {"words", fStrings, false}}
	case "win32":
		return []field{{"code", fInt, true}, {"name", fString, true}, {"message", fText, true}, {"steps", fSteps, false}}
	case "events":
		return []field{
			{"provider", fString, true}, {"id", fInt, true}, {"title", fText, true},
			{"meaning", fText, true}, {"causes", fTexts, false}, {"steps", fSteps, false},
			{"references", fRefs, true}, {"accompanies", fStrings, false},
		}
	case "situations":
		return []field{
			{"id", fString, true}, {"title", fText, true}, {"meaning", fText, true},
			{"causes", fTexts, false}, {"steps", fSteps, true}, {"references", fRefs, true},
			{"match", fStrings, true}, {"related", fStrings, false},
		}
	case "registry":
		return []field{
			{"name", fString, true}, {"key", fString, true}, {"type", fString, true},
			{"default", fText, true}, {"title", fText, true}, {"meaning", fText, true},
			{"causes", fTexts, false}, {"steps", fSteps, false}, {"references", fRefs, true},
		}
	}
	return nil
}

var (
	hresultPattern  = lazyRegexp(`^0x[0-9a-f]{8}$`)
	exitCodePattern = lazyRegexp(`^(0|-?[1-9][0-9]{0,9})$`)
	guidPattern     = lazyRegexp(`^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$`)
	slugPattern     = lazyRegexp(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// lazyRegexp compiles expr on first use: the package's expressions check
// YAML, which a start from the snapshot does not decode, and compiling
// them all at init cost every command ~0.17 ms.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// decoder gathers the entries and problems of one file.
type decoder struct {
	file     string
	problems []Problem
}

func (d *decoder) problem(line int, format string, args ...any) {
	d.problems = append(d.problems, Problem{File: d.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// decodeFile parses one data file. Entries with a defect are still returned
// when they could be decoded, so one typo does not hide the rest of the file.
func decodeFile(file string, data []byte) (entries, []Problem) {
	d := &decoder{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		d.problem(syntaxLine(err), "invalid YAML: %s", syntaxMessage(err))
		return entries{}, d.problems
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return entries{}, nil // an empty file holds no entries
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		d.problem(root.Line, "top level must be a mapping of codes, states, writers, events, phrases, situations, registry, win32")
		return entries{}, d.problems
	}
	var out entries
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, list := root.Content[i], deref(root.Content[i+1])
		if sectionFields(key.Value) == nil {
			d.problem(key.Line, "unknown section %q (want codes, states, writers, events, phrases, situations, registry or win32)", key.Value)
			continue
		}
		if list.Kind != yaml.SequenceNode {
			if !isNull(list) {
				d.problem(list.Line, "%s must be a list", key.Value)
			}
			continue
		}
		for _, item := range list.Content {
			d.entry(key.Value, item, &out)
		}
	}
	return out, d.problems
}

// syntaxLine digs the line number out of a yaml.v3 syntax error message
// ("yaml: line 3: ..."), which exposes it only as text.
func syntaxLine(err error) int {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	_, rest, ok := strings.Cut(msg, "line ")
	if !ok {
		return 1
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	n, err := strconv.Atoi(rest[:end])
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// deref follows an alias (*name) to its anchored node.
func deref(n *yaml.Node) *yaml.Node {
	for depth := 0; n.Kind == yaml.AliasNode && n.Alias != nil && depth < 8; depth++ {
		n = n.Alias
	}
	return n
}

// syntaxMessage is the error without its "yaml: line N:" prefix, which the
// problem already shows as file:line.
func syntaxMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if _, after, ok := strings.Cut(rest, ": "); ok {
			return after
		}
	}
	return msg
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// entry validates one list item against its section's schema and decodes it.
func (d *decoder) entry(section string, item *yaml.Node, out *entries) {
	item = deref(item)
	if item.Kind != yaml.MappingNode {
		d.problem(item.Line, "%s entry must be a mapping", section)
		return
	}
	before := len(d.problems)
	d.fields(section, item)
	d.values(section, item)
	at := position{file: d.file, line: item.Line}
	var err error
	switch section {
	case "codes":
		e := &codeEntry{at: at}
		if err = item.Decode(e); err == nil {
			out.codes = append(out.codes, e)
		}
	case "states":
		e := &stateEntry{at: at}
		if err = item.Decode(e); err == nil {
			out.states = append(out.states, e)
		}
	case "writers":
		e := &writerEntry{at: at}
		if err = item.Decode(e); err == nil {
			out.writers = append(out.writers, e)
		}
	case "events":
		e := &eventEntry{at: at}
		if err = item.Decode(e); err == nil {
			out.events = append(out.events, e)
		}
	case "phrases":
		e := &phraseEntry{at: at}
		if err = item.Decode(e); err == nil {
			out.phrases = append(out.phrases, e)
		}
	case "situations":
		e := &situationEntry{at: at}
		if err = item.Decode(e); err == nil {
			out.situations = append(out.situations, e)
		}
	case "registry":
		e := &registryEntry{at: at}
		if err = item.Decode(e); err == nil {
			out.registry = append(out.registry, e)
		}
	case "win32":
		e := &win32Entry{at: at}
		if err = item.Decode(e); err == nil {
			out.win32 = append(out.win32, e)
		}
	}
	// A decode error is a shape the schema walk has already reported; say
	// something only if it found nothing more precise.
	if err != nil && len(d.problems) == before {
		d.problem(item.Line, "cannot decode %s entry: %s", section, strings.TrimPrefix(err.Error(), "yaml: "))
	}
}

// scalar returns the text of key's scalar value in m, and its line.
func scalar(m *yaml.Node, key string) (string, int, bool) {
	v := value(m, key)
	if v == nil {
		return "", m.Line, false
	}
	v = deref(v)
	if v.Kind != yaml.ScalarNode || isNull(v) {
		return "", v.Line, false
	}
	return v.Value, v.Line, true
}

// values checks what the schema cannot: code formats, kinds, ranges, risky
// steps without a warning, step sources no reference is labelled with.
func (d *decoder) values(section string, item *yaml.Node) {
	d.checkSteps(item)
	d.checkLinked(item)
	switch section {
	case "win32":
		if s, line, ok := scalar(item, "code"); ok {
			if n, err := strconv.Atoi(s); err == nil && (n <= 0 || n > 0xffff) {
				d.problem(line, "win32 code %d out of range 1..65535", n)
			}
		}
	case "situations":
		if id, line, ok := scalar(item, "id"); ok && !slugPattern().MatchString(id) {
			d.problem(line, "situation id %q must be lowercase words joined by hyphens", id)
		}
		d.checkCodes(item, "related")
	case "codes":
		d.checkCode(item)
	case "states":
		if s, line, ok := scalar(item, "value"); ok {
			if n, err := strconv.Atoi(s); err == nil && (n < 0 || n > 15) {
				d.problem(line, "state value %d out of range 0..15", n)
			}
		}
	case "writers":
		if id, line, ok := scalar(item, "id"); ok && !guidPattern().MatchString(id) {
			d.problem(line, "writer id %q is not a lowercase GUID in braces", id)
		}
	case "phrases":
		if c, line, ok := scalar(item, "code"); ok && !hresultPattern().MatchString(c) {
			d.problem(line, "phrase code %q is not 0x + 8 lowercase hex digits", c)
		}
	case "events":
		if s, line, ok := scalar(item, "id"); ok {
			if n, err := strconv.Atoi(s); err == nil && n <= 0 {
				d.problem(line, "event id must be positive")
			}
		}
		d.checkCodes(item, "accompanies")
	}
}

func (d *decoder) checkCode(item *yaml.Node) {
	code, codeLine, _ := scalar(item, "code")
	kind, kindLine, _ := scalar(item, "kind")
	switch kind {
	case "hresult":
		if !hresultPattern().MatchString(code) {
			d.problem(codeLine, "malformed code %q: want 0x and 8 lowercase hex digits", code)
		}
		if _, _, ok := scalar(item, "name"); !ok {
			d.problem(item.Line, "missing name")
		}
	case "exit_code":
		if !exitCodePattern().MatchString(code) {
			d.problem(codeLine, "malformed exit code %q: want a signed decimal", code)
		}
	case "":
	default:
		d.problem(kindLine, "unknown kind %q (want hresult or exit_code)", kind)
	}
	d.checkCodes(item, "related")
}

// checkCodes checks that a list of codes holds canonical ones.
func (d *decoder) checkCodes(item *yaml.Node, key string) {
	list := deref(orEmpty(value(item, key)))
	for _, r := range list.Content {
		if r = deref(r); r.Kind == yaml.ScalarNode && !hresultPattern().MatchString(r.Value) && !exitCodePattern().MatchString(r.Value) {
			d.problem(r.Line, "malformed %s code %q", key, r.Value)
		}
	}
}

// orEmpty stands an empty node in for a missing one.
func orEmpty(n *yaml.Node) *yaml.Node {
	if n == nil {
		return &yaml.Node{}
	}
	return n
}

// value returns the value node of key in mapping m.
func value(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// fields checks the keys of one entry: unknown, missing, wrong shape.
func (d *decoder) fields(section string, item *yaml.Node) {
	schema := sectionFields(section)
	known := make(map[string]fieldType, len(schema))
	for _, f := range schema {
		known[f.key] = f.typ
	}
	seen := make(map[string]bool)
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		typ, ok := known[k.Value]
		switch {
		case !ok:
			d.problem(k.Line, "unknown field %q in %s entry", k.Value, section)
			continue
		case seen[k.Value]:
			d.problem(k.Line, "field %q given twice", k.Value)
		}
		seen[k.Value] = true
		d.shape(k.Value, typ, v)
	}
	for _, f := range schema {
		if f.required && !seen[f.key] {
			d.problem(item.Line, "missing %s", f.key)
		}
	}
}

// shape checks one field value against its type.
func (d *decoder) shape(key string, typ fieldType, v *yaml.Node) {
	v = deref(v)
	switch typ {
	case fString:
		if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" || isNull(v) {
			d.problem(v.Line, "%s must be a non-empty string", key)
		}
	case fInt:
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
			d.problem(v.Line, "%s must be an integer", key)
		}
	case fText:
		d.text(key, v)
	case fStep:
		d.step(key, v)
	case fService:
		d.pair(key, v, "display", "name")
	case fTexts, fStrings, fRefs, fSteps, fResets:
		if isNull(v) {
			return
		}
		if v.Kind != yaml.SequenceNode {
			d.problem(v.Line, "%s must be a list", key)
			return
		}
		for _, it := range v.Content {
			it = deref(it)
			switch typ {
			case fTexts:
				d.text(key, it)
			case fSteps:
				d.step(key, it)
			case fStrings:
				d.shape(key, fString, it)
			case fRefs:
				d.reference(key, it)
			case fResets:
				d.reset(key, it)
			}
		}
	}
}

// text checks a bilingual Text: both languages present and non-empty.
func (d *decoder) text(key string, v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		d.problem(v.Line, "%s must be a mapping with ja and en", key)
		return
	}
	d.pair(key, v, "ja", "en")
}

// pair checks a mapping holding exactly two non-empty string keys.
func (d *decoder) pair(key string, v *yaml.Node, a, b string) {
	if v.Kind != yaml.MappingNode {
		d.problem(v.Line, "%s must be a mapping with %s and %s", key, a, b)
		return
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		if k := v.Content[i]; k.Value != a && k.Value != b {
			d.problem(k.Line, "unknown field %q in %s", k.Value, key)
		}
	}
	for _, want := range []string{a, b} {
		s := value(v, want)
		switch {
		case s == nil:
			d.problem(v.Line, "%s: missing %s", key, want)
		case s.Kind != yaml.ScalarNode || isNull(s) || strings.TrimSpace(s.Value) == "":
			d.problem(s.Line, "%s: empty %s", key, want)
		}
	}
}

func (d *decoder) reference(key string, v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		d.problem(v.Line, "%s entry must be a mapping with title and url", key)
		return
	}
	t := value(v, "title")
	if t == nil || t.Kind != yaml.ScalarNode || strings.TrimSpace(t.Value) == "" {
		d.problem(v.Line, "%s: missing title", key)
	}
	for _, k := range []string{"url", "url_ja"} {
		if u := value(v, k); u != nil && u.Kind == yaml.ScalarNode && u.Value != "" && !isNull(u) &&
			!strings.HasPrefix(u.Value, "https://") {
			d.problem(u.Line, "%s: %s %q is not https", key, k, u.Value)
		}
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		switch k := v.Content[i]; k.Value {
		case "title", "url", "label", "title_ja", "url_ja":
			if s := deref(v.Content[i+1]); s.Kind != yaml.ScalarNode {
				d.problem(s.Line, "%s: %s must be a string", key, k.Value)
			}
		default:
			d.problem(k.Line, "unknown field %q in %s", k.Value, key)
		}
	}
}

// reset checks one writer reset: the versions it applies to, the service
// that hosts the writer there, and the step.
func (d *decoder) reset(key string, v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		d.problem(v.Line, "%s entry must be a mapping with versions, service and step", key)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		seen[k.Value] = true
		switch k.Value {
		case "versions":
			d.text(key+" versions", deref(val))
		case "service":
			d.pair(key+" service", deref(val), "display", "name")
		case "step":
			d.step(key+" step", deref(val))
		default:
			d.problem(k.Line, "unknown field %q in %s", k.Value, key)
		}
	}
	for _, want := range []string{"versions", "service", "step"} {
		if !seen[want] {
			d.problem(v.Line, "%s: missing %s", key, want)
		}
	}
}

// checkLinked reports an entry whose references, when it has the field,
// hold no link: every claim must lead to a page a reader can open.
func (d *decoder) checkLinked(item *yaml.Node) {
	refs := value(item, "references")
	if refs == nil {
		return // a missing required field is reported by fields
	}
	for _, r := range deref(refs).Content {
		if u, _, ok := scalar(deref(r), "url"); ok && strings.HasPrefix(u, "https://") {
			return
		}
	}
	d.problem(deref(refs).Line, "no reference with a link: give at least one reference an https url")
}
