// Package loggen writes large, deterministic ActiveImage Protector style
// task logs for benchmarks and memory measurements: pages of routine
// progress lines with one failed-writer block near the end.
package loggen

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"time"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// failure is the block the parser must find after the filler.
const failure = `ERROR: Selected writer 'System Writer' is in failed state!
- Status: 9 (VSS_WS_FAILED_AT_FREEZE)
- Writer Failure code: 0x800423f2 (<Unknown error code>)
- Writer ID: {e8132975-6f93-4464-a53e-1050253ae220}
- Instance ID: {ab13e0da-0a8b-48c4-ab4f-eabe2b3d01fe}
`

// Write writes about size bytes of log to w in enc ("utf-8" or
// "utf-16le", the latter with a BOM as PowerShell writes it).
func Write(w io.Writer, size int64, enc string) error {
	var out io.Writer = w
	var closer io.Closer
	scale := int64(1)
	switch enc {
	case "utf-8", "":
	case "utf-16le":
		tw := transform.NewWriter(w, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder())
		out, closer, scale = tw, tw, 2
	default:
		return fmt.Errorf("loggen: unknown encoding %q", enc)
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	g := &gen{t: time.Date(2017, 7, 12, 23, 58, 0, 0, time.UTC), seed: 1}
	target := size / scale
	var n int64
	line := make([]byte, 0, 256)
	emit := func(text string) error {
		line = g.stamp(line[:0])
		line = append(line, text...)
		line = append(line, '\n')
		n += int64(len(line))
		_, err := bw.Write(line)
		return err
	}
	if err := emit("VssStart()"); err != nil {
		return err
	}
	for n < target-2048 {
		line = g.filler(g.stamp(line[:0]))
		n += int64(len(line))
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	if err := emit("com exception caught(0x8000ffff) in VssStart"); err != nil {
		return err
	}
	if err := emit("[07/13/2017 13:40:43.787] OUTPUT:"); err != nil {
		return err
	}
	if _, err := bw.WriteString(failure); err != nil {
		return err
	}
	n += int64(len(failure))
	for n < target-200 {
		if err := emit("Releasing snapshot set"); err != nil {
			return err
		}
	}
	if err := emit("Backup task finished. Exit Code -311"); err != nil {
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
	t    time.Time
	seed uint64
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

// filler appends one routine progress line.
func (g *gen) filler(b []byte) []byte {
	r := g.rand()
	blk := int64(r % 3906250)
	switch r % 7 {
	case 0:
		b = append(b, "Read cluster run lcn="...)
		b = strconv.AppendInt(b, blk*16, 10)
		b = append(b, " length="...)
		b = strconv.AppendInt(b, int64(r%4096+1), 10)
	case 1:
		b = append(b, "Compressed block "...)
		b = strconv.AppendInt(b, blk, 10)
		b = append(b, " ratio 1."...)
		b = strconv.AppendInt(b, int64(r%90+10), 10)
	case 2:
		b = append(b, "Progress "...)
		b = strconv.AppendInt(b, int64(r%100), 10)
		b = append(b, "% , 412 MB/s, elapsed "...)
		b = strconv.AppendInt(b, int64(r%3600), 10)
		b = append(b, " s"...)
	case 3:
		b = append(b, "Verified block "...)
		b = strconv.AppendInt(b, blk, 10)
		b = append(b, " (crc ok)"...)
	default:
		b = append(b, "Backup block "...)
		b = strconv.AppendInt(b, blk, 10)
		b = append(b, "/3906250 stored (65536 bytes, dedup "...)
		b = strconv.AppendInt(b, int64(r%64), 10)
		b = append(b, " KB)"...)
	}
	return append(b, '\n')
}
