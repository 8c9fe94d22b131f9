package knowledge

import (
	"cmp"
	"fmt"
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

func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message) }

// Check validates the YAML files of an overlay directory: parse errors,
// duplicate codes, a missing language, a malformed code. It returns the
// problems found, and an error only when the directory cannot be read.
func Check(dir string) ([]Problem, error) {
	_, problems, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	return problems, nil
}

// readDir decodes and validates every *.yaml and *.yml file of dir.
func readDir(dir string) (entries, []Problem, error) {
	list, err := os.ReadDir(dir)
	if err != nil {
		return entries{}, nil, fmt.Errorf("read overlay directory: %w", err)
	}
	var files []dataFile
	for _, de := range list {
		ext := strings.ToLower(filepath.Ext(de.Name()))
		if de.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		name := filepath.Join(dir, de.Name())
		data, err := os.ReadFile(name)
		if err != nil {
			return entries{}, nil, fmt.Errorf("read overlay file: %w", err)
		}
		files = append(files, dataFile{name: name, data: data})
	}
	e, problems := decodeFiles(files)
	return e, problems, nil
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
