#!/bin/sh
# Install what dpkit needs to build (deps.sh build) or to test (deps.sh test),
# only the Debian packages that are missing.  Quiet when nothing is missing.
set -eu

build_pkgs="gcc make pkg-config libmnl-dev libnl-3-dev libnl-route-3-dev
  libpcap-dev libreadline-dev"
test_pkgs="bats bats-assert bats-support iproute2 iputils-ping procps kmod
  openvswitch-switch conntrack tcpdump python3-scapy mandoc shellcheck
  cppcheck clang qemu-system-x86 busybox-static cpio xz-utils ethtool iperf3
  valgrind jq"

case "${1:-build}" in
build) pkgs=$build_pkgs ;;
test)  pkgs="$build_pkgs $test_pkgs" ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "deps: missing packages:$missing (run as root, or install them)" >&2
		exit 1
	fi
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
# An apt index older than a day (or none) is refreshed first.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
	$SUDO apt-get update -qq >&2
fi
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
