#!/bin/sh
# Run every benchmark in tests/bench (long; not part of make check).
set -u
dir=$(dirname "$0")
status=0
for b in "$dir"/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	echo "== $(basename "$b")"
	"$b" || status=1
done
exit $status
