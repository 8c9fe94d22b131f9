package acceptance

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/config"
	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/stats"
)

// documents are what users and operators read: every setting, command and
// JSON field they name must exist.
func documents(t *testing.T) map[string]string {
	t.Helper()
	names := []string{"README.md", "ARCHITECTURE.md", "CONTRIBUTING.md"}
	more, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range more {
		names = append(names, filepath.Join("docs", filepath.Base(m)))
	}
	docs := map[string]string{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("..", n))
		if err != nil {
			t.Fatal(err)
		}
		docs[n] = string(b)
	}
	if len(docs) < 8 {
		t.Fatalf("found %d documents: the docs moved?", len(docs))
	}
	return docs
}

var (
	// fenced is a code block; span is inline code.
	fenced = regexp.MustCompile("(?s)```[a-z]*\n(.*?)```")
	span   = regexp.MustCompile("`([^`\n]+)`")
	// settingKey is how a setting is written: section.key.
	settingKey = regexp.MustCompile(`^([a-z_]+)\.([a-z_]+)$`)
	envName    = regexp.MustCompile(`\bVSSBOT_[A-Z0-9_]+\b`)
	command    = regexp.MustCompile(`(?:^|[\s(])vssbot ([a-z]+)(?: ([a-z]+))?`)
	jsonKey    = regexp.MustCompile(`"([a-z_]+)"`)     // in the stats contract's list of names
	jsonMember = regexp.MustCompile(`"([a-z_]+)"\s*:`) // in a JSON example
)

// code returns the code a document shows: its blocks and its inline spans.
func code(doc string) []string {
	var out []string
	for _, m := range fenced.FindAllStringSubmatch(doc, -1) {
		out = append(out, m[1])
	}
	for _, m := range span.FindAllStringSubmatch(fenced.ReplaceAllString(doc, ""), -1) {
		out = append(out, m[1])
	}
	return out
}

// sections are the settings' first parts: a span "slack.mode" is a setting,
// "stats.db" (a file) and "parse.Limits" are not.
func sections() map[string]bool {
	s := map[string]bool{}
	for _, k := range append(config.Keys(), slices.Collect(mapKeys(config.Renamed()))...) {
		if sec, _, ok := strings.Cut(k, "."); ok {
			s[sec] = true
		}
	}
	return s
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// fileLike are endings of file names written like keys.
var fileLike = []string{".db", ".bin", ".yaml", ".yml", ".md", ".go", ".log", ".txt", ".json", ".sh", ".zip", ".evtx", ".xml"}

func TestDocumentedSettingsExist(t *testing.T) {
	known := map[string]bool{}
	envs := map[string]bool{"VSSBOT_CONFIG": true}
	for _, k := range config.Keys() {
		known[k] = true
		envs[config.EnvPrefix+"_"+strings.ToUpper(strings.ReplaceAll(k, ".", "_"))] = true
	}
	for old := range config.Renamed() {
		known[old] = true
		envs[config.EnvPrefix+"_"+strings.ToUpper(strings.ReplaceAll(old, ".", "_"))] = true
	}
	secs := sections()
	ci := ciVariables(t)
	checked := 0
	for name, doc := range documents(t) {
		for _, c := range code(doc) {
			for _, word := range strings.FieldsFunc(c, func(r rune) bool { return strings.ContainsRune(" ,()[]{}=:'\"", r) }) {
				m := settingKey.FindStringSubmatch(word)
				if m == nil || !secs[m[1]] || slices.ContainsFunc(fileLike, func(e string) bool { return strings.HasSuffix(word, e) }) {
					continue
				}
				checked++
				if !known[word] {
					t.Errorf("%s names setting %s, which vssbot does not read", name, word)
				}
			}
			for _, env := range envName.FindAllString(c, -1) {
				if strings.HasPrefix(env, "VSSBOT_TEST_") || ci[env] {
					continue // the tests' and CI's own, not the bot's
				}
				checked++
				if !envs[env] {
					t.Errorf("%s names %s, which vssbot does not read", name, env)
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d settings named in the documents: the check reads nothing?", checked)
	}
	// Every setting is documented in the configuration reference.
	ref := documents(t)["docs/configuration.md"]
	for _, k := range config.Keys() {
		if !strings.Contains(ref, "`"+k+"`") && !strings.Contains(ref, "`"+k+"`, `") {
			if sec, key, _ := strings.Cut(k, "."); !strings.Contains(ref, "`"+sec+"."+key) {
				t.Errorf("docs/configuration.md does not document %s", k)
			}
		}
	}
}

// ciVariables are the VSSBOT_* variables the CI scripts under .ci read for
// themselves (an image size bound, a database version), not the bot's.
func ciVariables(t *testing.T) map[string]bool {
	t.Helper()
	vars := map[string]bool{}
	err := filepath.WalkDir(filepath.Join("..", ".ci"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, v := range envName.FindAllString(string(b), -1) {
			vars[v] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range config.Keys() {
		delete(vars, config.EnvPrefix+"_"+strings.ToUpper(strings.ReplaceAll(k, ".", "_")))
	}
	return vars
}

func TestDocumentedCommandsExist(t *testing.T) {
	seen := map[string]bool{}
	for name, doc := range documents(t) {
		for _, c := range code(doc) {
			for _, m := range command.FindAllStringSubmatch(c, -1) {
				words := []string{m[1]}
				if m[2] != "" {
					words = append(words, m[2])
				}
				key := strings.Join(words, " ")
				if seen[key] {
					continue
				}
				seen[key] = true
				checkCommand(t, name, words)
			}
		}
	}
	if len(seen) < 8 {
		t.Fatalf("only %d commands named in the documents", len(seen))
	}
}

// checkCommand asks vssbot for the help of words: the command must exist,
// and so must a second word when the first is a group of subcommands.
func checkCommand(t *testing.T, doc string, words []string) {
	t.Helper()
	out, _, code := vssbot(t, "", append(words[:1:1], "--help")...)
	if code != 0 || !strings.Contains(out, "vssbot "+words[0]) {
		t.Errorf("%s names `vssbot %s`, which is no command (exit %d):\n%s", doc, words[0], code, out)
		return
	}
	if len(words) < 2 || !strings.Contains(out, "Available Commands:") {
		return
	}
	out, _, code = vssbot(t, "", append(slices.Clone(words), "--help")...)
	if code != 0 || !strings.Contains(out, "vssbot "+strings.Join(words, " ")) {
		t.Errorf("%s names `vssbot %s`, which is no command (exit %d):\n%s", doc, strings.Join(words, " "), code, out)
	}
}

// jsonFields lists the JSON names of t's fields, and of the structs they
// hold, all the way down.
func jsonFields(t reflect.Type, into map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || into[t.PkgPath()+"."+t.Name()] {
		return
	}
	into[t.PkgPath()+"."+t.Name()] = true
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			into[name] = true
		}
		jsonFields(f.Type, into)
	}
}

// The JSON contracts the README shows are the ones vssbot writes.
func TestDocumentedJSONFieldsExist(t *testing.T) {
	report, statsReport := map[string]bool{}, map[string]bool{}
	jsonFields(reflect.TypeFor[knowledge.Report](), report)
	jsonFields(reflect.TypeFor[stats.Report](), statsReport)
	readme := documents(t)["README.md"]
	blocks := regexp.MustCompile("(?s)```json\n(.*?)```").FindAllStringSubmatch(readme, -1)
	if len(blocks) == 0 {
		t.Fatal("the README shows no JSON contract")
	}
	n := 0
	for _, b := range blocks {
		for _, m := range jsonMember.FindAllStringSubmatch(b[1], -1) {
			n++
			if !report[m[1]] {
				t.Errorf("the README's JSON contract names %q, which diagnose --format json never writes", m[1])
			}
		}
	}
	i := strings.Index(readme, "`vssbot stats --format json`")
	if i < 0 {
		t.Fatal("the README does not show the stats contract")
	}
	end := strings.Index(readme[i:], "`.")
	for _, m := range jsonKey.FindAllStringSubmatch(readme[i:i+end], -1) {
		n++
		if !statsReport[m[1]] {
			t.Errorf("the README's stats contract names %q, which vssbot stats --format json never writes", m[1])
		}
	}
	if n < 30 {
		t.Fatalf("only %d JSON fields read from the README", n)
	}
}
