# The text report's layout: paragraphs wrapped to a terminal's width (and
# never in a pipe or a report file), an object member as key=value words,
# no doubled "Diagnosis failed:".

ROOT_CAUSE='Instance eas-m-bp79exq2lzbd0ctdfu-6c9f7d8b5-x2k4p hit CUDA out-of-memory: GPU0 memory used 79.6 GiB / 80 GiB while max batch size was 64; the inference process (pid 2871, python) was restarted 3 times in the last 30 minutes.'

# The report's body: what is wrapped, without the header's lines and the
# console's address (a label and one word each, never broken), in
# $T/body.
body() {
	sed -n '/^Overall status:/,/^SysOM console:/p' "$T/out" | grep -v '^SysOM console:' >"$T/body"
}

# The calls of one run against eas_world's task (Running, Success).
one_run_calls() {
	{ setup_calls; initial_call; list_calls; invoke_call; polls 2; restore_calls; } | expect_calls
	# The next run starts afresh: the task again, the plugins updated again.
	: >"$T/calls.log"
	rm -rf "$T/state" "$HOME/.local/state/pai-diag"
}

# A terminal of 60 columns (its window size): every paragraph wrapped
# after its lead, continuation lines indented, nothing lost.
t_layout_terminal_width() {
	eas_world
	pd_tty 60 -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --color never
	expect_rc 11
	{ eas_header; cat <<'EOF'; } | expect_out
Overall status: Critical

Root cause:
  Instance eas-m-bp79exq2lzbd0ctdfu-6c9f7d8b5-x2k4p hit CUDA
  out-of-memory: GPU0 memory used 79.6 GiB / 80 GiB while
  max batch size was 64; the inference process (pid 2871,
  python) was restarted 3 times in the last 30 minutes.

Suggestions:
  1. Reduce max batch size or max sequence length in the
     service config to lower peak GPU memory.
  2. Enable request queueing / concurrency limits so bursts
     do not over-commit GPU memory.
  3. Scale out to more instances or move to a GPU spec with
     more memory.
  4. After the change, re-run diagnosis to confirm GPU
     memory headroom above 10%.

Issues (3):
  [Critical] GPU memory exhausted (CUDA OOM)
      GPU0 memory utilization 99.5% (79.6/80 GiB); 3
      OOM-triggered restarts of pid 2871 in 30 min
      item: gpu_diag
      subsystem: GPU
      metrics: gpu_mem_used_gib=79.6 gpu_mem_total_gib=80
        oom_restarts_30m=3
  [Warn] First-token latency elevated
      p99 first-token latency 4.8 s vs 1.2 s baseline
      item: inference_latency
      subsystem: Inference
      metrics: ttft_p99_ms=4800 ttft_baseline_ms=1200
  [Info] Host memory normal
      MemAvailable 61% of 256 GiB; no memcg OOM events
      item: memgraph
      subsystem: Memory
      metrics: mem_available_pct=61

SysOM console: /diagnose/detail/Vq7mZ2xK
EOF
	expect_err </dev/null
	expect_within 60
	[ "$(paragraph 'Root cause:')" = "$ROOT_CAUSE" ] ||
	    fail "the root cause joined back: $(paragraph 'Root cause:')"
	one_run_calls

	# Colour takes no columns: the severity's line is not cut shorter.
	pd_tty 36 -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --color always
	expect_rc 11
	body
	expect_within 36 "$T/body"
	expect_out_line '  eas-m-bp79exq2lzbd0ctdfu-6c9f7d8b5-x2k4p'
	expect_out_line $'  \e[1;31m[Critical]\e[0m GPU memory exhausted'
	expect_out_line '    (CUDA OOM)'
	[ "$(paragraph 'Root cause:')" = "$ROOT_CAUSE" ] ||
	    fail "the root cause joined back at 36: $(paragraph 'Root cause:')"
	expect_err </dev/null
	one_run_calls
}

# A terminal that does not know its size: $COLUMNS when it is sane, else 80.
t_layout_columns_env() {
	eas_world
	COLUMNS=44 pd_tty 0 -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --color never
	expect_rc 11
	expect_within 44
	expect_out_line '  Instance'
	expect_out_line '  eas-m-bp79exq2lzbd0ctdfu-6c9f7d8b5-x2k4p'
	expect_out_line '  hit CUDA out-of-memory: GPU0 memory used'
	expect_err </dev/null
	one_run_calls
	COLUMNS=3x pd_tty 0 -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --color never
	expect_rc 11
	expect_within 80
	expect_out_line '  Instance eas-m-bp79exq2lzbd0ctdfu-6c9f7d8b5-x2k4p hit CUDA out-of-memory: GPU0'
	expect_err </dev/null
	one_run_calls
	# The window's size wins over $COLUMNS.
	COLUMNS=44 pd_tty 70 -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --color never
	expect_rc 11
	expect_within 70
	expect_out_line '  Instance eas-m-bp79exq2lzbd0ctdfu-6c9f7d8b5-x2k4p hit CUDA'
	expect_err </dev/null
	one_run_calls
}

# Scripts see whole lines: a pipe, or --output-file, is never wrapped,
# whatever $COLUMNS says.
t_layout_pipe_and_file_unwrapped() {
	eas_world
	COLUMNS=40 pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	expect_out_line "  $ROOT_CAUSE"
	expect_out_line '      metrics: gpu_mem_used_gib=79.6 gpu_mem_total_gib=80 oom_restarts_30m=3'
	expect_err </dev/null
	one_run_calls
	pd_tty 40 -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --output-file "$T/report.txt"
	expect_rc 11
	expect_out_empty
	expect_err </dev/null
	grep -qxF "  $ROOT_CAUSE" "$T/report.txt" || fail "the report file is wrapped:" "$(head -20 "$T/report.txt")"
	! grep -q $'\e' "$T/report.txt" || fail "the report file has colour"
	one_run_calls
}

# UTF-8 is counted in characters (CJK twice) and never split; a word
# longer than the line is left whole on a line of its own.
t_layout_utf8_long_word() {
	local cause url
	url='https://help.aliyun.com/zh/pai/user-guide/troubleshooting/eas-service-out-of-memory'
	cause="Überlastung: 显存不足导致推理进程在三十分钟内重启了三次，请检查批大小 see $url for the naïve café résumé of steps"
	eas_world
	edit_scenario --arg c "$cause" '.task.result = {"summary":{"overall_status":"Warn","root_cause":$c}}'
	pd_tty 30 -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --color never
	expect_rc 10
	{ eas_header; cat <<EOF; } | expect_out
Overall status: Warn

Root cause:
  Überlastung: 显存不足导致推
  理进程在三十分钟内重启了三次
  ，请检查批大小 see
  $url
  for the naïve café résumé of
  steps

SysOM console: /diagnose/detail/$TASK
EOF
	body
	expect_within 30 "$T/body"
	[ "$(paragraph 'Root cause:' | tr -d ' ')" = "$(tr -d ' ' <<<"$cause")" ] ||
	    fail "the root cause joined back: $(paragraph 'Root cause:')"
	expect_err </dev/null
	one_run_calls
}

# A secret in a paragraph is masked before wrapping: a break between a
# key and its value cannot let the value through.
t_layout_wrap_keeps_masking() {
	eas_world
	edit_scenario '.task.result = {"summary":{"overall_status":"Warn","root_cause":"the init script sets password: hunter2hunter2 and AccessKeySecret FakeSecretNeverPrinted0000000001 on every start"}}'
	pd_tty 24 -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --color never
	expect_rc 10
	! grep -q hunter2 "$T/out" || fail "a masked value came through:" "$(cat "$T/out")"
	expect_out_line '  password: [REDACTED]'
	expect_out_line '  and AccessKeySecret'
	expect_out_line '  [REDACTED] on every'
	body
	expect_within 24 "$T/body"
	expect_err </dev/null
	one_run_calls
}

# An object member (metrics) as key=value words: nested keys joined with
# a dot, array elements by index, strings bare unless they need quotes,
# a secret-named member hidden; wrapped between words, never inside one.
t_layout_metrics_pairs() {
	eas_world
	edit_scenario '.task.result = {"summary":{"overall_status":"Warn","root_cause":"x"},"issues":[{"severity":"Warn","title":"t","metrics":{"util":97,"note":"two words","gpu":{"id":"GPU-3","ecc":true,"xid":null},"pids":[2871,"py"],"empty":{},"none":[],"blank":"","q":"a\"b=c","api_token":"abc123abc123"}},{"title":"u","metrics":{}}]}'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 10
	{ eas_header; cat <<'EOF'; } | expect_out
Overall status: Warn

Root cause:
  x

Issues (2):
  [Warn] t
      metrics: util=97 note="two words" gpu.id=GPU-3 gpu.ecc=true gpu.xid=null pids.0=2871 pids.1=py empty={} none=[] blank="" q="a\"b=c" api_token=[REDACTED]
  u
      metrics: {}

SysOM console: /diagnose/detail/Vq7mZ2xK
EOF
	expect_err </dev/null
	one_run_calls
	pd_tty 40 -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --color never
	expect_rc 10
	expect_within 40
	expect_out_line '      metrics: util=97 note="two words"'
	expect_out_line '        gpu.id=GPU-3 gpu.ecc=true'
	expect_out_line '        api_token=[REDACTED]'
	expect_err </dev/null
	one_run_calls
}

# SysOM's err_msg already says "Diagnosis failed:": said once, in text
# and in Markdown.
t_layout_failed_once() {
	eas_world '"Running","Fail"'
	edit_scenario '.task.err_msg = "DIAGNOSIS FAILED: target instance has no running pods to diagnose, so no node, pod or process could be inspected at all"'
	pd_tty 50 -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --color never
	expect_rc 6
	{ eas_header; cat <<'EOF'; } | expect_out
Diagnosis failed: target instance has no running
  pods to diagnose, so no node, pod or process
  could be inspected at all
EOF
	expect_err <<EOF
pai-diag: error: diagnosis task $TASK failed: DIAGNOSIS FAILED: target instance has no running pods to diagnose, so no node, pod or process could be inspected at all
EOF
	one_run_calls
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o markdown
	expect_rc 6
	expect_out_has '## Diagnosis failed'
	expect_out_line 'target instance has no running pods to diagnose, so no node, pod or process could be inspected at all'
	! grep -qi 'failed: diagnosis failed\|^diagnosis failed:' "$T/out" || fail "doubled:" "$(cat "$T/out")"
	expect_err_has "diagnosis task $TASK failed"
	one_run_calls
}
