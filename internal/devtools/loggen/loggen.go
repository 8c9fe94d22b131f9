// Package loggen writes large, deterministic logs for benchmarks and memory
// measurements, in the shapes customers send: pages of routine lines with
// one VSS failure near the end. Each class stresses the parser differently:
// plain progress lines, lines full of hex offsets and volume GUIDs, an Event
// Viewer export of errors that have nothing to do with VSS, and a Japanese
// log (the only class that can be written in Shift-JIS).
package loggen

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Classes of generated logs.
const (
	Filler   = "filler"   // AIP task log of progress lines with few trigger bytes
	TaskHex  = "taskhex"  // task log whose every line has hex offsets and a volume GUID path
	EventApp = "eventapp" // Event Viewer text export of application crashes
	EventXML = "eventxml" // the same crashes as wevtutil's XML, a record a line
	EventCSV = "eventcsv" // the same crashes as Event Viewer's CSV, a row each, the message quoted over lines
	Japanese = "japanese" // Japanese AIP task log
)

// Classes lists every class, in the order benchmarks report them.
var Classes = []string{Filler, TaskHex, EventApp, EventXML, EventCSV, Japanese}

// Encodings lists the encodings Write accepts.
var Encodings = []string{"utf-8", "utf-16le", "shift_jis"}

// Want is the code the parser must report first for every class.
const Want = "0x800423f2"

// Write writes about size bytes of the filler class in enc.
func Write(w io.Writer, size int64, enc string) error {
	return WriteClass(w, size, Filler, enc)
}

// WriteClass writes about size bytes of a class of log to w in enc
// ("utf-8", "utf-16le" with a BOM as PowerShell writes it, or "shift_jis").
func WriteClass(w io.Writer, size int64, class, enc string) error {
	var out io.Writer = w
	var closer io.Closer
	scale := int64(1)
	switch enc {
	case "utf-8", "":
	case "utf-16le":
		tw := transform.NewWriter(w, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder())
		out, closer, scale = tw, tw, 2
	case "shift_jis":
		tw := transform.NewWriter(w, japanese.ShiftJIS.NewEncoder())
		out, closer = tw, tw
	default:
		return fmt.Errorf("loggen: unknown encoding %q", enc)
	}
	g := &gen{t: time.Date(2017, 7, 12, 23, 58, 0, 0, time.UTC), seed: 1}
	switch class {
	case Filler, "":
		g.line, g.fail = g.filler, g.aipFailure
	case TaskHex:
		g.line, g.fail = g.taskHex, g.aipFailure
	case EventApp:
		g.line, g.fail = g.eventApp, g.vssEvent
	case EventXML:
		g.line, g.fail = g.eventXML, g.vssEventXML
	case EventCSV:
		g.line, g.fail = g.eventCSV, g.vssEventCSV
	case Japanese:
		g.line, g.fail = g.japanese, g.aipFailure
	default:
		return fmt.Errorf("loggen: unknown class %q", class)
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	if err := g.write(bw, size/scale); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if closer != nil {
		return closer.Close()
	}
	return nil
}

type gen struct {
	t      time.Time
	seed   uint64
	record uint64              // the last event record number written
	line   func([]byte) []byte // appends one routine line (or record)
	fail   func([]byte) []byte // appends the failure
}

// write emits routine lines, the failure about 2 KiB before the end, then
// routine lines again up to the target size.
func (g *gen) write(bw *bufio.Writer, target int64) error {
	var n int64
	buf := make([]byte, 0, 4096)
	put := func(b []byte) error {
		n += int64(len(b))
		_, err := bw.Write(b)
		return err
	}
	for n < target-2048 {
		if err := put(g.line(buf[:0])); err != nil {
			return err
		}
	}
	if err := put(g.fail(buf[:0])); err != nil {
		return err
	}
	for n < target-200 {
		if err := put(g.line(buf[:0])); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) rand() uint64 {
	g.seed = g.seed*6364136223846793005 + 1442695040888963407
	return g.seed >> 33
}

// stamp appends the next "MM/DD/YYYY hh:mm:ss.mmm " timestamp; the clock
// crosses midnight early on, as real overnight tasks do.
func (g *gen) stamp(b []byte) []byte {
	g.t = g.t.Add(time.Duration(g.rand()%40) * time.Millisecond)
	return g.t.AppendFormat(b, "01/02/2006 15:04:05.000 ")
}

// ParseSize reads the size of a log to generate: a positive number of
// bytes with an optional KiB, MiB or GiB suffix ("256MiB"), as the
// generator commands take it.
func ParseSize(s string) (int64, error) {
	mult := int64(1)
	for suffix, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if strings.HasSuffix(s, suffix) {
			s, mult = strings.TrimSuffix(s, suffix), m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: want a positive number with an optional KiB/MiB/GiB suffix", s)
	}
	return n * mult, nil
}
