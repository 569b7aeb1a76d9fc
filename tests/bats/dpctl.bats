#!/usr/bin/env bats
# dpctl: every command and error path.  Tests that need a datapath work on
# $DP (default system@dpkit-test) and skip, saying why, when none can be
# created here; the rest (usage, parse-flows, batch and shell mechanics)
# run everywhere.

load helpers

setup() {
	TMP=$BATS_TEST_TMPDIR
	P=dk$BATS_TEST_NUMBER
}

teardown() {
	drop_dp
	cleanup_links
}

# --- usage ---------------------------------------------------------------

@test "--help lists every command of the table" {
	run dpctl --help
	assert_success
	for c in add-dp del-dp dump-dps show add-if set-if del-if dump-flows \
		add-flow add-flows mod-flow mod-flows get-flow del-flow del-flows \
		parse-flows; do
		assert_line --regexp "^  $c "
	done
	assert_output --partial "-o, --output=text|json"
}

@test "--version" {
	run dpctl --version
	assert_success
	assert_output --regexp '^dpctl \(dpkit\) [0-9]+\.[0-9]+'
}

@test "unknown command is a usage error (exit 2)" {
	run dpctl frobnicate
	assert_failure 2
	assert_output "dpctl: unknown command 'frobnicate'; use --help for help"
}

@test "ambiguous prefix is a usage error naming the candidates" {
	run dpctl add
	assert_failure 2
	assert_output "dpctl: 'add' is ambiguous (add-dp, add-if, add-flow, add-flows)"
}

@test "a unique prefix runs the command" {
	printf 'in_port(1),eth(),eth_type(0x0806),arp() 2\n' >"$TMP/f"
	run dpctl parse "$TMP/f"
	assert_success
	assert_output "in_port(1),eth(),eth_type(0x0806), actions:2"
}

@test "wrong number of arguments is a usage error with the usage" {
	run dpctl del-dp
	assert_failure 2
	assert_output "dpctl: del-dp: needs at least 1 argument (usage: del-dp DP)"
	run dpctl del-dp a b
	assert_failure 2
	assert_output --partial "takes at most 1 argument"
	run dpctl add-flow
	assert_failure 2
}

@test "bad options are usage errors" {
	run dpctl --frob show
	assert_failure 2
	assert_output "dpctl: unrecognized option '--frob'"
	run dpctl -o xml dump-dps
	assert_failure 2
	assert_output --partial "unknown output format 'xml'"
	run dpctl -t
	assert_failure 2
	run dpctl -t 0 dump-dps
	assert_failure 2
	assert_output --partial "bad timeout"
}

@test "--read-only refuses commands that change state" {
	run dpctl --read-only del-dp x
	assert_failure 2
	assert_output "dpctl: del-dp: not allowed with --read-only"
}

@test "no command without a terminal is a usage error" {
	run dpctl </dev/null
	assert_failure 2
	assert_output --partial "missing command"
}

@test "bad datapath names are refused before anything is sent" {
	run dpctl show dummy@x
	assert_failure 1
	assert_output --partial "unknown datapath type 'dummy' (use system@NAME or netdev@NAME)"
	run dpctl show abcdefghijklmnopq
	assert_failure 1
	assert_output --partial "datapath name longer than 15 characters"
	run dpctl del-dp 'a/b'
	assert_failure 1
	assert_output --partial "invalid character"
}

@test "netdev@ without dpd says dpd is not running" {
	DPKIT_RUNDIR=$TMP/none run dpctl show netdev@x
	assert_failure 1
	assert_output "dpctl: show: cannot reach dpd at $TMP/none/dpd.sock (No such file or directory): is dpd running?"
}

# --- parse-flows ---------------------------------------------------------

@test "parse-flows prints flows as the kernel reports them" {
	# What Linux 6.1 answered, through ovs-dpctl 3.1, for these flows:
	# a key as given (masked only for a flow with a ufid), omitted
	# wildcarded fields, the implied eth_type of an Ethernet flow.
	cat >"$TMP/f" <<'EOF'
in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.5/255.255.255.0,frag=no) 2
in_port(1),eth(),eth_type(0x0806),arp() 2
in_port(99),eth() 2
ufid:12345678-1234-1234-1234-123456789abc,in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.5/255.255.255.0,frag=no) 2
EOF
	run dpctl parse-flows "$TMP/f"
	assert_success
	assert_line --index 0 "in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.5/255.255.255.0,frag=no), actions:2"
	assert_line --index 1 "in_port(1),eth(),eth_type(0x0806), actions:2"
	assert_line --index 2 "in_port(99),eth(),eth_type(0/0x0000), actions:2"
	assert_line --index 3 "in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.0/255.255.255.0,frag=no), actions:2"
}

@test "parse-flows drops packet_type as ovs-dpctl does: the kernel has none" {
	cat >"$TMP/f" <<'EOF'
in_port(2),packet_type(ns=0,id=0),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x1234) 2
in_port(2),packet_type(ns=1,id=0x800),eth_type(0x0800),ipv4(src=1.2.3.4,dst=5.6.7.8,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2) 2
in_port(2),packet_type(ns=1,id=0x1234) 2
EOF
	run dpctl parse-flows "$TMP/f"
	assert_success
	assert_line --index 0 "in_port(2),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x1234), actions:2"
	assert_line --index 1 "in_port(2),eth_type(0x0800),ipv4(src=1.2.3.4,dst=5.6.7.8,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2), actions:2"
	assert_line --index 2 "in_port(2),eth_type(0x1234), actions:2"
	run dpctl parse-flows - <<<'in_port(2),packet_type(ns=2,id=1) 2'
	assert_failure
	assert_output --partial "packet_type"
}

@test "parse-flows -m prints every attribute and mask" {
	printf 'in_port(1),eth(),eth_type(0x0806),arp() 2\n' >"$TMP/f"
	run dpctl -m parse-flows "$TMP/f"
	assert_success
	assert_output "recirc_id(0/0),dp_hash(0/0),skb_priority(0/0),in_port(1),skb_mark(0/0),ct_state(0/0),ct_zone(0/0),ct_mark(0/0),ct_label(0/0),eth(src=00:00:00:00:00:00/00:00:00:00:00:00,dst=00:00:00:00:00:00/00:00:00:00:00:00),eth_type(0x0806),arp(sip=0.0.0.0/0.0.0.0,tip=0.0.0.0/0.0.0.0,op=0/0,sha=00:00:00:00:00:00/00:00:00:00:00:00,tha=00:00:00:00:00:00/00:00:00:00:00:00), actions:2"
}

@test "parse-flows reads dump-flows lines, command words, comments, continuations" {
	cat >"$TMP/f" <<'EOF'
# a comment line
in_port(7),eth(),eth_type(0x0800),ipv4(frag=no), packets:3, bytes:294, used:0.123s, flags:S., actions:2
modify in_port(1),eth(),eth_type(0x0806),arp() 3   # trailing comment
del in_port(3),eth()
in_port(1),eth(),\
eth_type(0x0806),arp() 4

ufid:12345678-1234-1234-1234-123456789abc,in_port(2),eth() 1
EOF
	run dpctl parse-flows "$TMP/f"
	assert_success
	assert_line --index 0 "in_port(7),eth(),eth_type(0x0800),ipv4(frag=no), actions:2"
	assert_line --index 1 "modify in_port(1),eth(),eth_type(0x0806), actions:3"
	assert_line --index 2 "delete in_port(3),eth(),eth_type(0/0x0000)"
	assert_line --index 3 "in_port(1),eth(),eth_type(0x0806), actions:4"
	assert_line --index 4 "in_port(2),eth(), actions:1"
	run dpctl -m parse-flows "$TMP/f"
	assert_line --index 4 --regexp '^ufid:12345678-1234-1234-1234-123456789abc, recirc_id\(0/0\),'
}

@test "parse-flows output reads back to itself" {
	cat >"$TMP/f" <<'EOF'
in_port(1),eth(src=00:01:02:03:04:05/ff:ff:ff:ff:ff:f0),eth_type(0x0806),arp(op=1) 2
in_port(2),eth(),eth_type(0x0800),ipv4(src=10.1.0.0/255.255.0.0,frag=no) set(ipv4(ttl=63)),1,3
EOF
	run dpctl parse-flows "$TMP/f"
	assert_success
	first=$output
	printf '%s\n' "$first" >"$TMP/g"
	run dpctl parse-flows "$TMP/g"
	assert_success
	assert_output "$first"
}

@test "parse-flows names the bad token and its column, and goes on" {
	cat >"$TMP/f" <<'EOF'
in_port(1),eth(),eth_type(0x0800),ipv4(src=1.2.3) 2
in_port(1),eth(),eth_type(0x0806),arp() 2
in_port(1),eth(),eth_type(0x0806),arp() frobnicate
add in_port(1),eth()
delete in_port(1),eth() 2
EOF
	run dpctl parse-flows "$TMP/f"
	assert_failure 1
	assert_line "dpctl: parse-flows: $TMP/f:1: column 44: ipv4(src=1.2.3): bad IPv4 address '1.2.3'"
	assert_line "in_port(1),eth(),eth_type(0x0806), actions:2"
	assert_line --regexp "^dpctl: parse-flows: $TMP/f:3: actions: .*frobnicate"
	assert_line "dpctl: parse-flows: $TMP/f:4: add needs actions"
	assert_line "dpctl: parse-flows: $TMP/f:5: delete takes no actions ('2')"
}

@test "parse-flows refuses what the kernel would refuse, with its reason" {
	printf 'in_port(1),ipv4(src=1.2.3.4) 2\n' >"$TMP/f"
	run dpctl parse-flows "$TMP/f"
	assert_failure 1
	assert_output --regexp "^dpctl: parse-flows: $TMP/f:1: .+"
}

@test "parse-flows - reads stdin; -o json is one object per line" {
	run bash -c "printf '%s\n' 'in_port(1),eth(),eth_type(0x0806),arp() 2' 'delete in_port(2),eth()' | dpctl -o json parse-flows -"
	assert_success
	[ "$(printf '%s\n' "$output" | jq -r 'select(.command == null) | .key')" = "in_port(1),eth(),eth_type(0x0806)" ]
	[ "$(printf '%s\n' "$output" | jq -r 'select(.command == null) | .actions')" = "2" ]
	[ "$(printf '%s\n' "$output" | jq -r 'select(.command == "delete") | .key')" = "in_port(2),eth(),eth_type(0/0x0000)" ]
	[ "$(printf '%s\n' "$output" | jq -s length)" = 2 ]
}

@test "parse-flows on a missing file" {
	run dpctl parse-flows "$TMP/nope"
	assert_failure 1
	assert_output "dpctl: parse-flows: $TMP/nope: No such file or directory"
}

# --- batch and interactive -------------------------------------------------

@test "batch: errors carry FILE:LINE, the first one stops the batch" {
	printf 'in_port(1),eth(),eth_type(0x0806),arp() 2\n' >"$TMP/f"
	cat >"$TMP/b" <<EOF
# comment
parse-flows $TMP/f
frobnicate
parse-flows '$TMP/f'
EOF
	run dpctl -b "$TMP/b"
	assert_failure 2
	assert_line --index 0 "in_port(1),eth(),eth_type(0x0806), actions:2"
	assert_line --index 1 "dpctl: $TMP/b:3: unknown command 'frobnicate'; use --help for help"
	[ "${#lines[@]}" -eq 2 ]
}

@test "batch --force goes on after errors; options per line; stdin" {
	printf 'in_port(1),eth(),eth_type(0x0806),arp() 2\n' >"$TMP/f"
	run bash -c "printf '%s\n' 'parse-flows $TMP/nope' '-o json parse-flows $TMP/f' 'parse-flows \"$TMP/f\"' | dpctl -f -b -"
	assert_failure 1
	assert_line --index 0 "dpctl: stdin:1: parse-flows: $TMP/nope: No such file or directory"
	assert_line --index 1 '{"key":"in_port(1),eth(),eth_type(0x0806)","actions":"2"}'
	assert_line --index 2 "in_port(1),eth(),eth_type(0x0806), actions:2"
}

@test "batch: unterminated quote, nested -b and arguments after -b are refused" {
	printf "parse-flows 'x\n" >"$TMP/b"
	run dpctl -b "$TMP/b"
	assert_failure 2
	assert_output "dpctl: $TMP/b:1: unterminated quote or too many words"
	printf -- "-b x parse-flows y\n" >"$TMP/b"
	run dpctl -b "$TMP/b"
	assert_failure 2
	run dpctl -b "$TMP/b" show
	assert_failure 2
	run dpctl -b "$TMP/missing"
	assert_failure 1
	assert_output --partial "No such file or directory"
}

@test "interactive shell on a terminal: commands, completion, history" {
	need_cmd script
	printf 'in_port(1),eth(),eth_type(0x0806),arp() 2\n' >"$TMP/f"
	# "parse-f<TAB>" completes to the command; history goes to $HOME.
	run bash -c "printf 'parse-f\t%s\nfrobnicate\nquit\n' '$TMP/f' | HOME='$TMP' script -qec dpctl /dev/null"
	assert_success
	assert_output --partial "dpctl> "
	assert_output --partial "in_port(1),eth(),eth_type(0x0806), actions:2"
	assert_output --partial "dpctl: unknown command 'frobnicate'"
	run grep -c . "$TMP/.dpkit_history"
	assert_output 3
	run grep -F "parse-flows $TMP/f" "$TMP/.dpkit_history"
	assert_success
}

# --- datapaths --------------------------------------------------------------

@test "add-dp, dump-dps, show, del-dp" {
	need_dp
	run dpctl dump-dps
	assert_success
	assert_line "$(dp_type)@$(dp_name)"
	run dpctl show "$DP"
	assert_success
	assert_line --index 0 "$(dp_type)@$(dp_name):"
	assert_line --index 1 --regexp '^  lookups: hit:[0-9]+ missed:[0-9]+ lost:[0-9]+$'
	assert_line --index 2 "  flows: 0"
	assert_line --regexp '^  masks: hit:[0-9]+ total:0 hit/pkt:[0-9]+\.[0-9][0-9]$'
	assert_line "  port 0: $(dp_name) (internal)"
	run dpctl del-dp "$DP"
	assert_success
	run dpctl show "$DP"
	assert_failure 1
	assert_output "dpctl: show: $(dp_type)@$(dp_name): no such datapath"
}

@test "add-dp of an existing datapath, del-dp of a missing one" {
	need_dp
	run dpctl add-dp "$DP"
	assert_failure 1
	assert_output "dpctl: add-dp: $(dp_type)@$(dp_name): a datapath or network device of that name already exists"
	run dpctl del-dp "$(dp_type)@dpkit-nope"
	assert_failure 1
	assert_output "dpctl: del-dp: $(dp_type)@dpkit-nope: no such datapath"
}

@test "show and dump-dps -o json" {
	need_dp
	run dpctl -o json dump-dps
	assert_success
	[ "$(printf '%s\n' "$output" | jq -r "select(.name == \"$(dp_type)@$(dp_name)\") | .type")" = "$(dp_type)" ]
	run dpctl -o json -s show "$DP"
	assert_success
	[ "$(jq -r .name <<<"$output")" = "$(dp_type)@$(dp_name)" ]
	[ "$(jq -r .flows <<<"$output")" = 0 ]
	[ "$(jq -r '.ports[0].type' <<<"$output")" = internal ]
	[ "$(jq -r '.ports[0].stats.rx_packets' <<<"$output")" -ge 0 ]
}

@test "show is byte for byte ovs-dpctl's" {
	need_dp
	have_ovs_dpctl || skip "no ovs-dpctl to compare with (or not a kernel datapath)"
	add_veth "${P}a" "${P}b"
	run dpctl add-if "$DP" "${P}a" "${P}b,port_no=7" "${P}i,type=internal"
	assert_success
	# Counters move as the veths send IPv6 neighbour discovery: the
	# lines holding them are compared by form, the rest byte for byte.
	counters='lookups:|masks:|packets:|bytes:'
	a=$(dpctl show "$(dp_name)" | grep -Ev "$counters")
	b=$(ovs-dpctl show "$(dp_name)" 2>/dev/null | grep -Ev "$counters")
	[ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b"); false; }
	a=$(dpctl show -s "$(dp_name)" | sed -E 's/[0-9]+/N/g')
	b=$(ovs-dpctl show -s "$(dp_name)" 2>/dev/null | sed -E 's/[0-9]+/N/g')
	[ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b"); false; }
}

@test "commands that only read work without root; changes say permission denied" {
	need_root
	need_cmd setpriv
	need_dp
	[ "$(dp_type)" = system ] || skip "dpd's socket permissions are dpd's business"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups dpctl show "$DP"
	assert_success
	assert_line --index 0 "$(dp_type)@$(dp_name):"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups dpctl del-dp "$DP"
	assert_failure 1
	assert_output "dpctl: del-dp: $(dp_type)@$(dp_name): permission denied (datapath changes need CAP_NET_ADMIN: run as root)"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups dpctl add-flow "$DP" 'in_port(0),eth()' drop
	assert_failure 1
	assert_output --partial "permission denied"
}

# --- ports ------------------------------------------------------------------

@test "add-if: system, internal with port_no, tunnels" {
	need_dp
	add_veth "${P}a"
	run dpctl add-if "$DP" "${P}a" "${P}i,type=internal,port_no=10"
	assert_success
	run dpctl show "$DP"
	assert_line "  port 1: ${P}a"
	assert_line "  port 10: ${P}i (internal)"
	[ "$(dp_type)" = system ] || return 0
	run ip link show "${P}a"
	assert_output --partial ",UP"
	run dpctl add-if "$DP" "${P}v,type=vxlan,dst_port=4790" "${P}g,type=geneve" "${P}r,type=gre"
	assert_success
	run dpctl show "$DP"
	assert_line --regexp "^  port [0-9]+: ${P}v \(vxlan: dst_port=4790, packet_type=ptap\)$"
	assert_line --regexp "^  port [0-9]+: ${P}g \(geneve: packet_type=ptap\)$"
	assert_line --regexp "^  port [0-9]+: ${P}r \(gre: packet_type=ptap\)$"
	run dpctl -o json show "$DP"
	[ "$(jq -r ".ports[] | select(.name == \"${P}v\") | .dst_port" <<<"$output")" = 4790 ]
	[ "$(jq -r ".ports[] | select(.name == \"${P}g\") | .dst_port" <<<"$output")" = 6081 ]
}

@test "add-if errors say what is wrong" {
	need_dp
	add_veth "${P}a" "${P}b"
	dpctl add-if "$DP" "${P}a,port_no=5"
	run dpctl add-if "$DP" "${P}a"
	assert_failure 1
	assert_output "dpctl: add-if: ${P}a: already port 5 of $(dp_type)@$(dp_name)"
	run dpctl add-if "$DP" "${P}b,port_no=5"
	assert_failure 1
	assert_output "dpctl: add-if: ${P}b: port number 5 is in use by ${P}a"
	run dpctl add-if "$DP" "${P}b,port_no=70000"
	assert_failure 1
	assert_output --partial "bad port_no '70000'"
	run dpctl add-if "$DP" "${P}b,frob=1"
	assert_failure 1
	assert_output "dpctl: add-if: ${P}b: unknown option 'frob' (type, port_no, dst_port, exts)"
	run dpctl add-if "$DP" "${P}b,type=vxlan,remote_ip=10.0.0.1"
	assert_failure 1
	assert_output --partial "remote_ip: the datapath's tunnels are flow based"
	run dpctl add-if "$DP" "${P}b,type=frob"
	assert_failure 1
	assert_output --partial "unknown port type 'frob'"
	run dpctl add-if "$DP" "${P}b,dst_port=1"
	assert_failure 1
	assert_output --partial "dst_port and exts are options of vxlan and geneve ports only"
	run dpctl add-if "$DP" "${P}b,type=internal,type=internal"
	assert_failure 1
	assert_output --partial "duplicate \"type\" option"
	run dpctl add-if "$DP" "${P}nope"
	assert_failure 1
	assert_output "dpctl: add-if: ${P}nope: no such network device"
	# All or nothing: a port the datapath refuses takes back the ones the
	# command added before it; a bad argument stops everything.
	run dpctl add-if "$DP" "${P}b" "${P}nope"
	assert_failure 1
	assert_output "dpctl: add-if: ${P}nope: no such network device (the ports added before it were removed)"
	run dpctl add-if "$DP" "${P}b" "${P}c,frob=1" "${P}d,port_no=x"
	assert_failure 1
	assert_line "dpctl: add-if: ${P}c: unknown option 'frob' (type, port_no, dst_port, exts)"
	assert_line "dpctl: add-if: ${P}d: bad port_no 'x' (0 to 65534)"
	run dpctl show "$DP"
	refute_output --partial "${P}b"
	run dpctl add-if "$DP" "${P}b" "${P}b"
	assert_failure 1
	assert_output "dpctl: add-if: ${P}b: given twice"
}

@test "add-dp with ports: all or nothing" {
	need_dp
	drop_dp
	add_veth "${P}a"
	run dpctl add-dp "$DP" "${P}a,frob=1"
	assert_failure 1
	run dpctl show "$DP"
	assert_failure 1
	run dpctl add-dp "$DP" "${P}a" "${P}nope"
	assert_failure 1
	assert_line "dpctl: add-dp: ${P}nope: no such network device (the ports added before it were removed)"
	assert_line "dpctl: add-dp: $(dp_type)@$(dp_name) was deleted again"
	run dpctl show "$DP"
	assert_failure 1
	run dpctl add-dp "$DP" "${P}a"
	assert_success
	run dpctl show "$DP"
	assert_line "  port 1: ${P}a"
}

@test "set-if" {
	need_dp
	add_veth "${P}a"
	dpctl add-if "$DP" "${P}a"
	run dpctl set-if "$DP" "${P}a,type=internal"
	assert_failure 1
	assert_output "dpctl: set-if: ${P}a: can't change type from system to internal"
	run dpctl set-if "$DP" "${P}a,port_no=9"
	assert_failure 1
	assert_output "dpctl: set-if: ${P}a: can't change port number from 1 to 9"
	run dpctl set-if "$DP" "${P}a,type=system,port_no=1"
	assert_success
	run dpctl set-if "$DP" "${P}a,dst_port=5"
	assert_failure 1
	assert_output "dpctl: set-if: ${P}a: a system port has no options"
	run dpctl set-if "$DP" "${P}zz"
	assert_failure 1
	assert_output "dpctl: set-if: ${P}zz: no such port in $(dp_type)@$(dp_name)"
	run dpctl set-if "$DP" "${P}a,type=system" "${P}zz"
	assert_failure 1
	[ "$(dp_type)" = system ] || return 0
	dpctl add-if "$DP" "${P}v,type=vxlan"
	run dpctl set-if "$DP" "${P}v,dst_port=4789"
	assert_success
	run dpctl set-if "$DP" "${P}v,dst_port=4790"
	assert_failure 1
	assert_output "dpctl: set-if: ${P}v: the options of this port type cannot be changed"
}

@test "del-if by name and number" {
	need_dp
	add_veth "${P}a" "${P}b"
	dpctl add-if "$DP" "${P}a" "${P}b,port_no=7"
	run dpctl del-if "$DP" "${P}a" 7
	assert_success
	run dpctl show "$DP"
	refute_output --partial "${P}a"
	refute_output --partial "${P}b"
	run dpctl del-if "$DP" "${P}a" 7 0
	assert_failure 1
	assert_line "dpctl: del-if: ${P}a: no such port in $(dp_type)@$(dp_name)"
	assert_line "dpctl: del-if: 7: no such port in $(dp_type)@$(dp_name)"
	assert_line "dpctl: del-if: 0: port 0 is the datapath's local port: delete the datapath instead"
	# One bad argument: nothing is deleted.
	dpctl add-if "$DP" "${P}a"
	run dpctl del-if "$DP" "${P}a" "${P}zz"
	assert_failure 1
	run dpctl show "$DP"
	assert_line "  port 1: ${P}a"
	run dpctl del-if "$DP" "${P}a" 1
	assert_failure 1
	assert_output "dpctl: del-if: 1: port 1 is given twice"
}

# --- flows ------------------------------------------------------------------

# A datapath with ports 1 and 2 (veths).
flows_dp() {
	need_dp
	add_veth "${P}a" "${P}b"
	dpctl add-if "$DP" "${P}a" "${P}b"
}

@test "add-flow and dump-flows: text, -m, names, json" {
	flows_dp
	run dpctl add-flow "$DP" 'in_port(1),eth(),eth_type(0x0806),arp()' 2
	assert_success
	run dpctl add-flow "$DP" "ufid:12345678-1234-1234-1234-123456789abc,in_port(${P}b),eth(),eth_type(0x0800),ipv4(src=10.0.0.5/255.255.255.0,frag=no)" "set(ipv4(ttl=3)),${P}a"
	assert_success
	run dpctl dump-flows "$DP"
	assert_success
	assert_line "in_port(1),eth(),eth_type(0x0806), packets:0, bytes:0, used:never, actions:2"
	assert_line "in_port(2),eth(),eth_type(0x0800),ipv4(src=10.0.0.0/255.255.255.0,frag=no), packets:0, bytes:0, used:never, actions:set(ipv4(ttl=3)),1"
	run dpctl dump-flows --names "$DP"
	assert_line "in_port(${P}a),eth(),eth_type(0x0806), packets:0, bytes:0, used:never, actions:${P}b"
	run dpctl dump-flows -m "$DP"
	assert_line --regexp "^ufid:12345678-1234-1234-1234-123456789abc, recirc_id\(0/0\),.*in_port\(${P}b\),.*, packets:0, bytes:0, used:never, dp:ovs, actions:set\(ipv4\(ttl=3\)\),${P}a$"
	run dpctl dump-flows -m --no-names "$DP"
	assert_line --regexp "^recirc_id\(0/0\),dp_hash\(0/0\),skb_priority\(0/0\),in_port\(1\),.*, dp:ovs, actions:2$"
	run dpctl -o json dump-flows "$DP"
	assert_success
	[ "$(printf '%s\n' "$output" | jq -s length)" = 2 ]
	[ "$(printf '%s\n' "$output" | jq -r 'select(.ufid) | .ufid')" = 12345678-1234-1234-1234-123456789abc ]
	[ "$(printf '%s\n' "$output" | jq -r 'select(.ufid) | .used')" = null ]
	[ "$(printf '%s\n' "$output" | jq -r 'select(.ufid == null) | .actions')" = 2 ]
}

@test "dump-flows is byte for byte ovs-dpctl's" {
	flows_dp
	have_ovs_dpctl || skip "no ovs-dpctl to compare with (or not a kernel datapath)"
	dpctl add-flow "$DP" 'in_port(1),eth(),eth_type(0x0806),arp()' 2
	dpctl add-flow "$DP" 'ufid:12345678-1234-1234-1234-123456789abc,in_port(2),eth(),eth_type(0x0800),ipv4(src=10.0.0.5/255.255.255.0,frag=no)' 'set(ipv4(ttl=3)),1'
	dpctl add-flow "$DP" 'in_port(99),eth()' drop 2>/dev/null || true
	for o in "" -m --names "-m --no-names"; do
		# shellcheck disable=SC2086
		a=$(dpctl dump-flows $o "$(dp_name)" | sort)
		# shellcheck disable=SC2086
		b=$(ovs-dpctl dump-flows $o "$(dp_name)" 2>/dev/null | sort)
		[ "$a" = "$b" ] || { echo "dump-flows $o"; diff <(echo "$a") <(echo "$b"); false; }
	done
	a=$(dpctl get-flow "$(dp_name)" ufid:12345678-1234-1234-1234-123456789abc)
	b=$(ovs-dpctl get-flow "$(dp_name)" ufid:12345678-1234-1234-1234-123456789abc 2>/dev/null)
	[ "$a" = "$b" ]
}

@test "dump-flows filter=" {
	flows_dp
	dpctl add-flow "$DP" 'in_port(1),eth(),eth_type(0x0806),arp()' 2
	dpctl add-flow "$DP" 'in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)' 2
	dpctl add-flow "$DP" 'in_port(2),eth(),eth_type(0x0800),ipv4(frag=no)' 1
	run dpctl dump-flows "$DP" 'filter=in_port(1),eth_type(0x0800)'
	assert_success
	assert_output "in_port(1),eth(),eth_type(0x0800),ipv4(frag=no), packets:0, bytes:0, used:never, actions:2"
	run dpctl dump-flows "$DP" "filter=in_port=${P}b"
	assert_output "in_port(2),eth(),eth_type(0x0800),ipv4(frag=no), packets:0, bytes:0, used:never, actions:1"
	run dpctl dump-flows "$DP" filter=arp
	assert_output "in_port(1),eth(),eth_type(0x0806), packets:0, bytes:0, used:never, actions:2"
	# Flows that wildcard the protocol may see TCP to port 80: both pass.
	run dpctl dump-flows "$DP" filter=tcp,tp_dst=80
	[ "${#lines[@]}" -eq 2 ]
	run dpctl dump-flows "$DP" filter=ipv6
	assert_output ""
	run dpctl dump-flows "$DP" filter=frob=1
	assert_failure 1
	assert_output "dpctl: dump-flows: filter: unknown field 'frob'"
	run dpctl dump-flows "$DP" filter=nw_src=1.2.3
	assert_failure 1
	assert_output "dpctl: dump-flows: filter: nw_src=1.2.3: bad value"
	run dpctl dump-flows "$DP" type=ovs
	assert_failure 2
}

@test "the datapath may be left out when there is only one" {
	flows_dp
	[ "$(dpctl dump-dps | wc -l)" -eq 1 ] || skip "more than one datapath here"
	run dpctl add-flow 'in_port(1),eth(),eth_type(0x0806),arp()' 2
	assert_success
	run dpctl dump-flows
	assert_output "in_port(1),eth(),eth_type(0x0806), packets:0, bytes:0, used:never, actions:2"
	run dpctl del-flows
	assert_success
	run dpctl dump-flows
	assert_output ""
}

@test "get-flow" {
	flows_dp
	dpctl add-flow "$DP" 'ufid:12345678-1234-1234-1234-123456789abc,in_port(1),eth(),eth_type(0x0806),arp()' 2
	run dpctl get-flow "$DP" ufid:12345678-1234-1234-1234-123456789abc
	assert_success
	assert_output "in_port(1),eth(),eth_type(0x0806), packets:0, bytes:0, used:never, actions:2"
	run dpctl -m get-flow "$DP" ufid:12345678-1234-1234-1234-123456789abc
	assert_output --regexp '^ufid:12345678-1234-1234-1234-123456789abc, recirc_id'
	run dpctl get-flow "$DP" ufid:12345678-1234-1234-1234-123456789abd
	assert_failure 1
	assert_output "dpctl: get-flow: no such flow"
	run dpctl get-flow "$DP" 'in_port(1)'
	assert_failure 2
	assert_output "dpctl: get-flow: 'in_port(1)' is not a ufid (ufid:UUID)"
	run dpctl get-flow "$DP" ufid:1234
	assert_failure 1
}

@test "mod-flow: actions, -s, --clear, --may-create" {
	flows_dp
	f='in_port(1),eth(),eth_type(0x0806),arp()'
	dpctl add-flow "$DP" "$f" 2
	run dpctl mod-flow -s "$DP" "$f" 1
	assert_success
	assert_output "packets:0, bytes:0, used:never"
	run dpctl dump-flows "$DP"
	assert_output "in_port(1),eth(),eth_type(0x0806), packets:0, bytes:0, used:never, actions:1"
	run dpctl mod-flow --clear "$DP" "$f" drop
	assert_success
	run dpctl mod-flow "$DP" 'in_port(2),eth(),eth_type(0x0806),arp()' 1
	assert_failure 1
	assert_output "dpctl: mod-flow: no such flow (--may-create adds it)"
	run dpctl mod-flow --may-create "$DP" 'in_port(2),eth(),eth_type(0x0806),arp()' 1
	assert_success
	run dpctl dump-flows "$DP"
	assert_line "in_port(2),eth(),eth_type(0x0806), packets:0, bytes:0, used:never, actions:1"
	assert_line "in_port(1),eth(),eth_type(0x0806), packets:0, bytes:0, used:never, actions:drop"
}

@test "del-flow by key and by ufid, -s, errors" {
	flows_dp
	dpctl add-flow "$DP" 'in_port(1),eth(),eth_type(0x0806),arp()' 2
	dpctl add-flow "$DP" 'ufid:12345678-1234-1234-1234-123456789abc,in_port(2),eth(),eth_type(0x0806),arp()' 1
	run dpctl del-flow -s "$DP" 'in_port(1),eth(),eth_type(0x0806),arp()'
	assert_success
	assert_output "packets:0, bytes:0, used:never"
	run dpctl del-flow "$DP" 'in_port(2),eth(),eth_type(0x0806),arp()'
	assert_failure 1
	assert_output "dpctl: del-flow: no such flow (a flow added with a ufid is found only by its ufid)"
	run dpctl del-flow "$DP" ufid:12345678-1234-1234-1234-123456789abc
	assert_success
	run dpctl dump-flows "$DP"
	assert_output ""
}

@test "add-flow errors name the problem" {
	flows_dp
	run dpctl add-flow "$DP" 'in_port(99),eth()' 2
	assert_failure 1
	assert_output "dpctl: add-flow: in_port(99): no such port"
	run dpctl add-flow "$DP" 'in_port(nope),eth()' 2
	assert_failure 1
	assert_output --regexp "^dpctl: add-flow: column [0-9]+: in_port\(nope\): .*nope"
	run dpctl add-flow "$DP" 'in_port(1),eth(),eth_type(0x0800),ipv4(src=1.2.3)' 2
	assert_failure 1
	assert_output "dpctl: add-flow: column 44: ipv4(src=1.2.3): bad IPv4 address '1.2.3'"
	run dpctl add-flow "$DP" 'in_port(1),eth()' frobnicate
	assert_failure 1
	assert_output --regexp "^dpctl: add-flow: actions: .*frobnicate"
	# The kernel refuses this without saying why; dpctl explains.
	run dpctl add-flow "$DP" 'in_port(1),ipv4(src=1.2.3.4)' 2
	assert_failure 1
	assert_output --regexp "^dpctl: add-flow: the datapath refused the flow: .+"
	dpctl add-flow "$DP" 'in_port(1),eth()' 2
	run dpctl add-flow "$DP" 'in_port(1),eth()' 2
	assert_failure 1
	assert_output "dpctl: add-flow: flow already exists (mod-flow changes it)"
	run dpctl add-flow "$(dp_type)@dpkit-nope" 'in_port(1),eth()' 2
	assert_failure 1
	assert_output "dpctl: add-flow: $(dp_type)@dpkit-nope: no such datapath"
	# Nothing but the one good flow went in.
	[ "$(dpctl dump-flows "$DP" | wc -l)" -eq 1 ]
}

@test "add-flows: all lines or none" {
	flows_dp
	cat >"$TMP/good" <<'EOF'
in_port(1),eth(),eth_type(0x0806),arp() 2
add in_port(2),eth(),eth_type(0x0806),arp() 1
EOF
	cat >"$TMP/bad" <<'EOF'
in_port(1),eth(),eth_type(0x0800),ipv4(frag=no) 2
in_port(1),eth(),eth_type(0x0800),ipv4(src=1.2.3) 2
in_port(99),eth() 2
EOF
	run dpctl add-flows "$DP" "$TMP/bad"
	assert_failure 1
	assert_line "dpctl: add-flows: $TMP/bad:2: column 44: ipv4(src=1.2.3): bad IPv4 address '1.2.3'"
	assert_line "dpctl: add-flows: nothing was changed"
	run dpctl dump-flows "$DP"
	assert_output ""
	run dpctl add-flows "$DP" "$TMP/good"
	assert_success
	[ "$(dpctl dump-flows "$DP" | wc -l)" -eq 2 ]
	# The datapath refuses line 2 (it exists): line 1 is undone.
	printf '%s\n' 'in_port(2),eth(),eth_type(0x0800),ipv4(frag=no) 1' \
		'in_port(1),eth(),eth_type(0x0806),arp() 2' >"$TMP/dup"
	run dpctl add-flows "$DP" "$TMP/dup"
	assert_failure 1
	assert_output "dpctl: add-flows: $TMP/dup:2: flow already exists (the changes before it were undone)"
	[ "$(dpctl dump-flows "$DP" | wc -l)" -eq 2 ]
	run dpctl dump-flows "$DP" filter=ip
	assert_output ""
}

@test "mod-flows and del-flows FILE, and a dump piped back in" {
	flows_dp
	printf '%s\n' 'in_port(1),eth(),eth_type(0x0806),arp() 2' \
		'in_port(2),eth(),eth_type(0x0806),arp() 1' | dpctl add-flows "$DP" -
	printf '%s\n' 'in_port(1),eth(),eth_type(0x0806),arp() drop' >"$TMP/m"
	run dpctl mod-flows "$DP" "$TMP/m"
	assert_success
	run dpctl dump-flows "$DP" filter=in_port=1
	assert_output "in_port(1),eth(),eth_type(0x0806), packets:0, bytes:0, used:never, actions:drop"
	# A failing modify puts the earlier modifications back.
	printf '%s\n' 'in_port(1),eth(),eth_type(0x0806),arp() 2' \
		'in_port(1),eth(),eth_type(0x88cc) 2' >"$TMP/m2"
	run dpctl mod-flows "$DP" "$TMP/m2"
	assert_failure 1
	run dpctl dump-flows "$DP" filter=in_port=1
	assert_output --partial "actions:drop"
	# A listing reads back when it leaves out nothing the kernel requires
	# (ARP flows leave out arp(): see the man page).
	dpctl del-flows "$DP"
	printf '%s\n' 'in_port(1),eth(),eth_type(0x88cc) 2' \
		'ufid:12345678-1234-1234-1234-123456789abc,in_port(2),eth(src=02:00:00:00:00:01),eth_type(0x88b5) 1' |
		dpctl add-flows "$DP" -
	dpctl dump-flows "$DP" >"$TMP/dump"
	dpctl -m dump-flows "$DP" | grep '^ufid:' | cut -d, -f1 >"$TMP/ufid"
	run dpctl del-flows "$DP" "$TMP/ufid"
	assert_success
	run dpctl del-flows "$DP" "$TMP/dump"
	assert_failure 1
	assert_output --partial "no such flow"
	dpctl del-flows "$DP"
	grep -v 'in_port(2)' "$TMP/dump" >"$TMP/dump1"
	dpctl add-flows "$DP" "$TMP/dump1"
	run dpctl del-flows "$DP" "$TMP/dump1"
	assert_success
	run dpctl dump-flows "$DP"
	assert_output ""
	run dpctl add-flows "$DP" "$TMP/dump"
	assert_success
	[ "$(dpctl dump-flows "$DP" | wc -l)" -eq 2 ]
	run dpctl dump-flows "$DP"
	assert_line "in_port(2),eth(src=02:00:00:00:00:01),eth_type(0x88b5), packets:0, bytes:0, used:never, actions:1"
	run dpctl del-flows "$DP"
	assert_success
	run dpctl dump-flows "$DP"
	assert_output ""
}

@test "batch against a datapath: one connection, many commands" {
	flows_dp
	cat >"$TMP/b" <<EOF
add-flow $DP in_port(1),eth(),eth_type(0x0806),arp() 2
dump-flows $DP
del-flow $DP in_port(1),eth(),eth_type(0x0806),arp()
del-flow $DP in_port(1),eth(),eth_type(0x0806),arp()
show $DP
EOF
	run dpctl -b "$TMP/b"
	assert_failure 1
	assert_line "in_port(1),eth(),eth_type(0x0806), packets:0, bytes:0, used:never, actions:2"
	assert_line --regexp "^dpctl: $TMP/b:4: del-flow: no such flow"
	refute_output --partial "lookups:"
	run dpctl -f -b "$TMP/b"
	assert_failure 1
	assert_output --partial "lookups:"
}

@test "traffic: packets, bytes, used and tcp flags are counted" {
	flows_dp
	need_root
	need_cmd ping
	ip netns add "${P}n1"
	ip netns add "${P}n2"
	ip link set "${P}ap" netns "${P}n1"
	ip link set "${P}bp" netns "${P}n2"
	ip -n "${P}n1" addr add 10.9.0.1/24 dev "${P}ap"
	ip -n "${P}n1" link set "${P}ap" up
	ip -n "${P}n2" addr add 10.9.0.2/24 dev "${P}bp"
	ip -n "${P}n2" link set "${P}bp" up
	dpctl add-flow "$DP" 'in_port(1),eth(),eth_type(0x0806),arp()' 2
	dpctl add-flow "$DP" 'in_port(2),eth(),eth_type(0x0806),arp()' 1
	dpctl add-flow "$DP" 'in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)' 2
	dpctl add-flow "$DP" 'in_port(2),eth(),eth_type(0x0800),ipv4(frag=no)' 1
	run ip netns exec "${P}n1" ping -c 2 -i 0.2 -W 2 10.9.0.2
	# A TCP SYN to a closed port: the reply is RST+ACK.
	ip netns exec "${P}n1" timeout 5 bash -c 'exec 3<>/dev/tcp/10.9.0.2/9' 2>/dev/null || true
	ip netns del "${P}n1"
	ip netns del "${P}n2"
	run dpctl dump-flows "$DP" filter=ip,in_port=1
	assert_output --regexp '^in_port\(1\),eth\(\),eth_type\(0x0800\),ipv4\(frag=no\), packets:3, bytes:2[0-9]{2}, used:[0-9]+\.[0-9]{3}s, flags:S, actions:2$'
	run dpctl dump-flows "$DP" filter=ip,in_port=2
	assert_output --regexp ', packets:3, bytes:2[0-9]{2}, used:[0-9]+\.[0-9]{3}s, flags:R\., actions:1$'
	run dpctl -o json dump-flows "$DP" filter=ip,in_port=1
	[ "$(jq -r '.used | . >= 0 and . < 60' <<<"$output")" = true ]
	[ "$(jq -r .flags <<<"$output")" = S ]
	run dpctl show "$DP"
	assert_line --regexp '^  lookups: hit:[1-9][0-9]* missed:[0-9]+ lost:[0-9]+$'
}

@test "parse-flows predicts what the kernel reports" {
	flows_dp
	[ "$(dp_type)" = system ] || skip "the canonical form is the kernel's"
	cat >"$TMP/f" <<'EOF'
in_port(1),eth(src=00:01:02:03:04:05/ff:ff:ff:00:00:00),eth_type(0x0800),ipv4(src=10.0.0.7/255.255.255.0,dst=10.1.0.0/16,proto=17,tos=0x10/0xfc,frag=no),udp(dst=53) 2
in_port(2),eth(),eth_type(0x86dd),ipv6(src=2001:db8::1/ffff:ffff::,frag=no) 1
in_port(1),eth(),eth_type(0x8100),vlan(vid=10,pcp=3),encap(eth_type(0x0800),ipv4(frag=no)) pop_vlan,2
in_port(2),eth(),eth_type(0x0806),arp(sip=10.0.0.1,op=1) push_vlan(vid=7,pcp=0),1
in_port(1),skb_mark(0x5/0xff),eth(),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(src=1024/0xfc00) ct(commit,zone=5),recirc(0x2)
EOF
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		printf '%s\n' "$line" >"$TMP/one"
		for m in "" -m; do
			# shellcheck disable=SC2086
			want=$(dpctl $m --no-names parse-flows "$TMP/one" 2>&1) || true
			dpctl del-flows "$DP"
			if dpctl add-flows "$DP" "$TMP/one" 2>"$TMP/err"; then
				# shellcheck disable=SC2086
				got=$(dpctl $m --no-names dump-flows "$DP" | strip_stats | sed 's/, dp:ovs//')
			else
				got="refused: $(cat "$TMP/err")"
				[[ $want == dpctl:* ]] && continue
			fi
			[ "$want" = "$got" ] || { echo "line $n ($m): $line"; echo " parse-flows: $want"; echo " kernel:      $got"; false; }
		done
	done <"$TMP/f"
	[ "$n" -eq 5 ]
}

@test "parse-flows predicts the kernel for Open vSwitch's test inputs" {
	c=/work/shared/conformance/odp-keys/accepted.tsv
	[ -r "$c" ] || skip "no conformance data at $c"
	flows_dp
	[ "$(dp_type)" = system ] || skip "the canonical form is the kernel's"
	# Inputs whose in_port is a port here (1 or 2) or absent.
	awk -F'\t' 'NR > 1 && ($1 !~ /in_port\(/ || $1 ~ /in_port\([12]\)/) { print $1 " " $2 }' "$c" >"$TMP/in"
	n=$(wc -l <"$TMP/in")
	[ "$n" -gt 100 ]
	# What parse-flows predicts, line by line ("ERR" where it refuses).
	dpctl --no-names parse-flows "$TMP/in" >"$TMP/want.ok" 2>"$TMP/want.err" || true
	# What the kernel does: one batch, each flow alone in the table.
	# (Flow texts hold no quotes: single quotes keep them whole.)
	while read -r k a; do
		printf "del-flows %s\nadd-flow %s '%s' '%s'\ndump-flows --no-names %s\n" \
			"$DP" "$DP" "$k" "$a" "$DP"
	done <"$TMP/in" >"$TMP/batch"
	dpctl -f -b "$TMP/batch" >"$TMP/got.ok" 2>"$TMP/got.err" || true
	bad=0
	wi=0 gi=0
	for i in $(seq 1 "$n"); do
		if grep -q "^dpctl: parse-flows: $TMP/in:$i: " "$TMP/want.err"; then
			want=ERR
		else
			wi=$((wi + 1))
			want=$(sed -n "${wi}p" "$TMP/want.ok")
		fi
		if grep -q "^dpctl: $TMP/batch:$((3 * i - 1)): " "$TMP/got.err"; then
			got=ERR
		else
			gi=$((gi + 1))
			got=$(sed -n "${gi}p" "$TMP/got.ok" | strip_stats)
		fi
		if [ "$want" != "$got" ]; then
			bad=$((bad + 1))
			echo "input:       $(sed -n "${i}p" "$TMP/in")"
			echo " parse-flows: $want $(grep "$TMP/in:$i: " "$TMP/want.err")"
			echo " kernel:      $got $(grep "$TMP/batch:$((3 * i - 1)): " "$TMP/got.err")"
		fi
	done
	echo "$bad of $n inputs differ"
	echo "# parse-flows vs the kernel: $n inputs, $bad differ" >&3
	[ "$bad" -eq 0 ]
}

@test "dpif against the datapath: execute, upcalls to a listener, ufid flows" {
	need_dp
	drop_dp
	bin=${DPKIT_BUILD:-$BATS_TEST_DIRNAME/../../build}/tests/unit/dpif_live
	[ -x "$bin" ] || skip "$bin is not built"
	run "$bin"
	assert_success
	refute_output --partial "not ok"
	refute_output --partial "# skip"
}
