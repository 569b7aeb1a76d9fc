# Shared helpers for dpkit's bats suites.
#
#   load helpers
#
# $DP names the datapath a suite works on (default system@dpkit-test; the
# VM suite sets it, and netdev@... runs against dpd).  need_dp creates it
# fresh or skips the test with the reason it cannot be reached; drop_dp
# (call it from teardown) deletes it.  add_veth makes veth pairs that
# cleanup_links removes.
#
# For a netdev@ $DP, a suite runs against a dpd of its own: setup_file
# starts one with a private run directory and points DPKIT_RUNDIR at it,
# teardown_file stops it (its datapaths and taps go with it).  A dpd the
# caller chose by setting DPKIT_RUNDIR to its directory is used instead.
# A suite with a setup_file or teardown_file of its own calls
# dpd_suite_start / dpd_suite_stop from them.

load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash

DP=${DP:-system@dpkit-test}
export DP

# The name part and the type of $DP.
dp_name() { echo "${DP#*@}"; }
dp_type() {
	case $DP in
	*@*) echo "${DP%%@*}" ;;
	*) echo system ;;
	esac
}

# dpd_start RUNDIR [OPTION...]: a detached dpd with its socket, pidfile and
# log in RUNDIR; fails if it does not start.
dpd_start() {
	local r=$1
	shift
	mkdir -p "$r"
	# fd 3 is bats' own: a daemon must not keep it open.
	dpd --detach --pidfile --rundir "$r" --log-file "$r/dpd.log" -v "$@" 3>&-
}

# dpd_stop RUNDIR: SIGTERM, and wait until the process is gone.
dpd_stop() {
	local pid
	pid=$(cat "$1/dpd.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null
	return 1
}

dpd_suite_start() {
	[ "$(dp_type)" = netdev ] || return 0
	if [ -n "${DPKIT_RUNDIR:-}" ] && [ -S "$DPKIT_RUNDIR/dpd.sock" ]; then
		return 0
	fi
	command -v dpd >/dev/null 2>&1 || return 0
	export DPKIT_RUNDIR=$BATS_FILE_TMPDIR/dpd
	export DPKIT_SUITE_DPD=$DPKIT_RUNDIR
	dpd_start "$DPKIT_RUNDIR"
}

dpd_suite_stop() {
	[ -z "${DPKIT_SUITE_DPD:-}" ] || dpd_stop "$DPKIT_SUITE_DPD"
}

setup_file() {
	dpd_suite_start
}

teardown_file() {
	dpd_suite_stop
}

# Skip unless running as root.
need_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

# Skip unless a command exists.
need_cmd() {
	command -v "$1" >/dev/null 2>&1 || skip "$1 is not installed"
}

# Create $DP (deleting a leftover first), or skip saying why there is none.
# ($status and $output are set by bats' run.)
# shellcheck disable=SC2154
need_dp() {
	dpctl del-dp "$DP" >/dev/null 2>&1 || true
	run dpctl add-dp "$DP"
	if [ "$status" -ne 0 ]; then
		case $output in
		*"no openvswitch kernel module"*)
			skip "no openvswitch kernel module on this host: the VM suite runs this" ;;
		*"cannot reach dpd"*)
			skip "dpd is not running ($DP): $output" ;;
		*"permission denied"*)
			skip "not allowed to create datapaths here: $output" ;;
		esac
		fail "dpctl add-dp $DP failed: $output"
	fi
}

drop_dp() {
	dpctl del-dp "$DP" >/dev/null 2>&1 || true
}

# add_veth NAME...: a veth pair NAME / NAMEp per name, both up.
VETHS=
add_veth() {
	local n
	for n in "$@"; do
		ip link del "$n" >/dev/null 2>&1 || true
		ip link add "$n" type veth peer name "${n}p" || return 1
		ip link set "${n}p" up
		VETHS="$VETHS $n"
	done
}

cleanup_links() {
	local n
	for n in $VETHS; do
		ip link del "$n" >/dev/null 2>&1 || true
	done
	VETHS=
}

# Is the real ovs-dpctl here to compare with, for a kernel datapath?
have_ovs_dpctl() {
	[ "$(dp_type)" = system ] && command -v ovs-dpctl >/dev/null 2>&1
}

# Flow listing lines without their (time-dependent) statistics.
strip_stats() {
	sed -e 's/, packets:[0-9]*, bytes:[0-9]*, used:[^,]*\(, flags:[^,]*\)\{0,1\}//'
}
