#!/bin/bash
# flowtrace against ovs-ofctl parse-pcap and tcpdump, side by side on one
# capture of 1,000,000 mixed packets (tests/bench/mkpcap.py, cached under
# the build directory), all output to /dev/null; then flowtrace and
# ovs-ofctl again on a capture where (nearly) every packet has a key of its
# own, so that flowtrace's cache of key texts cannot help; then the
# extractor alone: its instructions per packet under callgrind and its rate
# in a tight loop.
#
#   tests/bench/flowtrace.sh            (RUNS=3 by default)
#
# Prints min/median/max wall-clock seconds of each command and the ratios
# of the medians.  The machine's load average is printed too: on a shared
# machine compare ratios within one run, not seconds across runs.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
bench=$top/$BUILD/bench
bin=$top/$BUILD/bin
runs=${RUNS:-3}
mkdir -p "$bench"

py=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import scapy' 2>/dev/null; then py=$p; break; fi
done
mixed=$bench/mixed-1m.pcap
distinct=$bench/distinct-1m.pcap
mixed100k=$bench/mixed-100k.pcap
tcp4=$bench/tcp4-100k.pcap
# capture FILE N [OPTIONS...]: write it unless it is there and up to date.
capture() {
	local file=$1 n=$2
	shift 2
	[ -s "$file" ] && [ "$file" -nt tests/bench/mkpcap.py ] && return 0
	[ -n "$py" ] || { echo "flowtrace.sh: needs python3-scapy" >&2; exit 1; }
	echo "writing $file" >&2
	"$py" tests/bench/mkpcap.py "$@" "$file" "$n" 2>/dev/null
}
capture "$mixed" 1000000
capture "$distinct" 1000000 --flows 1000000
capture "$mixed100k" 100000
capture "$tcp4" 100000 --tcp4
[ -x "$bin/flowtrace" ] || { echo "flowtrace.sh: build first (make)" >&2; exit 1; }

packets=1000000
echo "== flowtrace benchmark: $packets packets, $(($(stat -c %s "$mixed") / 1000000)) MB, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$mixed" >/dev/null   # page cache warm

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

# timeit NAME COMMAND...: RUNS runs; wall-clock min/median/max and the
# median CPU time (user + system, all threads).
declare -A med cpu
timeit() {
	local name=$1 i out w c
	shift
	if ! command -v "$1" >/dev/null; then
		printf '%-30s skipped: %s not installed\n' "$name" "$1"
		return
	fi
	local ws=() cs=()
	for ((i = 0; i < runs; i++)); do
		out=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>&1; } 2>&1 ) ||
			{ printf '%-30s failed\n' "$name"; return; }
		read -r w u s <<<"$out"
		ws+=("$w")
		cs+=("$(calc "$u + $s")")
	done
	mapfile -t ws < <(printf '%s\n' "${ws[@]}" | sort -g)
	mapfile -t cs < <(printf '%s\n' "${cs[@]}" | sort -g)
	w=${ws[$(((runs - 1) / 2))]}
	c=${cs[$(((runs - 1) / 2))]}
	med[$name]=$w
	cpu[$name]=$c
	printf '%-30s %6.3f %6.3f %6.3f s  cpu %6.3f s  %5.2f Mpps\n' \
		"$name" "${ws[0]}" "$w" "${ws[$((runs - 1))]}" "$c" \
		"$(calc "$packets / $w / 1000000")"
}

printf '%-30s %6s %6s %6s\n' "" min median max
timeit "flowtrace -f of" "$bin/flowtrace" -f of -r "$mixed"
timeit "flowtrace (dpctl)" "$bin/flowtrace" -r "$mixed"
timeit "flowtrace -f json" "$bin/flowtrace" -f json -r "$mixed"
timeit "flowtrace -f of --unique" "$bin/flowtrace" -f of --unique -r "$mixed"
timeit "ovs-ofctl parse-pcap" ovs-ofctl parse-pcap "$mixed"
timeit "tcpdump -nr" tcpdump -nr "$mixed"

ratio() {   # ratio SLOW FAST
	[ -n "${med[$1]:-}" ] && [ -n "${med[$2]:-}" ] || return 0
	printf '%-30s %5.1fx faster than %s (median wall clock; %.1fx in CPU time)\n' \
		"$2" "$(calc "${med[$1]} / ${med[$2]}")" "$1" \
		"$(calc "${cpu[$1]} / ${cpu[$2]}")"
}
for ft in "flowtrace -f of" "flowtrace (dpctl)"; do
	ratio "ovs-ofctl parse-pcap" "$ft"
	ratio "tcpdump -nr" "$ft"
done

echo "== every packet its own key ($(($(stat -c %s "$distinct") / 1000000)) MB): no help from flowtrace's text cache"
timeit "flowtrace -f of " "$bin/flowtrace" -f of -r "$distinct"
timeit "flowtrace (dpctl) " "$bin/flowtrace" -r "$distinct"
timeit "ovs-ofctl parse-pcap " ovs-ofctl parse-pcap "$distinct"
ratio "ovs-ofctl parse-pcap " "flowtrace -f of "
ratio "ovs-ofctl parse-pcap " "flowtrace (dpctl) "

# The extractor alone: a loop over the capture in memory.
loop=$bench/extract_loop
cc -O2 -g -std=gnu11 -Ilib -o "$loop" tests/bench/extract_loop.c lib/extract.c
for f in "$mixed100k:mixed" "$tcp4:plain TCP/IPv4"; do
	file=${f%%:*} what=${f#*:}
	# 40,000,000 extractions over 2000 packets (in cache); user CPU time
	out=$( { TIMEFORMAT='%U'; time "$loop" "$file" 20000 2000 >/dev/null; } 2>&1 )
	printf '%-30s %6.1f Mpps on one CPU (%.1f ns per packet, user time)\n' \
		"dp_extract, $what" "$(calc "40 / $out")" "$(calc "$out * 25")"
done

if command -v valgrind >/dev/null; then
	for f in "$mixed100k:mixed" "$tcp4:plain TCP/IPv4"; do
		file=${f%%:*} what=${f#*:}
		out=$bench/callgrind.out
		valgrind --tool=callgrind --callgrind-out-file="$out" \
			--toggle-collect=dp_extract "$loop" "$file" >/dev/null 2>&1
		ir=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
		printf '%-30s %6.1f instructions per packet (callgrind, inside dp_extract)\n' \
			"dp_extract, $what" "$(calc "$ir / 100000")"
	done
else
	echo "valgrind not installed: no instruction counts"
fi
