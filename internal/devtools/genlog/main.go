// Command genlog writes a large synthetic log of one of loggen's classes to
// stdout, for measuring the parser's throughput and memory against grep:
//
//	go run ./internal/devtools/genlog -size 256MiB -class taskhex -enc utf-16le > big.log
package main

import (
	"flag"
	"log/slog"
	"os"
	"strings"

	"github.com/vssbot/vssbot/internal/devtools/loggen"
)

func main() {
	size := flag.String("size", "256MiB", "approximate output size (e.g. 64MiB, 1GiB, 1000000)")
	enc := flag.String("enc", "utf-8", "encoding: "+strings.Join(loggen.Encodings, ", "))
	class := flag.String("class", loggen.Filler, "log class: "+strings.Join(loggen.Classes, ", "))
	flag.Parse()
	n, err := loggen.ParseSize(*size)
	if err != nil {
		slog.Error("bad -size", "err", err)
		os.Exit(2)
	}
	if err := loggen.WriteClass(os.Stdout, n, *class, *enc); err != nil {
		slog.Error("write log", "err", err)
		os.Exit(1)
	}
}
