#!/bin/sh
# The man page documents every long option each command's --help lists
# (convert has no --help yet: its usage line is read instead), every command
# of the main help, every key of medium2jekyll.example.yml, every section
# and exit status; and it renders with groff without a warning.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
page="$M2J_ROOT/docs/medium2jekyll.1"
if [ ! -f "$page" ]; then
	fail "manpage: docs/medium2jekyll.1 exists" "missing"
	finish
fi
# the page as plain text: man(7) writes "--" as "\-\-"
sed 's/\\-/-/g; s/\\f[BIRP]//g' "$page" >"$WORK/page.txt"

commands="import sync convert"
"$M2J_BIN" import-archive --help >/dev/null 2>&1 && commands="$commands import-archive"
for c in $commands; do
	"$M2J_BIN" "$c" --help >"$WORK/help.$c" 2>&1
	rc=$?
	case $c in
		import | sync)
			[ "$rc" -eq 0 ] && pass "manpage: $c --help exits 0" || fail "manpage: $c --help exits 0" "exit $rc"
			;;
	esac
	grep -q "^\.SS $c\$" "$page" || grep -q "^\.SS $(echo "$c" | sed 's/-/\\\\-/g')\$" "$page" \
		&& pass "manpage: section for $c" || fail "manpage: section for $c" "no .SS $c"
	grep -qF "medium2jekyll $c" "$WORK/page.txt" \
		&& pass "manpage: $c in SYNOPSIS/COMMANDS" || fail "manpage: $c in SYNOPSIS/COMMANDS" "not named"
	for o in $(grep -oE -- '--[a-z][a-z-]*' "$WORK/help.$c" | sort -u); do
		# a whole word: --force must not be found inside --forced
		if grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" "$WORK/page.txt"; then
			pass "manpage: $c $o"
		else
			fail "manpage: $c $o" "in '$c --help' but not in docs/medium2jekyll.1"
		fi
	done
done
# the main help's commands are all described
for c in $(sed -n '/^Commands:/,/^$/p' "$("$M2J_BIN" --help >"$WORK/help.main" 2>&1; echo "$WORK/help.main")" \
	| awk 'NR > 1 && NF { print $1 }'); do
	grep -qF "medium2jekyll $c" "$WORK/page.txt" && pass "manpage: command $c" || fail "manpage: command $c" "not in the page"
done
# every key of the example config is in CONFIGURATION
for k in $(grep -oE '^ *-? *[a-z_]+:' "$M2J_ROOT/medium2jekyll.example.yml" | sed 's/[ :-]//g' | sort -u); do
	grep -qE "^\.B[IR]? \"?$k:" "$page" && pass "manpage: config key $k" || fail "manpage: config key $k" "not in CONFIGURATION"
done
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS CONFIGURATION FILES "EXIT STATUS" EXAMPLES SECURITY "SEE ALSO"; do
	grep -q "^\.SH \"\\{0,1\\}$s\"\\{0,1\\}\$" "$page" && pass "manpage: section $s" || fail "manpage: section $s" "missing"
done
for st in 0 1 2 3; do
	grep -A1 '^\.SH EXIT STATUS' "$page" >/dev/null && sed -n '/^\.SH EXIT STATUS/,/^\.SH/p' "$page" | grep -qx "\.B $st" \
		&& pass "manpage: exit status $st" || fail "manpage: exit status $st" "not listed"
done
if command -v groff >/dev/null 2>&1; then
	groff -ww -man -Tutf8 "$page" >"$WORK/page.out" 2>"$WORK/groff.err"
	if [ -s "$WORK/groff.err" ]; then
		fail "manpage: groff -ww renders without warnings" "$(head -5 "$WORK/groff.err")"
	elif [ ! -s "$WORK/page.out" ]; then
		fail "manpage: groff -ww renders without warnings" "empty output"
	else
		pass "manpage: groff -ww renders without warnings"
	fi
else
	skip "manpage: groff -ww" "groff not installed (apt-get install groff-base)"
fi
finish
