#!/bin/sh
# Run each libFuzzer binary given for $FUZZ_SECONDS (default 30), each with
# its own corpus directory under build-fuzz/corpus/.  Exits 1 if any finds a
# crash (the reproducer is left in build-fuzz/).
set -u
secs=${FUZZ_SECONDS:-30}
rc=0
for bin in "$@"; do
	name=$(basename "$bin")
	corpus=build-fuzz/corpus/$name
	mkdir -p "$corpus"
	echo "fuzz: $name for ${secs}s" >&2
	if ! "$bin" -max_total_time="$secs" -artifact_prefix="build-fuzz/$name-" \
		"$corpus" >"build-fuzz/$name.log" 2>&1; then
		echo "fuzz: $name FAILED; see build-fuzz/$name.log" >&2
		tail -n 30 "build-fuzz/$name.log" >&2
		rc=1
	fi
done
exit $rc
