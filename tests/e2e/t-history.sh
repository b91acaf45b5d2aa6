# The history: every run with a result kept, masked, and listed; diffs
# between two kept runs.

# The history directory of the test's HOME.
hist() { echo "$T/home/.local/state/pai-diag/history"; }

# result_world STATUS ISSUES-JSON [TASK]: a task that succeeds at once.
result_world() {
	eas_world '"Success"'
	edit_scenario --arg t "${3:-$TASK}" --argjson i "$2" --arg s "$1" \
	    '.task.id = $t | .task.result = {summary: {overall_status: $s, root_cause: "see issues", suggestions: []}, issues: $i}'
}

issue() {	# issue SEVERITY ITEM SUBSYSTEM TITLE
	jq -nc --arg s "$1" --arg i "$2" --arg u "$3" --arg t "$4" \
	    '{severity: $s, item: $i, subsystem: $u, title: $t, detail: "d"}'
}

# run_once TASK STATUS ISSUE...: one diagnosis of EAS_ID kept in history.
run_once() {
	local task=$1 status=$2
	shift 2
	result_world "$status" "$(jq -sc . <(for i in "$@"; do echo "$i"; done))" "$task"
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 --fail-on never
	expect_rc 0
	# The clock names the files: runs a second apart sort in order.
	sleep 1
}

# Every run with a result is kept as its envelope, masked; --no-history
# keeps nothing; a run without a result is not kept.
t_history_kept_masked() {
	local HIST
	HIST=$(hist)
	result_world Warn "[$(issue Warn x y 'key LTAI5tFakeKeyId0000000001 seen in env')]"
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0
	expect_rc 10
	f=$(find "$HIST" -name "*-$TASK.json")
	[ "$(wc -l <<<"$f")" = 1 ] && [ -n "$f" ] || fail "kept: $(find "$HIST" -type f)"
	[[ $f == "$HIST/cn-hangzhou/$EAS_ID/"20[0-9][0-9][01][0-9][0-3][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z-$TASK.json ]] || fail "path: $f"
	jq -e '.task_id == "'"$TASK"'" and .exit_code == 10 and .summary.overall_status == "Warn" and (.issues | length) == 1' "$f" >/dev/null ||
	    fail "the kept envelope:" "$(head -c 600 "$f")"
	cp "$f" "$T/out"
	expect_envelope
	! grep -q 'LTAI' "$f" || fail "credential material kept in $f"
	[ "$(stat -c %a "$HIST")" = 700 ] || fail "history directory mode $(stat -c %a "$HIST")"
	# --no-history: nothing more.
	rm -rf "$HIST"
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 --no-history
	expect_rc 10
	[ ! -e "$HIST" ] || fail "--no-history kept: $(find "$HIST" -type f)"
	# A run that ends without a result (a task that fails) is not kept.
	eas_world '"Fail"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0
	expect_rc 6
	[ ! -e "$HIST" ] || fail "a failed task was kept: $(find "$HIST" -type f)"
	# XDG_STATE_HOME wins over HOME.
	export XDG_STATE_HOME="$T/xdg"
	result_world Info '[]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0
	expect_rc 0
	[ -n "$(find "$T/xdg/pai-diag/history/cn-hangzhou/$EAS_ID" -name "*-$TASK.json")" ] || fail "not under XDG_STATE_HOME"
}

# A history that cannot be written is a warning; the verdict stands.
t_history_unwritable() {
	local HIST
	HIST=$(hist)
	mkdir -p "$T/home/.local/state"
	: >"$T/home/.local/state/pai-diag"	# a file where the directory goes
	result_world Info '[]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 -o json
	expect_rc 0
	expect_json '.outcome' '"healthy"'
	expect_err <<EOF
pai-diag: warning: the diagnosis is not kept in the history: $HIST/cn-hangzhou/$EAS_ID: Not a directory (or give --no-history)
EOF
}

# `history` lists the runs, oldest first, of all targets or of one.
t_history_list() {
	run_once Run00001 Warn "$(issue Warn a b 'one')"
	run_once Run00002 Critical "$(issue Critical a b 'one')" "$(issue Warn c d 'two')"
	: >"$T/calls.log"
	pd history -o json
	expect_rc 0
	expect_json '[.schema_version, [.history[] | [.task_id, .instance, .region, .outcome, .overall_status, .issues]]]' \
	    '[1,[["Run00001","eas-m-bp79exq2lzbd0ctdfu","cn-hangzhou","warn","Warn",1],["Run00002","eas-m-bp79exq2lzbd0ctdfu","cn-hangzhou","critical","Critical",2]]]'
	[ ! -s "$T/err" ] || fail "stderr:" "$(cat "$T/err")"
	pd history -i "$EAS_ID@cn-hangzhou"
	expect_rc 0
	[ "$(head -n 1 "$T/out")" = "TIME (UTC)       TASK     TARGET                   REGION       STATUS   ISSUES" ] || fail "header: $(head -n 1 "$T/out")"
	[ "$(sed 1d "$T/out" | awk '{print $3, $4, $5, $6, $7}')" = "Run00001 $EAS_ID cn-hangzhou Warn 1
Run00002 $EAS_ID cn-hangzhou Critical 2" ] || fail "rows:" "$(cat "$T/out")"
	awk 'length > 80 { exit 1 }' "$T/out" || fail "wider than 80 columns:" "$(cat "$T/out")"
	pd history -i eas-m-other00001 -r cn-hangzhou
	expect_rc 0
	expect_out <<EOF
No diagnosis in the history.
EOF
	# A kept file that is damaged (cut short, or not an object) is listed
	# with null fields; diff names it and what is wrong with it.
	local dir
	dir=$(hist)/cn-hangzhou/$EAS_ID
	printf '{"outcome": "crit' >"$dir/20200101T000000Z-Broken01.json"
	echo '[1, 2]' >"$dir/20200101T000001Z-Broken02.json"
	: >"$dir/not-a-run.json"
	pd history -o json
	expect_rc 0
	expect_json '[.history[] | [.task_id, .outcome, .issues]]' '[["Broken01",null,null],["Broken02",null,null],["Run00001","warn",1],["Run00002","critical",2]]'
	pd diff Broken01 Run00002
	expect_rc 2
	expect_err_has "pai-diag: error: diff: '$dir/20200101T000000Z-Broken01.json' holds no JSON envelope"
	pd diff Run00001 Broken02
	expect_rc 2
	expect_err_has "Broken02.json' holds no JSON envelope"
	rm "$dir"/20200101T00000*
	pd history -i "$EAS_ID" -r cn-beijing -o json
	expect_json '.history' '[]'
	pd history --since 2h
	expect_rc 2
	expect_err_has "pai-diag: error: history reads the history: it takes only --instance, --region and the output options"
	pd history -o markdown
	expect_rc 2
	expect_no_calls
}

# `diff`: issues new, resolved and persisting, matched by item, subsystem
# and title with numbers ignored; the change of the overall status.
t_history_diff() {
	run_once Run00001 Warn "$(issue Warn gpu_diag GPU 'GPU memory at 91% of 80 GiB')" \
	    "$(issue Warn net Network 'Packet loss')" "$(issue Info mem Memory 'Host memory normal')"
	run_once Run00002 Critical "$(issue Critical gpu_diag GPU 'GPU memory at 99.5% of 80 GiB')" \
	    "$(issue Critical nccl NCCL 'All-reduce stalled')" "$(issue Info mem Memory 'Host memory normal')"
	: >"$T/calls.log"
	pd history -o json
	t1=$(jq -r '.history[0].time' "$T/out")
	t2=$(jq -r '.history[1].time' "$T/out")
	pd diff previous last -i "$EAS_ID" -r cn-hangzhou
	expect_rc 0
	expect_out <<EOF
Changes of $EAS_ID in cn-hangzhou
Overall status: Warn -> Critical
From task Run00001 ($t1) to task Run00002 ($t2)

New (1):
  Critical  All-reduce stalled  [nccl/NCCL]
Resolved (1):
  Warn      Packet loss  [net/Network]
Persisting (2):
  Critical  GPU memory at 99.5% of 80 GiB  [gpu_diag/GPU]
  Info      Host memory normal  [mem/Memory]
EOF
	pd diff Run00001 Run00002 -o json
	expect_rc 0
	expect_json '[.diff, .instance, .from.task_id, .from.overall_status, .to.task_id, .to.overall_status, .status_changed, [.new[].title], [.resolved[].title], [.persisting[].title]]' \
	    '[true,"eas-m-bp79exq2lzbd0ctdfu","Run00001","Warn","Run00002","Critical",true,["All-reduce stalled"],["Packet loss"],["GPU memory at 99.5% of 80 GiB","Host memory normal"]]'
	# Backwards, the new is resolved and the resolved new.
	pd diff Run00002 Run00001 -o json
	expect_json '[[.new[].title], [.resolved[].title]]' '[["Packet loss"],["All-reduce stalled"]]'
	pd diff Run00001 Nope0001
	expect_rc 2
	expect_err_has "pai-diag: error: diff: task Nope0001 is not in the history"
	pd diff last previous
	expect_rc 2
	expect_err_has "pai-diag: error: diff last needs the target: give --instance"
	pd diff Run00001
	expect_rc 2
	expect_err_has "pai-diag: error: diff compares two runs: give two task ids, or last and previous with --instance"
	pd diff 'a;b' last -i "$EAS_ID"
	expect_rc 2
	expect_err_has "pai-diag: error: diff: task id 'a;b' contains ';' (or last, previous)"
	expect_no_calls
}

# Each target keeps its newest 50 runs.
t_history_retention() {
	local HIST
	HIST=$(hist)
	result_world Info '[]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0
	expect_rc 0
	f=$(find "$HIST" -name "*.json")
	dir=$(dirname "$f")
	for i in $(seq 10 59); do cp "$f" "$dir/20200101T0000${i}Z-Old000$i.json"; done
	: >"$dir/notes.txt"	# not a run: left alone
	sleep 1
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0
	expect_rc 0
	[ "$(find "$dir" -name "*.json" | wc -l)" = 50 ] || fail "kept $(find "$dir" -name "*.json" | wc -l)"
	[ ! -e "$dir/20200101T000010Z-Old00010.json" ] && [ ! -e "$dir/20200101T000011Z-Old00011.json" ] &&
	    [ -e "$dir/20200101T000012Z-Old00012.json" ] || fail "the oldest were not the ones removed:" "$(ls "$dir" | head -3)"
	[ -e "$dir/notes.txt" ] || fail "a file that is no run was removed"
	[ "$(find "$dir" -name "*-$TASK.json" | wc -l)" = 2 ] || fail "the new runs are gone"
}

# A fleet keeps every target's run.
t_history_fleet() {
	eas_world '"Success"'
	edit_scenario '.task.per_instance = true | .eas_services += [{"ServiceId": "eas-m-second00001", "Region": "cn-beijing"}]'
	pd -q -i "$EAS_ID@cn-hangzhou" -i eas-m-second00001@cn-beijing --no-setup --poll-interval 0 --fail-on never
	expect_rc 0
	: >"$T/calls.log"
	pd history -o json
	expect_json '[.history[] | [.instance, .region]] | sort' '[["eas-m-bp79exq2lzbd0ctdfu","cn-hangzhou"],["eas-m-second00001","cn-beijing"]]'
	expect_no_calls
}

# --baseline last: every report format says what changed since the last
# kept run of the target.
t_history_baseline_reports() {
	run_once Run00001 Warn "$(issue Warn gpu_diag GPU 'GPU memory at 91%')" "$(issue Info mem Memory 'Host memory normal')"
	result_world Critical "[$(issue Critical gpu_diag GPU 'GPU memory at 99%'),$(issue Critical nccl NCCL 'All-reduce stalled')]" Run00002
	: >"$T/calls.log"
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 --no-history --baseline last
	expect_rc 11
	when=$(jq -r '.history[0].time' <(HOME="$T/home" "$PAI_DIAG" history -o json))
	sed -n '/^Changes since/,$p' "$T/out" >"$T/changes"
	compare changes "$T/changes" <<EOF
Changes since task Run00001 ($when), overall status then Warn:
New (1):
  Critical  All-reduce stalled  [nccl/NCCL]
Resolved (1):
  Info      Host memory normal  [mem/Memory]
Persisting (1):
  Critical  GPU memory at 99%  [gpu_diag/GPU]
EOF
	[ ! -s "$T/err" ] || fail "stderr:" "$(cat "$T/err")"
	{ echo version; echo "configure list"; initial_call; list_calls; invoke_call; poll_call Run00002; } | expect_calls
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 --no-history --baseline Run00001 -o json
	expect_rc 11
	expect_json '[.outcome, .baseline.from.task_id, .baseline.from.time, .baseline.to.task_id, .baseline.status_changed, [.baseline.new[].title], [.baseline.resolved[].title], [.baseline.persisting[].title]]' \
	    "[\"critical\",\"Run00001\",\"$when\",\"Run00002\",true,[\"All-reduce stalled\"],[\"Host memory normal\"],[\"GPU memory at 99%\"]]"
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 --no-history --baseline last -o markdown
	expect_rc 11
	expect_out_has "## Changes since task Run00001 ($when)"
	expect_out_has "- **Critical** All-reduce stalled  [nccl/NCCL]"
	# Without --baseline the envelope has no such member.
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 --no-history -o json
	expect_json 'has("baseline")' 'false'
	# A task that is not kept is a usage error before anything runs.
	: >"$T/calls.log"
	pd -q -r cn-hangzhou -i "$EAS_ID" --baseline Nope0001
	expect_rc 2
	expect_err_has "pai-diag: error: --baseline: task Nope0001 is not in the history (see pai-diag history)"
	pd -q -r cn-hangzhou -i "$EAS_ID" --baseline 'x y'
	expect_rc 2
	expect_err_has "pai-diag: error: --baseline: task id 'x y' contains a space (or last)"
	expect_no_calls
}

# --fail-on new: exit 12 (regressed) only when an issue at Warn or above
# is new since the last run; otherwise 0 whatever the status.
t_history_fail_on_new() {
	# The first run has nothing to compare with: every issue is new.
	result_world Critical "[$(issue Critical gpu_diag GPU 'GPU memory at 91%')]" Run00001
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 --fail-on new -o json
	expect_rc 12
	expect_json '[.ok, .outcome, .exit_code, .summary.overall_status, [.baseline.new[].title], .baseline.from.task_id]' \
	    '[true,"regressed",12,"Critical",["GPU memory at 91%"],null]'
	expect_err <<EOF
pai-diag: warning: --baseline: the last run of $EAS_ID is not in the history; every issue counts as new
EOF
	sleep 1
	# The same issue again (its number changed): nothing new, exit 0.
	result_world Critical "[$(issue Critical gpu_diag GPU 'GPU memory at 97%'),$(issue Info mem Memory 'ok')]" Run00002
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 --fail-on new
	expect_rc 0
	expect_out_has "Changes since task Run00001"
	[ ! -s "$T/err" ] || fail "stderr:" "$(cat "$T/err")"
	sleep 1
	# A new Warn issue: regressed.
	result_world Warn "[$(issue Warn net Network 'Packet loss')]" Run00003
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 --fail-on new -o json
	expect_rc 12
	expect_json '[.outcome, [.baseline.new[].title], [.baseline.resolved[].title]]' '["regressed",["Packet loss"],["GPU memory at 97%","ok"]]'
	# Errors keep their own exit codes.
	eas_world '"Fail"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 --fail-on new -o json
	expect_rc 6
	expect_json '[.outcome, has("baseline")]' '["diagnosis_failed",false]'
}

# A fleet under --fail-on new: the regressed target decides the exit code.
t_history_fail_on_new_fleet() {
	eas_world '"Success"'
	edit_scenario '.task.per_instance = true | .eas_services += [{"ServiceId": "eas-m-second00001", "Region": "cn-hangzhou"}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" -i eas-m-second00001 --no-setup --poll-interval 0 --fail-on new -o json -j 1
	expect_rc 12
	expect_json '[.outcome, [.runs[] | [.outcome, .exit_code]]]' '["regressed",[["regressed",12],["regressed",12]]]'
	sleep 1
	pd -q -r cn-hangzhou -i "$EAS_ID" -i eas-m-second00001 --no-setup --poll-interval 0 --fail-on new -j 1
	expect_rc 0
	grep -q "^$EAS_ID .*critical" "$T/out" || fail "table:" "$(head -5 "$T/out")"
}
