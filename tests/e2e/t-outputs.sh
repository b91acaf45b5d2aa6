# Where users work: --dry-run, doctor, Markdown, --output-file, progress
# streams and the terminal line.

t_dry_run_text() {
	pd -r cn-hangzhou -i "$DLC_ID" --since 2h --dry-run --no-setup --poll-interval 5 --max-polls 12
	expect_rc 0
	expect_no_calls
	expect_err </dev/null
	params=$(sed -n 's/^Params JSON: //p' "$T/out")
	[ "$(jq -c '[.instance,.product,.end_time - .start_time]' <<<"$params")" = '["dlcabc123def456","DLC",7200]' ] ||
	    fail "params: $params"
	expect_out <<EOF
Dry run: nothing was run. These aliyun commands would run, in order:

  1. aliyun version
  2. aliyun configure list
  3. aliyun sysom initial-sysom --check-only false --source aes-skills --user-agent $UA
  4. aliyun pai-dlc get-job --region cn-hangzhou --job-id $DLC_ID --user-agent $UA
     (ResourceType must be Lingjun)
  5. aliyun sysom invoke-diagnosis --service-name ocd --channel ecs --params '$params' --user-agent $UA
  6. aliyun sysom get-diagnosis-result --task-id TASK_ID --user-agent $UA
     (repeated until Success or Fail)

Params JSON: $params

Polling: at most 12 polls, 5 s apart (up to 60 s); each aliyun call is capped at 300 s.
EOF
}

t_dry_run_json() {
	pd -r cn-hangzhou -i "$EAS_ID" --dry-run -o json --aliyun /nonexistent/aliyun --profile ops
	expect_rc 0
	expect_no_calls
	expect_json '[.schema_version,.dry_run,.ok,.exit_code,(.commands|length),.max_polls,.poll_interval,.call_timeout,.params.instance]' \
	    '[1,true,true,0,14,60,10,300,"eas-m-bp79exq2lzbd0ctdfu"]'
	expect_json '.commands[0].argv' '["aliyun","configure","ai-mode","show"]'
	expect_json '.commands[1].argv' '["aliyun","configure","ai-mode","enable"]'
	expect_json '.commands[5].argv' '["aliyun","configure","set","--auto-plugin-install","true","--profile","ops"]'
	expect_json '.commands[12].argv' '["aliyun","configure","ai-mode","reset-user-agent"]'
	expect_json '.commands[13].argv' '["aliyun","configure","ai-mode","disable"]'
	pd -r cn-hangzhou --task-id "$TASK" --dry-run -o json
	expect_json '[.commands[].argv[1]]' '["configure","configure","configure","plugin","version","configure","configure","sysom","configure","configure"]'
	expect_json '.commands[7].argv' "[\"aliyun\",\"sysom\",\"get-diagnosis-result\",\"--task-id\",\"$TASK\",\"--user-agent\",\"$UA\"]"
	expect_json '.params' 'null'
}

t_doctor_ready() {
	pd doctor
	expect_rc 0
	expect_out <<EOF
aliyun:       $T/bin/aliyun, version 3.4.11 (at least 3.3.1)
profile:      default (AK), valid
environment:  no complete credentials
region:       cn-hangzhou (from the profile)
verdict:      ready: a diagnosis can run
EOF
	expect_err </dev/null
	printf '%s\n' version "configure list" | expect_calls
	[ ! -e "$HOME/.aliyun/ai-mode.json" ] || fail "doctor changed aliyun's configuration"
	pd doctor -o json
	expect_json '[.doctor,.ok,.exit_code,.aliyun.version,.aliyun.version_ok,.profile,.environment_credentials,.error]' \
	    '[true,true,0,"3.4.11",true,{"name":"default","mode":"AK","valid":true},false,null]'
}

t_doctor_problems() {
	pd doctor --aliyun "$T/none"
	expect_rc 3
	expect_out_has "aliyun:       not found"
	expect_out_has "verdict:      not ready: cannot run '$T/none'"
	expect_no_calls
	scenario <<<'{"version": "3.2.9"}'
	pd doctor -o json
	expect_rc 3
	expect_json '[.outcome,.aliyun.version,.aliyun.version_ok]' '["environment_error","3.2.9",false]'
	echo '{}' >"$T/scenario.json"
	edit_config '.profiles[0].region_id = ""'
	pd doctor
	expect_rc 4
	expect_out_has "profile:      default (AK), not valid"
	export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tEnvDoctor0000000001 ALIBABA_CLOUD_ACCESS_KEY_SECRET=x ALIBABA_CLOUD_REGION_ID=cn-hangzhou
	pd doctor
	expect_rc 0
	expect_out_has "environment:  complete credentials"
}

# doctor takes what a diagnosis needs from the environment (--region,
# --profile, --aliyun) and says where the region comes from; an option it
# does not take, or a format it has not, is a usage error and no report.
t_doctor_options() {
	pd doctor -r cn-beijing --profile default --aliyun "$T/bin/aliyun"
	expect_rc 0
	expect_out_has "region:       cn-beijing (from --region)"
	expect_out_has "profile:      default (AK), valid"
	pd doctor -r cn-beijing -o json
	expect_json '[.ok,.region]' '[true,{"name":"cn-beijing","from":"flag"}]'
	ALIBABA_CLOUD_REGION_ID=cn-shenzhen pd doctor -o json
	expect_json '.region' '{"name":"cn-shenzhen","from":"environment"}'
	edit_config '.profiles[0].region_id = ""'
	pd doctor -o json
	expect_json '.region' 'null'
	pd doctor
	expect_out_has "region:       not set: give --region to each diagnosis"
	: >"$T/calls.log"
	pd doctor -o markdown
	expect_rc 2
	expect_out_empty
	expect_err <<EOF
pai-diag: error: doctor reports as text or JSON (-o text, -o json), not as Markdown
try 'pai-diag --help'
EOF
	pd doctor -i "$EAS_ID"
	expect_rc 2
	expect_out_empty
	expect_err_has "doctor checks the environment only"
	pd doctor -r 'cn hangzhou'
	expect_rc 2
	expect_out_empty
	expect_no_calls
}

t_markdown_report() {
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o markdown
	expect_rc 11
	expect_out <<'EOF'
# SysOM diagnosis of eas-m-bp79exq2lzbd0ctdfu

| | |
|---|---|
| Product | EAS |
| Region | cn-hangzhou |
| Mode | real-time |
| Task | Vq7mZ2xK |
| SysOM console | [/diagnose/detail/Vq7mZ2xK](/diagnose/detail/Vq7mZ2xK) |

## Overall status: Critical

## Root cause

Instance eas-m-bp79exq2lzbd0ctdfu-6c9f7d8b5-x2k4p hit CUDA out-of-memory: GPU0 memory used 79.6 GiB / 80 GiB while max batch size was 64; the inference process (pid 2871, python) was restarted 3 times in the last 30 minutes.

## Suggestions

1. Reduce max batch size or max sequence length in the service config to lower peak GPU memory.
2. Enable request queueing / concurrency limits so bursts do not over-commit GPU memory.
3. Scale out to more instances or move to a GPU spec with more memory.
4. After the change, re-run diagnosis to confirm GPU memory headroom above 10%.

## Issues (3)

| Severity | Title | Detail |
|---|---|---|
| Critical | GPU memory exhausted (CUDA OOM) | GPU0 memory utilization 99.5% (79.6/80 GiB); 3 OOM-triggered restarts of pid 2871 in 30 min |
| Warn | First-token latency elevated | p99 first-token latency 4.8 s vs 1.2 s baseline |
| Info | Host memory normal | MemAvailable 61% of 256 GiB; no memcg OOM events |

EOF
}

# A '|' or a newline in a cell cannot break the table.
t_markdown_escapes_cells() {
	eas_world '"Success"'
	edit_scenario '.task.result = {"summary":{"overall_status":"Warn","root_cause":"x"},"issues":[{"severity":"Warn","title":"a|b","detail":"line1\nline2"}]}'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o markdown
	expect_rc 10
	expect_out_has '| Warn | a\|b | line1 line2 |'
}

# A console address with a control or non-ASCII byte is never a link.
t_markdown_console_link_inert() {
	eas_world '"Success"'
	edit_scenario '.task.url = "/diagnose/detail/a\fb\u00e9"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o markdown
	expect_rc 11
	expect_out_has '| SysOM console | /diagnose/detail/a\\u000cbé |'
	grep -q '](' "$T/out" && fail "a link was made: $(grep '](' "$T/out")"
	return 0
}

t_output_file() {
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json --output-file "$T/report.json"
	expect_rc 11
	expect_out_empty
	[ "$(jq -r .outcome "$T/report.json")" = critical ] || fail "report file: $(head -c 300 "$T/report.json")"
	[ "$(stat -c %a "$T/report.json")" = 644 ] || fail "mode $(stat -c %a "$T/report.json") under umask 022"
	ls -a "$T" | grep -q 'pai-diag\.' && fail "temporary file left behind"
	# Errors are reported in the file too; the mode follows the umask.
	rm -rf "$T/state"
	(umask 077; "$PAI_DIAG" -q -r cn-hangzhou -i eas-m-unknown0 --no-setup -o json --output-file "$T/err.json" >"$T/out" 2>"$T/err") || true
	[ "$(jq -r .outcome "$T/err.json")" = invalid_target ] || fail "error report not in the file"
	[ "$(stat -c %a "$T/err.json")" = 600 ] || fail "mode under umask 077"
	# A text report file of a failed run says what happened.
	pd -q -r cn-hangzhou -i eas-m-unknown0 --no-setup --output-file "$T/err.txt"
	expect_rc 5
	[ "$(cat "$T/err.txt")" = "error: invalid_target: EAS service 'eas-m-unknown0' not found in region 'cn-hangzhou'; check the service id and the region" ] ||
	    fail "text report file of an error: $(cat "$T/err.txt")"
	# A place that can never be written is a usage error before any call.
	: >"$T/calls.log"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --output-file "$T/no/such/dir/r.txt"
	expect_rc 2
	expect_err <<EOF
pai-diag: error: cannot use --output-file '$T/no/such/dir/r.txt': directory '$T/no/such/dir': No such file or directory
try 'pai-diag --help'
EOF
	expect_no_calls
}

t_progress_ndjson() {
	eas_world '"Running","Success"'
	pd -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --progress ndjson -o json
	expect_rc 11
	jq -e . "$T/err" >/dev/null || fail "stderr is not JSON lines" "$(head -c 500 "$T/err")"
	[ "$(jq -r .event "$T/err" | uniq | tr '\n' ' ')" = "started step poll done " ] || fail "events: $(jq -r .event "$T/err" | tr '\n' ' ')"
	[ "$(jq -c 'select(.event=="poll") | [.task_id,.attempt,.max_polls,.status]' "$T/err" | tr '\n' ' ')" = '["Vq7mZ2xK",1,60,"Running"] ["Vq7mZ2xK",2,60,"Success"] ' ] ||
	    fail "poll events: $(grep poll "$T/err")"
	[ "$(jq -c 'select(.event=="done") | [.outcome,.exit_code,.task_id]' "$T/err")" = '["critical",11,"Vq7mZ2xK"]' ] || fail "done event"
	jq -e 'select(.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$") | not)' "$T/err" >/dev/null && fail "bad time"
	true
}

t_progress_plain_and_none() {
	eas_world '"Running","Success"'
	pd -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --progress plain
	expect_rc 11
	grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z pai-diag: task Vq7mZ2xK: Running \(poll 1/60, [0-9]+ s\)$' "$T/err" ||
	    fail "no timestamped poll line" "$(cat "$T/err")"
	rm -rf "$T/state"
	pd -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --progress none
	expect_err </dev/null
	pd -q -r cn-hangzhou -i "$EAS_ID" --progress ndjson
	expect_rc 2
	expect_err_has "--quiet and --progress ndjson cannot be combined"
}

# On a terminal the status is one line rewritten in place.
t_progress_terminal_line() {
	eas_world '"Ready","Running","Success"'
	script -qec "'$PAI_DIAG' -r cn-hangzhou -i $EAS_ID --poll-interval 0 --color never >'$T/out' 2>/dev/tty" "$T/tty" </dev/null >/dev/null || true
	grep -q $'\r\033\[Kpai-diag: task Vq7mZ2xK: Running (poll 2/60' "$T/tty" || fail "no in-place line" "$(cat -v "$T/tty" | head -c 600)"
	# Every progress line is rewritten: no newline between updates.
	[ "$(grep -c 'pai-diag: task' "$T/tty")" -le 1 ] || fail "progress lines not rewritten in place"
	expect_out_has "Overall status: Critical"
}

# `aliyun plugin update` runs once a day per aliyun executable.
t_plugin_update_record() {
	local state="$HOME/.local/state/pai-diag"
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	grep -qx "plugin update" "$T/calls.log" || fail "first run did not update plugins"
	[ "$(stat -c %a "$state")" = 700 ] || fail "state directory mode $(stat -c %a "$state")"
	[ "$(jq -r .aliyun_path "$state/plugin-update.json")" = "$T/bin/aliyun" ] || fail "record: $(cat "$state/plugin-update.json")"
	# Within 24 hours, by the same executable: skipped.
	: >"$T/calls.log"; rm -rf "$T/state"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	grep -q "plugin update" "$T/calls.log" && fail "plugin update not skipped"
	# --update-plugins forces it.
	: >"$T/calls.log"; rm -rf "$T/state"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --update-plugins
	grep -qx "plugin update" "$T/calls.log" || fail "--update-plugins did not update"
	# Another aliyun (same path, new modification time): runs again.
	rm "$T/bin/aliyun"; cp "$SIM" "$T/bin/aliyun"
	: >"$T/calls.log"; rm -rf "$T/state"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	grep -qx "plugin update" "$T/calls.log" || fail "a changed aliyun did not update"
	# A record older than 24 hours: runs again.
	edit_record() { jq "$1" "$state/plugin-update.json" >"$T/rec" && mv "$T/rec" "$state/plugin-update.json"; }
	edit_record '.updated_at -= 86401'
	: >"$T/calls.log"; rm -rf "$T/state"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	grep -qx "plugin update" "$T/calls.log" || fail "an old record did not update"
	# A corrupt record is ignored with a warning.
	echo 'not json' >"$state/plugin-update.json"
	: >"$T/calls.log"; rm -rf "$T/state"
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	expect_err <<EOF2
pai-diag: warning: ignoring the corrupt state file '$state/plugin-update.json'
EOF2
	grep -qx "plugin update" "$T/calls.log" || fail "a corrupt record did not update"
	# The dry run shows what a run would do.
	pd -r cn-hangzhou -i "$EAS_ID" --dry-run -o json
	expect_json '[.commands[].argv[1]] | index("plugin")' 'null'
}

# $XDG_STATE_HOME is honoured; a failed update records nothing.
t_plugin_update_state_home() {
	export XDG_STATE_HOME="$T/xdg"
	eas_world '"Success"' ', "plugin_update": "fail"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 -o json
	expect_rc 11
	expect_json '.warnings' '["'"'"'aliyun plugin update'"'"' failed: 1 plugin(s) failed to update; going on with the plugins installed"]'
	[ ! -e "$T/xdg/pai-diag/plugin-update.json" ] || fail "a failed update was recorded"
	eas_world '"Success"'
	pd -q -r cn-hangzhou -i "$EAS_ID" --poll-interval 0
	expect_rc 11
	[ -s "$T/xdg/pai-diag/plugin-update.json" ] || fail "no record under XDG_STATE_HOME"
	pd -q -r cn-hangzhou -i "$EAS_ID" --no-setup --update-plugins
	expect_rc 2
	expect_err_has "--update-plugins cannot be combined with --no-setup"
}

# make install honours PREFIX and DESTDIR; make uninstall removes it all.
t_install_uninstall() {
	make -s install DESTDIR="$T/inst" PREFIX=/opt/pd BUILD="$(basename "$(dirname "$PAI_DIAG")")" >/dev/null
	for f in bin/pai-diag share/man/man1/pai-diag.1 \
	    share/bash-completion/completions/pai-diag \
	    share/zsh/site-functions/_pai-diag share/doc/pai-diag/README.md \
	    share/doc/pai-diag/ram-policies.md share/doc/pai-diag/envelope.schema.json \
	    share/pai-diag/skill/SKILL.md share/pai-diag/skill/references/ram-policies.md; do
		[ -f "$T/inst/opt/pd/$f" ] || fail "not installed: $f"
	done
	"$T/inst/opt/pd/bin/pai-diag" --version >"$T/out"
	expect_out <<EOF2
pai-diag 0.1.0
EOF2
	make -s uninstall DESTDIR="$T/inst" PREFIX=/opt/pd >/dev/null
	[ -z "$(find "$T/inst" -type f)" ] || fail "left after uninstall:" "$(find "$T/inst" -type f)"
}

# On a terminal, --color auto colours the report, unless NO_COLOR or TERM=dumb.
t_color_auto_on_terminal() {
	local env
	for env in "TERM=xterm" "TERM=dumb" "NO_COLOR=1 TERM=xterm"; do
		rm -rf "$T/state"
		eas_world '"Success"'
		script -qec "env $env '$PAI_DIAG' -q -r cn-hangzhou -i $EAS_ID --poll-interval 0 --no-setup" "$T/tty" </dev/null >/dev/null || true
		if [ "$env" = "TERM=xterm" ]; then
			grep -q $'\033\[1;31mCritical' "$T/tty" || fail "$env: no colour on a terminal"
		else
			grep -q $'\033\[1;31m' "$T/tty" && fail "$env: colour although it is off"
		fi
	done
	true
}
