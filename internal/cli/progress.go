package cli

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progressDelay is how long a read runs before its progress is shown: a
// bar that flashes for a small file is noise.
const progressDelay = time.Second

// progress shows on a terminal how far the reading of one input has got:
// bytes read of the total when known, speed and time left.
type progress struct {
	w     io.Writer
	name  string
	total int64 // -1 when unknown (a pipe)
	now   func() time.Time
	start time.Time
	n     int64
	bar   *progressbar.ProgressBar
}

func newProgress(w io.Writer, name string, total int64, now func() time.Time) *progress {
	return &progress{w: w, name: name, total: total, now: now, start: now()}
}

// wantProgress reports whether `vssbot diagnose` shows progress: only for
// a person watching a terminal, never under JSON output.
func wantProgress(format string, stderr any) bool {
	return format != "json" && isTerminal(stderr)
}

// add counts n bytes read, starting the bar once the read has taken longer
// than progressDelay.
func (p *progress) add(n int) {
	p.n += int64(n)
	if p.total >= 0 && p.n > p.total {
		p.n = p.total // an archive's directory is read twice
	}
	if p.bar != nil {
		_ = p.bar.Set64(p.n)
		return
	}
	if p.now().Sub(p.start) < progressDelay {
		return
	}
	p.bar = progressbar.NewOptions64(p.total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(p.name),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionShowTotalBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetWidth(24),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	_ = p.bar.Set64(p.n)
}

// done takes the bar off the terminal so the answer starts on a clean line.
func (p *progress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// progressFile is an input file that reports what is read from it. It keeps
// the file's random access, which the zip reader needs to avoid a spool.
type progressFile struct {
	f *os.File
	p *progress
}

func (r progressFile) Read(b []byte) (int, error) {
	n, err := r.f.Read(b)
	r.p.add(n)
	return n, err
}

func (r progressFile) ReadAt(b []byte, off int64) (int, error) {
	n, err := r.f.ReadAt(b, off)
	r.p.add(n)
	return n, err
}

func (r progressFile) Seek(off int64, whence int) (int64, error) { return r.f.Seek(off, whence) }

// progressReader is a stream (a pipe) that reports what is read from it.
type progressReader struct {
	r io.Reader
	p *progress
}

func (r progressReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	r.p.add(n)
	return n, err
}
