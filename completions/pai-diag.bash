# bash completion for pai-diag                             -*- shell-script -*-
#
# Install: copy to /usr/share/bash-completion/completions/pai-diag (or
# ~/.local/share/bash-completion/completions/pai-diag), or source this
# file from ~/.bashrc.  It needs nothing from the bash-completion package.

_pai_diag()
{
	local cur prev i word command=
	local cword=$COMP_CWORD

	cur=${COMP_WORDS[cword]}
	prev=
	[ "$cword" -gt 0 ] && prev=${COMP_WORDS[cword - 1]}
	# With '=' in COMP_WORDBREAKS, "--output=js" arrives as three words:
	# "--output" "=" "js" (and "--output=" as "--output" "=").
	if [ "$cur" = "=" ] && [[ $prev == --* ]]; then
		cur=
	elif [ "$prev" = "=" ] && [ "$cword" -gt 1 ] &&
	    [[ ${COMP_WORDS[cword - 2]} == --* ]]; then
		prev=${COMP_WORDS[cword - 2]}
	elif [[ $cur == --*=* ]]; then
		# "=" not a word break: complete the value inside the word.
		prev=${cur%%=*}
		cur=${cur#*=}
	fi

	case $prev in
	-p | --product)
		mapfile -t COMPREPLY < <(compgen -W "EAS DLC" -- "$cur")
		return
		;;
	-o | --output)
		mapfile -t COMPREPLY < <(compgen -W "text json markdown junit" -- "$cur")
		return
		;;
	--fail-on)
		mapfile -t COMPREPLY < <(compgen -W "never warn critical new" -- "$cur")
		return
		;;
	--color)
		mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur")
		return
		;;
	--progress)
		mapfile -t COMPREPLY < <(compgen -W "auto plain ndjson none" -- "$cur")
		return
		;;
	--since)
		mapfile -t COMPREPLY < <(compgen -W "30m 1h 2h 6h 12h 1d 7d" -- "$cur")
		return
		;;
	--baseline)
		mapfile -t COMPREPLY < <(compgen -W "last" -- "$cur")
		return
		;;
	--discover)
		mapfile -t COMPREPLY < <(compgen -W "eas" -- "$cur")
		return
		;;
	--output-file | --metrics-file | --aliyun | --instances-file)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	-r | --region | -i | --instance | --task-id | --start | --end | \
	--description | --uid | --poll-interval | --max-polls | \
	--call-timeout | --max-rate | --max-wait | --profile | -j | --jobs | \
	--discover-status)
		# A value only the user knows (-j: a number from 1 to 64).
		COMPREPLY=()
		return
		;;
	esac

	# Is a command (doctor, mcp, history, diff) already on the line?  The value of an
	# option ("--description doctor") does not count.
	for ((i = 1; i < cword; i++)); do
		word=${COMP_WORDS[i]}
		case $word in
		doctor | mcp | history | diff) command=$word ;;
		-r | --region | -i | --instance | -p | --product | --task-id | \
		--instances-file | --discover | --discover-status | -j | --jobs | \
		--baseline | \
		--since | --start | --end | --description | --uid | \
		--poll-interval | --max-polls | --call-timeout | --max-rate | \
		--max-wait | -o | --output | \
		--output-file | --metrics-file | --fail-on | --color | \
		--progress | --profile | --aliyun)
			# "--opt=value" is three words: "--opt" "=" "value".
			[ "${COMP_WORDS[i + 1]:-}" = "=" ] && i=$((i + 1))
			i=$((i + 1))
			;;
		esac
	done

	local opts
	if [ "$command" = doctor ]; then
		opts="--aliyun --profile --call-timeout -o --output --output-file
		    --color -v --verbose -h --help"
	elif [ "$command" = mcp ]; then
		opts="--aliyun --profile --poll-interval --max-rate --no-setup -h --help"
	elif [ "$command" = history ] || [ "$command" = diff ]; then
		opts="-i --instance -r --region -o --output --output-file --color
		    -h --help"
	else
		opts="-r --region -i --instance -p --product --task-id
		    --instances-file --discover --discover-status -j --jobs --realtime --since --start --end --description --uid
		    --poll-interval --max-polls --call-timeout --max-rate --max-wait
		    -o --output --output-file --metrics-file --dry-run --fail-on --color
		    --progress -q --quiet -v --verbose --no-history --baseline
		    --no-setup --update-plugins --profile --aliyun
		    -h --help -V --version"
	fi

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return
	fi
	if [ -z "$command" ]; then
		mapfile -t COMPREPLY < <(compgen -W "doctor mcp history diff" -- "$cur")
	elif [ "$command" = diff ]; then
		# Two runs: task ids, or these two of the target.
		mapfile -t COMPREPLY < <(compgen -W "last previous" -- "$cur")
	else
		COMPREPLY=()
	fi
}

complete -F _pai_diag pai-diag
