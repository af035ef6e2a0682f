#!/bin/sh
# HTML nested past libxml2's depth limit (issue 13): convert and import keep
# the text after the deep part and say so once on stderr.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
python3 -c "print('<p>before</p>' + '<div>' * 300 + 'deep' + '</div>' * 300 + '<p>after</p>')" \
	>"$WORK/deep.html"
"$M2J_BIN" convert "$WORK/deep.html" >"$WORK/deep.md" 2>"$WORK/deep.err"
rc=$?
if [ $rc -eq 0 ] && grep -q '^after$' "$WORK/deep.md" && grep -q '^deep$' "$WORK/deep.md"; then
	pass "deep: convert keeps the deep text and what follows"
else
	fail "deep: convert keeps the deep text and what follows" "rc=$rc $(cat "$WORK/deep.md")"
fi
[ "$(grep -c 'nested more than 200 elements deep' "$WORK/deep.err")" -eq 1 ] &&
	pass "deep: convert warns once" || fail "deep: convert warns once" "$(cat "$WORK/deep.err")"
{
	echo '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Deep</title>'
	echo '<link>https://example.org/deep</link><pubDate>Mon, 01 Jan 2024 00:00:00 +0000</pubDate><description><![CDATA['
	cat "$WORK/deep.html"
	echo ']]></description></item></channel></rss>'
} >"$WORK/deep.xml"
"$M2J_BIN" import "$WORK/deep.xml" -o "$WORK/posts" >/dev/null 2>"$WORK/imp.err"
rc=$?
if [ $rc -eq 0 ] && grep -q '^after$' "$WORK/posts"/*.md &&
	grep -q 'item "Deep": HTML nested more than 200' "$WORK/imp.err"; then
	pass "deep: import writes the whole post and warns, naming the item"
else
	fail "deep: import writes the whole post and warns" "rc=$rc $(cat "$WORK/imp.err")"
fi
finish
