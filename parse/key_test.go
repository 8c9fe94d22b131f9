package parse

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestLineKey checks the first stage's key reading against splitKey, which
// the reader uses: where lineKey finds a key, splitKey reads the same key
// and value.
func TestLineKey(t *testing.T) {
	a := New(loadVocab(t), Limits{}).anchors
	tests := []struct {
		line string
		want evField
	}{
		{"Log Name:      Application", fLogName},
		{"Source:        VSS", fSource},
		{"SOURCE : VolSnap", fSource},
		{"Event ID = 8194", fID},
		{"Event ID=8194", fNone}, // splitKey wants a blank before "="
		{"Level:\tError", fLevel},
		{"Description:", fMessage},
		{"Date:          7/13/2017 12:04:14 AM", fDate},
		{"TimeCreated  : 11/27/2026 2:23:12 AM", fCreated},
		{"Event[12]:", fWevt},
		{"Event[12]: more", fNone},
		{"ログの名前:     Application", fLogName},
		{"ソース：VSS", fSource},
		{"Exception Info: System.IO.IOException", fNone},
		{"Event Type: Error Event Source: VSS", fLevel},
		{"Leveled: x", fNone},
		{"Description of the problem without a colon", fNone},
		{"Date 7/13/2017 12:04:14 AM", fNone},
		{"", fNone},
	}
	for _, tt := range tests {
		got, val := a.lineKey([]byte(tt.line + "\nSource: next line"))
		if got != tt.want {
			t.Errorf("lineKey(%q) = %v, want %v", tt.line, got, tt.want)
			continue
		}
		if got == fNone || got == fWevt {
			continue
		}
		fl, v, ok := splitKey([]byte(tt.line))
		if !ok || fl != got || string(v) != string(trimBlanks([]byte(tt.line[val:]))) {
			t.Errorf("%q: splitKey = %v %q %v, lineKey = %v, value %q", tt.line, fl, v, ok, got, tt.line[val:])
		}
	}
}

func trimBlanks(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

func TestRelevantProvider(t *testing.T) {
	tests := map[string]bool{
		"VSS": true, "vss": true, "VolSnap": true, "Microsoft-Windows-Backup": true, "ActiveImage Protector": true,
		"Volume Shadow Copy": true, "SQLVSS": true, "Veeam Backup": true,
		"Application Error": false, ".NET Runtime": false, "Windows Error Reporting": false, "Hyper-V-VMMS": false,
		"": false, "VS": false, "Volsna": false, "backu": false,
	}
	for p, want := range tests {
		if got := relevantProvider(p); got != want {
			t.Errorf("relevantProvider(%q) = %v, want %v", p, got, want)
		}
		if got := relevantProvider([]byte(p)); got != want {
			t.Errorf("relevantProvider([]byte(%q)) = %v, want %v", p, got, want)
		}
	}
}

// TestFormatListIsNoTableGroup checks that a Format-List record opened by
// its ProviderName key does not leave the reader in a Get-WinEvent table
// group, where it would read every line of the rest of the input.
func TestFormatListIsNoTableGroup(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	for _, tt := range []struct {
		in    string
		group string
	}{
		{"ProviderName     : Application Error\nId               : 1000\nMessage          : Faulting application\n", ""},
		{"   ProviderName: volsnap\n\nTimeCreated                      Id LevelDisplayName Message\n", "volsnap"},
	} {
		tr := &textReader{p: p, c: newCollector(), source: "in", line: 1}
		tr.sc = &scanner{t: tr, a: p.anchors, v: &verifier{p: p}}
		data := []byte(tt.in)
		for ls := 0; ls < len(data); {
			le := ls + bytes.IndexByte(data[ls:], '\n')
			tr.process(data, ls, le, 0)
			tr.line++
			ls = le + 1
		}
		if tr.provider != tt.group {
			t.Errorf("%q: table group %q, want %q", tt.in, tr.provider, tt.group)
		}
	}
}

func TestTrimBlank(t *testing.T) {
	inputs := []string{"", " ", " a ", "\t\v\fa b\r\n", "\u3000VSS\u3000", "\u00a0x", "x\u0085", "ソース",
		"      Application", "                ", "        \tx", "         \u3000x", "\r\n"}
	// Runs of blanks of every length before and after a value, as Event
	// Viewer aligns them (the word-at-a-time skip and the byte loop).
	for n := range 20 {
		for _, v := range []string{"VSS", "\u3000x", "\ty", ""} {
			inputs = append(inputs, strings.Repeat(" ", n)+v+strings.Repeat(" ", n%5), strings.Repeat(" \t", n)+v)
		}
	}
	for _, s := range inputs {
		if got, want := trimBlank([]byte(s)), bytes.TrimSpace([]byte(s)); !bytes.Equal(got, want) {
			t.Errorf("trimBlank(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestLineKeyPrefix checks that the eight-byte compare of lineKey decides
// as the byte loop alone does: every key in random case, cut short or
// followed by a separator or more letters.
func TestLineKeyPrefix(t *testing.T) {
	a := New(loadVocab(t), Limits{}).anchors
	loop := *a // the same keys, every prefix test passing
	for c := range loop.keys {
		loop.keys[c] = slices.Clone(loop.keys[c])
		for i := range loop.keys[c] {
			loop.keys[c][i].head = prefix8{}
		}
	}
	rng := rand.New(rand.NewPCG(15, 16))
	for k := range eventKeys {
		for range 50 {
			b := []byte(k)
			for i, c := range b {
				if c >= 'a' && c <= 'z' && rng.IntN(2) == 0 {
					b[i] = c - 'a' + 'A'
				}
			}
			if rng.IntN(3) == 0 && len(b) > 1 {
				b = b[:1+rng.IntN(len(b)-1)]
			}
			b = append(b, []string{":", " : x", "= 1", "x: y", "", "：z", "\n"}[rng.IntN(7)]...)
			gf, gv := a.lineKey(b)
			wf, wv := loop.lineKey(b)
			if gf != wf || gv != wv {
				t.Fatalf("lineKey(%q) = %v %d, the byte loop says %v %d", b, gf, gv, wf, wv)
			}
		}
	}
}

// TestRowFields checks the allocation-free row reading against the string
// functions it replaced: strings.SplitN, and the level word found after
// strings.TrimLeft, strings.IndexAny and strings.ToLower.
func TestRowFields(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	words := []string{"Error", "ERROR", "warning", "Information", "AUSFÜHRLICH", "Détails", "エラー", "情報", "Success Audit",
		"x", "", "Errorr", "averylonglevelwordthatgoeson"}
	seps := []string{",", "\t", "\"", " ", ",,", "\t\""}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(4) {
			b.WriteString([]string{" ", "\t", "\""}[rng.IntN(3)])
		}
		for range 1 + rng.IntN(7) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		s := b.String()
		want := false
		if tr := strings.TrimLeft(s, " \t\""); true {
			i := strings.IndexAny(tr, ",\t\"")
			want = i > 0 && i <= 16 && levelName(strings.ToLower(tr[:i])) != ""
		}
		if got := startsWithLevel([]byte(s)); got != want {
			t.Fatalf("startsWithLevel(%q) = %v, want %v", s, got, want)
		}
		for _, sep := range []byte{',', '\t'} {
			var f [6][]byte
			n := splitFields([]byte(s), sep, &f)
			wantF := strings.SplitN(s, string(sep), 6)
			if n != len(wantF) {
				t.Fatalf("splitFields(%q, %q) made %d fields, want %d", s, sep, n, len(wantF))
			}
			for i := range n {
				if string(f[i]) != wantF[i] {
					t.Fatalf("splitFields(%q, %q)[%d] = %q, want %q", s, sep, i, f[i], wantF[i])
				}
			}
		}
	}
	for _, w := range words {
		if got, want := levelWord(w), levelName(strings.ToLower(w)); got != want {
			t.Errorf("levelWord(%q) = %q, want %q", w, got, want)
		}
	}
}

// TestVSSOrWriter checks the one-pass search against two hasFoldAny calls
// on random text rich in v, w and the words' other letters.
func TestVSSOrWriter(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	const alphabet = "vVwWsSrRiItTeE \x00\x01\x56\x57\x76\x77\xd6\xf6"
	for range 100000 {
		b := randomText(rng, alphabet, rng.IntN(40))
		if rng.IntN(4) == 0 && len(b) > 6 {
			at := rng.IntN(len(b) - 6)
			copy(b[at:], []string{"VsS", "wRiTeR", "vss", "WRITER"}[rng.IntN(4)])
		}
		want := hasFoldAny(b, "vss") || hasFoldAny(b, "writer")
		if got := vssOrWriter(b); got != want {
			t.Fatalf("vssOrWriter(%q) = %v, want %v", b, got, want)
		}
	}
}
