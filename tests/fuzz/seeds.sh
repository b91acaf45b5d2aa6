#!/usr/bin/env bash
# Makes seed inputs for the fuzz targets from the aliyun simulator: every
# error form (plugin, server, envelope, envelope2, business, network) with
# the codes pai-diag tells apart, the success bodies, the plugin-install
# preamble, colour, the DEBUG=sdk dump, Chinese messages, and the command
# sequence pai-diag runs against each scenario of tests/sim/scenarios/.
#
#   OUTDIR/classify/  one seed per run in fuzz_classify's format: a flag
#                     byte (exit status, JSON due), stdout, a NUL, stderr
#   OUTDIR/result/    every get-diagnosis-result stdout, and each
#                     scenario's task result as a bare document
#   OUTDIR/redact/    every stdout and stderr
#
#   tests/fuzz/seeds.sh BUILD OUTDIR      (the simulator is BUILD/sim/aliyun)
set -eu
cd "$(dirname "$0")/../.."

if [ $# -ne 2 ] || [ ! -x "$1/sim/aliyun" ]; then
	echo "usage: tests/fuzz/seeds.sh BUILD OUTDIR (with BUILD/sim/aliyun built)" >&2
	exit 2
fi
SIM=$PWD/$1/sim/aliyun
OUT=$2
SCENARIOS=$PWD/tests/sim/scenarios
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
rm -rf "$OUT"
mkdir -p "$OUT/classify" "$OUT/result" "$OUT/redact"

# Nothing of the caller's aliyun set-up leaks in.
for v in $(env | sed -n 's/^\(ALIBABA_CLOUD_[A-Z_]*\|ALIBABACLOUD_[A-Z_]*\|ALICLOUD_[A-Z_]*\|ALIYUN_SIM_[A-Z_]*\)=.*/\1/p'); do
	unset "$v"
done
unset DEBUG LC_ALL
export LANG=C NO_COLOR=1

UA=AlibabaCloud-Agent-Skills/alibabacloud-aes-sysom-pai-diagnosis
PARAMS='{"instance":"eas-m-bp79exq2lzbd0ctdfu","region":"cn-hangzhou","product":"EAS","start_time":0,"end_time":0,"type":"ocd","ai_roadmap":true,"enable_sysom_link":false}'
n=0
k=0

# fresh: a new HOME with one valid AK profile, a new state, no scenario.
fresh() {
	n=$((n + 1))
	D=$T/t$n
	mkdir -p "$D/home/.aliyun"
	export HOME=$D/home ALIYUN_SIM_STATE=$D/state
	unset ALIYUN_SIM_SCENARIO
	cat >"$HOME/.aliyun/config.json" <<-'EOF'
	{"current": "default", "profiles": [{"name": "default", "mode": "AK",
	 "access_key_id": "LTAI5tSeedKeyId0123456", "access_key_secret": "SeedSecret",
	 "sts_token": "", "region_id": "cn-hangzhou", "language": "en"}],
	 "meta_path": ""}
	EOF
}

# scenario: the scenario on stdin.
scenario() {
	cat >"$D/scenario.json"
	export ALIYUN_SIM_SCENARIO=$D/scenario.json
}

# The flag byte of fuzz_classify: the index of the exit status in its table
# (keep in step with fuzz_classify.c), plus 16 when no JSON was due.
flag() {
	local i
	case $1 in
	[0-7]) i=$1 ;;
	125) i=8 ;;
	126) i=9 ;;
	127) i=10 ;;
	130) i=11 ;;
	137) i=12 ;;
	143) i=13 ;;
	255) i=14 ;;
	*) i=1 ;;
	esac
	[ "$2" = json ] || i=$((i + 16))
	printf "\\$(printf %03o "$i")"
}

# run NAME json|text ARGS...: the simulator with stdin an empty pipe; its
# answer becomes seeds.
run() {
	local name=$1 json=$2 rc
	shift 2
	set +e
	printf '' | "$SIM" "$@" >"$D/out" 2>"$D/err"
	rc=${PIPESTATUS[1]}
	set -e
	keep "$name" "$json" "$rc" "$*"
}

# keep NAME json|text RC COMMAND: seeds from D/out and D/err.
keep() {
	local name json=$2 rc=$3 cmd=$4
	k=$((k + 1))
	name=$(printf "%s-%03d" "$1" "$k")
	{ flag "$rc" "$json"; cat "$D/out"; printf '\0'; cat "$D/err"; } \
	    >"$OUT/classify/$name"
	[ -s "$D/out" ] && cp "$D/out" "$OUT/redact/$name.out"
	[ -s "$D/err" ] && cp "$D/err" "$OUT/redact/$name.err"
	case $cmd in
	*get-diagnosis-result*) [ -s "$D/out" ] && cp "$D/out" "$OUT/result/$name" ;;
	esac
	return 0
}

# --- system commands -------------------------------------------------------
fresh
run version text version
run configure-list text configure list
run ai-mode text configure ai-mode enable
run ai-mode-show text configure ai-mode show
run ai-mode-get text configure ai-mode get
run set-ua-missing text configure ai-mode set-user-agent
run auto-install text configure set --auto-plugin-install true
run version-ua text version --user-agent "$UA"
run unknown text configure frobnicate
for p in ok none updated fail offline; do
	fresh
	scenario <<<"{\"plugin_update\": \"$p\"}"
	run "plugin-update-$p" text plugin update
done
for v in 3.3.2 3.4.2 3.2.0; do
	fresh
	scenario <<<"{\"version\": \"$v\"}"
	run "ai-mode-$v" text configure ai-mode enable
	run "list-$v" text sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA"
done
fresh
scenario <<<'{"corrupt_config": true}'
run corrupt text version
scenario <<<'{"corrupt_config": true, "version": "3.5.0"}'
run corrupt-newer text configure list
fresh
rm "$HOME/.aliyun/config.json"
run no-config text configure list
run no-config-set text configure set --auto-plugin-install true
run profile-gate json sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA"
run unknown-profile json sysom initial-sysom --profile nosuch --user-agent "$UA"
LANG=zh_CN.UTF-8 run profile-gate-zh json eas list-services --region cn-hangzhou --user-agent "$UA"

# --- colour, DEBUG=sdk -----------------------------------------------------
fresh
NO_COLOR= run colour-get text configure ai-mode get
rm "$HOME/.aliyun/config.json"
NO_COLOR= run colour-gate json sysom initial-sysom --user-agent "$UA"
fresh
DEBUG=sdk run debug-dump json eas list-services --region cn-hangzhou --user-agent "$UA"
DEBUG=sdk run debug-dump-get json pai-dlc get-job --region cn-hangzhou --job-id dlcnone --user-agent "$UA"

# --- plugins missing, the preamble ------------------------------------------
fresh
scenario <<<'{"plugins_installed": false}'
run no-plugin json sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA"
export ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=true
set +e
"$SIM" sysom invoke-diagnosis </dev/null >"$D/out" 2>"$D/err"
keep prompt json $? "sysom invoke-diagnosis"
set -e
run preamble json sysom invoke-diagnosis --service-name ocd --channel ecs --params "$PARAMS" --user-agent "$UA"
unset ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL
fresh
scenario <<<'{"rules": [{"cmd": "sysom get-diagnosis-result", "preamble": true, "stdout_file": "r.json"}]}'
printf '{"code":"Success","message":"","request_id":"R","data":{"task_id":"T","status":"Running","result":{}}}\n' >"$D/r.json"
run preamble-rule json sysom get-diagnosis-result --task-id T --user-agent "$UA"

# --- error forms ------------------------------------------------------------
# Each body in each form, as the answer to invoke-diagnosis.
bodies=(
'{"RequestId": "A1B2C3D4-E5F6-5789-8ABC-DEF012345678", "HostId": "sysom.cn-hangzhou.aliyuncs.com", "Code": "Forbidden.RAM", "Message": "User not authorized to operate on the specified resource, or this API does not support RAM.", "Recommend": "https://api.aliyun.com/troubleshoot?q=Forbidden.RAM&product=sysom", "AccessDeniedDetail": {"AuthAction": "sysom:InvokeDiagnosis", "AuthPrincipalDisplayName": "diag-bot", "AuthPrincipalOwnerId": "1234567890123456", "AuthPrincipalType": "SubUser", "EncodedDiagnosticMessage": "AQEAAAAAaOq5Gx0uZk1hM2l4b0p3", "NoPermissionType": "ImplicitDeny", "PolicyType": "AccountLevelIdentityBasedPolicy"}}'
'{"RequestId": "R2", "Code": "NoPermission", "Message": "You are not authorized."}'
'{"RequestId": "R3", "Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found."}'
'{"RequestId": "R4", "Code": "Throttling.User", "Message": "Request was denied due to user flow control."}'
'{"RequestId": "R5", "Code": "Sysom.TaskInProgress", "Message": "A diagnosis task of this instance is in progress: ocd(Vq7mZ2xK)"}'
'{"RequestId": "R6", "Code": "Sysom.TaskInProgress", "Message": "A diagnosis task of this instance is in progress"}'
'{"RequestId": "R7", "Code": "Sysom.InvalidParameter", "Message": "Invalid parameters passed when calling the interface. instance not found."}'
'{"RequestId": "R8", "Code": "NotFound", "Message": "Job dlcx not found"}'
'{"RequestId": "R9", "Code": "InternalError", "Message": "The request processing has failed due to some unknown error."}'
'{"RequestId": "R10", "Code": "SysomOpenAPI.AssumeRoleFailed", "Message": "SysomOpenAPIAssumeRoleException: EntityNotExist.Role The role not exists: acs:ram::1234567890123456:role/aliyunserviceroleforsysom"}'
'"<html><body>502 Bad Gateway</body></html>"'
)
for form in plugin server envelope envelope2 business network; do
	i=0
	for body in "${bodies[@]}"; do
		i=$((i + 1))
		fresh
		if [ "$form" = business ] && [ "${body:0:1}" = '{' ]; then
			# SysOM's lower-case keys in an HTTP-200 body.
			body=$(jq -c '{code: .Code, message: .Message, data: {}, request_id: .RequestId}' <<<"$body")
		fi
		scenario <<<"{\"rules\": [{\"cmd\": \"sysom invoke-diagnosis\", \"error\": {\"form\": \"$form\", \"body\": $body}}]}"
		run "$form-$i" json sysom invoke-diagnosis --service-name ocd --channel ecs --params "$PARAMS" --user-agent "$UA"
		if [ "$form" = server ] && [ $i -le 2 ]; then
			NO_COLOR= run "$form-$i-colour" json sysom invoke-diagnosis --service-name ocd --channel ecs --params "$PARAMS" --user-agent "$UA"
		fi
	done
done
fresh
scenario <<-'EOF'
{"rules": [
 {"cmd": "sysom invoke-diagnosis", "error": {"form": "envelope", "category": "NETWORK_ERROR", "body": {"Code": "SDK.ServerUnreachable", "Message": "dial tcp: i/o timeout"}}},
 {"cmd": "sysom get-diagnosis-result", "exit_code": 255, "stderr": "plugin execution failed: signal: killed\n"},
 {"cmd": "eas list-services", "raw_stdout_hex": "7b22ff22c328a13a317d0a"},
 {"cmd": "pai-dlc get-job", "stdout": "{\"JobId\": \"dlcx\"} trailing\n"}
]}
EOF
run envelope-network json sysom invoke-diagnosis --service-name ocd --channel ecs --params "$PARAMS" --user-agent "$UA"
run exit-255 json sysom get-diagnosis-result --task-id T --user-agent "$UA"
run raw-bytes json eas list-services --region cn-hangzhou --user-agent "$UA"
run trailing json pai-dlc get-job --region cn-hangzhou --job-id dlcx --user-agent "$UA"

# --- the scenarios, as pai-diag runs them ------------------------------------
for s in "$SCENARIOS"/*.json; do
	base=$(basename "$s" .json)
	fresh
	export ALIYUN_SIM_SCENARIO=$s
	run "$base-initial" json sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA"
	for id in $(jq -r '.eas_services[]?.ServiceId' "$s"); do
		run "$base-eas" json eas list-services --region cn-hangzhou --filter "$id" --user-agent "$UA"
		run "$base-eas-page" json eas list-services --region cn-hangzhou --page-number 1 --page-size 100 --user-agent "$UA"
	done
	for id in $(jq -r '.dlc_jobs[]?.JobId' "$s") dlcnotthere; do
		run "$base-dlc" json pai-dlc get-job --region cn-hangzhou --job-id "$id" --user-agent "$UA"
	done
	run "$base-invoke" json sysom invoke-diagnosis --service-name ocd --channel ecs --params "$PARAMS" --user-agent "$UA"
	run "$base-invoke2" json sysom invoke-diagnosis --service-name ocd --channel ecs --params "$PARAMS" --user-agent "$UA"
	task=$(jq -r '.task.id // "Vq7mZ2xK"' "$s")
	for i in 1 2 3 4 5 6 7 8; do
		run "$base-poll" json sysom get-diagnosis-result --task-id "$task" --user-agent "$UA"
	done
	run "$base-poll-unknown" json sysom get-diagnosis-result --task-id NoSuchTask --user-agent "$UA"
	if jq -e '.task.result' "$s" >/dev/null; then
		jq '.task.result' "$s" >"$OUT/result/$base-bare"
	fi
done

# The other shapes of data.result: a JSON string, a string summary, empty.
fresh
scenario <<-'EOF'
{"task": {"statuses": ["Success"], "result_as_string": true,
  "result": {"summary": "All checks passed", "issues": ["disk ok", 3, null]}}}
EOF
run result-string json sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
fresh
scenario <<<'{"task": {"statuses": ["Success"], "result": {}}}'
run result-empty json sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
fresh
scenario <<<'{"task": {"statuses": ["Fail"], "url": null}}'
run result-fail json sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"

# fuzz_jscan reads the same replies (and any JSON) as fuzz_result.
mkdir -p "$OUT/jscan"
cp "$OUT/result/"* "$OUT/jscan/"

echo "seeds: $(find "$OUT/classify" -type f | wc -l) classify," \
    "$(find "$OUT/result" -type f | wc -l) result and jscan," \
    "$(find "$OUT/redact" -type f | wc -l) redact in $OUT"
