#!/bin/sh
# Run libFuzzer targets: tests/fuzz/run.sh build-fuzz/NAME...
#
# Each binary runs for $FUZZ_SECONDS (default 30) on its own corpus in
# build-fuzz/corpus/NAME, which grows across runs.  A dictionary
# tests/fuzz/NAME.dict, if there is one, is used.  Crash reproducers land in
# build-fuzz/NAME-crash-*; the exit status is 1 if any target failed.
set -u
secs=${FUZZ_SECONDS:-30}
status=0
for bin in "$@"; do
	name=$(basename "$bin")
	corpus=build-fuzz/corpus/$name
	dict=tests/fuzz/$name.dict
	mkdir -p "$corpus"
	echo "fuzz: $name for ${secs}s" >&2
	if [ -f "$dict" ]; then
		"$bin" -max_total_time="$secs" -print_final_stats=1 \
			-artifact_prefix="build-fuzz/$name-" -dict="$dict" "$corpus"
	else
		"$bin" -max_total_time="$secs" -print_final_stats=1 \
			-artifact_prefix="build-fuzz/$name-" "$corpus"
	fi || { echo "fuzz: $name failed" >&2; status=1; }
done
exit $status
