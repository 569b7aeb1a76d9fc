#!/bin/sh
# Run every benchmark in tests/bench (long; not part of make check).
set -u
dir=$(dirname "$0")
status=0
for b in "$dir"/*.sh; do
	case $(basename "$b") in run.sh|lib.sh) continue ;; esac
	echo "== $(basename "$b")"
	"$b" || status=1
done
exit $status
