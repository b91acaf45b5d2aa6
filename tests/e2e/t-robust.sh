# Hangs, signals, closed streams: the run ends cleanly, no child survives,
# and ai-mode disable still runs.

# Exit 3: a setup step past --call-timeout; the plugin grandchild dies too.
t_setup_call_timeout_kills_group() {
	eas_world '"Success"' ', "rules": [{"cmd": "configure set", "grandchild": true, "hang": true, "ignore_sigterm": true}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --call-timeout 1
	expect_rc 3
	expect_out_empty
	expect_err <<EOF
pai-diag: error: 'aliyun configure set --auto-plugin-install true': no answer within 1 s (--call-timeout); the process group was killed
EOF
	{ setup_calls | head -n 6; restore_calls; } | expect_calls
	gc=$(cat "$T/state/grandchild.pid")
	sleep 0.2
	! alive "$gc" || fail "grandchild $gc survived"
}

# A plugin update past --call-timeout is only a warning: its group dies
# and the diagnosis goes on.
t_plugin_update_timeout_goes_on() {
	eas_world '"Success"' ', "rules": [{"cmd": "plugin update", "grandchild": true, "hang": true, "ignore_sigterm": true}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --call-timeout 1 --poll-interval 0
	expect_rc 11
	expect_err <<EOF
pai-diag: warning: 'aliyun plugin update' failed: no answer within 1 s (--call-timeout); the process group was killed; going on with the plugins installed
EOF
	gc=$(cat "$T/state/grandchild.pid")
	sleep 0.2
	! alive "$gc" || fail "grandchild $gc survived"
}

# Exit 1: a business call past --call-timeout after setup.
t_business_call_timeout() {
	eas_world '"Success"' ', "rules": [{"cmd": "sysom initial-sysom", "hang": true}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --call-timeout 1 -o json
	expect_rc 1
	expect_json '[.outcome,.error.source]' '["internal_error","aliyun"]'
	expect_err <<EOF
pai-diag: error: cannot initialise SysOM: no answer within 1 s (--call-timeout); the process group was killed
EOF
	tail -n 1 "$T/calls.log" | grep -qx "configure ai-mode disable" || fail "no ai-mode disable"
}

# A hung poll counts as a failed poll; the next one succeeds.
t_hung_poll_is_retried() {
	eas_world '"Success"' ', "rules": [{"cmd": "sysom get-diagnosis-result", "times": 1, "hang": true}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --call-timeout 1 --poll-interval 0
	expect_rc 11
	expect_err <<EOF
pai-diag: warning: poll 1 of task $TASK failed: no answer within 1 s (--call-timeout); the process group was killed; retrying
EOF
}

# SIGINT while polling: exit 130, the resume command, ai-mode disable.
t_sigint_while_polling() {
	eas_world '"Running"'
	pd_bg -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0.2 --profile default
	wait_for_calls "get-diagnosis-result"
	kill -INT "$PD_PID"
	wait_rc "$PD_PID"
	expect_rc 130
	expect_out_empty
	expect_err <<EOF
pai-diag: error: interrupted; the diagnosis goes on: resume with: pai-diag --region cn-hangzhou --task-id $TASK --profile default
EOF
	tail -n 1 "$T/calls.log" | grep -qx "configure ai-mode disable" || fail "no ai-mode disable" "$(cat "$T/calls.log")"
}

# SIGTERM during a hung call: the child group is killed at once; exit 143.
t_sigterm_during_hung_call() {
	eas_world '"Running"' ', "rules": [{"cmd": "eas list-services", "grandchild": true, "hang": true}]'
	pd_bg -r cn-hangzhou -i "$EAS_ID" -o json
	wait_for_calls "eas list-services"
	sleep 0.2
	kill -TERM "$PD_PID"
	wait_rc "$PD_PID"
	expect_rc 143
	expect_json '[.outcome,.exit_code,.ok,.task_id,.resume_command]' '["interrupted",143,false,null,null]'
	expect_err_has "pai-diag: error: interrupted"
	tail -n 1 "$T/calls.log" | grep -qx "configure ai-mode disable" || fail "no ai-mode disable"
	gc=$(cat "$T/state/grandchild.pid")
	! alive "$gc" || fail "grandchild $gc survived"
}

# A second SIGINT while ai-mode disable hangs abandons the cleanup at once.
t_second_sigint_abandons_cleanup() {
	eas_world '"Running"' ', "rules": [{"cmd": "configure ai-mode disable", "hang": true}]'
	pd_bg -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0.2
	wait_for_calls "get-diagnosis-result"
	kill -INT "$PD_PID"
	wait_for_calls "configure ai-mode disable"
	sleep 0.2
	start=$(date +%s)
	kill -INT "$PD_PID"
	wait_rc "$PD_PID"
	[ $(( $(date +%s) - start )) -lt 3 ] || fail "cleanup was not abandoned at once"
	expect_rc 130
	expect_err <<EOF
pai-diag: warning: could not switch aliyun's AI mode off; run 'aliyun configure ai-mode disable' yourself
pai-diag: error: interrupted; the diagnosis goes on: resume with: pai-diag --region cn-hangzhou --task-id $TASK
EOF
}

# A failing ai-mode disable warns; the exit code stays the run's.
t_disable_failure_keeps_exit_code() {
	eas_world '"Success"' ', "rules": [{"cmd": "configure ai-mode disable", "exit_code": 1, "stderr": "ERROR: cannot write ai-mode.json\n"}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	expect_err <<EOF
pai-diag: warning: could not switch aliyun's AI mode off; run 'aliyun configure ai-mode disable' yourself
EOF
}

# aliyun killed by a signal mid-call (exit 255 from the host for a plugin).
t_child_killed_by_signal() {
	eas_world '"Success"' ', "rules": [{"cmd": "sysom initial-sysom", "signal": "SEGV"}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" -o json
	expect_rc 1
	expect_json '.outcome' '"internal_error"'
	expect_err_has "killed by signal 11"
}

# Output past the 64 MiB cap is refused cleanly.
t_output_cap() {
	eas_world '"Success"' ', "rules": [{"cmd": "eas list-services", "stdout_bytes": 70000000}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" -o json
	expect_rc 1
	expect_err <<EOF
pai-diag: error: cannot list EAS services: printed more than 64 MiB on one stream; refused
EOF
}

# Garbage where JSON is due: a clear error, no crash.
t_garbage_output() {
	eas_world '"Success"' ', "rules": [{"cmd": "eas list-services", "stdout": "<html><body>502 Bad Gateway</body></html>\n"}, {"cmd": "sysom get-diagnosis-result", "raw_stdout_hex": "7b22636f6465223a0022ff"}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" -o json
	expect_rc 1
	expect_json '.error.message' '"cannot list EAS services: aliyun printed output that is not a JSON document"'
}

# pai-diag | head -1: a closed stdout ends quietly, cleanup included.
t_closed_stdout() {
	eas_world '"Success"'
	set +e
	"$PAI_DIAG" -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 2>"$T/err" | head -n 1 >"$T/out"
	set -e
	expect_out <<EOF
Instance:  $EAS_ID
EOF
	expect_err </dev/null
	tail -n 1 "$T/calls.log" | grep -qx "configure ai-mode disable" || fail "no ai-mode disable"
}

# A full stdout is an error (exit 1), not silence.
t_stdout_full() {
	eas_world '"Success"'
	set +e
	"$PAI_DIAG" -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 >/dev/full 2>"$T/err"
	RC=$?
	set -e
	expect_rc 1
	expect_err <<EOF
pai-diag: error: cannot write the report: No space left on device
EOF
}

# fds 0-2 closed at start do not break the capture of the children.
t_closed_std_fds() {
	eas_world '"Success"'
	set +e
	"$PAI_DIAG" -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json --fail-on never <&- 2>&- >"$T/out"
	RC=$?
	set -e
	expect_rc 0
	expect_json '.outcome' '"critical"'
}
