#!/usr/bin/env bash
#
# Self-test of the aliyun simulator: runs the binary given as $1 through
# its main behaviours and compares stdout, stderr and the exit code with
# what aliyun-facts.md says the real CLI prints.  Each run gets a fresh
# HOME (with a valid AK profile unless a test removes it) and a fresh
# state directory.  Prints one line per failure and "N passed, N failed".
#
# usage: tests/sim/selftest.sh build/sim/aliyun
set -eu

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
	echo "usage: $0 SIMULATOR" >&2
	exit 2
fi
SIM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# A clean environment: nothing of the caller's aliyun setup leaks in.
for v in $(env | sed -n 's/^\(ALIBABA_CLOUD_[A-Z_]*\|ALIBABACLOUD_[A-Z_]*\|ALICLOUD_[A-Z_]*\|ALIYUN_SIM_[A-Z_]*\)=.*/\1/p'); do
	unset "$v"
done
unset DEBUG LC_ALL
export LANG=C NO_COLOR=1

passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# Fresh HOME with one valid AK profile, fresh state, fresh logs.
n=0
fresh() {
	n=$((n + 1))
	D=$T/t$n
	mkdir -p "$D/home/.aliyun"
	export HOME=$D/home ALIYUN_SIM_STATE=$D/state ALIYUN_SIM_LOG=$D/argv.log
	unset ALIYUN_SIM_SCENARIO
	cat >"$HOME/.aliyun/config.json" <<-'EOF'
	{
		"current": "default",
		"profiles": [
			{
				"name": "default",
				"mode": "AK",
				"access_key_id": "LTAI5tTestKeyId0123",
				"access_key_secret": "TestSecretDoNotLeak",
				"sts_token": "",
				"region_id": "cn-hangzhou",
				"language": "en"
			}
		],
		"meta_path": ""
	}
	EOF
}

scenario() {
	cat >"$D/scenario.json"
	export ALIYUN_SIM_SCENARIO=$D/scenario.json
}

# run ARGS...: the simulator with stdin a pipe at end of file.
run() {
	set +e
	printf '' | "$SIM" "$@" >"$D/out" 2>"$D/err"
	rc=${PIPESTATUS[1]}
	set -e
}

# run_quiet ARGS...: run for a process that dies by a signal, without the
# shell's "Killed" notice.
run_quiet() {
	set +e
	(
		printf '' | "$SIM" "$@" >"$D/out" 2>"$D/err"
		echo "${PIPESTATUS[1]}" >"$D/rc"
	) 2>/dev/null
	rc=$(cat "$D/rc")
	set -e
}

# run_in FILE ARGS...: the same with stdin from FILE.
run_in() {
	local in=$1
	shift
	set +e
	"$SIM" "$@" <"$in" >"$D/out" 2>"$D/err"
	rc=$?
	set -e
}

want_rc() {
	if [ "$rc" = "$2" ]; then ok; else bad "$1: exit $rc, want $2"; fi
}

# want_file NAME FILE TEXT: FILE holds exactly TEXT (printf %b escapes).
want_file() {
	printf '%b' "$3" >"$D/want"
	if cmp -s "$D/want" "$2"; then
		ok
	else
		bad "$1: $(basename "$2") differs"
		diff -u "$D/want" "$2" | sed 's/^/    /' | head -40
	fi
}
want_out() { want_file "$1" "$D/out" "$2"; }
want_err() { want_file "$1" "$D/err" "$2"; }

# want_has NAME FILE STRING: FILE contains STRING.
want_has() {
	if grep -qF -- "$3" "$2"; then ok; else bad "$1: no '$3' in $(basename "$2")"; fi
}
want_lacks() {
	if grep -qF -- "$3" "$2"; then bad "$1: '$3' in $(basename "$2")"; else ok; fi
}

# status_of: the data.status of the last answer.
status_of() {
	sed -n 's/^    "status": "\(.*\)",$/\1/p' "$D/out"
}

UA=AlibabaCloud-Agent-Skills/alibabacloud-aes-sysom-pai-diagnosis
PARAMS='{"instance":"eas-m-bp79exq2lzbd0ctdfu","region":"cn-hangzhou","product":"EAS","start_time":0,"end_time":0,"type":"ocd","ai_roadmap":true,"enable_sysom_link":false}'
RED='\033[1;31m'
YELLOW='\033[1;33m'
RESET='\033[0m'

# --- version ---------------------------------------------------------------
fresh
run version
want_rc "version" 0
want_out "version" '3.4.11\n'
want_err "version stderr" ''

scenario <<-'EOF'
{"version": "3.2.0"}
EOF
run version
want_out "version from scenario" '3.2.0\n'

fresh
run version --user-agent "$UA"
want_rc "version --user-agent" 2
want_err "version --user-agent" 'ERROR: invalid flag --user-agent; available flags: --profile\n'

# --- configure list --------------------------------------------------------
fresh
cat >"$HOME/.aliyun/config.json" <<-'EOF'
{
	"current": "prod",
	"profiles": [
		{"name": "default", "mode": "AK", "access_key_id": "LTAI5tAbCdEf1234",
		 "access_key_secret": "s3cr3t", "region_id": "", "language": ""},
		{"name": "prod", "mode": "StsToken", "access_key_id": "STS.NTq9Xyz789",
		 "access_key_secret": "s", "sts_token": "tok", "region_id": "cn-hangzhou",
		 "language": "en"},
		{"name": "helper", "mode": "External",
		 "process_command": "/usr/local/bin/creds --json", "region_id": "cn-beijing",
		 "language": "en"},
		{"name": "blank", "mode": "", "region_id": "cn-shanghai", "language": "zh"},
		{"name": "bad-region", "mode": "AK", "access_key_id": "ab",
		 "access_key_secret": "s", "region_id": "cn_hangzhou!", "language": "en"},
		{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "diag-role",
		 "region_id": "cn-shenzhen", "language": "en"},
		{"name": "uri", "mode": "CredentialsURI",
		 "credentials_uri": "http://127.0.0.1:8000/creds", "region_id": "cn-hangzhou",
		 "language": ""},
		{"name": "arn", "mode": "RamRoleArn", "access_key_id": "LTAIabcXYZ",
		 "access_key_secret": "s", "ram_role_arn": "acs:ram::1:role/r",
		 "ram_session_name": "s", "external_id": "ext-7Q9",
		 "region_id": "cn-hangzhou", "language": "en"}
	]
}
EOF
# Widths worked out by hand: the longest cell of each column plus one.
row() { printf '%-11s%-45s%-10s%-19s%s\n' "$@"; }
{
	row Profile '| Credential ' '| Valid' '| Region' '| Language'
	row --------- '| ------------------' '| -------' '| ----------------' '| --------'
	row default '| AK:***234' '| Invalid' '| ' '| '
	row 'prod *' '| StsToken:***789' '| Valid' '| cn-hangzhou' '| en'
	row helper '| ProcessCommand:/usr/local/bin/creds --json' '| Valid' '| cn-beijing' '| en'
	row blank '| ' '| Invalid' '| cn-shanghai' '| zh'
	row bad-region '| AK:*****' '| Invalid' '| cn_hangzhou!' '| en'
	row ecs '| EcsRamRole:diag-role' '| Valid' '| cn-shenzhen' '| en'
	row uri '| CredentialsURI:http://127.0.0.1:8000/creds' '| Valid' '| cn-hangzhou' '| '
	row arn '| RamRoleArn:***XYZ:7Q9' '| Valid' '| cn-hangzhou' '| en'
} >"$D/want.table"
run configure list
want_rc "configure list" 0
if cmp -s "$D/want.table" "$D/out"; then ok; else
	bad "configure list: table differs"; diff -u "$D/want.table" "$D/out" | sed 's/^/    /'
fi
want_err "configure list stderr" ''

# the example of aliyun-facts.md 1.2, byte for byte
fresh
cat >"$HOME/.aliyun/config.json" <<-'EOF'
{"current": "custom1", "profiles": [
 {"name": "custom1", "mode": "AK", "access_key_id": "access_key_id1",
  "access_key_secret": "x", "region_id": "cn-hangzhou", "language": ""},
 {"name": "custom2", "mode": "AK", "access_key_id": "access_key_id2",
  "access_key_secret": "x", "region_id": "", "language": ""}]}
EOF
run configure list
want_out "configure list (facts example)" \
'Profile   | Credential         | Valid   | Region           | Language
--------- | ------------------ | ------- | ---------------- | --------
custom1 * | AK:***id1          | Valid   | cn-hangzhou      | 
custom2   | AK:***id2          | Invalid |                  | 
'
run configure list --user-agent "$UA"
want_rc "configure list --user-agent" 2
want_err "configure list --user-agent" \
	'ERROR: invalid flag --user-agent; available flags: --profile\n'
want_out "configure list --user-agent stdout" ''

rm "$HOME/.aliyun/config.json"
run configure list
want_rc "configure list without file" 1
want_err "configure list without file" \
	"ERROR: load configure failed: stat $HOME/.aliyun/config.json: no such file or directory\n"
want_out "configure list without file stdout" ''

# --- configure set ---------------------------------------------------------
fresh
run configure set --auto-plugin-install true
want_rc "configure set" 0
want_out "configure set stdout" ''
want_err "configure set stderr" ''
want_has "configure set stores the flag" "$HOME/.aliyun/config.json" '"auto_plugin_install":	true'
want_has "configure set keeps the profile" "$HOME/.aliyun/config.json" '"access_key_secret":	"TestSecretDoNotLeak"'
run configure set --auto-plugin-install true --profile nosuch
want_rc "configure set unknown profile" 1
want_err "configure set unknown profile" \
	"ERROR: fail to set configuration: region can't be empty\n"
run configure set --auto-plugin-install true --user-agent "$UA"
want_rc "configure set --user-agent" 2
rm "$HOME/.aliyun/config.json"
run configure set --auto-plugin-install true
want_rc "configure set without file" 1
want_err "configure set without file" \
	"ERROR: fail to set configuration: region can't be empty\n"
fresh
sed -i 's/"mode": "AK"/"mode": ""/' "$HOME/.aliyun/config.json"
run configure set --auto-plugin-install true
want_rc "configure set without mode" 1
want_err "configure set without mode" \
	"ERROR: fail to set configuration: profile default is not configure yet, run \`aliyun configure --profile default\` first\n"

# --- configure ai-mode -----------------------------------------------------
# ai-mode.json as aimode.Save writes it: tab-indented, no final newline, no
# empty user_agent; show as doAiModeShow prints it (config/configure_ai_mode.go)
fresh
AIF=$HOME/.aliyun/ai-mode.json
SUF=AlibabaCloud-AIMode/enabled
run configure ai-mode show
want_rc "ai-mode show without a file" 0
want_out "ai-mode show without a file" \
	"{\n  \"enabled\": false,\n  \"effective_user_agent\": \"AlibabaCloud-Agent-Skills\",\n  \"config_file\": \"$AIF\"\n}\n"
if [ ! -e "$AIF" ]; then ok; else bad "ai-mode show wrote the file"; fi
run configure ai-mode enable
want_rc "ai-mode enable" 0
want_out "ai-mode enable stdout" ''
want_file "ai-mode enable file" "$AIF" '{\n\t"enabled": true\n}'
run configure ai-mode set-user-agent --user-agent "$UA"
want_rc "ai-mode set-user-agent" 0
want_file "ai-mode set-user-agent file" "$AIF" "{\n\t\"enabled\": true,\n\t\"user_agent\": \"$UA\"\n}"
run configure ai-mode show
want_out "ai-mode show" \
	"{\n  \"enabled\": true,\n  \"user_agent\": \"$UA\",\n  \"effective_user_agent\": \"$UA\",\n  \"request_user_agent_suffix\": \"$SUF $UA\",\n  \"config_file\": \"$AIF\"\n}\n"
cp "$D/out" "$D/show"
run configure ai-mode
want_file "ai-mode alone is show" "$D/out" "$(cat "$D/show")\n"
run configure ai-mode reset-user-agent
want_rc "ai-mode reset-user-agent" 0
want_file "ai-mode reset-user-agent file" "$AIF" '{\n\t"enabled": true\n}'
run configure ai-mode show
want_out "ai-mode show after reset" \
	"{\n  \"enabled\": true,\n  \"effective_user_agent\": \"AlibabaCloud-Agent-Skills\",\n  \"request_user_agent_suffix\": \"$SUF AlibabaCloud-Agent-Skills\",\n  \"config_file\": \"$AIF\"\n}\n"
run configure ai-mode set-user-agent
want_rc "ai-mode set-user-agent without value" 1
want_err "ai-mode set-user-agent without value" \
	'ERROR: --user-agent is required for set-user-agent\n'
run configure ai-mode get
want_rc "ai-mode get" 2
want_err "ai-mode get" "ERROR: 'get' is not a valid command\n"
run configure ai-mode show extra
want_rc "ai-mode show extra" 2
want_err "ai-mode show extra" "ERROR: 'extra' is not a valid command\n"
# --user-agent and --ossutil are persistent flags of ai-mode
run configure ai-mode enable --user-agent "$UA"
want_rc "ai-mode enable --user-agent" 0
want_file "ai-mode enable --user-agent ignores it" "$AIF" '{\n\t"enabled": true\n}'
run configure ai-mode enable --region cn-hangzhou
want_rc "ai-mode enable --region" 2
run configure ai-mode disable
want_rc "ai-mode disable" 0
want_file "ai-mode disable file" "$AIF" '{\n\t"enabled": false\n}'
# a file written by a test, read as Go reads it into the CLI's struct
printf '{"enabled": true, "user_agent": "my-team/1.0"}' >"$AIF"
run configure ai-mode show
want_out "ai-mode show of a written file" \
	"{\n  \"enabled\": true,\n  \"user_agent\": \"my-team/1.0\",\n  \"effective_user_agent\": \"my-team/1.0\",\n  \"request_user_agent_suffix\": \"$SUF my-team/1.0\",\n  \"config_file\": \"$AIF\"\n}\n"
printf '{"Enabled": true, "USER_AGENT": " t<1>&\xc3\xa9\\t ", "other": [1]}\n\n' >"$AIF"
run configure ai-mode show
want_out "ai-mode show: keys ignoring case, Go escapes, sanitized UA" \
	"{\n  \"enabled\": true,\n  \"user_agent\": \" t\\\\u003c1\\\\u003e\\\\u0026\xc3\xa9\\\\t \",\n  \"effective_user_agent\": \"t\\\\u003c1\\\\u003e\\\\u0026\",\n  \"request_user_agent_suffix\": \"$SUF t\\\\u003c1\\\\u003e\\\\u0026\",\n  \"config_file\": \"$AIF\"\n}\n"
for doc in '{"enabled": "yes", "user_agent": "x"}' 'not json' '{"enabled": true} x' '[]' ''; do
	printf '%s' "$doc" >"$AIF"
	run configure ai-mode show
	want_out "ai-mode show of '$doc' is the default" \
		"{\n  \"enabled\": false,\n  \"effective_user_agent\": \"AlibabaCloud-Agent-Skills\",\n  \"config_file\": \"$AIF\"\n}\n"
done
printf '{"enabled": false, "user_agent": "\\u56e2\\u961f", "ossutil": "{\\"b\\": 1, \\"a\\": [1e21, 0.0000001, 2.50, 100]}"}' >"$AIF"
run configure ai-mode show
want_out "ai-mode show: ossutil, a non-ASCII UA" \
	"{\n  \"enabled\": false,\n  \"user_agent\": \"\xe5\x9b\xa2\xe9\x98\x9f\",\n  \"ossutil\": {\n    \"a\": [\n      1e+21,\n      1e-7,\n      2.5,\n      100\n    ],\n    \"b\": 1\n  },\n  \"effective_user_agent\": \"\",\n  \"config_file\": \"$AIF\"\n}\n"
run configure ai-mode enable
want_file "ai-mode enable keeps user_agent and ossutil" "$AIF" \
	'{\n\t"enabled": true,\n\t"user_agent": "\xe5\x9b\xa2\xe9\x98\x9f",\n\t"ossutil": {\n\t\t"a": [\n\t\t\t1e+21,\n\t\t\t1e-7,\n\t\t\t2.5,\n\t\t\t100\n\t\t],\n\t\t"b": 1\n\t}\n}'
run configure ai-mode show
want_has "an empty segment leaves the marker alone" "$D/out" "\"request_user_agent_suffix\": \"$SUF\","
run configure ai-mode reset-ossutil
want_file "ai-mode reset-ossutil" "$AIF" '{\n\t"enabled": true,\n\t"user_agent": "\xe5\x9b\xa2\xe9\x98\x9f"\n}'
run configure ai-mode set-ossutil --ossutil '{"k": 01}'
want_rc "ai-mode set-ossutil with bad JSON" 1
want_err "ai-mode set-ossutil with bad JSON" \
	"ERROR: invalid JSON for --ossutil: invalid character '1' after object key:value pair\n"
run configure ai-mode set-ossutil --ossutil '{"k": 1}'
want_file "ai-mode set-ossutil" "$AIF" '{\n\t"enabled": true,\n\t"user_agent": "\xe5\x9b\xa2\xe9\x98\x9f",\n\t"ossutil": {\n\t\t"k": 1\n\t}\n}'
rm "$AIF"
mkdir "$AIF"
run configure ai-mode show
want_rc "ai-mode.json unreadable" 1
want_err "ai-mode.json unreadable" "ERROR: load ai-mode config failed: read $AIF: is a directory\n"
rmdir "$AIF"
HOME=$HOME//./ run configure ai-mode show
want_has "config_file is a clean path" "$D/out" "\"config_file\": \"$AIF\""
scenario <<-'EOF'
{"version": "3.4.2"}
EOF
run configure ai-mode get
want_err "ai-mode get before 3.4.3" "ERROR: 'get' is not a vaild command\n"
scenario <<-'EOF'
{"version": "3.3.2"}
EOF
run configure ai-mode enable
want_rc "ai-mode before 3.3.3" 2
want_err "ai-mode before 3.3.3" "ERROR: 'ai-mode' is not a vaild command\n"
scenario <<-'EOF'
{"ai_mode": false}
EOF
run configure ai-mode enable
want_rc "ai_mode false" 2
want_err "ai_mode false" "ERROR: 'ai-mode' is not a valid command\n"
run foo
want_rc "unknown command" 2
want_err "unknown command" "ERROR: 'foo' is not a valid command\n"

# --- plugin update ---------------------------------------------------------
# Manager.UpdateAll (cli/plugin/manager.go), plugins in alphabetical order
fresh
run plugin update
want_rc "plugin update" 0
want_out "plugin update" 'Checking for updates for 3 installed plugin(s)...
Skipping aliyun-cli-eas (already up to date: 0.1.2)
Skipping aliyun-cli-pai-dlc (already up to date: 0.1.2)
Skipping aliyun-cli-sysom (already up to date: 0.1.2)
All plugins are up to date.
'
want_err "plugin update stderr" ''
for mode in none updated partial fail offline; do
	scenario <<-EOF
	{"plugin_update": "$mode"}
	EOF
	run plugin update
	case $mode in
	none)	want_rc "plugin update none" 0
		want_out "plugin update none" 'No plugins installed.\n' ;;
	updated) want_rc "plugin update updated" 0
		want_out "plugin update updated" 'Checking for updates for 3 installed plugin(s)...
Updating aliyun-cli-eas from 0.1.1 to 0.1.2...
Downloading aliyun-cli-eas 0.1.2...
Plugin aliyun-cli-eas 0.1.2 installed successfully!
Updating aliyun-cli-pai-dlc from 0.1.1 to 0.1.2...
Downloading aliyun-cli-pai-dlc 0.1.2...
Plugin aliyun-cli-pai-dlc 0.1.2 installed successfully!
Updating aliyun-cli-sysom from 0.1.1 to 0.1.2...
Downloading aliyun-cli-sysom 0.1.2...
Plugin aliyun-cli-sysom 0.1.2 installed successfully!
Updated: 3
' ;;
	partial) want_rc "plugin update partial" 1
		want_out "plugin update partial" 'Checking for updates for 3 installed plugin(s)...
Updating aliyun-cli-eas from 0.1.1 to 0.1.2...
Downloading aliyun-cli-eas 0.1.2...
Plugin aliyun-cli-eas 0.1.2 installed successfully!
Updating aliyun-cli-pai-dlc from 0.1.1 to 0.1.2...
Downloading aliyun-cli-pai-dlc 0.1.2...
Plugin aliyun-cli-pai-dlc 0.1.2 installed successfully!
Updating aliyun-cli-sysom from 0.1.1 to 0.1.2...
Downloading aliyun-cli-sysom 0.1.2...
Failed to update aliyun-cli-sysom: download failed: 503
Updated: 2
Failed: 1
'
		want_err "plugin update partial" 'ERROR: 1 plugin(s) failed to update\n' ;;
	fail)	want_rc "plugin update fail" 1
		want_out "plugin update fail" 'Checking for updates for 3 installed plugin(s)...
Updating aliyun-cli-eas from 0.1.1 to 0.1.2...
Downloading aliyun-cli-eas 0.1.2...
Failed to update aliyun-cli-eas: download failed: 503
Skipping aliyun-cli-pai-dlc (already up to date: 0.1.2)
Skipping aliyun-cli-sysom (already up to date: 0.1.2)
All plugins are up to date.
Failed: 1
'
		want_err "plugin update fail" 'ERROR: 1 plugin(s) failed to update\n' ;;
	offline) want_rc "plugin update offline" 1
		want_out "plugin update offline" ''
		want_err "plugin update offline" 'ERROR: failed to get plugin index: failed to fetch plugin index: Get "https://aliyuncli.alicdn.com/plugins/plugin_pkg_index.json": dial tcp: lookup aliyuncli.alicdn.com: no such host\n' ;;
	esac
done
run plugin update --user-agent "$UA"
want_rc "plugin update --user-agent" 2
# only the plugins installed so far take part
scenario <<-'EOF'
{"plugins_installed": false, "plugin_update": "offline"}
EOF
run plugin update
want_rc "plugin update offline, nothing installed" 0
want_out "plugin update offline, nothing installed" 'No plugins installed.\n'
scenario <<-'EOF'
{"plugins_installed": false, "plugin_update": "partial"}
EOF
run plugin install --names aliyun-cli-sysom
run plugin update
want_rc "plugin update partial, one plugin" 1
want_out "plugin update partial, one plugin" 'Checking for updates for 1 installed plugin(s)...
Updating aliyun-cli-sysom from 0.1.1 to 0.1.2...
Downloading aliyun-cli-sysom 0.1.2...
Failed to update aliyun-cli-sysom: download failed: 503
All plugins are up to date.
Failed: 1
'

# --- SysOM: invoke and the poll sequence -----------------------------------
fresh
run sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA"
want_rc "initial-sysom" 0
want_out "initial-sysom" '{\n  "RequestId": "1F0C2B7E-6A3D-5C1B-9E44-2B7A90C3D5E1",\n  "code": "Success",\n  "message": "",\n  "data": {\n    "role_exist": true\n  }\n}\n'

# a poll before any invoke: the Ready body of facts 4.3
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
want_rc "first poll" 0
want_out "first poll (facts 4.3)" '{
  "code": "Success",
  "message": "",
  "request_id": "0A1B2C3D-4E5F-5061-8293-A4B5C6D7E8F9",
  "data": {
    "task_id": "Vq7mZ2xK",
    "service_name": "ocd",
    "status": "Ready",
    "code": 0,
    "err_msg": "",
    "created_at": "2026-08-20 10:15:02",
    "updated_at": "2026-08-20 10:15:02",
    "params": {
      "instance": "eas-m-bp79exq2lzbd0ctdfu",
      "region": "cn-hangzhou",
      "product": "EAS",
      "start_time": 0,
      "end_time": 0,
      "type": "ocd",
      "ai_roadmap": true,
      "enable_sysom_link": false
    },
    "url": "/diagnose/detail/Vq7mZ2xK",
    "result": {}
  }
}
'

fresh
scenario <<-'EOF'
{"task": {"id": "Ab12Cd34", "statuses": ["Ready", "Running", "Success"]}}
EOF
run sysom invoke-diagnosis --service-name ocd --channel ecs --params '{"instance":"eas-m-x","region":"cn-shanghai","product":"EAS","type":"ocd","start_time":0,"end_time":0}' --user-agent "$UA"
want_rc "invoke" 0
want_out "invoke (facts 4.2)" '{\n  "code": "Success",\n  "message": "",\n  "data": {\n    "task_id": "Ab12Cd34"\n  },\n  "request_id": "8D2E4C61-0B7F-5A93-A1C2-6E5F4D3B2A10"\n}\n'
seq=
for i in 1 2 3 4; do
	run sysom get-diagnosis-result --task-id Ab12Cd34 --user-agent "$UA"
	seq="$seq $(status_of)"
done
if [ "$seq" = " Ready Running Success Success" ]; then ok; else bad "poll sequence:$seq"; fi
want_has "Success carries the result" "$D/out" '"overall_status": "Critical"'
want_has "params echo the invoke" "$D/out" '"instance": "eas-m-x",'
want_has "params echo the region" "$D/out" '"region": "cn-shanghai",'
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
want_rc "poll of an unknown task" 1
want_has "poll of an unknown task" "$D/err" 'Message: code: 400, Invalid parameters passed when calling the interface. task not found. request id: '

fresh
scenario <<-'EOF'
{"task": {"statuses": ["Fail"], "err_msg": "boom", "url": null}}
EOF
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
want_has "Fail status" "$D/out" '"status": "Fail",'
want_has "Fail code" "$D/out" '"code": 1,'
want_has "Fail err_msg" "$D/out" '"err_msg": "boom",'
want_lacks "url null omits url" "$D/out" '"url"'

fresh
export ALIYUN_SIM_SCENARIO=$HERE/scenarios/dlc-historical.json
for i in 1 2 3; do run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"; done
want_has "result as a string" "$D/out" '"result": "{\"product\":\"DLC\",\"diagnose_mode\":\"history\",'

fresh
for p in 'not json' '{"instance":"eas-m-x","region":"cn-hangzhou","type":"ocd"}' \
    '{"instance":"eas-m-x","region":"cn-hangzhou","product":"EAS","type":"ocd","ocd_description":"GPU OOM"}'; do
	run sysom invoke-diagnosis --service-name ocd --channel ecs --params "$p" --user-agent "$UA"
	want_rc "invoke with bad params" 1
	want_has "invoke with bad params" "$D/err" 'Code: Sysom.InvalidParameter'
done
want_has "bad ocd_description" "$D/err" 'Invalid parameters passed when calling the interface. ocd_description contains invalid characters.'
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
want_rc "rejected invokes start no task" 0

# --- task.per_instance: a task per instance and region -----------------------
fresh
scenario <<-'EOF'
{"task": {"per_instance": true, "statuses": ["Running", "Success"],
 "by_instance": {
  "eas-m-b": {"statuses": ["Running", "Fail"], "err_msg": "b failed", "url": null},
  "eas-m-c": {"in_progress": "Zz9Yy8Xx"}}}}
EOF
invoke_of() {	# invoke_of INSTANCE REGION: the task id, or its exit code
	run sysom invoke-diagnosis --service-name ocd --channel ecs \
	    --params "{\"instance\":\"$1\",\"region\":\"$2\",\"product\":\"EAS\",\"type\":\"ocd\"}" --user-agent "$UA"
	if [ "$rc" = 0 ]; then sed -n 's/^    "task_id": "\(.*\)"$/\1/p' "$D/out"; else echo "rc$rc"; fi
}
poll_of() {	# poll_of ID: status/instance of the answer, or the exit code
	run sysom get-diagnosis-result --task-id "$1" --user-agent "$UA"
	if [ "$rc" = 0 ]; then
		echo "$(status_of)/$(sed -n 's/^      "instance": "\(.*\)",$/\1/p' "$D/out")"
	else echo "rc$rc"; fi
}
A=$(invoke_of eas-m-x cn-hangzhou)
# FNV-1a 64 of "eas-m-x\ncn-hangzhou" in base 62, least significant first
if [ "$A" = JVzIhmMM ]; then ok; else bad "per_instance: id of eas-m-x: $A"; fi
A2=$(invoke_of eas-m-x cn-beijing)
B=$(invoke_of eas-m-b cn-hangzhou)
if [ "$A2" = FOzTClBo ] && [ "$B" != "$A" ] &&
    printf '%s\n' "$B" | grep -Eqx '[A-Za-z0-9]{8}'; then ok; else
	bad "per_instance: ids $A2 $B"
fi
got="$(poll_of "$A") $(poll_of "$B") $(poll_of "$A") $(poll_of "$B") $(poll_of "$A2")"
if [ "$got" = "Running/eas-m-x Running/eas-m-b Success/eas-m-x Fail/eas-m-b Running/eas-m-x" ]; then ok; else
	bad "per_instance polls: $got"
fi
poll_of "$B" >/dev/null
want_has "by_instance err_msg" "$D/out" '"err_msg": "b failed",'
want_lacks "by_instance url" "$D/out" '"url"'
if [ "$(invoke_of eas-m-x cn-hangzhou)" = "$A" ]; then ok; else bad "per_instance: same instance, same id"; fi
if [ "$(poll_of "$A")" = Success/eas-m-x ]; then ok; else bad "per_instance: a second invoke restarted the task"; fi
got="$(invoke_of eas-m-c cn-hangzhou)"
want_has "by_instance in_progress" "$D/err" 'please wait for it to finish: ocd(Zz9Yy8Xx) request id: '
if [ "$got" = rc1 ] && [ "$(poll_of Zz9Yy8Xx)" = Running/eas-m-c ]; then ok; else bad "per_instance in_progress: $got"; fi
C=$(invoke_of eas-m-c cn-hangzhou)
if [ "$(poll_of "$C")" = Running/eas-m-c ]; then ok; else bad "per_instance: invoke after in_progress"; fi
for id in Vq7mZ2xK ../state.json 'a b' ''; do
	run sysom get-diagnosis-result --task-id "$id" --user-agent "$UA"
	want_rc "per_instance: '$id' was never issued" 1
done
want_has "per_instance: never issued" "$D/err" 'Message: code: 400, Invalid parameters passed when calling the interface. task_id is required. request id: '
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
want_has "per_instance: never issued" "$D/err" 'Invalid parameters passed when calling the interface. task not found. request id: '
if [ ! -e "$ALIYUN_SIM_STATE/state.json" ] &&
    [ "$(find "$ALIYUN_SIM_STATE" -type f | wc -l)" = 6 ]; then ok; else
	bad "per_instance state: $(find "$ALIYUN_SIM_STATE" -type f | tr '\n' ' ')"
fi
scenario <<-'EOF'
{"task": {"per_instance": true, "by_instance": {"x": {"id": "nope"}}}}
EOF
run version
want_err "by_instance: unknown key" "aliyun-sim: scenario: unknown key 'task.by_instance.x.id'\n"
# a fleet at once: 200 targets, an id each, a poll each, nothing lost
fresh
scenario <<-'EOF'
{"task": {"per_instance": true}}
EOF
for i in $(seq 1 200); do
	printf '' | "$SIM" sysom invoke-diagnosis --service-name ocd --channel ecs \
	    --params "{\"instance\":\"eas-m-$i\",\"region\":\"cn-hangzhou\",\"product\":\"EAS\",\"type\":\"ocd\"}" \
	    >"$D/inv.$i" 2>&1 &
done
wait
sed -n 's/^    "task_id": "\(.*\)"$/\1/p' "$D"/inv.* | sort -u >"$D/ids"
for id in $(cat "$D/ids"); do
	printf '' | "$SIM" sysom get-diagnosis-result --task-id "$id" >/dev/null 2>&1 &
done
wait
if [ "$(wc -l <"$D/ids")" = 200 ] &&
    [ "$(cat "$ALIYUN_SIM_STATE"/tasks/* | grep -c '"polls":1}')" = 200 ]; then ok; else
	bad "per_instance fleet: $(wc -l <"$D/ids") ids"
fi

# --- Sysom.TaskInProgress --------------------------------------------------
fresh
export ALIYUN_SIM_SCENARIO=$HERE/scenarios/task-in-progress.json
run sysom invoke-diagnosis --service-name ocd --channel ecs --params "$PARAMS" --user-agent "$UA"
want_rc "TaskInProgress" 1
want_out "TaskInProgress stdout" ''
want_err "TaskInProgress (facts 4.8, plugin form)" 'SDKError:
   StatusCode: 400
   Code: Sysom.TaskInProgress
   Message: code: 400, A diagnosis task is already in progress for this instance, please wait for it to finish: ocd(Vq7mZ2xK) request id: 3E1D5C7B-2A49-5F60-8B1C-D2E3F4A5B6C7
   Data: {"Code":"Sysom.TaskInProgress","HostId":"sysom.cn-hangzhou.aliyuncs.com","Message":"A diagnosis task is already in progress for this instance, please wait for it to finish: ocd(Vq7mZ2xK)","Recommend":"https://api.aliyun.com/troubleshoot?q=Sysom.TaskInProgress&product=SysOM&requestId=3E1D5C7B-2A49-5F60-8B1C-D2E3F4A5B6C7","RequestId":"3E1D5C7B-2A49-5F60-8B1C-D2E3F4A5B6C7","statusCode":400}
'
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
want_rc "poll of the running task" 0
if [ "$(status_of)" = Running ]; then ok; else bad "poll of the running task: $(status_of)"; fi
run sysom invoke-diagnosis --service-name ocd --channel ecs --params "$PARAMS" --user-agent "$UA"
want_rc "second invoke" 0
want_has "second invoke" "$D/out" '"task_id": "Hn4tR8wq"'
fresh
scenario <<-'EOF'
{"task": {"in_progress": ""}}
EOF
run sysom invoke-diagnosis --service-name ocd --channel ecs --params "$PARAMS" --user-agent "$UA"
want_has "TaskInProgress without id" "$D/err" 'please wait for it to finish. request id: '
want_lacks "TaskInProgress without id" "$D/err" 'ocd('

# --- EAS ListServices ------------------------------------------------------
fresh
scenario <<-'EOF'
{"eas_services": [
 {"ServiceId": "eas-m-aaa1", "ServiceName": "qwen_chat_prod", "Region": "cn-hangzhou"},
 {"ServiceId": "eas-m-aaa2", "ServiceName": "qwen_chat_staging", "Region": "cn-hangzhou"},
 {"ServiceId": "eas-m-aaa3", "ServiceName": "QWEN_embed", "Region": "cn-hangzhou"},
 {"ServiceId": "eas-m-aaa4", "ServiceName": "qwen_chat_bj", "Region": "cn-beijing"},
 {"ServiceId": "eas-m-aaa5", "ServiceName": "sd_webui"}
]}
EOF
ids() { grep -o '"ServiceId": "[^"]*"' "$D/out" | sed 's/.*: "\(.*\)"/\1/' | tr '\n' ' '; }
total() { sed -n 's/^  "TotalCount": \(.*\)$/\1/p' "$D/out"; }
run eas list-services --region cn-hangzhou --filter qwen --user-agent "$UA"
want_rc "list-services" 0
if [ "$(ids)/$(total)" = "eas-m-aaa1 eas-m-aaa2 eas-m-aaa3 /3" ]; then ok; else bad "fuzzy filter: $(ids)/$(total)"; fi
run eas list-services --region cn-hangzhou --filter CHAT --user-agent "$UA"
if [ "$(ids)/$(total)" = "eas-m-aaa1 eas-m-aaa2 /2" ]; then ok; else bad "case-insensitive filter: $(ids)/$(total)"; fi
run eas list-services --region cn-hangzhou --filter eas-m-aaa1 --user-agent "$UA"
want_out "filter by id finds nothing (facts 4.13)" '{
  "PageNumber": 1,
  "PageSize": 100,
  "RequestId": "5B6C7D8E-9F0A-4B1C-8D2E-3F4A5B6C7D8E",
  "Services": [],
  "TotalCount": 0
}
'
run eas list-services --region cn-hangzhou --page-number 2 --page-size 2 --user-agent "$UA"
if [ "$(ids)/$(total)" = "eas-m-aaa3 eas-m-aaa5 /4" ]; then ok; else bad "paging: $(ids)/$(total)"; fi
want_has "paging PageNumber" "$D/out" '"PageNumber": 2,'
want_has "paging PageSize" "$D/out" '"PageSize": 2,'
run eas list-services --region cn-hangzhou --page-number 3 --page-size 2 --user-agent "$UA"
if [ "$(ids)/$(total)" = "/4" ]; then ok; else bad "page past the end: $(ids)/$(total)"; fi
run eas list-services --region cn-beijing --user-agent "$UA"
if [ "$(ids)/$(total)" = "eas-m-aaa4 eas-m-aaa5 /2" ]; then ok; else bad "region: $(ids)/$(total)"; fi
# eas_page_cap: short pages, PageSize as asked, TotalCount of all
scenario <<-'EOF'
{"eas_page_cap": 2, "eas_services": [
 {"ServiceId": "eas-m-aaa1", "ServiceName": "s1"}, {"ServiceId": "eas-m-aaa2", "ServiceName": "s2"},
 {"ServiceId": "eas-m-aaa3", "ServiceName": "s3"}, {"ServiceId": "eas-m-aaa4", "ServiceName": "s4"},
 {"ServiceId": "eas-m-aaa5", "ServiceName": "s5"}
]}
EOF
got=
for pn in 1 2 3 4; do
	run eas list-services --region cn-hangzhou --page-number $pn --page-size 100 --user-agent "$UA"
	got="$got[$(ids)/$(total)]"
done
if [ "$got" = "[eas-m-aaa1 eas-m-aaa2 /5][eas-m-aaa3 eas-m-aaa4 /5][eas-m-aaa5 /5][/5]" ]; then ok; else bad "eas_page_cap: $got"; fi
want_has "eas_page_cap: PageSize as asked" "$D/out" '"PageSize": 100,'
run eas list-services --region cn-hangzhou --page-number 2 --page-size 1 --user-agent "$UA"
if [ "$(ids)" = "eas-m-aaa2 " ]; then ok; else bad "eas_page_cap below the cap: $(ids)"; fi
scenario <<-'EOF'
{"eas_page_cap": 0}
EOF
run version
want_rc "eas_page_cap 0" 125
scenario <<-'EOF'
{"eas_services": [
 {"ServiceId": "eas-m-aaa1", "ServiceName": "qwen_chat_prod", "Region": "cn-hangzhou"}
]}
EOF
run eas list-services --region cn-hangzhou --page-size 0 --user-agent "$UA"
want_rc "bad page size" 1
run eas list-servics --region cn-hangzhou --user-agent "$UA"
want_rc "unknown eas subcommand" 2
want_err "unknown eas subcommand" "ERROR: 'list-servics' is not a valid command\n"
want_out "did you mean" '\nDid you mean:\n  list-services\n'

# --- DLC GetJob ------------------------------------------------------------
fresh
export ALIYUN_SIM_SCENARIO=$HERE/scenarios/dlc-historical.json
run pai-dlc get-job --region cn-hangzhou --job-id dlcabc123def456 --user-agent "$UA"
want_rc "get-job" 0
want_has "get-job Lingjun" "$D/out" '"ResourceType": "Lingjun",'
want_has "get-job RequestId" "$D/out" '  "RequestId": "473469C7-AA6F-4DC5-B3DB-0A1B2C3D4E5F",'
export ALIYUN_SIM_SCENARIO=$HERE/scenarios/not-lingjun.json
run pai-dlc get-job --region cn-hangzhou --job-id dlc1a2b3c4d5e6f --user-agent "$UA"
want_has "get-job ECS" "$D/out" '"ResourceType": "ECS",'
run pai-dlc get-job --region cn-beijing --job-id dlcnotexist0001 --user-agent "$UA"
want_rc "get-job not found" 1
want_err "get-job not found (facts 4.17)" 'SDKError:
   StatusCode: 404
   Code: NotFound
   Message: code: 404, Job dlcnotexist0001 not found request id: 8E9F0A1B-2C3D-4E5F-8A6B-7C8D9E0F1A2B
   Data: {"Code":"NotFound","HostId":"pai-dlc.cn-beijing.aliyuncs.com","Message":"Job dlcnotexist0001 not found","Recommend":"https://api.aliyun.com/troubleshoot?q=NotFound&product=pai-dlc&requestId=8E9F0A1B-2C3D-4E5F-8A6B-7C8D9E0F1A2B","RequestId":"8E9F0A1B-2C3D-4E5F-8A6B-7C8D9E0F1A2B","statusCode":404}
'

fresh
scenario <<-'EOF'
{"dlc_jobs": [
 {"JobId": "dlc-bj", "Region": "cn-beijing", "ResourceType": "Lingjun"},
 {"JobId": "dlc-any", "ResourceType": "ECS"}
]}
EOF
run pai-dlc get-job --region cn-beijing --job-id dlc-bj --user-agent "$UA"
want_rc "get-job in its region" 0
want_has "get-job in its region" "$D/out" '"Region": "cn-beijing",'
run pai-dlc get-job --region cn-hangzhou --job-id dlc-bj --user-agent "$UA"
want_rc "get-job in another region" 1
want_has "get-job in another region" "$D/err" 'Code: NotFound'
want_has "get-job in another region: host" "$D/err" '"HostId":"pai-dlc.cn-hangzhou.aliyuncs.com"'
run pai-dlc get-job --job-id dlc-bj --user-agent "$UA"
want_rc "get-job in the profile's region" 1
run pai-dlc get-job --region cn-shanghai --job-id dlc-any --user-agent "$UA"
want_rc "get-job without a Region" 0

# --- error forms -----------------------------------------------------------
FORBIDDEN=$HERE/scenarios/forbidden-eas.json
form() {
	sed "s/\"form\": \"plugin\"/\"form\": \"$1\"/" "$FORBIDDEN" >"$D/form.json"
	export ALIYUN_SIM_SCENARIO=$D/form.json
	run eas list-services --region cn-hangzhou --filter eas-m-x --user-agent "$UA"
}
fresh
form plugin
want_rc "plugin form" 1
want_out "plugin form stdout" ''
want_has "plugin form" "$D/err" '   Data: {"AccessDeniedDetail":{"AuthAction":"eas:ListServices",'
want_has "plugin form" "$D/err" '"statusCode":403}'
form server
want_rc "server form" 1
head -5 "$D/err" >"$D/err5"
want_file "server form" "$D/err5" 'ERROR: SDK.ServerError
ErrorCode: Forbidden.RAM
Recommend: https://api.aliyun.com/troubleshoot?q=Forbidden.RAM&product=eas&requestId=A1B2C3D4-E5F6-5789-8ABC-DEF012345678
RequestId: A1B2C3D4-E5F6-5789-8ABC-DEF012345678
Message: User not authorized to operate on the specified resource, or this API doesn'"'"'t support RAM.
'
want_has "server form headers" "$D/err" 'RespHeaders: map[Access-Control-Allow-Origin:[*] '
want_has "server form detail" "$D/err" 'AccessDeniedDetail: {"AuthAction":"eas:ListServices",'
form envelope
want_rc "envelope form (permission)" 4
want_out "envelope form stdout" ''
want_has "envelope form" "$D/err" '{"ok":false,"category":"PERMISSION_ERROR","code":"Forbidden.RAM",'
if [ "$(wc -l <"$D/err")" = 1 ]; then ok; else bad "envelope is not one line"; fi
form envelope2
want_rc "envelope2 form" 2
want_has "envelope2 form" "$D/err" '"code":"Forbidden.RAM","request_id":"A1B2C3D4-E5F6-5789-8ABC-DEF012345678"'
want_has "envelope2 recovery" "$D/err" '"recovery":{"action":"diagnose_error_code",'
form network
want_rc "network form" 1
want_has "network form leaks the URL" "$D/err" 'ERROR: Post "https://pai-eas.cn-hangzhou.aliyuncs.com/?AccessKeyId=LTAI5tXXXXXXXXXXXXXXXXXX&Action=ListServices&'
want_has "network form signature" "$D/err" '&Signature='
want_has "network form token" "$D/err" '&SecurityToken='
want_has "network form cause" "$D/err" '": dial tcp 100.100.80.10:443: connect: connection refused'
fresh
scenario <<-'EOF'
{"rules": [
 {"cmd": "sysom get-diagnosis-result", "times": 1, "error": {"form": "envelope",
  "body": {"Code": "Throttling.User", "Message": "slow down", "RequestId": "R1"}}},
 {"cmd": "sysom get-diagnosis-result", "times": 1, "error": {"form": "envelope",
  "category": "NETWORK_ERROR", "body": {"Code": "", "Message": "timeout", "RequestId": ""}}}
]}
EOF
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
want_rc "envelope form (throttling)" 5
want_has "envelope throttling retryable" "$D/err" '"retryable":true'
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
want_rc "envelope form (network)" 6
export ALIYUN_SIM_SCENARIO=$HERE/scenarios/role-missing.json
run sysom invoke-diagnosis --service-name ocd --channel ecs --params "$PARAMS" --user-agent "$UA"
want_rc "business form" 0
want_err "business form stderr" ''
want_out "business form (facts 4.10)" '{
  "code": "SysomOpenAPI.AssumeRoleFailed",
  "message": "SysomOpenAPIAssumeRoleException: EntityNotExist.Role The role not exists: acs:ram::1234567890123456:role/aliyunserviceroleforsysom",
  "data": {},
  "request_id": "2B3C4D5E-6F70-5182-93A4-B5C6D7E8F901"
}
'

# --- throttle and ALIYUN_SIM_CALLTIMES --------------------------------------
# most_in_a_second FILE: the most "ok" calls of FILE within one second
most_in_a_second() {
	awk '$2 == "ok" { sub(/\./, "", $1); t[n++] = $1 }
	END {
		best = 0
		for (i = 0; i < n; i++) {
			k = 0
			for (j = 0; j < n; j++)
				if (t[j] >= t[i] && t[j] - t[i] < 1000000) k++
			if (k > best) best = k
		}
		print best
	}' "$1"
}
fresh
export ALIYUN_SIM_CALLTIMES=$D/calls
run version
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
run sysom get-diagnosis-result --task-id NoSuchId --user-agent "$UA"
run sysom foo --user-agent "$UA"
if [ "$(wc -l <"$D/calls")" = 2 ] &&
    grep -Eq "^[0-9]+\.[0-9]{6} ok sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent $UA\$" "$D/calls"; then ok; else
	bad "calltimes: $(cat "$D/calls")"
fi
fresh
export ALIYUN_SIM_CALLTIMES=$D/calls
scenario <<-'EOF'
{"task": {"statuses": ["Ready", "Running", "Success"]}, "throttle": {"per_second": 1},
 "rules": [{"cmd": "eas list-services", "times": 1, "stdout": "rule\n"}]}
EOF
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
want_rc "throttled (plugin form)" 1
want_out "throttled: stdout" ''
want_err "throttled (plugin form)" 'SDKError:
   StatusCode: 429
   Code: Throttling.User
   Message: code: 429, Request was denied due to user flow control. request id: 0C1D2E3F-4A5B-4C6D-8E7F-901A2B3C4D5E
   Data: {"Code":"Throttling.User","HostId":"sysom.cn-hangzhou.aliyuncs.com","Message":"Request was denied due to user flow control.","Recommend":"https://api.aliyun.com/troubleshoot?q=Throttling.User&product=SysOM&requestId=0C1D2E3F-4A5B-4C6D-8E7F-901A2B3C4D5E","RequestId":"0C1D2E3F-4A5B-4C6D-8E7F-901A2B3C4D5E","statusCode":429}
'
run eas list-services --region cn-hangzhou --user-agent "$UA"
want_rc "a rule is throttled too" 1
run version
want_rc "system commands are not throttled" 0
sleep 1.1
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
if [ "$(status_of)" = Running ]; then ok; else bad "a throttled poll advanced the task: $(status_of)"; fi
sleep 1.1
run eas list-services --region cn-hangzhou --user-agent "$UA"
want_out "a throttled call used no rule" 'rule\n'
if [ "$(awk '{print $2}' "$D/calls" | tr '\n' ' ')" = "ok throttled throttled ok ok " ]; then ok; else
	bad "calltimes verdicts: $(cat "$D/calls")"
fi
# every process shares one window
scenario <<-'EOF'
{"throttle": {"per_second": 4, "form": "envelope"}}
EOF
: >"$D/calls"
for i in $(seq 1 30); do
	printf '' | "$SIM" sysom get-diagnosis-result --task-id Vq7mZ2xK >/dev/null 2>"$D/err.$i" &
done
wait
if [ "$(wc -l <"$D/calls")" = 30 ] && [ "$(most_in_a_second "$D/calls")" -le 4 ] &&
    grep -q ' throttled ' "$D/calls" && grep -q ' ok ' "$D/calls"; then ok; else
	bad "shared window: most $(most_in_a_second "$D/calls") a second"; cat "$D/calls"
fi
if grep -qh '"category":"THROTTLING_ERROR","code":"Throttling.User",' "$D"/err.* &&
    grep -qh '"retryable":true' "$D"/err.*; then ok; else bad "throttled, envelope form"; fi
unset ALIYUN_SIM_CALLTIMES
# retry_after: the host (server and envelope forms) retries, silently
fresh
scenario <<-'EOF'
{"throttle": {"per_second": 1, "form": "server", "code": "Throttling.Api", "retry_after": 0.2}}
EOF
run eas list-services --region cn-hangzhou --user-agent "$UA"
start=$(date +%s%N)
ALIBABA_CLOUD_THROTTLING_RETRY_MAX_ATTEMPTS=2 run eas list-services --region cn-hangzhou --user-agent "$UA"
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
want_rc "server form, retries exhausted" 1
if [ "$elapsed" -ge 400 ] && [ "$elapsed" -lt 900 ]; then ok; else bad "two retries of 200 ms took $elapsed ms"; fi
want_has "server form: code" "$D/err" 'ErrorCode: Throttling.Api'
want_has "server form: x-acs-retry-after in ms" "$D/err" ' X-Acs-Request-Id:[0C1D2E3F-4A5B-4C6D-8E7F-901A2B3C4D5E] X-Acs-Retry-After:[200] X-Acs-Trace-Id:'
want_lacks "retries are silent" "$D/err" 'aliyun: '
ALIBABA_CLOUD_CLI_LOG_CONFIG=info run eas list-services --region cn-hangzhou --user-agent "$UA"
if [ "$rc" = 0 ]; then
	head -1 "$D/err" >"$D/err1"
	want_file "a retry that gets through" "$D/err1" 'aliyun: throttling, retrying in 200ms (attempt 1/3)\n'
else
	want_has "retries at INFO" "$D/err" 'aliyun: still throttled after 3 attempts, giving up'
fi
scenario <<-'EOF'
{"throttle": {"per_second": 1, "form": "envelope2", "retry_after": 5}}
EOF
run eas list-services --region cn-hangzhou --user-agent "$UA"
ALIBABA_CLOUD_THROTTLING_RETRY_ENABLED=false run eas list-services --region cn-hangzhou --user-agent "$UA"
want_rc "envelope2 form, retries off" 2
want_has "envelope2 form" "$D/err" '"code":"Throttling.User","request_id":"0C1D2E3F-4A5B-4C6D-8E7F-901A2B3C4D5E","http_status":429,"retryable":true,'
scenario <<-'EOF'
{"throttle": {"per_second": 1, "retry_after": 5}}
EOF
start=$(date +%s%N)
run eas list-services --region cn-hangzhou --user-agent "$UA"
run eas list-services --region cn-hangzhou --user-agent "$UA"
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
want_rc "plugin form with retry_after" 1
if [ "$elapsed" -lt 2000 ]; then ok; else bad "the plugin form retried: $elapsed ms"; fi
want_lacks "plugin form: no header" "$D/err" 'Retry-After'
for t in '{"per_second": 0}' '{"form": "plugin"}' '{"per_second": 1, "form": "network"}' '{"per_second": 1, "retry_after": -1}'; do
	printf '{"throttle": %s}' "$t" >"$D/scenario.json"
	run version
	want_rc "throttle $t" 125
done

# --- rules: matching and times ---------------------------------------------
fresh
scenario <<-'EOF'
{"rules": [
 {"cmd": "sysom get-diagnosis-result --task-id T1", "times": 2, "stdout": "first\n"},
 {"cmd": "sysom get-diagnosis-result", "stdout": "second\n", "stderr": "oops\n", "exit_code": 3},
 {"cmd": "eas list-services --page-number 2", "stdout": "page two\n"}
]}
EOF
got=
for t in T1 T1 T1 T2; do
	run sysom get-diagnosis-result --task-id $t --user-agent "$UA"
	got="$got $(cat "$D/out")/$rc"
done
if [ "$got" = " first/0 first/0 second/3 second/3" ]; then ok; else bad "rule times:$got"; fi
want_err "rule stderr" 'oops\n'
run eas list-services --region cn-hangzhou --page-number 2 --page-size 100 --user-agent "$UA"
want_out "rule with a flag pair" 'page two\n'
run eas list-services --region cn-hangzhou --page-number=2 --user-agent "$UA"
want_out "rule with --flag=value" 'page two\n'
run eas list-services --region cn-hangzhou --page-number 3 --page-size 2 --user-agent "$UA"
want_has "no rule for another page" "$D/out" '"PageNumber": 3,'
run eas --page-number list-services 2 --region cn-hangzhou
want_lacks "a flag and its value stay together" "$D/out" 'page two'

fresh
scenario <<-'EOF'
{"rules": [
 {"cmd": "sysom get-diagnosis-result", "stdout_file": "answer.json", "preamble": true},
 {"cmd": "version", "raw_stdout_hex": "00ff41", "stdout": "v"},
 {"cmd": "eas list-services", "stdout_bytes": 104857600},
 {"cmd": "plugin update", "delay_ms": 300, "stdout": "late\n"}
]}
EOF
printf '{"code":"Success"}\n' >"$D/answer.json"
run sysom get-diagnosis-result --task-id X --user-agent "$UA"
want_out "rule preamble and stdout_file" 'Downloading aliyun-cli-sysom 0.1.2...\nPlugin aliyun-cli-sysom 0.1.2 installed successfully!\n{"code":"Success"}\n'
want_err "rule preamble stderr" "Plugin 'aliyun-cli-sysom' is required for command 'sysom get-diagnosis-result' but not installed.\nAuto-installing plugin 'aliyun-cli-sysom'...\n"
run version
if [ "$(od -An -tx1 "$D/out" | tr -d ' \n')" = 76"00ff41" ]; then ok; else bad "raw_stdout_hex: $(od -An -tx1 "$D/out")"; fi
start=$(date +%s%N)
set +e
bytes=$("$SIM" eas list-services </dev/null 2>"$D/err" | wc -c)
set -e
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$bytes" = 104857600 ]; then ok; else bad "stdout_bytes: $bytes"; fi
if [ "$elapsed" -lt 10000 ]; then ok; else bad "stdout_bytes took ${elapsed} ms"; fi
set +e
"$SIM" eas list-services 2>"$D/err" </dev/null | head -c 10 >/dev/null
prc=${PIPESTATUS[0]}
set -e
if [ "$prc" = 0 ]; then ok; else bad "closed pipe: exit $prc"; fi
want_err "closed pipe is quiet" ''
start=$(date +%s%N)
run plugin update
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$elapsed" -ge 300 ]; then ok; else bad "delay_ms: ${elapsed} ms"; fi
want_out "delay_ms output" 'late\n'

# --- rules: signals, hangs, grandchildren ----------------------------------
fresh
scenario <<-'EOF'
{"rules": [
 {"cmd": "sysom x1", "signal": "KILL", "stdout": "partial"},
 {"cmd": "sysom x2", "signal": "SEGV"},
 {"cmd": "sysom x3", "signal": "TERM"},
 {"cmd": "sysom x4", "hang": true, "grandchild": true},
 {"cmd": "sysom x5", "hang": true, "ignore_sigterm": true}
]}
EOF
run_quiet sysom x1
want_rc "signal KILL" 137
want_out "output before the signal" 'partial'
run_quiet sysom x2
want_rc "signal SEGV" 139
run_quiet sysom x3
want_rc "signal TERM" 143
if command -v timeout >/dev/null; then
	set +e
	( timeout 1 "$SIM" sysom x4 </dev/null >/dev/null 2>&1
	  echo $? >"$D/rc" ) 2>/dev/null
	rc=$(cat "$D/rc")
	set -e
	want_rc "hang" 124
	if [ -s "$ALIYUN_SIM_STATE/grandchild.pid" ]; then
		ok
		gpid=$(cat "$ALIYUN_SIM_STATE/grandchild.pid")
		sleep 0.3
		state=$(sed -n 's/^[0-9]* ([^)]*) \(.\).*/\1/p' /proc/"$gpid"/stat 2>/dev/null || true)
		if [ -z "$state" ] || [ "$state" = Z ]; then ok; else
			bad "grandchild $gpid survived its group (state $state)"
			kill -9 "$gpid" 2>/dev/null || true
		fi
	else
		bad "grandchild.pid not written"
	fi
	set +e
	( timeout -k 0.5 0.3 "$SIM" sysom x5 </dev/null >/dev/null 2>&1
	  echo $? >"$D/rc" ) 2>/dev/null
	rc=$(cat "$D/rc")
	set -e
	want_rc "ignore_sigterm needs SIGKILL" 137
fi

# --- rules: closing the output early, escaping grandchildren ----------------
# timed ARGS...: run the simulator with stdout and stderr on a FIFO, as the
# only writer; sets rc, ms_eof (when the FIFO read its end) and ms_exit.
timed() {
	rm -f "$D/fifo"
	mkfifo "$D/fifo"
	local t0 pid
	t0=$(date +%s%N)
	set +e
	"$SIM" "$@" </dev/null >"$D/fifo" 2>&1 &
	pid=$!
	cat "$D/fifo" >"$D/out"
	ms_eof=$(( ($(date +%s%N) - t0) / 1000000 ))
	wait "$pid"
	rc=$?
	ms_exit=$(( ($(date +%s%N) - t0) / 1000000 ))
	set -e
}
alive() {	# alive PID: the process exists and is no zombie
	local st
	st=$(sed -n 's/^[0-9]* ([^)]*) \(.\).*/\1/p' /proc/"$1"/stat 2>/dev/null || true)
	[ -n "$st" ] && [ "$st" != Z ]
}
fresh
scenario <<-'EOF'
{"rules": [
 {"cmd": "sysom c1", "stdout": "out\n", "stderr": "err\n", "close_then_ms": 700, "exit_code": 3},
 {"cmd": "sysom c2", "stdout": "x", "grandchild": true, "close_then_ms": 0},
 {"cmd": "sysom c3", "stdout": "y", "close_then_ms": 600, "signal": "TERM"},
 {"cmd": "sysom c4", "grandchild_setsid": true, "hang": true, "close_then_ms": 0}
]}
EOF
timed sysom c1
want_rc "close_then_ms: exit code" 3
want_out "close_then_ms: output" 'out\nerr\n'
if [ "$ms_eof" -lt 500 ] && [ "$ms_exit" -ge 700 ]; then ok; else
	bad "close_then_ms: end of output at $ms_eof ms, exit at $ms_exit ms"
fi
timed sysom c2
gpid=$(cat "$ALIYUN_SIM_STATE/grandchild.pid")
if [ "$ms_eof" -lt 500 ] && alive "$gpid"; then ok; else
	bad "close_then_ms: the grandchild kept the pipe ($ms_eof ms)"
fi
kill -9 "$gpid" 2>/dev/null || true
timed sysom c3
want_rc "close_then_ms, then a signal" 143
if [ "$ms_eof" -lt 500 ] && [ "$ms_exit" -ge 600 ]; then ok; else
	bad "close_then_ms, then a signal: $ms_eof/$ms_exit ms"
fi
rm -f "$D/fifo"
mkfifo "$D/fifo"
"$SIM" sysom c4 </dev/null >"$D/fifo" 2>&1 &
pid=$!
cat "$D/fifo" >/dev/null
gpid=$(cat "$ALIYUN_SIM_STATE/grandchild.pid")
if alive "$pid"; then ok; else bad "close_then_ms with hang: exited"; fi
if alive "$gpid" && [ "$(ps -o sid= -p "$gpid" | tr -d ' ')" = "$gpid" ] &&
    [ "$(ps -o pgid= -p "$gpid" | tr -d ' ')" != "$(ps -o pgid= -p "$pid" | tr -d ' ')" ]; then ok; else
	bad "grandchild_setsid: not in a session of its own"
fi
{ kill -9 "$pid" "$gpid"; wait "$pid"; } 2>/dev/null || true
# an escaped grandchild survives the kill of the process group
if command -v timeout >/dev/null; then
	scenario <<-'EOF'
	{"rules": [{"cmd": "sysom g", "grandchild_setsid": true, "hang": true}]}
	EOF
	set +e
	( timeout 0.5 "$SIM" sysom g </dev/null >/dev/null 2>&1 ) 2>/dev/null
	set -e
	gpid=$(cat "$ALIYUN_SIM_STATE/grandchild.pid")
	sleep 0.2
	if alive "$gpid"; then ok; else bad "grandchild_setsid died with the group"; fi
	kill -9 "$gpid" 2>/dev/null || true
fi
scenario <<-'EOF'
{"rules": [{"cmd": "sysom g", "grandchild": true, "grandchild_setsid": true}]}
EOF
run version
want_rc "grandchild and grandchild_setsid" 125
# linger_ms: every run closes its output and lingers
scenario <<-'EOF'
{"linger_ms": 600, "rules": [{"cmd": "sysom lg", "grandchild": true, "stdout": "z\n"}]}
EOF
timed version
want_out "linger_ms: output" '3.4.11\n'
if [ "$ms_eof" -lt 450 ] && [ "$ms_exit" -ge 600 ]; then ok; else
	bad "linger_ms: end of output at $ms_eof ms, exit at $ms_exit ms"
fi
timed sysom lg
gpid=$(cat "$ALIYUN_SIM_STATE/grandchild.pid")
want_out "linger_ms with a rule" 'z\n'
if [ "$ms_eof" -lt 450 ] && [ "$ms_exit" -ge 600 ]; then ok; else
	bad "linger_ms with a grandchild: $ms_eof/$ms_exit ms"
fi
kill -9 "$gpid" 2>/dev/null || true

# --- plugin auto-install ---------------------------------------------------
# openapi/commando.go findAndInstallPlugin: auto-install on, installed in
# the same run; off, hints and an error, or the prompt on a character device
fresh
scenario <<-'EOF'
{"plugins_installed": false}
EOF
NOTVALID="ERROR: 'sysom' is not a valid built-in product.
A plugin 'aliyun-cli-sysom' is available which supports this product.
Run 'aliyun plugin install --names aliyun-cli-sysom' to install it.
"
REQUIRED="Plugin 'aliyun-cli-sysom' is required for command 'sysom initial-sysom' but not installed."
run sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA"
want_rc "plugin missing, no auto-install" 1
want_out "plugin missing, no auto-install stdout" ''
want_err "plugin missing, no auto-install" "$REQUIRED
Install it with: aliyun plugin install --names aliyun-cli-sysom
Note: If the above fails (no stable version available), try with pre-release versions:
  aliyun plugin install --names aliyun-cli-sysom --enable-pre
$NOTVALID"
printf 'y\n' >"$D/yes"
run_in "$D/yes" sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA"
want_rc "plugin missing, stdin a file" 1
want_has "plugin missing, stdin a file: hints" "$D/err" 'Install it with: aliyun plugin install --names aliyun-cli-sysom'
PROMPT="$REQUIRED
Tip: Run 'aliyun configure set --auto-plugin-install true' to skip this prompt.
Do you want to install it? [Y/n]: ERROR: failed to read user input: EOF
"
run_in /dev/null sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA"
want_rc "install prompt on /dev/null" 1
want_out "install prompt on /dev/null: stdout" ''
want_err "install prompt on /dev/null" "$PROMPT"
set +e
"$SIM" sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA" <&- >"$D/out" 2>"$D/err"
rc=$?
set -e
want_rc "install prompt on a closed stdin" 1
want_err "install prompt on a closed stdin (Go reopens it on /dev/null)" "$PROMPT"
# a terminal: the answer is read (script(1) gives the run a pty)
if command -v script >/dev/null && script -qec true /dev/null >/dev/null 2>&1; then
	set +e
	printf 'No\n' | script -qec "$SIM sysom initial-sysom --user-agent $UA" /dev/null >"$D/tty" 2>&1
	rc=$?
	set -e
	want_rc "prompt on a terminal, answer no" 1
	want_has "prompt on a terminal, answer no" "$D/tty" 'Installation cancelled.'
	want_has "prompt on a terminal, answer no: the error" "$D/tty" "ERROR: 'sysom' is not a valid built-in product."
	set +e
	printf ' Y \n' | script -qec "$SIM sysom initial-sysom --user-agent $UA" /dev/null >"$D/tty" 2>&1
	rc=$?
	set -e
	want_rc "prompt on a terminal, answer yes" 0
	want_has "prompt on a terminal, answer yes" "$D/tty" "Installing plugin 'aliyun-cli-sysom'..."
	want_has "prompt on a terminal, answer yes: install" "$D/tty" 'Plugin aliyun-cli-sysom 0.1.2 installed successfully!'
	rm -rf "$ALIYUN_SIM_STATE"
fi
NO_COLOR= run sysom initial-sysom --user-agent "$UA"
want_has "the error is red as a whole" "$D/err" "$(printf "$RED")ERROR: 'sysom' is not a valid built-in product."
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
want_rc "still not installed" 1
export ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=true
run_in /dev/null sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA"
want_rc "auto-install with /dev/null" 0
want_err "auto-install stderr" "$REQUIRED\nAuto-installing plugin 'aliyun-cli-sysom'...\n"
head -3 "$D/out" >"$D/out3"
want_file "auto-install preamble" "$D/out3" 'Downloading aliyun-cli-sysom 0.1.2...\nPlugin aliyun-cli-sysom 0.1.2 installed successfully!\n{\n'
run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
want_err "installed once" ''
run eas list-services --region cn-hangzhou --user-agent "$UA"
want_rc "auto-install with a pipe" 0
want_has "each plugin installs" "$D/err" "Auto-installing plugin 'aliyun-cli-eas'..."
unset ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL
run plugin list
want_out "plugin list" 'Name                 Version\naliyun-cli-eas       0.1.2\naliyun-cli-sysom     0.1.2\n'
fresh
scenario <<-'EOF'
{"plugins_installed": false}
EOF
run configure set --auto-plugin-install true
run_in /dev/null pai-dlc get-job --region cn-hangzhou --job-id dlcx --user-agent "$UA"
want_has "auto-install from the profile" "$D/err" "Auto-installing plugin 'aliyun-cli-pai-dlc'..."

# --- colour ----------------------------------------------------------------
fresh
unset NO_COLOR
run configure ai-mode get
want_err "colour without NO_COLOR" "${RED}ERROR: 'get' is not a valid command\n${RESET}"
NO_COLOR= run configure ai-mode get
want_err "colour with empty NO_COLOR" "${RED}ERROR: 'get' is not a valid command\n${RESET}"
rm "$HOME/.aliyun/config.json"
run sysom initial-sysom --user-agent "$UA"
want_err "colour of error and tip" "${RED}ERROR: region can't be empty\n${RESET}${YELLOW}\nConfiguration failed, use \`aliyun configure\` to configure it\n${RESET}"
export NO_COLOR=1
run configure ai-mode get
want_err "no colour with NO_COLOR" "ERROR: 'get' is not a valid command\n"
scenario <<-'EOF'
{"color": true}
EOF
run configure ai-mode get
want_err "colour despite NO_COLOR" "${RED}ERROR: 'get' is not a valid command\n${RESET}"

# --- logs ------------------------------------------------------------------
fresh
run sysom invoke-diagnosis --service-name ocd --channel ecs --params '{"instance":"eas-m-x","region":"cn-hangzhou"}' --user-agent "$UA"
run version '' "it's" 'a b' 'x=y,z@1%+:/.-_'
cat >"$D/want.log" <<'EOF'
sysom invoke-diagnosis --service-name ocd --channel ecs --params '{"instance":"eas-m-x","region":"cn-hangzhou"}' --user-agent AlibabaCloud-Agent-Skills/alibabacloud-aes-sysom-pai-diagnosis
version '' 'it'\''s' 'a b' x=y,z@1%+:/.-_
EOF
if cmp -s "$D/want.log" "$ALIYUN_SIM_LOG"; then ok; else
	bad "argv log"; diff -u "$D/want.log" "$ALIYUN_SIM_LOG" | sed 's/^/    /'
fi
export ALIYUN_SIM_ENVLOG=$D/env.log
# The caller of this script may leak descriptors; the runs below get none.
nofds() {
	bash -c 'if [ -d /proc/$$/fd ]; then
		for f in /proc/$$/fd/*; do
			f=${f##*/}
			[ "$f" -gt 2 ] 2>/dev/null && eval "exec $f>&-"
		done
	fi
	exec "$@"' nofds "$@"
}
printf '' | nofds "$SIM" version >/dev/null
nofds "$SIM" version </dev/null >/dev/null
nofds "$SIM" version <"$ALIYUN_SIM_LOG" >/dev/null
if command -v setsid >/dev/null; then
	printf '' | DEBUG=sdk LC_ALL=C nofds setsid "$SIM" version >/dev/null
else
	echo "NO_COLOR=1 LANG=C LC_ALL=C DEBUG=sdk ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=- stdin=pipe-eof pgrp=own fds=-" >>"$ALIYUN_SIM_ENVLOG"
fi
printf '' | nofds sh -c 'exec "$0" version 3</dev/null 7>/dev/null 9>&1' "$SIM" >/dev/null
cat >"$D/want.env" <<'EOF'
NO_COLOR=1 LANG=C LC_ALL=- DEBUG=- ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=- stdin=pipe-eof pgrp=shared fds=-
NO_COLOR=1 LANG=C LC_ALL=- DEBUG=- ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=- stdin=chr pgrp=shared fds=-
NO_COLOR=1 LANG=C LC_ALL=- DEBUG=- ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=- stdin=file pgrp=shared fds=-
NO_COLOR=1 LANG=C LC_ALL=C DEBUG=sdk ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=- stdin=pipe-eof pgrp=own fds=-
NO_COLOR=1 LANG=C LC_ALL=- DEBUG=- ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=- stdin=pipe-eof pgrp=shared fds=3,7,9
EOF
if cmp -s "$D/want.env" "$ALIYUN_SIM_ENVLOG"; then ok; else
	bad "environment log"; diff -u "$D/want.env" "$ALIYUN_SIM_ENVLOG" | sed 's/^/    /'
fi
unset ALIYUN_SIM_ENVLOG

# concurrent runs: one log line each, no lost counter update
fresh
for i in $(seq 1 20); do
	printf '' | "$SIM" sysom get-diagnosis-result --task-id Vq7mZ2xK >/dev/null 2>&1 &
done
wait
if [ "$(wc -l <"$ALIYUN_SIM_LOG")" = 20 ]; then ok; else bad "concurrent log lines"; fi
want_has "concurrent poll counter" "$ALIYUN_SIM_STATE/state.json" '"Vq7mZ2xK": 20'

# --- the profile gate ------------------------------------------------------
fresh
rm "$HOME/.aliyun/config.json"
TIP='\nConfiguration failed, use `aliyun configure` to configure it\n'
run sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA"
want_rc "no config, no env" 3
want_err "no config, no env" "ERROR: region can't be empty\n$TIP"
export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tEnvOnly ALIBABA_CLOUD_ACCESS_KEY_SECRET=envsecret
run sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA"
want_rc "env AK without region" 3
export ALIBABA_CLOUD_REGION_ID=cn-hangzhou
run sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA"
want_rc "env-only credentials" 0
run eas list-services --region cn-beijing --user-agent "$UA" --profile nosuch
want_rc "unknown profile without a file" 3
unset ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET
run sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA"
want_rc "env region only" 3
want_err "env region only" "ERROR: AccessKeyId/AccessKeySecret is empty! run configure to check\n$TIP"
unset ALIBABA_CLOUD_REGION_ID
fresh
run sysom initial-sysom --check-only false --source aes-skills --user-agent "$UA" --profile nosuch
want_rc "unknown profile" 3
want_err "unknown profile" "ERROR: unknown profile nosuch, run configure to check\n$TIP"
ALIBABA_CLOUD_PROFILE=other run sysom initial-sysom --user-agent "$UA"
want_err "profile from the environment" "ERROR: unknown profile other, run configure to check\n$TIP"
sed -i 's/"region_id": "cn-hangzhou"/"region_id": ""/; s/"access_key_id": "LTAI5tTestKeyId0123"/"access_key_id": ""/' "$HOME/.aliyun/config.json"
run configure list
want_has "profile now Invalid" "$D/out" '| Invalid |'
ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tEnvOnly run eas list-services --region cn-hangzhou --user-agent "$UA"
want_rc "env fills empty fields, --region the region" 0

# --- start-up hazards --------------------------------------------------------
fresh
printf '{ "current": "default", }' >"$HOME/.aliyun/config.json"
run version
want_rc "corrupt config" 0
want_out "corrupt config stdout" ''
want_err "corrupt config" "ERROR: load current configuration failed invalid character '}' looking for beginning of object key string"
fresh
scenario <<-'EOF'
{"corrupt_config": true, "version": "3.5.0"}
EOF
run configure ai-mode enable
want_rc "corrupt config, newer CLI" 1
HOME=/dev/null/home run version
want_rc "HOME not creatable" 2
head -1 "$D/err" >"$D/err1"
want_file "HOME not creatable" "$D/err1" 'panic: mkdir /dev/null/home/.aliyun: not a directory\n'
fresh
DEBUG=sdk run eas list-services --region cn-hangzhou --user-agent "$UA"
want_has "DEBUG=sdk dumps the request" "$D/err" '> Authorization: acs LTAI'
want_has "DEBUG=sdk dumps the signature" "$D/err" '&Signature='
LANG=zh_CN.UTF-8 run configure ai-mode get
want_err "Chinese" "ERROR: 'get' 不是有效的命令\n"
run configure get
want_has "configure get prints the secret" "$D/out" 'TestSecretDoNotLeak'

# --- the scenario itself -----------------------------------------------------
fresh
scenario <<-'EOF'
{"versoin": "3.4.11"}
EOF
run version
want_rc "unknown key" 125
want_err "unknown key" "aliyun-sim: scenario: unknown key 'versoin'\n"
want_out "unknown key stdout" ''
scenario <<-'EOF'
{"rules": [{"cmd": "version", "stdot": "x"}]}
EOF
run version
want_err "unknown rule key" "aliyun-sim: scenario: unknown key 'rules[0].stdot'\n"
scenario <<-'EOF'
{"task": {"statuses": "Ready"}}
EOF
run version
want_rc "wrong type" 125
scenario <<-'EOF'
{"version": "3.4.11",
EOF
run version
want_rc "invalid JSON" 125
ALIYUN_SIM_SCENARIO=$D/missing.json run version
want_rc "missing scenario" 125

# --- the shipped scenarios ---------------------------------------------------
for f in "$HERE"/scenarios/*.json; do
	fresh
	export ALIYUN_SIM_SCENARIO=$f
	run version
	want_rc "scenario $(basename "$f") loads" 0
done
fresh
export ALIYUN_SIM_SCENARIO=$HERE/scenarios/demo.json
run eas list-services --region cn-hangzhou --filter eas-m-bp79exq2lzbd0ctdfu --user-agent "$UA"
if [ "$(total)" = 0 ]; then ok; else bad "demo: filter by id"; fi
run eas list-services --region cn-hangzhou --filter qwen_chat --user-agent "$UA"
if [ "$(ids)/$(total)" = "eas-m-bp79exq2lzbd0ctdfu eas-m-bp79exq2lzbd0ctd77 /2" ]; then ok; else bad "demo: fuzzy"; fi
seq=
for i in 1 2 3 4 5 6 7; do
	run sysom get-diagnosis-result --task-id Vq7mZ2xK --user-agent "$UA"
	seq="$seq $(status_of)"
done
if [ "$seq" = " Ready Running Running Running Running Running Success" ]; then ok; else bad "demo polls:$seq"; fi

# --- ALIYUN_SIM_TIMELOG ----------------------------------------------------
fresh
run version
if [ ! -e "$D/time.log" ]; then ok; else bad "timelog written while unset"; fi
export ALIYUN_SIM_TIMELOG=$D/time.log
run version
run configure list
scenario <<-'EOF'
{"versoin": "3.4.11"}
EOF
run version
want_rc "timelog: broken scenario still exits 125" 125
unset ALIYUN_SIM_TIMELOG
# One line per run, die()'s exit included: start <= end, each run after
# the one before, CPU times as seconds with microseconds.
if [ "$(grep -Ec '^[0-9]+\.[0-9]{9} [0-9]+\.[0-9]{9} [0-9]+\.[0-9]{6} [0-9]+\.[0-9]{6}$' "$D/time.log")" = 3 ] &&
    [ "$(wc -l <"$D/time.log")" = 3 ] &&
    awk '$2 < $1 || (NR > 1 && $1 < prev) { bad = 1 } { prev = $2 }
	END { exit bad }' "$D/time.log"; then ok; else
	bad "timelog: $(cat "$D/time.log")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
