// Package memory is the team memory: what every answer found (never the log
// text), and what users said of it, kept in SQLite or PostgreSQL behind one
// API. Its schema is embedded and migrated forward at Open.
package memory

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vssbot/vssbot/internal/outage"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Off is the DSN that turns the team memory off.
const Off = "off"

// Config is the team memory's settings: the memory.* keys, also read under
// their old names stats.* (see config).
type Config struct {
	// DSN is an SQLite file path (or file: URI), a postgres:// URL, or
	// "off". Empty means stats.db (the file's name
	// from before the keys were renamed) in the user's state directory.
	DSN string `mapstructure:"dsn"`
	// Retention is how long answers are kept; a daily purge removes older
	// ones. Zero keeps everything.
	Retention time.Duration `mapstructure:"retention"`
	// FileNames allows recording the names of files users sent.
	FileNames bool `mapstructure:"file_names"`
	// ConnectTimeout bounds opening a connection to PostgreSQL.
	ConnectTimeout time.Duration `mapstructure:"connect_timeout"`
	// Scope is what `/vss stats` and team notes show a workspace:
	// "workspace" (its own) or "all" (every workspace's, for an operator
	// serving one organisation).
	Scope string `mapstructure:"scope"`
	// StatementTimeout bounds each read or write of the team memory, so an
	// answer never waits longer on it; slower counts as down. Zero is no
	// bound: the settings give DefaultStatementTimeout, a program using the
	// store directly chooses.
	StatementTimeout time.Duration `mapstructure:"statement_timeout"`
}

// Defaults for Config.
const (
	DefaultRetention        = 365 * 24 * time.Hour
	minRetention            = 24 * time.Hour
	DefaultConnectTimeout   = 2 * time.Second
	DefaultStatementTimeout = time.Second
	maxTimeout              = time.Minute
)

// ErrInvalid is wrapped by every error of Validate.
var ErrInvalid = errors.New("invalid setting")

// Validate checks the settings without opening anything.
func (c Config) Validate() error {
	if c.Retention < 0 || (c.Retention > 0 && c.Retention < minRetention) {
		return fmt.Errorf("%w: memory.retention %s: 0 (keep everything) or at least %s", ErrInvalid, c.Retention, minRetention)
	}
	if c.ConnectTimeout != 0 && (c.ConnectTimeout < time.Second || c.ConnectTimeout > maxTimeout) {
		return fmt.Errorf("%w: memory.connect_timeout %s: from 1s to %s (PostgreSQL counts it in seconds); 0 for the default", ErrInvalid, c.ConnectTimeout, maxTimeout)
	}
	if c.StatementTimeout < 0 || c.StatementTimeout > maxTimeout {
		return fmt.Errorf("%w: memory.statement_timeout %s: at most %s, 0 for none", ErrInvalid, c.StatementTimeout, maxTimeout)
	}
	if err := validScope(c.Scope); err != nil {
		return err
	}
	if c.DSN == "" || c.Off() {
		return nil
	}
	if _, _, err := parseDSN(c.DSN); err != nil {
		return fmt.Errorf("%w: memory.dsn: %v", ErrInvalid, err)
	}
	return nil
}

// Off reports whether the team memory is off.
func (c Config) Off() bool { return strings.EqualFold(strings.TrimSpace(c.DSN), Off) }

// Team is an open team memory: it records answers, feedback and notes and
// reports on them. It is safe for concurrent use.
type Team struct {
	db  *sql.DB
	d   dialect
	cfg Config
	log *slog.Logger

	health   *outage.Watch // down while the database fails; probed back by ready
	mu       sync.Mutex    // guards migrated
	migrated bool
}

// Open connects, applies the migrations this binary knows, and returns the
// team memory. Several processes may Open the same database at once. A database
// that does not answer within memory.connect_timeout is an error.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Team, error) {
	s, err := newTeam(cfg, log)
	if err != nil {
		return nil, err
	}
	if err := s.start(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenServing is Open for a server, which must not wait on the team memory:
// a database that cannot be reached leaves the team memory down (Degraded says
// why, every call fails at once with ErrUnavailable) and migrated in the
// background once it answers. A defect of the settings or the schema is
// still an error.
func OpenServing(ctx context.Context, cfg Config, log *slog.Logger) (*Team, error) {
	s, err := newTeam(cfg, log)
	if err != nil {
		return nil, err
	}
	err = s.start(ctx)
	var down unreachable
	switch {
	case errors.As(err, &down):
		s.fail(down.Error())
	case err != nil:
		s.Close()
		return nil, err
	}
	return s, nil
}

func newTeam(cfg Config, log *slog.Logger) (*Team, error) {
	if cfg.Off() {
		return nil, errors.New("memory: memory.dsn is off")
	}
	if log == nil {
		log = slog.Default()
	}
	cfg.ConnectTimeout = cmp.Or(cfg.ConnectTimeout, DefaultConnectTimeout)
	cfg.Scope = cmp.Or(strings.ToLower(strings.TrimSpace(cfg.Scope)), ScopeWorkspace)
	dsn := cfg.DSN
	if dsn == "" {
		var err error
		if dsn, err = defaultFile(); err != nil {
			return nil, err
		}
	}
	d, conn, err := parseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("memory: %w", err)
	}
	if d.name == postgres.name {
		conn = withConnectTimeout(conn, cfg.ConnectTimeout)
	}
	db, err := d.open(conn)
	if err != nil {
		return nil, fmt.Errorf("memory: open %s: %w", d.name, err)
	}
	s := &Team{db: db, d: d, cfg: cfg, log: log}
	s.health = outage.New(s.ready, log, "team memory reachable again")
	return s, nil
}

// unreachable is a database that did not answer a ping.
type unreachable struct{ err error }

func (u unreachable) Error() string { return "unreachable: " + u.err.Error() }
func (u unreachable) Unwrap() error { return u.err }

// start pings within the connect timeout, then migrates.
func (s *Team) start(ctx context.Context) error {
	pctx, cancel := context.WithTimeout(ctx, s.cfg.ConnectTimeout)
	err := s.db.PingContext(pctx)
	cancel()
	if err != nil {
		return unreachable{fmt.Errorf("memory: %s: %w", s.d.name, err)}
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	s.migrated = true
	s.mu.Unlock()
	return nil
}

// Close stops the probe and releases the connections.
func (s *Team) Close() error {
	s.health.Close()
	return s.db.Close()
}

// Dialect names the database behind the team memory: "sqlite" or "postgres".
func (s *Team) Dialect() string { return s.d.name }

// Ping checks the database answers.
func (s *Team) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// ErrNoDefaultFile is wrapped when memory.dsn is unset and the default
// file's directory cannot be made (no home directory, a read-only root):
// nobody chose that place, so a server goes on without the team memory.
var ErrNoDefaultFile = errors.New("memory: no memory.dsn, and the default file cannot be made")

// defaultFile is stats.db in $XDG_STATE_HOME/vssbot (~/.local/state/vssbot),
// so a command run anywhere never litters the working directory.
func defaultFile() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("%w: no home directory: %w", ErrNoDefaultFile, err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	dir = filepath.Join(dir, "vssbot")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("%w: %w", ErrNoDefaultFile, err)
	}
	return filepath.Join(dir, "stats.db"), nil
}

// parseDSN picks the dialect from the DSN's form.
func parseDSN(dsn string) (dialect, string, error) {
	dsn = strings.TrimSpace(dsn)
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return dialect{}, "", fmt.Errorf("postgres URL: %w", err)
		}
		// Statistics may lose their last fraction of a second in a
		// database crash; the answer path does not wait for the WAL
		// flush. A DSN saying otherwise wins.
		q := u.Query()
		if q.Get("synchronous_commit") == "" {
			q.Set("synchronous_commit", "off")
			u.RawQuery = q.Encode()
		}
		return postgres, u.String(), nil
	}
	if strings.Contains(dsn, "://") {
		return dialect{}, "", fmt.Errorf("%q: want a file path, file:..., postgres://... or off", redact(dsn))
	}
	if isKeywordDSN(dsn) {
		// libpq's "host=db dbname=vssbot user=bot" form.
		if !strings.Contains(dsn, "synchronous_commit") {
			dsn += " synchronous_commit=off"
		}
		return postgres, dsn, nil
	}
	return sqlite, dsn, nil
}

// isKeywordDSN recognises libpq's key=value connection strings: a file
// path never starts with one of their keys followed by "=".
func isKeywordDSN(dsn string) bool {
	for _, f := range strings.Fields(dsn) {
		key, _, ok := strings.Cut(f, "=")
		switch key {
		case "host", "hostaddr", "dbname", "user", "port", "sslmode":
			if ok {
				return true
			}
		}
	}
	return false
}

// withConnectTimeout adds libpq's connect_timeout (whole seconds) to a
// PostgreSQL DSN that does not set one.
func withConnectTimeout(dsn string, d time.Duration) string {
	secs := strconv.Itoa(int((d + time.Second - 1) / time.Second))
	if strings.Contains(dsn, "connect_timeout") {
		return dsn
	}
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		q := u.Query()
		q.Set("connect_timeout", secs)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " connect_timeout=" + secs
}

// redact hides a password in a URL for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}

// since converts a time to the stored form: Unix milliseconds, the same in
// both databases.
func millis(t time.Time) int64 { return t.UnixMilli() }

// isNoRows reports a query that found nothing.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
