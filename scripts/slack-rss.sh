#!/bin/sh
# Peak resident memory of the Slack adapter and the engine answering 20
# attachments of 50 MB shared at once, through the fake Slack on loopback
# (target: under 200 MB). Extra arguments go to the program, e.g.
# -files 40 -size 20000000.
set -eu
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/rsscheck" ./internal/devtools/rsscheck
if [ -x /usr/bin/time ]; then
	# The program prints its own VmHWM; time -v confirms it from outside.
	/usr/bin/time -v "$dir/rsscheck" "$@" 2>"$dir/time.txt"
	grep -E 'Maximum resident set size|Elapsed' "$dir/time.txt"
else
	"$dir/rsscheck" "$@"
fi
