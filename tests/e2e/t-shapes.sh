# Replies of unexpected shape: paging, empty and odd lists, wrong types,
# bytes that are not text, very large results.

# services N: N services named svc_K with ids eas-m-pageK (JSON array).
services() {
	jq -n --argjson n "$1" '[range(1; $n + 1) | {ServiceId: "eas-m-page\(.)", ServiceName: "svc_\(.)", Region: "cn-hangzhou"}]'
}

# The id is only found by paging through all services (here on page 2).
t_eas_paging_finds_service() {
	eas_world '"Success"'
	edit_scenario --argjson s "$(services 150)" '.eas_services = $s'
	pd -q -r cn-hangzhou -i eas-m-page142 --poll-interval 0 --no-setup -o json
	expect_rc 11
	expect_json '.instance' '"eas-m-page142"'
	{
		echo version
		echo "configure list"
		echo "sysom initial-sysom --check-only false --source aes-skills --user-agent $UA"
		list_calls eas-m-page142
		echo "eas list-services --region cn-hangzhou --page-number 2 --page-size 100 --user-agent $UA"
		echo "sysom invoke-diagnosis --service-name ocd --channel ecs --params '$(eas_params eas-m-page142)' --user-agent $UA"
		poll_call
	} | expect_calls
}

# Paging stops at the last (short) page: not found after two pages.
t_eas_paging_stops() {
	eas_world '"Success"'
	edit_scenario --argjson s "$(services 150)" '.eas_services = $s'
	pd -q -r cn-hangzhou -i eas-m-page999 --no-setup
	expect_rc 5
	[ "$(grep -c 'list-services' "$T/calls.log")" = 3 ] || fail "paging:" "$(grep list-services "$T/calls.log")"
}

# The filter may match the id when it is also in the service's name.
t_eas_filter_exact_match() {
	eas_world '"Success"'
	edit_scenario '.eas_services += [{"ServiceId":"eas-m-named","ServiceName":"eas-m-named","Region":"cn-hangzhou"}, {"ServiceId":"eas-m-named2","ServiceName":"eas-m-named2","Region":"cn-hangzhou"}]'
	pd -q -r cn-hangzhou -i eas-m-named --no-setup --poll-interval 0
	expect_rc 11
	[ "$(grep -c 'list-services' "$T/calls.log")" = 1 ] || fail "paged although the filter matched"
}

# Services null, absent, or not an array: not found, never a crash.
t_eas_services_odd_shapes() {
	for body in '{"Services":null,"TotalCount":0}' '{"TotalCount":0}' '{"Services":"eas-m-x","TotalCount":1}' '{"Services":[1,"a",null,{"ServiceId":7}],"TotalCount":4}'; do
		scenario <<EOF
{"rules": [{"cmd": "eas list-services", "stdout": $(jq -Rn --arg b "$body" '$b')}]}
EOF
		pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup
		expect_rc 5
		expect_err_has "not found in region 'cn-hangzhou'"
	done
}

# Poll replies of the wrong shape are failed polls; three end the run.
t_poll_wrong_shapes() {
	eas_world '"Success"' ', "rules": [
	  {"cmd": "sysom get-diagnosis-result", "times": 1, "stdout": "{\"code\":\"Success\",\"data\":\"Running\"}\n"},
	  {"cmd": "sysom get-diagnosis-result", "times": 1, "stdout": "{\"code\":\"Success\",\"data\":{\"status\":7}}\n"},
	  {"cmd": "sysom get-diagnosis-result", "times": 1, "raw_stdout_hex": "7b22636f6465223a2253756363657373222c00ff7d0a"}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json
	expect_rc 1
	expect_json '[.outcome,.polls]' '["internal_error",3]'
	expect_json '.error.message' '"3 polls of task Vq7mZ2xK failed in a row: aliyun printed output that is not a JSON document"'
	expect_err_has "poll 1 of task $TASK failed: the reply has no data.status; retrying"
}

# A failed poll between good ones resets the count.
t_failed_polls_not_in_a_row() {
	eas_world '"Running","Running","Running","Success"' ', "rules": [
	  {"cmd": "sysom get-diagnosis-result", "times": 2, "stdout": "garbage\n"}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json
	expect_rc 11
	expect_json '.polls' '6'
}

# An unknown status is polled on like Running, with one warning.
t_unknown_status() {
	eas_world '"Queued","Queued","Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	expect_err <<EOF
pai-diag: warning: unknown task status 'Queued'; polling on as if Running
EOF
}

# Result quirks: a string summary is the root cause; unknown overall
# status is shown as sent and counts as Warn; issues of any shape.
t_result_quirks() {
	eas_world '"Success"'
	edit_scenario '.task.result = {"summary":"Kernel soft lockup on CPU 12","issues":["plain text issue",{"level":"Fatal","name":"odd keys","extra":{"a":1}},{}]}'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 10
	{ eas_header; cat <<EOF; } | expect_out
Overall status: (not given)

Root cause:
  Kernel soft lockup on CPU 12

Issues (3):
  - plain text issue
  [Fatal] odd keys
      extra: a=1
  (untitled)

SysOM console: /diagnose/detail/$TASK
EOF
	expect_err <<EOF
pai-diag: warning: the result has no summary.overall_status; counted as Warn
EOF
	rm -rf "$T/state"
	edit_scenario '.task.result = {"summary":{"overall_status":"SEVERE","root_cause":"x"}}'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json
	expect_rc 10
	expect_json '[.outcome,.summary.overall_status,.summary.suggestions]' '["warn","SEVERE",[]]'
}

# Control characters and secrets inside the engine's result are neutralised.
t_result_text_sanitised() {
	eas_world '"Success"'
	edit_scenario '.task.result = {"summary":{"overall_status":"Warn","root_cause":"bad\u001b[2Jterminal\u0007 and AccessKeyId=LTAI5tResultLeak00000001 here","suggestions":[]}}'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 10
	expect_out_has '  badterminal\u0007 and AccessKeyId=[REDACTED] here'
	expect_no_secrets
	rm -rf "$T/state"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json
	expect_no_secrets
}

# A 20 MB result is read, rendered and printed whole.
t_large_result() {
	eas_world '"Success"'
	jq -n '{summary: {overall_status: "Warn", root_cause: "many issues", suggestions: ["s"]},
	        issues: [range(0; 60000) | {severity: "Warn", title: "issue \(.)", detail: ("d" * 300)}]}' >"$T/result.json"
	edit_scenario --slurpfile r "$T/result.json" '.task.result = $r[0]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json
	expect_rc 10
	expect_json '.issues|length' '60000'
	expect_json '.result.issues[59999].title' '"issue 59999"'
	rm -rf "$T/state"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 10
	[ "$(grep -c '^  \[Warn\] issue ' "$T/out")" = 60000 ] || fail "text report lost issues"
}

# A value whose key names a secret is hidden whole, in every format.
t_result_secret_keys() {
	eas_world '"Success"'
	edit_scenario '.task.result = {"summary":{"overall_status":"Warn","root_cause":"x"},"issues":[{"severity":"Warn","title":"t","password":"hunter2","AccessKeySecret":"s3cr3tvalue","nested":{"sts_token":12345}}]}'
	for fmt in text json markdown; do
		rm -rf "$T/state"
		pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o "$fmt"
		expect_rc 10
		grep -qE 'hunter2|s3cr3tvalue|12345' "$T/out" && fail "$fmt: a secret value was printed" "$(grep -E 'hunter2|s3cr3t|12345' "$T/out")"
		# The text and JSON reports show the keys, with the value hidden.
		[ "$fmt" = markdown ] || expect_out_has '[REDACTED]'
	done
}

# Task statuses are compared without regard to case.
t_status_any_case() {
	eas_world '"running","SUCCESS"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --no-setup -o json
	expect_rc 11
	expect_json '[.outcome,.status,.polls,.warnings]' '["critical","SUCCESS",2,[]]'
	rm -rf "$T/state"
	eas_world '"fail"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --no-setup -o json
	expect_rc 6
	expect_json '[.outcome,.status]' '["diagnosis_failed","fail"]'
}

# A service that carries only ServiceUid (equal to its id) is found.
t_eas_service_uid_only() {
	eas_world '"Success"'
	edit_scenario '.eas_services = [{"ServiceUid": "eas-m-uidonly", "ServiceName": "uid_only", "Region": "cn-hangzhou"}]'
	pd -q -r cn-hangzhou -i eas-m-uidonly --poll-interval 0 --no-setup -o json
	expect_rc 11
	expect_json '.instance' '"eas-m-uidonly"'
}

# Paging goes on past a short page while TotalCount is not covered (a
# server that caps its pages), and stops once it is.
t_eas_paging_total_count() {
	local page
	eas_world '"Success"'
	page() {	# page N SERVICE...: a page of those services, TotalCount 5
		local n=$1 ids
		shift
		ids=$(printf '{"ServiceId":"%s","ServiceName":"x"},' "$@")
		printf '{"cmd": "eas list-services --page-number %s", "stdout": "{\\"PageNumber\\":%s,\\"PageSize\\":100,\\"TotalCount\\":5,\\"RequestId\\":\\"R\\",\\"Services\\":[%s]}"}' \
		    "$n" "$n" "$(printf '%s' "${ids%,}" | sed 's/"/\\"/g')"
	}
	edit_scenario ".rules = [$(page 1 eas-m-p1 eas-m-p2), $(page 2 eas-m-p3 eas-m-p4), $(page 3 eas-m-target), {\"cmd\": \"eas list-services --page-number 4\", \"stdout\": \"{}\"}]"
	pd -q -r cn-hangzhou -i eas-m-target --poll-interval 0 --no-setup -o json
	expect_rc 11
	[ "$(grep -c 'list-services --region cn-hangzhou --page-number' "$T/calls.log")" = 3 ] ||
	    fail "paging:" "$(grep list-services "$T/calls.log")"
	# Covered after page 3 without a match: not found, no fourth page.
	rm -rf "$T/state"
	: >"$T/calls.log"
	pd -q -r cn-hangzhou -i eas-m-absent --poll-interval 0 --no-setup
	expect_rc 5
	[ "$(grep -c 'list-services --region cn-hangzhou --page-number' "$T/calls.log")" = 3 ] ||
	    fail "paging past TotalCount:" "$(grep list-services "$T/calls.log")"
}

# A transient failure of a validation or invoke call is tried once more,
# after --poll-interval; a second one ends the run.
t_transient_retried_once() {
	local cmd
	for cmd in "sysom initial-sysom" "eas list-services" "sysom invoke-diagnosis"; do
		rm -rf "$T/state"
		: >"$T/calls.log"
		eas_world '"Success"' ", \"rules\": [{\"cmd\": \"$cmd\", \"times\": 1, \"error\": {\"form\": \"plugin\", \"http\": 500, \"body\": {\"Code\": \"InternalError\", \"Message\": \"busy\", \"RequestId\": \"R-500\"}}}]"
		pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --no-setup -o json
		expect_rc 11
		expect_json '.warnings' "[\"'aliyun $cmd' failed: InternalError: busy (request id R-500); trying again\"]"
		[ "$(grep -c "^$cmd" "$T/calls.log")" -ge 2 ] || fail "$cmd was not tried again" "$(cat "$T/calls.log")"
	done
	rm -rf "$T/state"
	eas_world '"Success"' ', "rules": [{"cmd": "sysom invoke-diagnosis", "times": 2, "error": {"form": "plugin", "http": 500, "body": {"Code": "InternalError", "Message": "busy", "RequestId": "R-500"}}}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --no-setup -o json
	expect_rc 1
	expect_json '.error.code' '"InternalError"'
	# DLC validation too.
	rm -rf "$T/state"
	eas_world '"Success"' ', "rules": [{"cmd": "pai-dlc get-job", "times": 1, "error": {"form": "server", "http": 500, "body": {"Code": "InternalError", "Message": "oops", "RequestId": "R-500"}}}]'
	pd -q -r cn-hangzhou -i "$DLC_ID" --poll-interval 0 --no-setup -o json
	expect_rc 11
}

# A plugin update that fails (partly, or offline) is a warning.
t_plugin_update_offline() {
	eas_world '"Success"' ', "plugin_update": "offline"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json
	expect_rc 11
	expect_json '.warnings|length' '1'
	expect_json '.warnings[0]|startswith("'"'"'aliyun plugin update'"'"' failed: failed to get plugin index")' 'true'
}
