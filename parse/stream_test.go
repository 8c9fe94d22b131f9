package parse

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLongLines puts codes at the end of a 10 MB line and astride every
// chunk boundary region of a long line: each must be found exactly once, and
// line numbers must stay right after it.
func TestLongLines(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	code := "hr = 0x80042306"
	for _, at := range []int{10 << 20, scanBlock - 7, scanBlock - overlap - 3, 2*scanBlock - overlap - 5, scanBlock} {
		var b bytes.Buffer
		b.WriteString("first line\nsecond line\n")
		b.Write(bytes.Repeat([]byte("a "), at/2))
		b.WriteString(code)
		b.WriteString(" tail\n07/13/2017 04:40:44.020 Exit Code -311\n")
		res, err := p.Parse(context.Background(), "long.log", &b)
		if err != nil {
			t.Fatal(err)
		}
		var vss, exit *Finding
		for i := range res.Findings {
			switch res.Findings[i].Kind {
			case KindVSSError:
				vss = &res.Findings[i]
			case KindExitCode:
				exit = &res.Findings[i]
			}
		}
		if vss == nil || vss.Code != "0x80042306" || vss.Count != 1 || vss.Line != 3 {
			t.Errorf("code at %d: %+v", at, vss)
		}
		if exit == nil || exit.Line != 4 {
			t.Errorf("line after long line at %d: %+v", at, exit)
		}
	}
}

func TestRepeatedFailureIsOneFinding(t *testing.T) {
	block, err := os.ReadFile("testdata/aip-failed-writer.log")
	if err != nil {
		t.Fatal(err)
	}
	res, err := New(loadVocab(t), Limits{}).Parse(context.Background(), "r.log", bytes.NewReader(bytes.Repeat(block, 500)))
	if err != nil {
		t.Fatal(err)
	}
	f := res.Findings[0]
	if len(res.Findings) != 3 || f.Kind != KindWriterFailure || f.Count != 500 || f.Line != 8 {
		t.Errorf("got %d findings, first %+v", len(res.Findings), f)
	}
	if len(res.Facts) != maxFacts {
		t.Errorf("facts %d, want the bound %d", len(res.Facts), maxFacts)
	}
}

func TestDateRollover(t *testing.T) {
	log := "12/31/2017 23:59:50.000 VssStart()\n01/01/2018 00:00:05.500 com exception caught(0x8000ffff) in VssStart\n"
	res, err := New(loadVocab(t), Limits{}).Parse(context.Background(), "r.log", strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Facts) != 1 || res.Facts[0].Seconds != 15.5 || res.Facts[0].Line != 2 {
		t.Errorf("facts %+v", res.Facts)
	}
}

func TestMerge(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	a, _ := p.Parse(context.Background(), "a.log", strings.NewReader("x\nhr = 0x80070005\nExit Code -311\n"))
	b, _ := p.Parse(context.Background(), "b.log", strings.NewReader("Exit Code -311\n終了コード -311\n"))
	m := Merge(a, nil, b)
	if len(m.Inputs) != 2 || len(m.Findings) != 3 {
		t.Fatalf("merged %+v", m)
	}
	// The same evidence in two files stays two findings, each file named.
	if f := m.Findings[0]; f.Kind != KindExitCode || f.Count != 1 || f.Source != "a.log" || f.Line != 3 {
		t.Errorf("first %+v", f)
	}
	if f := m.Findings[1]; f.Kind != KindExitCode || f.Count != 2 || f.Source != "b.log" || f.Line != 1 {
		t.Errorf("second %+v", f)
	}
	if !m.Japanese && b.Japanese {
		t.Error("Japanese lost")
	}
	if e := Merge(); e == nil || e.Findings == nil {
		t.Error("empty merge")
	}
}

// TestExamples checks the shipped examples give the diagnosis the README
// promises.
func TestExamples(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	tests := []struct {
		file, enc, first, code, writer string
		japanese                       bool
	}{
		{"aip-exit-311.log", "utf-8", "writer_failure", "0x800423f2", "System Writer", false},
		{"vssadmin-ja.txt", "shift_jis", "writer_failure", "0x800423f2", "System Writer", true},
		{"eventlog-vss-en.txt", "utf-8", "event", "0x800423f2", "System Writer", false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := parseFile(t, p, filepath.Join("..", "examples", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			checkWellFormed(t, res)
			f := res.Findings[0]
			if string(f.Kind) != tt.first || f.Code != tt.code || f.Writer != tt.writer {
				t.Errorf("first finding %+v", f)
			}
			if res.Inputs[0].Encoding != tt.enc || res.Japanese != tt.japanese {
				t.Errorf("input %+v japanese %v", res.Inputs[0], res.Japanese)
			}
			for _, f := range res.Findings {
				if f.Event == 8224 {
					t.Errorf("informational 8224 is not evidence: %+v", f)
				}
			}
		})
	}
}

type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReadErrorKeepsFindings(t *testing.T) {
	boom := errors.New("connection reset")
	r := &failingReader{data: []byte("Exit Code -311\npartial line hr = 0x80042306"), err: boom}
	res, err := New(loadVocab(t), Limits{}).Parse(context.Background(), "upload.log", r)
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "upload.log") {
		t.Errorf("error %v", err)
	}
	if len(res.Findings) != 2 || res.Inputs[0].Error == "" {
		t.Errorf("result %+v", res)
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := New(nil, Limits{}).Parse(ctx, "x.log", io.LimitReader(zeros{}, 10<<20))
	if !errors.Is(err, context.Canceled) || res == nil {
		t.Errorf("got %v, %v", res, err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
