#!/bin/bash
# What Debian's kernel (the version linux-image-amd64 points to, 6.1 in
# bookworm) does with virtio-net headers on packet sockets with and without
# TPACKET rings: boots it under qemu with busybox, the veth module and
# tests/helpers/vnet-probe on a veth pair, and prints the probe's report.
# Run the probe on the host too to compare:
#   ip netns add p; ip -n p link add a type veth peer name b
#   ip -n p link set a up; ip -n p link set b up
#   ip netns exec p build/tests/helpers/vnet-probe a b
#
#   tests/kernel/vnet_probe.sh
#
# Needs qemu-system-x86, busybox-static, xz-utils, cpio and, the first
# time, the Debian archive (the kernel is cached as odp_kdiff.sh caches it,
# in $ODP_KDIFF_CACHE, default build/kdiff).  Exit status 0 if the probe
# ran, 2 if the VM could not run.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
cache=${ODP_KDIFF_CACHE:-$top/build/kdiff}
mkdir -p "$cache"

# shellcheck source=tests/kernel/kimage.sh
. tests/kernel/kimage.sh
if ! kver=$(kernel_version) || ! kimg=$(kernel_image "$cache"); then
	echo "vnet_probe: no kernel image to boot" >&2
	exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,mods}
gcc -static -O1 -g -std=gnu11 -D_GNU_SOURCE -o "$root/probe" tests/helpers/vnet-probe.c
cp /bin/busybox "$root/bin/busybox"
for a in sh mount insmod dmesg poweroff echo cat; do
	ln -s busybox "$root/bin/$a"
done
# busybox's ip cannot make veth pairs: the real one, with its libraries.
ipbin=$(readlink -f "$(command -v ip)")
mkdir -p "$root/sbin"
cp "$ipbin" "$root/sbin/ip"
ldd "$ipbin" | grep -o '/[^ ]*' | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp "$(readlink -f "$lib")" "$root$lib"
done
: >"$root/mods/order"
modprobe -d "$kimg/root" -S "$kver" --show-depends veth | awk '{print $2}' |
	while read -r ko; do
		cp "$ko" "$root/mods/"
		basename "$ko" >>"$root/mods/order"
	done
cat >"$root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /mods/order); do insmod /mods/$m || echo "insmod $m failed"; done
dmesg -n 1
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
echo "KERNEL $(cat /proc/sys/kernel/osrelease)"
/sbin/ip link add va type veth peer name vb && /sbin/ip link set va up && /sbin/ip link set vb up
/probe va vb
echo "RESULT rc=$?"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

timeout 300 qemu-system-x86_64 -accel tcg -m 512M -smp 1 -nographic -no-reboot \
	-nic none -monitor none -kernel "$kimg/vmlinux" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 quiet" -serial "file:$work/serial.log" \
	</dev/null >/dev/null 2>&1 || true
tr -d '\r' <"$work/serial.log" | sed -n '/^KERNEL\|^rx \|^tx \|^vnet \|^send\|insmod\|RESULT/p'
grep -aq 'RESULT rc=0' "$work/serial.log" && exit 0
exit 2
