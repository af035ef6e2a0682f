#!/bin/sh
# The man page documents every long option each command's --help lists,
# once in --help and once in the page (the command's section, Common
# options, and Post options for the import commands); every command of the
# main help; every config key config.c reads (site-wide keys found by
# asking `sync --check` which keys it takes at the top level, per-feed keys
# from its "known:" list), each once in its section; every key of
# medium2jekyll.example.yml, every section and exit status; and it renders
# with groff without a warning.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
page="$M2J_ROOT/docs/medium2jekyll.1"
if [ ! -f "$page" ]; then
	fail "manpage: docs/medium2jekyll.1 exists" "missing"
	finish
fi
# the page as plain text: man(7) writes "--" as "\-\-"
sed 's/\\-/-/g; s/\\f[BIRP]//g' "$page" >"$WORK/page.txt"

commands="import sync convert import-archive"
# the definition lines (after .TP or .TQ) of a section of the page: the
# section named NAME, or NAME followed by a space (.SS or .SH), to the next
sect() {
	awk -v name="$1" '
		/^\.S[SH] / { s = $0; sub(/^\.S[SH] "?/, "", s); sub(/"$/, "", s)
			on = (s == name || index(s, name " ") == 1); next }
		on && tp { print }
		{ tp = ($0 ~ /^\.T[PQ]$/) }' "$WORK/page.txt"
}
for c in $commands; do
	"$M2J_BIN" "$c" --help >"$WORK/help.$c" 2>&1
	rc=$?
	case $c in
		import | sync)
			[ "$rc" -eq 0 ] && pass "manpage: $c --help exits 0" || fail "manpage: $c --help exits 0" "exit $rc"
			;;
	esac
	case $c in
		import | import-archive) { sect "$c"; sect "Common options"; sect "Post options"; } >"$WORK/sect.$c" ;;
		*) { sect "$c"; sect "Common options"; } >"$WORK/sect.$c" ;;
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
		# defined once in --help (an option line) and once in the page's sections
		n=$(grep -cE -- "^ +(-[a-z], )?$o([ =,]|\$)" "$WORK/help.$c")
		[ "$n" -eq 1 ] && pass "manpage: $c --help lists $o once" \
			|| fail "manpage: $c --help lists $o once" "$n option lines"
		n=$(grep -E -- "^\.B[IR]? " "$WORK/sect.$c" | grep -cE -- "^\.B[IR]? (-[a-z] \"?, \"? )?$o([ \"]|\$)")
		[ "$n" -eq 1 ] && pass "manpage: page defines $c $o once" \
			|| fail "manpage: page defines $c $o once" "$n definitions in its sections"
	done
done
# config keys, derived from src/config.c and the binary (not a list kept here)
printf 'feeds:\n  - url: file:///x\n    zzz_unknown: 1\n' >"$WORK/feedkeys.yml"
feedkeys=$("$M2J_BIN" sync --check -c "$WORK/feedkeys.yml" 2>&1 | sed -n 's/.*(known: \(.*\)).*/\1/p' | tr -d ',')
[ -n "$feedkeys" ] && pass "manpage: per-feed keys listed by sync" || fail "manpage: per-feed keys listed by sync" "no known: list"
sect "Keys of a feed" >"$WORK/sect.feed"
for k in $feedkeys; do
	n=$(grep -cE "^\.B[IR]? \"?$k:" "$WORK/sect.feed")
	[ "$n" -eq 1 ] && pass "manpage: feed key $k once" || fail "manpage: feed key $k once" "$n times in Keys of a feed"
done
sitekeys=""
for k in $(grep -oE 'strcmp\(key, "[a-z_]+"\)' "$M2J_ROOT/src/config.c" | sed 's/.*"\(.*\)".*/\1/' | sort -u); do
	[ "$k" = feeds ] && { sitekeys="$sitekeys $k"; continue; }
	printf 'feeds:\n  - url: file:///x\n%s: ~\n' "$k" >"$WORK/sitekey.yml"
	"$M2J_BIN" sync --check -c "$WORK/sitekey.yml" 2>&1 | grep -q 'unknown key' || sitekeys="$sitekeys $k"
done
[ "$(echo $sitekeys | wc -w)" -ge 10 ] && pass "manpage: site-wide keys found in config.c" \
	|| fail "manpage: site-wide keys found in config.c" "only: $sitekeys"
sect "Site-wide keys" >"$WORK/sect.site"
for k in $sitekeys; do
	n=$(grep -cE "^\.B[IR]? \"?$k:" "$WORK/sect.site")
	[ "$n" -eq 1 ] && pass "manpage: site-wide key $k once" || fail "manpage: site-wide key $k once" "$n times in Site-wide keys"
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
