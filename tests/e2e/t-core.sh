# The core workflow end to end: the public skill's acceptance cases, one
# test per exit code, and the setup paths.  See lib.sh for the helpers.

CRITICAL_REPORT_BODY='Overall status: Critical

Root cause:
  Instance eas-m-bp79exq2lzbd0ctdfu-6c9f7d8b5-x2k4p hit CUDA out-of-memory: GPU0 memory used 79.6 GiB / 80 GiB while max batch size was 64; the inference process (pid 2871, python) was restarted 3 times in the last 30 minutes.

Suggestions:
  1. Reduce max batch size or max sequence length in the service config to lower peak GPU memory.
  2. Enable request queueing / concurrency limits so bursts do not over-commit GPU memory.
  3. Scale out to more instances or move to a GPU spec with more memory.
  4. After the change, re-run diagnosis to confirm GPU memory headroom above 10%.

Issues (3):
  [Critical] GPU memory exhausted (CUDA OOM)
      GPU0 memory utilization 99.5% (79.6/80 GiB); 3 OOM-triggered restarts of pid 2871 in 30 min
      item: gpu_diag
      subsystem: GPU
      metrics: gpu_mem_used_gib=79.6 gpu_mem_total_gib=80 oom_restarts_30m=3
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

SysOM console: /diagnose/detail/Vq7mZ2xK'

# Acceptance 1: EAS real-time, a Critical result.
t_eas_realtime_critical() {
	eas_world '"Ready","Running","Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --description "GPU OOM  restarts " --poll-interval 0
	expect_rc 11
	{ eas_header; echo "$CRITICAL_REPORT_BODY"; } | expect_out
	expect_err </dev/null
	{
		setup_calls
		initial_call
		list_calls
		invoke_call "$EAS_ID" ',"ocd_description":"GPU_OOM_restarts"'
		polls 3
		restore_calls
	} | expect_calls
}

# Acceptance 2: DLC historical, the result sent as a JSON string; Warn.
t_dlc_historical_warn() {
	eas_world '"Running","Success"' ', "rules": []'
	edit_scenario '.task.result_as_string = true | .task.result = {"product":"DLC","diagnose_mode":"history","summary":{"overall_status":"Warn","root_cause":"NCCL all-reduce on node lingjun-node-07 stalled 41 s per step due to RDMA link flaps (mlx5_3 down/up 12 times)","suggestions":["Cordon lingjun-node-07 and resubmit the job","Open a hardware ticket for NIC mlx5_3"]},"issues":[{"severity":"Warn","title":"Per-step throughput dropped 63%","detail":"step time 9.8 s vs 3.6 s baseline"}]}'
	pd -q -r cn-hangzhou -i "$DLC_ID" --start '2026-08-20 09:00' --end '2026-08-20T11:30:00Z' --poll-interval 0
	expect_rc 10
	expect_out <<EOF
Instance:  $DLC_ID
Product:   DLC
Region:    cn-hangzhou
Mode:      historical, 2026-08-20 09:00:00 UTC to 2026-08-20 11:30:00 UTC
Task:      $TASK

Overall status: Warn

Root cause:
  NCCL all-reduce on node lingjun-node-07 stalled 41 s per step due to RDMA link flaps (mlx5_3 down/up 12 times)

Suggestions:
  1. Cordon lingjun-node-07 and resubmit the job
  2. Open a hardware ticket for NIC mlx5_3

Issues (1):
  [Warn] Per-step throughput dropped 63%
      step time 9.8 s vs 3.6 s baseline

SysOM console: /diagnose/detail/$TASK
EOF
	expect_err </dev/null
	{
		setup_calls
		initial_call
		echo "pai-dlc get-job --region cn-hangzhou --job-id $DLC_ID --user-agent $UA"
		echo "sysom invoke-diagnosis --service-name ocd --channel ecs --params '{\"instance\":\"$DLC_ID\",\"region\":\"cn-hangzhou\",\"product\":\"DLC\",\"start_time\":1787216400,\"end_time\":1787225400,\"type\":\"ocd\",\"ai_roadmap\":true,\"enable_sysom_link\":false}' --user-agent $UA"
		polls 2
		restore_calls
	} | expect_calls
}

# Acceptance 3: an id whose product cannot be inferred is a usage error.
t_ambiguous_id_is_usage_error() {
	pd -r cn-hangzhou -i i-bp1abc
	expect_rc 2
	expect_out_empty
	expect_err <<EOF
pai-diag: error: cannot tell the product of 'i-bp1abc' from its prefix; give --product EAS or --product DLC
try 'pai-diag --help'
EOF
	expect_no_calls
}

# Acceptance 4: an EAS id that is not in the region: exit 5, no invoke.
t_eas_unknown_id_not_found() {
	eas_world
	pd -q -r cn-hangzhou -i eas-m-doesnotexist0 --poll-interval 0
	expect_rc 5
	expect_out_empty
	expect_err <<EOF
pai-diag: error: EAS service 'eas-m-doesnotexist0' not found in region 'cn-hangzhou'; check the service id and the region
EOF
	{
		setup_calls
		initial_call
		list_calls eas-m-doesnotexist0
		restore_calls
	} | expect_calls
}

# Acceptance 5: --product DLC wins over the eas- prefix.
t_product_override_dlc() {
	eas_world
	pd -q -r cn-hangzhou -i "$EAS_ID" --product dlc --poll-interval 0
	expect_rc 5
	expect_out_empty
	expect_err <<EOF
pai-diag: error: DLC job '$EAS_ID' not found in region 'cn-hangzhou'; check the job id and the region
EOF
	{
		setup_calls
		initial_call
		echo "pai-dlc get-job --region cn-hangzhou --job-id $EAS_ID --user-agent $UA"
		restore_calls
	} | expect_calls
}

# Acceptance 6: Forbidden.RAM on ListServices names the missing action.
t_forbidden_list_services() {
	eas_world '"Success"' ', "rules": [{"cmd": "eas list-services", "error": {"form": "plugin", "http": 403, "body": {"RequestId": "A1B2C3D4-E5F6-5789-8ABC-DEF012345678", "HostId": "pai-eas.cn-hangzhou.aliyuncs.com", "Code": "Forbidden.RAM", "Message": "User not authorized to operate on the specified resource, or this API doesn'"'"'t support RAM.", "AccessDeniedDetail": {"AuthAction": "eas:ListServices", "AuthPrincipalType": "SubUser", "NoPermissionType": "ImplicitDeny"}}}}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 4
	expect_out_empty
	expect_err <<EOF
pai-diag: error: cannot list EAS services: permission denied: Forbidden.RAM: User not authorized to operate on the specified resource, or this API doesn't support RAM. (request id A1B2C3D4-E5F6-5789-8ABC-DEF012345678); the RAM user needs 'eas:ListServices' (see references/ram-policies.md)
EOF
	{
		setup_calls
		initial_call
		list_calls | head -n 1
		restore_calls
	} | expect_calls
}

# Exit 0: an Info result.
t_info_is_healthy() {
	eas_world '"Success"'
	edit_scenario '.task.result = {"summary":{"overall_status":"Info","root_cause":"No anomaly found","suggestions":[]},"issues":[]}'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 0
	{ eas_header; cat <<EOF; } | expect_out
Overall status: Info

Root cause:
  No anomaly found

SysOM console: /diagnose/detail/$TASK
EOF
	expect_err </dev/null
	{ setup_calls; initial_call; list_calls; invoke_call; polls 1; restore_calls; } | expect_calls
}

# --fail-on decides the exit code, not the outcome.
t_fail_on_levels() {
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --fail-on never -o json
	expect_rc 0
	expect_json '[.ok,.outcome,.exit_code]' '[true,"critical",0]'
	: >"$T/calls.log"; rm -rf "$T/state"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --fail-on critical -o json
	expect_rc 11
	expect_json '[.ok,.outcome,.exit_code]' '[true,"critical",11]'
}

# Exit 6: the task failed; only err_msg is reported.
t_task_fail() {
	eas_world '"Running","Fail"'
	edit_scenario '.task.err_msg = "Diagnosis failed: target instance has no running pods to diagnose"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 6
	{ eas_header; echo "Diagnosis failed: target instance has no running pods to diagnose"; } | expect_out
	expect_err <<EOF
pai-diag: error: diagnosis task $TASK failed: Diagnosis failed: target instance has no running pods to diagnose
EOF
	{ setup_calls; initial_call; list_calls; invoke_call; polls 2; restore_calls; } | expect_calls
}

# Exit 7: still running after --max-polls: the skill's template, exactly.
t_timeout_template() {
	eas_world '"Ready","Running"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --max-polls 3
	expect_rc 7
	expect_out <<EOF
⏳ SysOM diagnosis task timed out
- Task ID: $TASK
- Current status: Running
- Suggestion: Please continue waiting for the diagnosis to complete.
EOF
	expect_err <<EOF
pai-diag: task $TASK is still Running after 3 polls; resume with: pai-diag --region cn-hangzhou --task-id $TASK
EOF
	{ setup_calls; initial_call; list_calls; invoke_call; polls 3; restore_calls; } | expect_calls
}

# Exit 1: three failed polls in a row end the run with the cause.
t_three_failed_polls() {
	eas_world '"Running"' ', "rules": [{"cmd": "sysom get-diagnosis-result", "times": 1, "stdout": "{\"code\":\"Success\",\"data\":{\"task_id\":\"Vq7mZ2xK\",\"status\":\"Running\"}}"}, {"cmd": "sysom get-diagnosis-result", "error": {"form": "plugin", "http": 500, "body": {"Code": "InternalError", "Message": "The request processing has failed due to some unknown error.", "RequestId": "R-500"}}}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 1
	expect_out_empty
	expect_err <<EOF
pai-diag: warning: poll 2 of task $TASK failed: InternalError: The request processing has failed due to some unknown error. (request id R-500); retrying
pai-diag: warning: poll 3 of task $TASK failed: InternalError: The request processing has failed due to some unknown error. (request id R-500); retrying
pai-diag: error: 3 polls of task $TASK failed in a row: InternalError: The request processing has failed due to some unknown error. (request id R-500)
EOF
	{ setup_calls; initial_call; list_calls; invoke_call; polls 4; restore_calls; } | expect_calls
}

# A throttled poll is retried and is not a permission problem, nor a
# failed poll: no warning, counted in the envelope (t-rate.sh has more).
t_throttled_poll_recovers() {
	eas_world '"Success"' ', "rules": [{"cmd": "sysom get-diagnosis-result", "times": 2, "error": {"form": "envelope", "http": 429, "body": {"Code": "Throttling.User", "Message": "Request was denied due to user flow control.", "RequestId": "R-429"}}}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json
	expect_rc 11
	expect_json '[.outcome,.polls,.throttled,.status,.warnings]' '["critical",3,2,"Success",[]]'
	{ setup_calls; initial_call; list_calls; invoke_call; polls 3; restore_calls; } | expect_calls
}

# Exit 3: no aliyun at all; nothing runs.
t_aliyun_missing() {
	pd -q -r cn-hangzhou -i "$EAS_ID" --aliyun "$T/no-such-aliyun"
	expect_rc 3
	expect_out_empty
	expect_err <<EOF
pai-diag: error: cannot run '$T/no-such-aliyun': No such file or directory; install the aliyun CLI (see references/cli-installation-guide.md) or point --aliyun at it
EOF
	expect_no_calls
}

# Exit 3: a CLI older than 3.3.1 (and without ai-mode).
t_old_cli() {
	scenario <<<'{"version": "3.2.0"}'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 3
	expect_out_empty
	expect_err <<EOF
pai-diag: warning: this aliyun has no 'configure ai-mode' (it came in 3.3.3): its calls go unattributed
pai-diag: error: aliyun 3.2.0 is older than 3.3.1; update it (see references/cli-installation-guide.md)
EOF
	printf '%s\n' "configure ai-mode show" "configure ai-mode enable" "plugin update" "version" | expect_calls
}

# 3.3.1-3.3.2: no ai-mode ("vaild"), but new enough: the run goes on
# without steps 2 and 11.
t_cli_without_ai_mode() {
	eas_world '"Success"' ', "version": "3.3.2"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	expect_err <<EOF
pai-diag: warning: this aliyun has no 'configure ai-mode' (it came in 3.3.3): its calls go unattributed
EOF
	{
		echo "configure ai-mode show"
		echo "configure ai-mode enable"
		setup_calls | tail -n +4
		initial_call; list_calls; invoke_call; polls 1
	} | expect_calls
}

# aliyun 3.4.11 with a corrupt config prints ERROR: and exits 0.
t_corrupt_config() {
	scenario <<<'{"corrupt_config": true}'
	pd -q -r cn-hangzhou -i "$EAS_ID"
	expect_rc 3
	expect_out_empty
	expect_err_has "pai-diag: error: 'aliyun configure ai-mode enable': load current configuration failed"
	printf '%s\n' "configure ai-mode show" "configure ai-mode enable" "version" | expect_calls
}

# --no-setup leaves aliyun's configuration alone.
t_no_setup() {
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --no-setup
	expect_rc 11
	expect_err </dev/null
	{ echo version; echo "configure list"; initial_call; list_calls; invoke_call; polls 1; } | expect_calls
}
