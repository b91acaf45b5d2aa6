# The user's AI mode is learnt before step 1 and put back at the end; runs
# at the same time share one setup and one restore.

# ai_mode_is ENABLED USER_AGENT: what ai-mode.json holds now ("" for none).
ai_mode_is() {
	local got
	got=$(jq -c '[.enabled // false, .user_agent // ""]' "$HOME/.aliyun/ai-mode.json")
	[ "$got" = "[$1,\"$2\"]" ] || fail "ai-mode.json: got $got, want [$1,\"$2\"]" "$(cat "$HOME/.aliyun/ai-mode.json")"
}

fresh() {	# another run from scratch: no sim state, no calls, no record
	rm -rf "$T/state" "$HOME/.local/state"
	: >"$T/calls.log"
}

run_calls() {	# the calls after setup, for a healthy EAS run
	initial_call; list_calls; invoke_call; polls 1
}

# AI mode on with the user's own user agent: left on, their agent back.
t_ai_mode_was_on() {
	eas_world '"Success"'
	printf '{"enabled": true, "user_agent": "my-team/1.0"}\n' >"$HOME/.aliyun/ai-mode.json"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	expect_err </dev/null
	{ setup_calls; run_calls; echo "configure ai-mode set-user-agent --user-agent my-team/1.0"; } | expect_calls
	ai_mode_is true my-team/1.0
	# On, without an agent of their own: reset, not disabled.
	fresh
	printf '{"enabled": true}\n' >"$HOME/.aliyun/ai-mode.json"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	{ setup_calls; run_calls; echo "configure ai-mode reset-user-agent"; } | expect_calls
	ai_mode_is true ""
}

# AI mode off with an agent of their own: the agent back, then off.
t_ai_mode_was_off_with_agent() {
	eas_world '"Success"'
	printf '{"enabled": false, "user_agent": "ops bot/2"}\n' >"$HOME/.aliyun/ai-mode.json"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	{ setup_calls; run_calls; echo "configure ai-mode set-user-agent --user-agent 'ops bot/2'"; echo "configure ai-mode disable"; } | expect_calls
	ai_mode_is false "ops bot/2"
	# Never set: off again, no agent.
	fresh
	rm "$HOME/.aliyun/ai-mode.json"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	{ setup_calls; run_calls; restore_calls; } | expect_calls
	ai_mode_is false ""
}

# A show that fails or says nothing readable counts as "was off".
t_ai_mode_show_unreadable() {
	local rule
	for rule in '{"cmd": "configure ai-mode show", "exit_code": 1, "stderr": "ERROR: load ai-mode config failed\n"}' \
	    '{"cmd": "configure ai-mode show", "stdout": "AI mode: on\n"}'; do
		fresh
		printf '{"enabled": true, "user_agent": "mine"}\n' >"$HOME/.aliyun/ai-mode.json"
		eas_world '"Success"' ", \"rules\": [$rule]"
		pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
		expect_rc 11
		{ setup_calls; run_calls; restore_calls; } | expect_calls
		ai_mode_is false ""
	done
}

# Two runs at once: the second joins the first's setup; only the last one
# to end puts AI mode back.
t_ai_mode_shared_by_two_runs() {
	export XDG_STATE_HOME="$T/state-xdg"
	eas_world '"Running","Running","Running","Running","Running","Running","Running","Running","Running","Success"'
	edit_scenario '.task.per_instance = true'
	edit_scenario '.eas_services += [{"ServiceId": "eas-m-second", "ServiceName": "second", "Region": "cn-hangzhou"}]'
	printf '{"enabled": true, "user_agent": "mine"}\n' >"$HOME/.aliyun/ai-mode.json"
	ALIYUN_SIM_LOG="$T/a.log" "$PAI_DIAG" -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0.2 >"$T/a.out" 2>"$T/a.err" &
	local a=$!
	local i=0
	while ! grep -q "get-diagnosis-result" "$T/a.log" 2>/dev/null; do
		i=$((i + 1)); [ $i -le 200 ] || fail "run A never polled"; sleep 0.05
	done
	ALIYUN_SIM_LOG="$T/b.log" "$PAI_DIAG" -q -r cn-hangzhou -i eas-m-second --poll-interval 0.5 >"$T/b.out" 2>"$T/b.err" &
	local b=$!
	set +e
	wait "$a"; local rca=$?
	wait "$b"; local rcb=$?
	set -e
	[ "$rca" = 10 ] || [ "$rca" = 11 ] || fail "run A: exit $rca" "$(cat "$T/a.err")"
	[ "$rcb" = 10 ] || [ "$rcb" = 11 ] || fail "run B: exit $rcb" "$(cat "$T/b.err")"
	grep -q "ai-mode show\|ai-mode enable\|ai-mode set-user-agent --user-agent $UA" "$T/b.log" && fail "run B set AI mode up again:" "$(cat "$T/b.log")"
	[ "$(grep -c 'configure ai-mode' "$T/a.log")" = 3 ] || fail "run A restored although B still ran:" "$(grep ai-mode "$T/a.log")"
	tail -n 1 "$T/b.log" | grep -qx "configure ai-mode set-user-agent --user-agent mine" ||
	    fail "run B, the last, did not put the agent back:" "$(cat "$T/b.log")"
	grep -q "ai-mode disable" "$T/a.log" "$T/b.log" && fail "AI mode was on before: switched off"
	ai_mode_is true mine
	[ -d "$T/state-xdg/pai-diag" ] || fail "no register directory in XDG_STATE_HOME"
	ls "$T/state-xdg/pai-diag" | grep -q '^ai-mode-.*\.json$' && fail "register left behind"
	true
}

# interrupt_restore RULE-CMD: a run whose restore command RULE-CMD hangs,
# interrupted once while polling and once more during that command.
interrupt_restore() {
	eas_world '"Running"' ", \"rules\": [{\"cmd\": \"$1\", \"hang\": true}]"
	pd_bg -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0.2
	wait_for_calls "get-diagnosis-result"
	kill -INT "$PD_PID"
	wait_for_calls "$1"
	sleep 0.2
	kill -INT "$PD_PID"
	wait_rc "$PD_PID"
	expect_rc 130
}

# Given up during the user agent while AI mode was on before: the advice
# is to set their agent back, never to switch AI mode off.
t_ai_mode_on_abandoned_advice() {
	printf '{"enabled": true, "user_agent": "mine"}\n' >"$HOME/.aliyun/ai-mode.json"
	interrupt_restore "configure ai-mode set-user-agent --user-agent mine"
	expect_err <<EOF
pai-diag: warning: could not put your AI mode user agent back; run 'aliyun configure ai-mode set-user-agent --user-agent ...' with your own, or 'aliyun configure ai-mode reset-user-agent' yourself
pai-diag: error: interrupted; the diagnosis goes on: resume with: pai-diag --region cn-hangzhou --task-id $TASK
EOF
	grep -q "ai-mode disable" "$T/calls.log" && fail "AI mode was on before: switched off"
	# Two signals at once: the restore is given up before it starts.
	fresh
	printf '{"enabled": true, "user_agent": "mine"}\n' >"$HOME/.aliyun/ai-mode.json"
	eas_world '"Running"'
	pd_bg -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0.2
	wait_for_calls "get-diagnosis-result"
	kill -INT "$PD_PID"; kill -TERM "$PD_PID"
	wait_rc "$PD_PID"
	[ "$RC" = 130 ] || [ "$RC" = 143 ] || fail "exit $RC" "$(cat "$T/err")"
	expect_err_has "could not put your AI mode user agent back"
	expect_err_lacks "ai-mode disable"
	grep -q "ai-mode disable" "$T/calls.log" && fail "AI mode was on before: switched off"
	true
}

# Given up during reset-user-agent while AI mode was off: the disable was
# never run, and both pieces of advice are given.
t_ai_mode_off_abandoned_advice() {
	interrupt_restore "configure ai-mode reset-user-agent"
	expect_err <<EOF
pai-diag: warning: could not put your AI mode user agent back; run 'aliyun configure ai-mode reset-user-agent' yourself
pai-diag: warning: could not switch aliyun's AI mode off; run 'aliyun configure ai-mode disable' yourself
pai-diag: error: interrupted; the diagnosis goes on: resume with: pai-diag --region cn-hangzhou --task-id $TASK
EOF
	grep -q "ai-mode disable" "$T/calls.log" && fail "disable ran after the second signal"
	true
}

# A run that died (SIGKILL) leaves the register; the next run puts back
# what the user had before the dead one, not what the dead one set.
t_ai_mode_after_a_dead_run() {
	eas_world '"Running"'
	export XDG_STATE_HOME="$T/xdg"
	printf '{"enabled": false, "user_agent": "mine"}\n' >"$HOME/.aliyun/ai-mode.json"
	pd_bg -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0.2
	wait_for_calls "get-diagnosis-result"
	kill -KILL "$PD_PID"
	wait "$PD_PID" || true
	ai_mode_is true "$UA"
	ls "$T/xdg/pai-diag/" | grep -q '^ai-mode-.*\.json$' || fail "no register" "$(ls -la "$T/xdg/pai-diag")"
	rm -rf "$T/state"
	: >"$T/calls.log"
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	# No show: the register says what the user had.
	{ setup_calls | tail -n +2 | grep -vx "plugin update"; run_calls; echo "configure ai-mode set-user-agent --user-agent mine"; echo "configure ai-mode disable"; } | expect_calls
	ai_mode_is false mine
	ls "$T/xdg/pai-diag/" | grep -q '^ai-mode-.*\.json$' && fail "register left after the restore"
	true
}
