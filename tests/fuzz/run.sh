#!/bin/sh
# Run each libFuzzer binary given for $FUZZ_SECONDS (default 30) with a
# corpus directory of its own under build-fuzz/corpus/; stop at the first
# crash (its reproducer is left in build-fuzz/).
set -eu
secs=${FUZZ_SECONDS:-30}
for bin in "$@"; do
	name=$(basename "$bin")
	corpus=build-fuzz/corpus/$name
	mkdir -p "$corpus"
	echo "fuzz: $name for ${secs}s"
	"$bin" -max_total_time="$secs" -artifact_prefix=build-fuzz/"$name"- \
		-print_final_stats=0 "$corpus" >build-fuzz/"$name".log 2>&1 || {
		tail -n 40 build-fuzz/"$name".log >&2
		echo "fuzz: $name: FAILED" >&2
		exit 1
	}
done
