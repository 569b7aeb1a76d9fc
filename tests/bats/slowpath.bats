#!/usr/bin/env bats
# dpd's slow path on real traffic: a bridge (ofctl add-br) of three veth
# ports whose peers sit in namespaces ${N}a, ${N}b, ${N}c (10.88.0.1-3);
# misses are classified through the rules, megaflows installed, the
# revalidator credits stats, expires flows and follows rule changes.
# The bridge's datapath is of $DP's type: netdev@ (dpd's own) on this host,
# system@ (openvswitch.ko, dpd handling its upcalls) in the VM.

load helpers

setup_file() {
	export DPKIT_RUNDIR=$BATS_FILE_TMPDIR/run
	[ "$(id -u)" -eq 0 ] || return 0
	command -v dpd >/dev/null || return 0
	# Megaflows idle for 2 s go, so that expiry can be watched.
	dpd_start "$DPKIT_RUNDIR" --max-idle=2000
}

teardown_file() {
	dpd_stop "$DPKIT_RUNDIR"
}

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for namespaces and taps"
	[ -S "$DPKIT_RUNDIR/dpd.sock" ] || skip "dpd did not start"
	N=sp$BATS_TEST_NUMBER
	BR=$N
	T=$(dp_type)
	# What ofctl and dpctl call the bridge's datapath.
	BRF=$T@$N
	TMP=$BATS_TEST_TMPDIR
}

teardown() {
	local x
	ofctl del-br "$BRF" >/dev/null 2>&1
	[ "$T" != system ] || dpctl del-dp "$BRF" >/dev/null 2>&1
	for x in a b c d; do ip netns del "${N}$x" 2>/dev/null; done
	for x in 1 2 3 4; do ip link del "${N}$x" 2>/dev/null; done
	true
}

# A bridge of three ports whose far ends are namespaces a, b, c.
three_ns() {
	local i x
	for i in 1 2 3; do
		x=$(echo abc | cut -c"$i")
		ip netns add "${N}$x"
		ip link add "${N}$i" type veth peer name "${N}${i}p" netns "${N}$x"
		ip link set "${N}$i" up
		ip -n "${N}$x" addr add "10.88.0.$i/24" dev "${N}${i}p"
		ip -n "${N}$x" link set "${N}${i}p" up
		# No IPv6 chatter: the flow tables hold only what tests send.
		ip netns exec "${N}$x" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	done
	ofctl add-br "$BRF" "${N}1" "${N}2" "${N}3"
	sysctl -qw "net.ipv6.conf.$BR.disable_ipv6=1"
}

ping_from() {    # ping_from NS DST COUNT: replies received
	ip netns exec "${N}$1" ping -n -c "$3" -i 0.2 -W 1 "$2" |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

# n_packets of the rule whose dump-flows line matches the regexp $1.
rule_packets() {
	ofctl dump-flows "$BRF" | grep -E -- "$1" | head -1 |
		sed -n 's/.*n_packets=\([0-9]*\).*/\1/p'
}

# Send COUNT UDP datagrams from namespace NS to DST:PORT, each from a new
# source port.
udp_burst() {
	ip netns exec "${N}$1" bash -c \
		"for i in \$(seq $4); do echo x >/dev/udp/$2/$3; done" 2>/dev/null
}

@test "with no rules the bridge is a learning switch: all three pairs ping" {
	three_ns
	run ping_from a 10.88.0.2 3
	assert_output 3
	run ping_from b 10.88.0.3 3
	assert_output 3
	run ping_from c 10.88.0.1 3
	assert_output 3
	# Learned: unicast megaflows output to one port, not a flood.
	run dpctl dump-flows "$BRF"
	# (Which pair's are still there depends on the speed: they go
	# after 2 s idle.)
	assert_line --regexp 'in_port\([123]\),eth\(src=[0-9a-f:]+,dst=[0-9a-f:]+\),eth_type\(0x0800\),.* actions:[123]$'
	run ofctl dump-flows "$BRF"
	assert_line --regexp '^ cookie=0x0, duration=[0-9.]+s, table=0, n_packets=[1-9][0-9]*, n_bytes=[0-9]+, idle_age=[0-9]+, priority=0 actions=NORMAL$'
}

@test "a higher-priority rule wins; deleting it restores forwarding" {
	three_ns
	ofctl add-flow "$BRF" "priority=100,ip,nw_dst=10.88.0.3,actions=drop"
	run ping_from a 10.88.0.3 2
	assert_output 0
	run ping_from a 10.88.0.2 2
	assert_output 2
	run rule_packets 'priority=100,ip,nw_dst=10.88.0.3 '
	[ "$output" -ge 2 ]
	ofctl del-flows "$BRF" "ip,nw_dst=10.88.0.3"
	run ping_from a 10.88.0.3 2
	assert_output 2
}

@test "a rule change takes effect on live traffic within a second" {
	three_ns
	run ping_from a 10.88.0.2 2
	assert_output 2
	# Megaflows for this traffic are installed now; a rule must still win.
	# Long enough to outlast the steps below however slow the machine
	# (the VM's TCG), and stopped once measured.
	ip netns exec "${N}a" ping -n -i 0.1 -c 150 -W 1 10.88.0.2 >"$TMP/ping" 3>&- &
	pinger=$!
	sleep 1.5
	ofctl add-flow "$BRF" "priority=100,icmp,actions=drop"
	sleep 1
	before=$(grep -c 'bytes from' "$TMP/ping")
	sleep 1
	after=$(grep -c 'bytes from' "$TMP/ping")
	[ "$after" -eq "$before" ]
	[ "$before" -ge 5 ]
	ofctl del-flows --strict "$BRF" "priority=100,icmp"
	sleep 1
	again=$(grep -c 'bytes from' "$TMP/ping")
	kill "$pinger" 2>/dev/null || true
	wait
	[ "$again" -gt "$after" ]
}

@test "multi-table pipeline: resubmit and goto_table, with stats per table" {
	three_ns
	ofctl del-flows "$BRF"
	cat >"$TMP/flows" <<-EOF
	table=0,priority=10,arp,actions=normal
	table=0,priority=10,ip,actions=resubmit(,1)
	table=1,priority=10,ip,nw_dst=10.88.0.3,actions=drop
	table=1,priority=0,actions=goto_table:2
	table=2,priority=0,actions=normal
	EOF
	ofctl add-flows "$BRF" "$TMP/flows"
	run ping_from a 10.88.0.2 3
	assert_output 3
	run ping_from a 10.88.0.3 2
	assert_output 0
	run rule_packets 'table=2, .*priority=0 actions=NORMAL'
	[ "$output" -ge 3 ]
	run rule_packets 'table=1, .*priority=10,ip,nw_dst=10.88.0.3 actions=drop'
	[ "$output" -ge 2 ]
	run rule_packets 'table=1, .*priority=0 actions=goto_table:2'
	[ "$output" -ge 6 ]
}

@test "megaflow width: a rule on nw_dst gives megaflows wildcarded on L4 ports" {
	three_ns
	ofctl add-flow "$BRF" "priority=100,ip,nw_dst=10.88.0.3,actions=drop"
	run ping_from a 10.88.0.2 1     # learn both MACs
	assert_output 1
	udp_burst a 10.88.0.2 5000 20
	udp_burst a 10.88.0.3 5000 20
	run dpctl dump-flows "$BRF"
	assert_success
	# One megaflow per direction and decision, whatever the source ports.
	assert_line --regexp 'ipv4\(dst=10\.88\.0\.3,.*actions:drop$'
	refute_output --partial 'udp(src='
	refute_output --partial 'tp_src'
	[ "$(printf '%s\n' "$output" | grep -c 'dst=10.88.0.3')" -le 2 ]
	run rule_packets 'priority=100,ip,nw_dst=10.88.0.3 '
	[ "$output" -ge 20 ]
}

@test "idle megaflows expire (--max-idle); rule idle and hard timeouts remove rules" {
	local idle=1 hard=2 wait=3.5
	# The VM (system@, under TCG) takes more than a second for the
	# commands before the first dump.
	[ "$T" = netdev ] || { idle=3 hard=4 wait=5; }
	three_ns
	ofctl add-flow "$BRF" "priority=5,idle_timeout=$idle,udp,actions=drop"
	ofctl add-flow "$BRF" "priority=6,hard_timeout=$hard,tcp,actions=drop"
	run ping_from a 10.88.0.2 1
	assert_output 1
	[ "$(dpctl dump-flows "$BRF" | wc -l)" -ge 1 ]
	run ofctl dump-flows "$BRF"
	assert_output --partial "idle_timeout=$idle"
	assert_output --partial "hard_timeout=$hard"
	sleep "$wait"
	run dpctl dump-flows "$BRF"
	if [ "$T" = netdev ]; then
		assert_output ""
	else
		# The pings' megaflows went; the kernel's neighbour probes
		# (unicast ARP, ~5 s after) may have made new ones.
		refute_output --partial 'eth_type(0x0800)'
	fi
	run ofctl dump-flows "$BRF"
	refute_output --partial "idle_timeout=$idle"
	refute_output --partial "hard_timeout=$hard"
	run ofctl stats "$BRF"
	assert_line --regexp '^expired: [1-9]'
}

@test "a controller action raises packet-ins: ofctl monitor prints them and rule changes" {
	three_ns
	ofctl -t 4 monitor "$BRF" watch: >"$TMP/mon" &
	sleep 0.5
	ofctl add-flow "$BRF" "priority=100,icmp,actions=controller,normal"
	run ping_from a 10.88.0.2 2
	assert_output 2
	wait
	run ofctl stats "$BRF"
	assert_line --regexp '^packet_ins: [1-9]'
	run cat "$TMP/mon"
	assert_line " event=ADDED table=0 cookie=0x0 priority=100,icmp actions=CONTROLLER:65535,NORMAL"
	assert_line --regexp '^NXT_PACKET_IN2 \(xid=0x0\): table_id=0 cookie=0x0 total_len=98 in_port=1 \(via action\) data_len=98 \(unbuffered\)$'
	assert_line --regexp '^icmp,vlan_tci=0x0000,dl_src=[0-9a-f:]+,dl_dst=[0-9a-f:]+,nw_src=10\.88\.0\.1,nw_dst=10\.88\.0\.2,.*icmp_type=8,icmp_code=0$'
	run ofctl -o json -t 1 monitor "$BRF"
	assert_success
}

@test "mod-flows redirects live traffic: output to a port, then normal again" {
	three_ns
	run ping_from a 10.88.0.2 2
	assert_output 2
	# Everything from port 1 goes to port 3 only: a's pings to b die.
	ofctl add-flow "$BRF" "priority=50,in_port=1,actions=output:3"
	run ping_from a 10.88.0.2 2
	assert_output 0
	ofctl mod-flows --strict "$BRF" "priority=50,in_port=1,actions=normal"
	run ping_from a 10.88.0.2 2
	assert_output 2
}

@test "a bare datapath has no rules; dpd --slowpath makes every new datapath a bridge" {
	[ "$T" = netdev ] || skip "dpd --slowpath makes bridges of its own netdev@ datapaths only"
	dpctl add-dp "netdev@${N}x"
	run ofctl dump-flows "${N}x"
	assert_failure 1
	assert_output --partial "ofctl add-br ${N}x"
	dpctl del-dp "netdev@${N}x"
	dpd_start "$TMP/run2" --slowpath
	DPKIT_RUNDIR=$TMP/run2 dpctl add-dp "netdev@${N}y"
	DPKIT_RUNDIR=$TMP/run2 run ofctl dump-flows "${N}y"
	dpd_stop "$TMP/run2"
	assert_success
	assert_output --regexp 'priority=0 actions=NORMAL$'
}

@test "a port added to the bridge's datapath later is switched too" {
	three_ns
	ip netns add "${N}d"
	ip link add "${N}4" type veth peer name "${N}4p" netns "${N}d"
	ip link set "${N}4" up
	ip -n "${N}d" addr add 10.88.0.4/24 dev "${N}4p"
	ip -n "${N}d" link set "${N}4p" up
	ip netns exec "${N}d" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	# Behind ofctl's back: dpd finds it (system@: and gives it its
	# upcall pid) on its own.
	dpctl add-if "$BRF" "${N}4"
	sleep 1
	run ping_from d 10.88.0.1 2
	assert_output 2
}

@test "dpd stopping gives a system@ bridge's upcalls back and removes its megaflows" {
	[ "$T" = system ] || skip "a kernel datapath outlives dpd: system@ only"
	dpd_start "$TMP/run2" --max-idle=60000
	DPKIT_RUNDIR=$TMP/run2 three_ns
	run ping_from a 10.88.0.2 2
	assert_output 2
	run dpctl dump-flows "$BRF"
	assert_output --partial 'actions:2'
	dpd_stop "$TMP/run2"
	run dpctl dump-flows "$BRF"
	assert_success
	assert_output ""
	# No slow path now: misses are lost.
	run ping_from a 10.88.0.2 1
	assert_output 0
	dpctl del-dp "$BRF"
}
