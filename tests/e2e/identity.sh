#!/bin/sh
# identity.sh - the item pipeline's model of identity and ownership (ident.h,
# pipeline.h), end to end: every scenario of issue 12 and the cross-feed
# claims of issue 11, through import and sync against the test server.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
www="$WORK/www"
mkdir -p "$www"
start_server "$www"
n_posts() { find "$1" -name '*.md' -type f | wc -l; }

rss() { # rss FILE TITLE ITEMS...: an RSS 2.0 feed of the item snippets given
	_f=$1; shift
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo '<rss version="2.0"><channel><title>t</title><link>https://blog.example.org/</link>'
		for _i in "$@"; do echo "$_i"; done
		echo '</channel></rss>'
	} >"$_f"
}

# --- podcast: one link, three guids: three posts, each its own ----------
ep() { echo "<item><title>Episode $1</title><link>https://pod.example.org/show</link><guid isPermaLink=\"false\">pod-ep-$1</guid><pubDate>Mon, 0$1 Jan 2024 10:00:00 GMT</pubDate><description>Episode $1 notes$2</description></item>"; }
rss "$www/pod.xml" t "$(ep 1 '')" "$(ep 2 '')" "$(ep 3 '')"
out="$WORK/pod"
"$M2J_BIN" import "$SERVER_URL/pod.xml" -o "$out" -q
[ "$(n_posts "$out")" -eq 3 ] && pass "podcast: three guids with one link are three posts (import)" \
	|| fail "podcast: import" "$(ls "$out")"
"$M2J_BIN" import "$SERVER_URL/pod.xml" -o "$out" >"$WORK/o" 2>&1
[ "$(n_posts "$out")" -eq 3 ] && [ ! -s "$WORK/o" ] && pass "podcast: a re-import writes nothing" \
	|| fail "podcast: re-import" "$(cat "$WORK/o")"
site="$WORK/podsite"; mkdir -p "$site"
printf 'feeds:\n  - url: %s/pod.xml\n' "$SERVER_URL" >"$site/medium2jekyll.yml"
(cd "$site" && "$M2J_BIN" sync >"$WORK/o1" 2>&1)
[ "$(grep -c '^new ' "$WORK/o1")" -eq 3 ] && pass "podcast: sync says new three times" || fail "podcast: sync" "$(cat "$WORK/o1")"
rss "$www/pod.xml" t "$(ep 1 '')" "$(ep 2 '')" "$(ep 3 ' (corrected)')"
(cd "$site" && "$M2J_BIN" sync >"$WORK/o2" 2>&1)
f3=$(grep -l 'Episode 3' "$site"/_posts/*.md)
[ "$(grep -c '^updated ' "$WORK/o2")" -eq 1 ] && grep -q corrected "$f3" && ! grep -lq corrected $(grep -L 'Episode 3' "$site"/_posts/*.md) \
	&& pass "podcast: the changed episode updates its own post only" || fail "podcast: update" "$(cat "$WORK/o2")"

# --- no link, no guid: title and date -------------------------------------
nl() { echo "<item><title>Same title</title><pubDate>$1</pubDate><description>body $1</description></item>"; }
rss "$www/nolink.xml" t "$(nl 'Mon, 01 Jan 2024 10:00:00 GMT')" "$(nl 'Tue, 02 Jan 2024 10:00:00 GMT')"
out="$WORK/nolink"
for i in 1 2 3; do "$M2J_BIN" import "$SERVER_URL/nolink.xml" -o "$out" -q; done
[ "$(n_posts "$out")" -eq 2 ] && pass "no link, no guid: two posts after three imports" || fail "no link, no guid" "$(ls "$out")"
grep -q '^guid: ' "$out"/*.md && pass "no link, no guid: the post records the identity it was given" \
	|| fail "no link, no guid: guid recorded" "$(head -8 "$out"/*.md | head -20)"

# --- only a guid; links the URL policy drops -------------------------------
rss "$www/guidonly.xml" t \
	'<item><title>A</title><guid isPermaLink="false">42</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><description>a</description></item>' \
	'<item><title>B</title><link>javascript:alert(1)</link><pubDate>Mon, 01 Jan 2024 11:00:00 GMT</pubDate><description>b</description></item>' \
	'<item><title>C</title><link>//host.example/x</link><pubDate>Mon, 01 Jan 2024 12:00:00 GMT</pubDate><description>c</description></item>' \
	'<item><title>D</title><link>https://ex.org/a	b</link><pubDate>Mon, 01 Jan 2024 13:00:00 GMT</pubDate><description>d</description></item>'
out="$WORK/guidonly"
for i in 1 2 3; do "$M2J_BIN" import "$SERVER_URL/guidonly.xml" -o "$out" -q; done
[ "$(n_posts "$out")" -eq 4 ] && pass "a guid alone, or links the URL policy drops: one post per item after three imports" \
	|| fail "guid only / dropped links" "$(ls "$out")"
grep -q 'javascript' "$out"/*.md && fail "dropped link not written" "$(grep -l javascript "$out"/*.md)" \
	|| pass "a javascript: link is never written"

# --- a blog moves to https and new permalinks; guids unchanged -------------
mv1() { echo "<item><title>Post $1</title><link>$2/$1</link><guid isPermaLink=\"false\">blog-$1</guid><pubDate>Mon, 0$1 Jan 2024 10:00:00 GMT</pubDate><description>p$1</description></item>"; }
rss "$www/move.xml" t "$(mv1 1 http://blog.example.org/old)" "$(mv1 2 http://blog.example.org/old)"
out="$WORK/move"
"$M2J_BIN" import "$SERVER_URL/move.xml" -o "$out" -q
rss "$www/move.xml" t "$(mv1 1 https://blog.example.org/2024/new)" "$(mv1 2 https://blog.example.org/2024/new)"
"$M2J_BIN" import "$SERVER_URL/move.xml" -o "$out" >"$WORK/o" 2>&1
[ "$(n_posts "$out")" -eq 2 ] && [ ! -s "$WORK/o" ] && pass "a move to https and new permalinks writes nothing again" \
	|| fail "blog move" "$(ls "$out"; cat "$WORK/o")"

# --- one folder, spelled two ways -------------------------------------------
site="$WORK/spell"; mkdir -p "$site"
printf 'feeds:\n  - url: %s/move.xml\n' "$SERVER_URL" >"$site/medium2jekyll.yml"
(cd "$site" && "$M2J_BIN" sync -q)
rss "$www/move.xml" t "$(mv1 1 https://blog.example.org/2024/new)" \
	"$(echo "<item><title>Post 2</title><link>https://blog.example.org/2024/new/2</link><guid isPermaLink=\"false\">blog-2</guid><pubDate>Mon, 02 Jan 2024 10:00:00 GMT</pubDate><description>p2 changed</description></item>")"
(cd / && "$M2J_BIN" sync -c "$site/medium2jekyll.yml" >"$WORK/o" 2>&1)
grep -q '^updated ' "$WORK/o" && ! grep -q 'edited' "$WORK/o" && grep -q 'p2 changed' "$site"/_posts/*post-2.md \
	&& pass "sync -c /abs/path updates what sync from the site folder wrote" || fail "sync -c abs" "$(cat "$WORK/o")"

# --- state lost, then the item changes twice: never 'edited by hand' --------
rm -f "$site/.medium2jekyll-state.yml"
for v in A B; do
	rss "$www/move.xml" t "$(mv1 1 https://blog.example.org/2024/new)" \
		"$(echo "<item><title>Post 2</title><link>https://blog.example.org/2024/new/2</link><guid isPermaLink=\"false\">blog-2</guid><pubDate>Mon, 02 Jan 2024 10:00:00 GMT</pubDate><description>p2 version $v</description></item>")"
	(cd "$site" && "$M2J_BIN" sync -v >"$WORK/lost$v" 2>&1)
done
! grep -q 'edited by hand' "$WORK/lostA" "$WORK/lostB" && grep -q 'no record' "$WORK/lostA" \
	&& [ "$(n_posts "$site/_posts")" -eq 2 ] \
	&& pass "a lost state: a changed post is left alone and said why, never called edited" \
	|| fail "lost state" "$(cat "$WORK/lostA" "$WORK/lostB")"
(cd "$site" && "$M2J_BIN" sync --force -q)
grep -q 'p2 version B' "$site"/_posts/*post-2.md && pass "a lost state: --force rewrites it" || fail "lost state --force" ""

# --- a post of any size is indexed -----------------------------------------
out="$WORK/big"; mkdir -p "$out"
rss "$www/big.xml" t '<item><title>Big</title><link>https://ex.org/big</link><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><description>x</description></item>'
{ printf -- '---\nlayout: post\ntitle: Big\noriginal_link: https://ex.org/big\n---\n'; head -c 9000000 /dev/zero | tr '\0' 'a'; } >"$out/2024-01-01-big.md"
"$M2J_BIN" import "$SERVER_URL/big.xml" -o "$out" -q
[ "$(n_posts "$out")" -eq 1 ] && pass "a 9 MB post is indexed: not written again" || fail "big post indexed" "$(ls "$out")"

# --- stale temporaries go at the start of every run --------------------------
touch "$out/.m2j-999999-1.tmp"
"$M2J_BIN" import "$SERVER_URL/big.xml" -o "$out" -q
[ ! -e "$out/.m2j-999999-1.tmp" ] && pass "a dead run's temporary file is removed by a run with nothing new" \
	|| fail "stale tmp" "$(ls -a "$out")"

# --- one lock per output folder ---------------------------------------------
python3 - "$out" "$WORK/locked" <<'EOF' &
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(3)
EOF
lp=$!
i=0; while [ ! -e "$WORK/locked" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
"$M2J_BIN" import "$SERVER_URL/big.xml" -o "$out" >"$WORK/o" 2>&1
rc=$?
[ $rc -eq 3 ] && grep -q 'another run is writing' "$WORK/o" && pass "import into a folder another run writes exits 3" \
	|| fail "lock: import" "rc=$rc $(cat "$WORK/o")"
"$M2J_BIN" import "$SERVER_URL/big.xml" -o "$out" --wait -q
rc=$?
[ $rc -eq 0 ] && pass "--wait waits for the lock" || fail "lock: --wait" "rc=$rc"
wait $lp

# --- the state file ---------------------------------------------------------
site="$WORK/st"; mkdir -p "$site"
printf 'state: .m2j/state.yml\nfeeds:\n  - url: %s/big.xml\n' "$SERVER_URL" >"$site/medium2jekyll.yml"
(cd "$site" && "$M2J_BIN" sync -q)
[ -f "$site/.m2j/state.yml" ] && pass "state: its folder is created" || fail "state folder" "$(ls -a "$site")"
sed -i 's/^version: .*/version: 99/' "$site/.m2j/state.yml"
cp "$site/.m2j/state.yml" "$WORK/newer"
(cd "$site" && "$M2J_BIN" sync >"$WORK/o" 2>&1)
rc=$?
[ $rc -ne 0 ] && cmp -s "$site/.m2j/state.yml" "$WORK/newer" && grep -q newer "$WORK/o" \
	&& pass "state: a newer version is refused and never overwritten" || fail "state newer" "rc=$rc $(cat "$WORK/o")"
rm "$site/.m2j/state.yml"; mkfifo "$site/.m2j/state.yml"
(cd "$site" && timeout 10 "$M2J_BIN" sync >"$WORK/o" 2>&1)
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] && [ -p "$site/.m2j/state.yml" ] && grep -q 'not a regular file' "$WORK/o" \
	&& pass "state: a FIFO is refused at once, left as it is" || fail "state fifo" "rc=$rc $(cat "$WORK/o")"
rm "$site/.m2j/state.yml"
printf 'version: 1\nfeeds:\n- url: %s/status/500\n  failures: 2147483647\n' "$SERVER_URL" >"$site/.m2j/state.yml"
printf 'state: .m2j/state.yml\nfeeds:\n  - url: %s/status/500\n' "$SERVER_URL" >"$site/medium2jekyll.yml"
(cd "$site" && "$M2J_BIN" sync -q >"$WORK/o" 2>&1)
rc=$?
[ $rc -eq 1 ] && grep -q 'failures: 2147483647' "$site/.m2j/state.yml" && grep -q 'status/500' "$WORK/o" \
	&& pass "state: the failure counter saturates (and is still reported)" || fail "failures saturate" "rc=$rc $(cat "$WORK/o")"

# --- a post belongs to the feed that wrote it --------------------------------
A='<item><title>A story</title><link>https://alice.medium.com/a-story-0123456789ab?source=rss</link><guid isPermaLink="false">https://medium.com/p/0123456789ab</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><category>x</category><description>Alice wrote this.</description></item>'
rss "$www/alice.xml" t "$A"
sed -i 's|<title>t</title>|<title>t</title><generator>Medium</generator>|' "$www/alice.xml"
rss "$www/mallory-id.xml" t '<item><title>Pwned</title><link>https://evil.example/x</link><guid isPermaLink="false">https://medium.com/p/0123456789ab</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><description>Mallory rewrote it.</description></item>'
rss "$www/mallory-link.xml" t '<item><title>Pwned</title><link>https://alice.medium.com/a-story-0123456789ab?utm_source=x</link><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><description>Mallory rewrote it.</description></item>'
rss "$www/mallory-scheme.xml" t '<item><title>Pwned</title><link>http://alice.medium.com/a-story-0123456789ab</link><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><description>Mallory rewrote it.</description></item>'
site="$WORK/claims"; mkdir -p "$site"
printf 'feeds:\n  - url: %s/alice.xml\n    author: alice\n' "$SERVER_URL" >"$site/medium2jekyll.yml"
(cd "$site" && "$M2J_BIN" sync -q)
a=$(ls "$site/_posts"/*.md)
cp "$a" "$WORK/alice-post"
for m in id link scheme; do
	printf 'feeds:\n  - url: %s/alice.xml\n    author: alice\n  - url: %s/mallory-%s.xml\n    author: mallory\n' \
		"$SERVER_URL" "$SERVER_URL" "$m" >"$site/medium2jekyll.yml"
	(cd "$site" && "$M2J_BIN" sync -v --force >"$WORK/claim-$m" 2>&1)
	cmp -s "$a" "$WORK/alice-post" && [ "$(n_posts "$site/_posts")" -eq 1 ] && grep -q "mallory-$m.xml.*alice.xml" "$WORK/claim-$m" \
		&& pass "sync: another feed claiming the post by $m is present, named with both feeds; the post is unchanged (even with --force)" \
		|| fail "sync claim by $m" "$(cat "$WORK/claim-$m")"
	"$M2J_BIN" import "$SERVER_URL/mallory-$m.xml" -o "$site/_posts" --author mallory --force >"$WORK/o" 2>&1
	cmp -s "$a" "$WORK/alice-post" && [ "$(n_posts "$site/_posts")" -eq 1 ] \
		&& pass "import --force: a claim by $m leaves the post unchanged" || fail "import claim by $m" "$(cat "$WORK/o")"
done

# --- import --force after --layout changed; never an edited post -----------
out="$WORK/force"
"$M2J_BIN" import "$SERVER_URL/move.xml" -o "$out" -q
"$M2J_BIN" import "$SERVER_URL/move.xml" -o "$out" --layout post --force >"$WORK/o" 2>&1
[ "$(grep -c '^updated ' "$WORK/o")" -eq 2 ] && [ "$(grep -l '^layout: post$' "$out"/*.md | wc -l)" -eq 2 ] \
	&& pass "import --force rewrites our posts under today's options" || fail "import --force" "$(cat "$WORK/o")"
f=$(ls "$out"/*.md | head -1)
echo "My own words." >>"$f"; cp "$f" "$WORK/ed"
"$M2J_BIN" import "$SERVER_URL/move.xml" -o "$out" --layout post-external --force >"$WORK/o" 2>&1
cmp -s "$f" "$WORK/ed" && grep -q 'left alone' "$WORK/o" && pass "import --force never rewrites an edited post" \
	|| fail "import --force edited" "$(cat "$WORK/o")"

# --- --since, --limit, --drafts ----------------------------------------------
out="$WORK/filters/_posts"
"$M2J_BIN" import "$SERVER_URL/pod.xml" -o "$out" --since 2024-01-02 -q
[ "$(n_posts "$out")" -eq 2 ] && pass "--since skips older items" || fail "--since" "$(ls "$out")"
rm -rf "$out"
"$M2J_BIN" import "$SERVER_URL/pod.xml" -o "$out" --limit 1 -q
ls "$out" | grep -q 'episode-3' && [ "$(n_posts "$out")" -eq 1 ] && pass "--limit 1 keeps the newest" || fail "--limit" "$(ls "$out")"
"$M2J_BIN" import "$SERVER_URL/pod.xml" -o "$out" --drafts -q
[ "$(n_posts "$WORK/filters/_drafts")" -eq 2 ] && ls "$WORK/filters/_drafts" | grep -qv '^20' \
	&& pass "--drafts writes into the site's _drafts (no date in the name), presence found in _posts" \
	|| fail "--drafts" "$(ls "$WORK/filters/_drafts")"
"$M2J_BIN" import "$SERVER_URL/pod.xml" -o "$out" -q
[ "$(n_posts "$out")" -eq 1 ] && pass "presence is found in _drafts too" || fail "presence in drafts" "$(ls "$out")"

# --- undated items -------------------------------------------------------------
rss "$www/undated.xml" t '<item><title>No date here</title><link>https://ex.org/nd</link><description>x</description></item>'
out="$WORK/undated"
"$M2J_BIN" import "$SERVER_URL/undated.xml" -o "$out" -v >"$WORK/o" 2>&1
rc=$?
"$M2J_BIN" import "$SERVER_URL/undated.xml" -o "$out" -q
[ $rc -eq 0 ] && [ "$(n_posts "$out")" -eq 1 ] && grep -q 'undated; dated' "$WORK/o" \
	&& pass "an undated item is imported once, and -v says where its date came from" || fail "undated" "rc=$rc $(cat "$WORK/o")"


# --- import-archive --download-images, as in import ---------------------------
arch="$WORK/arch"; mkdir -p "$arch/posts" "$www/img"
cp "$M2J_ROOT/fixtures/images/red.png" "$www/img/red.png"
cp "$M2J_ROOT"/fixtures/archive/posts/2016-10-08_*.html "$arch/posts/"
# every image from the test server (no test touches the internet)
sed -i -e "s|https://cdn-images-1.medium.com/max/800/1\*Im_rvnwtI2o6hvkvtaCq9w.jpeg|$SERVER_URL/img/red.png?ct=image/png|" \
	-e "s|https://cdn-images-1.medium.com/|$SERVER_URL/missing/|g" "$arch/posts/"*.html
out="$WORK/archsite"
"$M2J_BIN" import-archive "$arch" -o "$out/_posts" --download-images "$out/assets/img" --images-url /assets/img >"$WORK/o" 2>&1
img=$(cd "$out/assets/img" 2>/dev/null && ls red-*.png 2>/dev/null)
[ -n "$img" ] && cmp -s "$out/assets/img/$img" "$www/img/red.png" && grep -q "(/assets/img/$img)" "$out"/_posts/*.md \
	&& pass "import-archive --download-images downloads and rewrites as import does" \
	|| fail "import-archive --download-images" "$(cat "$WORK/o"; ls -R "$out" | head)"
# --- --tag: a static tag on every post, with or without --tags ---------------
out="$WORK/tagged"
"$M2J_BIN" import "$M2J_ROOT/fixtures/golden/medium-antlerboy.xml" -o "$out" -q --tag community --tag community --tags
f=$(ls "$out"/2022-02-02-*.md)
[ "$(grep -c '^- community$' "$f")" -eq 1 ] && grep -q '^- Leadership$\|^- [A-Z]' "$f" \
	&& pass "--tag adds a static tag once, beside --tags' categories" || fail "--tag" "$(sed -n 1,20p "$f")"
# --- twins: two items of one guid in a feed: the first in feed order wins,
# whether it is new or already present, run after run ---------------------
tw() { echo "<item><title>Twin</title><guid isPermaLink=\"false\">twin-1</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><description>$1 text</description></item>"; }
rss "$www/twins.xml" t "$(tw first)"
site="$WORK/twinsite"; mkdir -p "$site"
printf 'feeds:\n  - url: %s/twins.xml\n' "$SERVER_URL" >"$site/medium2jekyll.yml"
(cd "$site" && "$M2J_BIN" sync -q)
rss "$www/twins.xml" t "$(tw first)" "$(tw second)"
touch -d "@$(( $(date +%s) + 5 ))" "$www/twins.xml" # changed within the second
(cd "$site" && "$M2J_BIN" sync -v >"$WORK/t1" 2>&1)
rm -f "$site/.medium2jekyll-state.yml" # the next run decides again from the posts alone
(cd "$site" && "$M2J_BIN" sync -v >"$WORK/t2" 2>&1)
[ "$(n_posts "$site/_posts")" -eq 1 ] && grep -q 'first text' "$site"/_posts/*.md && ! grep -q '^updated' "$WORK/t1" "$WORK/t2" \
	&& grep -q 'the same item as an earlier one of this run' "$WORK/t1" "$WORK/t2" \
	&& pass "twins: a later item of the same guid never rewrites the first's post" \
	|| fail "twins" "$(cat "$WORK/t1" "$WORK/t2"; cat "$site"/_posts/*.md)"
rss "$www/twins2.xml" t "$(tw one)" "$(tw two)"
out="$WORK/twinimp"
"$M2J_BIN" import "$SERVER_URL/twins2.xml" -o "$out" -q
"$M2J_BIN" import "$SERVER_URL/twins2.xml" -o "$out" --force -q
[ "$(n_posts "$out")" -eq 1 ] && grep -q 'one text' "$out"/*.md \
	&& pass "twins: import (and import --force) writes the first only" || fail "twins: import" "$(cat "$out"/*.md)"

finish
