// Package golden compares a test's output with a golden file and rewrites
// the file when the test runs with its -update flag. Every package's golden
// tests share it, so "what differs" reads the same everywhere.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update is the one -update flag of every test binary that has golden
// files; a package that imports golden must not declare its own.
var update = flag.Bool("update", false, "rewrite the golden files from the output")

// Update reports whether the test runs with -update, for a test that
// rewrites a generated file other than through Check.
func Update() bool { return *update }

// Check fails t when got differs from the file at path. With -update it
// writes got to path first (creating its directory), so the comparison then
// passes and the new file can be reviewed in the diff.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file: %v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update to accept it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
