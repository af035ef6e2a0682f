#!/bin/sh
# import --download-images DIR --images-url PREFIX against the test server:
# images saved once, posts rewritten to the site path, a failing image left
# as its URL with a warning, a non-image (HTML, SVG) refused, the tracking
# pixel never requested, a second run downloading nothing.
# SKIP while the binary's import --help does not offer --download-images.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"

if ! "$M2J_BIN" import --help 2>&1 | grep -q -- '--download-images'; then
	skip images "import has no --download-images option yet"
	finish
fi

root="$WORK/www"
mkdir -p "$root"
cp "$M2J_ROOT"/fixtures/images/*.png "$M2J_ROOT"/fixtures/images/*.gif \
	"$M2J_ROOT"/fixtures/images/*.svg "$M2J_ROOT"/fixtures/images/*.html "$root/"
start_server "$root"
sed "s|@SERVER@|$SERVER_URL|g" "$M2J_ROOT/fixtures/images/feed.xml" >"$WORK/feed.xml"

site="$WORK/site"
img="$site/assets/img"
# count requests whose target starts with $1 in the server log
reqs() {
	awk -F '\t' -v p="$1" 'index($2, p) == 1 { n++ } END { print n + 0 }' "$SERVER_LOG"
}

# ---- first run -----------------------------------------------------------
"$M2J_BIN" import "$WORK/feed.xml" -o "$site/_posts" --download-images "$img" \
	--images-url /assets/img >"$WORK/o1" 2>"$WORK/e1"
rc=$?
[ "$rc" -eq 0 ] && pass "images: run 1 exits 0 (failed images are warnings)" ||
	fail "images: run 1 exits 0" "got $rc: $(head -c 400 "$WORK/e1")"
n=$(ls "$site/_posts" 2>/dev/null | wc -l)
[ "$n" -eq 2 ] && pass "images: two posts written" || fail "images: two posts written" "$n"
post1=$(ls "$site/_posts"/*a-post-with-pictures.md 2>/dev/null | head -1)
post2=$(ls "$site/_posts"/*the-same-picture-again.md 2>/dev/null | head -1)
[ -n "$post1" ] && [ -n "$post2" ] || fail "images: post names" "$(ls "$site/_posts")"

files=$(ls -A "$img" 2>/dev/null | wc -l)
[ "$files" -eq 3 ] && pass "images: 3 files saved (red, dot, blue), no temp file left" ||
	fail "images: 3 files saved" "$(ls -A "$img" 2>/dev/null | tr '\n' ' ')"
bad=$(ls -A "$img" 2>/dev/null | grep -v -E '^[A-Za-z0-9][A-Za-z0-9_-]*\.(png|jpg|gif|webp)$')
[ -z "$bad" ] && pass "images: safe file names with an image extension" ||
	fail "images: safe names" "$bad"
red=$(ls "$img" 2>/dev/null | grep '^red-.*\.png$')
dot=$(ls "$img" 2>/dev/null | grep '^dot-.*\.gif$')
[ -n "$red" ] && [ -n "$dot" ] && pass "images: names from the URL, extension from the type" ||
	fail "images: names" "$(ls "$img" 2>/dev/null | tr '\n' ' ')"
cmp -s "$img/$red" "$M2J_ROOT/fixtures/images/red.png" && pass "images: bytes saved intact" ||
	fail "images: bytes saved intact" "$red"

[ "$(reqs /red.png)" -eq 1 ] && pass "images: an image in two posts downloaded once" ||
	fail "images: downloaded once" "$(reqs /red.png) requests"
[ "$(reqs /dot.gif)" -eq 1 ] && pass "images: relative src resolved against the item link" ||
	fail "images: relative src" "$(reqs /dot.gif) requests"
grep -q '_/stat' "$SERVER_LOG" && fail "images: tracking pixel" "requested" ||
	pass "images: tracking pixel never requested"

if [ -n "$post1" ]; then
	grep -q -E "[(\"]/assets/img/$red[)\"]" "$post1" && pass "images: post 1 refers to the site path" ||
		fail "images: post 1 rewritten" "$(grep -n 'red' "$post1")"
	grep -q -E "[(\"]/assets/img/$dot[)\"]" "$post1" && pass "images: relative image rewritten" ||
		fail "images: relative image rewritten" "$(grep -n 'dot' "$post1")"
	grep -q -E "[(\"]$SERVER_URL/missing.png[)\"]" "$post1" && pass "images: failed image keeps its URL" ||
		fail "images: failed image keeps its URL" "$(grep -n 'gone' "$post1")"
	grep -q -E "[(\"]$SERVER_URL/page.html[)\"]" "$post1" && pass "images: refused HTML keeps its URL" ||
		fail "images: refused HTML keeps its URL" "$(grep -n 'page' "$post1")"
	grep -q -E "[(\"]$SERVER_URL/script.svg" "$post1" && pass "images: refused SVG keeps its URL" ||
		fail "images: refused SVG keeps its URL" "$(grep -n 'svg' "$post1")"
fi
if [ -n "$post2" ]; then
	grep -q -E "[(\"]/assets/img/$red[)\"]" "$post2" && pass "images: post 2 shares the same file" ||
		fail "images: post 2 rewritten" "$(grep -n 'red' "$post2")"
fi

grep -q "$SERVER_URL/missing.png.*404" "$WORK/e1" && pass "images: warning names the 404" ||
	fail "images: warning for the 404" "$(head -c 600 "$WORK/e1")"
grep -q "$SERVER_URL/page.html.*text/html" "$WORK/e1" && pass "images: warning for text/html" ||
	fail "images: warning for text/html" "$(head -c 600 "$WORK/e1")"
grep -q "$SERVER_URL/script.svg.*SVG" "$WORK/e1" && pass "images: warning for SVG" ||
	fail "images: warning for SVG" "$(head -c 600 "$WORK/e1")"
ls "$img" 2>/dev/null | grep -q -E '^(missing|page|script)' &&
	fail "images: nothing saved for refused images" "$(ls "$img")" ||
	pass "images: nothing saved for refused images"

# ---- second run, fresh posts folder, same images folder --------------------
before_red=$(reqs /red.png) before_dot=$(reqs /dot.gif) before_blue=$(reqs /blue.png)
"$M2J_BIN" import "$WORK/feed.xml" -o "$site/_posts2" --download-images "$img" \
	--images-url /assets/img >"$WORK/o2" 2>"$WORK/e2"
rc=$?
[ "$rc" -eq 0 ] && pass "images: run 2 exits 0" || fail "images: run 2 exits 0" "got $rc"
if [ "$(reqs /red.png)" -eq "$before_red" ] && [ "$(reqs /dot.gif)" -eq "$before_dot" ] &&
	[ "$(reqs /blue.png)" -eq "$before_blue" ]; then
	pass "images: a second run downloads nothing it has"
else
	fail "images: second run" "requests: $(cut -f2 "$SERVER_LOG" | tr '\n' ' ')"
fi
[ "$(ls -A "$img" | wc -l)" -eq 3 ] && pass "images: still 3 files" ||
	fail "images: still 3 files" "$(ls -A "$img" | tr '\n' ' ')"
p=$(ls "$site/_posts2"/*a-post-with-pictures.md 2>/dev/null | head -1)
[ -n "$p" ] && grep -q -E "[(\"]/assets/img/$red[)\"]" "$p" &&
	pass "images: run 2 posts refer to the files already there" ||
	fail "images: run 2 rewritten" "$p"

# ---- dry run: nothing downloaded, nothing created -------------------------
: >"$SERVER_LOG"
"$M2J_BIN" import "$WORK/feed.xml" -n -o "$site/_posts3" --download-images "$site/new-img" \
	--images-url /x >/dev/null 2>"$WORK/e3"
[ ! -e "$site/new-img" ] && [ "$(reqs /)" -eq 0 ] &&
	pass "images: dry run creates and downloads nothing" ||
	fail "images: dry run" "$(ls -A "$site") / $(cut -f2 "$SERVER_LOG" | tr '\n' ' ')"

# ---- issue 11: a polyglot is refused ---------------------------------------
printf '\211PNG\r\n\032\n<html><script>alert(1)</script></html>' >"$root/poly.png"
cat >"$WORK/poly.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Polyglot</title><link>$SERVER_URL/</link>
<item><title>A polyglot</title><link>$SERVER_URL/posts/poly</link><guid isPermaLink="false">poly-1</guid>
<pubDate>Mon, 06 Mar 2023 10:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p><img alt="p" src="$SERVER_URL/poly.png?ct=image/png"></p>]]></content:encoded></item>
</channel></rss>
EOF
"$M2J_BIN" import "$WORK/poly.xml" -o "$site/_posts4" --download-images "$site/poly-img" \
	--images-url /p >/dev/null 2>"$WORK/e4"
rc=$?
[ "$rc" -eq 0 ] && grep -q 'poly.png.*refused: the body starts as a PNG but its structure' "$WORK/e4" &&
	[ -z "$(ls -A "$site/poly-img" 2>/dev/null)" ] &&
	grep -q "($SERVER_URL/poly.png" "$site"/_posts4/*.md &&
	pass "images: a PNG signature followed by HTML is refused with a warning, URL kept" ||
	fail "images: polyglot refused" "rc=$rc $(cat "$WORK/e4") / $(ls -A "$site/poly-img" 2>/dev/null)"

# ---- issue 11: the image budget (sync: a feed of slow images beside a healthy one)
slow="$WORK/slowsite"
mkdir -p "$slow"
{
	printf '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>\n'
	printf '<title>Slow images</title><link>%s/</link>\n' "$SERVER_URL"
	printf '<item><title>Slow pictures</title><link>%s/posts/slow</link><guid isPermaLink="false">slow-1</guid>\n' "$SERVER_URL"
	printf '<pubDate>Mon, 06 Mar 2023 10:00:00 GMT</pubDate><content:encoded><![CDATA['
	i=0
	while [ $i -lt 24 ]; do
		printf '<p><img alt="s%d" src="%s/slow/red.png?s=30&amp;n=%d&amp;ct=image/png"></p>' $i "$SERVER_URL" $i
		i=$((i + 1))
	done
	printf ']]></content:encoded></item>\n</channel></rss>\n'
} >"$root/slowfeed.xml"
sed "s|@SERVER@|$SERVER_URL|g" "$M2J_ROOT/fixtures/images/feed.xml" >"$root/healthy.xml"
cat >"$slow/medium2jekyll.yml" <<EOF
timeout: 20
images: assets/img
images_url: /assets/img
feeds:
  - url: $SERVER_URL/slowfeed.xml
    image_budget: 3
  - url: $SERVER_URL/healthy.xml
EOF
t0=$(date +%s)
(cd "$slow" && "$M2J_BIN" sync >"$WORK/o5" 2>"$WORK/e5")
rc=$?
t1=$(date +%s)
el=$((t1 - t0))
[ "$rc" -eq 0 ] && pass "images budget: sync exits 0 (a spent budget is no failure)" ||
	fail "images budget: sync exits 0" "rc=$rc $(head -c 600 "$WORK/e5")"
[ "$el" -le 12 ] && pass "images budget: the run ends within the budget (${el} s for 24 images of 30 s)" ||
	fail "images budget: run time" "${el} s"
[ "$(grep -c 'image budget' "$WORK/e5")" -eq 1 ] && grep -q 'slowfeed.xml.*image budget of 3 s' "$WORK/e5" &&
	pass "images budget: one warning for the slow feed" ||
	fail "images budget: one warning" "$(cat "$WORK/e5")"
if grep 'healthy.xml' "$WORK/e5" | grep -qiE 'fail|error'; then
	fail "images budget: the healthy feed is not reported failed" "$(cat "$WORK/e5")"
else
	pass "images budget: the healthy feed is not reported failed"
fi
sp=$(ls "$slow"/_posts/*slow-pictures.md 2>/dev/null | head -1)
[ -n "$sp" ] && [ "$(grep -c "($SERVER_URL/slow/red.png" "$sp")" -eq 24 ] &&
	pass "images budget: the slow images keep their URLs" ||
	fail "images budget: slow images keep their URLs" "$sp: $(grep -c slow "$sp" 2>/dev/null)"
hp=$(ls "$slow"/_posts/*a-post-with-pictures.md 2>/dev/null | head -1)
[ -n "$hp" ] && grep -q "(/assets/img/" "$hp" &&
	pass "images budget: the healthy feed's images are downloaded" ||
	fail "images budget: healthy feed's images" "$hp $(ls -A "$slow/assets/img" 2>/dev/null)"
"$M2J_BIN" import --image-budget 0 "$WORK/poly.xml" -o "$WORK/x" >/dev/null 2>"$WORK/e6"
[ $? -eq 2 ] && grep -q 'image-budget' "$WORK/e6" && pass "images budget: --image-budget 0 is a usage error" ||
	fail "images budget: --image-budget 0" "$(cat "$WORK/e6")"

finish
