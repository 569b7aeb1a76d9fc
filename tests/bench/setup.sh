#!/bin/bash
# Slow path benchmark, side by side in one run with Open vSwitch 3
# (ovs-vswitchd, datapath_type=netdev, and ovs-ofctl):
#   - flow setup rate: UDP datagrams each with a 5-tuple not seen before
#     (tests/helpers/flowsetup-send, pinned to $CPU_SEND) cross a switch
#     (pinned to $CPU_SW) whose rule reads the IPv4 destination and the
#     UDP destination port (move: to registers), so that each needs a
#     megaflow of its own: megaflows installed per second of sending,
#     counted in the datapath right after;
#   - rule load: ofctl add-flows / ovs-ofctl add-flows of $RULES rules
#     (IPv4 destinations over 1000 priorities) into an empty table:
#     seconds, and rules per second.
# min/median/max of $RUNS runs, rounds interleaved; ratios of the medians
# (above 1: dpkit is faster).
#   BUILD=build RUNS=3 SECS=2 RULES=100000 tests/bench/setup.sh
set -u
RUNS=${RUNS:-3}
SECS=${SECS:-2}
RULES=${RULES:-100000}
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"

bench_need setup "$H/flowsetup-send" "$BUILD/bin/dpd" "$BUILD/bin/ofctl" "$BUILD/bin/dpctl"
if [ "$(id -u)" -ne 0 ]; then
	echo "setup: skipped: needs root for network namespaces"
	exit 0
fi

S=su$$
declare -A NET=([ovs]=81 [dpd]=82)
for c in ovs dpd; do
	for r in s w r; do
		ip netns add "$S$c$r" || exit 1
		bench_on_exit "ip netns del $S$c$r"
		ip netns exec "$S$c$r" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	done
	bench_veth "${S}${c}s" in "${S}${c}w" p1
	bench_veth "${S}${c}w" p2 "${S}${c}r" out
	bench_addr "${S}${c}s" in "10.${NET[$c]}.0.1/24"
	bench_addr "${S}${c}r" out "10.${NET[$c]}.0.2/24"
	# Every new destination goes to the receiver, with no ARP on the way.
	mac=$(ip netns exec "${S}${c}r" cat /sys/class/net/out/address)
	ip -n "${S}${c}s" neigh add "10.${NET[$c]}.0.2" lladdr "$mac" dev in
	ip -n "${S}${c}s" route add "10.$((NET[$c] + 10)).0.0/16" via "10.${NET[$c]}.0.2"
	ip netns exec "${S}${c}s" ethtool -K in tx off >/dev/null 2>&1
done

RULE='priority=10,udp,actions=move:NXM_OF_IP_DST[]->NXM_NX_REG1[],move:NXM_OF_UDP_DST[]->NXM_NX_REG0[0..15],output:2'

have_ovs=0
if bench_ovs_start "${S}ovsw" p1 p2 >/dev/null 2>&1; then
	have_ovs=1
	OFC="ip netns exec ${S}ovsw ovs-ofctl"
	$OFC del-flows br0 && $OFC add-flow br0 "$RULE" || have_ovs=0
fi

DRUN=$(mktemp -d)
bench_on_exit "rm -rf $DRUN"
bench_on_exit "[ -f $DRUN/dpd.pid ] && kill \$(cat $DRUN/dpd.pid) && sleep 0.5"
ip netns exec "${S}dpdw" taskset -c "$CPU_SW" dpd --detach --pidfile \
	--rundir "$DRUN" --log-file "$DRUN/dpd.log" || exit 1
export DPKIT_RUNDIR=$DRUN
ofctl add-br br0 p1 p2 &&
ofctl del-flows br0 &&
ofctl add-flow br0 "$RULE" || exit 1

res=$(mktemp -d)
bench_on_exit "rm -rf $res"
cases=dpd
[ "$have_ovs" = 1 ] && cases="ovs dpd"

ovs_appctl() {
	ip netns exec "${S}ovsw" ovs-appctl -t \
		"$BENCH_OVS_DIR/ovs-vswitchd.$(cat "$BENCH_OVS_DIR/vswitchd.pid").ctl" "$@"
}

flows() {       # flows CASE: datapath flows now
	if [ -n "${SETUP_DEBUG:-}" ]; then      # a sample, to see the masks
		{ if [ "$1" = ovs ]; then ovs_appctl dpctl/dump-flows netdev@ovs-netdev
		  else dpctl dump-flows netdev@br0; fi; } | head -3 >&2
	fi
	if [ "$1" = ovs ]; then
		ovs_appctl dpctl/dump-flows netdev@ovs-netdev | wc -l
	else
		dpctl dump-flows netdev@br0 | wc -l
	fi
}

flush() {
	if [ "$1" = ovs ]; then
		ovs_appctl dpctl/del-flows netdev@ovs-netdev >/dev/null
	else
		dpctl del-flows netdev@br0
	fi
}

setup_rate() {  # setup_rate CASE: megaflows set up per second
	local c=$1 t0 t1 n
	flush "$c"
	sleep 0.5
	t0=$(date +%s.%N)
	ip netns exec "${S}${c}s" taskset -c "$CPU_SEND" "$H/flowsetup-send" \
		"10.$((NET[$c] + 10)).0.0" 100000000 "$SECS" >/dev/null
	t1=$(date +%s.%N)
	n=$(flows "$c")
	awk -v n="$n" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.0f\n", n / (t1 - t0) }'
}

# 1. Flow setup.
for _ in $(seq "$RUNS"); do
	for c in $cases; do
		setup_rate "$c" >>"$res/setup_$c"
	done
done

# 2. Rule load.
awk -v n="$RULES" 'BEGIN { for (i = 0; i < n; i++)
	printf "priority=%d,ip,nw_dst=10.%d.%d.%d,actions=output:2\n",
		i % 1000 + 1, int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' \
	>"$res/rules"
load() {        # load CASE: seconds to add the rules to an empty table
	local c=$1 t0 t1
	if [ "$c" = ovs ]; then
		$OFC del-flows br0
		t0=$(date +%s.%N)
		$OFC add-flows br0 "$res/rules" || return 1
		t1=$(date +%s.%N)
		[ "$($OFC dump-flows br0 | grep -c priority=)" -eq "$RULES" ] || return 1
	else
		ofctl del-flows br0
		t0=$(date +%s.%N)
		ofctl add-flows br0 "$res/rules" || return 1
		t1=$(date +%s.%N)
		[ "$(ofctl dump-flows --no-stats br0 | wc -l)" -eq "$RULES" ] || return 1
	fi
	awk -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.3f\n", t1 - t0 }'
}
for _ in $(seq "$RUNS"); do
	for c in $cases; do
		load "$c" >>"$res/load_$c"
	done
done

echo "setup: $RUNS runs; flow setup: $SECS s of new UDP 5-tuples, megaflows" \
	"per second; rule load: $RULES rules"
for c in $cases; do
	printf '  %-4s flow setup/s: %s\n' "$c" "$(bench_stats <"$res/setup_$c")"
done
for c in $cases; do
	printf '  %-4s add-flows s:  %s\n' "$c" "$(bench_stats <"$res/load_$c")"
done
if [ "$have_ovs" = 1 ]; then
	so=$(bench_median <"$res/setup_ovs")
	sd=$(bench_median <"$res/setup_dpd")
	lo=$(bench_median <"$res/load_ovs")
	ld=$(bench_median <"$res/load_dpd")
	awk -v so="$so" -v sd="$sd" -v lo="$lo" -v ld="$ld" -v n="$RULES" 'BEGIN {
		printf "  flow setup dpd/ovs: %.2fx (%d vs %d per s)\n", sd / so, sd, so
		printf "  rule load dpd/ovs:  %.2fx (%.0f vs %.0f rules/s)\n",
			lo / ld, n / ld, n / lo }'
else
	echo "  Open vSwitch: not available (apt-get install openvswitch-switch)"
fi
