#!/usr/bin/env bash
# Runs every test: the C unit tests, the simulator's self-test and the
# end-to-end tests of tests/e2e/*.sh.  Ends with "N passed, N failed".
#   tests/run.sh [BUILD_DIR] [FILTER]
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}
FILTER=${2:-${TESTS:-}}
export PAI_DIAG="$PWD/$BUILD/pai-diag" SIM="$PWD/$BUILD/sim/aliyun"
export ORIG_PATH="$PATH"
export PAI_DIAG_WRAP="${PAI_DIAG_WRAP:-}"

passed=0
failed=0
failures=()

count_line() {	# adds the counts of an "N passed, N failed" line
	local line=$1 p f
	p=$(sed -n 's/.*\b\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p' <<<"$line")
	f=$(sed -n 's/.*\b\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p' <<<"$line")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
}

if [ -z "$FILTER" ]; then
	echo "== unit tests"
	# shellcheck disable=SC2086 # UNIT_WRAP is a command line (valgrind)
	out=$(${UNIT_WRAP:-} "$BUILD/tests/unit" 2>&1)
	rc=$?
	printf '%s\n' "$out" | tail -n 40
	count_line "$(printf '%s\n' "$out" | tail -n 1)"
	[ $rc = 0 ] || failures+=("unit tests")

	if [ -x tests/sim/selftest.sh ]; then
		echo "== simulator self-test"
		out=$(tests/sim/selftest.sh "$SIM" 2>&1)
		rc=$?
		printf '%s\n' "$out" | grep -E 'FAIL|passed' | tail -n 20
		count_line "$(printf '%s\n' "$out" | tail -n 1)"
		[ $rc = 0 ] || failures+=("simulator self-test")
	fi
fi

# The MCP server against the official TypeScript SDK's client: it needs
# node and npm (and the npm registry, the first time).
if [ -z "$FILTER" ]; then
	echo "== mcp interop (tests/mcp)"
	if command -v node >/dev/null && command -v npm >/dev/null; then
		out=$(tests/mcp/run.sh "$BUILD" 2>&1)
		rc=$?
		printf '%s\n' "$out" | grep -E 'FAIL|passed|mcp-interop' | tail -n 20
		count_line "$(printf '%s\n' "$out" | tail -n 1)"
		[ $rc = 0 ] || failures+=("mcp interop")
	else
		echo "skipped: node or npm is not installed (scripts/install-deps --test installs them)"
	fi
fi

for file in tests/e2e/t-*.sh; do
	echo "== ${file#tests/e2e/}"
	tests=$(bash -c "source tests/e2e/lib.sh; source '$file'; declare -F" |
	    awk '$3 ~ /^t_/ { print $3 }')
	for t in $tests; do
		[ -z "$FILTER" ] || [[ $t == *$FILTER* ]] || continue
		if out=$(bash -c "set -eu; source tests/e2e/lib.sh; source '$file'; setup; trap teardown EXIT; $t" 2>&1); then
			passed=$((passed + 1))
			echo "ok   $t"
		else
			failed=$((failed + 1))
			failures+=("$t")
			echo "FAIL $t"
			printf '%s\n' "$out" | head -n 80
		fi
	done
done

if [ ${#failures[@]} -gt 0 ]; then
	echo
	echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
