#!/bin/bash
# Run dpkit against the real kernel datapath: a qemu (TCG) VM booting
# Debian's own kernel, whose module tree has the upstream openvswitch.ko.
#
#   tests/vm/run.sh                 the suites listed in tests/vm/suites: TAP
#                                   on stdout (one stream, renumbered),
#                                   diagnostics on stderr
#   tests/vm/run.sh SUITE.bats...   these suites instead
#   tests/vm/run.sh --script FILE [ARG...]
#                                   run FILE with bash in the VM, stream its
#                                   output, exit with its status
#   tests/vm/run.sh --shell         interactive shell in the VM on the serial
#                                   console (exit powers off; Ctrl-a x quits)
#   tests/vm/run.sh --prepare       only fetch the kernel, build the initramfs
#
# Environment: DPKIT_TOP, DPKIT_BUILD, DPKIT_BIN as tests/run sets them
# (defaults: this checkout, $BUILD or build/, its bin/); DPKIT_CONFORMANCE
# (default ../shared/conformance); DP (default system@dpkit0); DPCTL (which
# dpctl the suites drive, default: dpkit's when built, else ovs-dpctl);
# VM_ENV, names of more variables to pass into the VM; VM_TIMEOUT, seconds
# for the whole VM (2100); VM_SUITE_TIMEOUT, per suite (1500); VM_MEM (1G);
# VM_SMP (1); VM_QEMU_ARGS, VM_APPEND: more qemu words, kernel arguments;
# VM_KEEP=1 keeps the run directory (serial log, output) under
# $DPKIT_BUILD/vm.  In the VM, DPKIT_VM=1, and DPKIT_ARTIFACTS is a
# directory for reports, found after the run in $DPKIT_BUILD/vm/artifacts.
# When the VM cannot run here (no qemu, no way to get the kernel) it prints
# one "ok 1 # skip REASON" and exits 0.
#
# The cache ($DPKIT_BUILD/vm, reused while Debian's kernel ABI and package
# version stay the same): the unpacked linux-image .deb (its module tree,
# depmod'ed), vmlinux taken out of the bzImage (the ELF has a PVH entry, so
# qemu boots it directly and the guest skips decompressing itself: half the
# boot time under TCG), and an initramfs with busybox-static and the
# modules the VM needs (the virtio/9p stack, openvswitch, veth, tun,
# ctnetlink) in the insmod order `modprobe --show-depends` gives.
#
# Why the guest runs on the host's root filesystem (9p, read-only) and not
# on an initramfs with copied binaries: the suites need bash, bats and its
# libraries, iproute2, ping, ovs-dpctl, dpkit's programs, the checkout and
# the conformance data; a shared root gives all of them, at the same paths
# as on the host, with nothing to list or copy and nothing to rebuild when
# a tool is added.  What it costs, measured in the VM on this 2-core host
# (TCG, -cpu max): a run of ovs-dpctl 275 ms from the 9p root against 258
# ms from tmpfs, /bin/true 35 against 31 ms, bash -c true 113 against 100
# ms; the 9p mount itself is part of stage 1 (~0.6 s with the modules).
# The guest reaches its job 3.3-5 s after qemu starts.  What does cost is
# TCG itself (a fork+exec is ~35 ms, a bats test ~1-2 s of overhead), so
# the suites keep commands few.  -cpu max because ovs-dpctl runs 25% faster
# than with the default qemu64 model.  See initramfs-init.sh (stage 1)
# and guest.sh (stage 2).
set -u
export LC_ALL=C

top=$(cd "$(dirname "$0")/../.." && pwd)
DPKIT_TOP=${DPKIT_TOP:-$top}
DPKIT_BUILD=${DPKIT_BUILD:-$DPKIT_TOP/${BUILD:-build}}
DPKIT_BIN=${DPKIT_BIN:-$DPKIT_BUILD/bin}
DPKIT_CONFORMANCE=${DPKIT_CONFORMANCE:-$(cd "$DPKIT_TOP/.." && pwd)/shared/conformance}
DP=${DP:-system@dpkit0}
# Below tests/run's 2400 s for the whole VM step.
VM_TIMEOUT=${VM_TIMEOUT:-2100}
VM_SUITE_TIMEOUT=${VM_SUITE_TIMEOUT:-1500}
VM_MEM=${VM_MEM:-1G}
# One vCPU: the suites run one command at a time, and a second TCG vCPU
# costs more than it gives (kernel.bats on this 2-core host: 52-53 s of
# qemu CPU time with -smp 1, 148-157 s with -smp 2; wall time follows when
# the host is busy).
VM_SMP=${VM_SMP:-1}
cache=$DPKIT_BUILD/vm
vmdir=$DPKIT_TOP/tests/vm

# Modules stage 1 loads: the virtio/9p stack to reach the host root, then
# what the suites use: openvswitch and its conntrack/NAT dependencies, veth
# for ports, tun for tap ports, ctnetlink for ctdump.  Anything else comes
# on demand through the modprobe wrapper.
VM_MODULES="virtio_pci 9pnet_virtio 9p openvswitch veth tun nf_conntrack_netlink"

say() { echo "vm: $*" >&2; }

mode=tests
script=
args=()
case ${1:-} in
--script)
	[ $# -ge 2 ] || { echo "usage: $0 --script FILE [ARG...]" >&2; exit 2; }
	mode=script script=$2
	shift 2
	args=("$@")
	;;
--shell) mode=shell ;;
--prepare) mode=prepare ;;
-h | --help)
	sed -n '2,/^$/s/^# \{0,1\}//p' "$0"
	exit 0
	;;
-*) echo "usage: $0 [--script FILE [ARG...] | --shell | --prepare | SUITE...]" >&2; exit 2 ;;
*) args=("$@") ;;
esac

# cannot REASON: the VM cannot run here.  Tests mode says so in TAP and
# succeeds (a skip, never silence); the other modes fail.
cannot() {
	if [ "$mode" = tests ]; then
		echo "ok 1 # skip kernel datapath VM: $*"
		exit 0
	fi
	say "cannot run the VM: $*"
	exit 1
}

for t in qemu-system-x86_64 depmod modprobe dpkg-deb xz cpio flock timeout; do
	command -v "$t" >/dev/null 2>&1 || cannot "$t not found (tests/deps.sh test installs it)"
done
[ "$mode" = tests ] && { command -v bats >/dev/null 2>&1 || cannot "bats not found"; }
busybox=$(command -v busybox 2>/dev/null) || cannot "busybox not found (install busybox-static)"
ldd "$busybox" >/dev/null 2>&1 && cannot "$busybox is not static (install busybox-static)"

# --- prepare: kernel, modules, initramfs (cached) ---------------------------

# kernel_version: the kernel ABI name and package version that
# linux-headers-amd64 depends on (kmod/ builds against those headers).
kernel_version() {
	local kver pver
	kver=$(apt-cache depends linux-headers-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-headers-//p' | head -n 1)
	[ -n "$kver" ] || return 1
	pver=$(apt-cache policy "linux-image-$kver" 2>/dev/null |
		sed -n 's/^ *Candidate: //p')
	[ -n "$pver" ] && [ "$pver" != "(none)" ] || return 1
	echo "$kver $pver"
}

# download "KVER PVER" DIR: the .deb into DIR (no install: that would run
# initramfs hooks on the host).
download() {
	(cd "$2" && apt-get download "linux-image-${1% *}=${1#* }") >>"$2/apt.log" 2>&1
}

# depends MODULE...: the .ko paths to insmod, in order, deduplicated.
depends() {
	local m
	for m in "$@"; do
		modprobe -d "$cache/kimg" -S "$kver" --show-depends "$m" || return 1
	done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }'
}

prepare_kernel() {
	local want have tmp deb off img
	if ! want=$(kernel_version); then
		if [ -s "$cache/kernel" ] && [ -s "$cache/vmlinux" ]; then
			say "cannot ask apt for the kernel version; using the cached $(cat "$cache/kernel")"
			return 0
		fi
		cannot "cannot find Debian's kernel version (apt-cache depends linux-headers-amd64)"
	fi
	have=$(cat "$cache/kernel" 2>/dev/null)
	[ "$have" = "$want" ] && [ -s "$cache/vmlinux" ] && return 0

	say "preparing kernel ${want% *} (package ${want#* })"
	tmp=$cache/tmp
	rm -rf "$tmp" && mkdir -p "$tmp" || return 1
	chmod 755 "$tmp"
	if ! download "$want" "$tmp" && [ "$(id -u)" -eq 0 ]; then
		# A stale package index names a version the mirror no longer
		# has: refresh it, ask again.
		apt-get update -qq >>"$tmp/apt.log" 2>&1
		want=$(kernel_version) && download "$want" "$tmp"
	fi
	if ! ls "$tmp"/linux-image-*.deb >/dev/null 2>&1; then
		grep -E '^(E|Err|W):' "$tmp/apt.log" | head -n 3 >&2
		rm -rf "$tmp"
		if [ -s "$cache/vmlinux" ] && [ -n "$have" ]; then
			say "cannot download linux-image-${want% *}; using the cached $have"
			return 0
		fi
		cannot "cannot download linux-image-${want% *} with apt-get (no network?)"
	fi
	deb=$(ls "$tmp"/linux-image-*.deb) || return 1
	dpkg-deb -x "$deb" "$tmp/kimg" || return 1
	img=$tmp/kimg/boot/vmlinuz-${want% *}
	# The bzImage payload is an xz stream; the first xz magic starts it.
	off=$(grep -obUaP '\xFD7zXZ\x00' "$img" | head -n 1 | cut -d: -f1)
	[ -n "$off" ] || { say "no xz payload in $img"; return 1; }
	tail -c +$((off + 1)) "$img" | xz -dc --single-stream >"$tmp/vmlinux" 2>/dev/null
	[ "$(head -c 4 "$tmp/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] ||
		{ say "vmlinux extracted from $img is not an ELF file"; return 1; }
	depmod -b "$tmp/kimg" "${want% *}" || return 1
	rm -rf "$tmp/kimg/boot" "$tmp/kimg/usr" "$deb"
	rm -rf "$cache/kimg" "$cache/vmlinux" "$cache/initrd.cpio"
	mv "$tmp/kimg" "$tmp/vmlinux" "$cache/" || return 1
	rm -rf "$tmp"
	echo "$want" >"$cache/kernel"
}

# The modprobe for the VM (the kernel's own requests, and scripts: it is
# first on the guest's PATH): the host has no /lib/modules of its own.
write_modprobe() {
	mkdir -p "$cache/bin" || return 1
	cat >"$cache/bin/modprobe.tmp" <<-EOF
	#!/bin/sh
	exec /sbin/modprobe -d '$cache/kimg' "\$@"
	EOF
	chmod 755 "$cache/bin/modprobe.tmp" && mv "$cache/bin/modprobe.tmp" "$cache/bin/modprobe"
}

prepare_initramfs() {
	local root=$cache/initramfs ko list sum a
	# shellcheck disable=SC2086 # a list of module names
	list=$(depends $VM_MODULES) || { say "modprobe --show-depends $VM_MODULES failed"; return 1; }
	sum=$( (cat "$vmdir/initramfs-init.sh" "$busybox"; echo "$list") | cksum)
	[ -s "$cache/initrd.cpio" ] && [ "$(cat "$cache/initrd.sum" 2>/dev/null)" = "$sum" ] &&
		return 0
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,newroot,lib/modules} || return 1
	cp "$busybox" "$root/bin/busybox" || return 1
	for a in $("$busybox" --list); do
		[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
	done
	for ko in $list; do
		cp "$ko" "$root/lib/modules/" || return 1
		basename "$ko" >>"$root/lib/modules/order"
	done
	cp "$vmdir/initramfs-init.sh" "$root/init" && chmod 755 "$root/init" || return 1
	# Uncompressed: the kernel unpacks it faster than it would inflate it.
	(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) >"$cache/initrd.tmp" &&
		mv "$cache/initrd.tmp" "$cache/initrd.cpio" || return 1
	rm -rf "$root"
	echo "$sum" >"$cache/initrd.sum"
}

prepare() {
	mkdir -p "$cache" || cannot "cannot create $cache"
	exec 9>"$cache/lock"
	flock 9
	prepare_kernel || { say "preparing the kernel failed"; return 1; }
	kver=$(cut -d' ' -f1 "$cache/kernel")
	prepare_initramfs || { say "building the initramfs failed"; return 1; }
	write_modprobe || return 1
	flock -u 9
}

t0=$EPOCHREALTIME
if ! prepare; then
	[ "$mode" = tests ] && echo "not ok 1 vm: preparing the VM failed (see stderr)"
	exit 1
fi
t_prep=$EPOCHREALTIME
[ "$mode" = prepare ] && { say "ready: $cache ($(cat "$cache/kernel"))"; exit 0; }

# --- the run directory, shared writable with the guest ------------------------

run=$(mktemp -d "$cache/run.XXXXXX") || exit 1
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	# What the suites left in $DPKIT_ARTIFACTS (reports) outlives the run.
	if [ -d "$run/artifacts" ]; then
		rm -rf "$cache/artifacts" && mv "$run/artifacts" "$cache/artifacts" &&
			say "artifacts of this run: $cache/artifacts"
	fi
	if [ "${VM_KEEP:-0}" = 1 ]; then say "run directory kept: $run"; else rm -rf "$run"; fi
}
trap cleanup EXIT
: >"$run/out"
cp "$vmdir/guest.sh" "$run/guest.sh"

# Host paths the guest's tmpfs would hide (stage 2 binds them back).
keep=
for p in "$DPKIT_TOP" "$DPKIT_BUILD" "$DPKIT_CONFORMANCE" "$cache"; do
	case $p in /tmp/* | /run/* | /var/tmp/* | /var/log/*) keep=$keep:$p ;; esac
done

{
	for v in DPKIT_TOP DPKIT_BUILD DPKIT_BIN DPKIT_CONFORMANCE DP; do
		printf 'export %s=%q\n' "$v" "${!v}"
	done
	# shellcheck disable=SC2086 # VM_ENV: a list of variable names
	for v in DPCTL TERM ${VM_ENV:-}; do
		[ -n "${!v:-}" ] && printf 'export %s=%q\n' "$v" "${!v}"
	done
	printf 'export DPKIT_VM=1 DPKIT_ARTIFACTS=/run/dpkit/artifacts\n'
	printf 'export PATH=%q\n' "$DPKIT_BIN:$cache/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	printf 'export HOME=/root LANG=C.UTF-8\n'
	printf 'VM_MODE=%q VM_MODPROBE=%q VM_KEEP_PATHS=%q\n' \
		"$mode" "$cache/bin/modprobe" "$keep"
	[ "$mode" = shell ] && [ -t 0 ] &&
		printf 'VM_STTY=%q\n' "rows $(tput lines 2>/dev/null || echo 24) cols $(tput cols 2>/dev/null || echo 80)"
} >"$run/env"

suites=()
case $mode in
tests)
	if [ ${#args[@]} -gt 0 ]; then
		suites=("${args[@]}")
	else
		while read -r s; do
			case $s in '' | '#'*) continue ;; esac
			suites+=("$s")
		done <"$vmdir/suites"
	fi
	{
		printf 'cd %q || exit 1\n' "$DPKIT_TOP"
		for s in "${suites[@]}"; do
			[ -f "$DPKIT_TOP/$s" ] || [ -f "$s" ] || continue
			printf 'echo %q\n' "#dpkit-suite $s"
			printf 'timeout -k 10 %q bats --tap %q\n' "$VM_SUITE_TIMEOUT" "$s"
			printf 'echo "#dpkit-suite-end $?"\n'
		done
	} >"$run/job"
	;;
script)
	[ -f "$script" ] || { say "no such script: $script"; exit 2; }
	cp "$script" "$run/script"
	{
		printf 'cd %q || exit 1\n' "$PWD"
		printf 'exec bash /run/dpkit/script'
		printf ' %q' "${args[@]}"
		printf '\n'
	} >"$run/job"
	;;
esac

# --- boot ---------------------------------------------------------------------

append="console=ttyS0 quiet panic=-1 oops=panic ${VM_APPEND:-}"
qemu=(qemu-system-x86_64 -accel tcg -M pc -cpu max -smp "$VM_SMP" -m "$VM_MEM"
	-nodefaults -nographic -no-reboot -nic none
	-kernel "$cache/vmlinux" -initrd "$cache/initrd.cpio" -append "$append"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=${run//,/,,},mount_tag=dpkitrun,security_model=none")
# shellcheck disable=SC2206 # VM_QEMU_ARGS: extra words for qemu, split on blanks
qemu+=(${VM_QEMU_ARGS:-})

if [ "$mode" = shell ]; then
	say "booting $(cut -d' ' -f1 "$cache/kernel"); Ctrl-a x quits qemu, Ctrl-a c its monitor"
	"${qemu[@]}" -serial mon:stdio
	exit $?
fi

timeout -k 5 "$VM_TIMEOUT" "${qemu[@]}" -serial "file:$run/serial.log" -monitor none \
	</dev/null >"$run/qemu.log" 2>&1 &
qpid=$!
t_boot=$EPOCHREALTIME

# secs FROM TO: seconds between two $EPOCHREALTIME values, 2 decimals.
secs() {
	local a=${1/./} b=${2/./} d
	d=$(((b - a) / 10000))
	printf '%d.%02d' $((d / 100)) $((d % 100))
}

serial_tail() {
	say "qemu: $(tr '\n' ' ' <"$run/qemu.log")"
	say "last lines of the serial console:"
	tr -d '\r' <"$run/serial.log" 2>/dev/null | sed 's/\x1b[[][0-9;?]*[a-zA-Z]//g; s/\x1bc//g' |
		grep -a -v '^$' | tail -n 40 | sed 's/^/    /' >&2
}

started='' t_start='' t_done='' done_rc=''

# --- script mode: stream the output as it comes --------------------------------

if [ "$mode" = script ]; then
	while IFS= read -r line; do
		case $line in
		'#dpkit-vm-start '*) started=1 t_start=$EPOCHREALTIME ;;
		'#dpkit-vm-done rc='*) t_done=$EPOCHREALTIME done_rc=${line#*rc=} ;;
		*) printf '%s\n' "$line" ;;
		esac
	done < <(tail -n +1 -s 0.1 -F --pid="$qpid" "$run/out" 2>/dev/null)
	wait "$qpid"
	qrc=$?
	if [ -z "$done_rc" ]; then
		say "the VM did not finish the script (qemu status $qrc${started:+, it had started})"
		serial_tail
		exit 1
	fi
	say "booted in $(secs "$t_boot" "$t_start") s, script took $(secs "$t_start" "$t_done") s"
	exit "$done_rc"
fi

# --- tests mode: one TAP stream ------------------------------------------------

n=0
for s in "${suites[@]}"; do
	[ -f "$DPKIT_TOP/$s" ] || [ -f "$s" ] && continue
	n=$((n + 1))
	echo "ok $n $(basename "$s" .bats) # skip $s: no such suite (yet)"
done

sname='' planned=0 seen=0 sfail=0 failed=0
# end_suite RC [WHY]: a suite that stopped early or failed without saying
# "not ok" still counts as a failure.
end_suite() {
	local rc=$1 why=${2:-}
	if [ -n "$why" ] && [ "$sfail" -eq 0 ]; then
		n=$((n + 1)) failed=$((failed + 1))
		echo "not ok $n $sname: $why ($seen of $planned tests reported)"
	elif [ "$seen" -lt "$planned" ] && [ "$sfail" -eq 0 ]; then
		n=$((n + 1)) failed=$((failed + 1))
		echo "not ok $n $sname: only $seen of $planned tests reported (bats status $rc)"
	elif [ "$rc" -ne 0 ] && [ "$sfail" -eq 0 ]; then
		n=$((n + 1)) failed=$((failed + 1))
		[ "$rc" -eq 124 ] && rc="124: timeout after ${VM_SUITE_TIMEOUT}s"
		echo "not ok $n $sname: bats exited with status $rc"
	fi
	sname=
}

while IFS= read -r line; do
	case $line in
	'#dpkit-vm-start '*) started=1 t_start=$EPOCHREALTIME ;;
	'#dpkit-vm-done rc='*) t_done=$EPOCHREALTIME done_rc=${line#*rc=} ;;
	'#dpkit-suite-end '*) end_suite "${line#* }" ;;
	'#dpkit-suite '*)
		sname=$(basename "${line#* }" .bats) planned=0 seen=0 sfail=0
		;;
	*)
		if [[ $line =~ ^1\.\.([0-9]+) ]]; then
			planned=${BASH_REMATCH[1]}
		elif [[ $line =~ ^(not )?ok\ [0-9]+\ ?(.*)$ ]]; then
			n=$((n + 1)) seen=$((seen + 1))
			[ -n "${BASH_REMATCH[1]}" ] && sfail=$((sfail + 1)) failed=$((failed + 1))
			echo "${BASH_REMATCH[1]}ok $n ${sname:+$sname: }${BASH_REMATCH[2]}"
		else
			printf '%s\n' "$line"
		fi
		;;
	esac
done < <(tail -n +1 -s 0.1 -F --pid="$qpid" "$run/out" 2>/dev/null)
wait "$qpid"
qrc=$?
t_end=$EPOCHREALTIME

status=0
if [ -z "$done_rc" ]; then
	[ -n "$sname" ] && end_suite 1 "the VM stopped while it ran"
	n=$((n + 1))
	if [ "$qrc" -eq 124 ]; then
		why="no report within VM_TIMEOUT=${VM_TIMEOUT}s"
	elif [ -n "$started" ]; then
		why="the VM stopped while running the suites (qemu status $qrc)"
	else
		why="the VM did not start the suites (qemu status $qrc)"
	fi
	echo "not ok $n vm: $why"
	say "$why"
	serial_tail
	status=1
fi
echo "1..$n"
if [ -n "$t_start" ]; then
	echo "# vm: booted in $(secs "$t_boot" "$t_start") s, suites took $(secs "$t_start" "${t_done:-$t_end}") s" \
		"(prepare $(secs "$t0" "$t_prep") s, kernel $(cut -d' ' -f1 "$cache/kernel"))"
fi
[ "$failed" -gt 0 ] && status=1
exit $status
