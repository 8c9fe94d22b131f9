package memory

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Migrations are NNNN_name.sql files, applied in order, each once, never
// edited after release: a change is a new file. A later issue adds its
// tables the same way.
//
//go:embed migrations/*.sql
var migrations embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// lockKey is the PostgreSQL advisory lock serialising replicas that start
// together ("vssbot" in ASCII).
const lockKey = 0x767373626f74

func loadMigrations() ([]migration, error) {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, f := range files {
		base := path.Base(f)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", base)
		}
		b, err := migrations.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share a number", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// migrate applies the missing migrations in one transaction that holds the
// database's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory
// lock), so replicas starting at once apply each migration exactly once and
// the others wait, then see it done.
func (s *Team) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("memory: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("memory: begin migration: %w", err)
	}
	defer tx.Rollback()
	if s.d.name == postgres.name {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(lockKey)); err != nil {
			return fmt.Errorf("memory: migration lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("memory: schema_migrations: %w", err)
	}
	done, err := appliedVersions(ctx, tx)
	if err != nil {
		return err
	}
	if latest := slices.Max(append(done, 0)); len(ms) > 0 && latest > ms[len(ms)-1].version {
		// Forward only: an older binary never touches a newer schema.
		return fmt.Errorf("memory: database schema is at version %d, this vssbot knows up to %d: upgrade vssbot", latest, ms[len(ms)-1].version)
	}
	for _, m := range ms {
		if slices.Contains(done, m.version) {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("memory: migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
			m.version, m.name, millis(time.Now())); err != nil {
			return fmt.Errorf("memory: record migration %s: %w", m.name, err)
		}
		s.log.Info("memory migrated", "dialect", s.d.name, "migration", m.name)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("memory: commit migrations: %w", err)
	}
	return nil
}

func appliedVersions(ctx context.Context, tx *sql.Tx) ([]int, error) {
	rows, err := tx.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("memory: read schema_migrations: %w", err)
	}
	defer rows.Close()
	var vs []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("memory: read schema_migrations: %w", err)
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}
