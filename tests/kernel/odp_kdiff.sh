#!/bin/bash
# Compare odp_key with Debian's openvswitch.ko, byte for byte: boots the
# Debian kernel (the version linux-image-amd64 points to) under qemu with
# an initramfs holding busybox, the openvswitch modules and odp_kdiff
# (tests/kernel/odp_kdiff.c), runs it and prints its report.
#
#   tests/kernel/odp_kdiff.sh [ROUNDS [SEED]]   (default 20 rounds, ~4000 cases)
#
# Needs qemu-system-x86, busybox-static, xz-utils, cpio and network access
# to the Debian archive the first time (the kernel image is cached in
# $ODP_KDIFF_CACHE, default build/kdiff).  Exit status: 0 if every case
# agreed, 1 if some differ, 2 if the VM could not run.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
rounds=${1:-20}
seed=${2:-0}
cache=${ODP_KDIFF_CACHE:-$top/build/kdiff}
mkdir -p "$cache"

# shellcheck source=tests/kernel/kimage.sh
. tests/kernel/kimage.sh
if ! kver=$(kernel_version) || ! kimg=$(kernel_image "$cache"); then
	echo "odp_kdiff: no kernel for the VM" >&2
	exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,mods}
gcc -static -O1 -g -std=gnu11 -Ilib -D_GNU_SOURCE -o "$root/kdiff" \
	tests/kernel/odp_kdiff.c lib/buf.c lib/err.c lib/nlattr.c lib/odp_*.c
# The unit tests' cases, if they are built (make build).
BUILD=${BUILD:-build}
for t in odp_key odp_key_reject odp_actions odp_canonical; do
	[ -x "$BUILD/tests/unit/$t" ] &&
		ODP_CASES=$root/cases.bin "$BUILD/tests/unit/$t" >/dev/null 2>&1
done
cp /bin/busybox "$root/bin/busybox"
for a in sh mount insmod sysctl dmesg poweroff echo cat; do
	ln -s busybox "$root/bin/$a"
done
mods="openvswitch ts_kmp nf_conntrack_ftp nf_nat_ftp nf_conntrack_tftp nf_nat_tftp
  nf_conntrack_sip nf_nat_sip nf_conntrack_irc nf_nat_irc nf_conntrack_amanda
  nf_nat_amanda nf_conntrack_sane nf_conntrack_pptp nf_nat_pptp
  nf_conntrack_netbios_ns nf_conntrack_snmp nf_nat_snmp_basic
  nf_conntrack_h323 nf_nat_h323"
: >"$root/mods/order"
for m in $mods; do
	modprobe -d "$kimg/root" -S "$kver" --show-depends "$m" | awk '{print $2}'
done | awk '!seen[$0]++' | grep -v crc32c-intel | while read -r ko; do
	cp "$ko" "$root/mods/"
	basename "$ko" >>"$root/mods/order"
done
cat >"$root/init" <<INIT
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in \$(cat /mods/order); do insmod /mods/\$m || echo "insmod \$m failed"; done
sysctl -qw net.core.message_cost=0
dmesg -n 1
/kdiff $rounds /cases.bin $seed
echo "RESULT rc=\$?"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

timeout 1800 qemu-system-x86_64 -accel tcg -m 1G -smp 1 -nographic -no-reboot \
	-nic none -monitor none -kernel "$kimg/vmlinux" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 quiet" -serial "file:$work/serial.log" \
	</dev/null >/dev/null 2>&1 || true
tr -d '\r' <"$work/serial.log" | sed -n '/DIFFER\|^  \|kdiff:\|insmod\|RESULT/p'
grep -aq 'RESULT rc=0' "$work/serial.log" && exit 0
grep -aq 'RESULT rc=1' "$work/serial.log" && exit 1
exit 2
