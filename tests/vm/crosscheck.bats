#!/usr/bin/env bats
# dpkit's dpctl against Debian's ovs-dpctl (Open vSwitch 3.1) on the same
# kernel datapath, in the VM (tests/vm/run.sh).  Both tools must write the
# same flows into the kernel and print the kernel's flows the same way:
#
#   - a handful of flows of our own (keys with masks, L2 to L4, VLAN, ct
#     state, and a range of actions): added with one tool, dumped with both;
#   - the conformance corpus ($DPKIT_CONFORMANCE/odp-keys/accepted.tsv,
#     what ovs-dpctl accepted on a userspace datapath): each row added with
#     ovs-dpctl to a kernel datapath with ports 1-4, then `ovs-dpctl
#     dump-flows` compared with `dpctl dump-flows`, plain and -m, and with
#     `dpctl parse-flows` of the row's input (dpctl's canonical form: what
#     dump-flows prints minus the statistics); rows the kernel refuses must
#     be refused by `dpctl add-flow`; rows the kernel accepts, added with
#     `dpctl add-flow`, must read back with ovs-dpctl as they did.
#
# Mismatches are reported by corpus row (line number in accepted.tsv minus
# the header) and category; with $DPKIT_ARTIFACTS set (run.sh does), the
# full report is written there too.  The suite skips, saying why, when
# dpctl is not built, ovs-dpctl is missing, or the kernel module is absent.
#
# How rows are batched (ovs-dpctl costs a quarter second per run under
# TCG): each row gets a ufid that encodes its number, all pending rows go
# in with one `ovs-dpctl add-flows`, and `dump-flows -m` tells which rows
# the kernel took.  Rows that share a key with a taken row wait for the
# next round on an emptied table; a round that takes nothing leaves only
# rows the kernel refuses on their own.

load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash
load lib

# Flows of our own that the kernel accepts: KEY <tab> ACTIONS.
HAND="\
in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x1234)	2
in_port(2),eth(),eth_type(0x0806),arp(sip=10.0.0.1,tip=10.0.0.2,op=1,sha=00:01:02:03:04:05,tha=00:00:00:00:00:00)	1,3
recirc_id(0x1),in_port(2),eth(),eth_type(0x0800),ipv4(src=10.0.0.0/255.255.255.0,dst=10.0.1.1,proto=6,tos=0/0xfc,ttl=64,frag=no),tcp(src=1024/0xfc00,dst=80),tcp_flags(+syn-ack)	set(ipv4(ttl=63)),ct(commit,zone=5),3
in_port(3),eth(),eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::/ffff:ffff::,label=0/0xfffff,proto=17,tclass=0,hlimit=64,frag=no),udp(src=53,dst=1024/0xfc00)	push_vlan(vid=10,pcp=3),4
in_port(4),eth(),eth_type(0x8100),vlan(vid=10,pcp=3),encap(eth_type(0x0800),ipv4(src=1.1.1.1,dst=2.2.2.2,proto=1,tos=0,ttl=64,frag=no),icmp(type=8,code=0))	pop_vlan,1
skb_mark(0x5/0xff),skb_priority(0x7),in_port(1),eth(),eth_type(0x0800),ipv4(frag=later)	userspace(pid=4242)
ct_state(+est+trk),ct_zone(5),ct_mark(0x1/0xff),recirc_id(0x2),in_port(2),eth(),eth_type(0x0800),ipv4(proto=17,frag=no),udp(dst=4789)	clone(set(eth(dst=ff:ff:ff:ff:ff:ff)),1),2
in_port(1),eth(),eth_type(0x0800),ipv4(proto=132,frag=no),sctp(src=1,dst=2)	set(sctp(dst=9)),trunc(100),2
in_port(2),eth(),eth_type(0x86dd),ipv6(proto=58,frag=no),icmpv6(type=135,code=0),nd(target=2001:db8::5)	recirc(7)
in_port(4),eth(),eth_type(0x0800),ipv4(src=10.0.0.1,frag=no)	ct(commit,nat(src=10.0.0.240-10.0.0.254:32768-65535)),recirc(9)
in_port(1),eth(),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(),tcp_flags(0/0)	sample(sample=50.0%,actions(userspace(pid=7))),check_pkt_len(size=200,gt(2),le(3))"

# Flows the kernel refuses: TCP without tcp_flags; set(tcp) on UDP.
HAND_REFUSED="\
in_port(1),eth(),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)	2
in_port(1),eth(),eth_type(0x0800),ipv4(proto=17,frag=no),udp(dst=53)	set(tcp(dst=80)),2"

UFID=01234567-89ab-cdef-0123-456789abcdef

setup_file() {
	export XC_SKIP=
	if [ ! -d /sys/module/openvswitch ]; then
		XC_SKIP="no openvswitch kernel module here (run me with tests/vm/run.sh)"
	elif ! command -v ovs-dpctl >/dev/null; then
		XC_SKIP="Debian's ovs-dpctl is not installed (openvswitch-switch)"
	elif [ "$(basename "$DPCTL")" = ovs-dpctl ]; then
		XC_SKIP="dpkit's dpctl is not built yet (no ${DPKIT_BIN:-\$DPKIT_BIN}/dpctl): nothing to cross-check ovs-dpctl with"
	fi
	[ -n "$XC_SKIP" ] && return 0
	no_ipv6
	dp_down
	# Ports 1-4: internal ports, kept down so that no packet touches a
	# flow's statistics between two dumps.
	ovs-dpctl add-dp "$DP"
	local i
	for i in 1 2 3 4; do
		ovs-dpctl add-if "$DP" "xp$i,type=internal"
		ip link set "xp$i" down
	done
}

teardown_file() {
	[ -n "${XC_SKIP:-}" ] || dp_down
}

setup() {
	[ -z "$XC_SKIP" ] || skip "$XC_SKIP"
	ovs-dpctl del-flows "$DP"
}

# hand_add: $HAND into the datapath with ovs-dpctl (all of it, or fail);
# its dump in $BATS_TEST_TMPDIR/ovs.
hand_add() {
	echo "$HAND" >"$BATS_TEST_TMPDIR/hand"
	tr '\t' ' ' <"$BATS_TEST_TMPDIR/hand" | ovs-dpctl add-flows "$DP" -
	ovs-dpctl dump-flows "$DP" >"$BATS_TEST_TMPDIR/ovs"
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/ovs")" "$(wc -l <"$BATS_TEST_TMPDIR/hand")"
}

# add_each TOOL FILE: TOOL add-flow each "KEY<tab>ACTIONS" line of FILE;
# prints the lines TOOL refused, with its message.
add_each() {
	local tool=$1 k a err
	while IFS=$'\t' read -r k a; do
		err=$("$tool" add-flow "$DP" "$k" "$a" 2>&1) ||
			printf '%s %s: %s\n' "$k" "$a" "$err"
	done <"$2"
}

# report NAME: the mismatch report on stdin, to the test's output (the
# first 40 lines) and to $DPKIT_ARTIFACTS/crosscheck-NAME.txt; fails when
# there is one.
report() {
	local f=$BATS_TEST_TMPDIR/report
	cat >"$f"
	[ -s "$f" ] || return 0
	if [ -n "${DPKIT_ARTIFACTS:-}" ] && mkdir -p "$DPKIT_ARTIFACTS"; then
		cp "$f" "$DPKIT_ARTIFACTS/crosscheck-$1.txt"
		echo "full report: crosscheck-$1.txt in the VM artifacts"
	fi
	head -n 40 "$f"
	[ "$(wc -l <"$f")" -le 40 ] || echo "... $(($(wc -l <"$f") - 40)) more lines"
	return 1
}

# Differences between dpctl and ovs-dpctl 3.1 that are known and have been
# reported; known() takes them out of both sides, so that any other
# difference still fails, and known_note says in the TAP output how many
# lines had one.  Remove an entry when the tools agree, or when dpctl.8
# documents it.
#  - IPv6 keys: this kernel returns OVS_KEY_ATTR_IPV6_EXTHDRS (32), which
#    OVS 3.1 does not know: ovs-dpctl prints key32(00 00/00 00), dpctl
#    leaves it out (plain) or names it ipv6_exthdrs(0/0) (-m).
#  - userspace(pid=N) without userdata: ovs-dpctl 3.1 sends 48 zero bytes
#    of userdata, and prints them back as userdata(00...); dpctl sends
#    none.
known() {
	sed -e 's/,key32(00 00\/00 00)//g' -e 's/,ipv6_exthdrs(0\/0)//g' -e 's/,userdata(0*)//g'
}
KNOWN_RE=',key32\(00 00/00 00\)|,ipv6_exthdrs\(0/0\)|,userdata\(0+\)'

# known_note FILE...: how many lines of FILEs have a known difference.
known_note() {
	local c
	c=$(cat "$@" | grep -c -E "$KNOWN_RE")
	[ "$c" -eq 0 ] ||
		echo "# known differences (key32/ipv6_exthdrs, zero userdata) in $c lines, left out" >&3
}

@test "flows added with ovs-dpctl: dpctl dump-flows prints them as ovs-dpctl does" {
	hand_add
	run "$DPCTL" dump-flows "$DP"
	assert_success
	known_note "$BATS_TEST_TMPDIR/ovs" <(echo "$output")
	assert_equal "$(echo "$output" | known)" "$(known <"$BATS_TEST_TMPDIR/ovs")"
}

@test "flows added with ovs-dpctl: dpctl dump-flows -m prints them as ovs-dpctl does" {
	hand_add
	ovs-dpctl dump-flows -m "$DP" >"$BATS_TEST_TMPDIR/ovs"
	run "$DPCTL" dump-flows -m "$DP"
	assert_success
	known_note "$BATS_TEST_TMPDIR/ovs" <(echo "$output")
	assert_equal "$(echo "$output" | known)" "$(known <"$BATS_TEST_TMPDIR/ovs")"
}

@test "flows added with dpctl: ovs-dpctl dump-flows reads back what ovs-dpctl adds" {
	hand_add
	ovs-dpctl dump-flows -m "$DP" >"$BATS_TEST_TMPDIR/ovs-m"
	ovs-dpctl del-flows "$DP"
	run add_each "$DPCTL" "$BATS_TEST_TMPDIR/hand"
	assert_output ""
	ovs-dpctl dump-flows "$DP" >"$BATS_TEST_TMPDIR/got"
	ovs-dpctl dump-flows -m "$DP" >"$BATS_TEST_TMPDIR/got-m"
	known_note "$BATS_TEST_TMPDIR/ovs" "$BATS_TEST_TMPDIR/got"
	assert_equal "$(known <"$BATS_TEST_TMPDIR/got" | sort)" "$(known <"$BATS_TEST_TMPDIR/ovs" | sort)"
	assert_equal "$(known <"$BATS_TEST_TMPDIR/got-m" | sort)" "$(known <"$BATS_TEST_TMPDIR/ovs-m" | sort)"
}

@test "ufids: one tool sets it, the other prints it (dump-flows -m)" {
	local k=${HAND%%$'\t'*} a=${HAND#*$'\t'}
	a=${a%%$'\n'*}
	ovs-dpctl add-flow "$DP" "ufid:$UFID,$k" "$a"
	run "$DPCTL" dump-flows -m "$DP"
	assert_success
	assert_output "$(ovs-dpctl dump-flows -m "$DP")"
	assert_output --partial "ufid:$UFID, "
	ovs-dpctl del-flows "$DP"
	run "$DPCTL" add-flow "$DP" "ufid:$UFID,$k" "$a"
	assert_success
	run ovs-dpctl dump-flows -m "$DP"
	assert_output --partial "ufid:$UFID, "
}

@test "flows the kernel refuses, dpctl add-flow refuses too" {
	local k a
	while IFS=$'\t' read -r k a; do
		run ovs-dpctl add-flow "$DP" "$k" "$a"
		assert_failure
		run "$DPCTL" add-flow "$DP" "$k" "$a"
		assert_failure
	done <<<"$HAND_REFUSED"
	run ovs-dpctl dump-flows "$DP"
	assert_output ""
}

# --- the corpus -------------------------------------------------------------

# corpus_load: prepare once per file (in $BATS_FILE_TMPDIR/corpus), skip
# when the corpus is absent.  Files:
#   rows       N <tab> key <tab> actions <tab> category, for each row
#   accepted   N <tab> round <tab> ovs plain <tab> ovs -m <tab> dpctl plain
#              <tab> dpctl -m, for each row the kernel took (dump order)
#   accepted.k the same through known()
#   refused    N, for each row the kernel refused
corpus_load() {
	local tsv=${DPKIT_CONFORMANCE:-}/odp-keys/accepted.tsv
	if [ -z "${DPKIT_CONFORMANCE:-}" ] || [ ! -f "$tsv" ]; then
		skip "conformance corpus not found (${tsv}; set DPKIT_CONFORMANCE)"
	fi
	C=$BATS_FILE_TMPDIR/corpus
	[ -f "$C/done" ] && return 0
	[ -f "$C/failed" ] && { cat "$C/failed"; return 1; }
	if ! { mkdir -p "$C" && corpus_prepare "$tsv" >"$C/log" 2>&1 &&
		known <"$C/accepted" >"$C/accepted.k"; }; then
		echo "preparing the corpus failed" >>"$C/log"
		mv "$C/log" "$C/failed"
		cat "$C/failed"
		return 1
	fi
	touch "$C/done"
}

# corpus_prepare TSV: two passes over the rows.
#
# 1. Which rows the kernel takes, and in which rounds: each row gets a ufid
#    that encodes its number; all pending rows go in with one `ovs-dpctl
#    add-flows`; `dump-flows -m` prints the ufids of the rows taken.  Rows
#    that share a key with a row taken wait for the next round, on an
#    emptied table; a round that takes nothing leaves the rows the kernel
#    refuses on their own.
# 2. The flows as a user adds them, without ufid (the kernel then dumps the
#    key as given, not masked): per round, add-flows, then the four dumps
#    (two tools, plain and -m) of the same table, which list the flows in
#    the same order.  Which dump line is which row: for each bit B, a
#    table of only the rows whose index in the round has bit B set; the
#    dumps a line appears in spell its row's index.  (Deleting flows by
#    key instead does not work: the kernel finds a flow added without ufid
#    by its key as added, which ovs-dpctl does not rebuild for del-flow.)
corpus_prepare() {
	local tsv=$1 r=0 rounds
	awk -F'\t' 'NR > 1 { print NR - 1 "\t" $1 "\t" $2 "\t" $9 }' "$tsv" >"$C/rows"
	cut -f1 "$C/rows" | sort >"$C/pending"
	while [ -s "$C/pending" ]; do
		r=$((r + 1))
		ovs-dpctl del-flows "$DP"
		awk -F'\t' 'NR == FNR { want[$1] = 1; next }
			want[$1] { printf "ufid:00000000-0000-0000-0000-%012d,%s %s\n", $1, $2, $3 }' \
			"$C/pending" "$C/rows" >"$C/u$r.all"
		{ grep -v ' drop$' "$C/u$r.all"; grep ' drop$' "$C/u$r.all"; } >"$C/u$r.in"
		ovs_add "$C/u$r.in"
		ovs-dpctl dump-flows -m "$DP" |
			sed -n 's/^ufid:0*-0*-0*-0*-0*\([0-9]*\), .*/\1/p' | sort >"$C/r$r.rows"
		[ -s "$C/r$r.rows" ] || { rm "$C/r$r.rows"; r=$((r - 1)); break; }
		comm -23 "$C/pending" "$C/r$r.rows" >"$C/pending.next"
		mv "$C/pending.next" "$C/pending"
	done
	mv "$C/pending" "$C/refused"
	rounds=$r
	# Pass 2, round k: the rows in p$k.rows; p$k.in lists them in that
	# order ("KEY ACTIONS"), so that index i is line i of both.
	for ((r = 1; r <= rounds; r++)); do cp "$C/r$r.rows" "$C/p$r.rows"; done
	: >"$C/accepted"
	local k=1 last=$rounds
	while [ -f "$C/p$k.rows" ]; do
		ovs-dpctl del-flows "$DP"
		round_in "$k"
		ovs_add "$C/p$k.in"
		round_dump "$k" || { round_one_by_one "$k" && round_dump "$k"; } || return 1
		# Without ufids some flows overlap: the kernel refuses a flow
		# whose key an earlier flow of the round matches.  Those rows
		# wait for a round of their own; a round where no row is taken
		# has only rows the kernel refuses even on an empty table.
		sort "$C/p$k.map" >"$C/p$k.took"
		if [ ! -s "$C/p$k.took" ]; then
			sed 's/^/without ufid the kernel refuses row /' "$C/p$k.rows"
			cat "$C/p$k.rows" >>"$C/refused"
		else
			sort "$C/p$k.rows" | comm -23 - "$C/p$k.took" >"$C/p$k.later"
			if [ -s "$C/p$k.later" ]; then
				last=$((last + 1))
				mv "$C/p$k.later" "$C/p$last.rows"
				awk 'NR == FNR { took[$1] = 1; next } took[$1]' \
					"$C/p$k.took" "$C/p$k.rows" >"$C/p$k.rows.new"
				mv "$C/p$k.rows.new" "$C/p$k.rows"
				round_in "$k"
			fi
			sed "s/^/$k\t/" "$C/p$k.A" |
				paste "$C/p$k.map" - "$C/p$k.Am" "$C/p$k.B" "$C/p$k.Bm" |
				awk -F'\t' '$2 != ""' >>"$C/accepted"
		fi
		k=$((k + 1))
	done
	sort -o "$C/refused" "$C/refused"
	ovs-dpctl del-flows "$DP"
}

# round_one_by_one K: when the dump lines of round K could not be told
# apart: add its rows one at a time, keep those the kernel takes.
round_one_by_one() {
	local k=$1 n key act
	echo "round $k: dump lines not told apart; adding its rows one at a time"
	ovs-dpctl del-flows "$DP"
	paste "$C/p$k.rows" "$C/p$k.in" | while IFS=$'\t ' read -r n key act; do
		[ "$act" = drop ] && act=''
		ovs-dpctl add-flow "$DP" "$key" "$act" 2>/dev/null && echo "$n"
	done >"$C/p$k.rows.new"
	mv "$C/p$k.rows.new" "$C/p$k.rows"
	round_in "$k"
}

# round_in K: p$K.in from p$K.rows, rows with the action drop last (see
# ovs_add), p$K.rows reordered the same way.
round_in() {
	local p=$C/p$1
	awk -F'\t' 'NR == FNR { k[$1] = $2 " " $3; next } { print $1 "\t" k[$1] }' \
		"$C/rows" "$p.rows" >"$p.tmp"
	{ grep -v ' drop$' "$p.tmp"; grep ' drop$' "$p.tmp"; } >"$p.tmp2"
	cut -f1 "$p.tmp2" >"$p.rows"
	cut -f2 "$p.tmp2" >"$p.in"
	rm -f "$p.tmp" "$p.tmp2"
}

# ovs_add FILE: ovs-dpctl adds the "KEY ACTIONS" lines of FILE in order,
# with one exception.  ovs-dpctl 3.1 writes the action drop as an explicit
# OVS_ACTION_ATTR_DROP, which this kernel (6.1) does not know and refuses;
# an empty action list is the same flow to the kernel and both tools print
# it "drop": lines whose actions are drop (last in FILE) get one.
ovs_add() {
	grep -v ' drop$' "$1" >"$1.batch"
	[ -s "$1.batch" ] && ovs-dpctl add-flows "$DP" "$1.batch" 2>/dev/null
	grep ' drop$' "$1" | while read -r k _; do
		ovs-dpctl add-flow "$DP" "$k" '' 2>/dev/null
	done
	return 0
}

# round_dump K: the four dumps of round K's table, and which line is which
# row (see corpus_prepare) in p$K.map; fails when that is not clear.
round_dump() {
	local k=$1 p=$C/p$1 nb=0 b files
	ovs-dpctl dump-flows "$DP" >"$p.A"
	ovs-dpctl dump-flows -m "$DP" >"$p.Am"
	"$DPCTL" dump-flows "$DP" >"$p.B" 2>&1
	"$DPCTL" dump-flows -m "$DP" >"$p.Bm" 2>&1
	while [ $((1 << nb)) -le "$(wc -l <"$p.rows")" ]; do nb=$((nb + 1)); done
	files=("$p.rows")
	for ((b = 0; b < nb; b++)); do
		awk -v b="$b" 'int(NR / 2 ^ b) % 2 == 1' "$p.in" >"$p.b$b.in"
		ovs-dpctl del-flows "$DP"
		ovs_add "$p.b$b.in"
		ovs-dpctl dump-flows "$DP" >"$p.b$b.has"
		files+=("$p.b$b.has")
	done
	awk -v nb="$nb" -v rows="$p.rows" '
		FILENAME == rows { row[FNR] = $0; next }
		FILENAME ~ /[.]has$/ {
			b = FILENAME; sub(/.*[.]b/, "", b); sub(/[.]has$/, "", b)
			has[b, $0] = 1; next
		}
		{
			idx = 0
			for (b = 0; b < nb; b++)
				if ((b, $0) in has) idx += 2 ^ b
			print (idx in row) ? row[idx] : "?"
		}' "${files[@]}" "$p.A" >"$p.map"
	[ -z "$(sort "$p.map" | uniq -d)" ] && ! grep -q '?' "$p.map"
}

# row_label N: "row N (category)".
row_label() {
	awk -F'\t' -v n="$1" '$1 == n { print "row " n " (" $4 ")"; exit }' "$C/rows"
}

@test "corpus: rows the kernel refuses, dpctl add-flow refuses too" {
	corpus_load
	echo "# corpus: the kernel took $(wc -l <"$C/accepted") of $(wc -l <"$C/rows") rows" \
		"(in $(cut -f2 "$C/accepted" | sort -u | wc -l) rounds), refused $(wc -l <"$C/refused")" >&3
	[ -s "$C/log" ] && sed 's/^/# corpus: /' "$C/log" >&3
	known_note "$C/accepted"
	local n k a cat err
	while IFS=$'\t' read -r n k a cat; do
		if err=$("$DPCTL" add-flow "$DP" "$k" "$a" 2>&1); then
			echo "row $n ($cat): dpctl add-flow took what the kernel refuses: $k $a"
			ovs-dpctl del-flows "$DP"
		fi
	done < <(awk -F'\t' 'NR == FNR { want[$1] = 1; next } want[$1]' "$C/refused" "$C/rows") |
		report refused
}

@test "corpus: dpctl dump-flows prints the kernel's flows as ovs-dpctl does" {
	corpus_load
	local n r a am b bm
	while IFS=$'\t' read -r n r a am b bm; do
		[ "$a" = "$b" ] && continue
		echo "$(row_label "$n"):"
		echo "  ovs-dpctl: $a"
		echo "  dpctl:     $b"
	done <"$C/accepted.k" | report dump
}

@test "corpus: dpctl dump-flows -m prints the kernel's flows as ovs-dpctl does" {
	corpus_load
	local n r a am b bm
	while IFS=$'\t' read -r n r a am b bm; do
		[ "$am" = "$bm" ] && continue
		echo "$(row_label "$n"):"
		echo "  ovs-dpctl: $am"
		echo "  dpctl:     $bm"
	done <"$C/accepted.k" | report dump-m
}

@test "corpus: dpctl parse-flows prints what dump-flows prints, minus statistics" {
	corpus_load
	# The input: "KEY ACTIONS" per line, as add-flows reads it; when
	# parse-flows refuses some, one row at a time to tell which.
	awk -F'\t' 'NR == FNR { want[$1] = 1; next } want[$1] { print $1 "\t" $2 "\t" $3 }' \
		"$C/accepted" "$C/rows" >"$BATS_TEST_TMPDIR/in"
	cut -f2,3 "$BATS_TEST_TMPDIR/in" | tr '\t' ' ' |
		"$DPCTL" parse-flows - >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || true
	if [ "$(wc -l <"$BATS_TEST_TMPDIR/out")" -ne "$(wc -l <"$BATS_TEST_TMPDIR/in")" ]; then
		echo "parse-flows - gave $(wc -l <"$BATS_TEST_TMPDIR/out") lines for" \
			"$(wc -l <"$BATS_TEST_TMPDIR/in"): one row at a time"
		local n k a
		while IFS=$'\t' read -r n k a; do
			echo "$k $a" | "$DPCTL" parse-flows - 2>&1 | head -n 1
		done <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out"
	fi
	# Rows in the order of "in", their kernel dump minus statistics.
	awk -F'\t' 'NR == FNR { a[$1] = $3; next } { print a[$1] }' \
		"$C/accepted.k" "$BATS_TEST_TMPDIR/in" |
		sed 's/, packets:[0-9]*, bytes:[0-9]*, used:[^,]*, /, /' >"$BATS_TEST_TMPDIR/want"
	local n want got
	paste <(cut -f1 "$BATS_TEST_TMPDIR/in") "$BATS_TEST_TMPDIR/want" <(known <"$BATS_TEST_TMPDIR/out") |
		while IFS=$'\t' read -r n want got; do
			[ "$want" = "$got" ] && continue
			# dpkit-flows.7: a number too large for its field is refused.
			if [[ $got == "dpctl: parse-flows:"* &&
				($got == *"out of range"* || $got == *"bad IPv4 address"*) ]]; then
				echo "# $(row_label "$n"): value too large, refused as dpkit-flows.7 says" >&3
				continue
			fi
			echo "$(row_label "$n"):"
			echo "  dump-flows:  $want"
			echo "  parse-flows: $got"
		done | report parse
}

@test "corpus: rows added with dpctl read back with ovs-dpctl as they did (plain and -m)" {
	corpus_load
	local r n k a err
	: >"$BATS_TEST_TMPDIR/excl"
	{ while read -r r; do
		ovs-dpctl del-flows "$DP"
		# In the order ovs-dpctl added them: flows may overlap, and the
		# kernel refuses a flow that overlaps one added before.
		paste "$C/p$r.rows" "$C/p$r.in" | while IFS=$'\t ' read -r n k a; do
			err=$("$DPCTL" add-flow "$DP" "$k" "$a" 2>&1) && continue
			# dpctl.8: a flow whose in_port is not a port is refused.
			if [[ $err == *"no such port"* && ! $k =~ in_port\([0-4]\) ]]; then
				echo "$n" >>"$BATS_TEST_TMPDIR/excl"
				echo "# $(row_label "$n"): in_port not a port, refused as dpctl.8 says" >&3
				continue
			fi
			# dpkit-flows.7: a number too large for its field is refused
			# (Open vSwitch keeps its low bits).
			if [[ $err == *"out of range"* || $err == *"bad IPv4 address"* ]]; then
				echo "$n" >>"$BATS_TEST_TMPDIR/excl"
				echo "# $(row_label "$n"): value too large, refused as dpkit-flows.7 says" >&3
				continue
			fi
			echo "$(row_label "$n"): dpctl add-flow refused what the kernel took: $err"
		done
		# Compare as sorted sets: the kernel's dump order depends on the
		# order of insertion.  Lines are mapped back to rows by text.
		diff_rows plain "$r" 3 <(ovs-dpctl dump-flows "$DP")
		diff_rows -m "$r" 4 <(ovs-dpctl dump-flows -m "$DP")
	done < <(cut -f2 "$C/accepted" | sort -un); } | report dpctl-add
}

# diff_rows FORM ROUND COLUMN FILE: the lines of FILE (ovs-dpctl's dump of
# the flows dpctl added) against COLUMN of the round's accepted rows, as
# sorted sets; lines missing from FILE are mapped back to rows by text.
diff_rows() {
	local form=$1 r=$2 col=$3 want=$BATS_TEST_TMPDIR/want got=$BATS_TEST_TMPDIR/got
	awk -F'\t' -v r="$r" -v c="$col" 'NR == FNR { excl[$1] = 1; next }
		$2 == r && !excl[$1] { print $c }' "$BATS_TEST_TMPDIR/excl" "$C/accepted.k" | sort >"$want"
	known <"$4" | sort >"$got"
	comm -23 "$want" "$got" | awk -F'\t' -v c="$col" -v f="$form" '
		FILENAME == ARGV[1] { cat[$1] = $4; next }
		FILENAME == ARGV[2] { row[$c] = $1; next }
		{ n = row[$0]; print "row " n " (" cat[n] ", " f "): not in ovs-dpctl'"'"'s dump: " $0 }' \
		"$C/rows" "$C/accepted.k" -
	comm -13 "$want" "$got" | sed "s/^/round $r ($form): unexpected in ovs-dpctl's dump: /"
}
