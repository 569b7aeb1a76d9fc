#!/bin/bash
# make demo: a tour of dpkit's userspace datapath.
#
# Starts dpd with a private run directory, creates the datapath
# netdev@demo, puts two network namespaces on it through veth pairs,
# installs datapath flows with dpctl, pings across, and shows the
# datapath's statistics and flows with their hits.  Every command is
# printed before it runs.  Everything it creates goes away at the end,
# also on failure or Ctrl-C.  Needs root (namespaces, veths, taps).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
export PATH=$BUILD/bin:$PATH

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: needs root (network namespaces, veth pairs, tap devices)" >&2
	exit 1
fi
for p in dpd dpctl; do
	command -v "$p" >/dev/null || { echo "demo: $p not built: run make" >&2; exit 1; }
done

DP=netdev@demo
NS1=dpkit-demo1
NS2=dpkit-demo2
RUN=$(mktemp -d /tmp/dpkit-demo.XXXXXX)
export DPKIT_RUNDIR=$RUN

if [ -t 1 ]; then
	bold=$(printf '\033[1m') dim=$(printf '\033[2m') off=$(printf '\033[0m')
else
	bold='' dim='' off=''
fi

cleanup() {
	local pid
	set +e
	pid=$(cat "$RUN/dpd.pid" 2>/dev/null)
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
	fi
	ip netns del "$NS1" 2>/dev/null
	ip netns del "$NS2" 2>/dev/null
	rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() {
	printf '\n%s# %s%s\n' "$bold" "$*" "$off"
}

# run CMD...: print it, then run it.
run() {
	printf '%s$ %s%s\n' "$dim" "$*" "$off"
	"$@"
}

step "Start dpd, the datapath daemon (private run directory $RUN)"
run dpd --detach --pidfile --rundir "$RUN" --log-file "$RUN/dpd.log"

step "Create the datapath $DP: its local port 0 is a tap device named demo"
run dpctl add-dp "$DP"

step "Two namespaces, each holding one end of a veth pair"
ip netns del "$NS1" 2>/dev/null || true
ip netns del "$NS2" 2>/dev/null || true
run ip netns add "$NS1"
run ip netns add "$NS2"
run ip link add demo-p1 type veth peer name eth0 netns "$NS1"
run ip link add demo-p2 type veth peer name eth0 netns "$NS2"
run ip -n "$NS1" addr add 10.99.0.1/24 dev eth0
run ip -n "$NS2" addr add 10.99.0.2/24 dev eth0
run ip -n "$NS1" link set eth0 up
run ip -n "$NS2" link set eth0 up
run ip link set demo-p1 up
run ip link set demo-p2 up

step "The other ends become ports 1 and 2 of the datapath"
run dpctl add-if "$DP" demo-p1 demo-p2
run dpctl show "$DP"

step "No flows yet: every packet misses, nobody listens for misses, the ping fails"
run ip netns exec "$NS1" ping -c 1 -W 1 10.99.0.2 || true

step "Datapath flows: ARP and IPv4 from port 1 to port 2, and back"
run dpctl add-flow "$DP" 'in_port(1),eth(),eth_type(0x0806),arp()' 2
run dpctl add-flow "$DP" 'in_port(2),eth(),eth_type(0x0806),arp()' 1
run dpctl add-flow "$DP" 'in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)' 2
run dpctl add-flow "$DP" 'in_port(2),eth(),eth_type(0x0800),ipv4(frag=no)' 1

step "Now the ping crosses the datapath (after forgetting the failed ARP lookup)"
run ip -n "$NS1" neigh flush dev eth0
run ip netns exec "$NS1" ping -c 3 -i 0.2 10.99.0.2

step "The datapath's lookups, masks and per-port counters"
run dpctl show -s "$DP"

step "The flows, with their hits"
run dpctl dump-flows "$DP"

step "Done: stopping dpd removes its datapath and tap devices"
