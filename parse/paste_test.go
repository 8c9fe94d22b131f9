package parse

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
)

func normalised(t testing.TB, in string) string {
	t.Helper()
	out, err := io.ReadAll(pasteReaderFor(strings.NewReader(in)))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestPasteReader(t *testing.T) {
	wide := strings.Repeat("a", 60) + " Error code: [0x8004" // 80 columns
	tests := []struct{ name, in, want string }{
		{"plain text passes untouched", "Writer name: 'System Writer'\n   State: [7] Failed\n", "Writer name: 'System Writer'\n   State: [7] Failed\n"},
		{"quote marks", "> Writer name: 'X'\n>> State: [1] Stable\n", "Writer name: 'X'\nState: [1] Stable\n"},
		{"markdown escapes", `State: \[11\] Failed` + "\n", "State: [11] Failed\n"},
		{"prompt keeps its backslash", `C:\>vssadmin list writers` + "\n", `C:\>vssadmin list writers` + "\n"},
		{"html entities", "&nbsp;&nbsp;State: [1] &lt;x&gt; &amp;\n", "  State: [1] <x> &\n"},
		{"escaped twice", "&amp;lt;Event&amp;gt;\n", "<Event>\n"},
		{"markup keeps its entities", "<Data>a &lt; b</Data>\n", "<Data>a &lt; b</Data>\n"},
		{"full-width code", "エラー０ｘ８００４２３Ｆ２です\n", "エラー0x800423F2です\n"},
		{"full-width punctuation alone stays", "状態：［１］\n", "状態:[1]\n"},
		{"times sign", "0×80070057 and 2×3\n", "0x80070057 and 2×3\n"},
		{"spaces", "a\u00a0b\u3000c\u2002d\n", "a b c d\n"},
		{"zero-width", "\u200b0x800423f2\u200d\ufeff\n", "0x800423f2\n"},
		{"fence", "```text\nState: [1]\n```\n", "\nState: [1]\n\n"},
		{"inline fence", "```hr = 0x80042409```\n", "hr = 0x80042409\n"},
		{"table row", "| 8229 | VSS | Error |\n|---|---|---|\n", "8229 \t VSS \t Error \n\n"},
		{"line numbers", "  9  first\n 10    indented\n 11  third\n", "first\n  indented\nthird\n"},
		{"a lone number is text", "12 writers were stable\nnext line\n", "12 writers were stable\nnext line\n"},
		{"chat times", "[10:42] a\n[10:42 PM] b\n[10:42:07] c\n", "a\nb\nc\n"},
		{"console wrap joined, breaks kept", wide + "\n23f2].\nnext\n", wide + "23f2].\n\nnext\n"},
		{"wide line beside a wider one stays", wide + "\n23f2].\n" + strings.Repeat("b", 90) + "\n", wide + "\n23f2].\n" + strings.Repeat("b", 90) + "\n"},
		{"crlf kept", "> a\r\n> b\r\n", "a\r\nb\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalised(t, tt.in); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestPasteReaderSmallReads checks that lines split across reads, and a
// line longer than the buffer, come out as from one read.
func TestPasteReaderSmallReads(t *testing.T) {
	in := strings.Repeat("> State: \\[1\\] Stable&nbsp;\n", 5000) + strings.Repeat("x", 3*pasteBuf) + "\n> end"
	whole := normalised(t, in)
	out, err := io.ReadAll(pasteReaderFor(iotest.OneByteReader(strings.NewReader(in))))
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != whole {
		t.Fatal("one-byte reads give another text than one read")
	}
	if !strings.HasPrefix(whole, "State: [1] Stable \n") || !strings.HasSuffix(whole, "\nend") {
		t.Errorf("unexpected normalisation: %q ... %q", whole[:40], whole[len(whole)-10:])
	}
}

// FuzzPaste holds the normaliser to what the scanner relies on: it never
// grows the text, never adds or removes a line break, and gives the same
// text however the input is cut into reads.
func FuzzPaste(f *testing.F) {
	for _, s := range []string{
		"> State: \\[11\\] Failed\n", "&amp;lt;x&gt;&#91;&#x5d;&nbsp;\n", "０ｘ８００４２３Ｆ２\u3000\u200b\n",
		"  1  a\n  2  b\n", "[10:42] x\r\n", "| a | b |\n|--|--|\n", "```\nx\n```", strings.Repeat("w", 80) + "\nrest\n",
	} {
		f.Add([]byte(s))
	}
	filter := New(nil, Limits{}).mangle()
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := io.ReadAll(newPasteReader(bytes.NewReader(in), filter))
		if err != nil {
			t.Fatal(err)
		}
		// The vector filter only saves work: without it the text is the same.
		if plain, err := io.ReadAll(newPasteReader(bytes.NewReader(in), nil)); err != nil || !bytes.Equal(plain, out) {
			t.Fatalf("without the filter %q (%v), with it %q", plain, err, out)
		}
		if len(out) > len(in) {
			t.Fatalf("grew from %d to %d bytes", len(in), len(out))
		}
		if a, b := bytes.Count(in, []byte{'\n'}), bytes.Count(out, []byte{'\n'}); a != b {
			t.Fatalf("%d line breaks became %d", a, b)
		}
		slow, err := io.ReadAll(newPasteReader(iotest.HalfReader(bytes.NewReader(in)), filter))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(slow, out) {
			t.Fatalf("short reads give %q, one read %q", slow, out)
		}
	})
}

// pasteReaderFor is the paste normaliser as the Parser builds it.
func pasteReaderFor(r io.Reader) *pasteReader {
	return newPasteReader(r, New(nil, Limits{}).mangle())
}

// TestMangleFilter: the vector search for mapped characters and line
// marks answers as the plain searches do, on random bytes and on text
// dense with the bytes that begin them.
func TestMangleFilter(t *testing.T) {
	if !bigramSIMD() {
		t.Skip("no vector filter on this machine")
	}
	fast, plain := newPasteReader(nil, newMangleFilter()), newPasteReader(nil, nil)
	rng := rand.New(rand.NewPCG(5, 6))
	const ascii = "\\&_-(a0 \n>|`"
	const alphabet = ascii + "\xc2\xa0\xc3\x97\xe2\x80\x81\xe3\xef\xbb\xbc\xbd\xbf\x90\x99\xa1\x81"
	for n := range 6000 {
		data := make([]byte, rng.IntN(300))
		for i := range data {
			if n%3 == 0 {
				data[i] = byte(rng.IntN(256))
			} else {
				data[i] = alphabet[rng.IntN(len(alphabet))]
				if n%3 == 1 { // ASCII without '&' or backslash, so line marks decide
					data[i] = ascii[2+rng.IntN(len(ascii)-2)]
				}
			}
		}
		gotC, gotL := fast.marks(data)
		wantC, wantL := plain.marks(data)
		if gotC != wantC || gotL != wantL {
			t.Fatalf("%q: filter says chars %v lines %v, plain searches %v %v", data, gotC, gotL, wantC, wantL)
		}
		// A range the masks rule out holds nothing to map.
		if len(data) > 0 {
			ls := rng.IntN(len(data))
			le := ls + rng.IntN(len(data)-ls+1)
			if !fast.mayMap(ls, le) && lineChars(data[ls:le], true) {
				t.Fatalf("%q[%d:%d]: ruled out, but holds a mapped character", data, ls, le)
			}
		}
	}
}
