#!/bin/bash
# Compare dpd's answers with Debian's openvswitch.ko, byte for byte: runs
# the request script of tests/kernel/dpserv_kdiff.c against a private dpd
# on this host and against the kernel datapath in a qemu VM booting the
# Debian kernel (as tests/kernel/odp_kdiff.sh does, sharing its kernel
# cache), and diffs the two transcripts.
#
#   tests/kernel/dpserv_kdiff.sh        (root: dpd makes tap devices)
#
# Needs qemu-system-x86, busybox-static, xz-utils, cpio, a static libc,
# and the Debian archive the first time.  Exit status: 0 if the
# transcripts are the same, 1 if they differ (the diff is printed), 2 if
# something could not run.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
cache=${ODP_KDIFF_CACHE:-$top/build/kdiff}
mkdir -p "$cache"
[ "$(id -u)" -eq 0 ] || { echo "dpserv_kdiff: needs root" >&2; exit 2; }
[ -x "$BUILD/bin/dpd" ] || { echo "dpserv_kdiff: build dpd first (make)" >&2; exit 2; }

work=$(mktemp -d)
# shellcheck disable=SC2317  # (run by the trap)
cleanup() {
	[ -f "$work/run/dpd.pid" ] && kill "$(cat "$work/run/dpd.pid")" 2>/dev/null
	sleep 0.3
	ip link del kdv0 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
# DPSERV_KDIFF_KEEP=DIR keeps the transcripts, dpd's log and the serial log.
keep() {
	[ -n "${DPSERV_KDIFF_KEEP:-}" ] || return 0
	mkdir -p "$DPSERV_KDIFF_KEEP"
	cp "$work"/*.txt "$work"/*.log "$DPSERV_KDIFF_KEEP"/ 2>/dev/null || true
}
gcc -static -O1 -g -std=gnu11 -Ilib -D_GNU_SOURCE -o "$work/kdiff" \
	tests/kernel/dpserv_kdiff.c lib/buf.c lib/err.c lib/nlattr.c lib/odp_text*.c ||
	{ echo "dpserv_kdiff: cannot build the client" >&2; exit 2; }

# dpd's side.
ip link del kdv0 2>/dev/null || true
"$BUILD/bin/dpd" --detach --pidfile --rundir "$work/run" --log-file "$work/dpd.log" -v
"$work/kdiff" unix "$work/run/dpd.sock" >"$work/dpd.txt"
kill "$(cat "$work/run/dpd.pid")"
ip link del kdv0 2>/dev/null || true

# The kernel's side.
# shellcheck source=tests/kernel/kimage.sh
. tests/kernel/kimage.sh
if ! kver=$(kernel_version) || ! kimg=$(kernel_image "$cache"); then
	echo "dpserv_kdiff: no kernel for the VM" >&2
	exit 2
fi
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,mods}
cp "$work/kdiff" "$root/kdiff"
cp /bin/busybox "$root/bin/busybox"
for a in sh mount insmod sysctl dmesg poweroff echo cat ip; do
	ln -s busybox "$root/bin/$a"
done
: >"$root/mods/order"
for m in openvswitch veth; do
	modprobe -d "$kimg/root" -S "$kver" --show-depends "$m" | awk '{print $2}'
done | awk '!seen[$0]++' | grep -v crc32c-intel | while read -r ko; do
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
ip link set lo up
echo
echo KDIFF-BEGIN
/kdiff kernel
echo KDIFF-END rc=$?
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$work/initrd.gz"
timeout 600 qemu-system-x86_64 -accel tcg -m 512M -smp 1 -nographic -no-reboot \
	-nic none -monitor none -kernel "$kimg/vmlinux" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 quiet" -serial "file:$work/serial.log" \
	</dev/null >/dev/null 2>&1 || true
# (The firmware's output may precede the first marker on its line.)
tr -d '\r' <"$work/serial.log" | sed -n '/KDIFF-BEGIN/,/^KDIFF-END/p' |
	sed '1d;$d' >"$work/kernel.txt"
keep
if ! grep -aq '^KDIFF-END rc=0' "$work/serial.log"; then
	echo "dpserv_kdiff: the VM run failed:" >&2
	tail -n 20 "$work/serial.log" >&2
	exit 2
fi
n=$(grep -c '^==' "$work/kernel.txt" || true)
if diff -u --label kernel --label dpd "$work/kernel.txt" "$work/dpd.txt"; then
	echo "dpserv_kdiff: $n requests, dpd answered each as the kernel did"
	exit 0
fi
echo "dpserv_kdiff: $n requests: the answers differ (above)"
exit 1
