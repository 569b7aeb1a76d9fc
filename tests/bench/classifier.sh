#!/bin/sh
# Classifier lookups per second: 10,000 rules over 20 masks (lib/classifier).
#   BUILD=build tests/bench/classifier.sh [RULES [MASKS [LOOKUPS]]]
# Builds tests/bench/classifier.c against $BUILD/libdpkit.a (run make build
# first) with the library's optimisation flags, then runs it.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
[ -f "$BUILD/libdpkit.a" ] || { echo "classifier: $BUILD/libdpkit.a missing: run make build" >&2; exit 1; }
mkdir -p "$BUILD/bench"
${CC:-cc} -O2 -g -std=gnu11 -D_GNU_SOURCE -I"$top/lib" -o "$BUILD/bench/classifier" \
	"$top/tests/bench/classifier.c" "$BUILD/libdpkit.a"
"$BUILD/bench/classifier" "$@"
