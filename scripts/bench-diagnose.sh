#!/usr/bin/env bash
# Whole-process figures for `vssbot diagnose` on a generated AIP-style log with
# one failed-writer block near the end: wall time, throughput and peak RSS
# (from /usr/bin/time -v), compared in the same run with
# grep -ciE 'writer failure code|0x8004' on the same file.
#
#   scripts/bench-diagnose.sh [SIZE_MiB] [ENCODING...]
#   scripts/bench-diagnose.sh 256 utf-8 utf-16le
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-256}
shift || true
encodings=("$@")
[ ${#encodings[@]} -gt 0 ] || encodings=(utf-8 utf-16le)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/vssbot" .
go build -o "$work/genlog" ./parse/internal/genlog

# elapsed prints the wall seconds of a /usr/bin/time -v report.
elapsed() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }

printf '%-9s %9s %9s %10s %9s %10s %9s\n' encoding MiB vssbot_s vssbot_MB/s rss_MB grep_s ratio
for enc in "${encodings[@]}"; do
	log="$work/aip-$enc.log"
	"$work/genlog" -size "${size}MiB" -enc "$enc" >"$log"
	bytes=$(stat -c %s "$log")
	cat "$log" >/dev/null # warm the page cache for both runs alike
	/usr/bin/time -v "$work/vssbot" diagnose --format json "$log" >"$work/out.json" 2>"$work/time.txt"
	grep -q '"0x800423f2"' "$work/out.json" || { echo "vssbot missed the failure in $enc" >&2; exit 1; }
	/usr/bin/time -v grep -ciE 'writer failure code|0x8004' "$log" >/dev/null 2>"$work/grep.txt" || true
	vs=$(elapsed "$work/time.txt")
	gs=$(elapsed "$work/grep.txt")
	awk -v e="$enc" -v b="$bytes" -v vs="$vs" -v gs="$gs" -v rss="$(rss "$work/time.txt")" 'BEGIN {
		mb = b / 1e6
		printf "%-9s %9.0f %9.2f %10.0f %9s %10.2f %8.2fx\n", e, b / 1048576, vs, mb / vs, rss, gs, gs / vs
	}'
done
echo "ratio = grep seconds / vssbot seconds (above 1: vssbot is faster)"
