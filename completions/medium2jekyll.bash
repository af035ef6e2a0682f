# bash completion for medium2jekyll(1)                      -*- shell-script -*-
# Installed by `make install` into
# $(PREFIX)/share/bash-completion/completions/medium2jekyll; or source it.

_medium2jekyll()
{
    local cur prev cmd i opts
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}

    # the command is the first word after the program name
    cmd=
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -*) ;;
            *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W '--help --version' -- "$cur"))
        else
            COMPREPLY=($(compgen -W 'import sync import-archive convert help' -- "$cur"))
        fi
        return 0
    fi

    if [[ $cmd == help ]]; then
        COMPREPLY=($(compgen -W 'import sync import-archive convert' -- "$cur"))
        return 0
    fi

    # options that take an argument (import's --drafts takes none)
    if [[ $cmd == import-archive && $prev == --drafts ]]; then
        COMPREPLY=($(compgen -d -- "$cur"))
        compopt -o filenames 2>/dev/null
        return 0
    fi
    case $prev in
        -o|--output|--download-images)
            COMPREPLY=($(compgen -d -- "$cur"))
            compopt -o filenames 2>/dev/null
            return 0 ;;
        -c|--config)
            COMPREPLY=($(compgen -f -X '!*.yml' -- "$cur") $(compgen -f -X '!*.yaml' -- "$cur") $(compgen -d -- "$cur"))
            compopt -o filenames 2>/dev/null
            return 0 ;;
        --member-only)
            COMPREPLY=($(compgen -W 'stub skip' -- "$cur"))
            return ;;
        --fields)
            COMPREPLY=($(compgen -W 'image description medium_id updated' -- "$cur"))
            return ;;
        --author|--layout|--timeout|--connect-timeout|--max-size|--user-agent|--field|--images-url|--tag|--since|--limit|--image-budget)
            return 0 ;;
    esac

    case $cmd in
        import)
            opts='-o --output --drafts --force --since --limit --wait --author --layout
                  --timeout --connect-timeout
                  --max-size --user-agent --include-responses -n --dry-run
                  -q --quiet -v --verbose -h --help --version --json
                  --tags --tag --canonical --clean --field --fields --member-only
                  --download-images --images-url --image-budget' ;;
        sync)
            opts='-c --config --check -n --dry-run --no-update --force --wait --json
                  -q --quiet -v --verbose -h --help --version' ;;
        import-archive)
            opts='-o --output --drafts --author --layout --include-responses
                  -n --dry-run -q --quiet -v --verbose -h --help --version
                  --tags --tag --canonical --clean --field --fields --member-only
                  --download-images --images-url --image-budget' ;;
        convert)
            opts='--batch -h --help --version' ;;
        *)
            return 0 ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return 0
    fi
    case $cmd in
        sync) return 0 ;;
        convert)
            # convert --batch IN_DIR OUT_DIR: folders; else one HTML file
            if [[ " ${COMP_WORDS[*]:1:COMP_CWORD-1} " == *" --batch "* ]]; then
                COMPREPLY=($(compgen -d -- "$cur"))
            else
                COMPREPLY=($(compgen -f -X '!*.html' -- "$cur") $(compgen -f -X '!*.htm' -- "$cur") $(compgen -d -- "$cur"))
            fi ;;
        import-archive)
            COMPREPLY=($(compgen -f -X '!*.zip' -- "$cur") $(compgen -d -- "$cur")) ;;
        *)
            COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
    compopt -o filenames 2>/dev/null
    return 0
}
complete -F _medium2jekyll medium2jekyll
