#!/bin/sh
# Stage 1 of the test VM: /init of the initramfs that tests/vm/run.sh builds
# (busybox-static and the kernel modules, in insmod order, listed in
# /lib/modules/order: the virtio/9p stack to reach the host, then what the
# suites need).
#
# It loads the modules, mounts the host's root filesystem, shared read-only
# by qemu over 9p (tag "hostroot"), on /newroot; puts fresh tmpfs over the
# directories a running system writes to (/tmp, /run, /var/tmp, /var/log);
# mounts the run directory that run.sh shares writable (tag "dpkitrun") on
# /run/dpkit; and hands over to stage 2, /run/dpkit/guest.sh (a copy of
# tests/vm/guest.sh), with switch_root.  All of this is done here, with
# busybox from memory, because every exec of a dynamic binary from the 9p
# root costs tens of milliseconds under TCG.  Anything that goes wrong
# powers the VM off: run.sh then finds no report and prints the serial log.
export PATH=/bin

die() {
	echo "dpkit-vm: stage 1: $*" >&2
	poweroff -f
	sleep 10
}

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev

# ENODEV is a module for hardware this VM lacks (crc32c-intel without
# SSE4.2 under TCG); its generic twin is in the list too.  Other failures
# are reported to stage 2, which puts them in the test output.
: >/insmod.log
while read -r ko; do
	msg=$(insmod "/lib/modules/$ko" 2>&1) && continue
	case $msg in
	*"No such device"*) ;;
	*) echo "insmod $ko: $msg" >>/insmod.log ;;
	esac
done </lib/modules/order

# cache=loose: the host root does not change under a test run, and
# caching pages and attributes in the guest makes every exec and stat after
# the first one cheaper.
cache=loose
read -r cmdline </proc/cmdline
for w in $cmdline; do
	case $w in
	dpkit.cache=*) cache=${w#dpkit.cache=} ;;
	esac
done
p9=trans=virtio,version=9p2000.L,msize=512000

mount -t 9p -o "$p9,ro,cache=$cache" hostroot /newroot ||
	die "cannot mount the host root (9p tag hostroot)"
for d in tmp run var/tmp var/log; do
	[ -d "/newroot/$d" ] || continue
	mount -t tmpfs -o mode=1777,size=50% tmpfs "/newroot/$d" ||
		die "cannot mount tmpfs on /$d"
done
chmod 755 /newroot/run /newroot/var/log 2>/dev/null
mkdir -p /newroot/run/dpkit /newroot/run/dpkit-host /newroot/run/lock \
	/newroot/run/netns /newroot/run/openvswitch /newroot/var/log/openvswitch
mount -t 9p -o "$p9,cache=none" dpkitrun /newroot/run/dpkit ||
	die "cannot mount the run directory (9p tag dpkitrun)"
cp /insmod.log /newroot/run/dpkit/insmod.log
# The host root once more without the tmpfs on top: stage 2 binds back
# host paths that tmpfs hides (a checkout under /tmp, say).
mount -o bind /newroot /newroot/run/dpkit-host

mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 shm /dev/shm
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
hostname dpkit-vm
ip link set lo up

for d in proc sys dev; do
	mount --move "/$d" "/newroot/$d" || die "cannot move /$d"
done
[ -x /newroot/bin/bash ] || die "the host root has no /bin/bash"
exec switch_root /newroot /bin/bash /run/dpkit/guest.sh
