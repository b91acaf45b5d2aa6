#!/usr/bin/env bash
# Runs the libFuzzer targets built in BUILD (BUILD/fuzz_TARGET).
#
# For each target: first replays every input of tests/fuzz/regressions/
# TARGET/ (inputs that once crashed it) and tests/fuzz/corpus/TARGET/; then,
# unless --regress, fuzzes it for FUZZ_SECONDS (default 30) from that
# corpus, the seeds in BUILD/seeds/TARGET (tests/fuzz/seeds.sh) and the
# corpus it keeps in BUILD/corpus/TARGET.  Prints one line per target with
# the number of executions and what was found; a crashing input is left in
# BUILD/artifacts/TARGET/.  Exits 1 when any target crashed.
#   tests/fuzz/run.sh [--regress] BUILD TARGET...
set -u
cd "$(dirname "$0")/../.."

regress_only=false
if [ "${1:-}" = --regress ]; then
	regress_only=true
	shift
fi
if [ $# -lt 2 ]; then
	echo "usage: tests/fuzz/run.sh [--regress] BUILD TARGET..." >&2
	exit 2
fi
BUILD=$1
shift
secs=${FUZZ_SECONDS:-30}

# Readable stacks; a UBSan finding is a crash like any other.
if ! command -v llvm-symbolizer >/dev/null 2>&1 &&
    command -v llvm-symbolizer-14 >/dev/null 2>&1; then
	export ASAN_SYMBOLIZER_PATH
	ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer-14)
fi
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

crashed=()
for t in "$@"; do
	bin=$BUILD/fuzz_$t
	log=$BUILD/logs/$t.log
	mkdir -p "$BUILD/logs" "$BUILD/corpus/$t" "$BUILD/artifacts/$t"
	if [ ! -x "$bin" ]; then
		echo "fuzz_$t: not built ($bin)" >&2
		crashed+=("$t")
		continue
	fi

	# Replay: every file given by name runs once.
	files=()
	for d in tests/fuzz/regressions/$t tests/fuzz/corpus/$t; do
		[ -d "$d" ] || continue
		while IFS= read -r -d '' f; do
			files+=("$f")
		done < <(find "$d" -type f ! -name 'README*' -print0 | sort -z)
	done
	if [ ${#files[@]} -gt 0 ]; then
		if ! "$bin" "${files[@]}" >"$BUILD/logs/$t.replay.log" 2>&1; then
			echo "fuzz_$t: REGRESSION: a checked-in input crashes it" \
			    "(see $BUILD/logs/$t.replay.log)"
			grep -E '^(Running: |==[0-9]+==ERROR|SUMMARY|fuzz: )' \
			    "$BUILD/logs/$t.replay.log" | tail -n 8 | sed 's/^/    /'
			crashed+=("$t")
			continue
		fi
	fi
	if $regress_only; then
		echo "fuzz_$t: ${#files[@]} checked-in inputs replayed, no crash"
		continue
	fi

	dirs=("$BUILD/corpus/$t")
	for d in tests/fuzz/corpus/$t "$BUILD/seeds/$t" tests/fuzz/regressions/$t; do
		[ -d "$d" ] && dirs+=("$d")
	done
	dict=()
	[ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
	start=$(date +%s)
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$t/" \
	    "${dict[@]}" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' \
	    "$log" | tail -n 1)
	units=$(find "$BUILD/corpus/$t" -type f | wc -l)
	if [ $rc = 0 ]; then
		echo "fuzz_$t: ${execs:-?} executions in ${took} s, corpus" \
		    "$units, nothing found"
	else
		echo "fuzz_$t: ${execs:-?} executions in ${took} s: FOUND A" \
		    "CRASH (exit $rc; see $log)"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: |.*runtime error)' \
		    "$log" | head -n 6 | sed 's/^/    /'
		find "$BUILD/artifacts/$t" -type f | sed 's/^/    input: /'
		crashed+=("$t")
	fi
done

if [ ${#crashed[@]} -gt 0 ]; then
	echo "fuzz: crashed: ${crashed[*]}"
	echo "fuzz: fix the bug, then add the input under" \
	    "tests/fuzz/regressions/TARGET/"
	exit 1
fi
echo "fuzz: $# targets, none crashed"
