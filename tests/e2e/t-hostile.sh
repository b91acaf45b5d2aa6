# A hostile environment: signals while pai-diag is blocked outside its wait
# for aliyun, files that are not what they seem, bounded input.

# big_result N: a Success result of N issues of about 1 KiB each.
big_result() {
	eas_world '"Success"'
	jq -n --argjson n "$1" '{summary: {overall_status: "Warn", root_cause: "many", suggestions: []},
	        issues: [range(0; $n) | {severity: "Warn", title: "issue \(.)", detail: ("d" * 1000)}]}' >"$T/result.json"
	edit_scenario --slurpfile r "$T/result.json" '.task.result = $r[0]'
}

# wait_exit PID SECONDS: waits for a background pai-diag, RC its status;
# fails when it takes longer.
wait_exit() {
	local i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $(($2 * 20)) ] || fail "pai-diag still runs after $2 s"
		sleep 0.05
	done
	set +e
	wait "$1"
	RC=$?
	set -e
}

# A stdout nobody reads: SIGINT ends the blocked write.
t_sigint_ends_blocked_stdout() {
	big_result 3000
	mkfifo "$T/fifo"
	# A reader that opens the FIFO and never reads it.
	sleep 30 <"$T/fifo" &
	local reader=$!
	"$PAI_DIAG" -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json >"$T/fifo" 2>"$T/err" &
	PD_PID=$!
	wait_for_calls "configure ai-mode disable"
	sleep 0.5
	kill -0 "$PD_PID" || fail "pai-diag did not block on its stdout"
	kill -INT "$PD_PID"
	wait_exit "$PD_PID" 5
	kill "$reader" 2>/dev/null || true
	expect_rc 1
	expect_err <<EOT
pai-diag: error: cannot write the report: Interrupted system call
EOT
}

# --instances-file a FIFO nobody writes: SIGINT ends the read, no aliyun call.
t_sigint_ends_instances_fifo() {
	mkfifo "$T/targets"
	pd_bg -q -r cn-hangzhou --instances-file "$T/targets" -o json
	sleep 0.5
	kill -0 "$PD_PID" || fail "pai-diag did not wait for the FIFO"
	kill -INT "$PD_PID"
	wait_exit "$PD_PID" 5
	expect_rc 130
	expect_json '[.outcome,.exit_code,.error.message]' '["interrupted",130,"interrupted by SIGINT"]'
	expect_err <<EOT
pai-diag: error: interrupted by SIGINT
EOT
	expect_no_calls
}

# A FIFO as the plugin-update record is not a record: a warning, no block.
t_state_record_fifo() {
	eas_world '"Success"'
	mkdir -p "$T/xdg/pai-diag"
	mkfifo "$T/xdg/pai-diag/plugin-update.json"
	export XDG_STATE_HOME="$T/xdg"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json
	expect_rc 11
	expect_json '.warnings' "[\"ignoring the state file '$T/xdg/pai-diag/plugin-update.json': not a regular file\"]"
	grep -qx "plugin update" "$T/calls.log" || fail "plugin update did not run"
}

# --output-file is checked before any aliyun call.
t_output_file_checked_first() {
	local f
	eas_world '"Success"'
	mkdir "$T/dir"
	for f in "" "$T/dir" "$T/dir/" "$T/missing/r.json" "/proc/pai-diag-test-r.json"; do
		pd -q -r cn-hangzhou -i "$EAS_ID" -o json --output-file "$f"
		expect_rc 2
		expect_json '.outcome' '"usage_error"'
		expect_no_calls
	done
	pd -q -r cn-hangzhou -i "$EAS_ID" --output-file "$T/dir"
	expect_err <<EOT
pai-diag: error: --output-file '$T/dir' is a directory
try 'pai-diag --help'
EOT
	pd -q -r cn-hangzhou -i "$EAS_ID" --output-file ""
	expect_err <<EOT
pai-diag: error: --output-file is empty
try 'pai-diag --help'
EOT
}

# A device or a FIFO is written in place, never renamed over.
t_output_file_device_and_fifo() {
	eas_world '"Success"'
	ln -s /dev/null "$T/null"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json --output-file "$T/null"
	expect_rc 11
	expect_out_empty
	[ -L "$T/null" ] && [ -c /dev/null ] || fail "the device or its link was replaced"
	rm -rf "$T/state"
	mkfifo "$T/fifo"
	cat "$T/fifo" >"$T/got" &
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json --output-file "$T/fifo"
	wait
	expect_rc 11
	[ -p "$T/fifo" ] || fail "the FIFO was replaced"
	[ "$(jq -r .outcome "$T/got")" = critical ] || fail "the FIFO's reader got: $(head -c 300 "$T/got")"
	# A link to a regular file: the file is replaced, the link stays.
	echo old >"$T/real.json"
	ln -s real.json "$T/link.json"
	rm -rf "$T/state"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json --output-file "$T/link.json"
	expect_rc 11
	[ -L "$T/link.json" ] || fail "the link was replaced"
	[ "$(jq -r .outcome "$T/real.json")" = critical ] || fail "the linked file was not written"
}

# The report file cannot be written after all: the report goes to stdout.
t_output_file_lost_late() {
	eas_world '"Running","Success"' ', "rules": [{"cmd": "sysom get-diagnosis-result", "times": 1, "delay_ms": 800, "stdout": "{\"code\":\"Success\",\"message\":\"\",\"request_id\":\"R\",\"data\":{\"task_id\":\"Vq7mZ2xK\",\"status\":\"Running\"}}"}]'
	mkdir "$T/gone"
	pd_bg -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json --output-file "$T/gone/r.json"
	wait_for_calls "get-diagnosis-result"
	rm -rf "$T/gone"
	wait_exit "$PD_PID" 10
	expect_rc 1
	expect_err <<EOT
pai-diag: error: cannot write the report to '$T/gone/r.json': No such file or directory; it follows on stdout
EOT
	# The report keeps the diagnosis's verdict and exit code.
	expect_json '[.outcome,.exit_code]' '["critical",11]'
}

# --instances-file is bounded: lines, the whole file, NUL bytes.
t_instances_file_bounded() {
	local start
	start=$(date +%s)
	pd -q -r cn-hangzhou --instances-file /dev/zero
	expect_rc 2
	[ $(( $(date +%s) - start )) -le 2 ] || fail "/dev/zero was read for too long"
	expect_err <<EOT
pai-diag: error: --instances-file: /dev/zero line 1: longer than 4096 bytes
try 'pai-diag --help'
EOT
	{ echo eas-m-aaa; head -c 5000 /dev/zero | tr '\0' x; echo; } >"$T/long"
	pd -q -r cn-hangzhou --instances-file "$T/long"
	expect_rc 2
	expect_err_has "--instances-file: $T/long line 2: longer than 4096 bytes"
	printf 'eas-m-aaa\neas-m-b\0b\n' >"$T/nul"
	pd -q -r cn-hangzhou --instances-file "$T/nul"
	expect_rc 2
	expect_err_has "--instances-file: $T/nul line 2: a NUL byte"
	yes '# a comment line that pads the file out to well past four mebibytes' | head -n 80000 >"$T/huge"
	pd -q -r cn-hangzhou --instances-file "$T/huge"
	expect_rc 2
	expect_err_has "--instances-file: $T/huge: more than 4 MiB (at line"
	expect_no_calls
}

# pai-diag stopped past --call-timeout while aliyun answered: the answer
# counts, no timeout.
t_stop_cont_keeps_answer() {
	eas_world '"Success"' ', "rules": [{"cmd": "version", "delay_ms": 300, "stdout": "3.4.11\n"}]'
	pd_bg -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --call-timeout 1 -o json
	wait_for_calls "^version"
	kill -STOP "$PD_PID"
	sleep 2
	kill -CONT "$PD_PID"
	wait_exit "$PD_PID" 10
	expect_rc 11
	expect_json '[.outcome,.error]' '["critical",null]'
}

# Markdown from SysOM text is inert: no heading, list, quote, link, image,
# HTML, code span, table cell or autolink comes from it; only an http(s)
# or root-relative console URL is linked.
t_markdown_inert() {
	eas_world '"Success"'
	edit_scenario '.task.url = "javascript:alert(1)" | .task.result = {"summary":{"overall_status":"Warn","root_cause":"# Heading\n- item\n    code\n> quote\n1. one\n[click](https://evil.example) ![img](https://evil.example/x.png) <script>alert(1)</script> `code` *em* _u_ ~~s~~ &amp; see https://evil.example or www.evil.example or me@evil.example","suggestions":["<img src=x onerror=alert(1)>"]},"issues":[{"severity":"Warn","title":"a | b","detail":"[x](y)"}]}'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o markdown
	expect_rc 10
	expect_out <<'EOT'
# SysOM diagnosis of eas-m-bp79exq2lzbd0ctdfu

| | |
|---|---|
| Product | EAS |
| Region | cn-hangzhou |
| Mode | real-time |
| Task | Vq7mZ2xK |
| SysOM console | javascript:alert(1) |

## Overall status: Warn

## Root cause

\# Heading
\- item
code
&gt; quote
1\. one
`[click](https://evil.example)` `![img](https://evil.example/x.png)` &lt;script&gt;alert(1)&lt;/script&gt; \`code\` \*em\* \_u\_ \~\~s\~\~ &amp;amp; see `https://evil.example` or `www.evil.example` or `me@evil.example`

## Suggestions

1. &lt;img src=x onerror=alert(1)&gt;

## Issues (1)

| Severity | Title | Detail |
|---|---|---|
| Warn | a \| b | \[x\](y) |

EOT
	# As GitHub's Markdown renders it: nothing of SysOM's becomes a link,
	# an image, HTML, a heading, a list item or a quote.
	cmark-gfm --extension table --extension autolink --extension strikethrough \
	    "$T/out" >"$T/html"
	[ "$(grep -o '<a \|<img\|<script\|<h[1-6]\|<li\|<blockquote\|<pre\|<del' "$T/html" | sort | uniq -c | tr -s ' ' | tr '\n' ';')" = \
	    ' 1 <h1; 4 <h2; 1 <li;' ] || fail "rendered HTML:" "$(cat "$T/html")"
	# A root-relative console URL is linked.
	rm -rf "$T/state"
	edit_scenario '.task.url = "/diagnose/detail/Vq7mZ2xK"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o markdown
	cmark-gfm --extension table --extension autolink "$T/out" | grep -q '<a href="/diagnose/detail/Vq7mZ2xK">' ||
	    fail "the console link is not a link"
}

# Only fds 0-2 reach aliyun, whatever pai-diag inherited.
t_no_inherited_fds() {
	eas_world '"Success"'
	set +e
	"$PAI_DIAG" -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json 5<"$T/scenario.json" 7>"$T/extra" >"$T/out" 2>"$T/err"
	RC=$?
	set -e
	expect_rc 11
	[ -s "$T/env.log" ] || fail "no environment log"
	grep -v ' fds=-$' "$T/env.log" && fail "an fd above 2 reached aliyun"
	true
}

# A grandchild that left the process group (setsid) is ended with its
# call, on success and on timeout alike.
t_setsid_grandchild_ended() {
	local gc
	eas_world '"Success"' ', "rules": [{"cmd": "version", "grandchild_setsid": true, "stdout": "3.4.11\n"}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	gc=$(cat "$T/state/grandchild.pid")
	sleep 0.2
	! alive "$gc" || fail "escaped grandchild $gc survived a finished call"
	rm -rf "$T/state"
	eas_world '"Success"' ', "rules": [{"cmd": "sysom initial-sysom", "grandchild_setsid": true, "hang": true}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --call-timeout 1
	expect_rc 1
	gc=$(cat "$T/state/grandchild.pid")
	sleep 0.2
	! alive "$gc" || fail "escaped grandchild $gc survived a timed-out call"
}

# A call that closes its output and still works before it exits is waited
# for, not killed (issue: GNU cat, wrapper scripts, configure writing its
# file after printing).
t_closed_output_is_waited_for() {
	eas_world '"Success"' ', "rules": [{"cmd": "configure ai-mode enable", "close_then_ms": 300}, {"cmd": "sysom initial-sysom", "close_then_ms": 300, "stdout": "{\"RequestId\":\"R\",\"code\":\"Success\",\"message\":\"\",\"data\":{\"role_exist\":true}}"}]'
	pd -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json -v --progress none
	expect_rc 11
	expect_err_has "run: aliyun configure ai-mode enable ("
	grep 'run: aliyun configure ai-mode enable\|run: aliyun sysom initial-sysom' "$T/err" | grep -v 'exit 0)' &&
	    fail "a lingering call did not end with its own exit 0"
	expect_err_lacks "signal 9"
	# One that closes its output and never exits is a timeout, no orphan.
	rm -rf "$T/state"
	eas_world '"Success"' ', "rules": [{"cmd": "sysom initial-sysom", "close_then_ms": 1, "hang": true, "grandchild": true}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --call-timeout 1
	expect_rc 1
	expect_err_has "cannot initialise SysOM: no answer within 1 s (--call-timeout)"
	gc=$(cat "$T/state/grandchild.pid")
	sleep 0.2
	! alive "$gc" || fail "grandchild $gc survived"
}

# Invisible and control characters from anything pai-diag did not write
# itself (SysOM text, --aliyun, PAI_DIAG_ALIYUN, file paths, the profile
# name) are shown as visible \uXXXX text, never raw.
t_invisible_text_escaped() {
	local raw
	no_raw_err() {
		! grep -qE $'\e|\u202e|\u2067|\u200b|\u009b' "$T/err" ||
			fail "raw character on stderr:" "$(od -c "$T/err" | head)"
	}
	eas_world '"Success"'
	edit_scenario '.task.result = {"summary": {"overall_status": "Warn", "root_cause": "a\u0085b\u009bc\u202ed\u2066e\u200bf\u2028g\u00adh\ufeffi", "suggestions": ["s\u202e"]}}'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --no-setup
	expect_rc 10
	expect_out_has '  a\u0085b\u009bc\u202ed\u2066e\u200bf\u2028g\u00adh\ufeffi'
	expect_out_has '  1. s\u202e'
	for raw in $'\u0085' $'\u009b' $'\u202e' $'\u2066' $'\u200b' $'\u2028' $'\u00ad' $'\ufeff'; do
		grep -qF "$raw" "$T/out" && fail "raw character in the report:" "$(od -c "$T/out" | head)"
	done
	: >"$T/calls.log"
	pd -r cn-hangzhou -i "$EAS_ID" --aliyun $'/no/\u202eevil\u009b\e]0;title\a'
	expect_rc 3
	expect_err_has "cannot run '/no/\\u202eevil\\u009b'"
	no_raw_err
	PAI_DIAG_ALIYUN=$'/no/\e[2Jx\u2067' pd -r cn-hangzhou -i "$EAS_ID"
	expect_rc 3
	expect_err_has "cannot run '/no/x\\u2067'"
	no_raw_err
	pd -r cn-hangzhou --instances-file $'/no/\u202efile'
	expect_rc 2
	expect_err_has "cannot read '/no/\\u202efile'"
	no_raw_err
	pd -r cn-hangzhou -i "$EAS_ID" --output-file $'/no/\u200bfile\e[1m'
	expect_rc 2
	expect_err_has "--output-file '/no/\\u200bfile'"
	no_raw_err
	pd -r cn-hangzhou -i "$EAS_ID" --profile $'p\u202eq'
	expect_rc 2
	expect_err_has "profile contains '\\u202e' (U+202E)"
	no_raw_err
	expect_no_calls
}
