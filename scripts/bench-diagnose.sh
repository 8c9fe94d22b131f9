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

# timed runs a command under /usr/bin/time -v (for peak RSS in $work/$1.txt)
# and prints its wall seconds, measured finer than time's 10 ms.
timed() {
	local name=$1
	shift
	local t0=$EPOCHREALTIME
	/usr/bin/time -v "$@" >"$work/$name.out" 2>"$work/$name.txt" || true
	local t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }'
}
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }

echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-20s %6s %9s %11s %7s %8s %9s %s\n' class:encoding MiB vssbot_s vssbot_MB/s rss_MB grep_s vs_grep found
for run in "${runs[@]}"; do
	class=${run%%:*} enc=${run#*:}
	log="$work/$class-$enc.log"
	"$work/genlog" -size "${size}MiB" -class "$class" -enc "$enc" >"$log"
	bytes=$(stat -c %s "$log")
	cat "$log" >/dev/null # warm the page cache for both runs alike
	gs=$(timed grep grep -ciE 'writer failure code|0x8004' "$log")
	vs=$(timed vssbot "$work/vssbot" diagnose --format json "$log")
	found=yes
	grep -q '"0x800423f2"' "$work/vssbot.out" || found=MISSED
	awk -v r="$run" -v b="$bytes" -v vs="$vs" -v gs="$gs" -v rss="$(rss "$work/vssbot.txt")" -v f="$found" 'BEGIN {
		printf "%-20s %6.0f %9.3f %11.0f %7s %8.3f %8.2fx %s\n", r, b / 1048576, vs, b / 1e6 / vs, rss, gs, vs / gs, f
	}'
done
echo "vs_grep = vssbot seconds / grep seconds (below 1: vssbot is faster)"
