#!/bin/sh
# The diagnosis workflow as a careful user would script it with the aliyun
# CLI and jq: the yardstick of tests/bench/run.sh.  It makes the calls
# pai-diag makes, in the same order and with the same arguments, and does
# the same checks (aliyun >= 3.3.1, the profile in use Valid in
# `configure list`, the EAS service id matched exactly with paging, a task
# already in progress, three failed polls in a row, Success/Fail), then
# prints the same report fields, and puts the user's AI mode back as it
# found it (their user agent or none; AI mode off only if it was off).
# EAS only; real-time only; no register shared with concurrent runs.
#
# usage: baseline.sh REGION EAS_SERVICE_ID [POLL_INTERVAL [MAX_POLLS]]
set -u

UA=AlibabaCloud-Agent-Skills/alibabacloud-aes-sysom-pai-diagnosis
region=${1:?usage: baseline.sh REGION EAS_SERVICE_ID [INTERVAL [MAX_POLLS]]}
id=${2:?usage: baseline.sh REGION EAS_SERVICE_ID [INTERVAL [MAX_POLLS]]}
interval=${3:-10}
max_polls=${4:-60}

# The id goes into a JSON string and a command line: letters, digits, - _.
case $id in
'' | -* | *[!A-Za-z0-9_-]*) echo "baseline: bad service id '$id'" >&2; exit 2 ;;
esac
case $region in
'' | -* | *[!a-z0-9-]*) echo "baseline: bad region '$region'" >&2; exit 2 ;;
esac

export NO_COLOR=1 LANG=C
unset DEBUG LC_ALL

die() {
	echo "baseline: $2" >&2
	exit "$1"
}

ai_on='' was_on='' their_ua=''
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	[ -n "$ai_on" ] || return 0
	if [ -n "$their_ua" ]; then
		aliyun configure ai-mode set-user-agent --user-agent "$their_ua" >/dev/null 2>&1 ||
			echo "baseline: could not put your AI mode user agent back" >&2
	else
		aliyun configure ai-mode reset-user-agent >/dev/null 2>&1 ||
			echo "baseline: run 'aliyun configure ai-mode reset-user-agent'" >&2
	fi
	if [ "$was_on" != true ]; then
		aliyun configure ai-mode disable >/dev/null 2>&1 ||
			echo "baseline: run 'aliyun configure ai-mode disable'" >&2
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# version_ge A B: dotted version A is at least B.
version_ge() {
	printf '%s\n%s\n' "$2" "$1" | sort -t. -k1,1n -k2,2n -k3,3n -C
}

# --- set-up -----------------------------------------------------------------
# The user's AI mode first, to put it back: a failure or an answer without
# a boolean "enabled" is "off, no user agent of their own".
if mode=$(aliyun configure ai-mode show 2>/dev/null); then
	# shellcheck disable=SC2046 # two words, split on purpose
	set -- $(printf '%s\n' "$mode" | jq -r 'if (.enabled | type) == "boolean"
		then [.enabled, (.user_agent | if type == "string" and . != "" then @base64 else "-" end)]
		else [false, "-"] end | @tsv' 2>/dev/null)
	was_on=${1:-false}
	[ "${2:--}" = - ] || their_ua=$(printf '%s' "$2" | base64 -d)
fi
aliyun configure ai-mode enable >/dev/null || die 3 "ai-mode enable failed"
ai_on=1
aliyun configure ai-mode set-user-agent --user-agent "$UA" >/dev/null ||
	die 3 "set-user-agent failed"
aliyun plugin update >/dev/null || die 3 "plugin update failed"
version=$(aliyun version) || die 3 "aliyun version failed"
version_ge "$version" 3.3.1 || die 3 "aliyun $version is older than 3.3.1"
aliyun configure set --auto-plugin-install true >/dev/null ||
	die 3 "configure set --auto-plugin-install true failed"
# The current profile's row ends its name with " *"; Valid is the third
# cell from the end (the credential cell may hold a '|').
valid=$(aliyun configure list | awk -F'|' '$1 ~ / \*[ \t]*$/ {
	v = $(NF - 2); gsub(/[ \t]/, "", v); print v; exit }')
[ "$valid" = Valid ] || die 4 "the current aliyun profile is not valid"

# --- the target -------------------------------------------------------------
aliyun sysom initial-sysom --check-only false --source aes-skills \
	--user-agent "$UA" >/dev/null || die 4 "initial-sysom failed"
out=$(aliyun eas list-services --region "$region" --filter "$id" \
	--user-agent "$UA") || die 1 "list-services failed"
found=$(printf '%s\n' "$out" | jq --arg id "$id" \
	'[.Services[]? | select(.ServiceId == $id)] | length')
# The filter matches names, not ids: page through everything.
page=1 seen=0
while [ "$found" = 0 ] && [ "$page" -le 50 ]; do
	out=$(aliyun eas list-services --region "$region" --page-number "$page" \
		--page-size 100 --user-agent "$UA") || die 1 "list-services failed"
	# shellcheck disable=SC2046 # three numbers, split on purpose
	set -- $(printf '%s\n' "$out" | jq -r --arg id "$id" \
		'[([.Services[]? | select(.ServiceId == $id)] | length),
		  (.Services | length), (.TotalCount // -1)] | @tsv')
	found=$1 seen=$((seen + $2))
	if [ "$2" -lt 100 ] || { [ "$3" -ge 0 ] && [ "$seen" -ge "$3" ]; }; then
		break
	fi
	page=$((page + 1))
done
[ "$found" != 0 ] || die 5 "EAS service $id not found in $region"

params=$(printf '{"instance":"%s","region":"%s","product":"EAS","start_time":0,"end_time":0,"type":"ocd","ai_roadmap":true,"enable_sysom_link":false}' "$id" "$region")
err=$(mktemp) || exit 1
trap 'rm -f "$err"; cleanup' EXIT
task=
invokes=0
while [ -z "$task" ]; do
	invokes=$((invokes + 1))
	if out=$(aliyun sysom invoke-diagnosis --service-name ocd --channel ecs \
		--params "$params" --user-agent "$UA" 2>"$err"); then
		task=$(printf '%s\n' "$out" | jq -r 'select(.code == "Success") | .data.task_id // empty')
		[ -n "$task" ] || die 6 "invoke-diagnosis: $(printf '%s' "$out" | jq -r '.message // .code')"
	elif grep -q 'Sysom.TaskInProgress' "$err"; then
		task=$(sed -n 's/.*ocd(\([A-Za-z0-9_-]*\)).*/\1/p' "$err" | head -n 1)
		[ -n "$task" ] || [ "$invokes" -ge 3 ] ||
			{ [ "$interval" = 0 ] || sleep "$interval"; continue; }
		[ -n "$task" ] || die 6 "a diagnosis is still in progress"
	else
		cat "$err" >&2
		die 6 "invoke-diagnosis failed"
	fi
done

# --- waiting ----------------------------------------------------------------
polls=0 failed=0 status=
while [ "$polls" -lt "$max_polls" ]; do
	polls=$((polls + 1))
	if ! out=$(aliyun sysom get-diagnosis-result --task-id "$task" \
		--user-agent "$UA" 2>"$err"); then
		failed=$((failed + 1))
		[ "$failed" -lt 3 ] || { cat "$err" >&2; die 1 "3 polls failed in a row"; }
		continue
	fi
	status=$(printf '%s\n' "$out" | jq -r '.data.status // empty')
	[ -n "$status" ] || { failed=$((failed + 1)); continue; }
	failed=0
	echo "baseline: task $task: $status (poll $polls/$max_polls)" >&2
	case $status in
	Success | Fail) break ;;
	esac
	[ "$interval" = 0 ] || sleep "$interval"
done
case $status in
Success) ;;
Fail)
	die 6 "task $task failed: $(printf '%s\n' "$out" | jq -r '.data.err_msg')" ;;
*)
	echo "task $task is still $status after $polls polls" >&2
	exit 7 ;;
esac

# --- the report -------------------------------------------------------------
printf 'Instance:  %s\nRegion:    %s\nTask:      %s\n\n' "$id" "$region" "$task"
printf '%s\n' "$out" | jq -r '.data.result
	| if type == "string" then fromjson else . end
	| "Overall status: \(.summary.overall_status)", "",
	  "Root cause:", "  \(.summary.root_cause)",
	  (if (.summary.suggestions | length) > 0 then "", "Suggestions:",
	   (.summary.suggestions | to_entries[] | "  \(.key + 1). \(.value)")
	   else empty end),
	  (if (.issues | length) > 0 then "", "Issues (\(.issues | length)):",
	   (.issues[] | "  [\(.severity)] \(.title)", "      \(.detail)")
	   else empty end)'
overall=$(printf '%s\n' "$out" | jq -r '.data.result
	| if type == "string" then fromjson else . end
	| .summary.overall_status')
case $overall in
Info) exit 0 ;;
Critical) exit 11 ;;
*) exit 10 ;;
esac
