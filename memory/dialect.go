package memory

import (
	"database/sql"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// dialect is what differs between SQLite and PostgreSQL. Queries are written
// once with ? placeholders.
type dialect struct {
	name string
	open func(dsn string) (*sql.DB, error)
	// rebind turns ? placeholders into the driver's.
	rebind func(q string) string
}

var sqlite = dialect{
	name:   "sqlite",
	open:   openSQLite,
	rebind: func(q string) string { return q },
}

var postgres = dialect{
	name: "postgres",
	open: func(dsn string) (*sql.DB, error) {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
		db.SetConnMaxIdleTime(5 * time.Minute)
		return db, nil
	},
	rebind: dollars,
}

// openSQLite opens the file in WAL mode with a busy timeout, and takes the
// write lock when a transaction begins (BEGIN IMMEDIATE), so processes and
// goroutines sharing the file wait their turn instead of failing with
// SQLITE_BUSY halfway through.
func openSQLite(dsn string) (*sql.DB, error) {
	path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, err
	}
	if q.Get("_txlock") == "" {
		q.Set("_txlock", "immediate")
	}
	if !hasPragma(q, "busy_timeout") {
		q.Add("_pragma", "busy_timeout(10000)")
	}
	if !hasPragma(q, "journal_mode") {
		q.Add("_pragma", "journal_mode(WAL)")
	}
	if !hasPragma(q, "foreign_keys") {
		q.Add("_pragma", "foreign_keys(1)")
	}
	if !hasPragma(q, "synchronous") {
		q.Add("_pragma", "synchronous(NORMAL)")
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// One writer at a time is SQLite's rule; one connection makes it the
	// pool's too, so writers queue in Go rather than spin on the lock.
	db.SetMaxOpenConns(1)
	return db, nil
}

func hasPragma(q url.Values, name string) bool {
	for _, p := range q["_pragma"] {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(p)), name) {
			return true
		}
	}
	return false
}

// dollars numbers ? placeholders as $1, $2... Queries here hold no ? in
// string literals.
func dollars(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
