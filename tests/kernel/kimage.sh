# shellcheck shell=bash
# Debian's kernel for the VM runs of tests/kernel/*.sh (sourced).
#
#   kimg=$(kernel_image CACHE)   the kernel linux-image-amd64 points to,
#                                unpacked in CACHE/VERSION: root/ (its
#                                module tree, depmod'ed) and vmlinux (taken
#                                out of the bzImage: qemu boots the ELF
#                                directly); downloaded once with apt-get
#   kernel_version               that VERSION
# Both print to stdout and return 1 (with a reason on stderr) on failure.

kernel_version() {
	local v
	v=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-image-//p' | head -n 1)
	[ -n "$v" ] || { echo "no linux-image-amd64 in apt" >&2; return 1; }
	echo "$v"
}

kernel_image() {
	local kver kimg vmlinuz off
	kver=$(kernel_version) || return 1
	kimg=$1/$kver
	if [ ! -f "$kimg/vmlinux" ]; then
		rm -rf "$kimg"
		mkdir -p "$kimg"
		(cd "$kimg" && apt-get download "linux-image-$kver" >/dev/null 2>&1) ||
			{ echo "cannot download linux-image-$kver" >&2; return 1; }
		dpkg-deb -x "$kimg"/linux-image-*.deb "$kimg/root"
		rm -f "$kimg"/linux-image-*.deb
		depmod -b "$kimg/root" "$kver"
		vmlinuz=$kimg/root/boot/vmlinuz-$kver
		off=$(LC_ALL=C grep -obUaP '\xFD7zXZ\x00' "$vmlinuz" | head -n 1 | cut -d: -f1)
		tail -c +$((off + 1)) "$vmlinuz" | xz -dc --single-stream >"$kimg/vmlinux" 2>/dev/null || true
		[ -s "$kimg/vmlinux" ] || { echo "cannot extract vmlinux" >&2; return 1; }
	fi
	echo "$kimg"
}
