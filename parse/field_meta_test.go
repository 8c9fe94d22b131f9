package parse

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/encoding/japanese"

	"github.com/vssbot/vssbot/lang"
)

// The field corpus (../testdata/field) is the evidence of how customers
// paste logs; these tests hold the parser to rules over all of it rather
// than to each sample's answer, which TestFieldCorpus scores.

const fieldCorpus = "../testdata/field"

// fieldSample is one corpus sample with what its expected file says of
// codes the parser rightly does not report.
type fieldSample struct {
	name    string
	data    []byte
	healthy bool
	exp     struct {
		Layout  string
		Healthy bool
		Quiet   []struct{ Code, Why string }
	}
}

// quiet reports whether the expected file names code as one the sample
// rightly does not report (a stale error, a documentation row).
func (s fieldSample) quiet(code string) bool {
	return slices.ContainsFunc(s.exp.Quiet, func(q struct{ Code, Why string }) bool {
		return strings.EqualFold(q.Code, code) && q.Why != ""
	})
}

func fieldSamples(t *testing.T) []fieldSample {
	t.Helper()
	entries, err := os.ReadDir(fieldCorpus)
	if err != nil {
		t.Fatal(err)
	}
	var out []fieldSample
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || strings.HasSuffix(n, ".expected.yaml") || n == "README.md" || n == "known-failures.txt" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(fieldCorpus, n))
		if err != nil {
			t.Fatal(err)
		}
		exp, err := os.ReadFile(filepath.Join(fieldCorpus, n+".expected.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		s := fieldSample{name: n, data: data}
		if err := yaml.Unmarshal(exp, &s.exp); err != nil {
			t.Fatalf("%s.expected.yaml: %v", n, err)
		}
		s.healthy = s.exp.Healthy
		out = append(out, s)
	}
	if len(out) == 0 {
		t.Fatal("no field samples")
	}
	return out
}

// signature is what a transformation must keep of a result: each finding's
// kind, code, writer, state and event, in a stable order.
func signature(res *Result) []string {
	var s []string
	for _, f := range res.Findings {
		s = append(s, fmt.Sprintf("%s|%s|%s|%d|%d|%s", f.Kind, f.Code, strings.ToLower(f.Writer), f.State, f.Event, strings.ToLower(f.Provider)))
	}
	slices.Sort(s)
	return slices.Compact(s)
}

func parseBytes(t testing.TB, p *Parser, name string, b []byte) *Result {
	t.Helper()
	res, err := p.Parse(context.Background(), name, bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// mangle is one way the web or a chat client mangles a paste.
type mangle struct {
	name string
	f    func([]byte) []byte
}

// eachLine applies f to every line, keeping line breaks (and a CR before
// them) where they were.
func eachLine(b []byte, f func(i int, l []byte) []byte) []byte {
	var out []byte
	for i, l := range bytes.SplitAfter(b, []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		body := bytes.TrimRight(l, "\r\n")
		out = append(out, f(i, body)...)
		out = append(out, l[len(body):]...)
	}
	return out
}

func prefix(p string) func([]byte) []byte {
	return func(b []byte) []byte {
		return eachLine(b, func(_ int, l []byte) []byte { return append([]byte(p), l...) })
	}
}

var (
	mdSpecial = regexp.MustCompile(`([\[\]_*#])`)
	spaceRun  = regexp.MustCompile(`  +`)
	hexPrefix = regexp.MustCompile(`0[xX]([0-9A-Fa-f]{8})`)
)

// fullWidth types ASCII as a Japanese IME in full-width mode does.
func fullWidth(b []byte) []byte {
	var out []byte
	for _, r := range string(b) {
		switch {
		case r == ' ':
			out = utf8.AppendRune(out, '\u3000')
		case r > ' ' && r < 0x7f:
			out = utf8.AppendRune(out, r-0x21+0xff01)
		default:
			out = utf8.AppendRune(out, r)
		}
	}
	return out
}

func htmlEscape(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("&"), []byte("&amp;"))
	b = bytes.ReplaceAll(b, []byte("<"), []byte("&lt;"))
	return bytes.ReplaceAll(b, []byte(">"), []byte("&gt;"))
}

// wrap80 hard-wraps every line at 80 columns as a console window does.
func wrap80(b []byte) []byte {
	return eachLine(b, func(_ int, l []byte) []byte {
		r := []rune(string(l))
		var out []byte
		for len(r) > 80 {
			out = append(out, string(r[:80])+"\n"...)
			r = r[80:]
		}
		return append(out, string(r)...)
	})
}

// mangles go from what happens first (a console wraps, a user retypes a
// code) to what happens last (a chat client quotes and escapes).
var mangles = []mangle{
	{"wrap80", wrap80},
	{"crlf", func(b []byte) []byte {
		b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
		return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
	}},
	{"lf", func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")) }},
	{"tabs", func(b []byte) []byte { return spaceRun.ReplaceAll(b, []byte("\t")) }},
	{"space-runs", func(b []byte) []byte { return spaceRun.ReplaceAll(b, []byte("     ")) }},
	{"fence", func(b []byte) []byte { return append(append([]byte("```\n"), b...), "\n```\n"...) }},
	{"line-numbers", func(b []byte) []byte {
		return eachLine(b, func(i int, l []byte) []byte { return append(fmt.Appendf(nil, "%4d  ", i+1), l...) })
	}},
	{"chat-timestamps", func(b []byte) []byte {
		return eachLine(b, func(i int, l []byte) []byte {
			return append(fmt.Appendf(nil, "[10:%02d:%02d] ", i/60%60, i%60), l...)
		})
	}},
	{"nbsp", func(b []byte) []byte { return bytes.ReplaceAll(b, []byte(" "), []byte("\u00a0")) }},
	{"ideographic-space", func(b []byte) []byte { return bytes.ReplaceAll(b, []byte(" "), []byte("\u3000")) }},
	{"zero-width", func(b []byte) []byte {
		return eachLine(b, func(_ int, l []byte) []byte {
			l = hexPrefix.ReplaceAll(l, []byte("\u200b0x$1\u200b"))
			return append([]byte("\ufeff\u200b"), l...)
		})
	}},
	{"full-width", fullWidth},
	{"times-sign", func(b []byte) []byte { return hexPrefix.ReplaceAll(b, []byte("0×$1")) }},
	{"markdown-escape", func(b []byte) []byte { return mdSpecial.ReplaceAll(b, []byte(`\$1`)) }},
	{"html-entities", func(b []byte) []byte {
		b = htmlEscape(b)
		return eachLine(b, func(_ int, l []byte) []byte {
			rest := bytes.TrimLeft(l, " ")
			return append(bytes.Repeat([]byte("&nbsp;"), len(l)-len(rest)), rest...)
		})
	}},
	{"slack-escape", htmlEscape},
	{"quote", prefix("> ")},
	{"quote2", prefix(">> ")},
	{"pipe", prefix("| ")},
}

// text is the sample as UTF-8 text, as a browser delivers a paste: a
// UTF-16 or Shift-JIS file decoded as the parser decodes it, a BOM
// dropped. The transformations apply to it, so samples in every encoding
// are held to the rules.
func (s fieldSample) text(t *testing.T) []byte {
	t.Helper()
	enc, bom := sniffEncoding(s.data)
	out, err := io.ReadAll(decoder(enc, bytes.NewReader(s.data[bom:])))
	if err != nil {
		t.Fatalf("%s: decode %s: %v", s.name, enc, err)
	}
	return out
}

func TestFieldMetamorphic(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	samples := fieldSamples(t)
	fails := map[string]int{}
	for _, s := range samples {
		want := signature(parseBytes(t, p, s.name, s.data))
		// A sample that is itself a mangled paste (quoted, escaped,
		// numbered) is mangled again as the text it stands for: a console
		// wraps what a tool printed, not what a web page made of it.
		text := s.text(t)
		base := text
		if clean, err := io.ReadAll(pasteReaderFor(bytes.NewReader(text))); err == nil && !bytes.Equal(clean, text) {
			base = clean
		}
		check := func(label string, b []byte) {
			got := signature(parseBytes(t, p, s.name, b))
			if !slices.Equal(got, want) {
				fails[label]++
				t.Errorf("%s after %s:\n got %q\nwant %q", s.name, label, got, want)
			}
		}
		check("decoded", text)
		check("normalised", base)
		for i, a := range mangles {
			once := a.f(base)
			check(a.name, once)
			// Pairs in the order the manglings happen: the list goes from
			// the console to the chat client.
			for _, b := range mangles[i+1:] {
				// Tabs for spaces change a line's width in columns: what a
				// console cut can no longer be told from what it did not.
				lossy := a.name == "wrap80" && (b.name == "tabs" || b.name == "space-runs")
				if !lossy && (!testing.Short() || b.name == "quote") {
					check(a.name+"+"+b.name, b.f(once))
				}
			}
		}
	}
	t.Logf("failures per transformation: %v", fails)
}

// TestFieldMonotone holds the rule of the package documentation: a layout
// reader adds structure but never loses what the line recogniser finds on
// a line alone. Each code any single line of a sample gives is in the whole
// sample's findings, unless the expected file says why not (healthy or
// documentation samples, stale codes).
func TestFieldMonotone(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	for _, s := range fieldSamples(t) {
		if s.healthy {
			continue
		}
		whole := map[string]bool{}
		for _, f := range parseBytes(t, p, s.name, s.data).Findings {
			whole[f.Code] = true
		}
		for i, line := range bytes.Split(s.text(t), []byte("\n")) {
			for _, f := range parseBytes(t, p, s.name, line).Findings {
				if f.Code != "" && !whole[f.Code] && !s.quiet(f.Code) {
					t.Errorf("%s:%d: %s (%s) found on the line alone, lost in the whole sample", s.name, i+1, f.Code, f.Kind)
				}
			}
		}
	}
}

// TestHealthyTextIsSilent builds random texts from the paragraphs of the
// corpus's healthy samples (vssadmin listings, event records, task logs;
// not documentation, whose rows count only together, nor benign warnings,
// whose codes are harmless only inside their record), pasted through random
// manglings, and holds the parser to silence on every one.
func TestHealthyTextIsSilent(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	var paras [][]byte
	for _, s := range fieldSamples(t) {
		if !s.healthy || strings.HasPrefix(s.exp.Layout, "documentation") || strings.HasPrefix(s.exp.Layout, "benign") {
			continue
		}
		for _, para := range bytes.Split(bytes.ReplaceAll(s.text(t), []byte("\r\n"), []byte("\n")), []byte("\n\n")) {
			if len(bytes.TrimSpace(para)) > 0 {
				paras = append(paras, append(para, '\n'))
			}
		}
	}
	if len(paras) < 20 {
		t.Fatalf("only %d healthy paragraphs in the corpus", len(paras))
	}
	rng := rand.New(rand.NewPCG(20, 1))
	runs := 400
	if testing.Short() {
		runs = 50
	}
	for i := range runs {
		var text []byte
		for range 1 + rng.IntN(6) {
			text = append(text, paras[rng.IntN(len(paras))]...)
			text = append(text, '\n')
		}
		label := "plain"
		if k := rng.IntN(len(mangles) + 1); k < len(mangles) {
			text, label = mangles[k].f(text), mangles[k].name
		}
		if got := signature(parseBytes(t, p, "healthy", text)); len(got) > 0 {
			t.Errorf("run %d (%s): healthy text gave %q:\n%s", i, label, got, text)
		}
	}
}

// TestFieldEncodings: a sample saved in another encoding reads the same:
// UTF-8 with a BOM, UTF-16 in either byte order with a BOM, UTF-16LE
// without one (as some tools write it), and Shift-JIS (CP932) where the
// text has a Shift-JIS form.
func TestFieldEncodings(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	encode16 := func(order binary.AppendByteOrder, bom bool) func([]byte) ([]byte, bool) {
		return func(b []byte) ([]byte, bool) {
			var out []byte
			if bom {
				out = order.AppendUint16(out, 0xfeff)
			}
			for _, u := range utf16.Encode([]rune(string(b))) {
				out = order.AppendUint16(out, u)
			}
			return out, true
		}
	}
	encodings := []struct {
		name string
		f    func([]byte) ([]byte, bool)
	}{
		{"utf-8 bom", func(b []byte) ([]byte, bool) { return append([]byte{0xef, 0xbb, 0xbf}, b...), true }},
		{"utf-16le bom", encode16(binary.LittleEndian, true)},
		{"utf-16be bom", encode16(binary.BigEndian, true)},
		{"utf-16le", func(b []byte) ([]byte, bool) {
			// Without a BOM only mostly-Latin text can be told apart.
			if ascii := bytes.IndexFunc(b, func(r rune) bool { return r >= 0x80 }); ascii >= 0 && ascii < len(b)/2 {
				return nil, false
			}
			return encode16(binary.LittleEndian, false)(b)
		}},
		{"shift_jis", func(b []byte) ([]byte, bool) {
			if !lang.HasJapanese(string(b)) {
				return nil, false
			}
			out, err := japanese.ShiftJIS.NewEncoder().Bytes(b)
			return out, err == nil
		}},
	}
	checked := map[string]int{}
	for _, s := range fieldSamples(t) {
		want := signature(parseBytes(t, p, s.name, s.data))
		text := s.text(t)
		for _, e := range encodings {
			b, ok := e.f(text)
			if !ok {
				continue
			}
			checked[e.name]++
			if got := signature(parseBytes(t, p, s.name, b)); !slices.Equal(got, want) {
				t.Errorf("%s saved as %s:\n got %q\nwant %q", s.name, e.name, got, want)
			}
		}
	}
	t.Logf("samples read per encoding: %v", checked)
	if checked["shift_jis"] == 0 || checked["utf-16le"] == 0 {
		t.Errorf("the corpus gave no sample for an encoding: %v", checked)
	}
}
