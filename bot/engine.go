package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vssbot/vssbot/knowledge"
	"github.com/vssbot/vssbot/parse"
)

// Options tune the Engine. Zero values mean the defaults in brackets.
type Options struct {
	Workers            int           // concurrent events [2 x GOMAXPROCS]
	Queue              int           // events waiting for a worker [256]
	Timeout            time.Duration // per event, reading files included [60s]
	MaxAttachmentBytes int64         // per attachment [50 MiB]
	Language           knowledge.Lang
	ChannelLanguages   map[string]knowledge.Lang // channel id -> language
	AllowedChannels    []string                  // empty: every channel
	DedupWindow        time.Duration             // how long an event id is remembered [10m]
	MaxRetries         int                       // reply attempts after a 429 or a transient error [3]
	Logger             *slog.Logger
	Registerer         prometheus.Registerer // nil: metrics are not registered
}

// Engine answers Events. It is safe for concurrent use.
type Engine struct {
	kb     *knowledge.Base
	parser *parse.Parser
	opts   Options
}

// New returns an Engine; its workers start at once and stop on Shutdown.
func New(kb *knowledge.Base, p *parse.Parser, opts Options) *Engine {
	panic("bot: not implemented yet")
}

// Answer computes the reply to ev synchronously. ok is false when the bot
// stays silent (nothing recognisable and not mentioned, a bot's message, a
// channel not allowed).
func (e *Engine) Answer(ctx context.Context, ev Event) (r *Reply, ok bool) {
	panic("bot: not implemented yet")
}

// Submit queues ev; a worker answers it and delivers the reply through to.
// It never blocks: a duplicate event id is dropped (nil), a full queue
// returns ErrBusy after answering the user with a short busy message when
// possible.
func (e *Engine) Submit(ev Event, to Replier) error {
	panic("bot: not implemented yet")
}

// Shutdown stops accepting events and waits for those in flight, until ctx
// is done.
func (e *Engine) Shutdown(ctx context.Context) error {
	panic("bot: not implemented yet")
}
