#!/bin/sh
# Run libFuzzer targets: tests/fuzz/run.sh build-fuzz/NAME...
#
# Each binary runs for $FUZZ_SECONDS (default 30) on its own corpus in
# build-fuzz/corpus/NAME, which grows across runs.  Extra seed inputs are
# taken from $FUZZ_SEEDS_NAME or build-fuzz/seeds/NAME if such a directory
# exists (targets' bats suites or generators may fill it); a dictionary
# tests/fuzz/NAME.dict, if there is one, is used.  The log goes to
# build-fuzz/NAME.log and one summary line (executions, result) is printed.
# Crash reproducers land in build-fuzz/NAME-crash-*; exit status 1 if any
# target failed.
set -u
secs=${FUZZ_SECONDS:-30}
status=0
for bin in "$@"; do
	name=$(basename "$bin")
	corpus=build-fuzz/corpus/$name
	seeds=build-fuzz/seeds/$name
	dict=tests/fuzz/$name.dict
	log=build-fuzz/$name.log
	mkdir -p "$corpus"
	set -- -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="build-fuzz/$name-"
	[ -f "$dict" ] && set -- "$@" -dict="$dict"
	set -- "$@" "$corpus"
	[ -d "$seeds" ] && set -- "$@" "$seeds"
	if "$bin" "$@" >"$log" 2>&1; then
		result=ok
	else
		tail -n 40 "$log" >&2
		result=FAILED
		status=1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	echo "fuzz: $name: ${execs:-?} executions in ${secs}s: $result"
done
exit $status
