#!/bin/sh
# Memory that 300 slow, unauthenticated HTTP clients make `vssbot serve` hold
# (Slack HTTP mode, fake Slack, loopback only). VSSBOT_BIN measures another
# build, e.g. an older commit's; extra arguments go to the program
# (-conns, -body, -every, -hold).
set -eu
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
bin=${VSSBOT_BIN:-}
if [ -z "$bin" ]; then
	go build -o "$dir/vssbot" .
	bin="$dir/vssbot"
fi
go build -o "$dir/slowclients" ./internal/devtools/slowclients
"$dir/slowclients" -bin "$bin" "$@"
