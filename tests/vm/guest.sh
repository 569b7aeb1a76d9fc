#!/bin/bash
# Stage 2 of the test VM, PID 1 after switch_root into the host's root
# filesystem (read-only 9p; stage 1, initramfs-init.sh, has loaded the
# modules and mounted everything).  tests/vm/run.sh copies this file into
# the run directory, which the guest sees as /run/dpkit:
#
#   /run/dpkit/env         exports written by run.sh (DPKIT_*, DP, PATH, VM_*)
#   /run/dpkit/job         the bash script to run (tests mode and --script)
#   /run/dpkit/out         what the job prints, appended as it goes, between
#                          the markers "#dpkit-vm-start UPTIME" and
#                          "#dpkit-vm-done rc=N" that run.sh waits for
#   /run/dpkit/insmod.log  modules stage 1 failed to load
#
# It runs the job (or an interactive shell) and powers the VM off.
set -u
run=/run/dpkit
out=$run/out

mark() { echo "#dpkit-vm-$*" >>"$out"; }

halt() {
	sync
	echo o >/proc/sysrq-trigger
	sleep 30
}
trap halt EXIT

# shellcheck source=/dev/null
. "$run/env" || { echo "dpkit-vm: cannot read $run/env" >&2; exit 1; }

# Host paths hidden by the tmpfs of stage 1 (a checkout or build under
# /tmp): bind them back from the second view of the host root.
IFS=: read -r -a keep <<<"${VM_KEEP_PATHS:-}"
for p in "${keep[@]}"; do
	if [ -z "$p" ] || [ ! -e "/run/dpkit-host$p" ]; then continue; fi
	mkdir -p "$p" && mount --bind "/run/dpkit-host$p" "$p" ||
		echo "# vm: cannot bind $p from the host" >>"$out"
done

# The kernel asks for modules on its own (rtnl-link-*, vport-type-*,
# net-pf-*), and scripts may run modprobe: both get a wrapper that points
# at the unpacked Debian module tree (the host has no /lib/modules).
echo "$VM_MODPROBE" >/proc/sys/kernel/modprobe
cd "${DPKIT_TOP:-/}" || cd /

mark "start $(cut -d' ' -f1 /proc/uptime)"
while read -r l; do echo "# vm: $l"; done <"$run/insmod.log" >>"$out"
case ${VM_MODE:-tests} in
shell)
	# A login-like interactive shell on the serial line, with job control.
	# shellcheck disable=SC2086 # VM_STTY is "rows N cols M"
	[ -n "${VM_STTY:-}" ] && stty -F /dev/ttyS0 $VM_STTY
	echo "dpkit-vm: shell ready; exit (or Ctrl-D) powers off, Ctrl-a x kills qemu" >/dev/ttyS0
	# --norc: the host's ~/.bashrc is for the host, not for this VM.
	PS1='dpkit-vm:\w# ' setsid -c -w bash --norc -i </dev/ttyS0 >/dev/ttyS0 2>&1
	rc=$?
	;;
*)
	bash "$run/job" >>"$out" 2>&1 </dev/null
	rc=$?
	;;
esac
mark "done rc=$rc"
