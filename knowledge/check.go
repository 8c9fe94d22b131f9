package knowledge

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Problem is one defect found by Check in an overlay directory.
type Problem struct {
	File    string
	Line    int
	Message string
}

func (p Problem) String() string {
	if p.Line == 0 { // about the whole file
		return fmt.Sprintf("%s: %s", p.File, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
}

// Check validates the YAML files of an overlay directory: parse errors,
// duplicate codes, a missing language, a malformed code, a file that is
// not a regular file or is over the limits of the default Config. It
// returns the problems found, and an error only when the directory cannot
// be read.
func Check(dir string) ([]Problem, error) { return Config{}.Check(dir) }

// Check is the package's Check within c's limits.
func (c Config) Check(dir string) ([]Problem, error) {
	_, problems, err := readDir(dir, c)
	if err != nil {
		return nil, err
	}
	return problems, nil
}

// readDir decodes and validates every *.yaml and *.yml file of dir. Only
// regular files are read, each up to c.MaxFileBytes and all together up to
// c.MaxOverlayBytes; any other is a problem, never a wait.
func readDir(dir string, c Config) (entries, []Problem, error) {
	c = c.WithDefaults()
	list, err := os.ReadDir(dir)
	if err != nil {
		return entries{}, nil, fmt.Errorf("read overlay directory: %w", err)
	}
	var files []dataFile
	var refused []Problem
	total := int64(0)
	for _, de := range list {
		ext := strings.ToLower(filepath.Ext(de.Name()))
		if de.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		name := filepath.Join(dir, de.Name())
		limit, key := c.MaxFileBytes, "kb.max_file_bytes"
		if left := c.MaxOverlayBytes - total; left < limit {
			limit, key = left, "kb.max_overlay_bytes (all files together)"
		}
		data, err := readFile(name, limit, key)
		if err != nil {
			// Nothing of it was kept: the files after it may still fit.
			refused = append(refused, Problem{File: name, Message: err.Error()})
			continue
		}
		total += int64(len(data))
		files = append(files, dataFile{name: name, data: data})
	}
	e, problems := decodeFiles(files)
	return e, append(refused, problems...), nil
}

// readFile reads the regular file name, of at most limit bytes (the
// setting key names). It opens
// without blocking and checks the type of what it opened, so that a named
// pipe or a device, even one renamed into place after a check, is refused
// and never waited on.
func readFile(name string, limit int64, key string) ([]byte, error) {
	if fi, err := os.Stat(name); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, notRegular(fi.Mode())
	}
	f, err := os.OpenFile(name, openFlags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	switch {
	case err != nil:
		return nil, err
	case !fi.Mode().IsRegular():
		return nil, notRegular(fi.Mode())
	case fi.Size() > limit:
		return nil, fmt.Errorf("refused: %d bytes, over the limit: %s allows %d", fi.Size(), key, limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit { // it grew while read
		return nil, fmt.Errorf("refused: more than %d bytes, over the limit: %s allows %d", limit, key, limit)
	}
	return data, nil
}

func notRegular(m os.FileMode) error {
	kind := "not a regular file"
	switch {
	case m&os.ModeNamedPipe != 0:
		kind = "a named pipe"
	case m&os.ModeSocket != 0:
		kind = "a socket"
	case m&os.ModeDevice != 0:
		kind = "a device"
	}
	return fmt.Errorf("refused: %s (only regular files are read)", kind)
}

// dataFile is one YAML file's name (as shown in problems) and bytes.
type dataFile struct {
	name string
	data []byte
}

// decodeFiles decodes files that form one source (the embedded set, or one
// overlay directory), in which a key may appear once only. Problems come
// sorted by file and line.
func decodeFiles(files []dataFile) (entries, []Problem) {
	var all entries
	var problems []Problem
	for _, f := range files {
		e, p := decodeFile(f.name, f.data)
		all.add(e)
		problems = append(problems, p...)
	}
	problems = append(problems, duplicates(all)...)
	slices.SortStableFunc(problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return all, problems
}

// duplicates reports every key (and every name a lookup resolves) defined
// more than once, at the later definition.
func duplicates(e entries) []Problem {
	var out []Problem
	type seen map[string]position
	check := func(s seen, kind, key string, at position) {
		if key == "" {
			return
		}
		if first, ok := s[key]; ok {
			out = append(out, Problem{File: at.file, Line: at.line,
				Message: fmt.Sprintf("duplicate %s %s (first at %s)", kind, key, first)})
			return
		}
		s[key] = at
	}
	codes, names := seen{}, seen{}
	for _, c := range e.codes {
		check(codes, "code", c.Code, c.at)
		check(names, "code name", strings.ToUpper(c.Name), c.at)
	}
	states, stateNames := seen{}, seen{}
	for _, s := range e.states {
		check(states, "state", fmt.Sprint(s.Value), s.at)
		check(stateNames, "state name", strings.ToUpper(s.Name), s.at)
	}
	writers, writerNames := seen{}, seen{}
	for _, w := range e.writers {
		check(writers, "writer id", w.ID, w.at)
		for _, n := range append([]string{w.Name}, w.Aliases...) {
			check(writerNames, "writer name", strings.ToLower(n), w.at)
		}
	}
	events := seen{}
	for _, ev := range e.events {
		check(events, "event", keyOf(ev.Provider, ev.ID).String(), ev.at)
	}
	phrases, texts, labels := seen{}, seen{}, seen{}
	for _, p := range e.phrases {
		check(phrases, "phrase code", p.Code, p.at)
		for _, t := range append(slices.Clone(p.Texts), p.Exceptions...) {
			check(texts, "phrase", strings.ToLower(t), p.at)
		}
		for _, t := range append(slices.Clone(p.Labels), p.Words...) {
			check(labels, "label or word", strings.ToLower(t), p.at)
		}
	}
	win32, win32Names := seen{}, seen{}
	for _, w := range e.win32 {
		check(win32, "win32 code", fmt.Sprint(w.Code), w.at)
		check(win32Names, "win32 name", strings.ToUpper(w.Name), w.at)
	}
	return out
}
