#!/bin/sh
# Issue 11 part 4 (the lead's item pipeline): a post
# belongs to the feed that wrote it.  Member B's feed (fixtures/crossfeed/
# b.xml) claims member A's post by its Medium id, by its link with a
# tracking query and by its link over http; with sync and with import into
# the folder sync manages, A's post must stay byte for byte, and -v names
# both feeds.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
fx="$M2J_ROOT/fixtures/crossfeed"
site="$WORK/site"
mkdir -p "$site"
cp "$fx/a.xml" "$fx/b.xml" "$WORK/"
printf 'feeds:\n  - url: file://%s/a.xml\n' "$WORK" >"$site/medium2jekyll.yml"
(cd "$site" && "$M2J_BIN" sync >"$WORK/o1" 2>"$WORK/e1")
a=$(ls "$site"/_posts/*alice-s-own-post*.md 2>/dev/null | head -1)
[ -n "$a" ] && pass "cross feed: A's post written" || { fail "cross feed: A's post" "$(cat "$WORK/e1")"; finish; }
cp "$a" "$WORK/a.before"
printf 'feeds:\n  - url: file://%s/a.xml\n  - url: file://%s/b.xml\n' "$WORK" "$WORK" >"$site/medium2jekyll.yml"
(cd "$site" && "$M2J_BIN" sync -v >"$WORK/o2" 2>"$WORK/e2")
cmp -s "$a" "$WORK/a.before" && pass "cross feed: sync leaves A's post byte for byte" ||
	fail "cross feed: sync leaves A's post" "$(diff "$WORK/a.before" "$a" | head -10)"
grep -q 'a.xml' "$WORK/e2" && grep -q 'b.xml' "$WORK/e2" && grep -qi 'already present' "$WORK/e2" &&
	pass "cross feed: -v names both feeds" || fail "cross feed: -v names both feeds" "$(cat "$WORK/e2")"
"$M2J_BIN" import "$WORK/b.xml" -o "$site/_posts" >"$WORK/o3" 2>"$WORK/e3"
cmp -s "$a" "$WORK/a.before" && pass "cross feed: import into sync's folder leaves A's post" ||
	fail "cross feed: import leaves A's post" "$(diff "$WORK/a.before" "$a" | head -10)"
finish
