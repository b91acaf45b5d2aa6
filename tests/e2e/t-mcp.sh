# `pai-diag mcp`: the MCP server on stdio, driven by JSON-RPC lines against
# the simulator.  Each test writes the client's messages to $T/in, runs the
# server on them (it ends at EOF) and reads its answers, one JSON message a
# line, from $T/out.

# The client's side of the handshake.
hello() {
	echo '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}'
	echo '{"jsonrpc":"2.0","method":"notifications/initialized"}'
}

# call ID TOOL ARGS [META]: a tools/call request.
call() {
	printf '{"jsonrpc":"2.0","id":%s,"method":"tools/call","params":{"name":"%s","arguments":%s%s}}\n' \
	    "$1" "$2" "$3" "${4:+,\"_meta\":$4}"
}

# serve [OPTIONS...]: the server on the messages in $T/in, to EOF; with
# HOLD=SECONDS, stdin stays open that long after them (stdin that ends
# during a wait ends the wait).
serve() {
	if [ -n "${HOLD:-}" ]; then
		pd mcp "$@" < <(cat "$T/in"; sleep "$HOLD")
	else
		pd mcp "$@" <"$T/in"
	fi
}

# expect_answer ID FILTER WANT: jq FILTER of the answer to request ID.
expect_answer() {
	local got
	got=$(jq -c "select(.id == $1) | $2" "$T/out" 2>&1) ||
	    fail "stdout is not JSON lines: $got" "$(head -c 2000 "$T/out")"
	[ "$got" = "$3" ] || fail "answer $1, $2: got $got, want $3"
}

# expect_lines N: stdout has N messages, each one line of JSON-RPC 2.0.
expect_lines() {
	local n
	n=$(wc -l <"$T/out")
	[ "$n" = "$1" ] || fail "$n messages, want $1:" "$(cut -c1-200 "$T/out")"
	jq -e -s 'all(.jsonrpc == "2.0")' "$T/out" >/dev/null ||
	    fail "not every line is a JSON-RPC message:" "$(cut -c1-200 "$T/out")"
}

# A full run: setup, step 7, one target started, its polls, the restore.
run_calls() {
	setup_calls
	initial_call
	list_calls
	invoke_call
	polls "$1"
	restore_calls
}

t_mcp_handshake() {
	{
		hello
		echo '{"jsonrpc":"2.0","id":"b","method":"initialize","params":{"protocolVersion":"1999-01-01"}}'
		echo '{"jsonrpc":"2.0","id":"c","method":"initialize","params":{"protocolVersion":"2024-11-05"}}'
		echo '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
		echo '{"jsonrpc":"2.0","id":2,"method":"ping"}'
	} >"$T/in"
	serve
	expect_rc 0
	expect_lines 5
	expect_answer 0 '.result | [.protocolVersion, .capabilities, .serverInfo.name]' '["2025-06-18",{"tools":{}},"pai-diag"]'
	expect_answer '"b"' '.result.protocolVersion' '"2025-06-18"'
	expect_answer '"c"' '.result.protocolVersion' '"2024-11-05"'
	expect_answer 1 '[.result.tools[].name]' '["diagnose","wait","result","doctor","plan","history","diff"]'
	expect_answer 1 '[.result.tools[] | .inputSchema.type == "object" and .outputSchema.type == "object" and (.description | length > 20)] | all' 'true'
	expect_answer 1 '.result.tools[1].inputSchema.properties.timeout_seconds.maximum' '50'
	expect_answer 2 '.result' '{}'
	expect_no_calls
}

# diagnose starts the task and answers at once; wait polls it to the end
# and answers with the envelope of -o json; EOF restores AI mode.
t_mcp_diagnose_wait() {
	eas_world '"Running","Running","Success"'
	{
		hello
		call 1 diagnose "{\"region\":\"cn-hangzhou\",\"instances\":[\"$EAS_ID\"]}"
		call 2 wait "{\"task_ids\":[\"$TASK@cn-hangzhou\"],\"poll_interval\":0}"
	} >"$T/in"
	serve
	expect_rc 0
	expect_lines 3
	expect_answer 1 '.result | [.isError, .structuredContent]' "[false,{\"tasks\":[{\"instance\":\"$EAS_ID\",\"region\":\"cn-hangzhou\",\"product\":\"EAS\",\"task_id\":\"$TASK\",\"task\":\"$TASK@cn-hangzhou\",\"attached\":false}],\"started\":1}]"
	expect_answer 1 '.result.content' "[{\"type\":\"text\",\"text\":\"started 1 of 1: $EAS_ID: $TASK@cn-hangzhou; call wait with the tasks\"}]"
	expect_answer 2 '.result.structuredContent | [.done, (.tasks[0] | .status, .polls, .outcome, .exit_code)]' '[true,"done",3,"critical",11]'
	expect_answer 2 '.result.content[0].text' "\"$TASK@cn-hangzhou: critical\""
	jq -c 'select(.id == 2) | .result.structuredContent.tasks[0].envelope' "$T/out" >"$T/env"
	jq -e '.ok == true and .task_id == "Vq7mZ2xK" and .summary.overall_status == "Critical" and (.issues | length) == 3' "$T/env" >/dev/null ||
	    fail "envelope:" "$(head -c 1000 "$T/env")"
	/usr/bin/python3 tests/e2e/check-envelope.py docs/envelope.schema.json "$T/env" ||
	    fail "the envelope does not conform to docs/envelope.schema.json"
	run_calls 3 | expect_calls
}

# diagnose never polls: with the task still running it answers at once,
# and the server ends on EOF with AI mode put back.
t_mcp_diagnose_returns_at_once() {
	eas_world '"Running","Running","Running","Running","Running","Running"'
	{
		hello
		call 1 diagnose "{\"region\":\"cn-hangzhou\",\"instance\":\"$EAS_ID\",\"since\":\"2h\",\"description\":\"slow\"}"
	} >"$T/in"
	SECONDS=0
	serve --poll-interval 30
	expect_rc 0
	[ "$SECONDS" -lt 10 ] || fail "diagnose took $SECONDS s"
	expect_answer 1 '.result.structuredContent.started' '1'
	! grep -q get-diagnosis-result "$T/calls.log" || fail "diagnose polled:" "$(cat "$T/calls.log")"
	tail -n 2 "$T/calls.log" | diff - <(restore_calls) >/dev/null ||
	    fail "AI mode is not restored last:" "$(tail -n 3 "$T/calls.log")"
	grep -q '"start_time":[1-9]' "$T/calls.log" || fail "the window was not sent:" "$(grep invoke "$T/calls.log")"
}

# Three targets (and one not found) in two diagnose calls: one setup,
# one restore.
t_mcp_one_setup() {
	eas_world '"Success"'
	{
		hello
		call 1 diagnose "{\"region\":\"cn-hangzhou\",\"instances\":[\"$EAS_ID\",\"eas-m-bp79exq2lzbd0ctd77@cn-hangzhou\",\"eas-m-nope00001\"]}"
		call 2 diagnose "{\"instances\":[\"$DLC_ID@cn-hangzhou\"]}"
	} >"$T/in"
	serve
	expect_rc 0
	expect_answer 1 '.result.structuredContent | [.started, .tasks[2].outcome, .tasks[2].exit_code]' '[2,"invalid_target",5]'
	expect_answer 1 '.result.isError' 'false'
	expect_answer 2 '.result.structuredContent | [.started, .tasks[0].product]' '[1,"DLC"]'
	local cmd n
	for cmd in "configure ai-mode enable" "configure ai-mode set-user-agent" \
	    "plugin update" "configure list" "sysom initial-sysom" \
	    "configure ai-mode disable"; do
		n=$(grep -c "^$cmd" "$T/calls.log")
		[ "$n" = 1 ] || fail "'$cmd' ran $n times" "$(cat "$T/calls.log")"
	done
	n=$(grep -c "^sysom invoke-diagnosis" "$T/calls.log")
	[ "$n" = 3 ] || fail "$n invokes, want 3"
	tail -n 1 "$T/calls.log" | grep -qx "configure ai-mode disable" || fail "ai-mode disable is not last"
}

# A task still running when the wait's time is up: its status and polls,
# and a progress notification after each poll round.
t_mcp_wait_running() {
	eas_world '"Running"'
	{
		hello
		call 1 wait "{\"task_id\":\"$TASK\",\"region\":\"cn-hangzhou\",\"poll_interval\":0.2,\"timeout_seconds\":1}" '{"progressToken":"tok-1"}'
		echo '{"jsonrpc":"2.0","id":2,"method":"ping"}'
	} >"$T/in"
	HOLD=2 serve
	expect_rc 0
	expect_answer 1 '.result.structuredContent | [.done, .tasks[0].status, .tasks[0].task_status]' '[false,"running","Running"]'
	local polls notes
	polls=$(jq 'select(.id == 1) | .result.structuredContent.tasks[0].polls' "$T/out")
	notes=$(jq -s '[.[] | select(.method == "notifications/progress" and .params.progressToken == "tok-1")] | length' "$T/out")
	[ "$polls" -ge 2 ] && [ "$polls" -le 7 ] || fail "$polls polls in 1 s at 0.2 s"
	[ "$notes" = "$polls" ] || fail "$notes progress notifications for $polls polls"
	jq -e -s '[.[] | select(.method) | .params.progress] | . == (. | sort) and .[0] == 1' "$T/out" >/dev/null ||
	    fail "progress does not grow:" "$(grep progress "$T/out")"
	expect_out_has '"message":"poll 1: 0 of 1 done; Vq7mZ2xK Running"'
	# The ping that came during the wait is answered after it.
	tail -n 1 "$T/out" | jq -e '.id == 2 and .result == {}' >/dev/null ||
	    fail "the ping is not answered last:" "$(tail -n 2 "$T/out" | cut -c1-200)"
	[ "$(grep -c get-diagnosis-result "$T/calls.log")" = "$polls" ] || fail "polls and calls differ"
	# Never set up, so nothing to restore.
	! grep -q "ai-mode" "$T/calls.log" || fail "AI mode touched:" "$(cat "$T/calls.log")"
}

# result: a finished task from the history (no call), else one poll.
t_mcp_result() {
	eas_world '"Success"'
	{
		hello
		call 1 wait "{\"task_ids\":[\"$TASK@cn-hangzhou\"],\"poll_interval\":0}"
		call 2 result "{\"task_id\":\"$TASK\"}"
		call 3 result '{"task_id":"OtherTask1@cn-hangzhou"}'
	} >"$T/in"
	serve
	expect_rc 0
	expect_answer 2 '.result.structuredContent.tasks[0] | [.status, .source, .outcome, .envelope.task_id]' '["done","history","critical","Vq7mZ2xK"]'
	expect_answer 3 '.result.structuredContent.tasks[0] | [.task_id, .status, .source, .polls]' '["OtherTask1","done","poll",1]'
	[ "$(grep -c get-diagnosis-result "$T/calls.log")" = 2 ] || fail "calls:" "$(cat "$T/calls.log")"
}

# Protocol errors are JSON-RPC errors; a bad tool argument is one too, or a
# tool result with isError; none of them ends the server.
t_mcp_errors() {
	eas_world
	{
		echo 'not json'
		echo '[{"jsonrpc":"2.0","id":1,"method":"ping"}]'
		echo '{"id":2,"method":"ping"}'
		echo '{"jsonrpc":"2.0","id":3,"method":"resources/list"}'
		echo '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"nope","arguments":{}}}'
		call 5 diagnose '{"instances":5}'
		call 6 wait '{"task_id":"Vq7mZ2xK","timeout_seconds":99}'
		call 7 diagnose '{"region":"cn-hangzhou","instance":"not-an-id"}'
		call 8 wait '{"task_id":"Vq7mZ2xK"}'
		echo '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":"x"}'
		echo '{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}'
		printf '{"jsonrpc":"2.0","id":10,"method":"ping","params":{"pad":"%s"}}\n' "$(head -c 1100000 /dev/zero | tr '\0' x)"
		echo '{"jsonrpc":"2.0","method":"nope/notification"}'
		echo '{"jsonrpc":"2.0","id":11,"method":"ping"}'
	} >"$T/in"
	serve
	expect_rc 0
	expect_lines 13
	[ "$(jq -c 'select(.id == null) | .error.code' "$T/out" | tr '\n' ' ')" = '-32700 -32600 -32600 -32600 ' ] ||
	    fail "errors without an id:" "$(jq -c 'select(.id == null)' "$T/out")"
	expect_answer 2 '.error.code' '-32600'
	expect_answer 3 '.error.code' '-32601'
	expect_answer 4 '.error | [.code, .message]' '[-32602,"unknown tool"]'
	expect_answer 5 '.error | [.code, .message]' '[-32602,"instances must be an array of strings"]'
	expect_answer 6 '.error.code' '-32602'
	expect_answer 7 '.result | [.isError, (.content[0].text | test("not-an-id"))]' '[true,true]'
	expect_answer 8 '.result | [.isError, .content[0].text]' '[true,"usage_error: --region is required (or give the target as Vq7mZ2xK@REGION)"]'
	expect_answer 9 '.error.code' '-32602'
	expect_answer 11 '.result' '{}'
	! grep -q '"id":10' "$T/out" || fail "the overlong line was answered"
	# A diagnose whose every target is wrong sets nothing up.
	expect_no_calls
}

# A secret in a result never reaches the client (pd checks stdout).
t_mcp_masks_secrets() {
	eas_world '"Success"'
	edit_scenario '.task.result.summary.root_cause = "key LTAI5tFakeKeyId0000000001 secret FakeSecretNeverPrinted0000000001" | .task.result.issues[0].detail = "AccessKeySecret=FakeSecretNeverPrinted0000000001"'
	{
		hello
		call 1 diagnose "{\"region\":\"cn-hangzhou\",\"instance\":\"$EAS_ID\"}"
		call 2 wait "{\"task_ids\":[\"$TASK@cn-hangzhou\"],\"poll_interval\":0}" '{"progressToken":"secret-token-1"}'
		call 3 result "{\"task_id\":\"$TASK@cn-hangzhou\"}"
	} >"$T/in"
	serve
	expect_rc 0
	expect_answer 2 '.result.structuredContent.tasks[0].envelope.summary.root_cause | test("LTAI|FakeSecret")' 'false'
	expect_answer 3 '.result.structuredContent.tasks[0].envelope.summary.root_cause | test("LTAI|FakeSecret")' 'false'
	# The client's own token comes back as it was sent.
	jq -e -s 'any(.params.progressToken == "secret-token-1")' "$T/out" >/dev/null ||
	    fail "the progress token was changed:" "$(grep progress "$T/out")"
}

t_mcp_doctor_plan_history() {
	eas_world '"Success"'
	{
		hello
		call 1 doctor '{}'
		call 2 plan "{\"region\":\"cn-hangzhou\",\"instances\":[\"$EAS_ID\",\"bad id\"]}"
		call 3 diagnose "{\"region\":\"cn-hangzhou\",\"instance\":\"$EAS_ID\"}"
		call 4 wait "{\"task_id\":\"$TASK@cn-hangzhou\",\"poll_interval\":0}"
		call 5 history "{\"instance\":\"$EAS_ID@cn-hangzhou\"}"
		call 6 diff "{\"a\":\"$TASK\",\"b\":\"last\",\"instance\":\"$EAS_ID\"}"
		call 7 diff '{"a":"last","b":"previous"}'
	} >"$T/in"
	serve
	expect_rc 0
	expect_answer 1 '.result.structuredContent | [.doctor, .ok]' '[true,true]'
	expect_answer 2 '.result.structuredContent.plans | [.[0].dry_run, (.[0].commands | length > 5), .[1].outcome]' '[true,true,"usage_error"]'
	expect_answer 5 '.result.structuredContent.history | [length, .[0].task_id]' '[1,"Vq7mZ2xK"]'
	expect_answer 6 '.result.structuredContent | [.diff, (.new | length), (.persisting | length)]' '[true,0,3]'
	expect_answer 7 '.result | [.isError, .content[0].text]' '[true,"diff last needs the instance"]'
}

# The restore also runs on SIGTERM, with the task left running.
t_mcp_sigterm_restores() {
	eas_world '"Running"'
	mkfifo "$T/fifo"
	"$PAI_DIAG" mcp <"$T/fifo" >"$T/out" 2>"$T/err" &
	PD_PID=$!
	exec 3>"$T/fifo"
	{ hello; call 1 diagnose "{\"region\":\"cn-hangzhou\",\"instance\":\"$EAS_ID\"}"; } >&3
	wait_for_calls "invoke-diagnosis"
	local i=0
	until grep -q '"id":1' "$T/out"; do
		i=$((i + 1)); [ $i -le 200 ] || fail "no answer to diagnose"; sleep 0.05
	done
	kill -TERM "$PD_PID"
	wait_rc "$PD_PID"
	exec 3>&-
	expect_rc 143
	restore_calls | diff - <(tail -n 2 "$T/calls.log") >/dev/null ||
	    fail "AI mode not restored:" "$(cat "$T/calls.log")"
}

t_mcp_usage() {
	pd mcp --instance "$EAS_ID" </dev/null
	expect_rc 2
	expect_err_has "mcp takes only --aliyun, --profile, --poll-interval, --max-rate and --no-setup, not --instance"
	expect_out_empty
	pd mcp --no-setup --poll-interval 0 --profile default </dev/null
	expect_rc 0
	expect_out_empty
	expect_no_calls
}

# --no-setup: aliyun's configuration is left alone.
t_mcp_no_setup() {
	eas_world '"Success"'
	{
		hello
		call 1 diagnose "{\"region\":\"cn-hangzhou\",\"instance\":\"$EAS_ID\"}"
	} >"$T/in"
	serve --no-setup
	expect_rc 0
	expect_answer 1 '.result.structuredContent.started' '1'
	! grep -q "ai-mode\|^plugin\|^configure set" "$T/calls.log" || fail "setup ran:" "$(cat "$T/calls.log")"
}

# A poll that fails (throttled) leaves the task running, with the warning;
# the third in a row ends it as the CLI does (internal error, exit 1).
t_mcp_failed_polls() {
	# A transient failure (a throttled answer is no failure: t-rate.sh).
	local rule='{"cmd":"sysom get-diagnosis-result","times":TIMES,"error":{"form":"plugin","http":500,"body":{"RequestId":"R-T","Code":"InternalError","Message":"The request processing has failed."}}}'
	eas_world '"Running","Success"' ", \"rules\": [${rule/TIMES/2}]"
	{
		hello
		call 1 wait "{\"task_id\":\"$TASK@cn-hangzhou\",\"poll_interval\":0,\"timeout_seconds\":0}"
		call 2 wait "{\"task_id\":\"$TASK@cn-hangzhou\",\"poll_interval\":0}"
	} >"$T/in"
	serve
	expect_rc 0
	expect_answer 1 '.result.structuredContent.tasks[0] | [.status, (.warning | test("poll 1 of task Vq7mZ2xK failed: .*InternalError"))]' '["running",true]'
	expect_answer 2 '.result.structuredContent.tasks[0] | [.status, .polls, .outcome]' '["done",3,"critical"]'
	rm -rf "$T/state" && mkdir "$T/state"
	eas_world '"Running","Success"' ", \"rules\": [${rule/TIMES/0}]"
	serve
	expect_answer 2 '.result.structuredContent.tasks[0] | [.status, .polls, .outcome, .exit_code, .envelope.error.message]' \
	    '["done",3,"internal_error",1,"3 polls of task Vq7mZ2xK failed in a row: poll 3 of task Vq7mZ2xK failed: InternalError: The request processing has failed. (request id R-T); retrying"]'
}

# A wait the client cancels ends at once, unanswered (MCP: a cancelled
# request gets no answer); the server goes on.  One whose stdin ends
# answers at once.
t_mcp_cancel() {
	eas_world '"Running"'
	{
		hello
		call '"w-1"' wait "{\"task_id\":\"$TASK@cn-hangzhou\",\"poll_interval\":0.2,\"timeout_seconds\":30}"
		echo '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"w-1","reason":"user"}}'
		echo '{"jsonrpc":"2.0","id":2,"method":"ping"}'
	} >"$T/in"
	SECONDS=0
	serve
	expect_rc 0
	[ "$SECONDS" -lt 10 ] || fail "the cancelled wait went on for $SECONDS s"
	! grep -q '"id":"w-1"' "$T/out" || fail "the cancelled wait was answered"
	expect_answer 2 '.result' '{}'
	expect_lines 2
	expect_err_has "mcp: wait cancelled by the client"
	{ hello; call 1 wait "{\"task_id\":\"$TASK@cn-hangzhou\",\"poll_interval\":0.2,\"timeout_seconds\":30}"; } >"$T/in"
	SECONDS=0
	serve
	[ "$SECONDS" -lt 10 ] || fail "the wait went on for $SECONDS s after EOF"
	expect_answer 1 '.result.structuredContent | [.done, .tasks[0].polls]' '[false,1]'
}
