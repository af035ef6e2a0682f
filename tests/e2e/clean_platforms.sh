#!/bin/sh
# --clean on one real item per platform (fixtures/clean/, cut from the shared
# corpus feeds; see fixtures/clean/README): the platform's furniture is in
# the post without --clean and gone with it, the article's text stays.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
C="$M2J_ROOT/fixtures/clean"

# case NAME FEED TEXT-KEPT FURNITURE...: each FURNITURE (grep -F) is in the
# plain import and absent from the cleaned one
case_() {
	name=$1 feed=$2 keep=$3
	shift 3
	"$M2J_BIN" import "$C/$feed" -o "$WORK/$name-plain" -q 2>"$WORK/$name.err" &&
		"$M2J_BIN" import "$C/$feed" -o "$WORK/$name-clean" -q --clean 2>>"$WORK/$name.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "clean: $name: import" "rc=$rc $(head -c 400 "$WORK/$name.err")"
		return
	fi
	grep -qF -- "$keep" "$WORK/$name-clean"/*.md || fail "clean: $name: the text stays" "$keep"
	for f in "$@"; do
		if ! grep -qF -- "$f" "$WORK/$name-plain"/*.md; then
			fail "clean: $name: \"$f\" is in the plain post" "(fixture changed?)"
		elif grep -qF -- "$f" "$WORK/$name-clean"/*.md; then
			fail "clean: $name: \"$f\" removed" "$(grep -F -- "$f" "$WORK/$name-clean"/*.md | head -3)"
		else
			pass "clean: $name: \"$f\" removed"
		fi
	done
}

case_ substack-buttons substack-buttons.xml "experimental control" \
	"Subscribe now" "Leave a comment" "action=share" "utm_source" "utm_medium" "utm_content"
case_ substack-widget substack-widget.xml "States, Actions, and Rewards" \
	"Thanks for reading NeuraForge" "Subscribe for free"
case_ medium-footer medium-footer.xml "Google" \
	"was originally published in" "medium.com/_/stat" "utm_source=gdev" "source=rss"
case_ wordpress-yoast wordpress-yoast.xml "rants.org" \
	"appeared first on"
# a query that only tracks goes, the rest of it stays
grep -q 'utm_' "$WORK/medium-footer-clean"/*.md && fail "clean: utm_ queries" "left in" ||
	pass "clean: no utm_ query left in a cleaned Medium post"
finish
