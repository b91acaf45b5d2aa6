# Fleet mode: several targets in one run, one setup, one cleanup, the
# worst outcome as the exit code.

# poll_rule TASK STATUS [RESULT-JSON]: a rule answering polls of TASK (a
# Fail's err_msg is $POLL_ERR, else "engine gave up").
poll_rule() {
	local data
	data=$(jq -nc --arg t "$1" --arg s "$2" --argjson r "${3:-{\}}" \
	    --arg e "${POLL_ERR:-engine gave up}" \
	    '{code:"Success",message:"",request_id:"R-\($t)",data:{task_id:$t,status:$s,code:0,err_msg:(if $s=="Fail" then $e else "" end),params:{instance:"eas-m-fromtask1",region:"cn-hangzhou",product:"EAS",start_time:0,end_time:0},result:$r}}')
	jq -nc --arg cmd "sysom get-diagnosis-result --task-id $1" --arg out "$data" \
	    '{cmd:$cmd, stdout:($out + "\n")}'
}

fleet_world() {
	local rules
	rules=$(jq -sc . <(
	    poll_rule TaskInfo0001 Success '{"summary":{"overall_status":"Info","root_cause":"all good","suggestions":[]},"issues":[]}'
	    poll_rule TaskTimeout1 Running
	    poll_rule TaskTimeout2 Running
	    poll_rule TaskFail0001 Fail
	    jq -nc '{cmd:"pai-dlc get-job --job-id dlcforbid00001", error:{form:"plugin",http:403,body:{Code:"Forbidden.RAM",Message:"denied",RequestId:"R-F",AccessDeniedDetail:{AuthAction:"pai-dlc:GetJob"}}}}'))
	eas_world '"Running","Success"' ", \"rules\": $rules"
}

setup_once() {
	local cmd n
	for cmd in "configure ai-mode enable" "configure ai-mode set-user-agent" \
	    "plugin update" "version" "configure set" "configure list" \
	    "sysom initial-sysom" "configure ai-mode disable"; do
		n=$(grep -c "^$cmd" "$T/calls.log")
		[ "$n" = 1 ] || fail "'$cmd' ran $n times" "$(cat "$T/calls.log")"
	done
	tail -n 1 "$T/calls.log" | grep -qx "configure ai-mode disable" || fail "ai-mode disable is not last"
}

t_fleet_mixed_outcomes() {
	fleet_world
	pd -q -r cn-hangzhou -i "$EAS_ID" -i eas-m-nope00001 -i dlc1a2b3c4d5e6f \
	    -i dlcforbid00001 --task-id TaskTimeout1 --task-id TaskInfo0001 \
	    --task-id TaskFail0001 --poll-interval 0 --max-polls 3 -o json
	expect_rc 4
	jq -e '.fleet == true and .schema_version == 1 and .ok == false and .outcome == "access_denied" and .exit_code == 4' "$T/out" >/dev/null ||
	    fail "fleet document:" "$(jq -c '{fleet,ok,outcome,exit_code}' "$T/out")"
	[ "$(jq -c '[.runs[] | [.instance // .task_id, .outcome, .exit_code]]' "$T/out")" = \
	    '[["eas-m-bp79exq2lzbd0ctdfu","critical",11],["eas-m-nope00001","invalid_target",5],["dlc1a2b3c4d5e6f","unsupported_target",5],["dlcforbid00001","access_denied",4],["eas-m-fromtask1","timeout",7],["eas-m-fromtask1","healthy",0],["eas-m-fromtask1","diagnosis_failed",6]]' ] ||
	    fail "runs:" "$(jq -c '[.runs[] | [.instance // .task_id, .outcome, .exit_code]]' "$T/out")"
	[ "$(jq -c '[.runs[] | .task_id]' "$T/out")" = '["Vq7mZ2xK",null,null,null,"TaskTimeout1","TaskInfo0001","TaskFail0001"]' ] ||
	    fail "task ids: $(jq -c '[.runs[] | .task_id]' "$T/out")"
	expect_json '.runs[3].error.message' '"cannot get the DLC job: permission denied: Forbidden.RAM: denied (request id R-F); the RAM user needs '"'"'pai-dlc:GetJob'"'"' (see references/ram-policies.md)"'
	expect_json '.runs[4].resume_command' '"pai-diag --region cn-hangzhou --task-id TaskTimeout1"'
	setup_once
	expect_err_has "pai-diag: error: eas-m-nope00001: EAS service 'eas-m-nope00001' not found in region 'cn-hangzhou'"
	expect_err_has "pai-diag: task TaskTimeout1 is still Running after 3 polls; resume with: pai-diag --region cn-hangzhou --task-id TaskTimeout1"
}

# The exit code is the worst run's, in the contract's order.
t_fleet_exit_order() {
	fleet_world
	pd -q -r cn-hangzhou --task-id TaskInfo0001 --task-id TaskTimeout1 --max-polls 2 --poll-interval 0 -o json
	expect_rc 7
	expect_json '.outcome' '"timeout"'
	pd -q -r cn-hangzhou --task-id TaskTimeout1 --task-id TaskFail0001 --max-polls 2 --poll-interval 0 -o json
	expect_rc 6
	rm -rf "$T/state"
	pd -q -r cn-hangzhou -i "$EAS_ID" --task-id TaskInfo0001 --poll-interval 0 -o json
	expect_rc 11
	expect_json '[.ok,.outcome]' '[true,"critical"]'
	rm -rf "$T/state"
	pd -q -r cn-hangzhou -i "$EAS_ID" --task-id TaskInfo0001 --poll-interval 0 -o json --fail-on never
	expect_rc 0
	expect_json '.outcome' '"critical"'
}

# One text table first, then each target's report.
t_fleet_text_report() {
	fleet_world
	pd -q -r cn-hangzhou -i eas-m-nope00001 --task-id TaskInfo0001 --poll-interval 0
	expect_rc 5
	expect_out <<EOF
TARGET          REGION      PRODUCT OUTCOME        STATUS ROOT CAUSE
eas-m-nope00001 cn-hangzhou EAS     invalid_target -      EAS service 'eas-m-no…
TaskInfo0001    cn-hangzhou EAS     healthy        Info   all good

=== eas-m-nope00001 ===
invalid_target: EAS service 'eas-m-nope00001' not found in region 'cn-hangzhou'; check the service id and the region

=== TaskInfo0001 ===
Instance:  eas-m-fromtask1
Product:   EAS
Region:    cn-hangzhou
Mode:      real-time
Task:      TaskInfo0001 (attached to a running task)

Overall status: Info

Root cause:
  all good
EOF
	pd -q -r cn-hangzhou -i eas-m-nope00001 --task-id TaskInfo0001 --poll-interval 0 -o markdown
	expect_out_has "| eas-m-nope00001 | cn-hangzhou | EAS | invalid_target | - | EAS service 'eas-m-nope00001' not found in region 'cn-hangzhou'; check the service id and the region |"
	expect_out_has "**invalid_target**: EAS service"
}

# The text table fits 80 columns (a pipe) or the terminal: ids and
# outcomes whole, a REGION column, the root cause cut with an ellipsis on
# a character boundary; each target's section wrapped on a terminal only,
# a failed task's "Diagnosis failed:" said once.
layout_world() {
	local rules cause
	cause='GPU 显存不足 on eas-m-fromtask1: the inference process was restarted 3 times in 30 minutes after CUDA out-of-memory errors'
	rules=$(jq -sc . <(
	    poll_rule TaskLong0001 Success "$(jq -nc --arg c "$cause" '{summary:{overall_status:"Critical",root_cause:$c,suggestions:[]},issues:[]}')"
	    POLL_ERR='Diagnosis failed: the target instance has no running pods to diagnose, so nothing could be inspected' poll_rule TaskFail0002 Fail))
	eas_world '"Running","Success"' ", \"rules\": $rules"
}

t_fleet_table_fits() {
	layout_world
	pd -q -r cn-hangzhou -i eas-m-nope00001 --task-id TaskLong0001 --task-id TaskFail0002 --poll-interval 0
	expect_rc 6
	head -n 4 "$T/out" >"$T/table"
	compare table "$T/table" <<'EOF'
TARGET          REGION      PRODUCT OUTCOME          STATUS   ROOT CAUSE
eas-m-nope00001 cn-hangzhou EAS     invalid_target   -        EAS service 'eas-…
TaskLong0001    cn-hangzhou EAS     critical         Critical GPU 显存不足 on e…
TaskFail0002    cn-hangzhou EAS     diagnosis_failed -        the target instan…
EOF
	expect_within 80 "$T/table"
	# A pipe: the sections' lines whole.
	expect_out_line "invalid_target: EAS service 'eas-m-nope00001' not found in region 'cn-hangzhou'; check the service id and the region"
	expect_out_line '  GPU 显存不足 on eas-m-fromtask1: the inference process was restarted 3 times in 30 minutes after CUDA out-of-memory errors'
	expect_out_line 'Diagnosis failed: the target instance has no running pods to diagnose, so nothing could be inspected'
	fleet_calls_once
	expect_err_has "pai-diag: error: TaskFail0002: diagnosis task TaskFail0002 failed"
	expect_err_has "pai-diag: error: eas-m-nope00001: EAS service 'eas-m-nope00001' not found"

	# A terminal of 100 columns: the table takes them, sections wrapped.
	pd_tty 100 -q -r cn-hangzhou -i eas-m-nope00001 --task-id TaskLong0001 --task-id TaskFail0002 --poll-interval 0 --color never
	expect_rc 6
	expect_within 100
	head -n 4 "$T/out" >"$T/table"
	compare table "$T/table" <<'EOF'
TARGET          REGION      PRODUCT OUTCOME          STATUS   ROOT CAUSE
eas-m-nope00001 cn-hangzhou EAS     invalid_target   -        EAS service 'eas-m-nope00001' not fou…
TaskLong0001    cn-hangzhou EAS     critical         Critical GPU 显存不足 on eas-m-fromtask1: the…
TaskFail0002    cn-hangzhou EAS     diagnosis_failed -        the target instance has no running po…
EOF
	expect_out_line "invalid_target: EAS service 'eas-m-nope00001' not found in region 'cn-hangzhou'; check the service"
	expect_out_line '  id and the region'
	expect_out_line '  GPU 显存不足 on eas-m-fromtask1: the inference process was restarted 3 times in 30 minutes after'
	# Exactly 100 columns: not broken.
	expect_out_line 'Diagnosis failed: the target instance has no running pods to diagnose, so nothing could be inspected'
	fleet_calls_once
	expect_err_has "pai-diag: error: TaskFail0002: diagnosis task TaskFail0002 failed"

	# Markdown: the table as it was; the failure said once.
	pd -q -r cn-hangzhou -i eas-m-nope00001 --task-id TaskLong0001 --task-id TaskFail0002 --poll-interval 0 -o markdown
	expect_rc 6
	expect_out_line '| TaskFail0002 | cn-hangzhou | EAS | diagnosis_failed | - | Diagnosis failed: the target instance has no running pods to diagnose, so nothing could be inspected |'
	expect_out_line '## Diagnosis failed'
	expect_out_line 'the target instance has no running pods to diagnose, so nothing could be inspected'
	fleet_calls_once
	expect_err_has "pai-diag: error: TaskFail0002: diagnosis task TaskFail0002 failed"
}

# The calls of one run of layout_world's fleet: one setup, each target
# asked once; then a fresh start for the next run.
fleet_calls_once() {
	local c
	setup_once
	for c in "eas list-services --region cn-hangzhou --filter eas-m-nope00001" \
	    "eas list-services --region cn-hangzhou --page-number 1" \
	    "sysom get-diagnosis-result --task-id TaskLong0001" \
	    "sysom get-diagnosis-result --task-id TaskFail0002"; do
		[ "$(grep -c "^$c" "$T/calls.log")" = 1 ] || fail "'$c' did not run once:" "$(cat "$T/calls.log")"
	done
	[ "$(wc -l <"$T/calls.log")" = 14 ] || fail "other calls:" "$(cat "$T/calls.log")"
	: >"$T/calls.log"
	rm -rf "$T/state" "$HOME/.local/state/pai-diag"
}

t_fleet_instances_file() {
	fleet_world
	cat >"$T/targets" <<EOF
# the night's suspects
$EAS_ID

dlc1a2b3c4d5e6f   DLC   # a job on ECS
eas-m-nope00001 eas
EOF
	pd -q -r cn-hangzhou --instances-file "$T/targets" --poll-interval 0 -o json
	expect_rc 5
	expect_json '[.runs[] | [.instance, .product, .outcome]]' '[["eas-m-bp79exq2lzbd0ctdfu","EAS","critical"],["dlc1a2b3c4d5e6f","DLC","unsupported_target"],["eas-m-nope00001","EAS","invalid_target"]]'
	# From stdin, one target still makes a fleet document.
	: >"$T/calls.log"
	set +e
	echo "eas-m-nope00001" | "$PAI_DIAG" -q -r cn-hangzhou --instances-file - -o json >"$T/out" 2>"$T/err"
	RC=$?
	set -e
	expect_rc 5
	expect_json '[.fleet, (.runs|length)]' '[true,1]'
	# A bad line is a usage error naming it; nothing runs.
	printf '%s\n' "$EAS_ID" "i-bp1abc" >"$T/bad"
	: >"$T/calls.log"
	pd -r cn-hangzhou --instances-file "$T/bad"
	expect_rc 2
	expect_err <<EOF
pai-diag: error: --instances-file: $T/bad line 2: cannot tell the product of 'i-bp1abc' from its prefix; give EAS or DLC after it
try 'pai-diag --help'
EOF
	expect_no_calls
	printf '%s\n' "# nothing" "" >"$T/empty"
	pd -r cn-hangzhou --instances-file "$T/empty"
	expect_rc 2
	expect_err_has "--instances-file: no target in '$T/empty'"
	pd -r cn-hangzhou --instances-file "$T/missing"
	expect_rc 2
	expect_err_has "--instances-file: cannot read '$T/missing': No such file or directory"
}

# A setup failure is every target's outcome; nothing is invoked.
t_fleet_setup_failure() {
	fleet_world
	rm "$HOME/.aliyun/config.json"
	pd -q -r cn-hangzhou -i "$EAS_ID" -i "$DLC_ID" -o json
	expect_rc 4
	expect_json '[.outcome, [.runs[].outcome]]' '["access_denied",["access_denied","access_denied"]]'
	grep -q "^sysom" "$T/calls.log" && fail "a target ran after a failed setup"
	tail -n 1 "$T/calls.log" | grep -qx "configure ai-mode disable" || fail "no ai-mode disable"
}

# Ctrl-C stops every child, cleans up once, and resumes every task.
t_fleet_sigint() {
	fleet_world
	pd_bg -q -r cn-hangzhou --task-id TaskTimeout1 --task-id TaskTimeout2 -i "$EAS_ID" --poll-interval 0.3 -o json
	wait_for_calls "get-diagnosis-result --task-id TaskTimeout2"
	wait_for_calls "invoke-diagnosis"
	sleep 0.3
	kill -INT "$PD_PID"
	set +e
	wait "$PD_PID"
	RC=$?
	set -e
	expect_rc 130
	expect_json '[.outcome, [.runs[].outcome]]' '["interrupted",["interrupted","interrupted","interrupted"]]'
	expect_err_has "pai-diag: error: interrupted; resume the fleet with: pai-diag --task-id TaskTimeout1@cn-hangzhou --task-id TaskTimeout2@cn-hangzhou --task-id Vq7mZ2xK@cn-hangzhou"
	setup_once
}

# Targets run at once: the fleet takes about as long as its slowest target.
t_fleet_concurrency() {
	local rules
	rules=$(jq -sc . <(for i in 1 2 3 4 5 6; do poll_rule "TaskSlow000$i" Success '{"summary":{"overall_status":"Info","root_cause":"ok"}}' | jq -c '.delay_ms = 600'; done))
	eas_world '"Success"' ", \"rules\": $rules"
	start=$(date +%s%N)
	pd -q -r cn-hangzhou --no-setup --task-id TaskSlow0001 --task-id TaskSlow0002 --task-id TaskSlow0003 \
	    --task-id TaskSlow0004 --task-id TaskSlow0005 --task-id TaskSlow0006 -j 6 -o json \
	    --poll-interval 0.1
	elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
	expect_rc 0
	expect_json '[.runs[].outcome] | unique' '["healthy"]'
	# Six 0.6 s polls one after another would take 3.6 s.
	[ "$elapsed" -lt 3000 ] || fail "6 targets with -j 6 took $elapsed ms"
}

# --jobs caps the targets (and so the aliyun processes) at work at once.
t_fleet_jobs_cap() {
	local rules
	rules=$(jq -sc . <(for i in 1 2 3 4; do poll_rule "TaskSlow000$i" Success '{"summary":{"overall_status":"Info","root_cause":"ok"}}' | jq -c '.delay_ms = 500'; done))
	eas_world '"Success"' ", \"rules\": $rules"
	start=$(date +%s%N)
	pd -q -r cn-hangzhou --no-setup --task-id TaskSlow0001 --task-id TaskSlow0002 --task-id TaskSlow0003 \
	    --task-id TaskSlow0004 -j 2 -o json --poll-interval 0
	elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
	expect_rc 0
	# Two at a time: at least two rounds of 0.5 s.
	[ "$elapsed" -ge 1000 ] || fail "4 targets with -j 2 took only $elapsed ms"
}

# A target whose invoke answers TaskInProgress attaches to the running task
# while the others go on.
t_fleet_task_in_progress() {
	local rules
	rules=$(jq -sc . <(
	    poll_rule TaskInfo0001 Success '{"summary":{"overall_status":"Info","root_cause":"all good","suggestions":[]},"issues":[]}'
	    jq -nc '{cmd:"sysom invoke-diagnosis", error:{form:"plugin",http:400,body:{Code:"Sysom.TaskInProgress",Message:"A diagnosis task is already in progress for this instance: ocd(TaskInfo0001)",RequestId:"R-TIP"}}}'))
	eas_world '"Success"' ", \"rules\": $rules"
	pd -q -r cn-hangzhou -i "$EAS_ID" -i eas-m-nope00001 --poll-interval 0 -o json
	expect_rc 5
	expect_json '[.runs[] | [.instance, .outcome, .task_id, .attached]]' '[["eas-m-bp79exq2lzbd0ctdfu","healthy","TaskInfo0001",true],["eas-m-nope00001","invalid_target",null,false]]'
	[ "$(grep -c '^sysom invoke-diagnosis' "$T/calls.log")" = 1 ] || fail "invoked again after TaskInProgress"
}

# Stress: 2,000 attached tasks against an aliyun that closes its output
# before it exits (as GNU cat does): every answer read, no target killed.
t_fleet_stress_lingering_aliyun() {
	local body
	body='{"code":"Success","message":"","request_id":"R","data":{"task_id":"T","status":"Success","result":{"summary":{"overall_status":"Info","root_cause":"fine"},"issues":[]}}}'
	scenario <<JSON
{"linger_ms": 20, "rules": [{"cmd": "sysom get-diagnosis-result", "stdout": $(jq -Rn --arg b "$body" '$b')}]}
JSON
	# Under valgrind (make valgrind), a tenth of it.
	local n=2000
	[ -z "${PAI_DIAG_WRAP:-}" ] || n=200
	seq -f 'task%05g' "$n" | sed 's/^/--task-id /' | tr '\n' ' ' >"$T/args"
	# --max-rate 0: the subject is reading answers, not the API budget,
	# which would space 2,000 polls over 220 s.
	# shellcheck disable=SC2046 # one word per argument
	pd -q -r cn-hangzhou $(cat "$T/args") -j 64 --poll-interval 0 --max-rate 0 -o json
	expect_rc 0
	expect_json '[.outcome,(.runs|length),([.runs[]|select(.outcome!="healthy")]|length)]' "[\"healthy\",$n,0]"
	[ "$(grep -c 'get-diagnosis-result' "$T/calls.log")" = "$n" ] || fail "polls: $(grep -c get-diagnosis-result "$T/calls.log")"
}

# Three targets whose answers are over 2 MB each, read through the memory
# gate one at a time, each target's part written to the spool as it ends
# and its result freed: the fleet's report is what single runs report.
big_fleet_world() {
	local rules t
	for t in TaskBig00001 TaskBig00002 TaskBig00003; do
		jq -nc --arg t "$t" '{code:"Success", message:"", request_id:"R-\($t)",
		    data:{task_id:$t, status:"Success", code:0, err_msg:"",
		    params:{instance:"eas-m-fromtask1", region:"cn-hangzhou",
		    product:"EAS", start_time:0, end_time:0},
		    result:{summary:{overall_status:"Warn",
		    root_cause:"many issues on \($t)", suggestions:["look"]},
		    issues:[range(6000) | {severity:"Warn", title:"\($t) issue \(.)",
		    detail:("GPU 3: util=97% x=1 " * 12), metrics:{util:97, mem:71.5}}]}}}' \
		    >"$T/reply-$t.json"
	done
	rules=$(for t in TaskBig00001 TaskBig00002 TaskBig00003; do
		jq -nc --arg t "$t" --arg f "$T/reply-$t.json" \
		    '{cmd:"sysom get-diagnosis-result --task-id \($t)", stdout_file:$f}'
	done | jq -sc .)
	eas_world '"Success"' ", \"rules\": $rules"
}

t_fleet_large_results_spooled() {
	local single
	big_fleet_world
	pd -q -r cn-hangzhou --no-setup --task-id TaskBig00001 --task-id TaskBig00002 \
	    --task-id TaskBig00003 -j 3 --poll-interval 0 --call-timeout 20 -o json
	expect_rc 10
	expect_err_lacks "spool"
	expect_json '[.runs[] | [.task_id, .outcome, (.issues | length), .result.summary.root_cause]]' \
	    '[["TaskBig00001","warn",6000,"many issues on TaskBig00001"],["TaskBig00002","warn",6000,"many issues on TaskBig00002"],["TaskBig00003","warn",6000,"many issues on TaskBig00003"]]'
	[ "$(grep -c "^sysom get-diagnosis-result" "$T/calls.log")" = 3 ] ||
	    fail "want 3 polls" "$(cat "$T/calls.log")"
	jq -c '.runs[1] | del(.exit_code, .ok)' "$T/out" >"$T/fleet-run"
	pd -q -r cn-hangzhou --no-setup --task-id TaskBig00002 --poll-interval 0 -o json
	expect_rc 10
	single=$(jq -c 'del(.exit_code, .ok)' "$T/out")
	[ "$single" = "$(cat "$T/fleet-run")" ] || fail "the spooled run differs from a single run"

	# Text: every target's report, in order, after the table.
	pd -q -r cn-hangzhou --no-setup --task-id TaskBig00001 --task-id TaskBig00002 \
	    --task-id TaskBig00003 -j 3 --poll-interval 0
	expect_rc 10
	[ "$(grep -c '^  \[Warn\] TaskBig0000[123] issue ' "$T/out")" = 18000 ] ||
	    fail "text report lost issues" "$(grep -c '\[Warn\]' "$T/out")"
	[ "$(grep '^=== ' "$T/out" | tr '\n' ' ')" = "=== TaskBig00001 === === TaskBig00002 === === TaskBig00003 === " ] ||
	    fail "targets out of order" "$(grep '^=== ' "$T/out")"
	expect_out_has "  [Warn] TaskBig00003 issue 5999"
}

# No spool file can be made: a warning, and the results stay in memory.
t_fleet_spool_unwritable() {
	big_fleet_world
	# Not under valgrind, which needs $TMPDIR for itself to start at all.
	TMPDIR=$T/no-such-dir PAI_DIAG_WRAP='' pd -q -r cn-hangzhou --no-setup --task-id TaskBig00001 \
	    --task-id TaskBig00002 -j 2 --poll-interval 0 -o json
	expect_rc 10
	expect_err_has "warning: cannot make a spool file in \$TMPDIR (No such file or directory): results are held in memory until the report"
	expect_json '[.runs[] | [.task_id, (.issues | length)]]' '[["TaskBig00001",6000],["TaskBig00002",6000]]'
}

# A target whose answers while it runs are large takes the memory gate and
# lets it go before each poll's wait: the other target's large answer is
# read meanwhile, and both end with their results.
t_fleet_gate_let_go_between_polls() {
	local rules
	big_fleet_world
	jq -c '.data.status = "Running" | .data.task_id = "TaskBig00001"' \
	    "$T/reply-TaskBig00001.json" >"$T/running.json"
	rules=$(jq -nc --arg r "$T/running.json" --arg a "$T/reply-TaskBig00001.json" \
	    --arg b "$T/reply-TaskBig00002.json" '[
	    {cmd:"sysom get-diagnosis-result --task-id TaskBig00001", stdout_file:$r, times:3},
	    {cmd:"sysom get-diagnosis-result --task-id TaskBig00001", stdout_file:$a},
	    {cmd:"sysom get-diagnosis-result --task-id TaskBig00002", stdout_file:$b}]')
	eas_world '"Success"' ", \"rules\": $rules"
	pd --progress ndjson -r cn-hangzhou --no-setup --task-id TaskBig00001 \
	    --task-id TaskBig00002 -j 2 --poll-interval 0.3 --call-timeout 20 -o json
	expect_rc 10
	# TaskBig00002's answer was read while TaskBig00001 still polled.
	jq -se '(map(.target == "TaskBig00002" and .status == "Success") | index(true))
	    < (map(.target == "TaskBig00001" and .status == "Success") | index(true))' \
	    "$T/err" >/dev/null || fail "the gate was held over the polls" "$(cat "$T/err")"
	expect_json '[.runs[] | [.task_id, .status, .polls, (.issues | length)]]' \
	    '[["TaskBig00001","Success",4,6000],["TaskBig00002","Success",1,6000]]'
	[ "$(grep -c "^sysom get-diagnosis-result" "$T/calls.log")" = 5 ] ||
	    fail "want 5 polls" "$(cat "$T/calls.log")"
}

# The fleet of the progress views: the EAS service's task Ready, then
# Running twice, then Success (critical); TaskInfo0001 healthy at once;
# TaskTimeout1 Running and TaskOdd00001 in a status pai-diag does not know
# until --max-polls (timeout).
view_world() {
	fleet_world
	edit_scenario --argjson odd "$(poll_rule TaskOdd00001 Pending)" \
	    '.task.statuses = ["Ready","Running","Running","Success"] | .rules += [$odd]'
}
VIEW_ARGS="-r cn-hangzhou -i $EAS_ID --task-id TaskInfo0001 --task-id TaskTimeout1 --task-id TaskOdd00001 --max-polls 5 --poll-interval 0.05"

# pd_stderr_tty COLS ROWS ARGS...: runs pai-diag with stderr on a terminal of
# that size and stdout in $T/out; RC is its exit code, $T/tty the
# transcript and $T/screen what the terminal shows at the end.
pd_stderr_tty() {
	local cols=$1 rows=$2 args
	shift 2
	args=$(printf "'%s' " "$@")
	set +e
	script -qec "stty cols $cols rows $rows; '$PAI_DIAG' $args >'$T/out' 2>/dev/tty" "$T/tty" </dev/null >/dev/null
	RC=$?
	set -e
	tests/e2e/screen.py "$cols" "$T/tty" >"$T/screen" || fail "screen.py: $(cat "$T/screen")"
}

# expect_screen [SED]: what the terminal shows at the end, but the
# targets' done lines (edited by SED), against stdin.  expect_ends [SED]:
# those done lines (sorted, as they end in any order), against stdin.
expect_screen() {
	grep -v '^pai-diag: \[' "$T/screen" | sed -E "${1:-}" >"$T/rest" || true
	compare screen "$T/rest"
}
expect_ends() {
	grep '^pai-diag: \[' "$T/screen" | sed -E "${1:-}" | LC_ALL=C sort >"$T/ends" || true
	compare ends "$T/ends"
}

# Its calls, sorted: the targets run at once.
expect_view_calls() {
	sort "$T/calls.log" >"$T/calls.sorted"
	{ setup_calls; initial_call; list_calls; invoke_call; polls 4
	  polls 1 TaskInfo0001; polls 5 TaskTimeout1; polls 5 TaskOdd00001
	  restore_calls; } | sort | compare calls "$T/calls.sorted"
	setup_once
}

# On a terminal a fleet is one block redrawn in place: a line per running
# target (its region, time and state, cut to the width) and the count.
# Each target that ends leaves a done line above it, and so does a
# warning; no line per poll stays.  The setup's line is finished first.
t_fleet_view_terminal() {
	view_world
	# shellcheck disable=SC2086 # one word per argument
	pd_stderr_tty 100 24 $VIEW_ARGS --color never
	expect_rc 7
	expect_screen <<EOF
pai-diag: initialising SysOM
pai-diag: warning: TaskOdd00001: unknown task status 'Pending'; polling on as if Running
pai-diag: fleet: 4/4 done: 1 critical, 0 warn, 1 healthy, 2 failed
pai-diag: task TaskTimeout1 is still Running after 5 polls; resume with: pai-diag --region cn-hangzhou --task-id TaskTimeout1
pai-diag: task TaskOdd00001 is still Pending after 5 polls; resume with: pai-diag --region cn-hangzhou --task-id TaskOdd00001
EOF
	expect_ends <<EOF
pai-diag: [TaskInfo0001 cn-hangzhou] done: healthy (task TaskInfo0001, 1 poll)
pai-diag: [TaskOdd00001 cn-hangzhou] done: timeout (task TaskOdd00001, 5 polls)
pai-diag: [TaskTimeout1 cn-hangzhou] done: timeout (task TaskTimeout1, 5 polls)
pai-diag: [$EAS_ID cn-hangzhou] done: critical (task $TASK, 4 polls)
EOF
	# The block was there, with each target's polls; its lines were cut
	# to 99 columns, never wrapped.
	tr '\r' '\n' <"$T/tty" | sed 's/\x1b\[[0-9]*[AJK]//g' | grep '^  \[' >"$T/block" ||
	    fail "no block" "$(cat -v "$T/tty" | head -c 2000)"
	grep -q "^  \[TaskTimeout1 cn-hangzhou\] [0-9]* s  task TaskTimeout1: Running (poll [2-5]/5)$" "$T/block" ||
	    fail "no poll count in the block" "$(head -n 40 "$T/block")"
	# "  [ID REGION] 0 s  invoking the SysOM diagnosis of ID" is 102.
	[ "$(grep " s  invoking the SysOM diagnosis of eas-m-bp79" "$T/block" |
	    awk '{ print length }' | sort -u)" = 99 ] ||
	    fail "a long line not cut to 99 columns" "$(grep invoking "$T/block")"
	awk 'length > 99 { exit 1 }' "$T/block" || fail "a block line is too long"
	# The report on stdout is the fleet's, untouched by the view.
	[ "$(grep '^=== ' "$T/out" | tr '\n' ' ')" = "=== $EAS_ID === === TaskInfo0001 === === TaskTimeout1 === === TaskOdd00001 === " ] ||
	    fail "report's targets:" "$(grep '^=== ' "$T/out")"
	expect_out_has "Overall status: Critical"
	expect_out_has "- Current status: Pending"
	grep -q $'\033' "$T/out" && fail "escape sequences on stdout"
	expect_view_calls
}

# --progress plain in a fleet: a timestamped line per change of a
# target's state (started, each step, its task, each new status, done,
# then the count), never one per poll.
t_fleet_view_plain() {
	local t
	view_world
	pd $VIEW_ARGS --progress plain
	expect_rc 7
	grep -vE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z pai-diag: ' "$T/err" >"$T/untimed" || true
	compare untimed "$T/untimed" <<EOF
pai-diag: warning: TaskOdd00001: unknown task status 'Pending'; polling on as if Running
pai-diag: task TaskTimeout1 is still Running after 5 polls; resume with: pai-diag --region cn-hangzhou --task-id TaskTimeout1
pai-diag: task TaskOdd00001 is still Pending after 5 polls; resume with: pai-diag --region cn-hangzhou --task-id TaskOdd00001
EOF
	sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z //' "$T/err" >"$T/lines"
	for t in "$EAS_ID" TaskInfo0001 TaskTimeout1 TaskOdd00001; do
		grep -F "[$t]" "$T/lines" >"$T/lines.$t" || true
	done
	compare eas "$T/lines.$EAS_ID" <<EOF
pai-diag: [$EAS_ID] started in cn-hangzhou
pai-diag: [$EAS_ID] validating EAS $EAS_ID in cn-hangzhou
pai-diag: [$EAS_ID] invoking the SysOM diagnosis of $EAS_ID
pai-diag: [$EAS_ID] task $TASK: invoked
pai-diag: [$EAS_ID] task $TASK: Ready (poll 1/5)
pai-diag: [$EAS_ID] task $TASK: Running (poll 2/5)
pai-diag: [$EAS_ID] done: critical (task $TASK, 4 polls)
EOF
	compare info "$T/lines.TaskInfo0001" <<EOF
pai-diag: [TaskInfo0001] started in cn-hangzhou
pai-diag: [TaskInfo0001] done: healthy (task TaskInfo0001, 1 poll)
EOF
	compare timeout "$T/lines.TaskTimeout1" <<EOF
pai-diag: [TaskTimeout1] started in cn-hangzhou
pai-diag: [TaskTimeout1] task TaskTimeout1: Running (poll 1/5)
pai-diag: [TaskTimeout1] done: timeout (task TaskTimeout1, 5 polls)
EOF
	compare odd "$T/lines.TaskOdd00001" <<EOF
pai-diag: [TaskOdd00001] started in cn-hangzhou
pai-diag: [TaskOdd00001] task TaskOdd00001: Pending (poll 1/5)
pai-diag: [TaskOdd00001] done: timeout (task TaskOdd00001, 5 polls)
EOF
	grep '^pai-diag: fleet: ' "$T/lines" | sed 's/ done: .*//' >"$T/counts"
	compare counts "$T/counts" <<EOF
pai-diag: fleet: 1/4
pai-diag: fleet: 2/4
pai-diag: fleet: 3/4
pai-diag: fleet: 4/4
EOF
	[ "$(tail -n 3 "$T/lines" | head -n 1)" = "pai-diag: fleet: 4/4 done: 1 critical, 0 warn, 1 healthy, 2 failed" ] ||
	    fail "last count: $(grep 'fleet: 4/4' "$T/lines")"
	# 15 polls, 4 lines about them.
	[ "$(grep -c '(poll ' "$T/err")" = 4 ] || fail "poll lines: $(grep -c '(poll ' "$T/err")"
	expect_view_calls
}

# A terminal too short for every running target: the block keeps to its
# height (a cursor-up redraw cannot reach above the screen), the rest
# counted in one line.
t_fleet_view_short_terminal() {
	local up
	view_world
	pd_stderr_tty 80 4 --no-setup -r cn-hangzhou --task-id TaskTimeout1 --task-id TaskTimeout2 \
	    --task-id TaskOdd00001 --max-polls 3 --poll-interval 0.05 -o json
	expect_rc 7
	expect_json '[.runs[] | [.task_id, .outcome, .polls]]' '[["TaskTimeout1","timeout",3],["TaskTimeout2","timeout",3],["TaskOdd00001","timeout",3]]'
	tr '\r' '\n' <"$T/tty" | sed 's/\x1b\[[0-9]*[AJK]//g' >"$T/lines"
	grep -qx "  \.\.\. and 2 more running" "$T/lines" || fail "no count of the others" "$(head -n 30 "$T/lines")"
	# One target line, the count of the others and the fleet's count.
	up=$(grep -ao $'\033\\[[0-9]*A' "$T/tty" | tr -dc '0-9\n' | sort -n | tail -n 1)
	[ "$up" = 3 ] || fail "the block was $up lines high on a terminal of 4 rows"
	tail -n 4 "$T/screen" | head -n 1 | grep -qx "pai-diag: fleet: 3/3 done: 0 critical, 0 warn, 0 healthy, 3 failed" ||
	    fail "no count at the end" "$(cat "$T/screen")"
	[ "$(LC_ALL=C sort "$T/calls.log" | tr '\n' ' ')" = "$({ echo "configure list"; polls 3 TaskOdd00001; polls 3 TaskTimeout1; polls 3 TaskTimeout2; echo version; } | tr '\n' ' ')" ] ||
	    fail "calls:" "$(cat "$T/calls.log")"
	# --quiet on a terminal: no block, only what must be said.
	: >"$T/calls.log"
	pd_stderr_tty 80 4 -q --no-setup -r cn-hangzhou --task-id TaskTimeout1 --task-id TaskTimeout2 \
	    --max-polls 1 --poll-interval 0.05 -o json
	expect_rc 7
	compare quiet "$T/screen" <<EOF
pai-diag: task TaskTimeout1 is still Running after 1 polls; resume with: pai-diag --region cn-hangzhou --task-id TaskTimeout1
pai-diag: task TaskTimeout2 is still Running after 1 polls; resume with: pai-diag --region cn-hangzhou --task-id TaskTimeout2
EOF
	grep -q $'\033' "$T/tty" && fail "escape sequences with --quiet" "$(cat -v "$T/tty")"
	[ "$(grep -c '^sysom get-diagnosis-result' "$T/calls.log")" = 2 ] || fail "calls:" "$(cat "$T/calls.log")"
}

# Ctrl-C on a terminal: each target leaves its done line, the block is
# taken down, the count and the resume command stay.
t_fleet_view_sigint() {
	fleet_world
	set +e
	script -qec "stty cols 100 rows 24; '$PAI_DIAG' --no-setup -r cn-hangzhou --task-id TaskTimeout1 --task-id TaskTimeout2 --poll-interval 0.2 -o json >'$T/out' 2>/dev/tty & p=\$!; sleep 1.5; kill -INT \$p; wait \$p" "$T/tty" </dev/null >/dev/null
	RC=$?
	set -e
	expect_rc 130
	tests/e2e/screen.py 100 "$T/tty" >"$T/screen" || fail "screen.py: $(cat "$T/screen")"
	# The resume command's words are t_fleet_sigint's to check.
	expect_screen 's/^(pai-diag: error: interrupted;) .*TaskTimeout1.*TaskTimeout2.*/\1 RESUME/' <<EOF
pai-diag: checking credentials
pai-diag: fleet: 2/2 done: 0 critical, 0 warn, 0 healthy, 2 failed
pai-diag: error: interrupted; RESUME
EOF
	expect_ends 's/[0-9]+ polls\)/N polls)/' <<EOF
pai-diag: [TaskTimeout1 cn-hangzhou] done: interrupted (task TaskTimeout1, N polls)
pai-diag: [TaskTimeout2 cn-hangzhou] done: interrupted (task TaskTimeout2, N polls)
EOF
	expect_json '[.outcome, [.runs[].outcome]]' '["interrupted",["interrupted","interrupted"]]'
	[ "$(sort -u "$T/calls.log" | tr '\n' ' ')" = "configure list $(poll_call TaskTimeout1) $(poll_call TaskTimeout2) version " ] ||
	    fail "calls:" "$(sort -u "$T/calls.log")"
}

# A status of wide characters: the block's line is cut by the columns it
# takes, so it never wraps and every redraw takes the whole block down.
t_fleet_view_wide_status() {
	fleet_world
	edit_scenario --argjson wide "$(poll_rule TaskWide00001 诊断进行中诊断进行中诊断进行中)" '.rules += [$wide]'
	pd_stderr_tty 60 24 --no-setup -r cn-hangzhou --task-id TaskWide00001 --task-id TaskTimeout1 \
	    --max-polls 2 --poll-interval 0.05 -o json
	expect_rc 7
	expect_screen <<EOF
pai-diag: checking credentials
pai-diag: warning: TaskWide00001: unknown task status '诊断进行中诊断进行中诊断进行中'; polling on as if Running
pai-diag: fleet: 2/2 done: 0 critical, 0 warn, 0 healthy, 2 failed
pai-diag: task TaskWide00001 is still 诊断进行中诊断进行中诊断进行中 after 2 polls; resume with: pai-diag --region cn-hangzhou --task-id TaskWide00001
pai-diag: task TaskTimeout1 is still Running after 2 polls; resume with: pai-diag --region cn-hangzhou --task-id TaskTimeout1
EOF
	expect_ends <<EOF
pai-diag: [TaskTimeout1 cn-hangzhou] done: timeout (task TaskTimeout1, 2 polls)
pai-diag: [TaskWide00001 cn-hangzhou] done: timeout (task TaskWide00001, 2 polls)
EOF
	grep -q '^  \[TaskWide00001 cn-hangzhou\] [0-9]* s  task TaskWide00001: 诊断' <(tr '\r' '\n' <"$T/tty") ||
	    fail "no wide status in the block" "$(cat -v "$T/tty" | head -c 3000)"
	expect_json '[.runs[] | .outcome]' '["timeout","timeout"]'
	[ "$(LC_ALL=C sort -u "$T/calls.log" | tr '\n' ' ')" = "configure list $(poll_call TaskTimeout1) $(poll_call TaskWide00001) version " ] ||
	    fail "calls:" "$(sort -u "$T/calls.log")"
}
