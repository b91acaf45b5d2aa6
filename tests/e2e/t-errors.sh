# Error paths: credentials, SysOM activation, TaskInProgress, rejected
# invokes, every error form of aliyun, and the child's environment.

eas_calls_until_invoke() {
	setup_calls
	echo "sysom initial-sysom --check-only false --source aes-skills --user-agent $UA"
	list_calls
}

invoke_line() {
	echo "sysom invoke-diagnosis --service-name ocd --channel ecs --params '$(eas_params)' --user-agent $UA"
}

# Exit 4: no config file and no environment credentials.
t_no_credentials() {
	eas_world
	rm "$HOME/.aliyun/config.json"
	pd -q -r cn-hangzhou -i "$EAS_ID"
	expect_rc 4
	expect_out_empty
	expect_err <<EOF
pai-diag: error: no valid aliyun profile and no complete environment credentials (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_REGION_ID); run 'aliyun configure' outside pai-diag
EOF
	setup_calls | head -n 6 | cat - <(restore_calls) | expect_calls
}

# Environment credentials only: configure set fails, the run goes on with
# the auto-install variable in the children's environment.
t_env_credentials_only() {
	eas_world '"Success"'
	rm "$HOME/.aliyun/config.json"
	export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tEnvOnlyKey000000001
	export ALIBABA_CLOUD_ACCESS_KEY_SECRET=EnvOnlySecretNeverShown001
	export ALIBABA_CLOUD_REGION_ID=cn-hangzhou
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	expect_err <<EOF
pai-diag: warning: 'aliyun configure set --auto-plugin-install true' failed (no usable profile); using environment credentials and ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=true instead
EOF
	{ eas_calls_until_invoke; invoke_line; polls 1; restore_calls; } | expect_calls
	# The variable reaches every call after step 5, and only those.
	[ "$(grep -c 'ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=true' "$T/env.log")" = 8 ] ||
	    fail "auto-install variable not on the later calls:" "$(cat "$T/env.log")"
	head -n 6 "$T/env.log" | grep -q 'AUTO_INSTALL=true' && fail "auto-install variable set too early"
	expect_no_secrets
}

# Exit 4: the profile in use is Invalid (no region) and no env credentials.
t_invalid_profile() {
	eas_world
	edit_config '.profiles[0].region_id = ""'
	pd -q -r cn-hangzhou -i "$EAS_ID"
	expect_rc 4
	expect_err_has "pai-diag: error: no valid aliyun profile"
	expect_no_secrets
	setup_calls | head -n 6 | cat - <(restore_calls) | expect_calls
}

# --profile goes to configure set and every business command; an unknown
# one is named.
t_profile_flag() {
	eas_world '"Success"'
	edit_config '.profiles += [{"name":"ops","mode":"StsToken","access_key_id":"LTAI5tOpsKey0000000000001","access_key_secret":"OpsSecret0001","sts_token":"CAISOpsTokenNeverShown","region_id":"cn-beijing"}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --profile ops
	expect_rc 11
	expect_err </dev/null
	{
		setup_calls | head -n 5
		echo "configure set --auto-plugin-install true --profile ops"
		echo "configure list"
		echo "sysom initial-sysom --check-only false --source aes-skills --user-agent $UA --profile ops"
		list_calls "$EAS_ID" " --profile ops"
		echo "sysom invoke-diagnosis --service-name ocd --channel ecs --params '$(eas_params)' --user-agent $UA --profile ops"
		echo "$(poll_call) --profile ops"
		restore_calls
	} | expect_calls
	: >"$T/calls.log"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --profile nosuch --no-setup
	expect_rc 4
	expect_err <<EOF
pai-diag: error: aliyun has no profile 'nosuch' and the environment has no complete credentials (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_REGION_ID)
EOF
	printf '%s\n' version "configure list" | expect_calls
}

# The profile mode and name may be shown; no cell of configure list may.
t_configure_list_never_echoed() {
	eas_world
	edit_config '.profiles[0].mode = "External" | .profiles[0].process_command = "/opt/get-creds --secret LTAI5tLeakyCommand00001" | .profiles[0].region_id = ""'
	pd -v -r cn-hangzhou -i "$EAS_ID" --no-setup -o json
	expect_rc 4
	expect_no_secrets
	grep -q 'get-creds' "$T/out" "$T/err" && fail "configure list content was echoed"
	expect_json '.error.message' '"aliyun profile '"'"'default'"'"' (External) is not valid and the environment has no complete credentials; fix it with '"'"'aliyun configure --profile default'"'"' outside pai-diag"'
}

# Exit 4: SysOM not activated (the service-linked role is missing).
t_initial_sysom_forbidden() {
	eas_world '"Success"' ', "rules": [{"cmd": "sysom initial-sysom", "error": {"form": "server", "http": 403, "body": {"Code": "Forbidden.RAM", "Message": "User not authorized to operate on the specified resource.", "RequestId": "R-IS", "AccessDeniedDetail": {"AuthAction": "ram:CreateServiceLinkedRole"}}}}]'
	pd -q -r cn-hangzhou -i "$EAS_ID"
	expect_rc 4
	expect_err <<EOF
pai-diag: error: cannot initialise SysOM: Forbidden.RAM: User not authorized to operate on the specified resource. (request id R-IS); check that SysOM is activated for this account and that the RAM user has 'ram:CreateServiceLinkedRole' and may create the service-linked role AliyunServiceRoleForSysom (see references/ram-policies.md)
EOF
	{ setup_calls; echo "sysom initial-sysom --check-only false --source aes-skills --user-agent $UA"; restore_calls; } | expect_calls
}

# Exit 4 about the credentials when initial-sysom has the key refused: never
# the advice to activate SysOM.
t_initial_sysom_credentials() {
	eas_world '"Success"' ', "rules": [{"cmd": "sysom initial-sysom", "error": {"form": "server", "http": 400, "body": {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found.", "RequestId": "R-ISC"}}}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" -o json
	expect_rc 4
	expect_json '[.outcome,.error.code,.error.source,.error.request_id]' '["access_denied","InvalidAccessKeyId.NotFound","sysom","R-ISC"]'
	expect_err <<EOF
pai-diag: error: cannot initialise SysOM: the credentials were refused: InvalidAccessKeyId.NotFound: Specified access key is not found. (request id R-ISC); the AccessKey secret is wrong, the key or its STS token has expired or been disabled, or this machine's clock is off: check the credentials aliyun uses (profile 'default') and the system time
EOF
	expect_err_lacks "activated"
	{ setup_calls; echo "sysom initial-sysom --check-only false --source aes-skills --user-agent $UA"; restore_calls; } | expect_calls
}

# Exit 4: the role-missing business error (HTTP 200, exit 0) on invoke.
t_role_missing_on_invoke() {
	eas_world '"Success"' ', "rules": [{"cmd": "sysom invoke-diagnosis", "error": {"form": "business", "body": {"code": "SysomOpenAPI.AssumeRoleFailed", "message": "SysomOpenAPIAssumeRoleException: EntityNotExist.Role The role not exists: acs:ram::1234567890123456:role/aliyunserviceroleforsysom", "data": {}, "request_id": "R-ROLE"}}}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" -o json
	expect_rc 4
	expect_json '[.outcome,.error.code,.error.source,.error.request_id,.task_id]' '["access_denied","SysomOpenAPI.AssumeRoleFailed","sysom","R-ROLE",null]'
	expect_err_has "the SysOM service-linked role is missing"
	{ eas_calls_until_invoke; invoke_line; restore_calls; } | expect_calls
}

# Sysom.TaskInProgress with ocd(<id>): poll that task at once, never invoke again.
t_task_in_progress_attach() {
	eas_world '"Running","Success"' ', "rules": [{"cmd": "sysom invoke-diagnosis", "error": {"form": "plugin", "http": 400, "body": {"RequestId": "R-TIP", "HostId": "sysom.cn-hangzhou.aliyuncs.com", "Code": "Sysom.TaskInProgress", "Message": "A diagnosis task is already in progress for this instance, please wait for it to finish: ocd(Hn4tR8wq)"}}}]'
	edit_scenario '.task.id = "Hn4tR8wq"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json
	expect_rc 11
	expect_json '[.task_id,.attached,.polls,.resume_command]' '["Hn4tR8wq",true,2,"pai-diag --region cn-hangzhou --task-id Hn4tR8wq"]'
	{ eas_calls_until_invoke; invoke_line; polls 2 Hn4tR8wq; restore_calls; } | expect_calls
}

# Sysom.TaskInProgress without an id, three times: exit 6.
t_task_in_progress_without_id() {
	eas_world '"Success"' ', "rules": [{"cmd": "sysom invoke-diagnosis", "error": {"form": "server", "http": 400, "body": {"RequestId": "R-TIP2", "Code": "Sysom.TaskInProgress", "Message": "A diagnosis task is already in progress for this instance"}}}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 6
	expect_err <<EOF
pai-diag: error: another diagnosis of $EAS_ID is running and SysOM did not say which task it is; still in progress after 3 invokes, try again later
EOF
	{ eas_calls_until_invoke; invoke_line; invoke_line; invoke_line; restore_calls; } | expect_calls
}

# The same without an id once: the second invoke starts the task.
t_task_in_progress_then_free() {
	eas_world '"Success"' ', "rules": [{"cmd": "sysom invoke-diagnosis", "times": 1, "error": {"form": "envelope2", "http": 400, "body": {"Message": "A diagnosis task is already in progress for this instance", "Code": "Sysom.TaskInProgress", "RequestId": "R-TIP3"}}}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json
	expect_rc 11
	expect_json '[.task_id,.attached]' '["Vq7mZ2xK",false]'
	{ eas_calls_until_invoke; invoke_line; invoke_line; polls 1; restore_calls; } | expect_calls
}

# Exit 6: SysOM rejects the invoke.
t_invalid_parameter() {
	eas_world '"Success"' ', "rules": [{"cmd": "sysom invoke-diagnosis", "error": {"form": "plugin", "http": 400, "body": {"RequestId": "R-IP", "Code": "Sysom.InvalidParameter", "Message": "Invalid parameters passed when calling the interface. instance not found."}}}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" -o json
	expect_rc 6
	expect_json '[.outcome,.error.code,.error.source,.error.request_id]' '["diagnosis_failed","Sysom.InvalidParameter","sysom","R-IP"]'
	expect_err <<EOF
pai-diag: error: SysOM rejected the diagnosis: Sysom.InvalidParameter: Invalid parameters passed when calling the interface. instance not found. (request id R-IP)
EOF
}

# Exit 5: a DLC job that is not on Lingjun.
t_dlc_not_lingjun() {
	eas_world
	pd -q -r cn-hangzhou -i dlc1a2b3c4d5e6f -o json
	expect_rc 5
	expect_json '[.outcome,.product,.error.source]' '["unsupported_target","DLC","pai-diag"]'
	expect_err <<EOF
pai-diag: error: DLC job 'dlc1a2b3c4d5e6f' runs on ECS; SysOM diagnosis supports only DLC jobs on Lingjun resources
EOF
	{ setup_calls; echo "sysom initial-sysom --check-only false --source aes-skills --user-agent $UA"; echo "pai-dlc get-job --region cn-hangzhou --job-id dlc1a2b3c4d5e6f --user-agent $UA"; restore_calls; } | expect_calls
}

# A DLC job with an empty or missing ResourceType is rejected too.
t_dlc_resource_type_missing() {
	eas_world
	edit_scenario '.dlc_jobs += [{"JobId":"dlcempty000001","ResourceType":""},{"JobId":"dlcabsent00001"}]'
	pd -q -r cn-hangzhou -i dlcempty000001 --no-setup
	expect_rc 5
	expect_err_has "runs on no resource type"
	pd -q -r cn-hangzhou -i dlcabsent00001 --no-setup
	expect_rc 5
}

# Exit 1: a Success task with an empty result is never a made-up summary.
t_empty_result() {
	eas_world '"Success"'
	edit_scenario '.task.result = {}'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json
	expect_rc 1
	expect_json '[.outcome,.status,.error.code,.summary,.result]' '["internal_error","Success","EmptyResult",null,null]'
}

# The plugin-install preamble before the JSON, and coloured errors from a
# CLI that ignores NO_COLOR, are both read correctly.
t_preamble_and_colour() {
	eas_world '"Success"' ', "plugins_installed": false, "color": true, "rules": [{"cmd": "pai-dlc get-job", "error": {"form": "server", "http": 403, "body": {"Code": "Forbidden.RAM", "Message": "no", "RequestId": "R-C", "AccessDeniedDetail": {"AuthAction": "pai-dlc:GetJob"}}}}]'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	: >"$T/calls.log"
	pd -q -r cn-hangzhou -i "$DLC_ID" --poll-interval 0
	expect_rc 4
	expect_err_has "the RAM user needs 'pai-dlc:GetJob'"
	expect_err_lacks $'\033'
}

# The children get NO_COLOR=1 and LANG=C, never DEBUG or LC_ALL, stdin a
# closed pipe, and their own process group.
t_child_environment() {
	eas_world '"Success"'
	DEBUG=sdk LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 NO_COLOR= pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 </dev/null
	expect_rc 11
	expect_no_secrets
	# the simulator's fds= field (descriptors above 2) is not asserted here
	[ "$(sed 's/ fds=[^ ]*$//' "$T/env.log" | sort -u)" = "NO_COLOR=1 LANG=C LC_ALL=- DEBUG=- ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=- stdin=pipe-eof pgrp=own" ] ||
	    fail "child environment:" "$(sort -u "$T/env.log")"
}

# A network error that leaks a signed URL: nothing of it reaches any output.
t_leaked_signature_redacted() {
	eas_world '"Success"' ', "rules": [{"cmd": "sysom invoke-diagnosis", "error": {"form": "network"}}]'
	export ALIBABA_CLOUD_SECURITY_TOKEN=CAISSecretTokenValue
	pd -v -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 1
	expect_no_secrets
	expect_err_has "cannot invoke the diagnosis: Post"
	expect_err_has "[REDACTED]"
	pd -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json
	expect_rc 1
	expect_no_secrets
	expect_json '.error.source' '"aliyun"'
}

# A key planted in every error form, every output mode: never printed.
t_secrets_sweep() {
	local form mode leak='Post "https://sysom.aliyuncs.com/?AccessKeyId=LTAI5tPlanted00000000001&Signature=abc%2Fdef&SecurityToken=STS.NTPlantedToken001": dial tcp: i/o timeout; Authorization: acs LTAI5tPlanted00000000001:sig'
	for form in plugin server envelope envelope2 business network; do
		for mode in "-v" "-o json" ""; do
			rm -rf "$T/state"
			eas_world '"Success"' ", \"rules\": [{\"cmd\": \"sysom invoke-diagnosis\", \"error\": {\"form\": \"$form\", \"http\": 500, \"body\": {\"Code\": \"InternalError\", \"code\": \"InternalError\", \"Message\": $(jq -Rn --arg m "$leak" '$m'), \"message\": $(jq -Rn --arg m "$leak" '$m'), \"RequestId\": \"R-LEAK\"}}}]"
			# shellcheck disable=SC2086 # the mode is split on purpose
			pd -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 $mode
			[ "$RC" = 1 ] || fail "$form $mode: exit $RC" "$(cat "$T/err")"
			grep -q 'Planted' "$T/out" "$T/err" && fail "$form $mode: planted key printed"
			true
		done
	done
}

# A refused key, secret, token or signature is exit 4 about the credentials
# (a wrong or expired secret, a skewed clock), never a missing RAM action;
# in every error form.
t_credential_errors() {
	local code form
	for code in SignatureDoesNotMatch InvalidAccessKeyId.NotFound IncompleteSignature InvalidSecurityToken.Expired; do
		for form in plugin server envelope; do
			: >"$T/calls.log"
			rm -rf "$T/state"
			eas_world '"Success"' ", \"rules\": [{\"cmd\": \"sysom invoke-diagnosis\", \"error\": {\"form\": \"$form\", \"http\": 400, \"body\": {\"Code\": \"$code\", \"Message\": \"The request was refused.\", \"RequestId\": \"R-cred\"}}}]"
			pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup -o json
			expect_rc 4
			expect_json '[.outcome,.error.code,.error.source]' "[\"access_denied\",\"$code\",\"sysom\"]"
			expect_err <<EOT
pai-diag: error: cannot invoke the diagnosis: the credentials were refused: $code: The request was refused. (request id R-cred); the AccessKey secret is wrong, the key or its STS token has expired or been disabled, or this machine's clock is off: check the credentials aliyun uses (profile 'default') and the system time
EOT
			expect_err_lacks "RAM"
		done
	done
}
