package parse

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/vssbot/vssbot/internal/devtools/loggen"
)

// TestPipelineMatchesSerial checks that the two-stage scanner of large
// inputs finds exactly what the one-loop scanner finds, line numbers
// included, on generated logs and on every sample log stitched into inputs
// of several blocks (so records and codes straddle block ends).
func TestPipelineMatchesSerial(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	inputs := map[string][]byte{}
	for _, class := range []string{loggen.Filler, loggen.TaskHex, loggen.EventApp, loggen.Japanese} {
		var buf bytes.Buffer
		if err := loggen.WriteClass(&buf, 3*scanBlock+12345, class, "utf-8"); err != nil {
			t.Fatal(err)
		}
		inputs[class] = buf.Bytes()
	}
	var samples []byte
	for _, dir := range []string{"testdata", "../testdata/field"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			if strings.HasSuffix(f, ".zip") || strings.HasSuffix(f, ".gz") || strings.HasSuffix(f, ".evtx") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil || looksBinary(b) || isUTF16(b) {
				continue
			}
			samples = append(append(samples, b...), '\n')
		}
	}
	if len(samples) == 0 {
		t.Fatal("no sample logs")
	}
	for _, pad := range []int{0, 1, 777, 4093} {
		in := bytes.Repeat([]byte("x"), pad)
		for len(in) < 3*scanBlock {
			in = append(in, samples...)
		}
		inputs[fmt.Sprintf("samples after %d bytes", pad)] = in
	}
	inputs["empty"] = nil
	inputs["long line"] = append(bytes.Repeat([]byte("0x12345678 "), scanBlock/5), "\nhr = 0x800423f3\n"...)
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			serial := scanWith(t, p, in, false)
			piped := scanWith(t, p, in, true)
			if !reflect.DeepEqual(serial, piped) {
				t.Errorf("pipeline found\n%+v\nserial scanner\n%+v", piped.Findings, serial.Findings)
			}
		})
	}
}

func scanWith(t *testing.T, p *Parser, in []byte, piped bool) *Result {
	t.Helper()
	return scanReader(t, p, iotest.HalfReader(bytes.NewReader(in)), piped) // short reads, as pipes and decoders give
}

// scanReader is scanWith reading r.
func scanReader(t *testing.T, p *Parser, r io.Reader, piped bool) *Result {
	t.Helper()
	c := newCollector()
	tr := &textReader{p: p, c: c, source: "in", line: 1}
	s := &scanner{t: tr, a: p.anchors, v: &verifier{p: p}}
	tr.sc = s
	var err error
	if piped {
		err = s.pipeline(context.Background(), r, c.letters.Count)
	} else {
		err = s.serial(context.Background(), r, c.letters.Count, scanBlock)
	}
	if err != nil {
		t.Fatal(err)
	}
	return c.result()
}

// TestPipelineStops checks that a cancelled parse of a large input returns
// and stops its first stage.
func TestPipelineStops(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := bytes.Repeat([]byte("Fault offset: 0x00000094a02f34a6\n"), 4*scanBlock/30)
	if _, err := p.Parse(ctx, "big.log", bytes.NewReader(in)); err == nil {
		t.Fatal("cancelled parse returned no error")
	}
}

// FuzzPipelineMatchesSerial checks, on inputs the fuzzer grows, that the
// two-stage scanner (with its key-line path) reads what the one loop reads.
// The input is repeated past one block so that the pipeline runs.
func FuzzPipelineMatchesSerial(f *testing.F) {
	// (TestPipelineMatchesSerial already runs the field corpus.)
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && len(b) < 16<<10 && !looksBinary(b) && !isUTF16(b) {
			f.Add(b)
		}
	}
	f.Add([]byte("Log Name: Application\nSource: VSS\nEvent ID: 8193\nLevel: Error\nDescription:\nhr = 0x800423f4\n"))
	p := New(loadVocab(f), Limits{})
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 || len(in) > 16<<10 {
			return
		}
		big := bytes.Repeat(in, scanBlock/len(in)+2)
		serial := scanWith(t, p, big, false)
		piped := scanWith(t, p, big, true)
		if !reflect.DeepEqual(serial, piped) {
			t.Errorf("pipeline found\n%+v\nserial scanner\n%+v", piped.Findings, serial.Findings)
		}
	})
}

// TestWrappedAtBlockEnd checks that a code a console wrapped onto the next
// line is read whole when the line break falls at the end of a block, in
// the two-stage scanner and the one loop alike.
func TestWrappedAtBlockEnd(t *testing.T) {
	p := New(loadVocab(t), Limits{})
	filler := "07/13/2017 04:40:44.020 progress line of the task\n"
	tail := "07/13/2017 04:40:44.020 Writer error hr = 0x8004\n"
	var b bytes.Buffer
	for b.Len()+len(filler)+len(tail) <= scanBlock-30 {
		b.WriteString(filler)
	}
	// The wrapped line's break is the last one of the first block.
	b.WriteString(strings.Repeat("x", scanBlock-b.Len()-len(tail)-10) + "\n")
	b.WriteString(tail)
	b.WriteString("23f2 continues past the end of the block\n")
	in := b.Bytes()
	if bytes.LastIndexByte(in[:scanBlock], '\n') != scanBlock-10 {
		t.Fatal("the wrapped line does not end the first block")
	}
	for _, piped := range []bool{false, true} {
		// Whole reads, so that the first block is scanBlock bytes.
		res := scanReader(t, p, bytes.NewReader(in), piped)
		if len(res.Findings) != 1 || res.Findings[0].Code != "0x800423f2" {
			t.Errorf("piped %v: findings %+v, want 0x800423f2", piped, res.Findings)
		}
	}
}
