package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"runtime/debug"
	"strconv"

	"github.com/vssbot/vssbot/lang"
	"github.com/vssbot/vssbot/parse"
)

// problemKind says why an input was not read in full.
type problemKind int

const (
	tooLargeAnnounced problemKind = iota // the platform said the file is too large
	tooLargeRead                         // the file turned out larger than announced
	openFailed
	readBroken
	timedOut
	crashed // a panic while opening or reading
)

// problem is one input that was not read in full; it is worded once the
// answer's language is known.
type problem struct {
	kind problemKind
	name string
	size int64
	err  error
}

func (p problem) text(l lang.Tag, limit int64) string {
	switch p.kind {
	case tooLargeAnnounced:
		return fmt.Sprintf(l.Pick("The file %s is %s; the limit is %s, so it was not read.",
			"ファイル %s は %s あり、上限の %s を超えるため読みませんでした。"),
			p.name, byteSize(p.size), byteSize(limit))
	case tooLargeRead:
		return fmt.Sprintf(l.Pick("The file %s is larger than the %s limit; only its beginning was read.",
			"ファイル %s は上限の %s を超えているため、先頭部分だけを読みました。"),
			p.name, byteSize(limit))
	case openFailed:
		if network(p.err) {
			return fmt.Sprintf(l.Pick("The file %s could not be downloaded: the connection to the chat service failed (the details are in the bot's log). Please send it again.",
				"ファイル %s をダウンロードできませんでした。チャットサービスとの接続に失敗しました（詳細はボットのログにあります）。もう一度送ってください。"), p.name)
		}
		return fmt.Sprintf(l.Pick("The file %s could not be opened: %v.", "ファイル %s を開けませんでした: %v"), p.name, p.err)
	case timedOut:
		return fmt.Sprintf(l.Pick("Reading %s hit the time limit; what follows comes from the part read before.",
			"%s の読み取りが制限時間に達しました。結果はそれまでに読めた部分によるものです。"), p.name)
	case crashed:
		return fmt.Sprintf(l.Pick("The file %s could not be read because of an internal error (logged).",
			"内部エラーのためファイル %s を読めませんでした (ログに記録済み)。"), p.name)
	}
	if network(p.err) {
		return fmt.Sprintf(l.Pick("The download of %s broke off: the connection to the chat service failed (the details are in the bot's log); what follows comes from the part read before.",
			"%s のダウンロードが途中で切れました。チャットサービスとの接続に失敗しました（詳細はボットのログにあります）。結果はそれまでに読めた部分によるものです。"), p.name)
	}
	return fmt.Sprintf(l.Pick("%s could not be read in full: %v.",
		"%s を最後まで読めませんでした: %v"), p.name, p.err)
}

// network reports whether err is a failure of the network (a dial, a
// resolver, a TLS handshake, a reset): its text names internal addresses,
// so it goes to the log and the chat gets a plain sentence.
func network(err error) bool {
	_, ok := errors.AsType[net.Error](err)
	return ok
}

// byteSize writes n in MB (2^20 bytes) above a megabyte, in KB or bytes below.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		mb := math.Round(float64(n)/(1<<20)*10) / 10
		return strconv.FormatFloat(mb, 'f', -1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// readAttachment opens and parses one file within the size limit. A panic in
// the adapter's Open or in the parser costs this file, not the reply.
func (e *Engine) readAttachment(ctx context.Context, ev Event, a Attachment, parser *parse.Parser) (res *parse.Result, p *problem) {
	name := a.Name
	if name == "" {
		name = "(unnamed)"
	}
	platform := ev.Target.Platform
	defer func() {
		if v := recover(); v != nil {
			e.metrics.errors.WithLabelValues(platform, errPanic).Inc()
			e.log.Error("panic while reading attachment", "platform", platform, "event", ev.ID, "file", name,
				"panic", v, "stack", string(debug.Stack()))
			p = &problem{kind: crashed, name: name}
		}
	}()
	limit := e.opts.MaxAttachmentBytes
	if a.Size > limit {
		e.metrics.errors.WithLabelValues(platform, errTooLarge).Inc()
		e.log.Warn("attachment over the size limit", "platform", platform, "event", ev.ID, "file", name, "size", a.Size, "limit", limit)
		return nil, &problem{kind: tooLargeAnnounced, name: name, size: a.Size}
	}
	if a.Open == nil {
		err := errors.New("no way to download it")
		e.metrics.errors.WithLabelValues(platform, errOpen).Inc()
		e.log.Warn("attachment without Open", "platform", platform, "event", ev.ID, "file", name)
		return nil, &problem{kind: openFailed, name: name, err: err}
	}
	rc, err := a.Open(ctx)
	if err != nil {
		e.metrics.errors.WithLabelValues(platform, errOpen).Inc()
		e.log.Warn("open attachment", "platform", platform, "event", ev.ID, "file", name, "err", err)
		return nil, &problem{kind: openFailed, name: name, err: err}
	}
	defer rc.Close()
	if s, ok := rc.(Sizer); ok && s.Size() > limit {
		e.metrics.errors.WithLabelValues(platform, errTooLarge).Inc()
		e.log.Warn("attachment over the size limit", "platform", platform, "event", ev.ID, "file", name, "size", s.Size(), "limit", limit)
		return nil, &problem{kind: tooLargeAnnounced, name: name, size: s.Size()}
	}
	lr := &limitReader{r: rc, left: limit}
	res, err = parser.Parse(ctx, name, lr)
	if lr.exceeded {
		e.metrics.errors.WithLabelValues(platform, errTooLarge).Inc()
		e.log.Warn("attachment larger than announced", "platform", platform, "event", ev.ID, "file", name, "announced", a.Size, "limit", limit)
		return res, &problem{kind: tooLargeRead, name: name}
	}
	if err != nil {
		pr := e.readFailed(ctx, ev, name, err, true)
		return res, &pr
	}
	return res, nil
}

// readFailed logs, counts and classifies a parse error.
func (e *Engine) readFailed(ctx context.Context, ev Event, name string, err error, file bool) problem {
	platform := ev.Target.Platform
	kind, reason := readBroken, errRead
	// The event's own deadline, whether or not the error wraps it.
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		kind, reason = timedOut, errTimeout
	}
	e.metrics.errors.WithLabelValues(platform, reason).Inc()
	e.log.Warn("parse input", "platform", platform, "event", ev.ID, "input", name, "file", file, "err", err)
	return problem{kind: kind, name: name, err: err}
}

// Sizer is implemented by what an Attachment's Open returns when the
// platform reveals the file's size only then (a Slack file known by its id,
// an HTTP Content-Length): the engine checks it against the limit before
// reading, so the user gets the same answer as for an announced size.
type Sizer interface {
	Size() int64 // -1 when still unknown
}

// errTooLargeRead is what limitReader returns past its limit.
var errTooLargeRead = errors.New("larger than the attachment size limit")

// limitReader reads at most left bytes and fails, rather than ending
// quietly, when there is more: announced sizes can lie and a silent cut
// would look like a complete file.
type limitReader struct {
	r        io.Reader
	left     int64
	exceeded bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.exceeded {
		return 0, errTooLargeRead
	}
	// Ask for one byte past the limit: getting it proves the file is larger.
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		l.exceeded = true
		return n + int(l.left), errTooLargeRead
	}
	return n, err
}
