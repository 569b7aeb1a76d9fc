#!/bin/sh
# Translations per second of lib/xlate, one thread: an L3 pipeline of 1,000
# routes, and the normal action with 1,000 learned addresses; also the heap
# allocations per translation once the output buffers have grown (0 is the
# goal).
#   BUILD=build tests/bench/xlate.sh [SECONDS]
# Builds tests/bench/xlate.c against $BUILD/libdpkit.a (run make build
# first) with the library's optimisation flags, then runs it.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
[ -f "$BUILD/libdpkit.a" ] || { echo "xlate: $BUILD/libdpkit.a missing: run make build" >&2; exit 1; }
mkdir -p "$BUILD/bench"
${CC:-cc} -O2 -g -std=gnu11 -D_GNU_SOURCE -I"$top/lib" -o "$BUILD/bench/xlate" \
	"$top/tests/bench/xlate.c" "$BUILD/libdpkit.a" -lpthread
"$BUILD/bench/xlate" "$@"
