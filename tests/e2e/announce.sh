#!/bin/sh
# announce.sh - announcement files (config key announce:) for posts a sync
# creates: one per new post and entry, never for an update, a present post, a
# skipped item, or a second time (a failed or killed announcement is lost,
# never repeated); per-feed override and switch-off; sync --json lists them.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
www="$WORK/www"; site="$WORK/site"
mkdir -p "$www" "$site"
item() { echo "<item><title>$1</title><link>https://blog.example.org/$2</link><guid isPermaLink=\"false\">g-$2</guid><pubDate>Mon, 01 Jan 2024 1$3:00:00 GMT</pubDate><description>$4</description></item>"; }
feed() { f=$1; shift; { echo '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'; for i in "$@"; do echo "$i"; done; echo '</channel></rss>'; } >"$www/$f"; }
feed a.xml "$(item 'First “post”' one 0 body1)" "$(item 'Second' two 1 body2)"
feed b.xml "$(item 'Quiet one' three 2 body3)"
start_server "$www"
cat >"$site/medium2jekyll.yml" <<EOC
announce:
  - dir: _queue/bluesky
    template: "Check out @{author}'s new post, {title} {link}"
  - dir: _queue/mastodon
    template: "{title} ({date}) {path} {feed}"
feeds:
  - url: $SERVER_URL/a.xml
    author: 100047
  - url: $SERVER_URL/b.xml
    author: 100041
    announce: false
EOC
cd "$site" || exit 1
"$M2J_BIN" sync --json >"$WORK/j1" 2>"$WORK/e1"
rc=$?
nb=$(ls _queue/bluesky 2>/dev/null | wc -l); nm=$(ls _queue/mastodon 2>/dev/null | wc -l)
[ $rc -eq 0 ] && [ "$nb" -eq 2 ] && [ "$nm" -eq 2 ] && pass "announce: one file per new post and entry" \
	|| fail "announce: files" "rc=$rc bluesky=$nb mastodon=$nm $(cat "$WORK/e1")"
f=$(ls _queue/bluesky | head -1)
case $f in 1704103200-100047.txt) pass "announce: named <epoch of the post date>-<author>.txt" ;;
	*) fail "announce: name" "$(ls _queue/bluesky)" ;; esac
grep -qx "Check out @100047's new post, First “post” https://blog.example.org/one" "_queue/bluesky/1704103200-100047.txt" \
	&& pass "announce: template filled" || fail "announce: template" "$(cat _queue/bluesky/*)"
grep -q '_posts/2024-01-01-first-post.md' "_queue/mastodon/1704103200-100047.txt" && grep -q "$SERVER_URL/a.xml" "_queue/mastodon/1704103200-100047.txt" \
	&& pass "announce: {path} and {feed}" || fail "announce: path/feed" "$(cat _queue/mastodon/*)"
ls _queue/bluesky | grep -q 100041 && fail "announce: false switches a feed off" "$(ls _queue/bluesky)" \
	|| pass "announce: a feed with announce: false is not announced"
python3 - "$WORK/j1" <<'EOP' && pass "sync --json lists the new posts with their fields" || fail "sync --json posts" "$(cat "$WORK/j1")"
import json, sys
d = json.load(open(sys.argv[1]))
p = d["posts"]
assert len(p) == 3, p
assert {x["author"] for x in p} == {"100047", "100041"}
assert all(x["path"].startswith("_posts/") or "/_posts/" in x["path"] for x in p), p
assert all(x["link"].startswith("https://blog.example.org/") and x["date"] and x["feed"] for x in p), p
EOP
"$M2J_BIN" sync -q
[ "$(ls _queue/bluesky | wc -l)" -eq 2 ] && pass "announce: a re-run announces nothing" || fail "announce: re-run" "$(ls _queue/bluesky)"
feed a.xml "$(item 'First “post”' one 0 'body1 changed')" "$(item 'Second' two 1 body2)"
"$M2J_BIN" sync >"$WORK/o3" 2>&1
grep -q '^updated' "$WORK/o3" && [ "$(ls _queue/bluesky | wc -l)" -eq 2 ] && pass "announce: an update is not announced" \
	|| fail "announce: update" "$(cat "$WORK/o3"; ls _queue/bluesky)"
# an announcement that cannot be written is lost, never written twice
feed a.xml "$(item 'First “post”' one 0 'body1 changed')" "$(item 'Second' two 1 body2)" "$(item 'Third' four 3 body4)"
rm -rf _queue/mastodon; echo x >_queue/mastodon
"$M2J_BIN" sync >"$WORK/o4" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q 'announcement of' "$WORK/o4" && [ "$(ls _queue/bluesky | wc -l)" -eq 3 ] \
	&& pass "announce: a failed announcement is an error of the run" || fail "announce: failure" "rc=$rc $(cat "$WORK/o4")"
rm -f _queue/mastodon
"$M2J_BIN" sync -q
[ ! -e _queue/mastodon ] || [ "$(ls _queue/mastodon | wc -l)" -eq 0 ] && [ "$(ls _queue/bluesky | wc -l)" -eq 3 ] \
	&& pass "announce: never a second time after a failed run" || fail "announce: at most once" "$(ls _queue/*)"
# two posts of one author at the same second: a suffix
feed a.xml "$(item 'First “post”' one 0 'body1 changed')" "$(item 'Second' two 1 body2)" "$(item 'Third' four 3 body4)" "$(item 'Twin' five 3 body5)"
"$M2J_BIN" sync -q
[ -e "_queue/bluesky/1704114000-100047-2.txt" ] && pass "announce: a taken name gets a suffix" || fail "announce: suffix" "$(ls _queue/bluesky)"
finish
