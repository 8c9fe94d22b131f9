package bot_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vssbot/vssbot/bot"
	"github.com/vssbot/vssbot/memory"
	"github.com/vssbot/vssbot/parse"
)

// TestNoLogTextStored: a writer a log names that the knowledge base does
// not know is kept only as a labelled hash; no column of any table holds
// the log's words, while a known writer is kept by the knowledge base's
// name.
func TestNoLogTextStored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stats.db")
	mem, err := memory.Open(context.Background(), memory.Config{DSN: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	e, _ := newEngine(t, bot.Config{Memory: mem}, parse.Limits{})
	const secret = "AKIAIOSFODNN7EXAMPLE-pw=hunter2"
	excerpt := "Writer name: '" + secret + "'\n" +
		"   Writer Id: {11111111-2222-3333-4444-555555555555}\n" +
		"   Writer Instance Id: {66666666-7777-8888-9999-000000000000}\n" +
		"   State: [9] Failed\n" +
		"   Last error: Timed out\n" +
		"Writer name: 'system writer'\n" +
		"   Writer Id: {e8132975-6f93-4464-a53e-1050253ae220}\n" +
		"   Writer Instance Id: {1b1c4a51-1e1b-4a3d-8a5e-3c54d3e1e0a1}\n" +
		"   State: [9] Failed\n" +
		"   Last error: Timed out\n" +
		"Writer Failure code: 0x800423f2\n"
	ev := bot.Event{ID: "EvSecret", Kind: bot.Message, Text: excerpt, User: "U1",
		Target: bot.Target{Platform: "test", Workspace: "T1", Channel: "C1"}}
	if _, ok := e.Answer(context.Background(), ev); !ok {
		t.Fatal("no answer")
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	all := dump(t, db, "answers", "findings", "feedback", "notes")
	for _, word := range []string{"AKIA", "hunter2", "pw="} {
		if strings.Contains(all, word) {
			t.Errorf("stored %q from the log:\n%s", word, all)
		}
	}
	for _, want := range []string{"custom writer ", "System Writer"} {
		if !strings.Contains(all, want) {
			t.Errorf("nothing stored as %q:\n%s", want, all)
		}
	}
}

// dump prints every column of every row of the tables.
func dump(t *testing.T, db *sql.DB, tables ...string) string {
	t.Helper()
	var b strings.Builder
	for _, table := range tables {
		rows, err := db.Query("SELECT * FROM " + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, table, vals)
		}
		rows.Close()
	}
	return b.String()
}
