package acceptance

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReleaseGoInStep keeps the Go that builds releases the same in the CI
// script that scans and builds them, go.mod's toolchain, the Dockerfile and
// CONTRIBUTING.md.
func TestReleaseGoInStep(t *testing.T) {
	ci := read(t, ".ci/supply")
	m := regexp.MustCompile(`(?m)^release_go=go(\d+\.\d+\.\d+)$`).FindStringSubmatch(ci)
	if m == nil {
		t.Fatal(".ci/supply sets no release_go=goX.Y.Z")
	}
	v := m[1]
	if !strings.Contains(read(t, "Dockerfile"), "FROM golang:"+v+" AS build") {
		t.Errorf("Dockerfile's builder is not golang:%s", v)
	}
	if !regexp.MustCompile(`(?m)^toolchain go` + regexp.QuoteMeta(v) + `$`).MatchString(read(t, "go.mod")) {
		t.Errorf("go.mod names no toolchain go%s: a plain go build would use whatever Go is installed", v)
	}
	if !strings.Contains(read(t, "CONTRIBUTING.md"), "GOTOOLCHAIN=go"+v) {
		t.Errorf("CONTRIBUTING.md does not say that go%s builds releases", v)
	}
	// go1.26.8's standard library has vulnerabilities the code reaches.
	if v == "1.26.8" {
		t.Errorf("releases built with go%s, which has known reachable vulnerabilities", v)
	}
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
