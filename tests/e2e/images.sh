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

finish
