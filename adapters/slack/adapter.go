// Package slack connects the bot to Slack: messages, mentions and shared
// files arrive over Socket Mode (the default, no public URL needed) or the
// Events API, /vss arrives as a slash command, and answers go back as Block
// Kit messages in the thread of the message they answer. It knows the Slack
// wire protocol and nothing about logs or remedies: the engine does that.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/rejects"
)

// Modes and slash command response types.
const (
	ModeSocket = "socket"
	ModeHTTP   = "http"

	InChannel = "in_channel"
	Ephemeral = "ephemeral"
)

const (
	// largeFile is the announced size above which the bot reacts to the
	// message while it reads the file, so the user knows it is working.
	largeFile = 1 << 20
	// apiTimeout bounds one Web API call; file downloads are bounded by the
	// engine's per-event timeout instead.
	apiTimeout = 30 * time.Second
	// reactTimeout bounds adding or removing the reaction, which a worker
	// waits for.
	reactTimeout = 5 * time.Second
)

// Adapter is one Slack app connection. It is safe for concurrent use.
type Adapter struct {
	cfg    Config
	eng    bot.Inbox
	log    *slog.Logger
	api    *slackapi.Client
	apiURL *url.URL
	// files downloads attachments and posts to response_url: no timeout of
	// its own, the caller's context bounds it.
	files   *http.Client
	self    atomic.Pointer[identity]
	rejects *rejects.Recorder // refused HTTP requests; nil: not counted
	// connected is whether the Socket Mode connection is up now.
	connected atomic.Bool
	commands  *commands
	locales   localeCache // users.info locales, for /vss answers
}

// identity is who the bot is, learned from auth.test. Its own messages
// also carry a bot_id, like every bot's, and are dropped for that already.
type identity struct {
	User string // the bot user's id, as mentioned in text: <@U...>
}

// New checks cfg and returns an Adapter; the error names the bad setting.
// Nothing is sent to Slack before Start.
func New(cfg Config, eng bot.Inbox, log *slog.Logger) (*Adapter, error) {
	if !cfg.Enabled() {
		return nil, errors.New("slack.bot_token: required (xoxb-...)")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("platform", "slack")
	u, _ := url.Parse(cfg.APIURL) // Validate parsed it
	transport := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        100,
		MaxIdleConnsPerHost: 32,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
	}
	// slack-go retries nothing unless told to (no OptionRetry here): a 429
	// comes back as *slackapi.RateLimitedError and the engine's single retry
	// policy decides.
	a := &Adapter{
		cfg:      cfg,
		eng:      eng,
		log:      log,
		apiURL:   u,
		commands: newCommands(),
	}
	// Both clients carry a token: every redirect hop is checked as the
	// first URL was.
	a.files = &http.Client{Transport: transport, CheckRedirect: a.checkRedirect}
	a.api = slackapi.New(cfg.BotToken,
		slackapi.OptionAPIURL(cfg.APIURL),
		slackapi.OptionAppLevelToken(cfg.AppToken),
		slackapi.OptionHTTPClient(&http.Client{Transport: transport, Timeout: apiTimeout, CheckRedirect: a.checkRedirect}),
		slackapi.OptionLog(slog.NewLogLogger(log.Handler(), slog.LevelDebug)),
	)
	return a, nil
}

// Start asks Slack who the bot is (auth.test), which also fails fast, naming
// the problem, on a bad token or a missing scope.
func (a *Adapter) Start(ctx context.Context) error {
	res, err := a.api.AuthTestContext(ctx)
	if err != nil {
		return fmt.Errorf("slack auth.test: %w", explain("slack.bot_token", err))
	}
	a.self.Store(&identity{User: res.UserID})
	a.log.Info("signed in", "team", res.Team, "user", res.User, "user_id", res.UserID, "bot_id", res.BotID, "mode", a.cfg.Mode)
	return nil
}

// Run receives events until ctx is done. In Socket Mode it holds the
// websocket open, reconnecting on its own; in HTTP mode events come through
// Handler and Run only waits.
func (a *Adapter) Run(ctx context.Context) error {
	if a.cfg.Mode == ModeHTTP {
		<-ctx.Done()
		return nil
	}
	return a.runSocket(ctx)
}

// whoami returns the identity from Start, or an empty one before it.
func (a *Adapter) whoami() identity {
	if id := a.self.Load(); id != nil {
		return *id
	}
	return identity{}
}

// submit hands ev to the engine. It reports false when the event was
// refused and left for Slack to send again (see offer).
func (a *Adapter) submit(ev bot.Event, retryable bool) (taken bool) {
	return a.offer(ev, retryable)
}
