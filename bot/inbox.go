package bot

import (
	"context"

	"github.com/vssbot/vssbot/answer"
)

// Inbox is the engine as an adapter sees it: where events go in, and how a
// refused event and a feedback click are accounted for. It is the one
// contract between the engine and the adapters, declared here only:
// *Engine implements it, and so does the tests' shared recorder
// (internal/chattest.Recorder), so no adapter path is reachable by fakes
// alone.
type Inbox interface {
	// Submit queues ev; its answer goes to to. ErrBusy means the queue
	// was full, ErrClosed that it has shut down.
	Submit(ev Event, to Replier) error
	// TellBusy tells the user of an event refused with ErrBusy, for a
	// platform that will not send it again; the outcome is counted.
	TellBusy(ctx context.Context, ev Event, to Replier) error
	// BusyReply is the busy notice itself, for a platform that carries it
	// in its acknowledgement (a Slack slash command).
	BusyReply(ev Event) *answer.Outline
	// LeftForRetry counts an event refused with ErrBusy that the adapter
	// left unacknowledged so the platform sends it again.
	LeftForRetry(ev Event)
	// Feedback records a click on an answer's feedback buttons and
	// returns the prompt redrawn with the tally.
	Feedback(ctx context.Context, c Click) (FeedbackPrompt, error)
}

var _ Inbox = (*Engine)(nil)
