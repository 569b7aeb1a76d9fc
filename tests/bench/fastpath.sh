#!/bin/bash
# Benchmarks of the userspace datapath engine (lib/dp):
#  1. instructions per packet of the fast path (parse + flow lookup +
#     execute with output to a null port) under callgrind, in memory;
#     and the same loop's native ns/packet;
#  2. 64-byte UDP packets/s from one network namespace to another through
#     the engine on two veth pairs, against a bare veth pair and (if it is
#     installed) Open vSwitch's userspace datapath (netdev, explicit
#     in_port->output flows), as in shared/notes/ovs-peer.md; the receiver
#     count is the far veth's rx_packets delta; min/median/max of $RUNS.
#     Senders' veths have tx checksum offload off in every case (OVS needs
#     it), so all cases see the same frames;
#  3. CPU time of the switch's process per forwarded packet at a fixed
#     offered load well below saturation (engine in epoll mode, and OVS),
#     which other load on the machine distorts less than packets/s;
#  4. one TCP stream (iperf3) through each, and through the engine again
#     with the veths' default offloads (TSO frames segmented in software;
#     OVS does not pass TCP at all that way).
# Part 2 needs root; it is skipped with the reason otherwise.  Traffic
# stays inside namespaces this script creates and removes.
#   BUILD=build RUNS=3 SECS=3 tests/bench/fastpath.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
H=$BUILD/tests/helpers
RUNS=${RUNS:-3}
SECS=${SECS:-3}

for p in fastpath-bench fastpath-dp fastpath-send; do
	[ -x "$H/$p" ] || { echo "fastpath: $H/$p missing: run make build" >&2; exit 1; }
done

# stats: numbers on stdin -> "min X median Y max Z"
stats() {
	sort -g | awk '{a[NR]=$1} END {
		if (NR == 0) { print "no data"; exit }
		printf "min %.3f median %.3f max %.3f", a[1], a[int((NR+1)/2)], a[NR] }'
}

# --- 1. instructions per packet --------------------------------------------
cg_total() {    # cg_total PACKETS MASKS -> total instructions
	local out
	out=$(mktemp)
	valgrind --tool=callgrind --callgrind-out-file="$out" \
		"$H/fastpath-bench" -n "$1" -m "$2" >/dev/null 2>&1
	awk '/^(summary|totals):/ {print $2; exit}' "$out"
	rm -f "$out"
}

if command -v valgrind >/dev/null; then
	for m in 1 4 8; do
		a=$(cg_total 20000 "$m")
		b=$(cg_total 120000 "$m")
		echo "fastpath: callgrind: parse+lookup+execute(output to null port), $m mask(s): $(( (b - a) / 100000 )) instructions/packet"
	done
else
	echo "fastpath: callgrind: skipped: valgrind is not installed"
fi
for m in 1 8; do
	for _ in $(seq "$RUNS"); do
		"$H/fastpath-bench" -n 5000000 -m "$m" | awk '{print $NF}'
	done | { printf 'fastpath: in-memory loop, %s mask(s), ns/packet: ' "$m"; stats; echo; }
done

# --- 2. packets/s across namespaces ----------------------------------------
if [ "$(id -u)" -ne 0 ]; then
	echo "fastpath: veth pps: skipped: needs root for network namespaces"
	exit 0
fi
S=fpb$$
OVSD=
cleanup() {
	[ -n "${DPID:-}" ] && kill "$DPID" 2>/dev/null
	if [ -n "$OVSD" ]; then
		for f in "$OVSD/vswitchd.pid" "$OVSD/ovsdb.pid"; do
			[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
		done
		sleep 0.5
		rm -rf "$OVSD"
	fi
	for n in "${S}s" "${S}r" "${S}d" "${S}x" "${S}y" "${S}o" "${S}p" "${S}q"; do
		ip netns del "$n" 2>/dev/null
	done
}
trap cleanup EXIT
CPU_SEND=0
CPU_DP=$(( $(nproc) > 1 ? 1 : 0 ))

# Engine topology: ${S}s [s1] -- [s2] ${S}d (datapath) [r2] -- [r1] ${S}r
ip netns add "${S}s"; ip netns add "${S}r"; ip netns add "${S}d"
ip link add s1 netns "${S}s" type veth peer name s2 netns "${S}d"
ip link add r1 netns "${S}r" type veth peer name r2 netns "${S}d"
ip -n "${S}s" addr add 10.66.0.1/24 dev s1
ip -n "${S}r" addr add 10.66.0.2/24 dev r1
ip -n "${S}s" link set s1 up; ip -n "${S}r" link set r1 up
ip -n "${S}d" link set s2 up; ip -n "${S}d" link set r2 up
# Bare topology: ${S}x [x1] -- [y1] ${S}y
ip netns add "${S}x"; ip netns add "${S}y"
ip link add x1 netns "${S}x" type veth peer name y1 netns "${S}y"
ip -n "${S}x" addr add 10.67.0.1/24 dev x1
ip -n "${S}y" addr add 10.67.0.2/24 dev y1
ip -n "${S}x" link set x1 up; ip -n "${S}y" link set y1 up
if command -v ethtool >/dev/null; then
	ip netns exec "${S}s" ethtool -K s1 tx off >/dev/null 2>&1
	ip netns exec "${S}x" ethtool -K x1 tx off >/dev/null 2>&1
fi

# Open vSwitch's userspace datapath, a private instance in ${S}o:
# ${S}p [p1] -- [p2] ${S}o (br0, netdev) [q2] -- [q1] ${S}q
ovs_start() {
	local V
	command -v ovs-vswitchd >/dev/null && command -v ovsdb-tool >/dev/null ||
		return 1
	OVSD=$(mktemp -d)
	export OVS_RUNDIR=$OVSD OVS_DBDIR=$OVSD OVS_LOGDIR=$OVSD OVS_SYSCONFDIR=$OVSD
	ip netns add "${S}o"; ip netns add "${S}p"; ip netns add "${S}q"
	ip link add p1 netns "${S}p" type veth peer name p2 netns "${S}o"
	ip link add q1 netns "${S}q" type veth peer name q2 netns "${S}o"
	ip -n "${S}p" addr add 10.68.0.1/24 dev p1
	ip -n "${S}q" addr add 10.68.0.2/24 dev q1
	ip -n "${S}p" link set p1 up; ip -n "${S}q" link set q1 up
	ip -n "${S}o" link set p2 up; ip -n "${S}o" link set q2 up
	ip netns exec "${S}p" ethtool -K p1 tx off >/dev/null 2>&1
	ip netns exec "${S}q" ethtool -K q1 tx off >/dev/null 2>&1
	ovsdb-tool create "$OVSD/conf.db" /usr/share/openvswitch/vswitch.ovsschema || return 1
	ip netns exec "${S}o" ovsdb-server "$OVSD/conf.db" --remote=punix:"$OVSD/db.sock" \
		--pidfile="$OVSD/ovsdb.pid" --detach --log-file="$OVSD/ovsdb.log" || return 1
	V="ovs-vsctl --db=unix:$OVSD/db.sock"
	$V --no-wait init || return 1
	ip netns exec "${S}o" taskset -c "$CPU_DP" ovs-vswitchd unix:"$OVSD/db.sock" \
		--pidfile="$OVSD/vswitchd.pid" --detach --disable-system \
		--log-file="$OVSD/vswitchd.log" || return 1
	$V add-br br0 -- set bridge br0 datapath_type=netdev &&
	$V add-port br0 p2 -- set interface p2 ofport_request=1 &&
	$V add-port br0 q2 -- set interface q2 ofport_request=2 &&
	$V set Open_vSwitch . other_config:max-idle=600000 || return 1
	ip netns exec "${S}o" ovs-ofctl del-flows br0 &&
	ip netns exec "${S}o" ovs-ofctl add-flow br0 in_port=1,actions=output:2 &&
	ip netns exec "${S}o" ovs-ofctl add-flow br0 in_port=2,actions=output:1
}
have_ovs=0
if ovs_start >/dev/null 2>&1; then have_ovs=1; fi

# one_run SENDER_NS DST RX_NS RX_IF -> Mpps received
one_run() {
	local a b t0 t1
	ip netns exec "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1
	a=$(ip netns exec "$3" cat "/sys/class/net/$4/statistics/rx_packets")
	t0=$(date +%s.%N)
	ip netns exec "$1" taskset -c "$CPU_SEND" "$H/fastpath-send" "$2" 9 100000000 "$SECS" >/dev/null
	t1=$(date +%s.%N)
	b=$(ip netns exec "$3" cat "/sys/class/net/$4/statistics/rx_packets")
	awk -v a="$a" -v b="$b" -v t0="$t0" -v t1="$t1" \
		'BEGIN { printf "%.6f\n", (b - a) / (t1 - t0) / 1000000 }'
}

# engine_run FLAGS: one run through the engine with these driver flags
engine_run() {
	local out
	out=$(mktemp)
	# shellcheck disable=SC2086
	ip netns exec "${S}d" taskset -c "$CPU_DP" "$H/fastpath-dp" $1 \
		"${S}dp" 1=s2 2=r2 -- 1:2 2:1 >"$out" 2>&1 &
	DPID=$!
	for _ in $(seq 50); do grep -q ready "$out" && break; sleep 0.1; done
	one_run "${S}s" 10.66.0.2 "${S}r" r1
	kill "$DPID"; wait "$DPID" 2>/dev/null; DPID=
	rm -f "$out"
}

# Rounds interleave the cases so that load from elsewhere on the machine
# spreads over all of them alike.
res=$(mktemp -d)
for _ in $(seq "$RUNS"); do
	one_run "${S}x" 10.67.0.2 "${S}y" y1 >>"$res/bare"
	engine_run "-b" >>"$res/ring_busy"
	engine_run "-b -M" >>"$res/mmsg_busy"
	engine_run "" >>"$res/ring_epoll"
	[ "$have_ovs" = 1 ] && one_run "${S}p" 10.68.0.2 "${S}q" q1 >>"$res/ovs"
done
# cpu_ticks PID: user+system clock ticks of a process so far
cpu_ticks() {
	awk '{print $14 + $15}' "/proc/$1/stat"
}

# cpu_run SENDER_NS DST RX_NS RX_IF PID -> CPU microseconds per packet
cpu_run() {
	local a b c0 c1 hz
	hz=$(getconf CLK_TCK)
	ip netns exec "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1
	a=$(ip netns exec "$3" cat "/sys/class/net/$4/statistics/rx_packets")
	c0=$(cpu_ticks "$5")
	ip netns exec "$1" taskset -c "$CPU_SEND" "$H/fastpath-send" "$2" 9 100000000 \
		"$SECS" "$CPU_PPS" >/dev/null
	sleep 0.2
	c1=$(cpu_ticks "$5")
	b=$(ip netns exec "$3" cat "/sys/class/net/$4/statistics/rx_packets")
	awk -v c0="$c0" -v c1="$c1" -v hz="$hz" -v a="$a" -v b="$b" \
		'BEGIN { if (b > a) printf "%.6f\n", (c1 - c0) * 1000000 / hz / (b - a) }'
}
CPU_PPS=${CPU_PPS:-100000}
for _ in $(seq "$RUNS"); do
	out=$(mktemp)
	ip netns exec "${S}d" taskset -c "$CPU_DP" "$H/fastpath-dp" \
		"${S}dp" 1=s2 2=r2 -- 1:2 2:1 >"$out" 2>&1 &
	DPID=$!
	for _ in $(seq 50); do grep -q ready "$out" && break; sleep 0.1; done
	cpu_run "${S}s" 10.66.0.2 "${S}r" r1 "$DPID" >>"$res/cpu_engine"
	kill "$DPID"; wait "$DPID" 2>/dev/null; DPID=
	rm -f "$out"
	[ "$have_ovs" = 1 ] &&
		cpu_run "${S}p" 10.68.0.2 "${S}q" q1 "$(cat "$OVSD/vswitchd.pid")" >>"$res/cpu_ovs"
done

echo "fastpath: 64-byte UDP across two namespaces, ${SECS}s runs, received Mpps:"
printf '  bare veth pair:                 '; stats <"$res/bare"; echo
printf '  dpkit engine (tx ring, busy):   '; stats <"$res/ring_busy"; echo
printf '  dpkit engine (sendmmsg, busy):  '; stats <"$res/mmsg_busy"; echo
printf '  dpkit engine (tx ring, epoll):  '; stats <"$res/ring_epoll"; echo
if [ "$have_ovs" = 1 ]; then
	printf '  Open vSwitch 3 netdev datapath: '; stats <"$res/ovs"; echo
else
	echo "  Open vSwitch netdev datapath: skipped: ovs-vswitchd not installed or did not start"
fi
# tcp_run CLIENT_NS SERVER_NS DST -> Gbit/s received
tcp_run() {
	local srv
	timeout $((SECS + 10)) ip netns exec "$2" iperf3 -s -1 >/dev/null 2>&1 &
	srv=$!
	sleep 0.5
	timeout $((SECS + 8)) ip netns exec "$1" taskset -c "$CPU_SEND" \
		iperf3 -c "$3" -t "$SECS" -f g 2>/dev/null |
		awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /Gbits/) print $i }'
	wait "$srv"
}
if command -v iperf3 >/dev/null; then
	for _ in $(seq "$RUNS"); do
		tcp_run "${S}x" "${S}y" 10.67.0.2 >>"$res/tcp_bare"
		out=$(mktemp)
		ip netns exec "${S}d" taskset -c "$CPU_DP" "$H/fastpath-dp" \
			"${S}dp" 1=s2 2=r2 -- 1:2 2:1 >"$out" 2>&1 &
		DPID=$!
		for _ in $(seq 50); do grep -q ready "$out" && break; sleep 0.1; done
		tcp_run "${S}s" "${S}r" 10.66.0.2 >>"$res/tcp_engine"
		ip netns exec "${S}s" ethtool -K s1 tx on >/dev/null 2>&1
		tcp_run "${S}s" "${S}r" 10.66.0.2 >>"$res/tcp_engine_tso"
		ip netns exec "${S}s" ethtool -K s1 tx off >/dev/null 2>&1
		kill "$DPID"; wait "$DPID" 2>/dev/null; DPID=
		rm -f "$out"
		[ "$have_ovs" = 1 ] && tcp_run "${S}p" "${S}q" 10.68.0.2 >>"$res/tcp_ovs"
	done
fi

echo "fastpath: CPU time of the switch per forwarded packet at $CPU_PPS pps offered (us):"
printf '  dpkit engine (tx ring, epoll):  '; stats <"$res/cpu_engine"; echo
if [ "$have_ovs" = 1 ]; then
	printf '  Open vSwitch 3 netdev datapath: '; stats <"$res/cpu_ovs"; echo
fi
if command -v iperf3 >/dev/null; then
	echo "fastpath: one TCP stream (iperf3 -t $SECS), Gbit/s received:"
	printf '  bare veth pair (tx off):        '; stats <"$res/tcp_bare"; echo
	printf '  dpkit engine (tx off):          '; stats <"$res/tcp_engine"; echo
	printf '  dpkit engine (default offloads):'; stats <"$res/tcp_engine_tso"; echo
	if [ "$have_ovs" = 1 ]; then
		printf '  Open vSwitch 3 netdev (tx off): '; stats <"$res/tcp_ovs"; echo
	fi
else
	echo "fastpath: TCP: skipped: iperf3 is not installed"
fi
rm -rf "$res"
