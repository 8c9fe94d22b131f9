// Command genlog writes a large synthetic log of one of loggen's classes to
// stdout, for measuring the parser's throughput and memory against grep:
//
//	go run ./parse/internal/genlog -size 256MiB -class taskhex -enc utf-16le > big.log
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"github.com/vssbot/vssbot/parse/internal/loggen"
)

func main() {
	size := flag.String("size", "256MiB", "approximate output size (e.g. 64MiB, 1GiB, 1000000)")
	enc := flag.String("enc", "utf-8", "encoding: "+strings.Join(loggen.Encodings, ", "))
	class := flag.String("class", loggen.Filler, "log class: "+strings.Join(loggen.Classes, ", "))
	flag.Parse()
	n, err := parseSize(*size)
	if err != nil {
		slog.Error("bad -size", "err", err)
		os.Exit(2)
	}
	if err := loggen.WriteClass(os.Stdout, n, *class, *enc); err != nil {
		slog.Error("write log", "err", err)
		os.Exit(1)
	}
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	for suffix, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if strings.HasSuffix(s, suffix) {
			s, mult = strings.TrimSuffix(s, suffix), m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: want a positive number with an optional KiB/MiB/GiB suffix", s)
	}
	return n * mult, nil
}
