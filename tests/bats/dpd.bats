#!/usr/bin/env bats
# dpd: the daemon and its userspace datapaths (netdev@NAME), driven with
# dpctl: start and stop, refusal to start twice, permissions, traffic
# between two network namespaces (ping, TCP) through datapath flows, flow
# changes on live traffic, upcalls and notifications to listening
# sockets, statistics, big dumps, hostile clients.
#
# The suite starts its own dpd (a private --rundir, DPKIT_RUNDIR pointing
# at it); tests that need more (a stopped dpd, other options) start and
# stop their own.  Most tests need root (namespaces, veths, taps) and skip
# without it.

load helpers

bin_dir() {
	echo "${DPKIT_BUILD:-$BATS_TEST_DIRNAME/../../build}"
}

is_root() {
	[ "$(id -u)" -eq 0 ]
}

need_helper() {
	[ -x "$H/$1" ] || skip "$1 is not built (make build)"
}

# dpd_up RUNDIR [OPTION...]: dpd_start, and teardown stops it.
dpd_up() {
	echo "$1" >>"$BATS_TEST_TMPDIR/dpds"
	dpd_start "$@"
}

setup_file() {
	B=$(bin_dir)
	export PATH=$B/bin:$PATH
	export H=$B/tests/helpers
	export DPKIT_RUNDIR=$BATS_FILE_TMPDIR/run
	if is_root; then
		dpd_start "$DPKIT_RUNDIR"
	fi
}

teardown_file() {
	dpd_stop "$DPKIT_RUNDIR"
}

setup() {
	N=dd$BATS_TEST_NUMBER
	DP=netdev@$N
	TMP=$BATS_TEST_TMPDIR
}

teardown() {
	local r
	if [ -f "$TMP/dpds" ]; then
		while read -r r; do dpd_stop "$r"; done <"$TMP/dpds"
	fi
	if is_root; then
		dpctl del-dp "$DP" >/dev/null 2>&1
		ip netns del "${N}a" 2>/dev/null
		ip netns del "${N}b" 2>/dev/null
		ip link del "${N}1" 2>/dev/null
		ip link del "${N}2" 2>/dev/null
	fi
	true
}

# Datapath $DP with ports 1 and 2: veths whose peers sit in namespaces
# ${N}a (10.77.0.1) and ${N}b (10.77.0.2).
two_ns() {
	ip netns add "${N}a"
	ip netns add "${N}b"
	ip link add "${N}1" type veth peer name "${N}1p" netns "${N}a"
	ip link add "${N}2" type veth peer name "${N}2p" netns "${N}b"
	ip link set "${N}1" up
	ip link set "${N}2" up
	ip -n "${N}a" addr add 10.77.0.1/24 dev "${N}1p"
	ip -n "${N}b" addr add 10.77.0.2/24 dev "${N}2p"
	ip -n "${N}a" link set "${N}1p" up
	ip -n "${N}b" link set "${N}2p" up
	dpctl add-dp "$DP"
	dpctl add-if "$DP" "${N}1" "${N}2"
}

# Flows that forward ARP and IPv4 both ways between ports 1 and 2.
cross_flows() {
	dpctl add-flow "$DP" 'in_port(1),eth(),eth_type(0x0806),arp()' 2
	dpctl add-flow "$DP" 'in_port(2),eth(),eth_type(0x0806),arp()' 1
	dpctl add-flow "$DP" 'in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)' 2
	dpctl add-flow "$DP" 'in_port(2),eth(),eth_type(0x0800),ipv4(frag=no)' 1
}

pings() {       # pings COUNT: replies received from 10.77.0.2
	ip netns exec "${N}a" ping -n -c "$1" -i 0.2 -W 1 10.77.0.2 |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

# --- the program ---------------------------------------------------------

@test "--help, --version and bad options" {
	run dpd --help
	assert_success
	assert_output --partial "--pidfile[=FILE]"
	assert_output --partial "--rundir=DIR"
	run dpd --version
	assert_success
	assert_output --regexp '^dpd \(dpkit\) [0-9]+\.[0-9]+'
	run dpd --frobnicate
	assert_failure 2
	run dpd --log-level=loud
	assert_failure 2
	assert_output "dpd: unknown log level 'loud' (err, warn, info, debug)"
	run dpd extra
	assert_failure 2
}

@test "the socket is mode 0660, the pidfile holds dpd's pid" {
	need_root
	run stat -c %a "$DPKIT_RUNDIR/dpd.sock"
	assert_output 660
	run kill -0 "$(cat "$DPKIT_RUNDIR/dpd.pid")"
	assert_success
	run dpctl dump-dps
	assert_success
}

@test "a second dpd refuses to start: live socket, locked pidfile" {
	need_root
	run dpd --rundir "$DPKIT_RUNDIR"
	assert_failure 1
	assert_output "dpd: already running ($DPKIT_RUNDIR/dpd.sock answers)"
	run dpd --detach --rundir "$TMP/other" --pidfile="$DPKIT_RUNDIR/dpd.pid"
	assert_failure 1
	assert_output --regexp "^dpd: already running \(pid [0-9]+, pidfile $DPKIT_RUNDIR/dpd.pid\)$"
	[ ! -e "$TMP/other/dpd.sock" ]
	run dpctl dump-dps
	assert_success
}

@test "SIGTERM removes datapaths, taps, socket and pidfile; a restart is clean" {
	need_root
	r=$TMP/run
	dpd_up "$r"
	DPKIT_RUNDIR=$r dpctl add-dp "netdev@${N}x"
	DPKIT_RUNDIR=$r dpctl add-if "netdev@${N}x" "${N}i,type=internal"
	run ip link show "${N}x"
	assert_success
	run ip link show "${N}i"
	assert_success
	dpd_stop "$r"
	run ip link show "${N}x"
	assert_failure
	run ip link show "${N}i"
	assert_failure
	[ ! -e "$r/dpd.sock" ]
	[ ! -e "$r/dpd.pid" ]
	run grep -c "datapath ${N}x deleted" "$r/dpd.log"
	assert_output 1
	dpd_up "$r"
	run env DPKIT_RUNDIR="$r" dpctl dump-dps
	assert_success
	assert_output ""
	dpd_stop "$r"
}

@test "a stale socket file (no dpd behind it) is replaced" {
	need_root
	r=$TMP/run
	mkdir -p "$r"
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.bind(sys.argv[1])' "$r/dpd.sock"
	[ -S "$r/dpd.sock" ]
	dpd_up "$r"
	run env DPKIT_RUNDIR="$r" dpctl dump-dps
	assert_success
	dpd_stop "$r"
}

@test "a foreground dpd logs to stderr and stops on SIGINT" {
	need_root
	r=$TMP/run
	mkdir -p "$r"
	dpd --rundir "$r" -v 2>"$TMP/err" 3>&- &
	pid=$!
	for _ in $(seq 50); do [ -S "$r/dpd.sock" ] && break; sleep 0.1; done
	DPKIT_RUNDIR=$r dpctl add-dp "netdev@${N}f"
	kill -INT "$pid"
	wait "$pid"
	run cat "$TMP/err"
	assert_output --partial "dpd info: dpd "
	assert_output --partial "datapath ${N}f created"
	assert_output --partial "Interrupt: shutting down"
	run ip link show "${N}f"
	assert_failure
}

@test "log levels, and SIGHUP reopens the log file" {
	need_root
	r=$TMP/run
	dpd_up "$r" --log-level=warn
	DPKIT_RUNDIR=$r dpctl add-dp "netdev@${N}l"
	run grep -c "created" "$r/dpd.log"
	assert_output 0
	dpd_stop "$r"
	dpd_up "$r"
	DPKIT_RUNDIR=$r dpctl add-dp "netdev@${N}l"
	mv "$r/dpd.log" "$r/dpd.log.1"
	kill -HUP "$(cat "$r/dpd.pid")"
	DPKIT_RUNDIR=$r dpctl del-dp "netdev@${N}l"
	run grep -c "datapath ${N}l created" "$r/dpd.log.1"
	assert_output 1
	for _ in $(seq 20); do [ -s "$r/dpd.log" ] && break; sleep 0.1; done
	run cat "$r/dpd.log"
	assert_line --partial "log file reopened"
	assert_line --partial "datapath ${N}l deleted"
	run kill -0 "$(cat "$r/dpd.pid")"
	assert_success
}

# --- traffic ---------------------------------------------------------------

@test "ping crosses from one namespace to another through netdev@" {
	need_root
	two_ns
	run pings 3
	assert_output 0
	cross_flows
	run pings 3
	assert_output 3
	run ip netns exec "${N}a" ping -6 -c 1 -W 1 fe80::1%"${N}1p"
	assert_failure          # no IPv6 flows: not forwarded
}

@test "TCP crosses, with the veths' default offloads" {
	need_root
	command -v iperf3 >/dev/null || skip "iperf3 is not installed"
	two_ns
	cross_flows
	ip netns exec "${N}b" iperf3 -s -1 -D -p 5299
	sleep 0.3
	run ip netns exec "${N}a" timeout 20 iperf3 -c 10.77.0.2 -p 5299 -t 1 -f m
	assert_success
	mbits=$(printf '%s\n' "$output" | awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") print int($i) }')
	echo "TCP: $mbits Mbit/s"
	[ "${mbits:-0}" -gt 10 ]
}

@test "flows added, modified and deleted take effect on live traffic" {
	need_root
	two_ns
	cross_flows
	run pings 2
	assert_output 2
	dpctl mod-flow "$DP" 'in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)' drop
	run pings 2
	assert_output 0
	dpctl mod-flow "$DP" 'in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)' 2
	run pings 2
	assert_output 2
	missed=$(dpctl show "$DP" | sed -n 's/.*missed:\([0-9]*\).*/\1/p')
	dpctl del-flow "$DP" 'in_port(2),eth(),eth_type(0x0800),ipv4(frag=no)'
	run pings 2
	assert_output 0
	now=$(dpctl show "$DP" | sed -n 's/.*missed:\([0-9]*\).*/\1/p')
	[ "$now" -ge $((missed + 2)) ]
	dpctl add-flow "$DP" 'in_port(2),eth(),eth_type(0x0800),ipv4(frag=no)' 1
	run pings 2
	assert_output 2
	# A flow that rewrites: the replies come from another address.
	dpctl mod-flow "$DP" 'in_port(2),eth(),eth_type(0x0800),ipv4(frag=no)' \
		'set(ipv4(src=10.77.0.9)),1'
	run ip netns exec "${N}a" ping -n -c 2 -i 0.2 -W 1 10.77.0.2
	assert_line --regexp '^64 bytes from 10.77.0.9: icmp_seq=1 '
	run dpctl dump-flows "$DP" filter=in_port=2,ip
	assert_output --regexp 'packets:[1-9][0-9]*, .*actions:set\(ipv4\(src=10.77.0.9\)\),1$'
}

@test "statistics move: dump-flows, show -s, lookups" {
	need_root
	two_ns
	cross_flows
	run pings 3
	assert_output 3
	run dpctl dump-flows "$DP" 'filter=in_port(1),ip'
	assert_output --regexp '^in_port\(1\),eth\(\),eth_type\(0x0800\),ipv4\(frag=no\), packets:3, bytes:294, used:[0-9]+\.[0-9]{3}s, actions:2$'
	run dpctl -o json dump-flows "$DP" 'filter=in_port(1),ip'
	[ "$(jq -r '.used | . >= 0 and . < 60' <<<"$output")" = true ]
	run dpctl show -s "$DP"
	assert_line --regexp '^  lookups: hit:[1-9][0-9]* missed:[0-9]+ lost:[0-9]+$'
	assert_line --regexp '^  masks: hit:[1-9][0-9]* total:2 hit/pkt:[0-9]+\.[0-9]{2}$'
	[ "$(printf '%s\n' "$output" | grep -A1 "port 1: ${N}1" | sed -n 's/.*RX packets:\([0-9]*\).*/\1/p')" -ge 4 ]
	[ "$(printf '%s\n' "$output" | grep -A2 "port 2: ${N}2" | sed -n 's/.*TX packets:\([0-9]*\).*/\1/p')" -ge 4 ]
	dpctl mod-flow --clear "$DP" 'in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)' 2
	run dpctl dump-flows "$DP" 'filter=in_port(1),ip'
	assert_output --partial "packets:0, bytes:0, used:never"
}

@test "misses reach a listening upcall socket, with their keys" {
	need_root
	need_helper dpd-listen
	two_ns
	dpctl add-flow "$DP" 'in_port(1),eth(),eth_type(0x0806),arp()' 2
	dpctl add-flow "$DP" 'in_port(2),eth(),eth_type(0x0806),arp()' 1
	"$H/dpd-listen" -t 6 "$DP" >"$TMP/up" 3>&- &
	lpid=$!
	for _ in $(seq 50); do grep -q ready "$TMP/up" && break; sleep 0.1; done
	run pings 2
	assert_output 0
	wait "$lpid"
	run grep -c '^miss .*in_port(1),.*eth_type(0x0800),ipv4(src=10.77.0.1,dst=10.77.0.2,proto=1,.*icmp(type=8,code=0) len=98$' "$TMP/up"
	assert_output 2
	run dpctl show "$DP"
	assert_line --regexp '^  lookups: hit:[0-9]+ missed:[1-9][0-9]* lost:[0-9]+$'
}

@test "userspace() sends OVS_PACKET_CMD_ACTION with its userdata to its pid" {
	need_root
	need_helper dpd-listen
	two_ns
	cross_flows
	"$H/dpd-listen" -u -t 6 -n 2 "$DP" >"$TMP/up" 3>&- &
	lpid=$!
	for _ in $(seq 50); do grep -q ready "$TMP/up" && break; sleep 0.1; done
	pid=$(sed -n 's/^ready portid=//p' "$TMP/up")
	dpctl mod-flow "$DP" 'in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)' \
		"userspace(pid=$pid,userdata(01020304)),2"
	run pings 2
	assert_output 2
	wait "$lpid"
	run grep -c '^action .*icmp(type=8,code=0) len=98 userdata=0102030400000000$' "$TMP/up"
	assert_output 2
}

@test "datapath, port and flow changes reach multicast group members" {
	need_root
	need_helper dpd-listen
	dpctl add-dp "$DP"
	"$H/dpd-listen" -g -u -t 6 -n 5 "$DP" >"$TMP/up" 3>&- &
	lpid=$!
	for _ in $(seq 50); do grep -q ready "$TMP/up" && break; sleep 0.1; done
	dpctl add-if "$DP" "${N}i,type=internal"
	dpctl add-flow "$DP" 'in_port(1),eth()' drop
	dpctl del-flow "$DP" 'in_port(1),eth()'
	dpctl del-if "$DP" "${N}i"
	dpctl del-dp "$DP"
	wait "$lpid"
	run cat "$TMP/up"
	assert_line --index 1 "notify ovs_vport new ${N}i"
	assert_line --index 2 --regexp '^notify ovs_flow new .*in_port\(1\),'
	assert_line --index 3 --regexp '^notify ovs_flow del .*in_port\(1\),'
	assert_line --index 4 "notify ovs_vport del ${N}i"
	assert_line --index 5 "notify ovs_datapath del $N"
}

@test "a port whose device is deleted goes, with OVS_VPORT_CMD_DEL" {
	need_root
	need_helper dpd-listen
	dpctl add-dp "$DP"
	ip link add "${N}1" type veth peer name "${N}1p"
	dpctl add-if "$DP" "${N}1" "${N}i,type=internal"
	"$H/dpd-listen" -g -u -t 6 -n 2 "$DP" >"$TMP/up" 3>&- &
	lpid=$!
	for _ in $(seq 50); do grep -q ready "$TMP/up" && break; sleep 0.1; done
	ip link del "${N}1"
	ip link del "${N}i"
	wait "$lpid"
	run cat "$TMP/up"
	assert_line --index 1 "notify ovs_vport del ${N}1"
	assert_line --index 2 "notify ovs_vport del ${N}i"
	run dpctl show "$DP"
	assert_success
	refute_output --partial "${N}1"
	refute_output --partial "${N}i"
	# The datapath goes with its local port's device.
	ip link del "$N"
	for _ in $(seq 20); do dpctl show "$DP" >/dev/null 2>&1 || break; sleep 0.1; done
	run dpctl show "$DP"
	assert_failure 1
	assert_output --partial "no such datapath"
}

@test "a port whose device is down does not keep dpd busy" {
	need_root
	dpctl add-dp "$DP"
	ip link add "${N}1" type veth peer name "${N}1p"
	ip link set "${N}1" up
	dpctl add-if "$DP" "${N}1"
	ip link set "${N}1" down
	pid=$(cat "$DPKIT_RUNDIR/dpd.pid")
	sleep 0.5
	a=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	sleep 2
	b=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	echo "dpd used $((b - a)) clock ticks in 2 s"
	[ $((b - a)) -lt 20 ]
}

@test "internal ports are tap devices that come and go with the port" {
	need_root
	dpctl add-dp "$DP"
	run ip -d link show "$N"
	assert_output --partial "tun type tap"
	dpctl add-if "$DP" "${N}i,type=internal"
	run ip link show "${N}i"
	assert_output --partial ",UP"
	run dpctl add-if "$DP" "${N}i,type=internal"
	assert_failure 1
	dpctl del-if "$DP" "${N}i"
	run ip link show "${N}i"
	assert_failure
	run dpctl add-if "$DP" lo
	assert_failure 1
	assert_output --partial "invalid port"
}

@test "a dump of 20000 flows arrives whole while traffic flows" {
	need_root
	two_ns
	# Before the flows that forward everything, which these would
	# overlap (the kernel refuses a flow that an installed one matches).
	awk 'BEGIN { for (i = 0; i < 20000; i++)
		printf "in_port(2),eth(),eth_type(0x0800),ipv4(src=10.%d.%d.1,frag=no) 1\n", int(i / 250) + 100, i % 250 }' >"$TMP/flows"
	run dpctl add-flows "$DP" "$TMP/flows"
	assert_success
	cross_flows
	ip netns exec "${N}a" ping -n -c 20 -i 0.05 -W 1 10.77.0.2 >"$TMP/ping" &
	ppid=$!
	for _ in 1 2 3; do
		[ "$(dpctl dump-flows "$DP" | wc -l)" -eq 20004 ]
	done
	wait "$ppid"
	run grep -c 'bytes from' "$TMP/ping"
	assert_output 20
	run dpctl del-flows "$DP"
	assert_success
	run dpctl show "$DP"
	assert_line "  flows: 0"
}

# --- who may do what, and hostile clients ---------------------------------

@test "a client without CAP_NET_ADMIN reads, and gets EPERM on changes" {
	need_root
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	r=$(mktemp -d /tmp/dpdperm.XXXXXX)
	chmod 755 "$r"
	dpd_up "$r" --group=nogroup
	DPKIT_RUNDIR=$r dpctl add-dp "$DP"
	as_nobody() {
		DPKIT_RUNDIR=$r setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	}
	run as_nobody dpctl show "$DP"
	assert_success
	assert_line --index 0 "$DP:"
	run as_nobody dpctl dump-flows "$DP"
	assert_success
	run as_nobody dpctl del-dp "$DP"
	assert_failure 1
	assert_output "dpctl: del-dp: $DP: permission denied (datapath changes need CAP_NET_ADMIN: run as root)"
	run as_nobody dpctl add-flow "$DP" 'in_port(0),eth()' drop
	assert_failure 1
	assert_output --partial "permission denied"
	run env DPKIT_RUNDIR="$r" setpriv --reuid=nobody --regid=daemon --clear-groups dpctl show "$DP"
	assert_failure 1
	assert_output --partial "permission denied connecting to dpd"
	DPKIT_RUNDIR=$r dpctl del-dp "$DP"
	dpd_stop "$r"
	rm -rf "$r"
}

@test "bad requests to every command and garbage datagrams: answered, dpd lives" {
	need_root
	need_helper dpd-probe
	dpctl add-dp "$DP"
	run "$H/dpd-probe" garbage
	assert_success
	assert_output --regexp '^garbage: ([0-9]+) requests, \1 answered; dpd alive$'
	run dpctl show "$DP"
	assert_success
}

@test "bad input through dpctl: each command fails cleanly" {
	need_root
	dpctl add-dp "$DP"
	run dpctl add-if "$DP" "${N}nope"
	assert_failure 1
	assert_output "dpctl: add-if: ${N}nope: no such network device"
	run dpctl del-if "$DP" 42
	assert_failure 1
	run dpctl add-flow "$DP" 'in_port(0),eth(),eth_type(0x0800),ipv4(frag=no)' 'ct(commit),0'
	assert_failure 1
	assert_output --partial "ct"
	run dpctl add-flow "$DP" 'in_port(0),eth()' 'set(ipv4(ttl=1)),0'
	assert_failure 1
	run dpctl get-flow "$DP" ufid:12345678-1234-1234-1234-123456789abc
	assert_failure 1
	run dpctl del-flow "$DP" 'in_port(0),eth()'
	assert_failure 1
	run dpctl mod-flow "$DP" 'in_port(0),eth()' 0
	assert_failure 1
	run dpctl show "netdev@${N}nope"
	assert_failure 1
	run dpctl del-dp "netdev@${N}nope"
	assert_failure 1
	run dpctl add-dp "$DP"
	assert_failure 1
	run dpctl show "$DP"
	assert_success
}

@test "out of descriptors, dpd neither spins nor stops answering" {
	need_root
	command -v python3 >/dev/null || skip "python3 is not installed"
	r=$TMP/run
	(ulimit -n 40 && dpd_up "$r")
	pid=$(cat "$r/dpd.pid")
	# 100 connections: most wait in the backlog, dpd cannot take them.
	python3 -c 'import socket, sys, time
s = [socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) for _ in range(100)]
for x in s: x.connect(sys.argv[1])
time.sleep(3)' "$r/dpd.sock" &
	cpid=$!
	sleep 1
	a=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	sleep 1.5
	b=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	echo "dpd used $((b - a)) clock ticks in 1.5 s"
	[ $((b - a)) -lt 20 ]
	wait "$cpid"
	run env DPKIT_RUNDIR="$r" dpctl dump-dps
	assert_success
	run grep -c "Too many open files" "$r/dpd.log"
	[ "$output" -ge 1 ]
}

@test "a client that never reads its replies does not stall the others" {
	need_root
	need_helper dpd-probe
	run "$H/dpd-probe" noread
	assert_success
	assert_output --regexp '^noread: [0-9]+ requests never read; another client answered in [0-9.]+ ms$'
	run dpctl dump-dps
	assert_success
}
