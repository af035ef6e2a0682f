#!/bin/sh
# Feeds in the wild (issue 16) and dates as the author saw them (issue 14),
# through import: fixtures/feeds/wild/*.xml become the posts a reader of
# feedparser's documentation expects.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
wild="$M2J_ROOT/fixtures/feeds/wild"

# run NAME FEED [OPTIONS...]: import FEED into $WORK/NAME; sets rc
run() {
	_n=$1
	_f=$2
	shift 2
	"$M2J_BIN" import "$wild/$_f" -o "$WORK/$_n" "$@" >"$WORK/$_n.out" 2>"$WORK/$_n.err"
	rc=$?
}

# has NAME FILE LINE: FILE (in $WORK/NAME) holds the exact line LINE
has() {
	if [ -f "$WORK/$1/$2" ] && grep -qxF -- "$3" "$WORK/$1/$2"; then
		pass "$1: $2 has [$3]"
	else
		fail "$1: $2 has [$3]" "$(ls "$WORK/$1" 2>&1; cat "$WORK/$1/$2" 2>&1 | head -20)"
	fi
}

run blogger rss-blogger-offset.xml --fields updated
[ $rc -eq 0 ] && pass "blogger: exit 0" || fail "blogger: exit 0" "rc=$rc $(cat "$WORK/blogger.err")"
has blogger 2007-12-14-late-night-post.md "date: 2007-12-14 23:15:00 -0800"
has blogger 2007-12-14-late-night-post.md "updated: 2007-12-15 09:30:00 -0800"

run podcast podcast-enclosures.xml
[ $rc -eq 0 ] && pass "podcast: exit 0" || fail "podcast: exit 0" "rc=$rc $(cat "$WORK/podcast.err")"
has podcast 2024-01-01-episode-1.md \
	'<audio src="https://cdn.example.org/ep1.mp3?a=1&amp;b=&quot;2&quot;" controls></audio>'
p2=2024-01-08-episode-2-video-relative-and-a-pdf.md
grep -q 'video src="https://pod.example.org/media/ep2.mp4"' "$WORK/podcast/$p2" 2>/dev/null \
	&& pass "podcast: relative video enclosure resolved and shown" \
	|| fail "podcast: relative video enclosure resolved and shown" "$(cat "$WORK/podcast/$p2" 2>&1)"
grep -q 'https://cdn.example.org/ep2.pdf' "$WORK/podcast/$p2" 2>/dev/null \
	&& pass "podcast: other enclosure linked" || fail "podcast: other enclosure linked" ""
if grep -q 'javascript\|ftp:' "$WORK/podcast/$p2" 2>/dev/null; then
	fail "podcast: javascript: and ftp: enclosures dropped" "$(cat "$WORK/podcast/$p2")"
else
	pass "podcast: javascript: and ftp: enclosures dropped"
fi
n=$(grep -c 'ep3.ogg' "$WORK/podcast/2024-01-15-episode-3-the-body-already-plays-it.md" 2>/dev/null)
[ "$n" = 1 ] && pass "podcast: an enclosure the body plays is not added twice" \
	|| fail "podcast: an enclosure the body plays is not added twice" "count=$n"

run control rss-control-char.xml
[ $rc -eq 0 ] && pass "control: a feed with 0x08 is read" || fail "control: a feed with 0x08 is read" "rc=$rc $(cat "$WORK/control.err")"
[ "$(ls "$WORK/control" 2>/dev/null | wc -l)" -eq 2 ] && pass "control: every item" \
	|| fail "control: every item" "$(ls "$WORK/control" 2>&1)"
has control 2024-01-01-backspace-in-a-title.md "  Backspace in a title"

run relative rss-relative-links.xml
has relative 2013-01-30-relative-post.md "original_link: https://blog.example.org/blog/2013/01/30/post"
grep -q '(https://blog.example.org/images/a.png)' "$WORK/relative/2013-01-30-relative-post.md" 2>/dev/null \
	&& pass "relative: body URLs resolved against the feed's self link" \
	|| fail "relative: body URLs resolved against the feed's self link" \
	"$(cat "$WORK/relative/2013-01-30-relative-post.md" 2>&1)"

run guid rss-guid-not-permalink.xml
if grep -q '^original_link:.*p=10[12]' "$WORK"/guid/*.md 2>/dev/null; then
	fail "guid: isPermaLink=false is never the original_link" "$(grep original_link "$WORK"/guid/*.md)"
else
	pass "guid: isPermaLink=false is never the original_link"
fi
has guid 2024-01-01-ispermalink-true.md "original_link: https://guids.example.org/103"

run titles rss-title-markup.xml
has titles 2024-03-04-sunny-flat-4300-3bd-1930ft2.md '  Sunny flat $4300 3bd 1930ft2'

run undated rss-undated-channel.xml
[ $rc -eq 1 ] && pass "undated: the unreadable date is an error (exit 1)" \
	|| fail "undated: the unreadable date is an error (exit 1)" "rc=$rc"
grep -q 'item "Unreadable date": unreadable date "the day after tomorrow"' "$WORK/undated.err" \
	&& pass "undated: the error names the item and the date" \
	|| fail "undated: the error names the item and the date" "$(cat "$WORK/undated.err")"
has undated 2024-01-05-no-date-of-its-own.md "date: 2024-01-05 12:00:00 +0100"
has undated 2024-01-03-its-own-date.md "date: 2024-01-03 08:00:00 +0000"

run entities rss091-netscape-entities.xml
if grep -q 'not defined\|Entity' "$WORK/entities.err"; then
	fail "entities: &eacute; under the Netscape DTD is not refused" "$(cat "$WORK/entities.err")"
else
	pass "entities: &eacute; under the Netscape DTD is not refused"
fi
finish
