// Package discord connects the bot to Discord: a gateway session that turns
// messages and /vss slash commands into bot.Events, an optional HTTP
// interactions endpoint, and a bot.Replier that answers in threads, in
// message replies or in edited interaction responses, within Discord's size
// limits. It speaks to Discord through discordgo and knows nothing of logs or
// error codes.
package discord

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/internal/rejects"
)

const (
	// Intents the bot asks for; MessageContent is privileged and may be
	// refused, in which case the adapter carries on without it.
	baseIntents = discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	fullIntents = baseIntents | discordgo.IntentMessageContent
	// closeDisallowedIntents is the gateway close code for a privileged
	// intent the application is not allowed to use.
	closeDisallowedIntents = 4014
)

// Adapter is a running Discord connection. Its methods are safe for
// concurrent use.
type Adapter struct {
	cfg       Config
	eng       bot.Inbox
	log       *slog.Logger
	session   *discordgo.Session
	files     *http.Client // attachment downloads
	publicKey []byte
	rejects   *rejects.Recorder // refused HTTP requests; nil: not counted
	connected atomic.Bool       // the gateway session is up
	now       func() time.Time

	selfID   atomic.Value // string: the bot's user id, from READY
	dropped  chan struct{}
	channels channelCache
	// backoff is the first wait between reconnect attempts.
	backoff time.Duration
	// contentIntent is false once Discord refused the Message Content intent.
	contentIntent atomic.Bool
	// lastClose is the last gateway close code seen by the dialer's watch.
	lastClose atomic.Int32
	// closeSeen is signalled by the dialer's watch on every close frame
	// from the gateway.
	closeSeen chan struct{}
	openMu    sync.Mutex
}

// New checks cfg and prepares a session; nothing is sent before Start.
func New(cfg Config, eng bot.Inbox, log *slog.Logger) (*Adapter, error) {
	if !cfg.Enabled() {
		return nil, errors.New("discord.token: missing bot token")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if eng == nil {
		return nil, errors.New("nil engine")
	}
	if log == nil {
		log = slog.Default()
	}
	var pub []byte
	if cfg.PublicKey != "" {
		pub, _ = hex.DecodeString(cfg.PublicKey) // checked by Validate
	}
	s, err := discordgo.New(cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	base, _ := url.Parse(cfg.APIURL) // checked by Validate
	s.Client = &http.Client{Timeout: 20 * time.Second, Transport: &apiTransport{base: base, next: restTransport()}}
	// One attempt per call: the engine alone retries (and discordgo would
	// retry a 502 on its own too).
	s.ShouldRetryOnRateLimit = false
	s.MaxRestRetries = 0
	// The adapter reconnects itself so that it sees why a connection failed
	// (4014 needs a different Identify; discordgo would retry forever).
	s.ShouldReconnectOnError = false
	s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	if s.ShardCount == 0 {
		s.ShardCount = 1
	}
	s.Identify.Intents = fullIntents
	s.StateEnabled = false
	// discordgo prints through the standard logger; what matters of it is
	// logged here with slog instead.
	s.LogLevel = -1
	a := &Adapter{
		cfg:       cfg,
		eng:       eng,
		log:       log.With("platform", "discord"),
		session:   s,
		files:     &http.Client{Timeout: 5 * time.Minute},
		publicKey: pub,
		now:       time.Now,
		dropped:   make(chan struct{}, 1),
		closeSeen: make(chan struct{}, 1),
		backoff:   time.Second,
	}
	a.selfID.Store("")
	a.contentIntent.Store(true)
	s.Dialer = a.gatewayDialer(base)
	s.AddHandler(a.onReady)
	s.AddHandler(a.onDisconnect)
	s.AddHandler(a.onResumed)
	s.AddHandler(a.onMessage)
	s.AddHandler(a.onInteraction)
	return a, nil
}

// Start opens the gateway and registers /vss.
func (a *Adapter) Start(ctx context.Context) error {
	if err := a.open(); err != nil {
		return fmt.Errorf("open gateway: %w", err)
	}
	if err := a.registerCommands(ctx); err != nil {
		a.session.Close()
		return fmt.Errorf("register commands: %w", err)
	}
	return nil
}

// Run keeps the gateway connected until ctx is done, then closes it.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.closeGateway()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-a.dropped:
		}
		if err := a.reconnect(ctx); err != nil {
			return err
		}
	}
}

// closeGateway closes the session and returns once the gateway answered
// the close frame, as the protocol asks, rather than after the fixed
// one-second pause discordgo's Close takes in its place; the pause ends in
// the background. Without a watched connection (through a proxy) it waits
// for Close.
func (a *Adapter) closeGateway() {
	select {
	case <-a.closeSeen: // an earlier connection's
	default:
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := a.session.Close(); err != nil {
			a.log.Debug("close gateway", "err", err)
		}
	}()
	select {
	case <-done:
	case <-a.closeSeen:
	}
}

// reconnect opens the gateway again (discordgo resumes the session) with a
// doubling wait, until it works, ctx ends or Discord refuses for good.
func (a *Adapter) reconnect(ctx context.Context) error {
	wait := a.backoff
	for {
		code := int(a.lastClose.Load())
		if fatalClose(code) {
			return fmt.Errorf("gateway refused the session (close %d)", code)
		}
		a.log.Warn("gateway connection lost, reconnecting", "close_code", code)
		err := a.open()
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			return nil
		}
		if code, ok := closeCode(err); ok && fatalClose(code) {
			return fmt.Errorf("gateway refused the session (close %d): %w", code, err)
		}
		a.log.Warn("gateway reconnect failed", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(wait*2, 2*time.Minute)
	}
}

// open connects once. When Discord refused the Message Content intent,
// on this attempt or on the connection before, it says so and connects
// without it, so slash commands keep working.
func (a *Adapter) open() error {
	a.openMu.Lock()
	defer a.openMu.Unlock()
	if a.lastClose.Swap(0) == closeDisallowedIntents {
		a.dropContentIntent()
	}
	err := a.dialled(a.session.Open())
	if code, ok := closeCode(err); !ok || code != closeDisallowedIntents || !a.contentIntent.Load() {
		return err
	}
	a.lastClose.Store(0)
	a.dropContentIntent()
	return a.dialled(a.session.Open())
}

func (a *Adapter) dropContentIntent() {
	if !a.contentIntent.Swap(false) {
		return
	}
	a.log.Error("Discord refused the Message Content intent (close 4014): enable it in the developer portal " +
		"under Bot > Privileged Gateway Intents; until then only /vss and messages that mention the bot are answered")
	a.session.Identify.Intents = baseIntents
}

// closeCode extracts a gateway close code from an Open error.
func closeCode(err error) (int, bool) {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Code, true
	}
	return 0, false
}

// fatalClose reports close codes after which reconnecting cannot help:
// authentication failed, invalid shard, sharding required, invalid API
// version, invalid intents.
func fatalClose(code int) bool {
	switch code {
	case 4004, 4010, 4011, 4012, 4013:
		return true
	}
	return false
}

func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	if r.User != nil {
		a.selfID.Store(r.User.ID)
	}
	a.connected.Store(true)
	a.log.Info("gateway ready", "session", r.SessionID, "content_intent", a.contentIntent.Load())
}

func (a *Adapter) onResumed(_ *discordgo.Session, _ *discordgo.Resumed) {
	a.connected.Store(true)
}

// Ready reports whether the gateway session is up: false from a dropped
// connection until READY or RESUMED on the next one.
func (a *Adapter) Ready() bool { return a.connected.Load() }

func (a *Adapter) onDisconnect(_ *discordgo.Session, _ *discordgo.Disconnect) {
	a.connected.Store(false)
	select {
	case a.dropped <- struct{}{}:
	default:
	}
}

func (a *Adapter) self() string { return a.selfID.Load().(string) }
