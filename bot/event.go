// Package bot is the platform-neutral chat engine: adapters turn platform
// messages, files and slash commands into Events, the Engine runs the parser
// and the knowledge base over them and hands an answer.Outline back to the adapter's
// Replier, with the retry, de-duplication, limits and metrics written once
// here rather than in every platform.
package bot

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/vssbot/vssbot/answer"
)

// EventKind says how the user addressed the bot.
type EventKind int

// Event kinds.
const (
	// Message is a message in a channel, thread or DM, with or without files.
	// It is answered only when it holds something recognisable, or when the
	// bot was mentioned.
	Message EventKind = iota
	// Command is a slash command: /vss CODE..., /vss help, /vss.
	Command
)

// Attachment is a file attached to a message. Open is called at most once,
// lazily, by a worker. The adapter's Open enforces no limit: the engine
// alone checks the size (announced, learnt on opening through Sizer, or
// found while reading) and words the answer.
type Attachment struct {
	Name string
	Size int64 // as announced by the platform; -1 when unknown
	Open func(ctx context.Context) (io.ReadCloser, error)
}

// Target is where a reply goes. Every target carries its thread.
type Target struct {
	Platform string // "slack", "discord", "console"
	Channel  string // channel or DM id
	// Workspace is the Slack team or Discord guild, empty in DMs and the
	// terminal; recorded with the answer.
	Workspace string
	// Thread is the thread to answer in: Slack's thread_ts, Discord's thread
	// channel id. Empty means the adapter starts one on Message.
	Thread string
	// Message is the id of the message being answered (Slack ts, Discord
	// message id), for threads started on it and for reactions.
	Message string
	// ResponseURL is a Slack slash command's response_url, empty otherwise.
	ResponseURL string
	// Interaction is a Discord interaction's token, with which the deferred
	// response to /vss is edited; empty otherwise.
	Interaction string
	// DM is set when the conversation is a direct message.
	DM bool
}

// Event is one thing a user did that the bot may answer.
type Event struct {
	// ID is the platform's event id. Events with an ID already seen are
	// dropped, so platform retries never produce a second reply.
	ID          string
	Kind        EventKind
	Text        string // message text, or the command's argument text
	Attachments []Attachment
	User        string // the author's platform id: team notes are signed with it
	// FromBot is set by the adapter when the author is a bot, the bot itself
	// included: the engine never answers those.
	FromBot bool
	// Mentioned is set when the message addressed the bot by name.
	Mentioned bool
	// Locale is the user's locale as the platform tells it ("ja",
	// "en-US"), when it comes with the event (a Discord interaction); for
	// a command without one the engine asks a LocaleFinder.
	Locale string
	Target Target
}

// LocaleFinder is a Replier that can look up a user's locale (Slack's
// users.info). The engine asks it for a command's answer, off the path
// that acknowledges the event; "" means unknown.
type LocaleFinder interface {
	UserLocale(ctx context.Context, ev Event) string
}

// Replier delivers an answer (answer.Outline) on one platform. It is the one method the engine
// needs from an adapter. Each call is one attempt: the Replier posts what
// is left of the reply, recording in p each post that succeeded, and on
// failure returns at once, the error classified (a *RateLimitError, an
// error marked Temporary, anything else final). The engine alone decides
// whether to try again, and its next call resumes where p says the last
// one stopped, so no part of a reply is lost or posted twice.
type Replier interface {
	Reply(ctx context.Context, to Target, r *answer.Outline, p *Progress) error
}

// Progress is how far the delivery of one reply has got. The engine keeps
// it across attempts; the Replier updates it.
type Progress struct {
	// Posts counts the reply's posts made so far (messages, edits,
	// follow-ups), in the order the Replier makes them.
	Posts int
	// Thread is where the rest of the reply goes once an earlier post made
	// or found it: a Slack slash answer's channel post, a Discord thread.
	Thread string
	// Posted is the id of the reply's first message where the platform
	// tells it (a Slack ts, a Discord message id): what a later "Seen
	// before" links to when the event itself had no message, as a slash
	// command has none.
	Posted string
}

// ReplierFunc adapts a function to Replier.
type ReplierFunc func(ctx context.Context, to Target, r *answer.Outline, p *Progress) error

// Reply implements Replier.
func (f ReplierFunc) Reply(ctx context.Context, to Target, r *answer.Outline, p *Progress) error {
	return f(ctx, to, r, p)
}

// Watcher is implemented by a Replier that shows the user an event is
// being worked on (Slack's reaction on a message with a large file). The
// engine calls Begin when a worker takes the event and the end function it
// returns, deferred, when the event is done: answered, failed, or left
// unanswered because nothing was found.
type Watcher interface {
	Begin(ctx context.Context, ev Event) (end func(context.Context))
}

// TemporaryError marks a failure worth another attempt: the network, a
// timeout, the platform's 5xx.
type TemporaryError struct{ Err error }

func (e *TemporaryError) Error() string { return "temporary: " + e.Err.Error() }

func (e *TemporaryError) Unwrap() error { return e.Err }

// Temporary marks err as worth retrying; nil stays nil.
func Temporary(err error) error {
	if err == nil {
		return nil
	}
	return &TemporaryError{Err: err}
}

// RateLimitError is returned by a Replier when the platform answered 429 (or
// its equivalent); RetryAfter is the delay the platform advertised.
type RateLimitError struct {
	RetryAfter time.Duration
	Err        error
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("rate limited, retry after %s: %v", e.RetryAfter, e.Err)
}

func (e *RateLimitError) Unwrap() error { return e.Err }
