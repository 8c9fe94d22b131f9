#!/usr/bin/env bash
# Whole-process figures for `vssbot diagnose` on generated logs of every
# loggen class (each with one VSS failure near the end): wall time,
# throughput and peak RSS (from /usr/bin/time -v), compared in the same run
# with grep -ciE 'writer failure code|0x8004' on the same file.
#
#   scripts/bench-diagnose.sh [SIZE_MiB] [CLASS:ENCODING...]
#   scripts/bench-diagnose.sh 256 taskhex:utf-8 japanese:shift_jis
#
# Without CLASS:ENCODING it runs every class in utf-8 and utf-16le, and the
# Japanese class in shift_jis (CP932). VSSBOT=path measures another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-256}
shift || true
runs=("$@")
if [ ${#runs[@]} -eq 0 ]; then
	for c in filler taskhex eventapp japanese; do runs+=("$c:utf-8" "$c:utf-16le"); done
	runs+=("japanese:shift_jis")
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${VSSBOT:-}" ]; then cp "$VSSBOT" "$work/vssbot"; else go build -o "$work/vssbot" .; fi
go build -o "$work/genlog" ./parse/internal/genlog

# elapsed prints the wall seconds of a /usr/bin/time -v report.
elapsed() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }

echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-20s %6s %9s %11s %7s %8s %9s %s\n' class:encoding MiB vssbot_s vssbot_MB/s rss_MB grep_s vs_grep found
for run in "${runs[@]}"; do
	class=${run%%:*} enc=${run#*:}
	log="$work/$class-$enc.log"
	"$work/genlog" -size "${size}MiB" -class "$class" -enc "$enc" >"$log"
	bytes=$(stat -c %s "$log")
	cat "$log" >/dev/null # warm the page cache for both runs alike
	/usr/bin/time -v grep -ciE 'writer failure code|0x8004' "$log" >/dev/null 2>"$work/grep.txt" || true
	/usr/bin/time -v "$work/vssbot" diagnose --format json "$log" >"$work/out.json" 2>"$work/time.txt" || true
	found=yes
	grep -q '"0x800423f2"' "$work/out.json" || found=MISSED
	vs=$(elapsed "$work/time.txt")
	gs=$(elapsed "$work/grep.txt")
	awk -v r="$run" -v b="$bytes" -v vs="$vs" -v gs="$gs" -v rss="$(rss "$work/time.txt")" -v f="$found" 'BEGIN {
		if (vs == 0) vs = 0.005
		if (gs == 0) gs = 0.005
		printf "%-20s %6.0f %9.2f %11.0f %7s %8.2f %8.2fx %s\n", r, b / 1048576, vs, b / 1e6 / vs, rss, gs, vs / gs, f
	}'
done
echo "vs_grep = vssbot seconds / grep seconds (below 1: vssbot is faster)"
