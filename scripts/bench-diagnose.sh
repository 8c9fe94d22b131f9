#!/usr/bin/env bash
# Whole-process figures for `vssbot diagnose` on generated logs of every
# loggen class (each with one VSS failure near the end): wall time,
# throughput and peak RSS (from /usr/bin/time -v), compared in the same run
# with grep -ciE 'writer failure code|0x8004' on the same file.
#
#   scripts/bench-diagnose.sh [SIZE_MiB] [CLASS:ENCODING...]
#   scripts/bench-diagnose.sh 256 taskhex:utf-8 japanese:shift_jis
#   RUNS=5 scripts/bench-diagnose.sh 32
#
# Each pair runs RUNS times (default 3), grep and vssbot in turn, and the
# run with the median vssbot wall time is printed beside the median grep
# time: one run of a few tens of ms says little on a shared machine.
# Without CLASS:ENCODING it runs every class in utf-8 and utf-16le, and the
# Japanese class in shift_jis (CP932). VSSBOT=path measures another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-256}
shift || true
runs=("$@")
if [ ${#runs[@]} -eq 0 ]; then
	for c in filler taskhex eventapp eventxml eventcsv japanese; do runs+=("$c:utf-8" "$c:utf-16le"); done
	runs+=("japanese:shift_jis")
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${VSSBOT:-}" ]; then cp "$VSSBOT" "$work/vssbot"; else go build -o "$work/vssbot" .; fi
go build -o "$work/genlog" ./internal/devtools/genlog

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
# cpu prints the user+system seconds of a /usr/bin/time -v report: on a
# shared, loaded machine CPU time says more than wall time.
cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"; }

echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-20s %5s %8s %7s %7s %7s %7s %7s %8s %8s %s\n' class:encoding MiB wall_s MB/s cpu_s cpuMB/s rss_MB grep_s grep_cpu vs_grep found
for run in "${runs[@]}"; do
	class=${run%%:*} enc=${run#*:}
	log="$work/$class-$enc.log"
	"$work/genlog" -size "${size}MiB" -class "$class" -enc "$enc" >"$log"
	bytes=$(stat -c %s "$log")
	cat "$log" >/dev/null # warm the page cache for both runs alike
	gss=() vss=()
	for ((k = 0; k < ${RUNS:-3}; k++)); do
		gss+=("$(timed grep grep -ciE 'writer failure code|0x8004' "$log")")
		vss+=("$(timed "vssbot$k" "$work/vssbot" diagnose --format json "$log")")
	done
	gs=$(printf '%s\n' "${gss[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	vs=$(printf '%s\n' "${vss[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	for ((k = 0; k < ${RUNS:-3}; k++)); do # the median run's report
		if [ "${vss[k]}" = "$vs" ]; then
			cp "$work/vssbot$k.txt" "$work/vssbot.txt"
			cp "$work/vssbot$k.out" "$work/vssbot.out"
		fi
	done
	found=yes
	grep -q '"0x800423f2"' "$work/vssbot.out" || found=MISSED
	awk -v r="$run" -v b="$bytes" -v vs="$vs" -v gs="$gs" -v rss="$(rss "$work/vssbot.txt")" -v f="$found" \
		-v vc="$(cpu "$work/vssbot.txt")" -v gc="$(cpu "$work/grep.txt")" 'BEGIN {
		if (vc == 0) vc = 0.01
		printf "%-20s %5.0f %8.3f %7.0f %7.2f %7.0f %7s %7.3f %8.2f %7.2fx %s\n", r, b / 1048576, vs, b / 1e6 / vs, vc, b / 1e6 / vc, rss, gs, gc, vs / gs, f
	}'
done
echo "median of ${RUNS:-3} runs each; vs_grep = vssbot wall seconds / grep wall seconds (below 1: vssbot is faster); cpu = user+system"
