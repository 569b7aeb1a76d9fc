#!/bin/bash
# Run every benchmark in tests/bench (each tests/bench/*.sh but this one).
# make bench runs this; the benchmarks are long and not part of make check.
set -u
cd "$(dirname "$0")/../.." || exit 2
status=0
for b in tests/bench/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	echo "### $b"
	bash "$b" || status=1
done
exit $status
