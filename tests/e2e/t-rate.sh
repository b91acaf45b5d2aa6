# The run's API rate budget (--max-rate), throttling (retried with backoff,
# never a failed poll, counted in the envelope) and --max-wait, against the
# simulator's rate limit (`throttle`) and canned throttling answers.

INFO_RESULT='{"summary":{"overall_status":"Info","root_cause":"all good","suggestions":[]},"issues":[]}'

# rate_world N [THROTTLE-JSON]: N EAS services eas-m-rate0001.., a task per
# instance answering Success with an Info result at the first poll, and
# the simulator's rate limit when given.
rate_world() {
	local n=$1 throttle=${2:-null}
	jq -n --argjson n "$n" --argjson th "$throttle" --argjson res "$INFO_RESULT" '
	    {eas_services: [range(1; $n + 1) | {ServiceId: ("eas-m-rate\(. | tostring | ("000" + .)[-4:])"), ServiceName: "svc\(.)", Region: "cn-hangzhou"}],
	     task: {per_instance: true, statuses: ["Success"], result: $res}}
	    + (if $th == null then {} else {throttle: $th} end)' >"$T/scenario.json"
	jq -r '.eas_services[].ServiceId' "$T/scenario.json" >"$T/targets"
}

# rate_targets: the -i arguments of every service of rate_world.
rate_targets() {
	sed 's/^/-i /' "$T/targets" | tr '\n' ' '
}

# most_in_a_second FILE: the most call-times lines (ok and throttled) in any
# window [t, t + 1 s).
most_in_a_second() {
	awk '{ t[NR] = $1 } END {
		most = 0; j = 1
		for (i = 1; i <= NR; i++) {
			while (t[i] - t[j] >= 1) j++
			if (i - j + 1 > most) most = i - j + 1
		}
		print most
	}' "$1"
}

# fleet_ok_calls: the business calls each run of the fleet document on
# stdout must have made once it went through: its two list-services, its
# invoke, one poll of its own task; with the one initial-sysom; sorted.
fleet_ok_calls() {
	local id task
	{
		initial_call
		jq -r '.runs[] | "\(.instance) \(.task_id)"' "$T/out" |
		while read -r id task; do
			list_calls "$id"
			invoke_call "$id"
			poll_call "$task"
		done
	} | sort
}

# Every target ends healthy under a limit pai-diag's own budget is above:
# the throttled answers are retried (quietly, never a failed poll), the run
# slows down, and each target's envelope counts its throttled answers.
t_rate_fleet_under_limit_all_healthy() {
	rate_world 12 '{"per_second": 8}'
	export ALIYUN_SIM_CALLTIMES="$T/times.log"
	# shellcheck disable=SC2046 # one word per argument
	pd -q -r cn-hangzhou $(rate_targets) -j 12 --max-rate 40 \
	    --poll-interval 0.05 -o json
	expect_rc 0
	expect_json '[.runs[].outcome] | unique' '["healthy"]'
	expect_json '[.runs[].error] | unique' '[null]'
	expect_json '[.runs[].warnings[]]' '[]'
	expect_out_empty_err
	grep -q ' throttled ' "$T/times.log" || fail "the simulator never throttled:" "$(cat "$T/times.log")"
	# The envelopes count exactly the throttled answers the calls got.
	[ "$(jq '[.runs[].throttled] | add' "$T/out")" = "$(grep -c ' throttled ' "$T/times.log")" ] ||
	    fail "throttled: envelope $(jq -c '[.runs[].throttled]' "$T/out"), simulator $(grep -c ' throttled ' "$T/times.log")"
	# What went through is what a healthy run makes, once each; the calls
	# log holds that, the throttled tries, and one setup.
	compare ok-calls <(grep ' ok ' "$T/times.log" | cut -d' ' -f3- | sort) <<<"$(fleet_ok_calls)"
	{
		setup_calls
		fleet_ok_calls
		grep ' throttled ' "$T/times.log" | cut -d' ' -f3-
		restore_calls
	} | sort >"$T/want.sorted"
	sort "$T/calls.log" >"$T/got.sorted"
	compare all-calls "$T/got.sorted" <"$T/want.sorted"
}

# stderr is empty (-q; throttled retries are no warnings).
expect_out_empty_err() {
	[ ! -s "$T/err" ] || fail "stderr not empty:" "$(head -c 2000 "$T/err")"
}

# The budget holds in every sliding second, counting every call sent
# (admitted or throttled), whatever the number of workers.
t_rate_never_exceeds_max_rate() {
	rate_world 10 '{"per_second": 1000}'
	export ALIYUN_SIM_CALLTIMES="$T/times.log"
	# shellcheck disable=SC2046
	pd -q -r cn-hangzhou $(rate_targets) -j 10 --max-rate 6 --poll-interval 0 -o json
	expect_rc 0
	expect_json '[.runs[].outcome] | unique' '["healthy"]'
	expect_json '[.runs[].throttled] | add' '0'
	# initial-sysom, and four calls a target
	[ "$(wc -l <"$T/times.log")" = 41 ] || fail "calls: $(wc -l <"$T/times.log"), want 41"
	most=$(most_in_a_second "$T/times.log")
	[ "$most" -le 6 ] || fail "$most calls in one second, over --max-rate 6:" "$(cat "$T/times.log")"
	# The default, 10, holds for a single run too.
	rm -rf "$T/state" "$T/times.log"
	rate_world 1 '{"per_second": 1000}'
	edit_scenario '.task.statuses = ["Ready", "Running", "Running", "Running", "Running", "Running", "Running", "Running", "Running", "Running", "Running", "Running", "Running", "Running", "Success"]'
	pd -q -r cn-hangzhou -i eas-m-rate0001 --poll-interval 0 -o json
	expect_rc 0
	expect_json '.polls' '15'
	most=$(most_in_a_second "$T/times.log")
	[ "$most" -le 10 ] || fail "$most calls in one second, over the default 10:" "$(cat "$T/times.log")"
}

# --max-rate 0: no budget.  Ten workers polling with no interval send far
# more than the default 10 a second.
t_rate_unlimited() {
	rate_world 10
	edit_scenario '.task.statuses = ["Ready", "Running", "Running", "Running", "Success"]'
	export ALIYUN_SIM_CALLTIMES="$T/times.log"
	# shellcheck disable=SC2046
	pd -q -r cn-hangzhou $(rate_targets) -j 10 --max-rate 0 --poll-interval 0 -o json
	expect_rc 0
	expect_json '[.runs[].outcome] | unique' '["healthy"]'
	[ "$(wc -l <"$T/times.log")" = 81 ] || fail "calls: $(wc -l <"$T/times.log"), want 81"
	most=$(most_in_a_second "$T/times.log")
	[ "$most" -gt 10 ] || fail "only $most calls in a second with --max-rate 0"
}

# poll_throttle_rule FORM CODE HTTP [TIMES]: polls answered with throttling
# in one of aliyun's error forms.
poll_throttle_rule() {
	jq -nc --arg f "$1" --arg c "$2" --argjson h "$3" --argjson n "${4:-0}" \
	    '{cmd: "sysom get-diagnosis-result", times: $n, error: {form: $f, http: $h,
	      category: "THROTTLING_ERROR",
	      body: {Code: $c, Message: "Request was denied due to user flow control.", RequestId: "R-THR"}}}'
}

# Each form and code of throttling is recognised: four throttled polls in
# a row are no failed polls (three would end the run), and they are polls.
t_rate_throttled_polls_are_not_failures() {
	local spec form code http
	for spec in "plugin Throttling.User 429" "server ServiceUnavailable 503" \
	    "envelope Throttling.Api 429" "envelope2 Throttling 429" \
	    "plugin Sysom.Busy 503"; do
		read -r form code http <<<"$spec"
		rm -rf "$T/state"
		: >"$T/calls.log"
		eas_world '"Running","Success"' ", \"rules\": [$(poll_throttle_rule "$form" "$code" "$http" 4)]"
		edit_scenario --argjson r "$INFO_RESULT" '.task.result = $r'
		pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0.05 --no-setup -o json
		expect_rc 0
		expect_json '[.outcome, .status, .polls, .throttled, .warnings]' '["healthy","Success",6,4,[]]'
		expect_out_empty_err
		{
			echo version
			echo "configure list"
			initial_call
			list_calls
			invoke_call
			polls 6
		} | expect_calls
	done
}

# Throttled calls before the task (list-services, invoke) are retried
# until they go through, not once; with -v each retry is shown.
t_rate_throttled_invoke_retried() {
	eas_world '"Success"' ", \"rules\": [$(jq -nc '{cmd: "sysom invoke-diagnosis", times: 3, error: {form: "plugin", http: 429, body: {Code: "Throttling.User", Message: "slow down", RequestId: "R-I"}}}'), $(jq -nc '{cmd: "eas list-services --page-number 1", times: 2, error: {form: "envelope2", http: 503, body: {Code: "ServiceUnavailable", Message: "busy", RequestId: "R-L"}}}')]"
	edit_scenario --argjson r "$INFO_RESULT" '.task.result = $r'
	pd -r cn-hangzhou -i "$EAS_ID" --poll-interval 0.05 -o json -v --progress none
	expect_rc 0
	expect_json '[.outcome, .polls, .throttled, .warnings]' '["healthy",1,5,[]]'
	[ "$(grep -c 'pai-diag: throttled (Throttling.User); trying again in' "$T/err")" = 3 ] ||
	    fail "the invoke's retries are not shown:" "$(cat "$T/err")"
	[ "$(grep -c 'pai-diag: throttled (ServiceUnavailable); trying again in' "$T/err")" = 2 ] ||
	    fail "the listing's retries are not shown:" "$(cat "$T/err")"
	{
		setup_calls
		initial_call
		echo "eas list-services --region cn-hangzhou --filter $EAS_ID --user-agent $UA"
		for _ in 1 2 3; do
			echo "eas list-services --region cn-hangzhou --page-number 1 --page-size 100 --user-agent $UA"
		done
		for _ in 1 2 3 4; do invoke_call; done
		polls 1
		restore_calls
	} | expect_calls
}

# A retry-after the answer carries (the server form's X-Acs-Retry-After)
# is waited for at least: every retry comes 0.4 s or more after the
# throttled call, though --poll-interval alone would allow 0.05 s.
t_rate_retry_after_honoured() {
	rate_world 1 '{"per_second": 1, "form": "server", "retry_after": 0.4}'
	export ALIYUN_SIM_CALLTIMES="$T/times.log" ALIBABA_CLOUD_THROTTLING_RETRY_ENABLED=false
	pd -q -r cn-hangzhou -i eas-m-rate0001 --poll-interval 0.05 --max-rate 50 -o json
	expect_rc 0
	expect_json '.outcome' '"healthy"'
	n=$(grep -c ' throttled ' "$T/times.log")
	[ "$n" -ge 1 ] || fail "never throttled:" "$(cat "$T/times.log")"
	expect_json '.throttled' "$n"
	short=$(awk 'prev_throttled && $1 - prev < 0.4 { print } { prev = $1; prev_throttled = ($2 == "throttled") }' "$T/times.log")
	[ -z "$short" ] || fail "retried before the retry-after:" "$short" "$(cat "$T/times.log")"
}

# --max-wait ends a target that stays throttled as a timeout (exit 7):
# with a task, like --max-polls, with its resume command; before a task,
# with the error that says so.
t_rate_max_wait_ends_throttled_target() {
	eas_world '"Running"' ", \"rules\": [$(jq -nc '{cmd: "sysom get-diagnosis-result", times: 1, stdout: ({code: "Success", message: "", request_id: "R-P", data: {task_id: "Vq7mZ2xK", status: "Running", code: 0, err_msg: "", result: {}}} | tojson)}'), $(poll_throttle_rule plugin Throttling.User 429)]"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0.1 --max-wait 2s -o json
	expect_rc 7
	expect_json '[.outcome, .status, .error, .resume_command]' '["timeout","Running",null,"pai-diag --region cn-hangzhou --task-id Vq7mZ2xK"]'
	expect_json '.throttled == .polls - 1 and .throttled >= 2 and .polls < 60' 'true'
	expect_err_has "pai-diag: task Vq7mZ2xK is still Running after --max-wait (2 s, "
	expect_err_has "polls); resume with: pai-diag --region cn-hangzhou --task-id Vq7mZ2xK"
	# Before the task: the invoke throttled until --max-wait.
	rm -rf "$T/state"
	: >"$T/calls.log"
	eas_world '"Success"' ", \"rules\": [$(jq -nc '{cmd: "sysom invoke-diagnosis", error: {form: "envelope", http: 429, category: "THROTTLING_ERROR", body: {Code: "Throttling.User", Message: "slow down", RequestId: "R-E"}}}')]"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0.1 --max-wait 1s -o json
	expect_rc 7
	expect_json '[.outcome, .task_id, .error.code, .error.source, .resume_command, .polls]' '["timeout",null,"timeout","pai-diag",null,0]'
	expect_json '.throttled >= 2' 'true'
	expect_json '.error.message' "\"cannot invoke the diagnosis: --max-wait (1 s) reached, throttled $(jq .throttled "$T/out") times\""
	expect_err <<EOF
pai-diag: error: cannot invoke the diagnosis: --max-wait (1 s) reached, throttled $(jq .throttled "$T/out") times
EOF
	! grep -q "get-diagnosis-result" "$T/calls.log" || fail "polled without a task"
	tail -n 2 "$T/calls.log" | diff - <(restore_calls) >/dev/null || fail "AI mode not put back:" "$(tail -n 3 "$T/calls.log")"
	# Without --max-wait, --max-polls caps the invoke's tries.
	rm -rf "$T/state"
	: >"$T/calls.log"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --max-polls 3 -o json
	expect_rc 1
	expect_json '[.outcome, .throttled, .error.code]' '["internal_error",3,"Throttling.User"]'
	[ "$(grep -c "sysom invoke-diagnosis" "$T/calls.log")" = 3 ] || fail "invokes:" "$(cat "$T/calls.log")"
}

t_rate_usage_errors() {
	local args want
	while IFS='|' read -r args want; do
		: >"$T/calls.log"
		# shellcheck disable=SC2086
		pd -r cn-hangzhou -i "$EAS_ID" $args -o json
		expect_rc 2
		expect_json '.error.message' "\"$want\""
		expect_no_calls
	done <<'EOF'
--max-rate -1|--max-rate must be a whole number from 0 to 1000, not '-1'
--max-rate 1001|--max-rate must be a whole number from 0 to 1000, not '1001'
--max-rate 2.5|--max-rate must be a whole number from 0 to 1000, not '2.5'
--max-wait 0s|--max-wait must be longer than 0s, not '0s'
--max-wait 10|--max-wait: duration '10' is not a number followed by s, m, h or d (as in 30m)
EOF
}
