# A whole estate: targets in several regions, discovery of EAS services,
# duplicates merged, and a Ctrl-C that loses no target.

HZ=eas-m-hzq7c2m9x4
BJ=eas-m-bjq7c2m9x4
SH=eas-m-shq7c2m9x4

# Services in three regions, a task per target that succeeds healthy.
regions_world() {
	scenario <<JSON
{
  "eas_services": [
    {"ServiceId": "$HZ", "ServiceName": "chat_hz", "Region": "cn-hangzhou", "Status": "Running"},
    {"ServiceId": "eas-m-hzq7c2m9x5", "ServiceName": "embed_hz", "Region": "cn-hangzhou", "Status": "Failed"},
    {"ServiceId": "$BJ", "ServiceName": "chat_bj", "Region": "cn-beijing", "Status": "Abnormal"},
    {"ServiceId": "eas-m-bjq7c2m9x5", "ServiceName": "rank_bj", "Region": "cn-beijing", "Status": "Running"},
    {"ServiceId": "$SH", "ServiceName": "chat_sh", "Region": "cn-shanghai", "Status": "failed"}
  ],
  "task": {"per_instance": true, "statuses": ["Running", "Success"],
           "result": {"summary": {"overall_status": "Info", "root_cause": "nothing wrong", "suggestions": []}, "issues": []}}
  ${1:-}
}
JSON
}

# region_params ID REGION: the params JSON of a real-time EAS diagnosis.
region_params() {
	printf '{"instance":"%s","region":"%s","product":"EAS","start_time":0,"end_time":0,"type":"ocd","ai_roadmap":true,"enable_sysom_link":false}' "$1" "$2"
}

# target_calls ID REGION TASK: validation, invoke and two polls of a target.
target_calls() {
	echo "eas list-services --region $2 --filter $1 --user-agent $UA"
	echo "eas list-services --region $2 --page-number 1 --page-size 100 --user-agent $UA"
	echo "sysom invoke-diagnosis --service-name ocd --channel ecs --params '$(region_params "$1" "$2")' --user-agent $UA"
	polls 2 "$3"
}

page_call() {
	echo "eas list-services --region $1 --page-number 1 --page-size 100 --user-agent $UA"
}

# One setup and one restore, with every region's targets in between.
t_regions_fleet_over_three_regions() {
	regions_world
	pd -q -i "$HZ@cn-hangzhou" -i "$BJ@cn-beijing" -i "$SH@cn-shanghai" -j 1 --poll-interval 0 -o json
	expect_rc 0
	expect_json '[.runs[] | [.instance, .region, .outcome]]' \
	    '[["eas-m-hzq7c2m9x4","cn-hangzhou","healthy"],["eas-m-bjq7c2m9x4","cn-beijing","healthy"],["eas-m-shq7c2m9x4","cn-shanghai","healthy"]]'
	expect_json '.warnings' '[]'
	[ ! -s "$T/err" ] || fail "stderr:" "$(cat "$T/err")"
	{
		setup_calls
		initial_call
		target_calls "$HZ" cn-hangzhou "$(jq -r '.runs[0].task_id' "$T/out")"
		target_calls "$BJ" cn-beijing "$(jq -r '.runs[1].task_id' "$T/out")"
		target_calls "$SH" cn-shanghai "$(jq -r '.runs[2].task_id' "$T/out")"
		restore_calls
	} | expect_calls
}

# A target without a region of its own takes --region; a single run takes
# ID@REGION in place of --region.
t_regions_own_region_wins() {
	regions_world
	pd -q -r cn-hangzhou -i "$HZ" -i "$BJ@cn-beijing" --no-setup --poll-interval 0 -o json -j 1
	expect_rc 0
	expect_json '[.runs[] | [.instance, .region]]' '[["eas-m-hzq7c2m9x4","cn-hangzhou"],["eas-m-bjq7c2m9x4","cn-beijing"]]'
	pd -q -r cn-hangzhou -i "$HZ" -i "$BJ@cn-beijing" --no-setup --poll-interval 0 -o markdown -j 1 --no-history
	expect_rc 0
	expect_out_has "| Target | Region | Product | Outcome | Overall status | Root cause |"
	expect_out_has "| $BJ | cn-beijing | EAS | healthy | Info | nothing wrong |"
	pd -q -r cn-hangzhou -i "$HZ" -i "$BJ@cn-beijing" --no-setup --poll-interval 0 -j 1 --no-history
	expect_rc 0
	grep -q "^$BJ  *cn-beijing  *EAS  *healthy  *Info  *nothing wrong$" "$T/out" || fail "text table:" "$(head -4 "$T/out")"
	: >"$T/calls.log"
	pd -q -i "$SH@cn-shanghai" --no-setup --poll-interval 0
	expect_rc 0
	expect_out_has "Region:    cn-shanghai"
	[ ! -s "$T/err" ] || fail "stderr:" "$(cat "$T/err")"
	{
		echo "version"
		echo "configure list"
		initial_call
		target_calls "$SH" cn-shanghai "$(grep -o 'get-diagnosis-result --task-id [A-Za-z0-9]*' "$T/calls.log" | head -1 | cut -d' ' -f3)"
	} | expect_calls
	# A task given with its region reports it and resumes in it.
	edit_scenario '.task.per_instance = false'
	: >"$T/calls.log"
	pd -q --task-id "Vq7mZ2xK@cn-beijing" --no-setup --poll-interval 0 --max-polls 1 -o json
	expect_rc 7
	expect_json '[.region, .resume_command]' '["cn-beijing","pai-diag --region cn-beijing --task-id Vq7mZ2xK"]'
}

# --instances-file: "ID [PRODUCT|-] [REGION]", or ID@REGION.
t_regions_instances_file() {
	regions_world
	cat >"$T/targets" <<EOF
$HZ
$BJ - cn-beijing
$SH@cn-shanghai EAS
eas-m-bjq7c2m9x5 eas cn-beijing   # with a comment
EOF
	pd -q -r cn-hangzhou --instances-file "$T/targets" --no-setup --poll-interval 0 -o json
	expect_rc 0
	expect_json '[.runs[] | [.instance, .product, .region, .outcome]]' \
	    '[["eas-m-hzq7c2m9x4","EAS","cn-hangzhou","healthy"],["eas-m-bjq7c2m9x4","EAS","cn-beijing","healthy"],["eas-m-shq7c2m9x4","EAS","cn-shanghai","healthy"],["eas-m-bjq7c2m9x5","EAS","cn-beijing","healthy"]]'
	[ ! -s "$T/err" ] || fail "stderr:" "$(cat "$T/err")"
	# Without --region, a line without a region is an error naming it.
	: >"$T/calls.log"
	pd -q --instances-file "$T/targets"
	expect_rc 2
	expect_err <<EOF
pai-diag: error: --instances-file: $T/targets line 1: '$HZ' has no region: give --region or write it as ID@REGION
try 'pai-diag --help'
EOF
	expect_no_calls
	printf '%s\n' "$SH@cn-shanghai - cn-beijing" >"$T/two"
	pd -q -r cn-hangzhou --instances-file "$T/two"
	expect_rc 2
	expect_err <<EOF
pai-diag: error: --instances-file: $T/two line 1: '$SH@cn-shanghai' names two regions, cn-shanghai and cn-beijing
try 'pai-diag --help'
EOF
	printf '%s\n' "$SH - cn-shanghai extra" >"$T/four"
	pd -q -r cn-hangzhou --instances-file "$T/four"
	expect_rc 2
	expect_err <<EOF
pai-diag: error: --instances-file: $T/four line 1: expected 'ID [PRODUCT|-] [REGION]'
try 'pai-diag --help'
EOF
	printf '%s\n' "$SH - CN-Shanghai" >"$T/upper"
	pd -q -r cn-hangzhou --instances-file "$T/upper"
	expect_rc 2
	expect_err <<EOF
pai-diag: error: --instances-file: $T/upper line 1: region 'CN-Shanghai' must be lower case
try 'pai-diag --help'
EOF
	expect_no_calls
}

# The command line's own mistakes about regions: usage errors, no call.
t_regions_usage_errors() {
	regions_world
	pd -q -i "$HZ"
	expect_rc 2
	expect_err <<EOF
pai-diag: error: --region is required (or give the target as $HZ@REGION)
try 'pai-diag --help'
EOF
	pd -q -r cn-hangzhou -r cn-beijing -i "$HZ"
	expect_rc 2
	expect_err <<EOF
pai-diag: error: --region is given 2 times; several regions are for --discover: give each target its own as ID@REGION
try 'pai-diag --help'
EOF
	pd -q -i "$HZ@" -r cn-hangzhou
	expect_rc 2
	expect_err <<EOF
pai-diag: error: --instance: region is empty
try 'pai-diag --help'
EOF
	pd -q -i "$HZ@cn-hangzhou@x"
	expect_rc 2
	expect_err_has "pai-diag: error: --instance: region 'cn-hangzhou@x' contains '@'"
	pd -q -r cn-hangzhou -i "$HZ" -i "$BJ@Cn-beijing"
	expect_rc 2
	expect_err_has "pai-diag: error: --instance: region 'Cn-beijing' must be lower case"
	pd -q -r cn-hangzhou --discover dlc
	expect_rc 2
	expect_err_has "pai-diag: error: --discover takes 'eas' (EAS services), not 'dlc'"
	pd -q --discover eas
	expect_rc 2
	expect_err_has "pai-diag: error: --discover needs --region (one or more)"
	pd -q -r cn-hangzhou --discover-status Failed -i "$HZ"
	expect_rc 2
	expect_err_has "pai-diag: error: --discover-status needs --discover"
	pd -q -r cn-hangzhou --discover eas --discover-status 'Failed,,x'
	expect_rc 2
	expect_err_has "pai-diag: error: --discover-status takes Status words separated by commas (e.g. Failed,Abnormal), not 'Failed,,x'"
	pd -q -r cn-hangzhou -r cn-beijing doctor
	expect_rc 2
	expect_err_has "pai-diag: error: doctor takes one --region"
	expect_no_calls
}

# The same target twice is diagnosed once, with a warning; so is a task.
t_regions_duplicates_merged() {
	regions_world
	printf '%s\n' "$HZ - cn-hangzhou" "$BJ@cn-beijing" >"$T/targets"
	pd -q -r cn-hangzhou -i "$HZ" -i "$HZ@cn-hangzhou" -i "$HZ@cn-beijing" \
	    --instances-file "$T/targets" --no-setup --poll-interval 0 -o json -j 1
	# The one in cn-beijing does not exist there: another target.
	expect_rc 5
	expect_json '[.runs[] | [.instance, .region, .outcome]]' \
	    '[["eas-m-hzq7c2m9x4","cn-hangzhou","healthy"],["eas-m-hzq7c2m9x4","cn-beijing","invalid_target"],["eas-m-bjq7c2m9x4","cn-beijing","healthy"]]'
	expect_json '.warnings' '["eas-m-hzq7c2m9x4 in cn-hangzhou is given twice; it is diagnosed once","eas-m-hzq7c2m9x4 in cn-hangzhou is given twice; it is diagnosed once"]'
	expect_err_has "pai-diag: warning: eas-m-hzq7c2m9x4 in cn-hangzhou is given twice; it is diagnosed once"
	[ "$(grep -c "invoke-diagnosis.*$HZ" "$T/calls.log")" = 1 ] || fail "invoked more than once:" "$(cat "$T/calls.log")"
	edit_scenario '.task.per_instance = false'
	: >"$T/calls.log"
	pd -q -r cn-hangzhou --task-id Vq7mZ2xK --task-id Vq7mZ2xK@cn-beijing --no-setup --poll-interval 0 --max-polls 1 -o json
	expect_rc 7
	expect_json '[(.runs | length), .warnings]' '[1,["task Vq7mZ2xK is given twice; it is diagnosed once"]]'
	{ echo "version"; echo "configure list"; poll_call; } | expect_calls
}

# --discover eas: every service of every region, then each diagnosed.
t_discover_every_service() {
	regions_world
	pd -q -r cn-hangzhou -r cn-beijing --discover eas -j 1 --poll-interval 0 -o json
	expect_rc 0
	expect_json '[.runs[] | [.instance, .region, .product, .outcome]]' \
	    '[["eas-m-hzq7c2m9x4","cn-hangzhou","EAS","healthy"],["eas-m-hzq7c2m9x5","cn-hangzhou","EAS","healthy"],["eas-m-bjq7c2m9x4","cn-beijing","EAS","healthy"],["eas-m-bjq7c2m9x5","cn-beijing","EAS","healthy"]]'
	expect_json '.warnings' '[]'
	[ ! -s "$T/err" ] || fail "stderr:" "$(cat "$T/err")"
	{
		setup_calls
		initial_call
		page_call cn-hangzhou
		page_call cn-beijing
		target_calls "$HZ" cn-hangzhou "$(jq -r '.runs[0].task_id' "$T/out")"
		target_calls eas-m-hzq7c2m9x5 cn-hangzhou "$(jq -r '.runs[1].task_id' "$T/out")"
		target_calls "$BJ" cn-beijing "$(jq -r '.runs[2].task_id' "$T/out")"
		target_calls eas-m-bjq7c2m9x5 cn-beijing "$(jq -r '.runs[3].task_id' "$T/out")"
		restore_calls
	} | expect_calls
}

# --discover-status keeps the services whose Status is listed (any case);
# explicit targets join, and one found again is merged with a warning.
t_discover_status_and_duplicates() {
	regions_world
	pd -q -r cn-hangzhou -r cn-beijing -r cn-shanghai --discover eas --discover-status Failed,abnormal \
	    -i "$BJ@cn-beijing" -i "$HZ@cn-hangzhou" --no-setup -j 1 --poll-interval 0 -o json
	expect_rc 0
	expect_json '[.runs[] | [.instance, .region]]' \
	    '[["eas-m-bjq7c2m9x4","cn-beijing"],["eas-m-hzq7c2m9x4","cn-hangzhou"],["eas-m-hzq7c2m9x5","cn-hangzhou"],["eas-m-shq7c2m9x4","cn-shanghai"]]'
	expect_json '.warnings' '["eas-m-bjq7c2m9x4 in cn-beijing is given and discovered; it is diagnosed once"]'
	expect_err <<EOF
pai-diag: warning: eas-m-bjq7c2m9x4 in cn-beijing is given and discovered; it is diagnosed once
EOF
	[ "$(grep -c "invoke-diagnosis" "$T/calls.log")" = 4 ] || fail "invokes:" "$(grep invoke "$T/calls.log")"
	# Nothing has that status: no target, healthy, said once.
	: >"$T/calls.log"
	pd -q -r cn-hangzhou --discover eas --discover-status Stopped --no-setup -o json
	expect_rc 0
	expect_json '[.outcome, .runs, .warnings]' '["healthy",[],["--discover found no EAS service whose Status is Stopped in cn-hangzhou"]]'
	{ echo "version"; echo "configure list"; initial_call; page_call cn-hangzhou; } | expect_calls
	pd -q -r cn-hangzhou --discover eas --discover-status Stopped --no-setup
	expect_rc 0
	expect_out <<EOF
No target was diagnosed.
EOF
	expect_err <<EOF
pai-diag: warning: --discover found no EAS service whose Status is Stopped in cn-hangzhou
EOF
}

# --dry-run with discovery lists what it would diagnose; it only reads.
t_discover_dry_run() {
	regions_world
	pd -r cn-hangzhou -r cn-shanghai --discover eas --task-id Vq7mZ2xK@cn-beijing --dry-run
	expect_rc 0
	expect_out <<EOF
Dry run: nothing was run but the listing of EAS services.
One setup, then 4 targets, up to 8 at a time:

TARGET                          REGION          PRODUCT
task Vq7mZ2xK                   cn-beijing      -
eas-m-hzq7c2m9x4                cn-hangzhou     EAS
eas-m-hzq7c2m9x5                cn-hangzhou     EAS
eas-m-shq7c2m9x4                cn-shanghai     EAS

Polling: at most 60 polls, 10 s apart (up to 600 s); each aliyun call is capped at 300 s.
EOF
	{ page_call cn-hangzhou; page_call cn-shanghai; } | expect_calls
	: >"$T/calls.log"
	pd -r cn-hangzhou --discover eas --discover-status failed --dry-run -o json
	expect_rc 0
	expect_json '[.dry_run, .fleet, .targets, .error]' '[true,true,[{"instance":"eas-m-hzq7c2m9x5","task_id":null,"product":"EAS","region":"cn-hangzhou"}],null]'
	# Without discovery a fleet's dry run calls nothing at all.
	: >"$T/calls.log"
	pd -r cn-hangzhou -i "$HZ" -i "$BJ@cn-beijing" --dry-run -o json
	expect_rc 0
	expect_json '[.targets[] | [.instance, .region]]' '[["eas-m-hzq7c2m9x4","cn-hangzhou"],["eas-m-bjq7c2m9x4","cn-beijing"]]'
	expect_no_calls
}

# A region whose listing is refused ends the run with that error, after
# the setup is put back; no target starts.
t_discover_refused() {
	regions_world ', "rules": [{"cmd": "eas list-services --region cn-beijing", "error": {"form": "plugin", "http": 403, "body": {"Code": "Forbidden.RAM", "Message": "denied", "RequestId": "R-D"}}}]'
	pd -q -r cn-hangzhou -r cn-beijing --discover eas -i "$SH@cn-shanghai" --poll-interval 0 -o json
	expect_rc 4
	expect_json '[.outcome, [.runs[] | [.instance, .outcome]]]' '["access_denied",[["eas-m-shq7c2m9x4","access_denied"],["eas-m-hzq7c2m9x4","access_denied"],["eas-m-hzq7c2m9x5","access_denied"]]]'
	expect_err_has "pai-diag: error: cannot list EAS services: permission denied: Forbidden.RAM: denied (request id R-D); the RAM user needs 'eas:ListServices'"
	{
		setup_calls
		initial_call
		page_call cn-hangzhou
		page_call cn-beijing
		restore_calls
	} | expect_calls
	# The dry run says the same, and exits the same.
	: >"$T/calls.log"
	pd -q -r cn-beijing --discover eas --dry-run
	expect_rc 4
	expect_out_empty
	expect_err_has "pai-diag: error: cannot list EAS services: permission denied: Forbidden.RAM: denied (request id R-D)"
	page_call cn-beijing | expect_calls
}

# Ctrl-C: the resume command lists every unfinished target, the started
# ones by task and the others by instance, each in its region; running it
# finishes the fleet.
t_regions_sigint_resumes_every_target() {
	regions_world
	edit_scenario '.task.statuses = ["Running","Running","Running","Running","Success"]'
	pd_bg -q -i "$HZ@cn-hangzhou" -i "$BJ@cn-beijing" -i "$SH@cn-shanghai" -j 1 --poll-interval 0.3 \
	    --since 2h --description 'latency spike' -o json
	wait_for_calls "get-diagnosis-result"
	kill -INT "$PD_PID"
	wait_rc "$PD_PID"
	expect_rc 130
	task=$(jq -r '.runs[0].task_id' "$T/out")
	start=$(jq -r '.runs[1].start_time' "$T/out")
	end=$(jq -r '.runs[1].end_time' "$T/out")
	expect_json '[.runs[] | [.instance, .region, .outcome, .task_id != null]]' \
	    '[["eas-m-hzq7c2m9x4","cn-hangzhou","interrupted",true],["eas-m-bjq7c2m9x4","cn-beijing","interrupted",false],["eas-m-shq7c2m9x4","cn-shanghai","interrupted",false]]'
	expect_json '[.runs[].resume_command]' "[\"pai-diag --region cn-hangzhou --task-id $task\",\"pai-diag --region cn-beijing --instance $BJ --start $start --end $end --description 'latency spike'\",\"pai-diag --region cn-shanghai --instance $SH --start $start --end $end --description 'latency spike'\"]"
	resume="pai-diag --task-id $task@cn-hangzhou -i $BJ@cn-beijing -i $SH@cn-shanghai --start $start --end $end --description 'latency spike'"
	expect_err_has "pai-diag: error: interrupted; resume the fleet with: $resume"
	# The command as printed finishes every target.
	: >"$T/calls.log"
	eval "pd ${resume#pai-diag } -q --poll-interval 0 -o json"
	expect_rc 0
	expect_json '[.runs[] | [.instance, .region, .outcome]]' \
	    '[["eas-m-hzq7c2m9x4","cn-hangzhou","healthy"],["eas-m-bjq7c2m9x4","cn-beijing","healthy"],["eas-m-shq7c2m9x4","cn-shanghai","healthy"]]'
	expect_json '[.runs[0].task_id == "'"$task"'", (.runs[1].start_time == '"$start"')]' '[true,true]'
	[ "$(grep -c "invoke-diagnosis" "$T/calls.log")" = 2 ] || fail "invokes:" "$(grep invoke "$T/calls.log")"
	grep -q "invoke-diagnosis.*\"region\":\"cn-shanghai\".*latency_spike" "$T/calls.log" || fail "the resumed target lost its description:" "$(grep invoke "$T/calls.log")"
}

# An instance whose id does not tell its product resumes with --product,
# in a command of its own when the other instances differ.
t_regions_resume_product() {
	regions_world ', "dlc_jobs": [{"JobId": "dlcjobq7c2m9", "ResourceType": "Lingjun", "Region": "cn-beijing"}]'
	edit_scenario '.task.statuses = ["Running","Running","Running","Running","Success"] | .eas_services += [{"ServiceId": "svc-odd-q7c2", "Region": "cn-hangzhou"}]'
	printf '%s\n' "$HZ@cn-hangzhou" "svc-odd-q7c2 EAS cn-hangzhou" "dlcjobq7c2m9 - cn-beijing" >"$T/targets"
	pd_bg -q --instances-file "$T/targets" -j 1 --poll-interval 0.3 -o json
	wait_for_calls "get-diagnosis-result"
	kill -INT "$PD_PID"
	wait_rc "$PD_PID"
	expect_rc 130
	task=$(jq -r '.runs[0].task_id' "$T/out")
	expect_err_has "pai-diag: error: interrupted; resume the fleet with: pai-diag --task-id $task@cn-hangzhou -i dlcjobq7c2m9@cn-beijing ; pai-diag -i svc-odd-q7c2@cn-hangzhou --product EAS"
	expect_json '.runs[1].resume_command' '"pai-diag --region cn-hangzhou --instance svc-odd-q7c2 --product EAS"'
}

# A listing is aliyun's output, so it is checked like any: a service id
# that is no valid id is left out with a warning, one listed twice (pages
# that shift while being read) is diagnosed once, a Status that is not a
# string matches nothing.
t_discover_hostile_listing() {
	scenario <<JSON
{
  "eas_services": [
    {"ServiceId": "$HZ", "Region": "cn-hangzhou", "Status": "Failed"},
    {"ServiceId": "eas;rm -rf /", "Region": "cn-hangzhou", "Status": "Failed"},
    {"ServiceId": "eas-m-x@cn-beijing", "Region": "cn-hangzhou", "Status": "Failed"},
    {"ServiceName": "no id at all", "Region": "cn-hangzhou", "Status": "Failed"},
    {"ServiceId": "eas-m-hzq7c2m9x5", "Region": "cn-hangzhou", "Status": 7},
    {"ServiceId": "$HZ", "Region": "cn-hangzhou", "Status": "Failed"}
  ],
  "task": {"per_instance": true, "statuses": ["Success"],
           "result": {"summary": {"overall_status": "Info", "root_cause": "ok", "suggestions": []}, "issues": []}}
}
JSON
	pd -q -r cn-hangzhou --discover eas --discover-status failed --no-setup --poll-interval 0 -o json
	expect_rc 0
	expect_json '[.runs[] | [.instance, .outcome]]' '[["eas-m-hzq7c2m9x4","healthy"]]'
	expect_json '.warnings' '["a service of cn-hangzhou is left out: instance id '"'"'eas;rm -rf /'"'"' contains '"'"';'"'"'","a service of cn-hangzhou is left out: '"'"'eas-m-x@cn-beijing'"'"' names two regions, cn-beijing and cn-hangzhou","eas-m-hzq7c2m9x4 in cn-hangzhou is listed twice; it is diagnosed once"]'
	expect_err <<EOF
pai-diag: warning: a service of cn-hangzhou is left out: instance id 'eas;rm -rf /' contains ';'
pai-diag: warning: a service of cn-hangzhou is left out: 'eas-m-x@cn-beijing' names two regions, cn-beijing and cn-hangzhou
pai-diag: warning: eas-m-hzq7c2m9x4 in cn-hangzhou is listed twice; it is diagnosed once
EOF
	[ "$(grep -c "invoke-diagnosis" "$T/calls.log")" = 1 ] || fail "invokes:" "$(grep invoke "$T/calls.log")"
}
