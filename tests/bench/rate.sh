#!/usr/bin/env bash
# The rate bench (run by `make bench` after tests/bench/run.sh, alone by
# `make bench-rate`): a fleet of 200 EAS targets in three regions against
# an account whose API limit is 20 calls a second (the simulator's
# `throttle`, one sliding window over every call), pai-diag --max-rate 20.
# Each target makes 5 calls that must go through (list-services twice,
# invoke, two polls), so the ideal wall time is the calls that went
# through / 20 per second.  Prints the wall time, the calls (admitted and
# throttled, from ALIYUN_SIM_CALLTIMES), the ideal, the ratio with PASS or
# MISS against 1.3, the most calls pai-diag sent in any sliding second,
# and the targets that did not end healthy (any is BROKEN: exit 1).  The
# table is appended to BUILD/bench/results.txt.  docs/performance.md
# explains the figures.
#   tests/bench/rate.sh [BUILD_DIR]
# Environment: BENCH_RATE_TARGETS=N (default 200); BENCH_RATE_MAX=M runs
# pai-diag with --max-rate M instead of 20 (above the limit: how it adapts;
# the verdicts then read against 20 all the same); BENCH_KEEP=1 keeps the
# work directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${1:-build}
PAI=$ROOT/$BUILD/pai-diag
SIM=$ROOT/$BUILD/sim/aliyun
OUT=$ROOT/$BUILD/bench/results.txt
mkdir -p "$ROOT/$BUILD/bench"
for f in "$PAI" "$SIM"; do
	[ -x "$f" ] || { echo "bench-rate: $f is missing; run 'make bench-rate'" >&2; exit 1; }
done
N=${BENCH_RATE_TARGETS:-200}
case $N in
'' | *[!0-9]* | 0*) echo "bench-rate: BENCH_RATE_TARGETS: a positive number" >&2; exit 1 ;;
esac
LIMIT=20 JOBS=64 INTERVAL=1 TARGET_RATIO=1.3
MAX=${BENCH_RATE_MAX:-$LIMIT}
case $MAX in
'' | *[!0-9]*) echo "bench-rate: BENCH_RATE_MAX: a whole number" >&2; exit 1 ;;
esac
REGIONS=(cn-hangzhou cn-beijing cn-shanghai)

W=$(mktemp -d "${TMPDIR:-/tmp}/pai-diag-bench-rate.XXXXXX")
if [ -n "${BENCH_KEEP:-}" ]; then
	trap 'echo "bench-rate: kept $W" >&2' EXIT
else
	trap 'rm -rf "$W"' EXIT
fi

# shellcheck source=tests/bench/world.sh
. "$ROOT/tests/bench/world.sh"
bench_world "$W" "$SIM" LTAI5tBenchOnlyNotAKey00 bench-secret-not-real
export ALIYUN_SIM_CALLTIMES=$W/times.log ALIYUN_SIM_SCENARIO=$W/rate.json
# The host's own retries of a throttled call (with a retry-after) are off:
# the limit's answers reach pai-diag as they are.
export ALIBABA_CLOUD_THROTTLING_RETRY_ENABLED=false
unset ALIYUN_SIM_TIMELOG

# N services, a third in each region; a task each, Running then Success
# with an Info result; the account's limit.
jq -n --argjson n "$N" --argjson lim "$LIMIT" --argjson regions "$(printf '%s\n' "${REGIONS[@]}" | jq -R . | jq -s .)" '{
	eas_services: [range(0; $n) | {ServiceId: ("eas-m-ratebench" + ("000" + tostring)[-4:]),
	    ServiceName: "svc\(.)", Region: $regions[. % 3]}],
	task: {per_instance: true, statuses: ["Running", "Success"],
	    result: {summary: {overall_status: "Info", root_cause: "all good", suggestions: []}, issues: []}},
	throttle: {per_second: $lim}}' >"$W/rate.json"
# The targets, each in its region: ID - REGION.
jq -r '.eas_services[] | "\(.ServiceId) - \(.Region)"' "$W/rate.json" >"$W/targets"

echo "bench-rate: a fleet of $N targets in ${#REGIONS[*]} regions under a limit of $LIMIT calls a second (about $((N * 5 * 11 / 10 / LIMIT)) s)" >&2
start=$(date +%s.%N)
set +e
"$PAI" -q -r "${REGIONS[0]}" --instances-file "$W/targets" -j "$JOBS" \
	--max-rate "$MAX" --poll-interval "$INTERVAL" -o json >"$W/out" 2>"$W/err"
rc=$?
set -e
end=$(date +%s.%N)

wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
ok=$(grep -c ' ok ' "$W/times.log" || true)
throttled=$(grep -c ' throttled ' "$W/times.log" || true)
ideal=$(awk -v c="$ok" -v l="$LIMIT" 'BEGIN { printf "%.1f", c / l }')
ratio=$(awk -v w="$wall" -v i="$ideal" 'BEGIN { printf "%.2f", (i > 0 ? w / i : 0) }')
most=$(awk '{ t[NR] = $1 } END {
	most = 0; j = 1
	for (i = 1; i <= NR; i++) {
		while (t[i] - t[j] >= 1) j++
		if (i - j + 1 > most) most = i - j + 1
	}
	print most
}' "$W/times.log")
runs=$(jq '.runs | length' "$W/out" 2>/dev/null || echo 0)
failed=$(jq '[.runs[] | select(.outcome != "healthy")] | length' "$W/out" 2>/dev/null || echo "$N")
counted=$(jq '[.runs[].throttled] | add' "$W/out" 2>/dev/null || echo "?")
per_region=$(jq -r '[.runs[].region] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' "$W/out" 2>/dev/null || echo "?")
broken=
[ "$rc" = 0 ] && [ "$runs" = "$N" ] && [ "$failed" = 0 ] || broken=1

verdict() { if [ "$1" = 1 ]; then echo PASS; else echo MISS; fi; }
{
echo
printf 'Rate: a fleet of %d EAS targets in %d regions (%s), -j %d, --poll-interval %s,\n' \
	"$N" "${#REGIONS[*]}" "$per_region" "$JOBS" "$INTERVAL"
printf '   each Running then Success; the account limited to %d calls a second (simulator),\n' "$LIMIT"
printf '   pai-diag --max-rate %d; one run\n' "$MAX"
printf '  %-40s %s\n' "wall time" "$wall s (exit $rc)"
printf '  %-40s %s\n' "calls that went through" "$ok"
printf '  %-40s %s\n' "calls throttled" "$throttled (the envelopes count $counted)"
printf '  %-40s %s\n' "ideal: went through / $LIMIT a second" "$ideal s"
printf '  %-40s %s\n' "most calls sent in one sliding second" "$most"
printf '  %-40s %s\n' "targets not healthy" "$failed of $runs"
echo "Targets"
printf '  %s  wall time <= %s x the ideal: %s / %s s = %s\n' \
	"$(verdict "$(awk -v r="$ratio" -v t="$TARGET_RATIO" 'BEGIN { print (r > 0 && r <= t) ? 1 : 0 }')")" \
	"$TARGET_RATIO" "$wall" "$ideal" "$ratio"
printf '  %s  never more than the limit, %d calls, in a sliding second: %d\n' \
	"$(verdict "$([ "$most" -le "$LIMIT" ] && echo 1 || echo 0)")" "$LIMIT" "$most"
if [ -n "$broken" ]; then
	printf '  BROKEN  every target healthy: %s of %s not, exit %s\n' "$failed" "$runs" "$rc"
	head -c 2000 "$W/err" | sed 's/^/    /'
else
	printf '  PASS  every target healthy: 0 of %s failed\n' "$runs"
fi
} | tee -a "$OUT"
[ -z "$broken" ]
