# shellcheck shell=bash
# Helpers shared by the VM suites (load lib) and tests/demo.sh (source):
# which dpctl to drive, the datapath under test, and a two-namespace
# topology whose veth ends are the datapath's ports.
#
#   netns ns1: eth0 10.0.0.1/24 <-veth-> p1 (root namespace) = datapath port
#   netns ns2: eth0 10.0.0.2/24 <-veth-> p2 (root namespace) = datapath port
#
# IPv6 is off everywhere so that no router solicitation or DAD packet
# crosses the datapath: flow and port counters then count exactly the
# packets a test sends.

# The datapath: tests/vm/run.sh exports DP=system@NAME.
DP=${DP:-system@dpkit0}
DPNAME=${DP#*@}

# dpkit's dpctl when it is built, else Debian's ovs-dpctl (same syntax).
if [ -z "${DPCTL:-}" ]; then
	if [ -x "${DPKIT_BIN:-/nonexistent}/dpctl" ]; then
		DPCTL=$DPKIT_BIN/dpctl
	else
		DPCTL=ovs-dpctl
	fi
fi

# shellcheck disable=SC2034 # used by the suites and the demo
NS1=ns1 NS2=ns2 IP1=10.0.0.1 IP2=10.0.0.2

# no_ipv6 [NS]: turn IPv6 off in the root namespace or in NS.
no_ipv6() {
	local run=()
	[ $# -gt 0 ] && run=(ip netns exec "$1")
	# shellcheck disable=SC2016 # $f is the inner shell's
	"${run[@]}" sh -c 'for f in all default; do
		echo 1 >/proc/sys/net/ipv6/conf/$f/disable_ipv6; done'
}

# netns_up: the two namespaces, their veth pairs, addresses; all links up.
netns_up() {
	local i ns ip
	no_ipv6
	for i in 1 2; do
		ns=ns$i
		ip=10.0.0.$i
		ip netns add "$ns" || return 1
		no_ipv6 "$ns" || return 1
		ip link add "p$i" type veth peer name eth0 netns "$ns" || return 1
		ip link set "p$i" up || return 1
		ip -n "$ns" addr add "$ip/24" dev eth0 || return 1
		ip -n "$ns" link set eth0 up || return 1
		ip -n "$ns" link set lo up || return 1
	done
}

netns_down() {
	local x
	for x in "$NS1" "$NS2"; do
		[ -e "/run/netns/$x" ] && ip netns del "$x"
	done
	for x in p1 p2; do
		[ -e "/sys/class/net/$x" ] && ip link del "$x"
	done
	return 0
}

# dp_port IFACE: the port number of IFACE in $DP, from `show`.
dp_port() {
	"$DPCTL" show "$DP" | sed -n "s/^  port \([0-9]*\): $1\( .*\)\{0,1\}\$/\1/p"
}

# dp_up: $DP with the two root-namespace veth ends as ports; sets P1, P2.
dp_up() {
	"$DPCTL" add-dp "$DP" || return 1
	"$DPCTL" add-if "$DP" p1 || return 1
	"$DPCTL" add-if "$DP" p2 || return 1
	P1=$(dp_port p1) P2=$(dp_port p2)
	[ -n "$P1" ] && [ -n "$P2" ]
}

dp_down() {
	[ -e "/sys/class/net/$DPNAME" ] || return 0
	"$DPCTL" del-dp "$DP"
}

# flows_up: ARP and IPv4 between the two ports, both directions.
flows_up() {
	"$DPCTL" add-flow "$DP" "in_port($P1),eth(),eth_type(0x0806),arp()" "$P2" &&
		"$DPCTL" add-flow "$DP" "in_port($P2),eth(),eth_type(0x0806),arp()" "$P1" &&
		"$DPCTL" add-flow "$DP" "in_port($P1),eth(),eth_type(0x0800),ipv4(frag=no)" "$P2" &&
		"$DPCTL" add-flow "$DP" "in_port($P2),eth(),eth_type(0x0800),ipv4(frag=no)" "$P1"
}
