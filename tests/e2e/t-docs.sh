# The user-facing documents against the binary and against each other: the
# manual page, docs/cli.md, the bash and zsh completions, the agent skill and
# the references.  Needs groff (Debian: groff-base); the zsh checks run only
# when zsh is installed.

# The long options the manual page documents: the tags of its OPTIONS section.
docs_man_long_options() {
	awk '/^\.SH /{sec=$0} sec==".SH OPTIONS" && prev==".TP"{print} {prev=$0}' docs/pai-diag.1 |
	    grep -o '\\-\\-[a-z][a-z\\-]*' | sed 's/\\-/-/g' | LC_ALL=C sort -u
}

docs_man_short_options() {
	awk '/^\.SH /{sec=$0} sec==".SH OPTIONS" && prev==".TP"{print} {prev=$0}' docs/pai-diag.1 |
	    grep -oE '\\-[A-Za-z]\b' | sed 's/\\-/-/g' | LC_ALL=C sort -u
}

# The long options the program accepts: its getopt_long table.
docs_source_long_options() {
	sed -n '/long_options\[\] = {/,/^};/p' src/main.c |
	    sed -n 's/^[[:space:]]*{ "\([a-z-]*\)",.*/--\1/p' | LC_ALL=C sort -u
}

# The options `pai-diag --help` mentions.
docs_help_long_options() {
	"$PAI_DIAG" --help | grep -oE -- '--[a-z][a-z-]*' | LC_ALL=C sort -u
}

docs_help_short_options() {
	"$PAI_DIAG" --help | grep -oE '^ +-[A-Za-z],' | tr -d ' ,' | LC_ALL=C sort -u
}

# docs_has FILE OPTION: FILE mentions OPTION as a whole word.
docs_has() {
	grep -qE -- "(^|[^a-z-])$2([^a-z-]|$)" "$1"
}

# docs_complete WORD...: what the bash completion offers for the command line
# "pai-diag WORD..." (the last word is the one being completed), sorted, on
# one line.  It runs in a clean bash, as an interactive shell would.
docs_complete() {
	bash --norc --noprofile -c '
		source completions/pai-diag.bash
		COMP_WORDS=(pai-diag "$@")
		COMP_CWORD=$#
		COMP_LINE="pai-diag $*"
		COMP_POINT=${#COMP_LINE}
		_pai_diag
		printf "%s\n" "${COMPREPLY[@]}"' docs-complete "$@" |
	    sed '/^$/d' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}

# Every long option is documented everywhere: the manual page covers --help
# and documents only options the program has; docs/cli.md and both
# completions cover the manual page.
t_docs_options_everywhere() {
	local opt man src help
	man=$(docs_man_long_options)
	src=$(docs_source_long_options)
	help=$(docs_help_long_options)
	[ "$(wc -l <<<"$man")" -ge 20 ] || fail "too few options found in the manual page:" "$man"
	# Everything documented is accepted by the program (its getopt table),
	# and everything --help mentions is documented.
	for opt in $man; do
		grep -qx -- "$opt" <<<"$src" || fail "the manual page documents $opt, src/main.c has no such option"
	done
	for opt in $help; do
		grep -qx -- "$opt" <<<"$man" || fail "--help mentions $opt, the manual page does not"
	done
	for opt in $man; do
		docs_has docs/cli.md "$opt" || fail "docs/cli.md does not mention $opt"
		docs_has completions/pai-diag.bash "$opt" || fail "the bash completion lacks $opt"
		docs_has completions/_pai-diag "$opt" || fail "the zsh completion lacks $opt"
	done
	for opt in $(docs_help_short_options); do
		grep -qx -- "$opt" <<<"$(docs_man_short_options)" || fail "the manual page lacks $opt"
		docs_has completions/pai-diag.bash "$opt" || fail "the bash completion lacks $opt"
		grep -qE -- "(^|[^a-z-])${opt}[+,']" completions/_pai-diag || fail "the zsh completion lacks $opt"
	done
	# The bash completion offers exactly the documented long options.
	[ "$(docs_complete --)" = "$(tr '\n' ' ' <<<"$man" | sed 's/ $//')" ] ||
	    fail "bash completes '--' to: $(docs_complete --)"
}

# The manual page renders without a single groff warning, has the usual
# sections, and agrees with the binary on the version and the exit codes.
t_docs_man_page() {
	local out code s tags
	command -v groff >/dev/null || fail "groff is not installed (Debian package groff-base)"
	out=$(groff -ww -man -z docs/pai-diag.1 2>&1) || fail "groff failed:" "$out"
	[ -z "$out" ] || fail "groff warnings:" "$out"
	for width in 80 65; do
		out=$(groff -ww -man -Tutf8 -rLL=${width}n docs/pai-diag.1 2>&1 >/dev/null) || fail "groff -Tutf8 failed"
		[ -z "$out" ] || fail "groff warnings at $width columns:" "$out"
	done
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS "THE DOCTOR COMMAND" "EXIT STATUS" \
	    ENVIRONMENT FILES EXAMPLES NOTES "SEE ALSO"; do
		grep -qx "\.SH $s" docs/pai-diag.1 || fail "no section $s"
	done
	# The version in the header is the binary's.
	grep -q "^\.TH PAI-DIAG 1 [^ ]* \"$("$PAI_DIAG" --version)\"" docs/pai-diag.1 ||
	    fail "the .TH line does not name $("$PAI_DIAG" --version)"
	# Every exit code of --help (and of the README) is in EXIT STATUS.
	tags=$(awk '/^\.SH /{sec=$0} sec==".SH EXIT STATUS" && prev ~ /^\.TP/{print} {prev=$0}' docs/pai-diag.1 |
	    grep -oE '[0-9]+')
	for code in $("$PAI_DIAG" --help | sed -n '/^Exit status:/,/^$/p' | grep -oE '^ +[0-9]+' | tr -d ' ') 143 129; do
		grep -qx "$code" <<<"$tags" || fail "EXIT STATUS lacks $code"
		grep -qE "^\| ([0-9]+ / )*$code( / [0-9]+)* \|" README.md ||
		    fail "README's exit table lacks $code"
		grep -qE "^\| ([0-9]+, )*$code(, [0-9]+)* \|" docs/cli.md ||
		    fail "docs/cli.md's exit table lacks $code"
	done
	for s in PAI_DIAG_ALIYUN NO_COLOR TERM TZ XDG_STATE_HOME COLUMNS ALIBABA_CLOUD_ACCESS_KEY_ID \
	    ALIBABA_CLOUD_ACCESS_KEY_SECRET ALIBABA_CLOUD_SECURITY_TOKEN ALIBABA_CLOUD_REGION_ID \
	    ALIBABACLOUD_PROFILE ALIBABA_CLOUD_PROFILE ALICLOUD_PROFILE; do
		awk '/^\.SH /{sec=$0} sec==".SH ENVIRONMENT"' docs/pai-diag.1 | grep -q "$s" ||
		    fail "ENVIRONMENT lacks $s"
	done
	# The page renders through man(1) too, when it is installed.
	if command -v man >/dev/null; then
		out=$(LC_ALL=C MANWIDTH=80 man -l docs/pai-diag.1 2>&1 >/dev/null) || fail "man -l failed:" "$out"
		[ -z "$out" ] || fail "man -l warnings:" "$out"
	fi
}

# The bash completion: option names, option values, files, the subcommand.
t_docs_bash_completion() {
	local got
	bash -n completions/pai-diag.bash || fail "syntax error in the bash completion"
	got=$(bash --norc --noprofile -c 'source completions/pai-diag.bash; complete -p pai-diag')
	[ "$got" = "complete -F _pai_diag pai-diag" ] || fail "registered as: $got"
	check() {
		local want=$1
		shift
		got=$(docs_complete "$@")
		[ "$got" = "$want" ] || fail "completing 'pai-diag $*': got '$got', want '$want'"
	}
	check "--product --profile --progress" --pro
	check "json junit markdown text" --output ""
	check "json junit" -o j
	check "junit" -o ju
	check "markdown" --output = m
	check "markdown" --output=m
	check "json junit markdown text" -r cn-hangzhou -o ""
	check "DLC EAS" -p ""
	check "DLC EAS" --product ""
	check "critical never new warn" --fail-on ""
	check "always auto never" --color ""
	check "auto ndjson none plain" --progress ""
	check "--dry-run" --dr
	check "--task-id" --task
	got=$(docs_complete -)
	for opt in $(docs_help_short_options) $(docs_man_long_options); do
		grep -qw -- "$opt" <<<"$got" || fail "completing '-' does not offer $opt"
	done
	check "" --region ""
	check "diff doctor history mcp" ""
	check "last previous" diff ""
	check "diff doctor" -r cn-hangzhou d
	check "mcp" m
	check "" doctor ""
	check "--dry-run" --description doctor --dr
	# After doctor only its own options; no target.
	got=$(docs_complete doctor --)
	for opt in --aliyun --profile --output; do
		grep -qw -- "$opt" <<<"$got" || fail "doctor: $opt not offered: $got"
	done
	for opt in --region --instance --task-id --dry-run --since; do
		! grep -qw -- "$opt" <<<"$got" || fail "doctor: $opt offered: $got"
	done
	# After mcp only how to run aliyun.
	got=$(docs_complete mcp --)
	[ "$(tr ' ' '\n' <<<"$got" | sort | tr '\n' ' ')" = "--aliyun --help --max-rate --no-setup --poll-interval --profile " ] ||
	    fail "mcp: offered: $got"
	# Files for --output-file and --aliyun.
	mkdir "$T/cdir" && touch "$T/cdir/report.json" "$T/cdir/rx"
	check "$T/cdir/report.json" --output-file "$T/cdir/rep"
	check "$T/cdir/report.json $T/cdir/rx" --aliyun "$T/cdir/r"
}

# The zsh completion parses, and offers what the bash one does.
t_docs_zsh_completion() {
	local got
	head -n 1 completions/_pai-diag | grep -qx '#compdef pai-diag' || fail "no #compdef line"
	grep -q '_arguments' completions/_pai-diag || fail "no _arguments"
	if ! command -v zsh >/dev/null; then
		echo "skipped: zsh is not installed" >&2
		return 0
	fi
	got=$(zsh -n completions/_pai-diag 2>&1) || fail "zsh -n:" "$got"
	# Drive a real zsh through a pseudo-terminal: type the line, press Tab,
	# and collect what the completion system was given.
	cat >"$T/zcomplete.zsh" <<'ZSH'
zmodload zsh/zpty || exit 1
zpty z zsh -f -i
zpty -w z "fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'compadd () { builtin compadd -O __m "$@"; local m; for m in $__m; do print -r -- "<<$m>>"; done; builtin compadd "$@" }'
# Type the line only once the line editor waits at the prompt (the terminal
# in raw mode), or the kernel would take ^U for itself.  The markers are
# split in what is typed, so that only the output matches them.
zpty -w z 'bindkey "^I" complete-word; PROMPT="Z""P> "; print RE""ADY'
zpty -r z line '*READY*ZP> ' || exit 1
zpty -w -n z "$2"$'\t'
zpty -w z $'\C-u''print DO""NE'
zpty -r z out '*DONE*' || exit 1
zpty -d z
print -r -- "$out"
ZSH
	zsh_complete() {
		timeout 30 zsh -f "$T/zcomplete.zsh" "$PWD/completions" "$1" |
		    grep -o '<<[^>]*>>' | tr -d '<>' | LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//'
	}
	got=$(zsh_complete "pai-diag --pro")
	[ "$got" = "--product --profile --progress" ] || fail "zsh completes --pro to: '$got'"
	got=$(zsh_complete "pai-diag --output ")
	[ "$got" = "json junit markdown text" ] || fail "zsh completes --output to: '$got'"
	got=$(zsh_complete "pai-diag doctor --a")
	[ "$got" = "--aliyun" ] || fail "zsh completes doctor --a to: '$got'"
	got=$(zsh_complete "pai-diag mcp --p")
	[ "$got" = "--poll-interval --profile" ] || fail "zsh completes mcp --p to: '$got'"
	got=$(zsh_complete "pai-diag m")
	[ "$got" = "mcp" ] || fail "zsh completes m to: '$got'"
}

# The commands of the agent skill run against the simulator and behave as
# the skill says.  A command that uses an option this binary does not have
# (yet) is skipped; one with an unknown variable fails.
t_docs_skill_commands() {
	local line cmd ran=0 opt missing help
	help=$("$PAI_DIAG" --help)
	# shellcheck disable=SC2034 # the skill's variables, used through eval
	REGION=cn-hangzhou INSTANCE=$EAS_ID TASK_ID=$TASK SINCE=2h DESCRIPTION="GPU OOM restarts"
	# shellcheck disable=SC2034
	OTHER=eas-m-other00001 OTHER_REGION=cn-beijing
	# shellcheck disable=SC2034
	START=$(date -u -d '-3 hours' '+%Y-%m-%d %H:%M')
	# shellcheck disable=SC2034
	END=$(date -u -d '-1 hour' '+%Y-%m-%d %H:%M')
	grep -q 'name: pai-diag' docs/skill/SKILL.md || fail "SKILL.md has no name in its front matter"
	grep -q '^description: ' docs/skill/SKILL.md || fail "SKILL.md has no description"
	while IFS= read -r line; do
		cmd=${line#pai-diag }
		# Only the variables documented above.
		for v in $(grep -oE '\$[A-Z_]+' <<<"$line" | tr -d '$'); do
			case $v in REGION|INSTANCE|TASK_ID|SINCE|START|END|DESCRIPTION|OTHER|OTHER_REGION) ;;
			*) fail "SKILL.md uses an unknown variable \$$v: $line" ;;
			esac
		done
		missing=
		for opt in $(grep -oE -- '--[a-z][a-z-]*' <<<"$line"); do
			grep -qE -- "$opt([^a-z-]|\$)" <<<"$help" || missing=$opt
		done
		[[ $cmd != doctor* ]] || grep -q '^  doctor ' <<<"$help" || missing=doctor
		[[ $cmd != diff* ]] || grep -q '^  diff ' <<<"$help" || missing=diff
		if [ -n "$missing" ]; then
			echo "skipped (no $missing in this binary): $line" >&2
			continue
		fi
		rm -rf "$T/state"
		: >"$T/calls.log"
		eas_world '"Success"'
		edit_scenario '.task.result = {"summary":{"overall_status":"Info","root_cause":"No anomaly found","suggestions":[]},"issues":[]} | .eas_services += [{"ServiceId": "eas-m-other00001", "ServiceName": "other", "Region": "cn-beijing", "Status": "Failed"}]'
		case $cmd in
		diff*|history*)
			# The runs above were kept: at least two of INSTANCE.
			eval "pd $cmd"
			expect_rc 0
			expect_no_calls
			expect_json '[.ok, .exit_code]' '[true,0]'
			;;
		*--discover*|*--instance*--instance*)
			eval "pd $cmd --poll-interval 0"
			expect_rc 0
			expect_json '[.fleet, ([.runs[].outcome] | unique), ([.runs[] | select(.instance == "eas-m-other00001") | .region])]' '[true,["healthy"],["cn-beijing"]]'
			expect_err </dev/null
			;;
		doctor*)
			eval "pd $cmd"
			expect_rc 0
			[ "$(jq -c '[.ok,.exit_code,.profile.valid]' "$T/out")" = '[true,0,true]' ] ||
			    fail "$line:" "$(cat "$T/out")"
			;;
		*--dry-run*)
			eval "pd $cmd"
			expect_rc 0
			expect_no_calls
			expect_out_has "$EAS_ID"
			;;
		*--task-id*)
			eval "pd $cmd"
			expect_rc 0
			expect_json '[.outcome,.task_id,.attached,.summary.overall_status]' "[\"healthy\",\"$TASK\",true,\"Info\"]"
			expect_err </dev/null
			;;
		*"--output json"*)
			eval "pd $cmd --poll-interval 0"
			expect_rc 0
			expect_json '[.ok,.outcome,.exit_code,.instance,.task_id,.summary.overall_status,.error]' \
			    "[true,\"healthy\",0,\"$EAS_ID\",\"$TASK\",\"Info\",null]"
			case $cmd in
			*--since*|*--start*) expect_json '.mode' '"historical"' ;;
			*) expect_json '.mode' '"realtime"' ;;
			esac
			# --quiet: nothing on stderr on a clean run.
			expect_err </dev/null
			;;
		*) fail "SKILL.md runs pai-diag without --output json: $line" ;;
		esac
		ran=$((ran + 1))
	done < <(awk '/^```/{inblock=!inblock; next} inblock && /^pai-diag /' docs/skill/SKILL.md)
	[ "$ran" -ge 4 ] || fail "only $ran of the skill's commands ran"

	# Step 6 of the skill: on a timeout, the report's resume_command with
	# "--output json --quiet" added waits for the same task.
	grep -qF 'resume_command' docs/skill/SKILL.md || fail "SKILL.md does not mention resume_command"
	# shellcheck disable=SC2016 # backquotes of Markdown
	grep -qF -- '`--output json --quiet` added' docs/skill/SKILL.md ||
	    fail "SKILL.md no longer says how to resume"
	rm -rf "$T/state"
	eas_world '"Running","Running","Success"'
	edit_scenario '.task.result = {"summary":{"overall_status":"Warn","root_cause":"x","suggestions":[]},"issues":[]}'
	pd --region "$REGION" --instance "$INSTANCE" --output json --quiet --poll-interval 0 --max-polls 1
	expect_rc 7
	expect_json '[.outcome,.status,.summary,.resume_command]' \
	    "[\"timeout\",\"Running\",null,\"pai-diag --region cn-hangzhou --task-id $TASK\"]"
	line=$(jq -r .resume_command "$T/out")
	eval "pd ${line#pai-diag } --output json --quiet --poll-interval 0"
	expect_rc 10
	expect_json '[.outcome,.task_id,.attached]' "[\"warn\",\"$TASK\",true]"
	grep -c 'invoke-diagnosis' "$T/calls.log" | grep -qx 1 || fail "the resume started a new diagnosis"
}

# The references the public skill names exist, and every test that the
# acceptance criteria cite is a real test.
t_docs_references() {
	local f name all
	for f in cli-installation-guide ram-policies related-commands verification-method \
	    diagnose-workflow acceptance-criteria; do
		[ -s "references/$f.md" ] || fail "references/$f.md is missing"
		grep -qF "references/$f.md" docs/skill/SKILL.md || [ "$f" = related-commands ] ||
		    fail "SKILL.md does not point to references/$f.md"
	done
	all=$(cat tests/e2e/t-*.sh | sed -n 's/^\(t_[a-z0-9_]*\)() {$/\1/p')
	for name in $(grep -oE '\bt_[a-z0-9_]+' references/acceptance-criteria.md | sort -u); do
		grep -qx "$name" <<<"$all" || fail "acceptance-criteria.md cites $name, which is no test"
	done
	# One row per exit code of --help.
	for code in $("$PAI_DIAG" --help | sed -n '/^Exit status:/,/^$/p' | grep -oE '^ +[0-9]+' | tr -d ' ') 143; do
		grep -qE "^\| $code \|" references/acceptance-criteria.md || fail "acceptance-criteria.md has no row for exit $code"
	done
	# Relative links between the documents resolve.
	for f in references/verification-method.md references/diagnose-workflow.md references/acceptance-criteria.md; do
		for name in $(grep -oE '\]\([^)#]+' "$f" | sed 's/^](//'); do
			[ -e "$(dirname "$f")/$name" ] || fail "$f links to $name, which does not exist"
		done
	done
}

# Every regression input tests/fuzz/README.md names is there to replay, and
# every input there is named.
t_docs_fuzz_regressions() {
	local named have row f
	named=$(grep '^| `[a-z]*/' tests/fuzz/README.md | cut -d'|' -f2 | grep -o '`[a-z]*/[^`]*`' | tr -d '`' | sort)
	[ -n "$named" ] || fail "no regression named in tests/fuzz/README.md"
	for row in $named; do
		# shellcheck disable=SC2086 # a name may end in a glob
		ls tests/fuzz/regressions/$row >/dev/null 2>&1 || fail "named but missing: $row"
	done
	have=$(cd tests/fuzz/regressions && ls -d */* | sort)
	for f in $have; do
		printf '%s\n' "$named" | while read -r row; do
			# shellcheck disable=SC2053 # a glob on purpose
			[[ $f == $row ]] && echo hit
		done | grep -q hit || fail "not named in tests/fuzz/README.md: $f"
	done
}

# docs/architecture.md names every source file, and only files that exist.
t_docs_architecture_map() {
	local f named
	named=$(grep -oE '`[a-z_]+\.[ch]`' docs/architecture.md | tr -d '`' | sort -u)
	[ -n "$named" ] || fail "docs/architecture.md names no file"
	for f in $named; do
		[ -e "src/$f" ] || [ -e "include/$f" ] || fail "docs/architecture.md names $f, which does not exist"
	done
	for f in src/*.c; do
		f=${f#src/}
		case $f in report_*.c|mask*.c|step_*.c) grep -q "$f" docs/architecture.md && continue ;; esac
		grep -qx "$f" <<<"$named" || fail "docs/architecture.md does not name src/$f"
	done
}

# The README's recipe for running pai-diag by hand against the simulator,
# run exactly as written, from a shell outside make.
t_readme_sim_env() {
	local root=${PAI_DIAG%/*/pai-diag} recipe
	recipe=$(sed -n '/<!-- sim-env recipe/,/^```$/p' "$root/README.md" | sed '1,2d;$d')
	[ -n "$recipe" ] || fail "no sim-env recipe in README.md"
	(cd "$root" && unset MAKEFLAGS MAKELEVEL MFLAGS && bash -c "$recipe") >"$T/out" 2>"$T/err"
	RC=$?
	expect_rc 0
	expect_out_has "Overall status: Critical"
	expect_out_has "Root cause"
	expect_out_has "sysom get-diagnosis-result --task-id Vq7mZ2xK"
	expect_err_lacks "error"
}

# Every row of the scenario table in tests/sim/README.md: its command, in
# the environment `make sim-env SCENARIO=...` prints, ends as documented.
t_sim_scenarios_as_documented() {
	local root=${PAI_DIAG%/*/pai-diag} name try want rc n=0
	while IFS='|' read -r _ name _ try want _; do
		name=$(tr -d ' `' <<<"$name"); want=$(tr -d ' ' <<<"$want")
		try=$(sed 's/^ *`//; s/` *$//' <<<"$try")
		case $name in ''|scenario|---) continue ;; esac
		set +e
		(cd "$root" && unset MAKEFLAGS MAKELEVEL MFLAGS &&
		    eval "$(make -s sim-env SCENARIO="$name")" && $try --poll-interval 0 -q) >"$T/out" 2>"$T/err"
		rc=$?
		set -e
		[ "$rc" = "$want" ] || fail "scenario $name: '$try' exited $rc, the table says $want" "$(cat "$T/err")"
		n=$((n + 1))
	done < <(sed -n '/^## Scenarios shipped here/,/^## /p' "$root/tests/sim/README.md" | grep '^| `')
	[ "$n" = "$(ls "$root/tests/sim/scenarios" | grep -c '\.json$')" ] || fail "$n rows for $(ls "$root/tests/sim/scenarios" | wc -l) scenarios"
}

# The skill as `make install` puts it: front matter, and every link
# resolving beside it (t_docs_skill_commands runs its commands).
t_docs_skill_installed() {
	local skill
	make -s install DESTDIR="$T/inst" PREFIX=/opt/pd BUILD="$(basename "$(dirname "$PAI_DIAG")")" >/dev/null
	skill="$T/inst/opt/pd/share/pai-diag/skill"
	[ -f "$skill/SKILL.md" ] && [ ! -L "$skill/references/ram-policies.md" ] || fail "skill not installed as files:" "$(ls -lR "$skill")"
	/usr/bin/python3 - "$skill/SKILL.md" >"$T/commands" <<'PY' || fail "skill:" "$(cat "$T/commands")"
import os, re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
m = re.match(r"---\n(.*?)\n---\n", text, re.S)
if not m:
    sys.exit("no front matter")
keys = dict(re.findall(r"^([a-z_]+):\s*(.*)$", m.group(1), re.M))
if keys.get("name") != "pai-diag" or "description" not in keys:
    sys.exit("front matter lacks name: pai-diag or a description: %r" % keys)
if len(m.group(1)) > 1024 + 100:
    sys.exit("front matter too long")
base = os.path.dirname(path)
links = re.findall(r"\]\(([^)\s]+)\)", text)
if len(links) < 5:
    sys.exit("too few links: %r" % links)
for link in links:
    if re.match(r"[a-z]+:", link) or link.startswith("#"):
        continue
    if not os.path.isfile(os.path.join(base, link.split("#")[0])):
        sys.exit("link does not resolve: " + link)
# Every "pai-diag ..." line of a sh block, continuation lines joined.
for block in re.findall(r"```sh\n(.*?)```", text, re.S):
    for line in block.replace("\\\n", " ").splitlines():
        if line.startswith("pai-diag "):
            print(line)
PY
	# What t_docs_skill_commands runs is what is installed.
	cmp -s "$skill/SKILL.md" docs/skill/SKILL.md || fail "the installed SKILL.md differs"
	[ "$(wc -l <"$T/commands")" -ge 8 ] || fail "only these commands:" "$(cat "$T/commands")"
	make -s uninstall DESTDIR="$T/inst" PREFIX=/opt/pd >/dev/null
	[ ! -e "$T/inst/opt/pd/share/pai-diag" ] || fail "the skill is left after uninstall"
}
