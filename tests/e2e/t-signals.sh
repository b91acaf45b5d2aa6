# SIGINT and SIGTERM at every step: the running child's whole group dies,
# ai-mode disable still runs when ai-mode enable had succeeded, the resume
# command is printed when a task exists, and the exit code is 130 or 143.

# interrupt_at CMD SIGNAL: hangs aliyun on CMD (with a plugin grandchild),
# signals pai-diag once that call started, and checks the aftermath.
interrupt_at() {
	local cmd=$1 sig=$2 want_rc=$3 gc
	: >"$T/calls.log"
	rm -rf "$T/state"
	mkdir -p "$T/state"
	eas_world '"Running"' ", \"rules\": [{\"cmd\": \"$cmd\", \"grandchild\": true, \"hang\": true}]"
	pd_bg -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0.1 -o json
	wait_for_calls "^$cmd"
	# The simulator writes the grandchild's pid before it hangs.
	local i=0
	while [ ! -s "$T/state/grandchild.pid" ] && [ $i -lt 100 ]; do sleep 0.02; i=$((i + 1)); done
	kill "-$sig" "$PD_PID"
	set +e
	wait "$PD_PID"
	RC=$?
	set -e
	[ "$RC" = "$want_rc" ] || fail "$cmd: exit code $RC, want $want_rc" "$(cat "$T/err")"
	expect_json '[.outcome,.exit_code]' "[\"interrupted\",$want_rc]"
	gc=$(cat "$T/state/grandchild.pid")
	! alive "$gc" || fail "$cmd: grandchild $gc survived"
	if [ "$cmd" = "configure ai-mode enable" ]; then
		! grep -q "ai-mode disable" "$T/calls.log" || fail "disable ran although enable never succeeded"
	else
		tail -n 1 "$T/calls.log" | grep -qx "configure ai-mode disable" ||
		    fail "$cmd: ai-mode disable was not the last call" "$(cat "$T/calls.log")"
	fi
	if [ "$cmd" = "sysom get-diagnosis-result" ]; then
		expect_json '.resume_command' "\"pai-diag --region cn-hangzhou --task-id $TASK\""
		expect_err_has "resume with: pai-diag --region cn-hangzhou --task-id $TASK"
	else
		expect_json '.resume_command' 'null'
	fi
	expect_no_secrets
}

t_sigint_at_every_step() {
	local cmd
	for cmd in "configure ai-mode enable" "configure ai-mode set-user-agent" \
	    "plugin update" "version" "configure set" "configure list" \
	    "sysom initial-sysom" "eas list-services" "sysom invoke-diagnosis" \
	    "sysom get-diagnosis-result"; do
		interrupt_at "$cmd" INT 130
	done
}

t_sigterm_at_some_steps() {
	local cmd
	for cmd in "plugin update" "sysom invoke-diagnosis" "sysom get-diagnosis-result"; do
		interrupt_at "$cmd" TERM 143
	done
}

# A signal during the wait between two polls ends the wait at once.
t_sigint_between_polls() {
	eas_world '"Running"'
	pd_bg -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 30
	wait_for_calls "invoke-diagnosis"
	sleep 0.2
	start=$(date +%s)
	kill -INT "$PD_PID"
	set +e
	wait "$PD_PID"
	RC=$?
	set -e
	[ $(( $(date +%s) - start )) -le 2 ] || fail "the wait was not cut short"
	expect_rc 130
	expect_err <<EOF
pai-diag: error: interrupted; the diagnosis goes on: resume with: pai-diag --region cn-hangzhou --task-id $TASK
EOF
}

# SIGHUP (a closed terminal, a dropped SSH session) is handled as SIGTERM
# is: the child's group dies, AI mode is restored, exit 129.
t_sighup_at_some_steps() {
	local cmd
	for cmd in "plugin update" "eas list-services" "sysom get-diagnosis-result"; do
		interrupt_at "$cmd" HUP 129
	done
	expect_json '.error.message' '"hung up (SIGHUP)"'
}
