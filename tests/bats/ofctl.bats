#!/usr/bin/env bats
# ofctl: every command and its error paths, against a bridge of dpd's
# (ports are veths nobody sends on, so counters stay still).

load helpers

setup_file() {
	export DPKIT_RUNDIR=$BATS_FILE_TMPDIR/run
	[ "$(id -u)" -eq 0 ] || return 0
	command -v dpd >/dev/null || return 0
	dpd_start "$DPKIT_RUNDIR"
}

teardown_file() {
	dpd_stop "$DPKIT_RUNDIR"
}

setup() {
	TMP=$BATS_TEST_TMPDIR
	N=of$BATS_TEST_NUMBER
	BR=$N
}

teardown() {
	ofctl del-br "$BR" >/dev/null 2>&1
	ip link del "${N}1" 2>/dev/null
	ip link del "${N}2" 2>/dev/null
	true
}

# A bridge with ports 1 and 2 (veths ${N}1, ${N}2), IPv6 off on its tap.
bridge() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for taps and veths"
	[ -S "$DPKIT_RUNDIR/dpd.sock" ] || skip "dpd did not start"
	ip link add "${N}1" type veth peer name "${N}1p"
	ip link add "${N}2" type veth peer name "${N}2p"
	ofctl add-br "$BR" "${N}1" "${N}2"
	sysctl -qw "net.ipv6.conf.$BR.disable_ipv6=1"
}

# The rules as dump-flows --no-stats prints them.
rules() {
	ofctl dump-flows --no-stats "$BR"
}

@test "--help lists every command; bad options and commands are usage errors" {
	run ofctl --help
	assert_success
	for c in add-br del-br show dump-flows add-flow add-flows mod-flows \
		del-flows replace-flows diff-flows dump-tables dump-ports stats; do
		assert_output --partial "$c"
	done
	run ofctl --frobnicate
	assert_failure 2
	run ofctl frobnicate br0
	assert_failure 2
	run ofctl add-flow
	assert_failure 2
}

@test "add-br makes a bridge with the default rule; show lists its ports" {
	bridge
	run rules
	assert_output " priority=0 actions=NORMAL"
	run ofctl show "$BR"
	assert_success
	assert_line --index 0 "bridge $BR: datapath netdev@$BR"
	assert_line --regexp "^ 1\\(${N}1\\): addr:[0-9a-f:]{17}$"
	assert_line --regexp "^ 2\\(${N}2\\): addr:[0-9a-f:]{17}$"
	assert_line --regexp "^ LOCAL\\($BR\\): addr:"
	# add-br on a bridge is a no-op; netdev@ prefix accepted.
	run ofctl add-br "netdev@$BR"
	assert_success
	run rules
	assert_output " priority=0 actions=NORMAL"
}

@test "add-flow prints rules canonically, as ovs-ofctl" {
	bridge
	ofctl add-flow "$BR" "tp_dst=80 tcp nw_dst=10.0.0.2 priority=100 actions=output:2"
	ofctl add-flow "$BR" "table=3,cookie=0x1f,idle_timeout=30,in_port=${N}1,dl_src=00:0A:E4:25:6B:B0,actions=drop"
	ofctl add-flow "$BR" "priority=7,udp,nw_src=192.168.0.0/16,tp_src=0x1000/0xf000,actions=mod_nw_dst:10.1.1.1,normal"
	run rules
	assert_success
	assert_line " priority=100,tcp,nw_dst=10.0.0.2,tp_dst=80 actions=output:2"
	assert_line " cookie=0x1f, table=3, idle_timeout=30, in_port=1,dl_src=00:0a:e4:25:6b:b0 actions=drop"
	assert_line " priority=7,udp,nw_src=192.168.0.0/16,tp_src=0x1000/0xf000 actions=mod_nw_dst:10.1.1.1,NORMAL"
	run ofctl dump-flows "$BR"
	assert_line --regexp '^ cookie=0x0, duration=[0-9.]+s, table=0, n_packets=0, n_bytes=0, idle_age=[0-9]+, priority=100,tcp,nw_dst=10.0.0.2,tp_dst=80 actions=output:2$'
	# --names prints port names.
	run ofctl --names dump-flows --no-stats "$BR" table=3
	assert_output --partial "in_port=${N}1,"
}

@test "bad rules are refused naming the token; nothing changes; exit 1" {
	bridge
	before=$(rules)
	run ofctl add-flow "$BR" "ip,nw_dst=10.0.0.300,actions=drop"
	assert_failure 1
	assert_output --regexp '^ofctl: add-flow: .*10\.0\.0\.300'
	run ofctl add-flow "$BR" "ip,actions=frobnicate"
	assert_failure 1
	assert_output --partial "frobnicate"
	run ofctl add-flow "$BR" "ip,nw_bogus=1,actions=drop"
	assert_failure 1
	assert_output --partial "nw_bogus"
	run ofctl add-flow "$BR" "in_port=nosuchport,actions=drop"
	assert_failure 1
	assert_output --partial "nosuchport"
	run ofctl add-flow "$BR" "ip"
	assert_failure 1
	assert_output --partial "action"
	run ofctl add-flow "$BR" "tcp,tp_dst=99999,actions=drop"
	assert_failure 1
	assert_output --partial "99999"
	[ "$(rules)" = "$before" ]
}

@test "add-flows reads a file or stdin, with comments, blank lines and verbs" {
	bridge
	cat >"$TMP/f" <<-EOF
	# a comment
	priority=10,ip,actions=drop

	table=1,priority=20,arp,actions=normal
	delete_strict priority=0
	EOF
	ofctl add-flows "$BR" "$TMP/f"
	run rules
	assert_output " priority=10,ip actions=drop
 table=1, priority=20,arp actions=NORMAL"
	echo "priority=30,udp,actions=drop" | ofctl add-flows "$BR" -
	run rules
	assert_line " priority=30,udp actions=drop"
	run ofctl -o json add-flows "$BR" "$TMP/f"
	assert_success
	assert_output '{"added":2,"modified":0,"deleted":0}'
}

@test "add-flows with a bad line adds nothing and names the line and token" {
	bridge
	before=$(rules)
	printf 'priority=1,ip,actions=drop\npriority=2,arp,actions=drop\npriority=3,tcp,tp_dst=http,actions=drop\n' >"$TMP/f"
	run ofctl add-flows "$BR" "$TMP/f"
	assert_failure 1
	assert_output --regexp "^ofctl: add-flows: $TMP/f: line 3: .*http"
	[ "$(rules)" = "$before" ]
	run ofctl add-flows "$BR" "$TMP/missing"
	assert_failure 1
	assert_output --partial "No such file"
}

@test "check_overlap refuses an overlapping rule; the file's other rules are undone" {
	bridge
	ofctl add-flow "$BR" "priority=7,ip,actions=drop"
	before=$(rules)
	printf 'priority=8,arp,actions=drop\ncheck_overlap,priority=7,ip,nw_dst=10.0.0.1,actions=drop\n' >"$TMP/f"
	run ofctl add-flows "$BR" "$TMP/f"
	assert_failure 1
	assert_output --partial "overlaps"
	[ "$(rules)" = "$before" ]
	run ofctl add-flow "$BR" "check_overlap,priority=7,ip,actions=normal"
	assert_failure 1
	run ofctl add-flow "$BR" "check_overlap,priority=9,ip,actions=normal"
	assert_success
}

@test "a large add-flows file goes in several requests, still all or nothing" {
	bridge
	for i in $(seq 1 5000); do
		echo "priority=$((i % 100 + 1)),ip,nw_dst=10.$((i / 256)).$((i % 256)).1,actions=drop"
	done >"$TMP/big"
	cp "$TMP/big" "$TMP/bad"
	echo "priority=1,ip,nw_dst=10.1.1.1.1,actions=drop" >>"$TMP/bad"
	run ofctl add-flows "$BR" "$TMP/bad"
	assert_failure 1
	assert_output --partial "line 5001"
	[ "$(rules | wc -l)" -eq 1 ]
	ofctl add-flows "$BR" "$TMP/big"
	[ "$(rules | wc -l)" -eq 5001 ]
}

@test "mod-flows changes matching rules' actions; --strict only the exact one" {
	bridge
	ofctl add-flow "$BR" "priority=10,ip,nw_dst=10.0.0.1,actions=drop"
	ofctl add-flow "$BR" "priority=20,ip,nw_dst=10.0.0.1,actions=drop"
	ofctl add-flow "$BR" "priority=10,ip,actions=drop"
	ofctl mod-flows --strict "$BR" "priority=20,ip,nw_dst=10.0.0.1,actions=output:1"
	run rules
	assert_line " priority=20,ip,nw_dst=10.0.0.1 actions=output:1"
	assert_line " priority=10,ip,nw_dst=10.0.0.1 actions=drop"
	ofctl mod-flows "$BR" "ip,nw_dst=10.0.0.1,actions=output:2"
	run rules
	assert_line " priority=20,ip,nw_dst=10.0.0.1 actions=output:2"
	assert_line " priority=10,ip,nw_dst=10.0.0.1 actions=output:2"
	assert_line " priority=10,ip actions=drop"
	run ofctl mod-flows "$BR" "ip,actions=bogus"
	assert_failure 1
	assert_output --partial "bogus"
}

@test "del-flows: by match, --strict, all; out of range values refused" {
	bridge
	ofctl add-flow "$BR" "priority=10,ip,nw_dst=10.0.0.1,actions=drop"
	ofctl add-flow "$BR" "priority=20,ip,nw_dst=10.0.0.1,actions=drop"
	ofctl add-flow "$BR" "table=2,priority=10,arp,actions=drop"
	ofctl del-flows --strict "$BR" "priority=10,ip,nw_dst=10.0.0.1"
	run rules
	refute_line " priority=10,ip,nw_dst=10.0.0.1 actions=drop"
	assert_line " priority=20,ip,nw_dst=10.0.0.1 actions=drop"
	ofctl del-flows "$BR" "ip"
	run rules
	refute_output --partial "nw_dst"
	assert_output --partial "arp"
	run ofctl del-flows "$BR" "table=300"
	assert_failure 1
	assert_output --partial "300"
	ofctl del-flows "$BR"
	run rules
	assert_output ""
}

@test "replace-flows changes only what differs; diff-flows shows differences" {
	bridge
	ofctl add-flow "$BR" "priority=5,ip,actions=drop"
	ofctl add-flow "$BR" "priority=6,arp,actions=drop"
	printf 'priority=5,ip,actions=drop\npriority=7,udp,actions=normal\n' >"$TMP/f"
	run ofctl diff-flows "$BR" "$TMP/f"
	assert_failure 2
	# In ofp_diff's order: by table, then priority from high to low.
	assert_output "+priority=7,udp actions=NORMAL
-priority=6,arp actions=drop
-priority=0 actions=NORMAL"
	run ofctl -o json replace-flows "$BR" "$TMP/f"
	assert_success
	assert_output '{"added":1,"modified":0,"deleted":2}'
	run ofctl diff-flows "$BR" "$TMP/f"
	assert_success
	assert_output ""
	# file vs file; a changed action shows both versions.
	printf 'priority=5,ip,actions=output:1\npriority=7,udp,actions=normal\n' >"$TMP/g"
	run ofctl diff-flows "$TMP/f" "$TMP/g"
	assert_failure 2
	assert_output "-priority=5,ip actions=drop
+priority=5,ip actions=output:1"
	printf 'priority=5,ip,actions=frob\n' >"$TMP/h"
	run ofctl diff-flows "$TMP/f" "$TMP/h"
	assert_failure 1
	assert_output --partial "line 1"
}

@test "dump-flows: filters, table=, --strict, --sort and --rsort" {
	bridge
	ofctl add-flow "$BR" "priority=30,ip,nw_dst=10.0.0.3,actions=drop"
	ofctl add-flow "$BR" "priority=10,ip,nw_dst=10.0.0.1,actions=drop"
	ofctl add-flow "$BR" "priority=20,ip,nw_dst=10.0.0.2,actions=drop"
	ofctl add-flow "$BR" "table=4,priority=40,arp,actions=drop"
	run ofctl dump-flows --no-stats "$BR" table=4
	assert_output " table=4, priority=40,arp actions=drop"
	run ofctl dump-flows --no-stats "$BR" ip,nw_dst=10.0.0.2
	assert_output " priority=20,ip,nw_dst=10.0.0.2 actions=drop"
	run ofctl dump-flows --no-stats --sort "$BR"
	assert_output " priority=0 actions=NORMAL
 priority=10,ip,nw_dst=10.0.0.1 actions=drop
 priority=20,ip,nw_dst=10.0.0.2 actions=drop
 priority=30,ip,nw_dst=10.0.0.3 actions=drop
 table=4, priority=40,arp actions=drop"
	run ofctl dump-flows --no-stats --rsort=nw_dst "$BR" ip
	assert_output " priority=30,ip,nw_dst=10.0.0.3 actions=drop
 priority=20,ip,nw_dst=10.0.0.2 actions=drop
 priority=10,ip,nw_dst=10.0.0.1 actions=drop"
	run ofctl dump-flows "$BR" "ip,nw_dst=10.0.0.999"
	assert_failure 1
	assert_output --partial "10.0.0.999"
	run ofctl dump-flows --sort=nosuchfield "$BR"
	assert_failure 1
	assert_output --partial "nosuchfield"
}

@test "-o json: one object per rule, port and table" {
	bridge
	ofctl add-flow "$BR" "cookie=0x10,priority=9,ip,actions=drop"
	run ofctl -o json dump-flows "$BR" ip
	assert_success
	assert_output --regexp '^\{"table":0,"priority":9,"cookie":"0x10","n_packets":0,"n_bytes":0,"duration_ms":[0-9]+,"idle_age_ms":[0-9]+,"match":"cookie=0x10, priority=9,ip","actions":"drop","rule":"cookie=0x10, priority=9,ip actions=drop"\}$'
	if command -v jq >/dev/null; then
		ofctl -o json dump-flows "$BR" | jq -e . >/dev/null
		ofctl -o json dump-ports "$BR" | jq -e . >/dev/null
	fi
	run ofctl -o json dump-ports "$BR" 1
	assert_output --regexp "^\\{\"port\":\"1\",\"name\":\"${N}1\",\"rx_packets\":[0-9]+,"
	run ofctl -o json dump-tables "$BR"
	assert_output '{"table":0,"active":2}'
}

@test "dump-tables, dump-ports and stats" {
	bridge
	ofctl add-flow "$BR" "table=7,priority=1,actions=drop"
	run ofctl dump-tables "$BR"
	assert_output "OFPST_TABLE reply (xid=0x2):
  table 0:
    active=1
  table 7:
    active=1"
	run ofctl dump-ports "$BR"
	assert_line --index 0 "OFPST_PORT reply (xid=0x2): 3 ports"
	assert_line --regexp '^  port LOCAL: rx pkts=[0-9]+, bytes=[0-9]+, drop=[0-9]+, errs=[0-9]+, frame=0, over=0, crc=0$'
	assert_line --regexp '^  port  1: rx pkts='
	assert_line --regexp '^           tx pkts=[0-9]+, bytes=[0-9]+, drop=[0-9]+, errs=[0-9]+, coll=0$'
	run ofctl dump-ports "$BR" 9
	assert_failure 1
	run ofctl dump-ports "$BR" x
	assert_failure 2
	run ofctl stats "$BR"
	assert_line "rules: 2"
	assert_line --regexp '^misses: [0-9]+$'
}

@test "bridges: unknown, bare, system@; del-br removes the datapath" {
	bridge
	run ofctl dump-flows nosuchbr
	assert_failure 1
	assert_output --partial "nosuchbr"
	run ofctl dump-flows system@x
	assert_failure 1
	assert_output --partial "system@"
	dpctl add-dp "netdev@${N}bare"
	run ofctl add-flow "${N}bare" "actions=drop"
	dpctl del-dp "netdev@${N}bare"
	assert_failure 1
	assert_output --partial "bare datapath"
	ofctl del-br "$BR"
	run dpctl show "netdev@$BR"
	assert_failure
}

@test "changing rules needs CAP_NET_ADMIN; reading them does not" {
	bridge
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	d=$DPKIT_RUNDIR
	while [ "$d" != / ] && [ "$d" != /tmp ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
	chmod 0777 "$DPKIT_RUNDIR/dpd.sock"
	run setpriv --reuid=65534 --regid=65534 --clear-groups ofctl add-flow "$BR" "actions=drop"
	assert_failure 1
	assert_output --partial "not permitted"
	run setpriv --reuid=65534 --regid=65534 --clear-groups ofctl dump-flows --no-stats "$BR"
	assert_success
	assert_output " priority=0 actions=NORMAL"
}

@test "batch mode runs several commands on one connection" {
	bridge
	cat >"$TMP/b" <<-EOF
	add-flow $BR priority=3,ip,actions=drop
	del-flows $BR --strict priority=0
	dump-flows --no-stats $BR
	EOF
	run ofctl -b "$TMP/b"
	assert_success
	assert_output " priority=3,ip actions=drop"
}

@test "Open vSwitch's flow rules load through dpd and dump as ovs-ofctl dumped them" {
	bridge
	c=${DPKIT_CONFORMANCE:-$DPKIT_TOP/../shared/conformance}/ofctl-flows/accepted.tsv
	[ -f "$c" ] || c=/work/shared/conformance/ofctl-flows/accepted.tsv
	[ -f "$c" ] || skip "no conformance data (../shared/conformance)"
	same=0 differ=0 refused=0
	: >"$TMP/differ"
	# What OpenFlow 1.0 could not carry, Open vSwitch printed otherwise
	# (goto_table as resubmit...): its OpenFlow 1.3 dump is the reference
	# then, as in tests/unit/ofp_conformance.c.
	declare -A o13
	while IFS=$'\t' read -r input _ dumped _; do
		o13[$input]=$dumped
	done < <(tail -n +2 "${c%.tsv}-O13.tsv" 2>/dev/null)
	# Rows with escapes are the unit test's.
	while IFS=$'\t' read -r input _ dumped _ proto _; do
		case $input$dumped in *\\*) continue ;; esac
		case $proto in OpenFlow10*) ;; *) continue ;; esac
		ofctl del-flows "$BR"
		if ! ofctl add-flow "$BR" "$input" 2>/dev/null; then
			refused=$((refused + 1))
			continue
		fi
		got=$(ofctl dump-flows --no-stats "$BR" | sed 's/^ //')
		if [ "$got" = "$dumped" ] || [ "$got" = "${o13[$input]:-}" ]; then
			same=$((same + 1))
		else
			differ=$((differ + 1))
			printf '%s\n  ovs:   %s\n  dpkit: %s\n' "$input" "$dumped" "$got" >>"$TMP/differ"
		fi
	done < <(tail -n +2 "$c")
	echo "# $same same, $differ different, $refused refused (unsupported)" >&3
	cat "$TMP/differ"
	[ "$differ" -eq 0 ]
	[ "$same" -gt 100 ]
}
