#!/usr/bin/env bats
# The kernel datapath end to end, in the VM (tests/vm/run.sh): Debian's
# openvswitch.ko, a datapath whose ports are the root-namespace ends of two
# veth pairs, flows added by hand, a ping from one namespace to the other.
#
# $DPCTL drives it: dpkit's dpctl when $DPKIT_BIN has it, else Debian's
# ovs-dpctl (same commands and output), so the suite checks both tools.

load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash
load lib

setup_file() {
	[ -d /sys/module/openvswitch ] || return 0
	netns_down
	netns_up
}

teardown_file() {
	netns_down
}

setup() {
	[ -d /sys/module/openvswitch ] ||
		skip "no openvswitch kernel module here (run me with tests/vm/run.sh)"
	dp_down
	# Neighbour entries left by an earlier test send ARP probes later,
	# which would reach this test's datapath before it has flows.
	ip -n "$NS1" neigh flush all
	ip -n "$NS2" neigh flush all
}

teardown() {
	dp_down
}

# ping12 COUNT: ping ns2 from ns1, 0.2 s apart.  The neighbour caches are
# empty (setup), so a ping starts with an ARP request and its reply.
ping12() {
	ip netns exec "$NS1" ping -n -q -c "$1" -i 0.2 -W 2 "$IP2"
}

# flow_stats MATCH: "packets:N, bytes:M" of the dump-flows line starting
# with MATCH.
flow_stats() {
	"$DPCTL" dump-flows "$DP" | grep -F -- "$1," |
		grep -o 'packets:[0-9]*, bytes:[0-9]*'
}

@test "the openvswitch module is loaded and answers on generic netlink" {
	[ -d /sys/module/openvswitch ]
	echo "DPCTL=$DPCTL"
	run "$DPCTL" dump-dps
	assert_success
}

@test "add-dp creates a datapath that dump-dps lists" {
	run "$DPCTL" add-dp "$DP"
	assert_success
	run "$DPCTL" dump-dps
	assert_success
	assert_line "$DP"
	# The datapath's local port is a network device named after it.
	ip link show "$DPNAME"
}

@test "add-if attaches the veth ends as ports; show lists them" {
	dp_up
	run "$DPCTL" show "$DP"
	assert_success
	assert_line "$DP:"
	assert_line "  port 0: $DPNAME (internal)"
	assert_line "  port $P1: p1"
	assert_line "  port $P2: p2"
	run ip -o link show p1
	assert_output --partial "master $DPNAME "
}

@test "add-flow installs flows that dump-flows prints back" {
	dp_up
	flows_up
	run "$DPCTL" dump-flows "$DP"
	assert_success
	assert_equal "${#lines[@]}" 4
	# arp() matches any ARP packet: a field fully wildcarded is not printed.
	assert_line "in_port($P1),eth(),eth_type(0x0806), packets:0, bytes:0, used:never, actions:$P2"
	assert_line "in_port($P2),eth(),eth_type(0x0806), packets:0, bytes:0, used:never, actions:$P1"
	assert_line "in_port($P1),eth(),eth_type(0x0800),ipv4(frag=no), packets:0, bytes:0, used:never, actions:$P2"
	assert_line "in_port($P2),eth(),eth_type(0x0800),ipv4(frag=no), packets:0, bytes:0, used:never, actions:$P1"
}

@test "a ping crosses the datapath from ns1 to ns2" {
	dp_up
	flows_up
	run ping12 3
	assert_success
	assert_output --partial "3 packets transmitted, 3 received, 0% packet loss"
}

@test "dump-flows counts the ping's packets on its flows" {
	dp_up
	flows_up
	ping12 3
	# 3 echo requests one way, 3 replies the other: 98 bytes each.
	run flow_stats "in_port($P1),eth(),eth_type(0x0800),ipv4(frag=no)"
	assert_output "packets:3, bytes:294"
	run flow_stats "in_port($P2),eth(),eth_type(0x0800),ipv4(frag=no)"
	assert_output "packets:3, bytes:294"
	# ARP: at least the request ns1 sent and the reply from ns2.
	run flow_stats "in_port($P1),eth(),eth_type(0x0806)"
	assert_output --regexp '^packets:[1-9][0-9]*, bytes:[1-9][0-9]*$'
	run flow_stats "in_port($P2),eth(),eth_type(0x0806)"
	assert_output --regexp '^packets:[1-9][0-9]*, bytes:[1-9][0-9]*$'
	run "$DPCTL" dump-flows "$DP"
	assert_output --regexp 'packets:3, bytes:294, used:[0-9.]+s, actions:'
}

@test "show -s counts the ping on the datapath and on each port" {
	dp_up
	flows_up
	ping12 3
	run "$DPCTL" show -s "$DP"
	assert_success
	# Every packet hit a flow: 3 + 3 ICMP, and ARP.
	assert_line --regexp '^  lookups: hit:([6-9]|[1-9][0-9]+) missed:0 lost:0$'
	assert_line "  flows: 4"
	# p1's device received ns1's 3 requests (and ARP), sent 3 replies.
	local p1
	p1=$(echo "$output" | sed -n '/^  port [0-9]*: p1$/,/RX bytes/p')
	echo "$p1" | grep -qE 'RX packets:([4-9]|[1-9][0-9]+) errors:0'
	echo "$p1" | grep -qE 'TX packets:([4-9]|[1-9][0-9]+) errors:0'
}

@test "without flows the ping does not cross: packets miss to userspace" {
	dp_up
	run ping12 2
	assert_failure
	run "$DPCTL" show "$DP"
	assert_line --regexp '^  lookups: hit:0 missed:[1-9][0-9]* lost:[1-9][0-9]*$'
	assert_line "  flows: 0"
}

@test "del-flows empties the flow table and the ping stops crossing" {
	dp_up
	flows_up
	ping12 1
	run "$DPCTL" del-flows "$DP"
	assert_success
	run "$DPCTL" dump-flows "$DP"
	assert_success
	assert_output ""
	run ping12 1
	assert_failure
}

@test "del-dp removes the datapath and frees its ports" {
	dp_up
	run "$DPCTL" del-dp "$DP"
	assert_success
	run "$DPCTL" dump-dps
	refute_output --partial "$DP"
	run ip link show "$DPNAME"
	assert_failure
	run ip -o link show p1
	assert_success
	refute_output --partial "master $DPNAME "
}
