# --metrics-file (Prometheus textfile metrics) and -o junit (JUnit XML):
# what a scheduler or a CI reads of a run, single or a fleet, each file
# checked by a strict parser (check-metrics.py, check-junit.py).

# expect_metrics FILE: FILE is valid exposition text, its end of run in the
# last minute and its durations under a minute.
expect_metrics() {
	local why
	why=$(/usr/bin/python3 tests/e2e/check-metrics.py "$1" 2>&1) ||
	    fail "metrics are not valid exposition text: $why" "$(head -c 2000 "$1")"
	awk -v now="$(date +%s)" '
	    /^pai_diag_last_run_timestamp_seconds/ && ($NF < now - 60 || $NF > now + 1) { bad = 1 }
	    /^pai_diag_run_duration_seconds/ && ($NF < 0 || $NF >= 60) { bad = 1 }
	    END { exit bad }' "$1" || fail "times out of range:" "$(grep -E 'seconds\{' "$1")"
	! grep -qE 'LTAI|FakeSecret' "$1" || fail "credential material in the metrics"
}

# samples FILE: the samples of FILE, the times' values as T.
samples() {
	grep -v '^#' "$1" | sed -E 's/^(pai_diag_(last_run_timestamp|run_duration)_seconds\{.*\}) [0-9.]+$/\1 T/'
}

# expect_samples FILE: FILE is valid (expect_metrics) and its samples, the
# times' values as T, are the lines on stdin.
expect_samples() {
	expect_metrics "$1"
	samples "$1" >"$T/got"
	compare metrics "$T/got"
}

# labels ID [PRODUCT]: a target's labels in cn-hangzhou.
labels() {
	printf 'region="cn-hangzhou",instance="%s",product="%s"' "$1" "${2:-EAS}"
}

# critical_issues ID: the issues of the critical result, by severity.
critical_issues() {
	local s
	for s in critical warn info; do
		echo "pai_diag_issues{$(labels "$1"),severity=\"$s\"} 1"
	done
}

# times ID...: the time samples of the targets, the values as T.
times() {
	local id
	for id; do echo "pai_diag_last_run_timestamp_seconds{$(labels "$id")} T"; done
	for id; do echo "pai_diag_run_duration_seconds{$(labels "$id")} T"; done
}

# expect_junit [FILE]: FILE (stdout) is a valid JUnit report.
expect_junit() {
	local why
	why=$(/usr/bin/python3 tests/e2e/check-junit.py "${1:-$T/out}" 2>&1) ||
	    fail "not a valid JUnit report: $why" "$(head -c 2000 "${1:-$T/out}")"
	! grep -qE 'LTAI|FakeSecret' "${1:-$T/out}" || fail "credential material in the JUnit report"
}

# junit [FILE]: FILE (stdout) with its times as T.
junit() {
	sed -E 's/ (time|timestamp)="[^"]*"/ \1="T"/g' "${1:-$T/out}"
}

# junit_head TESTS FAILURES ERRORS, junit_tail: the document around the
# test cases, times as T.
junit_head() {
	printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' '<testsuites>'
	echo "  <testsuite name=\"pai-diag\" tests=\"$1\" failures=\"$2\" errors=\"$3\" skipped=\"0\" time=\"T\" timestamp=\"T\">"
}
junit_tail() {
	printf '%s\n' '  </testsuite>' '</testsuites>'
}

# junit_case ID [ELEMENT]: a test case in cn-hangzhou of the task, with
# ELEMENT (a failure or an error), if any, before its output.
junit_case() {
	echo "    <testcase classname=\"pai-diag.cn-hangzhou\" name=\"$1\" time=\"T\">"
	[ -z "${2:-}" ] || echo "$2"
	printf '%s\n' "      <system-out>Task: $TASK" "SysOM console: /diagnose/detail/$TASK" \
	    '</system-out>' '    </testcase>'
}

# healthy_world: the task's result says Info, no issue.
healthy_world() {
	eas_world '"Success"'
	edit_scenario '.task.result = {summary: {overall_status: "Info", root_cause: "nothing wrong", suggestions: []}, issues: []}'
}

# The calls of one EAS diagnosis without the setup steps.
no_setup_calls() {
	echo version
	echo "configure list"
	initial_call
	list_calls "${1:-$EAS_ID}"
	invoke_call "${1:-$EAS_ID}"
	poll_call
}

t_metrics_single_healthy() {
	healthy_world
	mkdir "$T/textfile"
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 --metrics-file "$T/textfile/pai-diag.prom"
	expect_rc 0
	{ eas_header; cat <<EOF; } | expect_out
Overall status: Info

Root cause:
  nothing wrong

SysOM console: /diagnose/detail/$TASK
EOF
	expect_err </dev/null
	no_setup_calls | expect_calls
	expect_metrics "$T/textfile/pai-diag.prom"
	sed -E 's/\} [0-9]+\.[0-9]+$/} T/' "$T/textfile/pai-diag.prom" >"$T/got"
	compare metrics "$T/got" <<EOF
# HELP pai_diag_status Verdict of the last diagnosis: 0 healthy, 1 warn, 2 critical, 3 failed (no verdict).
# TYPE pai_diag_status gauge
pai_diag_status{region="cn-hangzhou",instance="$EAS_ID",product="EAS"} 0
# HELP pai_diag_issues Issues the last diagnosis found, by severity.
# TYPE pai_diag_issues gauge
# HELP pai_diag_last_run_timestamp_seconds Unix time the last diagnosis ended.
# TYPE pai_diag_last_run_timestamp_seconds gauge
pai_diag_last_run_timestamp_seconds{region="cn-hangzhou",instance="$EAS_ID",product="EAS"} T
# HELP pai_diag_run_duration_seconds Wall time of the last diagnosis, in seconds.
# TYPE pai_diag_run_duration_seconds gauge
pai_diag_run_duration_seconds{region="cn-hangzhou",instance="$EAS_ID",product="EAS"} T
EOF
	! ls -a "$T/textfile" | grep -q '\.pai-diag\.' || fail "temporary file left behind"
}

# A critical verdict, with any -o: status 2 and the issues by severity.
t_metrics_single_critical() {
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 -o json --metrics-file "$T/m.prom"
	expect_rc 11
	expect_json '[.outcome,.exit_code,(.issues|length)]' '["critical",11,3]'
	expect_err </dev/null
	no_setup_calls | expect_calls
	{
		echo "pai_diag_status{$(labels "$EAS_ID")} 2"
		critical_issues "$EAS_ID"
		times "$EAS_ID"
	} | expect_samples "$T/m.prom"
}

# A run that failed has metrics too: status 3, no issues.
t_metrics_failed_run() {
	pd -q -r cn-hangzhou -i "$EAS_ID" --aliyun "$T/none" --metrics-file "$T/m.prom"
	expect_rc 3
	expect_out_empty
	expect_err_has "pai-diag: error: cannot run '$T/none': No such file or directory"
	expect_no_calls
	{ echo "pai_diag_status{$(labels "$EAS_ID")} 3"; times "$EAS_ID"; } |
	    expect_samples "$T/m.prom"
}

# A fleet: a series per target; the one not found is status 3; a task
# echoing an instance already shown is labelled with its task id.
t_metrics_fleet_failed_target() {
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" -i eas-m-unknown0 --task-id "$TASK" -j 1 --no-setup --poll-interval 0 -o json --metrics-file "$T/m.prom"
	expect_rc 5
	expect_json '[.outcome,[.runs[].outcome]]' '["invalid_target",["critical","invalid_target","critical"]]'
	expect_err <<EOF
pai-diag: error: eas-m-unknown0: EAS service 'eas-m-unknown0' not found in region 'cn-hangzhou'; check the service id and the region
EOF
	{
		echo version
		echo "configure list"
		initial_call
		list_calls
		invoke_call
		poll_call
		list_calls eas-m-unknown0
		poll_call
	} | expect_calls
	{
		echo "pai_diag_status{$(labels "$EAS_ID")} 2"
		echo "pai_diag_status{$(labels eas-m-unknown0)} 3"
		echo "pai_diag_status{$(labels "$TASK")} 2"
		critical_issues "$EAS_ID"
		critical_issues "$TASK"
		times "$EAS_ID" eas-m-unknown0 "$TASK"
	} | expect_samples "$T/m.prom"
}

# Hostile label values: a severity and an echoed instance with a quote, a
# backslash and a newline are escaped; a secret in one is masked.
t_metrics_hostile_labels() {
	eas_world '"Success"'
	edit_scenario '.task.result = {summary: {overall_status: "Warn", root_cause: "r"}, issues: [
	    {severity: "Wa\"rn\\\nX", title: "a"}, {severity: "WA\"RN\\\nx", title: "b"},
	    {severity: "FakeSecretNeverPrinted0000000001", title: "c"}, {title: "no severity"}]}'
	jq -n --arg i "eas-m-\"q\\b"$'\n'"n" '{last_params: {instance: $i, region: "cn-hangzhou", product: "EAS"}}' >"$T/state/state.json"
	pd -q -r cn-hangzhou --task-id "$TASK" --no-setup --poll-interval 0 -o json --metrics-file "$T/m.prom"
	expect_rc 10
	expect_json '[.outcome,.instance]' '["warn","eas-m-\"q\\b\nn"]'
	expect_err </dev/null
	printf '%s\n' version "configure list" "$(poll_call)" | expect_calls
	expect_samples "$T/m.prom" <<'EOF'
pai_diag_status{region="cn-hangzhou",instance="eas-m-\"q\\b\nn",product="EAS"} 1
pai_diag_issues{region="cn-hangzhou",instance="eas-m-\"q\\b\nn",product="EAS",severity="wa\"rn\\\nx"} 2
pai_diag_issues{region="cn-hangzhou",instance="eas-m-\"q\\b\nn",product="EAS",severity="[REDACTED]"} 1
pai_diag_issues{region="cn-hangzhou",instance="eas-m-\"q\\b\nn",product="EAS",severity="unknown"} 1
pai_diag_last_run_timestamp_seconds{region="cn-hangzhou",instance="eas-m-\"q\\b\nn",product="EAS"} T
pai_diag_run_duration_seconds{region="cn-hangzhou",instance="eas-m-\"q\\b\nn",product="EAS"} T
EOF
}

# The file is replaced, never truncated in place: a reader holding the old
# one still reads it whole; a link is followed.
t_metrics_atomic_replace() {
	healthy_world
	echo 'old metrics' >"$T/real.prom"
	ln "$T/real.prom" "$T/held.prom"
	ln -s real.prom "$T/link.prom"
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 -o json --metrics-file "$T/link.prom"
	expect_rc 0
	expect_json '.outcome' '"healthy"'
	expect_err </dev/null
	no_setup_calls | expect_calls
	[ "$(cat "$T/held.prom")" = 'old metrics' ] || fail "the old file was written in place"
	[ -L "$T/link.prom" ] || fail "the link was replaced"
	expect_metrics "$T/real.prom"
	grep -qx "pai_diag_status{region=\"cn-hangzhou\",instance=\"$EAS_ID\",product=\"EAS\"} 0" "$T/real.prom" ||
	    fail "metrics: $(cat "$T/real.prom")"
	! ls -a "$T" | grep -q '\.pai-diag\.' || fail "temporary file left behind"
}

# A metrics file that could never be written is a usage error before any
# aliyun call; so is one asked of what has no diagnosis.
t_metrics_file_refused() {
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --metrics-file "$T/no/dir/m.prom"
	expect_rc 2
	expect_out_empty
	expect_err <<EOF
pai-diag: error: cannot use --metrics-file '$T/no/dir/m.prom': directory '$T/no/dir': No such file or directory
try 'pai-diag --help'
EOF
	expect_no_calls
	mkdir "$T/ro"
	chmod 555 "$T/ro"
	pd -q -r cn-hangzhou -i "$EAS_ID" --metrics-file "$T/ro/m.prom"
	if [ "$(id -u)" = 0 ]; then
		# root writes anywhere: the check makes a file to know it.
		expect_rc 11
		expect_err </dev/null
		grep -q '^pai_diag_status{.*} 2$' "$T/ro/m.prom" || fail "no metrics in '$T/ro'"
	else
		expect_rc 2
		expect_err <<EOF
pai-diag: error: cannot write to --metrics-file '$T/ro/m.prom': directory '$T/ro': Permission denied
try 'pai-diag --help'
EOF
		expect_no_calls
	fi
	: >"$T/calls.log"
	mkdir "$T/dir"
	pd -q -r cn-hangzhou -i "$EAS_ID" --metrics-file "$T/dir"
	expect_rc 2
	expect_out_empty
	expect_err <<EOF
pai-diag: error: --metrics-file '$T/dir' is a directory
try 'pai-diag --help'
EOF
	mkfifo "$T/fifo"
	pd -q -r cn-hangzhou -i "$EAS_ID" --metrics-file "$T/fifo"
	expect_rc 2
	expect_out_empty
	expect_err <<EOF
pai-diag: error: --metrics-file '$T/fifo' is not a regular file
try 'pai-diag --help'
EOF
	pd doctor --metrics-file "$T/m.prom"
	expect_rc 2
	expect_out_empty
	expect_err <<EOF
pai-diag: error: doctor has no metrics: --metrics-file reports a diagnosis
try 'pai-diag --help'
EOF
	pd -r cn-hangzhou -i "$EAS_ID" --dry-run --metrics-file "$T/m.prom"
	expect_rc 2
	expect_out_empty
	expect_err_has "pai-diag: error: --dry-run has no metrics: --metrics-file reports a diagnosis"
	expect_no_calls
	[ ! -e "$T/m.prom" ] || fail "metrics written by a usage error"
}

t_junit_single_pass() {
	healthy_world
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 -o junit
	expect_rc 0
	expect_err </dev/null
	no_setup_calls | expect_calls
	expect_junit
	junit >"$T/got"
	{ junit_head 1 0 0; junit_case "$EAS_ID"; junit_tail; } | compare junit "$T/got"
}

# A failing verdict: its root cause and issues; the report file is
# replaced atomically like any other format's.
t_junit_single_failure() {
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 -o junit --output-file "$T/junit.xml"
	expect_rc 11
	expect_out_empty
	expect_err </dev/null
	no_setup_calls | expect_calls
	expect_junit "$T/junit.xml"
	junit "$T/junit.xml" >"$T/got"
	{ junit_head 1 1 0; junit_case "$EAS_ID" "      <failure message=\"overall status Critical\" type=\"critical\">Root cause: Instance $EAS_ID-6c9f7d8b5-x2k4p hit CUDA out-of-memory: GPU0 memory used 79.6 GiB / 80 GiB while max batch size was 64; the inference process (pid 2871, python) was restarted 3 times in the last 30 minutes.

Issues:
- [Critical] GPU memory exhausted (CUDA OOM)
- [Warn] First-token latency elevated
- [Info] Host memory normal
</failure>"; junit_tail; } | compare junit "$T/got"
	! ls -a "$T" | grep -q '\.pai-diag\.' || fail "temporary file left behind"
}

# --fail-on never: a verdict never fails, whatever it says.
t_junit_fail_on_never() {
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 -o junit --fail-on never
	expect_rc 0
	expect_err </dev/null
	no_setup_calls | expect_calls
	expect_junit
	! grep -q '<failure\|<error' "$T/out" || fail "a failure with --fail-on never:" "$(cat "$T/out")"
	expect_out_has '<testsuite name="pai-diag" tests="1" failures="0" errors="0" skipped="0"'
}

# A fleet: one suite, a test case per target: a pass, a failure, an error.
t_junit_fleet_mixed() {
	eas_world '"Success"'
	edit_scenario '.task.result.summary.overall_status = "Warn"'
	pd -q -r cn-hangzhou -i "$EAS_ID" -i eas-m-unknown0 -i "$DLC_ID" -j 1 --no-setup --poll-interval 0 -o junit --fail-on critical --metrics-file "$T/m.prom"
	expect_rc 5
	expect_err <<EOF
pai-diag: error: eas-m-unknown0: EAS service 'eas-m-unknown0' not found in region 'cn-hangzhou'; check the service id and the region
EOF
	[ "$(grep -c '^sysom get-diagnosis-result' "$T/calls.log")" = 2 ] || fail "calls:" "$(cat "$T/calls.log")"
	grep -qx "pai-dlc get-job --region cn-hangzhou --job-id $DLC_ID --user-agent $UA" "$T/calls.log" || fail "calls:" "$(cat "$T/calls.log")"
	expect_junit
	junit >"$T/got"
	{ junit_head 3 0 1; junit_case "$EAS_ID"; cat <<EOF; junit_case "$DLC_ID"; junit_tail; } | compare junit "$T/got"
    <testcase classname="pai-diag.cn-hangzhou" name="eas-m-unknown0" time="T">
      <error message="EAS service &apos;eas-m-unknown0&apos; not found in region &apos;cn-hangzhou&apos;; check the service id and the region" type="invalid_target">EAS service &apos;eas-m-unknown0&apos; not found in region &apos;cn-hangzhou&apos;; check the service id and the region
</error>
    </testcase>
EOF
	expect_metrics "$T/m.prom"
	grep '^pai_diag_status' "$T/m.prom" >"$T/got"
	printf 'pai_diag_status{%s} %s\n' "$(labels "$EAS_ID")" 1 "$(labels eas-m-unknown0)" 3 \
	    "$(labels "$DLC_ID" DLC)" 1 | compare status "$T/got"
}

# Hostile text: markup, quotes, control characters XML does not allow, a
# lone surrogate and a secret; the report stays valid and says nothing secret.
t_junit_hostile_text() {
	eas_world '"Success"'
	edit_scenario '.task.result = {summary: {overall_status: "Critical", root_cause: "a <b>&\"c\" '"'"'d'"'"'\u0001\u0008\u000b\u001f]]> FakeSecretNeverPrinted0000000001"},
	    issues: [{severity: "Crit<ical>", title: "t&x \udc80 \uffff </failure>"}]}'
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 -o junit
	expect_rc 11
	expect_err </dev/null
	no_setup_calls | expect_calls
	expect_junit
	sed -n '/<failure/,/<\/failure>/p' "$T/out" >"$T/got"
	compare failure "$T/got" <<'EOF'
      <failure message="overall status Critical" type="critical">Root cause: a &lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;\u0001\u0008\u000b\u001f]]&gt; [REDACTED]

Issues:
- [Crit&lt;ical&gt;] t&amp;x �  &lt;/failure&gt;
</failure>
EOF
}

# JUnit reports a diagnosis: doctor and --dry-run have none.
t_junit_refused() {
	pd doctor -o junit
	expect_rc 2
	expect_out_empty
	expect_err <<EOF
pai-diag: error: doctor has no JUnit report: -o junit reports a diagnosis
try 'pai-diag --help'
EOF
	expect_no_calls
	pd -r cn-hangzhou -i "$EAS_ID" --dry-run -o junit
	expect_rc 2
	expect_out_empty
	expect_err_has "pai-diag: error: --dry-run has no JUnit report: -o junit reports a diagnosis"
	expect_no_calls
}

# The validators refuse what they are for: without this the tests above
# could pass on a checker that accepts anything.
t_metrics_validators_refuse() {
	local bad
	while IFS= read -r bad; do
		printf "$bad" >"$T/bad.prom"
		! /usr/bin/python3 tests/e2e/check-metrics.py "$T/bad.prom" >/dev/null 2>&1 ||
		    fail "check-metrics.py accepts: $bad"
	done <<'EOF'
a 1\n
# TYPE a gauge\na 1\n
# HELP a h\n# TYPE a gauge\na{b="c"} 1\na{b="c"} 2\n
# HELP a h\n# TYPE a gauge\na{b="c\\q"} 1\n
# HELP a h\n# TYPE a gauge\na{b="c"} one\n
# HELP a h\n# TYPE a gauge\na{b="c",b="d"} 1\n
# HELP a h\n# TYPE a gauge\na 1\n# HELP b h\n# TYPE b gauge\nb 1\na 2\n
# HELP a h\n# TYPE a gauge\na 1\n# HELP a h\n
# HELP a h\n# TYPE a gauge\na 1
EOF
	while IFS= read -r bad; do
		printf '%s' "$bad" >"$T/bad.xml"
		! /usr/bin/python3 tests/e2e/check-junit.py "$T/bad.xml" >/dev/null 2>&1 ||
		    fail "check-junit.py accepts: $bad"
	done <<'EOF'
<testsuite name="a" tests="0" failures="0" errors="0" time="0" timestamp="2026-01-01T00:00:00"/>
<testsuites><testsuite name="a" tests="1" failures="0" errors="0" time="0" timestamp="2026-01-01T00:00:00"><testcase name="x" classname="c" time="0"><failure message="m" type="t"/></testcase></testsuite></testsuites>
<testsuites><testsuite name="a" tests="1" failures="0" errors="0" time="0" timestamp="2026-01-01T00:00:00"><testcase name="x" time="0"/></testsuite></testsuites>
<testsuites><testsuite name="a" tests="1" failures="1" errors="0" time="0" timestamp="2026-01-01T00:00:00"><testcase name="x" classname="c" time="0"><failure type="t"/></testcase></testsuite></testsuites>
<testsuites><testsuite name="a" tests="1" failures="0" errors="0" time="0" timestamp="2026-01-01T00:00:00"><testcase name="x&#1;" classname="c" time="0"/></testsuite></testsuites>
<testsuites><testsuite name="a" tests="1" failures="0" errors="0" time="0"><testcase name="x" classname="c" time="0"/></testsuite></testsuites>
EOF
	printf '# HELP a h\n# TYPE a gauge\na{b="c\\"\\\\\\n"} 1.5e3\n' >"$T/good.prom"
	/usr/bin/python3 tests/e2e/check-metrics.py "$T/good.prom" >"$T/out" 2>"$T/err" ||
	    fail "check-metrics.py refuses valid text:" "$(cat "$T/err")" "$(cat "$T/good.prom")"
	echo "1 series" | expect_out
	expect_err </dev/null
}

# A run without a verdict is an error: a timeout says how to resume; a
# usage error is still a report a CI can read.
t_junit_errors() {
	eas_world '"Running","Running","Running"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 --max-polls 2 -o junit
	expect_rc 7
	expect_err <<EOF
pai-diag: task $TASK is still Running after 2 polls; resume with: pai-diag --region cn-hangzhou --task-id $TASK
EOF
	{ no_setup_calls; poll_call; } | expect_calls
	expect_junit
	junit >"$T/got"
	{ junit_head 1 0 1; junit_case "$EAS_ID" "      <error message=\"task $TASK is still Running after 2 polls\" type=\"timeout\">task $TASK is still Running after 2 polls
Resume with: pai-diag --region cn-hangzhou --task-id $TASK
</error>"; junit_tail; } | compare junit "$T/got"
	: >"$T/calls.log"
	pd -q -i "$EAS_ID" -o junit
	expect_rc 2
	expect_err <<EOF
pai-diag: error: --region is required (or give the target as $EAS_ID@REGION)
try 'pai-diag --help'
EOF
	expect_no_calls
	expect_junit
	junit >"$T/got"
	compare junit "$T/got" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="pai-diag" tests="1" failures="0" errors="1" skipped="0" time="T" timestamp="T">
    <testcase classname="pai-diag" name="$EAS_ID" time="T">
      <error message="--region is required (or give the target as $EAS_ID@REGION)" type="usage_error">--region is required (or give the target as $EAS_ID@REGION)
</error>
    </testcase>
  </testsuite>
</testsuites>
EOF
}

# A regression is a verdict: status is its overall status's level, and a
# JUnit failure of type regressed.
t_metrics_regressed() {
	healthy_world
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0
	expect_rc 0
	eas_world '"Success"'
	rm -rf "$T/state"/*
	: >"$T/calls.log"
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --poll-interval 0 --fail-on new -o junit --metrics-file "$T/m.prom"
	expect_rc 12
	expect_err </dev/null
	no_setup_calls | expect_calls
	expect_junit
	expect_out_has '<failure message="an issue at Warn or above is new since the baseline; overall status Critical" type="regressed">Root cause: Instance'
	{
		echo "pai_diag_status{$(labels "$EAS_ID")} 2"
		critical_issues "$EAS_ID"
		times "$EAS_ID"
	} | expect_samples "$T/m.prom"
}
