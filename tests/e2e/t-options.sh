# Options: every bad value is a usage error before any aliyun call, JSON on
# usage errors, the time window, the description, uid, help and version.

# usage ERROR-LINE ARGS...: exit 2, the error, the hint, no aliyun call.
usage() {
	local want=$1
	shift
	: >"$T/calls.log"
	pd "$@"
	expect_rc 2
	expect_out_empty
	printf 'pai-diag: error: %s\ntry '"'"'pai-diag --help'"'"'\n' "$want" | expect_err
	expect_no_calls
}

t_usage_errors() {
	usage "--region is required (or give the target as $EAS_ID@REGION)" -i "$EAS_ID"
	usage "--instance (or --task-id) is required" -r cn-hangzhou
	usage "region 'CN-Hangzhou' must be lower case" -r CN-Hangzhou -i "$EAS_ID"
	usage "region must not start with '-'" -r -x -i "$EAS_ID"
	usage "instance id 'eas;rm -rf' contains ';'" -r cn-hangzhou -i 'eas;rm -rf'
	usage "instance id 'a\$(id)' contains '\$'" -r cn-hangzhou -i 'a$(id)'
	usage "instance id must not start with '-'" -r cn-hangzhou --instance=-eas-m-x
	usage "instance id 'eas-m=x' contains '='" -r cn-hangzhou -i eas-m=x
	usage "instance id 'eas-m x' contains a space" -r cn-hangzhou -i 'eas-m x'
	usage "instance id is longer than 128 characters" -r cn-hangzhou -i "eas-$(printf 'x%.0s' $(seq 300))"
	usage "instance id contains 'é' (U+00E9)" -r cn-hangzhou -i 'eas-m-café'
	usage "--product must be EAS or DLC, not 'ECS'" -r cn-hangzhou -i "$EAS_ID" -p ECS
	usage "--max-polls must be a whole number from 1 to 10000, not '1e99'" -r cn-hangzhou -i "$EAS_ID" --max-polls 1e99
	usage "--max-polls must be a whole number from 1 to 10000, not '0'" -r cn-hangzhou -i "$EAS_ID" --max-polls 0
	usage "--poll-interval: '-1' is not a decimal number of seconds" -r cn-hangzhou -i "$EAS_ID" --poll-interval -1
	usage "--poll-interval: '3601' is out of range (0 to 3600)" -r cn-hangzhou -i "$EAS_ID" --poll-interval 3601
	usage "--call-timeout: '0' is out of range (1 to 3600)" -r cn-hangzhou -i "$EAS_ID" --call-timeout 0
	usage "--uid: uid must be 1 to 20 digits" -r cn-hangzhou -i "$EAS_ID" --uid 99999999999999999999999
	usage "--uid: uid is larger than 18446744073709551615" -r cn-hangzhou -i "$EAS_ID" --uid 18446744073709551616
	usage "--uid: uid must not start with 0" -r cn-hangzhou -i "$EAS_ID" --uid 0123
	usage "--since: duration '0s' is zero (use --realtime for a real-time diagnosis)" -r cn-hangzhou -i "$EAS_ID" --since 0s
	usage "--since: duration '31d' is longer than 30 days" -r cn-hangzhou -i "$EAS_ID" --since 31d
	usage "--since cannot be combined with --start or --end" -r cn-hangzhou -i "$EAS_ID" --since 2h --start 1755680400
	usage "--end needs --start" -r cn-hangzhou -i "$EAS_ID" --end 1755680400
	usage "--start must be before --end" -r cn-hangzhou -i "$EAS_ID" --start 1755689400 --end 1755680400
	usage "--start 0 means real-time; use --realtime" -r cn-hangzhou -i "$EAS_ID" --start 0
	usage "--end is in the future" -r cn-hangzhou -i "$EAS_ID" --start 1755680400 --end 99999999999
	usage "--start: time '2026-02-30 10:00' is not a valid date and time" -r cn-hangzhou -i "$EAS_ID" --start '2026-02-30 10:00'
	usage "--description: description contains ','; only English letters, digits, spaces and _ . ~ - are accepted" -r cn-hangzhou -i "$EAS_ID" --description 'GPU OOM, restarts'
	usage "--description: description contains '显' (U+663E); only English letters, digits, spaces and _ . ~ - are accepted" -r cn-hangzhou -i "$EAS_ID" --description '显存不足'
	usage "--output must be text, json, markdown or junit, not 'yaml'" -r cn-hangzhou -i "$EAS_ID" -o yaml
	usage "--fail-on must be never, warn, critical or new, not 'info'" -r cn-hangzhou -i "$EAS_ID" --fail-on info
	usage "--color must be auto, always or never, not 'red'" -r cn-hangzhou -i "$EAS_ID" --color red
	usage "--quiet and --verbose cannot be combined" -r cn-hangzhou -i "$EAS_ID" -q -v
	usage "unknown or ambiguous option '--frobnicate'" -r cn-hangzhou -i "$EAS_ID" --frobnicate
	usage "unknown option '-x'" -r cn-hangzhou -i "$EAS_ID" -x
	usage "option '--region' needs a value" --region
	usage "unexpected argument 'extra'" -r cn-hangzhou -i "$EAS_ID" extra
	usage "task id is longer than 64 characters" -r cn-hangzhou --task-id "$(printf 'a%.0s' $(seq 65))"
	usage "--jobs applies to several targets only" -r cn-hangzhou -i "$EAS_ID" -j 2
	usage "--jobs must be a whole number from 1 to 64, not '65'" -r cn-hangzhou -i "$EAS_ID" -i "$DLC_ID" -j 65
	usage "--instance: instance id 'a;b' contains ';'" -r cn-hangzhou -i "$EAS_ID" -i 'a;b'
	usage "--discover-status needs --discover" -r cn-hangzhou -i "$EAS_ID" -i "$DLC_ID" --discover-status Failed
	usage "--task-id attaches to a task as it was started; --product, --description, --uid and the time options apply only with --instance" -r cn-hangzhou --task-id a --since 2h
	usage "--task-id attaches to a task as it was started; --product, --description, --uid and the time options apply only with --instance" -r cn-hangzhou --task-id a -p EAS
	usage "profile must not start with '-'" -r cn-hangzhou -i "$EAS_ID" --profile -x
	usage "profile 'a/b' contains '/'" -r cn-hangzhou -i "$EAS_ID" --profile a/b
}

# Control characters in a value are named, never echoed.
t_usage_error_control_chars() {
	pd -r cn-hangzhou -i $'eas-m-\033[31mx'
	expect_rc 2
	expect_err <<EOF
pai-diag: error: instance id contains a control character (0x1b)
try 'pai-diag --help'
EOF
}

# --output json in any spelling gets the envelope, even on usage errors.
t_json_on_usage_error() {
	for spelling in "-o json" "-ojson" "--output json" "--output=json" "-qo json"; do
		# shellcheck disable=SC2086 # the spelling is split on purpose
		pd -r cn-hangzhou -i foo $spelling
		expect_rc 2
		expect_json '[.schema_version,.ok,.outcome,.exit_code,.region,.instance,.product,.mode,.start_time,.task_id,.summary,.result,.error.code,.error.source,.warnings]' \
		    '[1,false,"usage_error",2,null,null,null,null,null,null,null,null,"usage_error","pai-diag",[]]'
		expect_json '.error.message' '"cannot tell the product of '"'"'foo'"'"' from its prefix; give --product EAS or --product DLC"'
		expect_err <<EOF
pai-diag: error: cannot tell the product of 'foo' from its prefix; give --product EAS or --product DLC
EOF
	done
	# A prefix of --output that getopt finds ambiguous still asks for JSON.
	pd -r cn-hangzhou -i "$EAS_ID" --outp=json
	expect_rc 2
	expect_json '.error.message' '"unknown or ambiguous option '"'"'--outp=json'"'"'"'
	pd -r cn-hangzhou -i "$EAS_ID" -o json --max-polls x
	expect_rc 2
	expect_json '.outcome' '"usage_error"'
	expect_no_calls
}

# A full JSON envelope of a successful run.
t_json_envelope() {
	eas_world '"Running","Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --uid 12345678901234567 -o json
	expect_rc 11
	expect_json '[.schema_version,.ok,.outcome,.exit_code,.region,.instance,.product,.mode,.start_time,.end_time,.task_id,.attached,.status,.polls,.resume_command,.error,.warnings]' \
	    '[1,true,"critical",11,"cn-hangzhou","eas-m-bp79exq2lzbd0ctdfu","EAS","realtime",0,0,"Vq7mZ2xK",false,"Success",2,"pai-diag --region cn-hangzhou --task-id Vq7mZ2xK",null,[]]'
	expect_json '.summary.overall_status' '"Critical"'
	expect_json '.summary.suggestions|length' '4'
	expect_json '[.issues[].severity]' '["Critical","Warn","Info"]'
	expect_json '.result.issues[0].metrics.gpu_mem_used_gib' '79.6'
	expect_json '.result.diagnose_mode' '"realtime"'
	# The uid keeps every digit (no double rounding).
	grep -q '"uid":12345678901234567}' "$T/calls.log" || fail "uid not exact:" "$(grep invoke "$T/calls.log")"
}

# --task-id attaches: no validation, no invoke, immediate first poll;
# instance, product and mode come from the echoed params.
t_task_id_attach() {
	eas_world '"Success"'
	pd -q -r cn-hangzhou --task-id "$TASK" --poll-interval 5 -o json
	expect_rc 11
	expect_json '[.attached,.polls,.instance,.product,.mode]' '[true,1,"eas-m-bp79exq2lzbd0ctdfu","EAS","realtime"]'
	{ setup_calls; poll_call; restore_calls; } | expect_calls
}

# A task id that does not exist: exit 6 with the service's code.
t_task_id_unknown() {
	eas_world '"Success"'
	pd -q -r cn-hangzhou --task-id NoSuchTask --no-setup -o json
	expect_rc 6
	expect_json '[.outcome,.error.source,.error.code,.task_id,.polls]' '["diagnosis_failed","sysom","Sysom.InvalidParameter","NoSuchTask",1]'
	: >"$T/calls.log"
	pd -q -r cn-hangzhou --task-id NoSuchTask --no-setup
	expect_rc 6
	expect_err_has "pai-diag: error: task NoSuchTask is unknown to SysOM in region cn-hangzhou for this account (profile 'default'): check the region, the profile and the id in the earlier run's resume command; SysOM said: Sysom.InvalidParameter"
	expect_err_has "task not found"
	printf '%s\n' version "configure list" "sysom get-diagnosis-result --task-id NoSuchTask --user-agent $UA" | expect_calls
}

# --since gives a window ending now; --realtime wins over a window, with a warning.
t_time_windows() {
	eas_world '"Success"'
	now=$(date +%s)
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --since 2h -o json
	expect_rc 11
	expect_json '.mode' '"historical"'
	s=$(jq .start_time "$T/out"); e=$(jq .end_time "$T/out")
	[ $((e - s)) = 7200 ] && [ $((e - now)) -ge 0 ] && [ $((e - now)) -le 5 ] || fail "window $s..$e, now $now"
	grep -q "\"start_time\":$s,\"end_time\":$e," "$T/calls.log" || fail "params window differs"
	rm -rf "$T/state"; : >"$T/calls.log"
	pd -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --since 2h --realtime -o json -q
	expect_json '[.mode,.start_time,.end_time,.warnings]' '["realtime",0,0,["--realtime wins: the time window is ignored and the diagnosis is real-time"]]'
	grep -q '"start_time":0,"end_time":0,' "$T/calls.log" || fail "params not real-time"
}

# A description that mentions a past time without a window warns.
t_past_time_warning() {
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --description "restarted last night" -o json
	expect_rc 11
	expect_json '.warnings' '["the description mentions a past time, but no window was given: this runs a real-time diagnosis; for the past, add --since or --start"]'
	expect_err <<EOF
pai-diag: warning: the description mentions a past time, but no window was given: this runs a real-time diagnosis; for the past, add --since or --start
EOF
	grep -q '"ocd_description":"restarted_last_night"' "$T/calls.log" || fail "description not sent"
}

# Progress goes to stderr, one plain line per poll off a terminal.
t_progress_lines() {
	eas_world '"Ready","Running","Success"'
	pd -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	expect_err_has "pai-diag: task $TASK: Ready (poll 1/60, "
	expect_err_has "pai-diag: task $TASK: Running (poll 2/60, "
	expect_err_has "pai-diag: task $TASK: Success (poll 3/60, "
	expect_err_has "pai-diag: validating EAS $EAS_ID in cn-hangzhou"
	grep -q "pai-diag" "$T/out" && fail "progress on stdout"
	true
}

# --verbose shows every command with its duration, redacted.
t_verbose_commands() {
	eas_world '"Success"'
	pd -v -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	expect_err_has "pai-diag: run: aliyun version ("
	expect_err_has "pai-diag: run: aliyun sysom get-diagnosis-result --task-id $TASK --user-agent $UA ("
	[ "$(grep -c '^pai-diag: run: aliyun ' "$T/err")" = "$(wc -l <"$T/calls.log")" ] || fail "not every command shown"
	expect_no_secrets
}

t_help_and_version() {
	pd --help
	expect_rc 0
	expect_out_has "usage: pai-diag --region REGION --instance ID"
	expect_out_has "  130  interrupted by SIGINT (143: SIGTERM, 129: SIGHUP); the task goes on"
	expect_err </dev/null
	# Every long option of the table is in the help.
	for opt in aliyun call-timeout color description end fail-on help instance max-polls no-setup output poll-interval product profile quiet realtime region since start task-id uid verbose version; do
		expect_out_has "--$opt"
	done
	pd --version
	expect_rc 0
	expect_out <<EOF
pai-diag 0.1.0
EOF
	expect_no_calls
}

# Colour only when asked (or on a terminal), and never with --color never.
t_color() {
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --color always
	expect_out_has $'Overall status: \033[1;31mCritical\033[0m'
	rm -rf "$T/state"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	grep -q $'\033' "$T/out" && fail "colour off a terminal"
	true
}
