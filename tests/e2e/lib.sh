# End-to-end test helpers, sourced by tests/e2e/*.sh through tests/run.sh.
#
# Each test is a shell function named t_*; it runs in its own subshell with
# a fresh temporary directory ($T), a HOME holding a valid aliyun profile,
# and the bundled aliyun simulator first on PATH.  A test asserts four
# things: pai-diag's stdout, its stderr, its exit code, and the log of every
# aliyun argv the simulator received.  The first failed expectation ends the
# test with a diff.

UA=AlibabaCloud-Agent-Skills/alibabacloud-aes-sysom-pai-diagnosis
EAS_ID=eas-m-bp79exq2lzbd0ctdfu
DLC_ID=dlcabc123def456
TASK=Vq7mZ2xK

fail() {
	printf '    %s\n' "$@" >&2
	exit 1
}

# setup: called by the runner before each test.
setup() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/pai-diag-test.XXXXXX")
	mkdir -p "$T/home/.aliyun" "$T/bin" "$T/state"
	ln -s "$SIM" "$T/bin/aliyun"
	export HOME="$T/home"
	export PATH="$T/bin:$ORIG_PATH"
	export ALIYUN_SIM_LOG="$T/calls.log"
	export ALIYUN_SIM_ENVLOG="$T/env.log"
	export ALIYUN_SIM_STATE="$T/state"
	export ALIYUN_SIM_SCENARIO="$T/scenario.json"
	unset PAI_DIAG_ALIYUN ALIBABA_CLOUD_PROFILE ALIBABACLOUD_PROFILE \
	    ALICLOUD_PROFILE ALIBABA_CLOUD_ACCESS_KEY_ID \
	    ALIBABA_CLOUD_ACCESS_KEY_SECRET ALIBABA_CLOUD_SECURITY_TOKEN \
	    ALIBABA_CLOUD_REGION_ID NO_COLOR DEBUG XDG_STATE_HOME
	export TZ=UTC
	: >"$T/calls.log"
	echo '{}' >"$T/scenario.json"
	config_valid
}

teardown() {
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}

# A valid AK profile (the key material is fake and must never be printed).
config_valid() {
	cat >"$HOME/.aliyun/config.json" <<'JSON'
{
  "current": "default",
  "profiles": [
    {
      "name": "default",
      "mode": "AK",
      "access_key_id": "LTAI5tFakeKeyId0000000001",
      "access_key_secret": "FakeSecretNeverPrinted0000000001",
      "region_id": "cn-hangzhou",
      "output_format": "json",
      "language": "en"
    }
  ],
  "meta_path": ""
}
JSON
}

# scenario: the simulator's scenario, from stdin.
scenario() {
	cat >"$T/scenario.json"
}

# edit_scenario JQ-ARGS...: rewrites the scenario with jq.
edit_scenario() {
	jq "$@" "$T/scenario.json" >"$T/edit" && mv "$T/edit" "$T/scenario.json"
}

# edit_config JQ-ARGS...: rewrites aliyun's config.json with jq.
edit_config() {
	jq "$@" "$HOME/.aliyun/config.json" >"$T/edit" && mv "$T/edit" "$HOME/.aliyun/config.json"
}

# pd ARGS...: runs pai-diag; stdout, stderr and status are kept.
pd() {
	set +e
	# shellcheck disable=SC2086 # PAI_DIAG_WRAP is a command line (valgrind)
	$PAI_DIAG_WRAP "$PAI_DIAG" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	VALIDATED=
	# Whatever the test, no credential material may come out.
	expect_no_secrets
	set -e
}

# pd_tty COLS ARGS...: runs pai-diag as pd does, but with its stdout on a
# pseudo-terminal (util-linux script) of COLS columns; 0 leaves the
# terminal's size unknown, as a serial line's.  The terminal's CRs are
# removed from stdout; stderr goes to its file, not the terminal.
pd_tty() {
	local cols=$1 cmd
	shift
	command -v script >/dev/null || fail "script (util-linux) is not installed"
	cmd="${PAI_DIAG_WRAP:+$PAI_DIAG_WRAP }$(printf '%q ' "$PAI_DIAG" "$@")"
	set +e
	script -qfec "stty cols $cols rows 24 && exec $cmd 2>$(printf %q "$T/err")" \
	    /dev/null </dev/null >"$T/tty"
	RC=$?
	tr -d '\r' <"$T/tty" >"$T/out"
	VALIDATED=
	expect_no_secrets
	set -e
}

# expect_within COLS [FILE]: no line of stdout (or FILE) is wider than COLS
# columns but a line holding one word after its indent (a word wider than
# the line is left whole); columns are characters, not bytes, ANSI colour
# not counted, East Asian wide characters counted twice; valid UTF-8.
expect_within() {
	local why
	why=$(/usr/bin/python3 - "$1" "${2:-$T/out}" <<'PY'
import re, sys, unicodedata
cols = int(sys.argv[1])
text = open(sys.argv[2], 'rb').read().decode('utf-8')
for n, line in enumerate(text.split('\n'), 1):
	plain = re.sub(r'\x1b\[[0-?]*[ -/]*[@-~]', '', line)
	w = sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in plain)
	if w > cols and ' ' in plain.strip(' '):
		print(f'line {n} is {w} columns: {line}')
		sys.exit(1)
PY
) || fail "stdout is wider than $1 columns or not UTF-8:" "$why"
}

# expect_out_line LINE: stdout has LINE as a whole line.
expect_out_line() {
	grep -qxF -- "$1" "$T/out" || fail "stdout lacks the line: $1" "stdout: $(head -c 3000 "$T/out")"
}

# paragraph HEADING: the lines of stdout after the line HEADING up to the
# next empty line, each without its indent, joined by one space.
paragraph() {
	awk -v h="$1" '$0 == h { on = 1; next } on && /^$/ { exit }
	    on { sub(/^ +/, ""); printf "%s%s", sep, $0; sep = " " } END { print "" }' "$T/out"
}

# pd_bg ARGS...: starts pai-diag in the background (PD_PID).
pd_bg() {
	"$PAI_DIAG" "$@" >"$T/out" 2>"$T/err" &
	PD_PID=$!
}

# wait_rc PID: waits for pai-diag in the background, sets RC.
wait_rc() {
	set +e
	wait "$1"
	RC=$?
	set -e
}

# wait_for_calls PATTERN [SECONDS]: waits until the call log has a line.
wait_for_calls() {
	local i=0 max=$(( ${2:-10} * 20 ))
	while ! grep -q -- "$1" "$T/calls.log" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $max ] || fail "timed out waiting for a call matching: $1"
		sleep 0.05
	done
}

expect_rc() {
	[ "$RC" = "$1" ] || fail "exit code: got $RC, want $1" \
	    "stderr: $(head -c 2000 "$T/err")"
}

# compare NAME FILE: FILE against the expectation on stdin.
compare() {
	cat >"$T/want.$1"
	if ! diff -u "$T/want.$1" "$2" >"$T/diff.$1"; then
		fail "$1 differs (- want, + got):" "$(head -n 60 "$T/diff.$1")"
	fi
}

expect_out() { compare stdout "$T/out"; }
expect_err() { compare stderr "$T/err"; }
expect_calls() { compare calls "$T/calls.log"; }
expect_no_calls() { [ ! -s "$T/calls.log" ] || fail "aliyun was called:" "$(cat "$T/calls.log")"; }
expect_out_empty() { [ ! -s "$T/out" ] || fail "stdout not empty:" "$(head -c 1000 "$T/out")"; }

expect_err_has() {
	grep -qF -- "$1" "$T/err" || fail "stderr lacks: $1" "stderr: $(head -c 3000 "$T/err")"
}
expect_out_has() {
	grep -qF -- "$1" "$T/out" || fail "stdout lacks: $1" "stdout: $(head -c 3000 "$T/out")"
}
expect_err_lacks() {
	! grep -qF -- "$1" "$T/err" || fail "stderr has: $1" "stderr: $(head -c 3000 "$T/err")"
}

# expect_envelope: stdout conforms to docs/envelope.schema.json.
expect_envelope() {
	local why
	why=$(/usr/bin/python3 tests/e2e/check-envelope.py docs/envelope.schema.json "$T/out" 2>&1) ||
	    fail "stdout does not conform to the envelope schema: $why"
	VALIDATED=1
}

# expect_json FILTER VALUE: jq -c FILTER on stdout must print VALUE; the
# document must conform to the schema.
expect_json() {
	local got
	# The doctor, dry-run, history and diff documents are not envelopes.
	[ -n "${VALIDATED:-}" ] || jq -e '.doctor or .dry_run or .history or .diff' "$T/out" >/dev/null 2>&1 ||
	    expect_envelope
	got=$(jq -c "$1" "$T/out" 2>&1) || fail "stdout is not JSON: $got" "$(head -c 1000 "$T/out")"
	[ "$got" = "$2" ] || fail "json $1: got $got, want $2"
}

# No credential material anywhere pai-diag wrote.
expect_no_secrets() {
	local f
	for f in "$T/out" "$T/err"; do
		if grep -qE 'LTAI|FakeSecret|STS\.[A-Za-z0-9]|Signature=[^[]|SecurityToken=[^[]|AccessKeyId=[^[]' "$f"; then
			fail "credential material in $(basename "$f"):" "$(grep -E 'LTAI|FakeSecret|STS\.|Signature=|SecurityToken=|AccessKeyId=' "$f" | head -5)"
		fi
	done
}

# The calls of a full setup (steps 1-6), for building expectations.
setup_calls() {
	cat <<EOC
configure ai-mode show
configure ai-mode enable
configure ai-mode set-user-agent --user-agent $UA
plugin update
version
configure set --auto-plugin-install true
configure list
EOC
}

# The calls that put back a user's AI mode that was off, with no user
# agent of their own (step 11).
restore_calls() {
	echo "configure ai-mode reset-user-agent"
	echo "configure ai-mode disable"
}

eas_params() {
	printf '{"instance":"%s","region":"cn-hangzhou","product":"EAS","start_time":0,"end_time":0,"type":"ocd","ai_roadmap":true,"enable_sysom_link":false%s}' "${1:-$EAS_ID}" "${2:-}"
}

initial_call() {
	echo "sysom initial-sysom --check-only false --source aes-skills --user-agent $UA"
}

invoke_call() {
	echo "sysom invoke-diagnosis --service-name ocd --channel ecs --params '$(eas_params "${1:-$EAS_ID}" "${2:-}")' --user-agent $UA"
}

# The ListServices calls for an id: the name filter never matches an id
# exactly, so the first page of all services follows (facts: fuzzy filter).
list_calls() {
	echo "eas list-services --region cn-hangzhou --filter ${1:-$EAS_ID} --user-agent $UA${2:-}"
	echo "eas list-services --region cn-hangzhou --page-number 1 --page-size 100 --user-agent $UA${2:-}"
}

# alive PID: the process exists and is not a zombie.
alive() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[ -n "$st" ] && [[ $st != Z* ]]
}

poll_call() {
	echo "sysom get-diagnosis-result --task-id ${1:-$TASK} --user-agent $UA"
}

# polls N [TASK]: N identical poll calls.
polls() {
	local i
	for i in $(seq "$1"); do poll_call "${2:-}"; done
}

# The text report's header: eas_header [INSTANCE [TASK [AFTER-TASK]]].
eas_header() {
	cat <<EOF
Instance:  ${1:-$EAS_ID}
Product:   EAS
Region:    cn-hangzhou
Mode:      real-time
Task:      ${2:-$TASK}${3:-}

EOF
}

# The world of a healthy EAS service with a task that succeeds.
eas_world() {
	local statuses=${1:-'"Running","Success"'} extra=${2:-}
	scenario <<JSON
{
  "eas_services": [
    {"ServiceId": "$EAS_ID", "ServiceName": "qwen_chat_prod", "Region": "cn-hangzhou"},
    {"ServiceId": "eas-m-bp79exq2lzbd0ctd77", "ServiceName": "qwen_chat_staging", "Region": "cn-hangzhou"}
  ],
  "dlc_jobs": [
    {"JobId": "$DLC_ID", "DisplayName": "llm-pretrain-70b", "ResourceType": "Lingjun"},
    {"JobId": "dlc1a2b3c4d5e6f", "DisplayName": "bert-finetune-nightly", "ResourceType": "ECS"}
  ],
  "task": {"id": "$TASK", "statuses": [$statuses]}
  $extra
}
JSON
}
