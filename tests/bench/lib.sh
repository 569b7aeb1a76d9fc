# shellcheck shell=bash
# Shared shell functions of dpkit's benchmarks (sourced, not run).
#
#   bench_stats                  numbers on stdin -> "min X median Y max Z"
#   bench_median                 numbers on stdin -> the median
#   bench_on_exit CMD            run CMD (a string) at exit, last first
#   bench_veth NS1 IF1 NS2 IF2   a veth pair between two namespaces, up
#   bench_addr NS IF ADDR/LEN    an address on an interface
#   bench_udp_mpps SNS DST RNS RIF
#                                64-byte UDP from SNS to DST for $SECS s
#                                (tests/helpers/fastpath-send, pinned to
#                                $CPU_SEND): Mpps counted by RIF's
#                                rx_packets in RNS
#   bench_tcp_gbps CNS SNS DST   one iperf3 TCP stream, $SECS s: Gbit/s
#   bench_cpu_ticks PID          user+system clock ticks of a process
#   bench_callgrind_ipp MASKS    fast path instructions per packet, from
#                                tests/helpers/fastpath-bench under callgrind
#   bench_ovs_start NS P1 P2     a private Open vSwitch 3 (datapath_type=
#                                netdev) in NS, ports P1 and P2 as OpenFlow
#                                ports 1 and 2 with in_port->output flows
#   bench_need NAME FILE...      exit with "NAME: FILE missing" unless
#                                every FILE is executable
#
# Sourcing sets BUILD (absolute; default build), H (the helpers'
# directory), CPU_SEND and CPU_SW (senders on CPU 0, userspace switches on
# CPU 1 when there is one) and puts $BUILD/bin first on PATH.  Callers set
# SECS.

bench_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$bench_top/$BUILD ;; esac
H=$BUILD/tests/helpers
CPU_SEND=0
CPU_SW=$(($(nproc) > 1 ? 1 : 0))
export PATH=$BUILD/bin:$PATH

bench_need() {
	local name=$1 p
	shift
	for p in "$@"; do
		[ -x "$p" ] || { echo "$name: $p missing: run make build" >&2; exit 1; }
	done
}

bench_stats() {
	sort -g | awk '{ a[NR] = $1 } END {
		if (NR == 0) { printf "no data"; exit }
		printf "min %.3f median %.3f max %.3f", a[1], a[int((NR + 1) / 2)], a[NR] }'
}

bench_median() {
	sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'
}

BENCH_EXIT=()
bench_on_exit() {
	BENCH_EXIT+=("$1")
}
bench_run_exit() {
	local i
	for ((i = ${#BENCH_EXIT[@]} - 1; i >= 0; i--)); do
		eval "${BENCH_EXIT[i]}" >/dev/null 2>&1
	done
	BENCH_EXIT=()
}
trap bench_run_exit EXIT

bench_veth() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" &&
	ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

bench_addr() {
	ip -n "$1" addr add "$3" dev "$2"
}

bench_udp_mpps() {
	local a b t0 t1
	ip netns exec "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1
	a=$(ip netns exec "$3" cat "/sys/class/net/$4/statistics/rx_packets")
	t0=$(date +%s.%N)
	ip netns exec "$1" taskset -c "$CPU_SEND" "$H/fastpath-send" "$2" 9 \
		100000000 "$SECS" >/dev/null
	t1=$(date +%s.%N)
	b=$(ip netns exec "$3" cat "/sys/class/net/$4/statistics/rx_packets")
	awk -v a="$a" -v b="$b" -v t0="$t0" -v t1="$t1" \
		'BEGIN { printf "%.6f\n", (b - a) / (t1 - t0) / 1000000 }'
}

bench_tcp_gbps() {
	local srv
	timeout $((SECS + 10)) ip netns exec "$2" iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
	srv=$!
	sleep 0.5
	timeout $((SECS + 8)) ip netns exec "$1" taskset -c "$CPU_SEND" \
		iperf3 -c "$3" -p 5201 -t "$SECS" -f g 2>/dev/null |
		awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /Gbits/) print $i }'
	wait "$srv"
}

bench_cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

bench_callgrind_ipp() {
	local a b f
	f=$(mktemp)
	valgrind --tool=callgrind --callgrind-out-file="$f" \
		"$H/fastpath-bench" -n 20000 -m "$1" >/dev/null 2>&1
	a=$(awk '/^(summary|totals):/ { print $2; exit }' "$f")
	valgrind --tool=callgrind --callgrind-out-file="$f" \
		"$H/fastpath-bench" -n 120000 -m "$1" >/dev/null 2>&1
	b=$(awk '/^(summary|totals):/ { print $2; exit }' "$f")
	rm -f "$f"
	echo $(((b - a) / 100000))
}

# Open vSwitch in its own namespace and directory, so that its tap devices
# and files never clash with anything else.
bench_ovs_start() {
	local ns=$1 d V
	command -v ovs-vswitchd >/dev/null && command -v ovsdb-tool >/dev/null ||
		return 1
	d=$(mktemp -d)
	export BENCH_OVS_DIR=$d  # callers find the pidfiles there
	bench_on_exit "for f in $d/vswitchd.pid $d/ovsdb.pid; do [ -f \$f ] && kill \$(cat \$f); done; sleep 0.5; rm -rf $d"
	export OVS_RUNDIR=$d OVS_DBDIR=$d OVS_LOGDIR=$d OVS_SYSCONFDIR=$d
	ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema || return 1
	ip netns exec "$ns" ovsdb-server "$d/conf.db" --remote=punix:"$d/db.sock" \
		--pidfile="$d/ovsdb.pid" --detach --log-file="$d/ovsdb.log" || return 1
	V="ovs-vsctl --db=unix:$d/db.sock"
	$V --no-wait init || return 1
	ip netns exec "$ns" taskset -c "$CPU_SW" ovs-vswitchd unix:"$d/db.sock" \
		--pidfile="$d/vswitchd.pid" --detach --disable-system \
		--log-file="$d/vswitchd.log" || return 1
	$V add-br br0 -- set bridge br0 datapath_type=netdev &&
	$V add-port br0 "$2" -- set interface "$2" ofport_request=1 &&
	$V add-port br0 "$3" -- set interface "$3" ofport_request=2 &&
	$V set Open_vSwitch . other_config:max-idle=600000 || return 1
	ip netns exec "$ns" ovs-ofctl del-flows br0 &&
	ip netns exec "$ns" ovs-ofctl add-flow br0 in_port=1,actions=output:2 &&
	ip netns exec "$ns" ovs-ofctl add-flow br0 in_port=2,actions=output:1
}
