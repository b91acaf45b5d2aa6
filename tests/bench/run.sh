#!/usr/bin/env bash
# `make bench`: what pai-diag costs, against the bundled aliyun simulator,
# next to what a user's shell script with jq costs for the same work.
# Sections: orchestration, a 20 MB result, start-up, a fleet of 20 targets.
# Prints one table (also kept in BUILD/bench/results.txt); every figure is
# the median of several runs with their min and max.  See
# docs/performance.md for what each figure means and how it is measured.
#   tests/bench/run.sh [BUILD_DIR]
# Environment: BENCH_QUICK=1 runs fewer repetitions (a smoke test);
# BENCH_KEEP=1 keeps the work directory, with an env.sh to source for
# profiling pai-diag in the same world (docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${1:-build}
PAI=$ROOT/$BUILD/pai-diag
SIM=$ROOT/$BUILD/sim/aliyun
RUNSTAT=$ROOT/$BUILD/bench/runstat
BASELINE=$ROOT/tests/bench/baseline.sh
OUT=$ROOT/$BUILD/bench/results.txt
for f in "$PAI" "$SIM" "$RUNSTAT"; do
	[ -x "$f" ] || { echo "bench: $f is missing; run 'make bench'" >&2; exit 1; }
done
for c in jq /usr/bin/time; do
	command -v "$c" >/dev/null || { echo "bench: $c is missing; run 'make bench'" >&2; exit 1; }
done

# Repetitions: slow runs, fast runs, micro runs.
if [ -n "${BENCH_QUICK:-}" ]; then
	N_PD=5 N_BASE=5 N_BIG=5 N_FLOOR=30 N_MICRO=50 N_FLEET=3
else
	N_PD=21 N_BASE=9 N_BIG=9 N_FLOOR=200 N_MICRO=300 N_FLEET=5
fi
EAS_ID=eas-m-bp79exq2lzbd0ctdfu
TASK=Vq7mZ2xK
UA=AlibabaCloud-Agent-Skills/alibabacloud-aes-sysom-pai-diagnosis
POLLS=60
ISSUES=50000
FLEET=20 FLEET_RUNNING=10 FLEET_INTERVAL=0.1

W=$(mktemp -d "${TMPDIR:-/tmp}/pai-diag-bench.XXXXXX")
if [ -n "${BENCH_KEEP:-}" ]; then
	trap 'echo "bench: kept $W; . $W/env.sh" >&2' EXIT
else
	trap 'rm -rf "$W"' EXIT
fi
started=$(date +%s)

# --- the world: a HOME with a valid profile, the simulator as aliyun -------
mkdir -p "$W/home/.aliyun" "$W/bin"
ln -s "$SIM" "$W/bin/aliyun"
cat >"$W/home/.aliyun/config.json" <<'JSON'
{"current": "default", "profiles": [{"name": "default", "mode": "AK",
  "access_key_id": "LTAI5tBenchOnlyNotAKey00", "access_key_secret": "bench-secret-not-real",
  "region_id": "cn-hangzhou", "output_format": "json", "language": "en"}],
 "meta_path": ""}
JSON
export HOME=$W/home PATH="$W/bin:$PATH" XDG_STATE_HOME=$W/xdg TZ=UTC
export ALIYUN_SIM_STATE=$W/state ALIYUN_SIM_LOG=$W/calls.log
export ALIYUN_SIM_TIMELOG=$W/time.log
unset PAI_DIAG_ALIYUN ALIBABA_CLOUD_PROFILE ALIBABACLOUD_PROFILE ALICLOUD_PROFILE \
	ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET \
	ALIBABA_CLOUD_SECURITY_TOKEN ALIBABA_CLOUD_REGION_ID NO_COLOR DEBUG \
	ALIYUN_SIM_ENVLOG

# The task runs 59 polls, then succeeds on poll 60.
jq -n --arg id "$EAS_ID" --arg task "$TASK" --argjson n "$POLLS" '{
	eas_services: [
	  {ServiceId: $id, ServiceName: "qwen_chat_prod", Region: "cn-hangzhou"},
	  {ServiceId: "eas-m-bp79exq2lzbd0ctd77", ServiceName: "qwen_chat_staging", Region: "cn-hangzhou"}],
	task: {id: $task, statuses: ([range($n - 1) | "Running"] + ["Success"])}}' \
	>"$W/orch.json"

# The same world for a shell that sources it (BENCH_KEEP): the large-result
# scenario; orch.json beside it is the 60-poll one (clear $ALIYUN_SIM_STATE
# between runs of that one).
cat >"$W/env.sh" <<EOF
export HOME='$W/home' PATH='$W/bin':"\$PATH" XDG_STATE_HOME='$W/xdg' TZ=UTC
export ALIYUN_SIM_STATE='$W/state' ALIYUN_SIM_SCENARIO='$W/big.json'
unset ALIYUN_SIM_LOG ALIYUN_SIM_TIMELOG ALIYUN_SIM_ENVLOG
EOF

# A fresh cloud and a first run of the day for each measured run.
fresh() {
	rm -rf "$W/state" "$W/xdg" "$W/time.log" "$W/calls.log"
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

# measure NAME WANT_RC [-m] -- CMD...: one run; appends to $W/NAME.runs
#   1 wall  2 total_cpu  3 self_cpu  4 maxrss  5 self_hwm  6 status (runstat)
#   7 sim_span  8 sim_cpu  9 sim_runs  10 stdout bytes
measure() {
	local name=$1 want=$2 line rc
	shift 2
	local opts=()
	[ "$1" = -m ] && { opts=(-m); shift; }
	[ "$1" = -- ] && shift
	line=$("$RUNSTAT" "${opts[@]}" -o "$W/$name.out" -e "$W/$name.err" -- "$@")
	rc=${line##* }
	if [ "$rc" != "$want" ]; then
		echo "bench: $name exited $rc, want $want:" >&2
		tail -n 5 "$W/$name.err" >&2
		exit 1
	fi
	echo "$line $(sim_sums) $(wc -c <"$W/$name.out")" >>"$W/$name.runs"
}

# === 1 and 2: orchestration =================================================
echo "bench: 1. orchestration ($N_PD pai-diag runs, $N_BASE baseline runs)" >&2
export ALIYUN_SIM_SCENARIO=$W/orch.json
PD_ORCH=("$PAI" -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --max-polls "$POLLS")
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

# === 3: a 20 MB result ======================================================
echo "bench: 3. a large result ($ISSUES issues, $N_BIG runs each)" >&2
jq -n --argjson n "$ISSUES" '{summary: {overall_status: "Warn",
	root_cause: "many issues", suggestions: ["look at the issues"]},
	issues: [range(0; $n) | {severity: "Warn", title: "issue \(.)",
	detail: ("d" * 300)}]}' >"$W/big-result.json"
jq -n --arg id "$EAS_ID" --slurpfile r "$W/big-result.json" '{
	eas_services: [{ServiceId: $id, ServiceName: "big", Region: "cn-hangzhou"}],
	task: {statuses: ["Success"], result: $r[0]}}' >"$W/big-task.json"
# The simulator's own answer, saved: jq reads it from this file, and the
# simulator replays it to pai-diag, byte for byte, from a rule.
fresh
ALIYUN_SIM_SCENARIO=$W/big-task.json aliyun sysom get-diagnosis-result \
	--task-id "$TASK" --user-agent "$UA" >"$W/big-reply.json"
jq -n --arg id "$EAS_ID" '{
	eas_services: [{ServiceId: $id, ServiceName: "big", Region: "cn-hangzhou"}],
	rules: [{name: "the large result", cmd: "sysom get-diagnosis-result",
	         stdout_file: "big-reply.json"}]}' >"$W/big.json"
big_bytes=$(wc -c <"$W/big-reply.json")
export ALIYUN_SIM_SCENARIO=$W/big.json
PD_BIG=("$PAI" -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0)
JQ_TEXT='.data.result | if type == "string" then fromjson else . end
	| "Overall status: \(.summary.overall_status)",
	  "Root cause: \(.summary.root_cause)",
	  (.summary.suggestions | to_entries[] | "  \(.key + 1). \(.value)"),
	  (.issues[] | "  [\(.severity)] \(.title)", "      \(.detail)")'
# What the envelope carries of the result: the summary, the issues and the
# whole result again.
JQ_JSON='.data.result | if type == "string" then fromjson else . end
	| {summary: {overall_status: .summary.overall_status,
	             root_cause: .summary.root_cause,
	             suggestions: .summary.suggestions},
	   issues: .issues, result: .}'
fresh; "${PD_BIG[@]}" >/dev/null 2>&1 || true
jq -r "$JQ_TEXT" "$W/big-reply.json" >/dev/null
for ((i = 0; i < N_BIG; i++)); do
	fresh; measure pd_text 10 -m -- "${PD_BIG[@]}" -o text
	fresh; measure pd_json 10 -m -- "${PD_BIG[@]}" -o json
	fresh; measure jq_text 0 -- jq -r "$JQ_TEXT" "$W/big-reply.json"
	fresh; measure jq_json 0 -- jq "$JQ_JSON" "$W/big-reply.json"
done
issues_text=$(grep -c '^  \[Warn\] issue ' "$W/pd_text.out" || true)
issues_jq=$(grep -c '^  \[Warn\] issue ' "$W/jq_text.out" || true)
if [ "$issues_text" != "$ISSUES" ] || [ "$issues_jq" != "$ISSUES" ]; then
	echo "bench: the text reports lost issues ($issues_text, $issues_jq)" >&2
	exit 1
fi
# /usr/bin/time's view, for the record: jq alone, and pai-diag with the
# simulator processes it waited for.
fresh
rss_time_jq=$({ /usr/bin/time -f %M jq -r "$JQ_TEXT" "$W/big-reply.json" || :; } 2>&1 >/dev/null | tail -n 1)
rss_time_pd=$({ /usr/bin/time -f %M "${PD_BIG[@]}" -q -o text || :; } 2>&1 >/dev/null | tail -n 1)
if awk '$5 < 0 { bad = 1 } END { exit !bad }' "$W/pd_text.runs"; then
	echo "bench: ptrace refused: pai-diag's peak RSS below includes its simulators" >&2
fi
for n in pd_text pd_json jq_text jq_json; do
	# 11 wall less the simulator (ms), 12 peak RSS (MiB): own VmHWM if known
	awk '{ printf "%s %.3f %.3f\n", $0, ($1 - $7) * 1e3, ($5 > 0 ? $5 : $4) / 1024 }' \
		"$W/$n.runs" >"$W/$n.derived"
done

# === 4: start-up ============================================================
echo "bench: 4. start-up ($N_MICRO runs each)" >&2
"$RUNSTAT" -n "$N_MICRO" -- "$PAI" --version >"$W/version.runs"
"$RUNSTAT" -n "$N_MICRO" -- "$PAI" --dry-run -r cn-hangzhou -i eas-m-x >"$W/dryrun.runs"
"$RUNSTAT" -n "$N_MICRO" -- /bin/true >"$W/true.runs"

# === 5: a fleet =============================================================
echo "bench: 5. a fleet ($FLEET targets, $N_FLEET runs each, fleet and single)" >&2
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
PD_FLEET=("$PAI" -q -r cn-hangzhou --poll-interval "$FLEET_INTERVAL" -o json -j "$FLEET")
for t in "${FLEET_IDS[@]}"; do PD_FLEET+=(--task-id "$t"); done
PD_ONE=("$PAI" -q -r cn-hangzhou --poll-interval "$FLEET_INTERVAL" -o json --task-id "${FLEET_IDS[0]}")
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
for cmd in "configure ai-mode enable" "configure ai-mode set-user-agent" \
	"plugin update" "version" "configure set" "configure list" \
	"sysom initial-sysom" "configure ai-mode disable"; do
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

# === the table ==============================================================
pd_ovh=$(median "$W/pd_orch.derived" 11 1)
base_ovh=$(median "$W/base_orch.derived" 11 1)
floor=$(median "$W/floor.runs" 1 1)
pd_text_ms=$(median "$W/pd_text.derived" 11 1)
pd_json_ms=$(median "$W/pd_json.derived" 11 1)
jq_text_ms=$(median "$W/jq_text.runs" 1 1000)
jq_json_ms=$(median "$W/jq_json.runs" 1 1000)
pd_text_rss=$(median "$W/pd_text.derived" 12 1)
pd_json_rss=$(median "$W/pd_json.derived" 12 1)
jq_text_rss=$(median "$W/jq_text.derived" 12 1)
jq_json_rss=$(median "$W/jq_json.derived" 12 1)
version_us=$(median "$W/version.runs" 1 1e6)

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
printf '3. A large result: %d issues, a %.1f MB get-diagnosis-result reply; %d runs each\n' \
	"$ISSUES" "$(awk -v b="$big_bytes" 'BEGIN { print b / 1e6 }')" "$N_BIG"
printf '   pai-diag --no-setup --poll-interval 0 (7 calls); jq reading the reply from a file\n'
printf '  %-22s %-24s %-24s %-22s %-22s %s\n' "" "wall, ms" "simulator, ms" \
	"wall - simulator, ms" "peak RSS, MiB" "output, MB"
big_row() {	# label name
	printf '  %-22s %-24s %-24s %-22s %-22s %.1f\n' "$1" \
		"$(stats "$W/$2.derived" 1 1000 %.0f)" "$(stats "$W/$2.derived" 7 1000 %.0f)" \
		"$(stats "$W/$2.derived" 11 1 %.0f)" "$(stats "$W/$2.derived" 12 1 %.1f)" \
		"$(awk '{ print $10 / 1e6; exit }' "$W/$2.runs")"
}
big_row "pai-diag -o text" pd_text
big_row "jq -r (same fields)" jq_text
big_row "pai-diag -o json" pd_json
big_row "jq (same members)" jq_json
printf '  %-22s %-24s %-24s\n' "CPU pai-diag alone" "text $(stats "$W/pd_text.derived" 3 1000 %.0f) ms" \
	"json $(stats "$W/pd_json.derived" 3 1000 %.0f) ms"
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
echo "Targets"
t1=$(le "$pd_ovh" 1000)
printf '  %s  overhead per aliyun call <= 1 ms: %.0f us\n' "$(verdict "$t1")" "$pd_ovh"
t2=$(le "$pd_ovh" "$(awk -v b="$base_ovh" 'BEGIN { print b / 10 }')")
printf '  %s  overhead per call <= 1/10 of the baseline'\''s: %.0f / %.0f us = %s\n' \
	"$(verdict "$t2")" "$pd_ovh" "$base_ovh" "$(ratio "$pd_ovh" "$base_ovh")"
render_targets() {	# format pai-diag_ms jq_ms pai-diag_MiB jq_MiB
	printf '  %s  20 MB render, %s, <= 1/2 of jq'\''s time: %.0f / %.0f ms = %s\n' \
		"$(verdict "$(le "$2" "$(awk -v b="$3" 'BEGIN { print b / 2 }')")")" \
		"$1" "$2" "$3" "$(ratio "$2" "$3")"
	printf '  %s  20 MB render, %s, peak RSS <= jq'\''s: %.1f / %.1f MiB = %s\n' \
		"$(verdict "$(le "$4" "$5")")" "$1" "$4" "$5" "$(ratio "$4" "$5")"
}
render_targets text "$pd_text_ms" "$jq_text_ms" "$pd_text_rss" "$jq_text_rss"
render_targets json "$pd_json_ms" "$jq_json_ms" "$pd_json_rss" "$jq_json_rss"
printf '  %s  --version < 2 ms: %.0f us\n' "$(verdict "$(le "$version_us" 1999.999)")" "$version_us"
printf '  %s  fleet of %d <= 1.5 x one target'\''s wall time: %.0f / %.0f ms = %s\n' \
	"$(verdict "$(le "$fleet_ms" "$(awk -v b="$one_ms" 'BEGIN { print b * 1.5 }')")")" \
	"$FLEET" "$fleet_ms" "$one_ms" "$(ratio "$fleet_ms" "$one_ms")"
printf '  %s  fleet setup once (each setup call once, no initial-sysom, cleanup last)\n' \
	"$(verdict "$setup_ok")"
printf '(make bench took %d s)\n' "$(($(date +%s) - started))"
} | sed 's/[[:space:]]*$//' | tee "$OUT"
