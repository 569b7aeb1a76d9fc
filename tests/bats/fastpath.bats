#!/usr/bin/env bats
# The userspace datapath engine (lib/dp) on real interfaces: two network
# namespaces joined through netdev ports (veth ends) of a datapath run by
# tests/helpers/fastpath-dp in a third namespace.

load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
	command -v ip >/dev/null || skip "needs iproute2"
	DRIVER=${DPKIT_BUILD:-$DPKIT_TOP/build}/tests/helpers/fastpath-dp
	[ -x "$DRIVER" ] || skip "fastpath-dp not built (make build)"
	S=fp$$
	N1=${S}a N2=${S}b ND=${S}d
	if ! { ip netns add "$N1" && ip netns add "$N2" && ip netns add "$ND"; }; then
		skip "cannot create network namespaces here"
	fi
	ip link add "${S}a1" netns "$N1" type veth peer name "${S}a2" netns "$ND"
	ip link add "${S}b1" netns "$N2" type veth peer name "${S}b2" netns "$ND"
	ip -n "$N1" addr add 10.77.0.1/24 dev "${S}a1"
	ip -n "$N2" addr add 10.77.0.2/24 dev "${S}b1"
	ip -n "$N1" link set "${S}a1" up
	ip -n "$N2" link set "${S}b1" up
	ip -n "$ND" link set "${S}a2" up
	ip -n "$ND" link set "${S}b2" up
	OUT=$BATS_TEST_TMPDIR/dp.out
}

teardown() {
	[ -n "${DPID:-}" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
	for n in "${N1:-}" "${N2:-}" "${ND:-}"; do
		[ -n "$n" ] && ip netns del "$n" 2>/dev/null
	done
	true
}

# start_dp FLOW...: run the datapath with ports 1 (ns1 side), 2 (ns2 side).
start_dp() {
	ip netns exec "$ND" "$DRIVER" -u "${S}dp" 1="${S}a2" 2="${S}b2" -- "$@" >"$OUT" 2>&1 &
	DPID=$!
	for _ in $(seq 50); do
		grep -q ready "$OUT" 2>/dev/null && return 0
		sleep 0.1
	done
	cat "$OUT"
	return 1
}

@test "ping crosses the datapath with ARP and IPv4 flows between two namespaces" {
	start_dp 1/0806:2 1/0800:2 2/0806:1 2/0800:1
	run ip netns exec "$N1" ping -c 3 -i 0.2 -W 2 10.77.0.2
	assert_success
	assert_output --partial "3 received"
}

@test "the local port is a tap named after the datapath, removed at exit" {
	start_dp
	run ip -n "$ND" link show "${S}dp"
	assert_success
	assert_output --partial "UP"
	kill "$DPID"
	wait "$DPID" || true
	DPID=
	run ip -n "$ND" link show "${S}dp"
	assert_failure
}

@test "set(ipv4(dst)) is seen by tcpdump on the far side with correct checksums" {
	command -v tcpdump >/dev/null || skip "needs tcpdump"
	start_dp 1/0806:2 2/0806:1 2/0800:1 1/0800:dst=10.77.0.99,2
	ip netns exec "$N1" ping -c 1 -W 2 10.77.0.2 >/dev/null || true   # ARP
	cap=$BATS_TEST_TMPDIR/cap.txt
	timeout 10 ip netns exec "$N2" tcpdump -l -n -vv -c 3 -i "${S}b1" udp \
		>"$cap" 2>/dev/null &
	tpid=$!
	sleep 1.5
	for _ in 1 2 3 4 5; do
		ip netns exec "$N1" bash -c 'echo hello >/dev/udp/10.77.0.2/9999' || true
		sleep 0.1
	done
	wait "$tpid" || true
	run cat "$cap"
	assert_output --partial "10.77.0.99.9999"
	assert_output --partial "udp sum ok"
	refute_output --partial "bad cksum"
	refute_output --partial "bad udp"
}

@test "a packet without a flow lands in the upcall queue" {
	start_dp
	ip netns exec "$N1" ping -c 1 -W 1 10.77.0.2 >/dev/null || true
	sleep 0.3
	run cat "$OUT"
	assert_output --partial "miss in_port=1 eth_type=0x0806"
}
