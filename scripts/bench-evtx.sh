#!/usr/bin/env bash
# Whole-process figures for `vssbot diagnose` on a large .evtx made of the real
# System log's chunks (../shared/evtx/system.evtx) with one VSS and one VolSnap
# record at the very end: wall time, throughput and peak RSS (from
# /usr/bin/time -v), from a file and streamed through a pipe, compared in the
# same run with grep -c for "volsnap" in UTF-16 on the same file.
#
#   scripts/bench-evtx.sh [SIZE_MiB]
#   scripts/bench-evtx.sh 1024
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1024}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/vssbot" .
go build -o "$work/genevtx" ./internal/devtools/genevtx
log="$work/System.evtx"
"$work/genevtx" -from ../shared/evtx/system.evtx -size "${size}MiB" >"$log"
bytes=$(stat -c %s "$log")

elapsed() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }

cat "$log" >/dev/null # warm the page cache for every run alike
/usr/bin/time -v "$work/vssbot" diagnose --format json "$log" >"$work/file.json" 2>"$work/file.txt"
/usr/bin/time -v sh -c "cat '$log' | '$work/vssbot' diagnose --format json -" >"$work/pipe.json" 2>"$work/pipe.txt"
for out in file pipe; do
	grep -q '"provider": "VolSnap"' "$work/$out.json" || { echo "vssbot missed the VolSnap event ($out)" >&2; exit 1; }
done
/usr/bin/time -v env LC_ALL=C grep -c -a -i 'v.o.l.s.n.a.p' "$log" >/dev/null 2>"$work/grep.txt" || true

printf '%-6s %7s %9s %10s %8s %9s %8s\n' input MiB vssbot_s vssbot_MB/s rss_MB grep_s ratio
gs=$(elapsed "$work/grep.txt")
for out in file pipe; do
	vs=$(elapsed "$work/$out.txt")
	awk -v e="$out" -v b="$bytes" -v vs="$vs" -v gs="$gs" -v rss="$(rss "$work/$out.txt")" 'BEGIN {
		printf "%-6s %7.0f %9.2f %10.0f %8s %9.2f %7.2fx\n", e, b / 1048576, vs, b / 1e6 / vs, rss, gs, gs / vs
	}'
done
echo "ratio = grep seconds / vssbot seconds (above 1: vssbot is faster); pipe RSS includes sh and cat"
