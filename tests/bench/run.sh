#!/usr/bin/env bash
# `make bench`: what pai-diag costs, against the bundled aliyun simulator,
# next to what a user's shell script with jq costs for the same work.
# Sections: orchestration, results of many shapes (each a ~20 MB reply,
# tests/bench/shapes.py; the first, "plain", is the 20 MB result of the
# earlier bench), start-up, a fleet of 20 targets, a fleet of 16 targets
# with 20 MB results, a fleet of 10,000 small targets, redaction alone
# (build/bench/redact_bench).  Prints one table (also kept in
# BUILD/bench/results.txt) with PASS/MISS against the targets; every figure
# is the median of several runs (with their min and max where there is
# room).  A MISS does not fail it; a broken run does (an unexpected exit
# code, a report that lost issues, a planted secret in any output): the
# table is printed, then the bench exits 1.  See docs/performance.md for
# what each figure means and how it is measured.
#   tests/bench/run.sh [BUILD_DIR]
# Environment: BENCH_QUICK=1 runs fewer repetitions (a smoke test);
# BENCH_SMALL_FLEET=N sets the size of the fleet of small targets (default
# 10000, the target's; 1000 with BENCH_QUICK; the verdict needs 10000);
# BENCH_KEEP=1 keeps the work directory, with an env.sh to source for
# profiling pai-diag in the same world (docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${1:-build}
PAI=$ROOT/$BUILD/pai-diag
SIM=$ROOT/$BUILD/sim/aliyun
RUNSTAT=$ROOT/$BUILD/bench/runstat
REDACT_BENCH=$ROOT/$BUILD/bench/redact_bench
SHAPES_PY=$ROOT/tests/bench/shapes.py
BASELINE=$ROOT/tests/bench/baseline.sh
OUT=$ROOT/$BUILD/bench/results.txt
for f in "$PAI" "$SIM" "$RUNSTAT"; do
	[ -x "$f" ] || { echo "bench: $f is missing; run 'make bench'" >&2; exit 1; }
done
for c in jq python3 /usr/bin/time; do
	command -v "$c" >/dev/null || { echo "bench: $c is missing; run 'make bench'" >&2; exit 1; }
done

# Every pai-diag run here has --max-rate 0: these sections measure what
# pai-diag costs, not the API budget (tests/bench/rate.sh measures that).
# Repetitions: slow runs, fast runs, micro runs; per shape and format,
# pai-diag runs and jq runs; runs of the fleet of 16 large results; the
# size of the fleet of small targets (run once; 10,000 take about a minute
# on 2 busy cores, most of it starting 10,000 simulators).  Few runs of the
# large results, so that the whole stays near 5 minutes on 2 cores.
if [ -n "${BENCH_QUICK:-}" ]; then
	N_PD=5 N_BASE=5 N_FLOOR=30 N_MICRO=50 N_FLEET=3
	N_SHAPE_PD=2 N_SHAPE_JQ=1 N_BIGFLEET=1 SMALL_FLEET=1000
else
	N_PD=21 N_BASE=9 N_FLOOR=200 N_MICRO=300 N_FLEET=5
	N_SHAPE_PD=3 N_SHAPE_JQ=2 N_BIGFLEET=1 SMALL_FLEET=10000
fi
SMALL_FLEET=${BENCH_SMALL_FLEET:-$SMALL_FLEET}
case $SMALL_FLEET in
'' | *[!0-9]* | 0*) echo "bench: BENCH_SMALL_FLEET: 1 to 10000" >&2; exit 1 ;;
esac
[ "$SMALL_FLEET" -le 10000 ] || { echo "bench: BENCH_SMALL_FLEET: 1 to 10000" >&2; exit 1; }
EAS_ID=eas-m-bp79exq2lzbd0ctdfu
TASK=Vq7mZ2xK
UA=AlibabaCloud-Agent-Skills/alibabacloud-aes-sysom-pai-diagnosis
POLLS=60
ISSUES=50000
FLEET=20 FLEET_RUNNING=10 FLEET_INTERVAL=0.1
SHAPES=(plain many-small big-strings string-result deep non-ascii key-like)
FORMATS=(text markdown json)
BIGFLEET=16 SMALL_FLEET_TARGET=10000
# The profile's key pair: known secrets by value, never to be printed.
AK_ID=LTAI5tBenchOnlyNotAKey00 AK_SECRET=bench-secret-not-real

W=$(mktemp -d "${TMPDIR:-/tmp}/pai-diag-bench.XXXXXX")
if [ -n "${BENCH_KEEP:-}" ]; then
	trap 'echo "bench: kept $W; . $W/env.sh" >&2' EXIT
else
	trap 'rm -rf "$W"' EXIT
fi
started=$(date +%s)
say() { echo "bench: [$(($(date +%s) - started)) s] $*" >&2; }

# --- the world: a HOME with a valid profile, the simulator as aliyun -------
# shellcheck source=tests/bench/world.sh
. "$ROOT/tests/bench/world.sh"
bench_world "$W" "$SIM" "$AK_ID" "$AK_SECRET"
export ALIYUN_SIM_TIMELOG=$W/time.log

# The task runs 59 polls, then succeeds on poll 60.
jq -n --arg id "$EAS_ID" --arg task "$TASK" --argjson n "$POLLS" '{
	eas_services: [
	  {ServiceId: $id, ServiceName: "qwen_chat_prod", Region: "cn-hangzhou"},
	  {ServiceId: "eas-m-bp79exq2lzbd0ctd77", ServiceName: "qwen_chat_staging", Region: "cn-hangzhou"}],
	task: {id: $task, statuses: ([range($n - 1) | "Running"] + ["Success"])}}' \
	>"$W/orch.json"

# The same world for a shell that sources it (BENCH_KEEP): the scenario of
# the plain 20 MB result; shape-SHAPE.json beside it are the other shapes'
# (the replies in shapes/), orch.json the 60-poll one (clear
# $ALIYUN_SIM_STATE between runs of that one).
cat >"$W/env.sh" <<EOF
export HOME='$W/home' PATH='$W/bin':"\$PATH" XDG_STATE_HOME='$W/xdg' TZ=UTC
export ALIYUN_SIM_STATE='$W/state' ALIYUN_SIM_SCENARIO='$W/shape-plain.json'
unset ALIYUN_SIM_LOG ALIYUN_SIM_TIMELOG ALIYUN_SIM_ENVLOG
EOF

# A fresh cloud, a first run of the day and a user whose AI mode is as
# aliyun leaves it (off, no user agent) for each measured run.
fresh() {
	rm -rf "$W/state" "$W/xdg" "$W/time.log" "$W/calls.log" \
		"$W/home/.aliyun/ai-mode.json"
}

# sim_sums: "span cpu count" of the simulator runs in time.log.
sim_sums() {
	if [ -s "$W/time.log" ]; then
		awk '{ w += $2 - $1; c += $3 + $4 } END { printf "%.6f %.6f %d\n", w, c, NR }' \
			"$W/time.log"
	else
		echo "0 0 0"
	fi
}

# stats FILE COLUMN SCALE FORMAT: "median [min-max]" of a column, times SCALE.
stats() {
	awk -v c="$2" -v s="$3" '{ print $c * s }' "$1" | sort -g |
		awk -v f="$4" '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "-"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf f " [" f "-" f "]\n", m, v[1], v[NR]
		}'
}

# median FILE COLUMN SCALE: the bare median.
median() {
	awk -v c="$2" -v s="$3" '{ print $c * s }' "$1" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else
			print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ratio A B: A/B to two significant places.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.3g\n", a / b }'; }

# verdict OK: PASS or MISS.
verdict() { if [ "$1" = 1 ]; then echo PASS; else echo MISS; fi; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? 1 : 0 }'; }

# broken WHAT: a broken run; the bench goes on, prints its table and
# exits 1.  Kept in $W/broken.
: >"$W/broken"
broken() {
	echo "bench: BROKEN: $*" >&2
	echo "$*" >>"$W/broken"
}

# measure NAME WANT_RC [-m] -- CMD...: one run; appends to $W/NAME.runs
#   1 wall  2 total_cpu  3 self_cpu  4 maxrss  5 self_hwm  6 status (runstat)
#   7 sim_span  8 sim_cpu  9 sim_runs  10 stdout bytes
# An exit code other than WANT_RC is a broken run (the run is still counted).
measure() {
	local name=$1 want=$2 line rc
	shift 2
	local opts=()
	[ "$1" = -m ] && { opts=(-m); shift; }
	[ "$1" = -- ] && shift
	line=$("$RUNSTAT" "${opts[@]}" -o "$W/$name.out" -e "$W/$name.err" -- "$@")
	rc=${line##* }
	if [ "$rc" != "$want" ]; then
		broken "$name exited $rc, want $want: $(tail -n 3 "$W/$name.err" | tr '\n' ' ' | cut -c1-200)"
	fi
	echo "$line $(sim_sums) $(wc -c <"$W/$name.out")" >>"$W/$name.runs"
}

# === 1 and 2: orchestration =================================================
say "1. orchestration ($N_PD pai-diag runs, $N_BASE baseline runs)"
export ALIYUN_SIM_SCENARIO=$W/orch.json
PD_ORCH=("$PAI" --max-rate 0 -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --max-polls "$POLLS")
BASE_ORCH=("$BASELINE" cn-hangzhou "$EAS_ID" 0 "$POLLS")
# A warm-up of each (page cache, dynamic loader), not counted; then the two
# take turns, so that a slow spell of the machine hits both.
fresh; "${PD_ORCH[@]}" >/dev/null 2>&1 || true
cp "$W/calls.log" "$W/calls.pai-diag"
fresh; "${BASE_ORCH[@]}" >/dev/null 2>&1 || true
cp "$W/calls.log" "$W/calls.baseline"
same_calls=yes
cmp -s "$W/calls.pai-diag" "$W/calls.baseline" || same_calls=no
for ((i = 0; i < N_PD; i++)); do
	fresh; measure pd_orch 11 -- "${PD_ORCH[@]}"
	if ((i < N_BASE)); then
		fresh; measure base_orch 11 -- "${BASE_ORCH[@]}"
	fi
done
calls=$(awk '{ print $9 }' "$W/pd_orch.runs" | sort -u | tr '\n' ' ')
calls=${calls% }
# Per run: 11 overhead per call (us), 12 the orchestrator's CPU less the
# simulator's (ms).
for n in pd_orch base_orch; do
	awk '{ printf "%s %.3f %.3f\n", $0, ($1 - $7) / $9 * 1e6, ($2 - $8) * 1e3 }' \
		"$W/$n.runs" >"$W/$n.derived"
done

# The floor: what creating, loading and reaping one simulator process costs
# a minimal C parent (posix_spawn, wait4) beyond the simulator's own main().
fresh
"$RUNSTAT" -n "$N_FLOOR" -- aliyun sysom get-diagnosis-result --task-id "$TASK" \
	--user-agent "$UA" >"$W/floor.rs"
paste -d' ' "$W/floor.rs" "$W/time.log" |
	awk '{ printf "%.3f %.3f\n", ($1 - ($8 - $7)) * 1e6, $1 * 1e6 }' >"$W/floor.runs"

# === 3: results of many shapes ==============================================
# Each shape is a ~20 MB get-diagnosis-result reply in $W/shapes, replayed
# by the simulator byte for byte from a rule (stdout_file); jq reads the
# same file.  "plain" is the earlier bench's large result, made by the
# simulator from the task as before; the others come from shapes.py, around
# the simulator's own envelope.
say "3. result shapes (${#SHAPES[@]} shapes x ${#FORMATS[@]} formats," \
	"$N_SHAPE_PD pai-diag runs, $N_SHAPE_JQ jq runs each)"
mkdir -p "$W/shapes"
jq -n --argjson n "$ISSUES" '{summary: {overall_status: "Warn",
	root_cause: "many issues", suggestions: ["look at the issues"]},
	issues: [range(0; $n) | {severity: "Warn", title: "issue \(.)",
	detail: ("d" * 300)}]}' >"$W/big-result.json"
jq -n --arg id "$EAS_ID" --slurpfile r "$W/big-result.json" '{
	eas_services: [{ServiceId: $id, ServiceName: "big", Region: "cn-hangzhou"}],
	task: {statuses: ["Success"], result: $r[0]}}' >"$W/big-task.json"
fresh
ALIYUN_SIM_SCENARIO=$W/big-task.json aliyun sysom get-diagnosis-result \
	--task-id "$TASK" --user-agent "$UA" >"$W/shapes/plain.reply.json"
rm -f "$W/big-result.json" "$W/big-task.json"
jq -n --argjson n "$ISSUES" '{issues: $n, overall: "Warn", exit: 10,
	secrets: [], prose: {}, describe: ("the earlier bench'\''s: \($n) issues"
	+ " {severity, title, 300-byte detail}, printed by the simulator")}' \
	>"$W/shapes/plain.meta.json"
# The envelope: the simulator's answer around a placeholder result.
jq -n '{task: {statuses: ["Success"], result: "@@RESULT@@"}}' >"$W/envelope-task.json"
fresh
ALIYUN_SIM_SCENARIO=$W/envelope-task.json aliyun sysom get-diagnosis-result \
	--task-id "$TASK" --user-agent "$UA" >"$W/envelope.json"
BENCH_AK_ID=$AK_ID BENCH_AK_SECRET=$AK_SECRET python3 "$SHAPES_PY" \
	"$W/envelope.json" "$W/shapes" "${SHAPES[@]:1}"
# Each reply valid JSON (jq empty) of 18 to 22 MB; a scenario for each.
for s in "${SHAPES[@]}"; do
	reply=$W/shapes/$s.reply.json
	if ! jq empty "$reply"; then
		echo "bench: shape $s: the reply is not valid JSON" >&2
		exit 1
	fi
	bytes=$(wc -c <"$reply")
	if [ "$bytes" -lt 18000000 ] || [ "$bytes" -gt 22000000 ]; then
		echo "bench: shape $s: the reply is $bytes bytes, not about 20 MB" >&2
		exit 1
	fi
	# What no output may hold: the profile's key pair, and the shape's own.
	{ printf '%s\n' "$AK_ID" "$AK_SECRET"; jq -r '.secrets[]' "$W/shapes/$s.meta.json"; } \
		>"$W/shapes/$s.secrets"
	jq -n --arg id "$EAS_ID" --arg f "shapes/$s.reply.json" '{
		eas_services: [{ServiceId: $id, ServiceName: "big", Region: "cn-hangzhou"}],
		rules: [{name: "the large result", cmd: "sysom get-diagnosis-result",
		         stdout_file: $f}]}' >"$W/shape-$s.json"
done
PD_SHAPE=("$PAI" --max-rate 0 -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0)
# jq programs that print what the reports print.  Text: the overall
# status, the root cause, the suggestions and each issue's [severity]
# title, detail and every other key (strings as they are, the rest as
# compact JSON).  Markdown: the same headings, the issues as a table of
# severity, title and detail (one line a cell: @tsv writes \n, \t as
# escapes).  JSON: what the envelope carries of the result: the summary,
# the issues and the whole result again.  A result sent as a JSON string
# is decoded first (fromjson).
JQ_DEFS='def result: .data.result | if type == "string" then fromjson else . end;
	def line: if type == "string" then . else tojson end;
	def cell: [line] | @tsv;'
JQ_TEXT=$JQ_DEFS'result
	| "Overall status: \(.summary.overall_status)",
	  "Root cause:", "  \(.summary.root_cause)",
	  "Suggestions:", (.summary.suggestions | to_entries[] | "  \(.key + 1). \(.value | line)"),
	  "Issues (\(.issues | length)):",
	  (.issues[] | if type == "object" then
	     "  [\(.severity)] \(.title)", "      \(.detail)",
	     (to_entries[] | select(.key != "severity" and .key != "title" and .key != "detail")
	      | "      \(.key): \(.value | line)")
	   else "  - \(line)" end)'
JQ_MD=$JQ_DEFS'result
	| "## Overall status: \(.summary.overall_status)", "",
	  "## Root cause", "", .summary.root_cause, "",
	  "## Suggestions", "", (.summary.suggestions | to_entries[] | "\(.key + 1). \(.value | cell)"), "",
	  "## Issues (\(.issues | length))", "", "| Severity | Title | Detail |", "|---|---|---|",
	  (.issues[] | "| \(.severity // "" | cell) | \(.title // "(untitled)" | cell) | \(.detail // "" | cell) |")'
JQ_JSON=$JQ_DEFS'result
	| {summary: {overall_status: .summary.overall_status,
	             root_cause: .summary.root_cause,
	             suggestions: .summary.suggestions},
	   issues: .issues, result: .}'
jq_argv() {	# FORMAT: the jq yardstick of FORMAT, in JQ_ARGV
	case $1 in
	text) JQ_ARGV=(jq -r "$JQ_TEXT") ;;
	markdown) JQ_ARGV=(jq -r "$JQ_MD") ;;
	json) JQ_ARGV=(jq "$JQ_JSON") ;;
	esac
}
# md_rows FILE: the rows of the Markdown issues table, its header included.
md_rows() {
	awk '/^## Issues \(/ { t = 1; next } t && /^\| / && !/^\|---/ { n++ } END { print n + 0 }' "$1"
}
# leak_check SHAPE NAME: no planted secret in NAME's stdout or stderr.
leak_check() {
	local hit
	if hit=$(grep -F -n -m 1 -f "$W/shapes/$1.secrets" "$W/$2.out" "$W/$2.err"); then
		broken "LEAK: $2 printed a planted secret: $(printf '%s' "${hit#"$W"/}" | head -n 1 | cut -c1-160)"
		echo "$2" >>"$W/leaks"
	fi
}
: >"$W/leaks"
for s in "${SHAPES[@]}"; do
	export ALIYUN_SIM_SCENARIO=$W/shape-$s.json
	reply=$W/shapes/$s.reply.json
	want=$(jq -r .exit "$W/shapes/$s.meta.json")
	n_issues=$(jq -r .issues "$W/shapes/$s.meta.json")
	echo "bench:    $s ($(jq -r .describe "$W/shapes/$s.meta.json"))" >&2
	for ((i = 0; i < N_SHAPE_PD; i++)); do
		for f in "${FORMATS[@]}"; do
			fresh; measure "s.$s.$f.pd" "$want" -m -- "${PD_SHAPE[@]}" -o "$f"
			leak_check "$s" "s.$s.$f.pd"
			if ((i < N_SHAPE_JQ)); then
				jq_argv "$f"
				fresh; measure "s.$s.$f.jq" 0 -- "${JQ_ARGV[@]}" "$reply"
			fi
		done
	done
	# The last run of each: the reports hold every issue.
	for who in pd jq; do
		got=$(grep -c '^  \[' "$W/s.$s.text.$who.out" || true)
		[ "$got" = "$n_issues" ] ||
			broken "shape $s: the text report ($who) has $got issue lines, want $n_issues"
		got=$(md_rows "$W/s.$s.markdown.$who.out")
		[ "$got" = "$((n_issues + 1))" ] ||
			broken "shape $s: the Markdown issues table ($who) has $got rows, want $((n_issues + 1))"
	done
	grep -qx "Issues ($n_issues):" "$W/s.$s.text.pd.out" ||
		broken "shape $s: the text report has no line 'Issues ($n_issues):'"
	if ! err=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
n, want = int(sys.argv[2]), int(sys.argv[3])
r = d.get("result")
bad = []
if d.get("exit_code") != want: bad.append("exit_code %r" % d.get("exit_code"))
if len(d.get("issues") or []) != n: bad.append("%d issues" % len(d.get("issues") or []))
if not isinstance(r, dict) or len(r.get("issues") or []) != n: bad.append("result not the result")
if bad: sys.exit(", ".join(bad))' "$W/s.$s.json.pd.out" "$n_issues" "$want" 2>&1); then
		broken "shape $s: the JSON envelope: $(printf '%s' "$err" | tail -n 1)"
	fi
	# Key-like words that are no secrets stay: every one in the text
	# report, twice (issues, result) in the JSON one.
	jq -r '.prose | to_entries[] | "\(.value) \(.key)"' "$W/shapes/$s.meta.json" |
		while read -r count phrase; do
			t=$(grep -o -F -- "$phrase" "$W/s.$s.text.pd.out" | wc -l)
			j=$(grep -o -F -- "$phrase" "$W/s.$s.json.pd.out" | wc -l)
			echo "$phrase|$count|$t|$j"
		done >"$W/s.$s.prose"
	# Those not printed by a -m run, and the output sizes: the lines of the
	# table (11 wall - simulator, ms; 12 peak RSS, MiB: own VmHWM if known).
	for f in "${FORMATS[@]}"; do
		for who in pd jq; do
			awk '{ printf "%s %.3f %.3f\n", $0, ($1 - $7) * 1e3, ($5 > 0 ? $5 : $4) / 1024 }' \
				"$W/s.$s.$f.$who.runs" >"$W/s.$s.$f.$who.derived"
		done
		rm -f "$W/s.$s.$f.pd.out" "$W/s.$s.$f.jq.out"
	done
done
if awk '$5 < 0 { bad = 1 } END { exit !bad }' "$W/s.plain.text.pd.runs"; then
	echo "bench: ptrace refused: pai-diag's peak RSS below includes its simulators" >&2
fi
# /usr/bin/time's view of the plain shape, for the record: jq alone, and
# pai-diag with the simulator processes it waited for.
export ALIYUN_SIM_SCENARIO=$W/shape-plain.json
fresh
rss_time_jq=$({ /usr/bin/time -f %M jq -r "$JQ_TEXT" "$W/shapes/plain.reply.json" || :; } 2>&1 >/dev/null | tail -n 1)
rss_time_pd=$({ /usr/bin/time -f %M "${PD_SHAPE[@]}" -q -o text || :; } 2>&1 >/dev/null | tail -n 1)

# === 4: start-up ============================================================
say "4. start-up ($N_MICRO runs each)"
"$RUNSTAT" -n "$N_MICRO" -- "$PAI" --version >"$W/version.runs"
"$RUNSTAT" -n "$N_MICRO" -- "$PAI" --dry-run -r cn-hangzhou -i eas-m-x >"$W/dryrun.runs"
"$RUNSTAT" -n "$N_MICRO" -- /bin/true >"$W/true.runs"

# === 5: a fleet =============================================================
say "5. a fleet ($FLEET targets, $N_FLEET runs each, fleet and single)"
# FLEET attached tasks, each answering Running FLEET_RUNNING times, then
# Success: two rules per task, the first used up after FLEET_RUNNING polls.
fleet_reply() {	# TASK STATUS RESULT-JSON: a get-diagnosis-result answer
	jq -nc --arg t "$1" --arg s "$2" --argjson r "$3" '{code: "Success",
		message: "", request_id: "R-\($t)", data: {task_id: $t, status: $s,
		code: 0, err_msg: "", params: {instance: "eas-m-fleet\($t[-3:])",
		region: "cn-hangzhou", product: "EAS", start_time: 0, end_time: 0},
		result: $r}}'
}
FLEET_IDS=()
for ((k = 1; k <= FLEET; k++)); do FLEET_IDS+=("$(printf 'TaskFleet%03d' "$k")"); done
for t in "${FLEET_IDS[@]}"; do
	jq -nc --arg cmd "sysom get-diagnosis-result --task-id $t" --argjson n "$FLEET_RUNNING" \
		--arg run "$(fleet_reply "$t" Running '{}')" \
		--arg ok "$(fleet_reply "$t" Success '{"summary": {"overall_status": "Info",
			"root_cause": "all good", "suggestions": []}, "issues": []}')" \
		'{cmd: $cmd, times: $n, stdout: ($run + "\n")}, {cmd: $cmd, stdout: ($ok + "\n")}'
done | jq -s '{rules: .}' >"$W/fleet.json"
export ALIYUN_SIM_SCENARIO=$W/fleet.json
PD_FLEET=("$PAI" --max-rate 0 -q -r cn-hangzhou --poll-interval "$FLEET_INTERVAL" -o json -j "$FLEET")
for t in "${FLEET_IDS[@]}"; do PD_FLEET+=(--task-id "$t"); done
PD_ONE=("$PAI" --max-rate 0 -q -r cn-hangzhou --poll-interval "$FLEET_INTERVAL" -o json --task-id "${FLEET_IDS[0]}")
fresh; "${PD_FLEET[@]}" >/dev/null 2>&1 || true
fresh; "${PD_ONE[@]}" >/dev/null 2>&1 || true
for ((i = 0; i < N_FLEET; i++)); do
	fresh; measure fleet 0 -- "${PD_FLEET[@]}"
	cp "$W/calls.log" "$W/calls.fleet"
	fresh; measure one 0 -- "${PD_ONE[@]}"
done
# The calls of the last fleet run: the setup once, 11 polls per task.
fleet_calls=$(wc -l <"$W/calls.fleet")
fleet_polls=$(grep -c '^sysom get-diagnosis-result' "$W/calls.fleet" || true)
want_polls=$((FLEET * (FLEET_RUNNING + 1)))
fleet_setup=
setup_ok=1
for cmd in "configure ai-mode show" "configure ai-mode enable" \
	"configure ai-mode set-user-agent" "plugin update" "version" "configure set" \
	"configure list" "sysom initial-sysom" "configure ai-mode reset-user-agent" \
	"configure ai-mode disable"; do
	n=$(grep -c "^$cmd" "$W/calls.fleet" || true)
	want=1
	[ "$cmd" = "sysom initial-sysom" ] && want=0
	[ "$n" = "$want" ] || setup_ok=0
	fleet_setup="$fleet_setup, ${cmd// /@}@$n"	# @: a space fold keeps
done
fleet_setup=${fleet_setup#, }
[ "$fleet_polls" = "$want_polls" ] || setup_ok=0
tail -n 1 "$W/calls.fleet" | grep -qx "configure ai-mode disable" || setup_ok=0
if [ "$(jq -c '[.runs[].outcome] | unique' "$W/fleet.out")" != '["healthy"]' ]; then
	echo "bench: the fleet's targets did not all end healthy:" >&2
	jq -c '[.runs[].outcome]' "$W/fleet.out" >&2
	exit 1
fi
# Peak RSS of pai-diag itself (its VmHWM, -m: traced, so not timed).
for ((i = 0; i < N_FLEET; i++)); do
	fresh; measure fleet_m 0 -m -- "${PD_FLEET[@]}"
	fresh; measure one_m 0 -m -- "${PD_ONE[@]}"
done
for n in fleet one fleet_m one_m; do
	# 11 CPU: wait4 total - simulator CPU (ms), 12 peak RSS (MiB)
	awk '{ printf "%s %.3f %.3f\n", $0, ($2 - $8) * 1e3, ($5 > 0 ? $5 : $4) / 1024 }' \
		"$W/$n.runs" >"$W/$n.derived"
done
fleet_ms=$(median "$W/fleet.derived" 1 1000)
one_ms=$(median "$W/one.derived" 1 1000)

# === 6: a fleet of large results ============================================
say "6. a fleet of $BIGFLEET targets with 20 MB results ($N_BIGFLEET runs, fleet and single)"
# BIGFLEET attached tasks, each answering Success at once with the
# many-small reply: a rule of its own per task, all on the same file.
BIG_IDS=()
for ((k = 1; k <= BIGFLEET; k++)); do BIG_IDS+=("$(printf 'TaskBig%03d' "$k")"); done
printf '%s\n' "${BIG_IDS[@]}" | jq -R '{cmd: "sysom get-diagnosis-result --task-id \(.)",
	stdout_file: "shapes/many-small.reply.json"}' | jq -s '{rules: .}' >"$W/bigfleet.json"
export ALIYUN_SIM_SCENARIO=$W/bigfleet.json
big_issues=$(jq -r .issues "$W/shapes/many-small.meta.json")
big_exit=$(jq -r .exit "$W/shapes/many-small.meta.json")
PD_BIGFLEET=("$PAI" --max-rate 0 -q -r cn-hangzhou --poll-interval 0 -o text -j "$BIGFLEET")
for t in "${BIG_IDS[@]}"; do PD_BIGFLEET+=(--task-id "$t"); done
PD_BIGONE=("$PAI" --max-rate 0 -q -r cn-hangzhou --poll-interval 0 -o text --task-id "${BIG_IDS[0]}")
for ((i = 0; i < N_BIGFLEET; i++)); do
	fresh; measure bigfleet "$big_exit" -m -- "${PD_BIGFLEET[@]}"
	leak_check many-small bigfleet
	fresh; measure bigone "$big_exit" -m -- "${PD_BIGONE[@]}"
done
got=$(grep -c '^  \[' "$W/bigfleet.out" || true)
[ "$got" = "$((BIGFLEET * big_issues))" ] ||
	broken "the fleet of $BIGFLEET large results printed $got issue lines, want $((BIGFLEET * big_issues))"
got=$(grep -c '^  \[' "$W/bigone.out" || true)
[ "$got" = "$big_issues" ] ||
	broken "one large result printed $got issue lines, want $big_issues"
rm -f "$W/bigfleet.out" "$W/bigone.out"
for n in bigfleet bigone; do
	# 11 CPU: wait4 total - simulator CPU (ms), 12 peak RSS (MiB)
	awk '{ printf "%s %.3f %.3f\n", $0, ($2 - $8) * 1e3, ($5 > 0 ? $5 : $4) / 1024 }' \
		"$W/$n.runs" >"$W/$n.derived"
done

# === 7: a fleet of small targets ============================================
say "7. a fleet of $SMALL_FLEET small targets (one run)"
# Every task answers Success at once with a tiny Info result: one rule for
# all (a rule per task would make each simulator run read 10,000 rules).
fleet_reply Task00000 Success '{"summary": {"overall_status": "Info",
	"root_cause": "all good", "suggestions": []}, "issues": []}' |
	jq -R '{rules: [{cmd: "sysom get-diagnosis-result", stdout: (. + "\n")}]}' \
	>"$W/smallfleet.json"
export ALIYUN_SIM_SCENARIO=$W/smallfleet.json
PD_SMALLFLEET=("$PAI" --max-rate 0 -q -r cn-hangzhou --poll-interval 0 -o json)
for ((k = 1; k <= SMALL_FLEET; k++)); do
	printf -v t 'Task%05d' "$k"	# not $(...): 10,000 subshells take a while
	PD_SMALLFLEET+=(--task-id "$t")
done
fresh; measure smallfleet 0 -m -- "${PD_SMALLFLEET[@]}"
smallfleet_calls=$(wc -l <"$W/calls.log")
if ! err=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
runs = d.get("runs") or []
bad = [r.get("outcome") for r in runs if r.get("outcome") != "healthy"]
if len(runs) != int(sys.argv[2]) or bad:
    sys.exit("%d runs, %d not healthy (%s)" % (len(runs), len(bad), sorted(set(map(str, bad)))))
' "$W/smallfleet.out" "$SMALL_FLEET" 2>&1); then
	broken "the fleet of $SMALL_FLEET small targets: $(printf '%s' "$err" | tail -n 1)"
fi
awk '{ printf "%s %.3f %.3f\n", $0, ($2 - $8) * 1e3, ($5 > 0 ? $5 : $4) / 1024 }' \
	"$W/smallfleet.runs" >"$W/smallfleet.derived"

# === 8: redaction alone =====================================================
say "8. redaction (redact_bench)"
# redact_bench's redact() figure for its 'plain' document (masking leaves
# it), best of its runs, scaled to 20 MB.
redact_ms='' redact_line=
if [ -x "$REDACT_BENCH" ] && "$REDACT_BENCH" >"$W/redact.txt" 2>&1; then
	redact_line=$(awk '/^plain:/ { p = 1; mb = $2; next }
		/^[^ ]/ { p = 0 }
		p && $1 == "redact" { printf "%.1f ms for %.1f MB", $2, mb; exit }' "$W/redact.txt")
	redact_ms=$(awk '/^plain:/ { p = 1; mb = $2; next }
		/^[^ ]/ { p = 0 }
		p && $1 == "redact" && mb > 0 { printf "%.2f", $2 * 20 / mb; exit }' "$W/redact.txt")
fi
[ -n "$redact_ms" ] || broken "redact_bench ($REDACT_BENCH) did not run or printed no redact() figure for 'plain'"

# === the table ==============================================================
pd_ovh=$(median "$W/pd_orch.derived" 11 1)
base_ovh=$(median "$W/base_orch.derived" 11 1)
floor=$(median "$W/floor.runs" 1 1)
version_us=$(median "$W/version.runs" 1 1e6)
# Per shape and format: shape format pd_ms jq_ms time_ok pd_MiB jq_MiB rss_ok
# exit(s) pd_out_MB jq_out_MB.  Time: 0.25 x jq's; peak RSS: 0.5 x jq's.
for s in "${SHAPES[@]}"; do
	for f in "${FORMATS[@]}"; do
		pd=$W/s.$s.$f.pd.derived jqd=$W/s.$s.$f.jq.derived
		pd_ms=$(median "$pd" 11 1) jq_ms=$(median "$jqd" 11 1)
		pd_mib=$(median "$pd" 12 1) jq_mib=$(median "$jqd" 12 1)
		printf '%s %s %s %s %s %s %s %s %s %s %s\n' "$s" "$f" "$pd_ms" "$jq_ms" \
			"$(le "$pd_ms" "$(awk -v b="$jq_ms" 'BEGIN { print b / 4 }')")" \
			"$pd_mib" "$jq_mib" \
			"$(le "$pd_mib" "$(awk -v b="$jq_mib" 'BEGIN { print b / 2 }')")" \
			"$(awk '{ print $6 }' "$pd" | sort -u | paste -sd/)" \
			"$(awk '{ print $10 / 1e6; exit }' "$pd")" "$(awk '{ print $10 / 1e6; exit }' "$jqd")"
	done
done >"$W/shapes.table"
# shape_target OK_COLUMN PD_COLUMN JQ_COLUMN: "PASS|MISS passes rows
# worst-shape/format worst-ratio"
shape_target() {
	awk -v c="$1" -v a="$2" -v b="$3" '{ n++; ok += $c; r = $b > 0 ? $a / $b : 0
		if (r > worst) { worst = r; w = $1 "/" $2 } }
		END { printf "%s %d %d %s %.3g\n", ok == n ? "PASS" : "MISS", ok, n, w, worst }' \
		"$W/shapes.table"
}
time_target=$(shape_target 5 3 4)
rss_target=$(shape_target 8 6 7)
# Key-like prose kept: in the text report as often as planted, twice in JSON.
prose_ok=1 prose_line=
for s in "${SHAPES[@]}"; do
	while IFS='|' read -r phrase count t j; do
		[ "$t" = "$count" ] && [ "$j" = "$((2 * count))" ] || prose_ok=0
		prose_line="$prose_line, \"$phrase\" $t/$count text $j/$((2 * count)) json"
	done <"$W/s.$s.prose"
done
prose_line=${prose_line#, }
bigfleet_mib=$(median "$W/bigfleet.derived" 12 1)
bigone_mib=$(median "$W/bigone.derived" 12 1)
small_mib=$(median "$W/smallfleet.derived" 12 1)
small_s=$(median "$W/smallfleet.derived" 1 1)

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
{
printf 'pai-diag benchmarks (tests/bench, make bench), %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
printf 'machine: %s CPUs, %s; Linux %s; %s; %s; cJSON %s\n' "$(nproc)" \
	"${cpu:-unknown CPU}" "$(uname -r)" "$(gcc --version | head -n 1)" \
	"$(jq --version)" "$(pkg-config --modversion libcjson 2>/dev/null || echo '?')"
printf 'each figure: median [min-max] of the runs counted in its heading\n'
echo
printf '1-2. Orchestration: one full diagnosis, %s aliyun calls (setup, %d polls at\n' "$calls" "$POLLS"
printf '     --poll-interval 0, cleanup); pai-diag %d runs, baseline.sh (sh + jq) %d runs\n' "$N_PD" "$N_BASE"
printf '     same aliyun argv, in the same order: %s\n' "$same_calls"
printf '  %-46s %-26s %-26s %s\n' "" "pai-diag" "baseline.sh" "ratio"
row() {	# label column scale format [no ratio]
	printf '  %-46s %-26s %-26s %s\n' "$1" "$(stats "$W/pd_orch.derived" "$2" "$3" "$4")" \
		"$(stats "$W/base_orch.derived" "$2" "$3" "$4")" \
		"$([ -n "${5:-}" ] || ratio "$(median "$W/pd_orch.derived" "$2" "$3")" \
		"$(median "$W/base_orch.derived" "$2" "$3")")"
}
row "wall time, ms" 1 1000 %.1f
row "simulator main()s, summed, ms" 7 1000 %.1f -
row "overhead per aliyun call, us" 11 1 %.0f
row "CPU: wait4 total - simulator CPU, ms" 12 1 %.1f
printf '  %-46s %-26s %-26s\n' "CPU: pai-diag alone (schedstat), ms" \
	"$(stats "$W/pd_orch.derived" 3 1000 %.1f)" "(sh only, no jq) $(stats "$W/base_orch.derived" 3 1000 %.1f)"
printf '  %-46s %-26s (%d runs)\n' "floor: spawn+reap one simulator, us" \
	"$(stats "$W/floor.runs" 1 1 %.0f)" "$N_FLOOR"
printf '  %-46s %-26s\n' "pai-diag overhead above the floor, us/call" \
	"$(awk -v a="$pd_ovh" -v b="$floor" 'BEGIN { printf "%.0f", a - b }')"
echo
printf '3. Results of many shapes: each a ~20 MB get-diagnosis-result reply, replayed by\n'
printf '   the simulator from a file to pai-diag --no-setup --poll-interval 0 (7 calls,\n'
printf '   with -m: peak RSS its own VmHWM) and read by jq from the same file with a program\n'
printf '   printing the same fields; pai-diag %d runs, jq %d runs; medians\n' "$N_SHAPE_PD" "$N_SHAPE_JQ"
for s in "${SHAPES[@]}"; do
	printf '   %-14s %4.1f MB  %s\n' "$s" \
		"$(awk -v b="$(wc -c <"$W/shapes/$s.reply.json")" 'BEGIN { print b / 1e6 }')" \
		"$(jq -r .describe "$W/shapes/$s.meta.json")"
done
printf '  %-14s %-9s %9s %8s %6s %-5s %9s %7s %6s %-5s %-5s %s\n' "" "" \
	"pai-diag" "jq" "" "time" "pai-diag" "jq" "" "RSS" "" "output MB"
printf '  %-14s %-9s %9s %8s %6s %-5s %9s %7s %6s %-5s %-5s %s\n' "shape" "format" \
	"ms" "ms" "ratio" "<=.25" "MiB" "MiB" "ratio" "<=.5" "exit" "pd / jq"
while read -r s f pd_ms jq_ms t_ok pd_mib jq_mib m_ok ex pd_mb jq_mb; do
	printf '  %-14s %-9s %9.0f %8.0f %6s %-5s %9.1f %7.1f %6s %-5s %-5s %.1f / %.1f\n' \
		"$s" "$f" "$pd_ms" "$jq_ms" "$(ratio "$pd_ms" "$jq_ms")" "$(verdict "$t_ok")" \
		"$pd_mib" "$jq_mib" "$(ratio "$pd_mib" "$jq_mib")" "$(verdict "$m_ok")" \
		"$ex" "$pd_mb" "$jq_mb"
done <"$W/shapes.table"
printf '  key-like words kept: %s\n' "$prose_line" | fold -s -w 84 | sed '2,$s/^/    /'
printf '  planted secrets found in outputs: %d runs (of %d pai-diag runs checked)\n' \
	"$(wc -l <"$W/leaks")" "$(( ${#SHAPES[@]} * ${#FORMATS[@]} * N_SHAPE_PD + N_BIGFLEET ))"
echo
printf '   The plain shape in detail (the earlier bench'\''s section 3), %d issues:\n' "$ISSUES"
printf '  %-22s %-24s %-24s %-22s %-22s %s\n' "" "wall, ms" "simulator, ms" \
	"wall - simulator, ms" "peak RSS, MiB" "output, MB"
big_row() {	# label name
	printf '  %-22s %-24s %-24s %-22s %-22s %.1f\n' "$1" \
		"$(stats "$W/$2.derived" 1 1000 %.0f)" "$(stats "$W/$2.derived" 7 1000 %.0f)" \
		"$(stats "$W/$2.derived" 11 1 %.0f)" "$(stats "$W/$2.derived" 12 1 %.1f)" \
		"$(awk '{ print $10 / 1e6; exit }' "$W/$2.runs")"
}
big_row "pai-diag -o text" s.plain.text.pd
big_row "jq -r (same fields)" s.plain.text.jq
big_row "pai-diag -o markdown" s.plain.markdown.pd
big_row "jq -r (same, Markdown)" s.plain.markdown.jq
big_row "pai-diag -o json" s.plain.json.pd
big_row "jq (same members)" s.plain.json.jq
printf '  %-22s %-24s %-24s\n' "CPU pai-diag alone" "text $(stats "$W/s.plain.text.pd.derived" 3 1000 %.0f) ms" \
	"json $(stats "$W/s.plain.json.pd.derived" 3 1000 %.0f) ms"
printf '  peak RSS: pai-diag its own VmHWM at exit; /usr/bin/time -f %%M says %s KiB for\n' "$rss_time_pd"
printf '  pai-diag -o text with its simulators, %s KiB for jq -r\n' "$rss_time_jq"
echo
printf '4. Start-up, %d runs each\n' "$N_MICRO"
printf '  %-46s %-26s %s\n' "" "wall, us" "peak RSS, KiB"
for m in "pai-diag --version:version" "pai-diag --dry-run -r cn-hangzhou -i eas-m-x:dryrun" \
	"/bin/true (exec floor):true"; do
	printf '  %-46s %-26s %s\n' "${m%:*}" "$(stats "$W/${m##*:}.runs" 1 1e6 %.0f)" \
		"$(stats "$W/${m##*:}.runs" 4 1 %.0f)"
done
echo
printf '5. A fleet: %d --task-id targets, -j %d, --poll-interval %s, each task Running %d\n' \
	"$FLEET" "$FLEET" "$FLEET_INTERVAL" "$FLEET_RUNNING"
printf '   times then Success (%d polls); against one such target alone; %d runs each\n' \
	"$((FLEET_RUNNING + 1))" "$N_FLEET"
printf '  %-22s %-24s %-24s %-24s %s\n' "" "wall, ms" "simulator, ms" \
	"CPU wait4 - sim, ms" "peak RSS, MiB"
fleet_row() {	# label name
	printf '  %-22s %-24s %-24s %-24s %s\n' "$1" \
		"$(stats "$W/$2.derived" 1 1000 %.0f)" "$(stats "$W/$2.derived" 7 1000 %.0f)" \
		"$(stats "$W/$2.derived" 11 1 %.1f)" "$(stats "$W/$2_m.derived" 12 1 %.1f)"
}
fleet_row "fleet of $FLEET" fleet
fleet_row "one target" one
printf '  %-22s %-24s %s\n' "CPU pai-diag alone" "fleet $(stats "$W/fleet.derived" 3 1000 %.1f) ms" \
	"one $(stats "$W/one.derived" 3 1000 %.1f) ms (main thread only)"
printf '  calls of one fleet run: %d, of them %d polls (want %d); setup and cleanup:\n' \
	"$fleet_calls" "$fleet_polls" "$want_polls"
printf '    %s\n' "$fleet_setup" | fold -s -w 84 | sed '2,$s/^/    /; s/@/ /g'
echo
printf '6. A fleet of large results: %d --task-id targets, -j %d, each answering Success at\n' \
	"$BIGFLEET" "$BIGFLEET"
printf '   once with the many-small reply; -o text; against one such target alone; %d runs each\n' \
	"$N_BIGFLEET"
printf '  %-22s %-24s %-24s %-24s %s\n' "" "wall, ms" "simulator, ms" \
	"CPU wait4 - sim, ms" "peak RSS, MiB"
printf '  %-22s %-24s %-24s %-24s %s\n' "fleet of $BIGFLEET" \
	"$(stats "$W/bigfleet.derived" 1 1000 %.0f)" "$(stats "$W/bigfleet.derived" 7 1000 %.0f)" \
	"$(stats "$W/bigfleet.derived" 11 1 %.0f)" "$(stats "$W/bigfleet.derived" 12 1 %.1f)"
printf '  %-22s %-24s %-24s %-24s %s\n' "one target" \
	"$(stats "$W/bigone.derived" 1 1000 %.0f)" "$(stats "$W/bigone.derived" 7 1000 %.0f)" \
	"$(stats "$W/bigone.derived" 11 1 %.0f)" "$(stats "$W/bigone.derived" 12 1 %.1f)"
echo
printf '7. A fleet of small targets: %d --task-id targets, default -j, --poll-interval 0,\n' "$SMALL_FLEET"
printf '   each answering Success at once with a tiny Info result; -o json; one run (with -m)\n'
printf '  %-22s %-24s %-24s %-24s %s\n' "" "wall, s" "aliyun calls" \
	"CPU wait4 - sim, s" "peak RSS, MiB"
printf '  %-22s %-24.1f %-24s %-24.1f %.1f\n' "fleet of $SMALL_FLEET" "$small_s" "$smallfleet_calls" \
	"$(median "$W/smallfleet.derived" 11 0.001)" "$small_mib"
echo
printf '8. Redaction alone: build/bench/redact_bench, redact() on its plain document\n'
printf '   (masking leaves it), best of its runs: %s; scaled to 20 MB: %s ms\n' \
	"${redact_line:-?}" "${redact_ms:-?}"
echo
echo "Targets"
t1=$(le "$pd_ovh" 1000)
printf '  %s  overhead per aliyun call <= 1 ms: %.0f us\n' "$(verdict "$t1")" "$pd_ovh"
t2=$(le "$pd_ovh" "$(awk -v b="$base_ovh" 'BEGIN { print b / 10 }')")
printf '  %s  overhead per call <= 1/10 of the baseline'\''s: %.0f / %.0f us = %s\n' \
	"$(verdict "$t2")" "$pd_ovh" "$base_ovh" "$(ratio "$pd_ovh" "$base_ovh")"
read -r v ok n w r <<<"$time_target"
printf '  %s  every shape, every format: time <= 0.25 x jq'\''s: %s of %s (worst %s: %s)\n' \
	"$v" "$ok" "$n" "$w" "$r"
read -r v ok n w r <<<"$rss_target"
printf '  %s  every shape, every format: peak RSS <= 0.5 x jq'\''s: %s of %s (worst %s: %s)\n' \
	"$v" "$ok" "$n" "$w" "$r"
printf '  %s  fleet of %d 20 MB results: peak RSS <= 1.5 x one target'\''s: %.1f / %.1f MiB = %s\n' \
	"$(verdict "$(le "$bigfleet_mib" "$(awk -v b="$bigone_mib" 'BEGIN { print b * 1.5 }')")")" \
	"$BIGFLEET" "$bigfleet_mib" "$bigone_mib" "$(ratio "$bigfleet_mib" "$bigone_mib")"
if [ "$SMALL_FLEET" = "$SMALL_FLEET_TARGET" ]; then
	v=$(verdict "$(le "$small_mib" 64)")
else
	v="n/a "	# fewer targets than the target speaks of
fi
printf '  %s  fleet of %d small targets: peak RSS <= 64 MiB: %.1f MiB (%d targets, %.0f s)\n' \
	"$v" "$SMALL_FLEET_TARGET" "$small_mib" "$SMALL_FLEET" "$small_s"
if [ -n "$redact_ms" ]; then
	v=$(verdict "$(le "$redact_ms" 50)")
else
	v=BROKEN
fi
printf '  %s  redaction of 20 MB of JSON text <= 50 ms: %s ms\n' "$v" "${redact_ms:-?}"
printf '  %s  key-like words that are no secrets kept (max_tokens, SignatureMethod, ...)\n' \
	"$(verdict "$prose_ok")"
if [ -s "$W/leaks" ]; then v=BROKEN; else v=PASS; fi
printf '  %s  no planted secret in any output of pai-diag (stdout, stderr)\n' "$v"
printf '  %s  --version < 2 ms: %.0f us\n' "$(verdict "$(le "$version_us" 1999.999)")" "$version_us"
printf '  %s  fleet of %d <= 1.5 x one target'\''s wall time: %.0f / %.0f ms = %s\n' \
	"$(verdict "$(le "$fleet_ms" "$(awk -v b="$one_ms" 'BEGIN { print b * 1.5 }')")")" \
	"$FLEET" "$fleet_ms" "$one_ms" "$(ratio "$fleet_ms" "$one_ms")"
printf '  %s  fleet setup once (each setup call once, no initial-sysom, cleanup last)\n' \
	"$(verdict "$setup_ok")"
if [ -s "$W/broken" ]; then
	echo
	echo "BROKEN runs (the bench fails):"
	sed 's/^/  /' "$W/broken"
fi
printf '(make bench took %d s)\n' "$(($(date +%s) - started))"
} | sed 's/[[:space:]]*$//' | tee "$OUT"
[ ! -s "$W/broken" ]
