#!/usr/bin/env bats
# Checksum and segmentation offload through dpd's userspace datapath: TCP
# between two network namespaces across a netdev@ datapath whose ports are
# veth ends with the kernel's default offloads (TSO, partial checksums).
# Every transfer is checked end to end: the receiver hashes what it got and
# compares with the sender's hash, and the flow counters must count the
# wire segments (a counter of super-frames would be some 40 times short).
#
# Two dpds run in a namespace of their own: one with offload (virtio-net
# headers on its ports, the default), one started with --no-offload.  The
# tests are about dpd, so they skip for other datapaths ($DP system@...).

load helpers

SIZE=$((48 << 20))              # bytes per transfer
MSS=1448                        # the payload of a full segment here

setup_file() {
	[ "$(id -u)" -eq 0 ] || return 0
	command -v dpd >/dev/null 2>&1 || return 0
	export OL_NS=ol$$d
	ip netns add "$OL_NS" || return 0
	ip -n "$OL_NS" link set lo up
	export OL_ON=$BATS_FILE_TMPDIR/on OL_OFF=$BATS_FILE_TMPDIR/off
	mkdir -p "$OL_ON" "$OL_OFF"
	ip netns exec "$OL_NS" dpd --detach --pidfile --rundir "$OL_ON" \
		--log-file "$OL_ON/dpd.log" 3>&- || true
	ip netns exec "$OL_NS" dpd --detach --pidfile --rundir "$OL_OFF" \
		--log-file "$OL_OFF/dpd.log" --no-offload 3>&- || true
}

teardown_file() {
	[ -n "${OL_NS:-}" ] || return 0
	dpd_stop "$OL_ON"
	dpd_stop "$OL_OFF"
	ip netns del "$OL_NS" 2>/dev/null || true
}

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
	[ "$(dp_type)" = netdev ] || skip "offload is dpd's: $DP is not netdev@"
	command -v python3 >/dev/null || skip "needs python3 (sender and receiver)"
	[ -S "${OL_ON:-/nonexistent}/dpd.sock" ] || skip "dpd did not start"
	S=ol$$
	NS=${S}s NR=${S}r
	ip netns add "$NS"
	ip netns add "$NR"
	ip link add in netns "$NS" type veth peer name p1 netns "$OL_NS"
	ip link add out netns "$NR" type veth peer name p2 netns "$OL_NS"
	ip -n "$NS" link set in up
	ip -n "$NR" link set out up
	ip -n "$OL_NS" link set p1 up
	ip -n "$OL_NS" link set p2 up
	ip -n "$NS" addr add 10.85.0.1/24 dev in
	ip -n "$NR" addr add 10.85.0.2/24 dev out
	use_dpd "$OL_ON" olon
}

teardown() {
	[ -n "${S:-}" ] || return 0
	DPKIT_RUNDIR=$OL_ON dpctl del-dp netdev@olon >/dev/null 2>&1 || true
	DPKIT_RUNDIR=$OL_OFF dpctl del-dp netdev@oloff >/dev/null 2>&1 || true
	ip netns del "$NS" 2>/dev/null || true
	ip netns del "$NR" 2>/dev/null || true
	ip -n "$OL_NS" link del p1 2>/dev/null || true
	ip -n "$OL_NS" link del p2 2>/dev/null || true
}

# dpctl in dpd's namespace: add-if brings the port's device up, which
# must be done where the device is.
dpctl() {
	ip netns exec "$OL_NS" "$(type -P dpctl)" "$@"
}

# use_dpd RUNDIR NAME: the dpd that dpctl talks to, with datapath
# netdev@NAME (its local port a tap NAME in dpd's namespace) and ports 1
# (sender side) and 2 (receiver side).
use_dpd() {
	export DPKIT_RUNDIR=$1 D=netdev@$2
	dpctl del-dp "$D" >/dev/null 2>&1 || true
	dpctl add-dp "$D"
	dpctl add-if "$D" p1 p2
}

# plain_flows: port 1 <-> port 2, everything.
plain_flows() {
	dpctl add-flow "$D" 'in_port(1),eth()' 2
	dpctl add-flow "$D" 'in_port(2),eth()' 1
}

# nat_flows: the sender's address becomes 10.85.0.9 on the way in and back
# on the way out, as a source NAT would do it.
nat_flows() {
	local mac
	mac=$(ip -n "$NS" -j link show in | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
	ip -n "$NR" neigh replace 10.85.0.9 lladdr "$mac" dev out
	dpctl add-flow "$D" 'in_port(1),eth(),eth_type(0x0806),arp()' 2
	dpctl add-flow "$D" 'in_port(2),eth(),eth_type(0x0806),arp()' 1
	dpctl add-flow "$D" \
		'in_port(1),eth(),eth_type(0x0800),ipv4(src=10.85.0.1,frag=no)' \
		'set(ipv4(src=10.85.0.9)),2'
	dpctl add-flow "$D" \
		'in_port(2),eth(),eth_type(0x0800),ipv4(dst=10.85.0.9,frag=no)' \
		'set(ipv4(dst=10.85.0.1)),1'
}

# transfer [DST [FROM_NS]]: $SIZE pseudo-random bytes from the sender's
# namespace to the receiver's (DST, default 10.85.0.2) over TCP; succeeds
# when the receiver got them all, intact.
# shellcheck disable=SC2120 # (arguments given through bats' run)
# Leaves the receiver's line ("BYTES SHA256 PEER") in $RECV.
transfer() {
	local out=$BATS_TEST_TMPDIR/recv sent dst=${1:-10.85.0.2} from=${2:-$NS}
	rm -f "$out"
	ip netns exec "$NR" timeout 60 python3 -c '
import hashlib, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 5001))
s.listen(1)
print("listening", flush=True)
c, a = s.accept()
h, n = hashlib.sha256(), 0
while True:
    b = c.recv(1 << 20)
    if not b:
        break
    h.update(b)
    n += len(b)
print(n, h.hexdigest(), a[0], flush=True)
' >"$out" 2>&1 &
	for _ in $(seq 50); do
		grep -q listening "$out" 2>/dev/null && break
		sleep 0.1
	done
	sent=$(ip netns exec "$from" timeout 60 python3 -c '
import hashlib, random, socket, sys
size = int(sys.argv[1])
data = random.Random(6).randbytes(size)
s = socket.create_connection((sys.argv[2], 5001), timeout=30)
s.sendall(data)
s.close()
print(size, hashlib.sha256(data).hexdigest())
' "$SIZE" "$dst") || { echo "sender failed: $sent"; return 1; }
	wait
	RECV=$(grep -v listening "$out")
	echo "sent: $sent"
	echo "received: $RECV"
	[ "${RECV% *}" = "$sent" ]
}

# flow_stats MATCH: "packets bytes" of the flow whose text contains MATCH.
flow_stats() {
	dpctl dump-flows "$D" | grep -F -- "$1" |
		sed -n 's/.*packets:\([0-9]*\), bytes:\([0-9]*\).*/\1 \2/p' | head -1
}

# check_counts MATCH: the data direction's flow counted the segments on
# the wire: at least one full segment per $MSS bytes, at most 10% more
# (SYN, FIN, retransmissions), and bytes with the headers of each.
check_counts() {
	local st pk by
	st=$(flow_stats "$1")
	pk=${st% *} by=${st#* }
	echo "flow $1: packets $pk bytes $by for $SIZE bytes of payload"
	[ -n "$st" ]
	[ "$pk" -ge $((SIZE / MSS)) ]
	[ "$pk" -le $((SIZE * 11 / (10 * MSS) + 100)) ]
	[ "$by" -ge $((SIZE + SIZE * 54 / MSS)) ]
	[ "$by" -le $((SIZE * 11 / 10 + SIZE * 80 / MSS)) ]
}

@test "TCP with the veths' default offloads crosses netdev@ intact; flows count wire segments" {
	plain_flows
	run transfer
	assert_success
	run check_counts 'in_port(1)'
	assert_success
}

@test "the sender's TSO super-frames reach dpd whole (offload is in use)" {
	plain_flows
	transfer
	# The receiving port saw far fewer frames than there were segments.
	local rx
	rx=$(dpctl show -s "$D" | grep -A1 'port 1:' |
		sed -n 's/.*RX packets:\([0-9]*\).*/\1/p')
	echo "port 1 received $rx frames for $((SIZE / MSS)) segments"
	[ "$rx" -lt $((SIZE / MSS / 4)) ]
}

@test "set(ipv4(src)) and the reverse rewrite keep TCP going with partial checksums" {
	nat_flows
	run transfer
	assert_success
	assert_output --partial " 10.85.0.9"
	run check_counts 'src=10.85.0.1'
	assert_success
}

@test "NAT with the kernel completing dpd's checksums and cutting its segments" {
	# Without tx checksumming on dpd's ports the kernel fills in the
	# partial checksums and segments the super-frames dpd sends: a
	# pseudo-header sum that dpd got wrong shows as bad segments, dropped.
	ip netns exec "$OL_NS" ethtool -K p1 tx off >/dev/null 2>&1 || skip "needs ethtool"
	ip netns exec "$OL_NS" ethtool -K p2 tx off >/dev/null 2>&1
	nat_flows
	run transfer
	assert_success
	assert_output --partial " 10.85.0.9"
	run check_counts 'src=10.85.0.1'
	assert_success
}

@test "dpd --no-offload: TCP with default offloads is segmented in software, intact" {
	use_dpd "$OL_OFF" oloff
	plain_flows
	run transfer
	assert_success
	run check_counts 'in_port(1)'
	assert_success
}

@test "dpd --no-offload: NAT rewrite completes; counters match" {
	use_dpd "$OL_OFF" oloff
	nat_flows
	run transfer
	assert_success
	assert_output --partial " 10.85.0.9"
	run check_counts 'src=10.85.0.1'
	assert_success
}

@test "endpoints with offloads off (ethtool): TCP through dpd with offload on" {
	ip netns exec "$NS" ethtool -K in tx off tso off gso off >/dev/null 2>&1 ||
		skip "needs ethtool"
	ip netns exec "$NR" ethtool -K out tx off tso off gso off >/dev/null 2>&1
	nat_flows
	run transfer
	assert_success
	run check_counts 'src=10.85.0.1'
	assert_success
}

@test "the local port (a tap with IFF_VNET_HDR) carries TCP to a namespace" {
	ip -n "$OL_NS" addr add 10.85.1.1/24 dev olon
	ip -n "$OL_NS" link set olon up
	ip -n "$NR" addr add 10.85.1.2/24 dev out
	dpctl add-flow "$D" 'in_port(0),eth()' 2
	dpctl add-flow "$D" 'in_port(2),eth()' 0
	run transfer 10.85.1.2 "$OL_NS"
	assert_success
	run check_counts 'in_port(0)'
	assert_success
}
