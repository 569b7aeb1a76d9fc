#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
# flowtrace: keys of captured packets.  Conformance with ovs-ofctl
# parse-pcap on the captures tests/pcap/gen.py writes, then the command line.

load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash

setup_file() {
	export PCAPS=${DPKIT_BUILD:-build}/pcap
	local gen=${DPKIT_TOP:-.}/tests/pcap/gen.py py
	if [ -f "$PCAPS/.ok" ] && [ "$PCAPS/.ok" -nt "$gen" ]; then
		return 0
	fi
	rm -rf "$PCAPS"
	# python3 with scapy (Debian's python3-scapy is for /usr/bin/python3)
	for py in python3 /usr/bin/python3; do
		if "$py" -c 'import scapy' 2>/dev/null; then
			"$py" "$gen" "$PCAPS" >"$BATS_FILE_TMPDIR/gen.log" 2>&1 &&
				touch "$PCAPS/.ok"
			return 0
		fi
	done
}

setup() {
	[ -f "$PCAPS/.ok" ] || skip "no test captures: python3-scapy missing or tests/pcap/gen.py failed"
}

need_ovs() {
	command -v ovs-ofctl >/dev/null || skip "ovs-ofctl not installed (openvswitch-common)"
}

# conform NAME: flowtrace -f of and ovs-ofctl parse-pcap print the same.
conform() {
	need_ovs
	local f=$PCAPS/$1.pcap
	flowtrace -f of -r "$f" >"$BATS_TEST_TMPDIR/ft"
	ovs-ofctl parse-pcap "$f" >"$BATS_TEST_TMPDIR/ovs" 2>/dev/null
	[ -s "$BATS_TEST_TMPDIR/ovs" ]
	run diff "$BATS_TEST_TMPDIR/ovs" "$BATS_TEST_TMPDIR/ft"
	assert_success
}

@test "conformance: Ethernet, 802.3/LLC/SNAP, VLAN tags, runts" { conform eth; }
@test "conformance: IPv4 and its transports" { conform ipv4; }
@test "conformance: IPv6, extension headers, neighbour discovery" { conform ipv6; }
@test "conformance: ARP and RARP" { conform arp; }
@test "conformance: MPLS label stacks" { conform mpls; }
@test "conformance: every prefix of several frames" { conform trunc; }
@test "conformance: Linux cooked captures" { conform sll; }
@test "conformance: 70,000 distinct keys, more than the text cache holds" { conform many; }

@test "divergent frames: flowtrace gives the kernel's key, documented per frame" {
	local n what ft ovs p line oline have_ovs=0 bad=0
	flowtrace -f of -r "$PCAPS/divergent.pcap" >"$BATS_TEST_TMPDIR/ft"
	if command -v ovs-ofctl >/dev/null; then
		have_ovs=1
		ovs-ofctl parse-pcap "$PCAPS/divergent.pcap" >"$BATS_TEST_TMPDIR/ovs" 2>/dev/null
	fi
	while IFS=$'\t' read -r n what ft ovs; do
		line=$(sed -n "${n}p" "$BATS_TEST_TMPDIR/ft")
		for p in $ft; do
			if [[ $p == *'$' ]]; then
				[[ $line == *"${p%'$'}" ]] || { echo "packet $n ($what): flowtrace does not end in $p: $line"; bad=1; }
			else
				[[ $line == *"$p"* ]] || { echo "packet $n ($what): flowtrace lacks $p: $line"; bad=1; }
			fi
		done
		[ $have_ovs = 1 ] || continue
		oline=$(sed -n "${n}p" "$BATS_TEST_TMPDIR/ovs")
		for p in $ovs; do
			[[ $oline == *"$p"* ]] || { echo "packet $n ($what): ovs-ofctl lacks $p: $oline"; bad=1; }
		done
		[ "$line" != "$oline" ] || { echo "packet $n ($what): no longer differs"; bad=1; }
	done <"$PCAPS/divergent.tsv"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/ft")" -eq "$(wc -l <"$PCAPS/divergent.tsv")" ]
	[ $bad = 0 ]
}

@test "pcapng gives the same keys as pcap" {
	run diff <(flowtrace -f of -r "$PCAPS/ipv4.pcap") <(flowtrace -f of -r "$PCAPS/ipv4.pcapng")
	assert_success
}

@test "-r - reads stdin, from a file or a pipe" {
	flowtrace -f of -r "$PCAPS/ipv6.pcap" >"$BATS_TEST_TMPDIR/a"
	flowtrace -f of -r - <"$PCAPS/ipv6.pcap" >"$BATS_TEST_TMPDIR/b"
	# shellcheck disable=SC2002 # a pipe (not seekable) is the point
	cat "$PCAPS/ipv6.pcap" | flowtrace -f of -r - >"$BATS_TEST_TMPDIR/c"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/c"
	[ -s "$BATS_TEST_TMPDIR/a" ]
}

# fails_cleanly FILE PATTERN: exit 1, nothing on stdout, PATTERN on stderr.
fails_cleanly() {
	run --separate-stderr flowtrace -f of -r "$1"
	assert_failure 1
	assert_output ""
	[[ $stderr == flowtrace:* ]]
	[[ $stderr == *"$2"* ]] || { echo "stderr: $stderr"; false; }
}

@test "unreadable or non-capture files: exit 1, a clear message, nothing on stdout" {
	bats_require_minimum_version 1.5.0
	fails_cleanly /nonexistent/x.pcap "/nonexistent/x.pcap: No such file or directory"
	fails_cleanly "$PCAPS/bad-text.pcap" "bad-text.pcap: not a pcap or pcapng capture"
	fails_cleanly "$PCAPS/bad-empty.pcap" "bad-empty.pcap: not a pcap or pcapng capture"
	fails_cleanly "$PCAPS/bad-header.pcap" "bad-header.pcap: not a pcap or pcapng capture"
	fails_cleanly "$PCAPS" "Is a directory"
}

@test "a capture cut short: the packets before it, then exit 1" {
	bats_require_minimum_version 1.5.0
	run --separate-stderr flowtrace -f of -r "$PCAPS/bad-cut.pcap"
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	[[ $stderr == *"bad-cut.pcap: truncated dump file"* ]]
}

@test "usage errors exit 2" {
	run flowtrace -f of
	assert_failure 2
	run flowtrace -f of -r x -i y
	assert_failure 2
	run flowtrace -f nonsense -r "$PCAPS/ipv4.pcap"
	assert_failure 2
	assert_output --partial "unknown format 'nonsense'"
	run flowtrace -f of -c 0 -r "$PCAPS/ipv4.pcap"
	assert_failure 2
	run flowtrace -f of --in-port 65536 -r "$PCAPS/ipv4.pcap"
	assert_failure 2
	run flowtrace --bogus
	assert_failure 2
	run flowtrace --actions 'output(' -r "$PCAPS/ipv4.pcap"
	assert_failure 2
	assert_output --partial "--actions 'output(':"
}

@test "on one CPU (no second thread) the output is the same" {
	command -v taskset >/dev/null || skip "taskset not installed (util-linux)"
	run diff <(flowtrace -f of -r "$PCAPS/trunc.pcap") <(taskset -c 0 flowtrace -f of -r "$PCAPS/trunc.pcap")
	assert_success
	run diff <(flowtrace -f json --unique -r "$PCAPS/ipv6.pcap") <(taskset -c 0 flowtrace -f json --unique -r "$PCAPS/ipv6.pcap")
	assert_success
	run taskset -c 0 flowtrace -f of -c 3 -r "$PCAPS/ipv4.pcap"
	[ "${#lines[@]}" -eq 3 ]
}

@test "-c stops after COUNT packets" {
	run flowtrace -f of -c 5 -r "$PCAPS/ipv4.pcap"
	assert_success
	[ "${#lines[@]}" -eq 5 ]
	[ "${lines[4]}" = "$(flowtrace -f of -r "$PCAPS/ipv4.pcap" | sed -n 5p)" ]
	total=$(flowtrace -f of -r "$PCAPS/arp.pcap" | wc -l)
	[ "$(flowtrace -f of -c 100000 -r "$PCAPS/arp.pcap" | wc -l)" -eq "$total" ]
}

@test "--unique: each key once, sorted, counts that add up" {
	local f=$PCAPS/trunc.pcap
	flowtrace -f of -r "$f" | LC_ALL=C sort | uniq -c |
		awk '{ print "n_packets=" $1 ", " $2 }' >"$BATS_TEST_TMPDIR/want"
	flowtrace -f of --unique -r "$f" | sed 's/ n_bytes=[0-9]*,//' >"$BATS_TEST_TMPDIR/got"
	run diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	assert_success
	# bytes: the sum of the packets' lengths, per key and in all
	want=$(flowtrace -f json -r "$f" | jq -s 'map(.len) | add')
	got=$(flowtrace -f json --unique -r "$f" | jq -s 'map(.bytes) | add')
	[ "$want" -gt 0 ] && [ "$want" -eq "$got" ]
	[ "$(flowtrace -f json --unique -r "$f" | jq -s 'map(.packets) | add')" -eq \
	  "$(flowtrace -f of -r "$f" | wc -l)" ]
}

@test "-f json: one valid object per packet, agreeing with -f of" {
	local f=$PCAPS/ipv4.pcap
	run bash -c "flowtrace -f json -r '$f' | jq -c . | wc -l"
	assert_output "$(flowtrace -f of -r "$f" | wc -l)"
	[ "$(flowtrace -o json -r "$f" | jq -r 'select(.ipv4.proto == 6) | .len' | wc -l)" -eq \
	  "$(flowtrace -f of -r "$f" | grep -c '^tcp,')" ]
	run bash -c "flowtrace -f json -c 1 -r '$f' | jq -r '[.packet, .eth_type, .ipv4.proto, .tcp.src, .tcp.dst, (.tcp_flags | join(\"|\"))] | @tsv'"
	assert_output "$(printf '1\t0x0800\t6\t1234\t80\tsyn')"
	run bash -c "flowtrace -f json -r '$PCAPS/arp.pcap' | jq -r 'select(.arp.op == 2) | .arp.sip' | wc -l"
	[ "$output" -eq "$(flowtrace -f of -r "$PCAPS/arp.pcap" | grep -c ',arp_op=2,')" ]
	run bash -c "flowtrace -f json -r '$PCAPS/eth.pcap' | jq -r 'select(.error) | .len'"
	assert_output "$(printf '1\n6\n12\n13')"
}

@test "--in-port sets the key's in_port" {
	run flowtrace -f of --in-port 7 -c 1 -r "$PCAPS/ipv4.pcap"
	assert_output --partial "tcp,in_port=7,"
	run bash -c "flowtrace -f json --in-port 65534 -c 1 -r '$PCAPS/ipv4.pcap' | jq .in_port"
	assert_output 65534
}

@test "--stats: a summary on stderr" {
	bats_require_minimum_version 1.5.0
	run --separate-stderr flowtrace -f of --stats -r "$PCAPS/snap.pcap"
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	[[ $stderr == "flowtrace: 2 packets, 508 bytes,"*"1 cut short by the capture's snap length"* ]]
	run --separate-stderr flowtrace -f of --stats --unique -r "$PCAPS/eth.pcap"
	[[ $stderr == *" distinct keys"* ]]
}

@test "raw IP, BSD loopback and address-less cooked captures" {
	run bash -c "flowtrace -f json -r '$PCAPS/raw.pcap' | jq -c '[.eth_type, .eth, .ipv4.src, .ipv4.proto, .tcp.dst, .ipv6.dst, .udp.src]'"
	assert_success
	assert_line --index 0 '["0x0800",null,"10.0.0.1",6,2,null,null]'
	assert_line --index 1 '["0x86dd",null,null,null,null,"2001:db8::2",3]'
	run diff <(flowtrace -f json -r "$PCAPS/raw.pcap" | head -2 | cut -d, -f3-) \
		<(flowtrace -f json -r "$PCAPS/null.pcap" | cut -d, -f3-)
	assert_success
	run flowtrace -f of -r "$PCAPS/sll-noaddr.pcap"
	assert_output --partial "tcp,in_port=ANY,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,"
	run flowtrace -f of -r "$PCAPS/raw.pcap"
	assert_success
	assert_line --index 0 "packet_type=(1,0x800),in_port=ANY,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_proto=6,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1,tp_dst=2,tcp_flags=syn"
	assert_line --index 1 --partial "packet_type=(1,0x86dd),in_port=ANY,ipv6_src=2001:db8::1,"
}

@test "a zero-length record is a packet too" {
	run flowtrace -f of -r "$PCAPS/zero-len.pcap"
	assert_success
	[ "${#lines[@]}" -eq 3 ]
	assert_line --index 1 "in_port=ANY,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,dl_type=0x0000"
}

@test "default format: ovs-dpctl keys with actions, for dpctl add-flows" {
	run flowtrace -c 1 -r "$PCAPS/ipv4.pcap"
	assert_success
	[[ $output == *"eth_type(0x0800),ipv4(src="*"tcp(src=1234,dst=80)"*" drop" ]]
	run flowtrace --actions 2 -r "$PCAPS/ipv4.pcap"
	refute_line --regexp ' drop$'
	[ "$(printf '%s\n' "${lines[@]}" | grep -vc '^#' )" -eq "$(printf '%s\n' "${lines[@]}" | grep -c ' 2$')" ]
	run flowtrace --actions '' -r "$PCAPS/eth.pcap"
	assert_line --partial "# packet 46: 1 bytes, shorter than an Ethernet header"
	refute_line --regexp ' '"'"'?$'
}

@test "default format: every line reads back as dpctl add-flows reads it" {
	local helper=${DPKIT_BUILD:-build}/tests/helpers/flowtrace-odp f
	[ -x "$helper" ] || skip "tests/helpers/flowtrace-odp not built"
	for f in eth ipv4 ipv6 arp mpls trunc sll divergent; do
		flowtrace --in-port 3 -r "$PCAPS/$f.pcap" >"$BATS_TEST_TMPDIR/in"
		run "$helper" <"$BATS_TEST_TMPDIR/in"
		assert_success
		run diff "$BATS_TEST_TMPDIR/in" - <<<"$output"
		assert_success
	done
	# The frames whose key the kernel would not take back as a flow are
	# comments, with the reason.
	run flowtrace -r "$PCAPS/mpls.pcap"
	assert_line --index 7 --regexp '^# recirc_id\(0\),.*,eth_type\(0x8847\),mpls\(.* \(not a flow the kernel takes back: .*\)$'
}

@test "default format: flowtrace | sort -u | dpctl parse-flows -" {
	command -v dpctl >/dev/null || skip "dpctl not built"
	local f
	for f in eth ipv4 ipv6 arp mpls trunc sll divergent; do
		run bash -c "flowtrace --in-port 1 --actions 2 -r '$PCAPS/$f.pcap' | sort -u | dpctl parse-flows -"
		assert_success
		refute_output --partial "dpctl:"
	done
}

@test "default format: each line is its own packet's key (read back, printed as -f of)" {
	local helper=${DPKIT_BUILD:-build}/tests/helpers/flowtrace-odp f
	[ -x "$helper" ] || skip "tests/helpers/flowtrace-odp not built"
	# many.pcap has more keys than flowtrace's cache of key texts holds
	for f in ipv4 ipv6 arp sll divergent many; do
		run diff <(flowtrace --in-port 3 -r "$PCAPS/$f.pcap" | "$helper" -f of) \
			<(flowtrace -f of --in-port 3 -r "$PCAPS/$f.pcap")
		assert_success
	done
}

@test "live capture on an interface, with a filter" {
	[ "$(id -u)" = 0 ] || skip "capturing needs root"
	ip link show lo >/dev/null 2>&1 || skip "no loopback interface"
	(sleep 1; ping -c 4 -i 0.2 127.0.0.1 >/dev/null 2>&1) &
	run timeout 15 flowtrace -f of -c 2 -i lo icmp and host 127.0.0.1
	wait
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	assert_line --index 0 --regexp '^icmp,in_port=ANY,vlan_tci=0x0000,.*nw_src=127\.0\.0\.1,nw_dst=127\.0\.0\.1,.*icmp_type=(0|8),icmp_code=0$'
	run flowtrace -f of -i no-such-if0
	assert_failure 1
	assert_output --partial "no-such-if0"
	run flowtrace -f of -r "$PCAPS/ipv4.pcap" 'tcp and'
	assert_failure 1
	assert_output --partial "filter 'tcp and'"
}

@test "a BPF filter selects packets from a file" {
	run flowtrace -f of -r "$PCAPS/ipv4.pcap" udp
	assert_success
	[ "${#lines[@]}" -gt 0 ]
	refute_line --regexp '^(tcp|icmp|sctp),'
}
