// Package dedup shares event de-duplication between replicas through Redis:
// the first replica to claim an event id answers it, a platform retry sent
// to any replica is dropped, and a claim whose answer was not delivered is
// released so the retry is answered. When Redis is down or slow it reports
// an error at once, and the caller falls back to its own memory; a probe
// notices when Redis is back.
package dedup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/vssbot/vssbot/internal/outage"

	"github.com/redis/go-redis/v9"
)

// Config is the redis.* settings.
type Config struct {
	// URL is redis://[user:password@]host:port/db (rediss:// for TLS);
	// empty keeps de-duplication in each process's memory.
	URL string `mapstructure:"url"`
	// Expiry is how long an answered event id is remembered: longer than
	// the platforms' retry schedules.
	Expiry time.Duration `mapstructure:"expiry"`
	// Lease is how long an event being answered stays claimed without its
	// answer: a replica killed mid-answer gives the event up after it.
	Lease time.Duration `mapstructure:"lease"`
	// Timeout bounds each Redis command; slower counts as down.
	Timeout time.Duration `mapstructure:"timeout"`
	// Prefix starts every key, so replicas of one bot share keys and other
	// users of the server do not collide.
	Prefix string `mapstructure:"prefix"`
}

// Defaults.
const (
	DefaultExpiry  = 10 * time.Minute
	DefaultLease   = 2 * time.Minute
	DefaultTimeout = 200 * time.Millisecond
	DefaultPrefix  = "vssbot:event:"
	minExpiry      = 10 * time.Minute
)

// ErrInvalid is wrapped by every error of Validate.
var ErrInvalid = errors.New("invalid setting")

// Validate checks the settings without connecting.
func (c Config) Validate() error {
	if c.URL != "" {
		if _, err := redis.ParseURL(c.URL); err != nil {
			return fmt.Errorf("%w: redis.url: %v", ErrInvalid, err)
		}
	}
	switch {
	case c.Expiry < minExpiry:
		return fmt.Errorf("%w: redis.expiry %s: at least %s, longer than the platforms retry", ErrInvalid, c.Expiry, minExpiry)
	case c.Lease <= 0 || c.Lease > c.Expiry:
		return fmt.Errorf("%w: redis.lease %s: above zero and at most redis.expiry", ErrInvalid, c.Lease)
	case c.Timeout <= 0 || c.Timeout > 10*time.Second:
		return fmt.Errorf("%w: redis.timeout %s: above zero, at most 10s", ErrInvalid, c.Timeout)
	case c.Prefix == "":
		return fmt.Errorf("%w: redis.prefix is empty", ErrInvalid)
	}
	return nil
}

// ErrUnavailable is returned while Redis is down: the caller de-duplicates
// locally.
var ErrUnavailable = errors.New("dedup: redis unavailable")

// Shared claims event ids in Redis. It is safe for concurrent use.
type Shared struct {
	rdb    *redis.Client
	cfg    Config
	owner  string // this process's claim value
	log    *slog.Logger
	health *outage.Watch // down while Redis fails; probed back by Ping
}

// New connects lazily: a Redis down at start is an outage like any other.
func New(cfg Config, log *slog.Logger) (*Shared, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.URL == "" {
		return nil, errors.New("dedup: redis.url is empty")
	}
	opt, err := redis.ParseURL(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("dedup: %w", err)
	}
	// The caller's timeout governs; the client must not retry behind it.
	opt.MaxRetries = -1
	opt.DialTimeout = max(cfg.Timeout, 500*time.Millisecond)
	opt.ReadTimeout = cfg.Timeout
	opt.WriteTimeout = cfg.Timeout
	opt.ContextTimeoutEnabled = true
	if log == nil {
		log = slog.Default()
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	s := &Shared{
		rdb:   redis.NewClient(opt),
		cfg:   cfg,
		owner: "claimed:" + hex.EncodeToString(b[:]),
		log:   log,
	}
	s.health = outage.New(func() error { return s.Ping(context.Background()) }, log,
		"redis reachable again: de-duplication is shared")
	return s, nil
}

// Close stops the probe and the connections.
func (s *Shared) Close() error {
	s.health.Close()
	return s.rdb.Close()
}

// Degraded reports whether Redis is currently treated as down.
func (s *Shared) Degraded() bool { return s.health.Down() }

// Outages counts the times Redis went down.
func (s *Shared) Outages() int64 { return s.health.Outages() }

// Ping checks Redis within the timeout.
func (s *Shared) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	return s.rdb.Ping(ctx).Err()
}

// Check pings Redis and, when it does not answer, starts an outage as a
// failed command would: degraded from the start, probed until it answers.
func (s *Shared) Check(ctx context.Context) error {
	if s.health.Down() {
		return ErrUnavailable
	}
	if err := s.Ping(ctx); err != nil {
		return s.failed(err)
	}
	return nil
}

// Claim takes id for this replica for the lease. claimed is false when
// another claim (this replica's or another's) holds it. While Redis is down
// it returns ErrUnavailable without waiting.
func (s *Shared) Claim(ctx context.Context, id string) (claimed bool, err error) {
	if s.health.Down() {
		return false, ErrUnavailable
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	err = s.rdb.SetArgs(ctx, s.cfg.Prefix+id, s.owner, redis.SetArgs{Mode: "NX", TTL: s.cfg.Lease}).Err()
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, redis.Nil):
		return false, nil
	}
	return false, s.failed(err)
}

// Done marks id answered, remembered for the expiry.
func (s *Shared) Done(ctx context.Context, id string) error {
	if s.health.Down() {
		return ErrUnavailable
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if err := s.rdb.Set(ctx, s.cfg.Prefix+id, "answered", s.cfg.Expiry).Err(); err != nil {
		return s.failed(err)
	}
	return nil
}

// release deletes a key only while it still holds this replica's claim: an
// answered mark, or another replica's claim taken after the lease ran out,
// stays.
var release = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// Release gives id up so the platform's retry, to any replica, is answered.
func (s *Shared) Release(ctx context.Context, id string) error {
	if s.health.Down() {
		return ErrUnavailable
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if err := release.Run(ctx, s.rdb, []string{s.cfg.Prefix + id}, s.owner).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return s.failed(err)
	}
	return nil
}

// failed turns a command error into an outage: logged once, probed until
// Redis answers again.
func (s *Shared) failed(err error) error {
	if s.health.Fail(err.Error()) {
		s.log.Warn("redis unreachable: de-duplication falls back to this process's memory until it is back", "err", err)
	}
	return fmt.Errorf("%w: %v", ErrUnavailable, err)
}
