// Command smoke drives the container image's smoke test from the host (run by
// .ci/image, never part of the product):
//
//	smoke proxy DIR ADDR   serve a module cache's cache/download folder as a
//	                       GOPROXY, for `go mod download` inside a build
//	smoke slack [flags]    a fake Slack (the project's slacktest) reachable
//	                       from containers, then one signed event sent to the
//	                       bots: answered once, in its thread, naming the code
//
// The fake Slack listens on loopback (httptest); a TCP relay on -listen lets
// containers on a bridge reach it.
package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: smoke proxy DIR ADDR | smoke slack [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "proxy":
		if len(os.Args) != 4 {
			err = fmt.Errorf("usage: smoke proxy DIR ADDR")
			break
		}
		err = http.ListenAndServe(os.Args[3], http.FileServer(http.Dir(os.Args[2])))
	case "slack":
		err = slackSmoke(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "smoke:", err)
		os.Exit(1)
	}
}
