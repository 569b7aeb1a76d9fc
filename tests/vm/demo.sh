#!/bin/bash
# make demo-kernel: the tour of make demo on the kernel datapath (Debian's
# openvswitch.ko) in the test VM: this script boots it with
# tests/vm/run.sh --script and runs itself inside (DPKIT_VM=1 there).  Inside, each command is echoed before
# it runs: a datapath, two namespaces whose veth pairs are its ports, flows,
# a ping across, the counters, cleanup.  It drives dpkit's dpctl when it is
# built, else Debian's ovs-dpctl (same commands and output), and says so.
set -u

if [ -z "${DPKIT_VM:-}" ]; then
	top=$(cd "$(dirname "$0")/../.." && pwd)
	echo "dpkit demo: booting a VM with Debian's kernel (qemu, TCG; the first run" \
		"downloads the kernel package)..."
	[ -t 1 ] && export DPKIT_COLOR=1
	VM_ENV="DPKIT_COLOR" exec "$top/tests/vm/run.sh" --script "$0"
fi

# --- inside the VM ------------------------------------------------------------

# shellcheck source=tests/vm/lib.bash
. "$DPKIT_TOP/tests/vm/lib.bash"
dpctl=${DPCTL##*/}
if [ "${DPKIT_COLOR:-}" = 1 ]; then b=$'\e[1m' d=$'\e[2m' n=$'\e[0m'; else b='' d='' n=''; fi

say() { printf '\n%s%s%s\n' "$b" "$*" "$n"; }
# shown CMD...: the command as a user would type it (flows in quotes).
shown() {
	local w out=()
	for w in "$@"; do
		[ "$w" = "$DPCTL" ] && w=$dpctl
		[[ $w =~ ^[][A-Za-z0-9@%+=:,./_-]+$ ]] || w="'$w'"
		out+=("$w")
	done
	printf '%s$ %s%s\n' "$d" "${out[*]}" "$n"
}
# run CMD...: show the command, then run it; the demo stops at the first
# command that fails.
run() {
	shown "$@"
	"$@" 2>&1 || { echo "demo: that command failed" >&2; exit 1; }
}

say "dpkit demo: the kernel datapath (openvswitch.ko, kernel $(uname -r))"
if [ "$dpctl" = ovs-dpctl ]; then
	echo "dpkit's dpctl is not built yet: this tour uses Debian's ovs-dpctl," \
		"which takes the same commands."
fi
no_ipv6    # keep IPv6 chatter off the datapath: the counters show the ping only

say "Two namespaces, each with a veth pair; the outer ends p1 and p2 stay in the root namespace"
for i in 1 2; do
	run ip netns add "ns$i"
	no_ipv6 "ns$i"
	run ip link add "p$i" type veth peer name eth0 netns "ns$i"
	run ip -n "ns$i" addr add "10.0.0.$i/24" dev eth0
	run ip -n "ns$i" link set eth0 up
	run ip link set "p$i" up
done

say "A datapath, with p1 and p2 as its ports"
run "$DPCTL" add-dp "$DP"
run "$DPCTL" add-if "$DP" p1
run "$DPCTL" add-if "$DP" p2
run "$DPCTL" show "$DP"
P1=$(dp_port p1) P2=$(dp_port p2)

say "No flows yet: a packet misses, goes up to userspace, and nobody is there to answer"
shown ip netns exec ns1 ping -n -c 1 -W 1 10.0.0.2
ip netns exec ns1 ping -n -c 1 -W 1 10.0.0.2 2>&1 | grep -E 'transmitted'
run "$DPCTL" show "$DP"

say "Flows: ARP and IPv4 from each port to the other"
run "$DPCTL" add-flow "$DP" "in_port($P1),eth(),eth_type(0x0806),arp()" "$P2"
run "$DPCTL" add-flow "$DP" "in_port($P2),eth(),eth_type(0x0806),arp()" "$P1"
run "$DPCTL" add-flow "$DP" "in_port($P1),eth(),eth_type(0x0800),ipv4(frag=no)" "$P2"
run "$DPCTL" add-flow "$DP" "in_port($P2),eth(),eth_type(0x0800),ipv4(frag=no)" "$P1"
run "$DPCTL" dump-flows "$DP"

say "A ping from ns1 to ns2 crosses the datapath"
run ip netns exec ns1 ping -n -c 3 -i 0.2 10.0.0.2

say "The counters: lookups that hit a flow, packets per port, packets per flow"
run "$DPCTL" show -s "$DP"
run "$DPCTL" dump-flows "$DP"

say "Cleanup"
run "$DPCTL" del-dp "$DP"
run ip netns del ns1
run ip netns del ns2
say "That was the kernel datapath; dpkit's userspace datapath (dpd) speaks the same messages."
