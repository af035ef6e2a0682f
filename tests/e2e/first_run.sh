#!/bin/sh
# first_run.sh - a writer's first run, as issue 14 tells it: `jekyll new`
# (offline, Debian's minima), `import` of feeds with default options, the
# one warning naming the two fixes, `init`, `jekyll build`: no warnings,
# every post page has its layout and <meta charset>, the Blogger offset
# kept, and a headless Chromium screenshot of one post.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
for c in jekyll python3; do
	command -v $c >/dev/null 2>&1 || { skip "first run" "$c not installed"; finish; }
done
cd "$WORK" || exit 1
if ! timeout 120 jekyll new --skip-bundle myblog >new.log 2>&1 || ! grep -q 'theme: minima' myblog/_config.yml; then
	skip "first run" "jekyll new (with minima) does not work offline here: $(tail -2 new.log)"
	finish
fi
site=$WORK/myblog
feeds="$M2J_ROOT/fixtures/golden/medium-antlerboy.xml $M2J_ROOT/fixtures/feeds/constructs.xml
       $M2J_ROOT/fixtures/feeds/wild/rss-blogger-offset.xml $M2J_ROOT/fixtures/feeds/wild/podcast-enclosures.xml
       $M2J_ROOT/fixtures/feeds/wild/rss-undated-nothing.xml $M2J_ROOT/fixtures/feeds/wild/rss-title-markup.xml"
# shellcheck disable=SC2086
"$M2J_BIN" import $feeds -o "$site/_posts" >import.out 2>import.err
rc=$?
[ $rc -eq 0 ] && pass "first run: import with default options" || fail "first run: import" "rc=$rc $(cat import.err)"
[ "$(grep -c "layout 'post-external'" import.err)" -eq 1 ] && grep -q 'medium2jekyll init' import.err && grep -q -- '--layout post' import.err \
	&& pass "first run: one warning names the missing layout and both fixes" || fail "first run: layout warning" "$(cat import.err)"
(cd "$site" && "$M2J_BIN" init >init.out 2>&1) && pass "first run: init" || fail "first run: init" "$(cat "$site/init.out")"
[ -f "$site/_layouts/post-external.html" ] && pass "first run: init adds the post-external layout" || fail "first run: layout added" "$(ls "$site")"
(cd "$site" && jekyll build -d "$WORK/_site" >"$WORK/build.log" 2>&1)
rc=$?
[ $rc -eq 0 ] && ! grep -qi 'warn\|does not exist' "$WORK/build.log" && pass "first run: jekyll build, no warning" \
	|| fail "first run: jekyll build" "rc=$rc $(cat "$WORK/build.log")"
[ ! -e "$WORK/_site/medium2jekyll.yml" ] && pass "first run: our config is not copied into _site" || fail "first run: exclude" "$(ls "$WORK/_site")"
n=0 bad=
for f in "$site"/_posts/*.md; do
	case $f in *welcome-to-jekyll*) continue ;; esac
	n=$((n + 1))
done
pages=$(cd "$WORK/_site" && find . -name '*.html' -path '*/20*' | sort)
np=0
for p in $pages; do
	np=$((np + 1))
	grep -qi '<meta charset="utf-8"' "$WORK/_site/$p" && grep -q 'class="post-title\|class="post-header' "$WORK/_site/$p" || bad="$bad $p"
done
[ "$np" -ge "$n" ] && [ -z "$bad" ] && pass "first run: all $np post pages have minima's post layout and <meta charset>" \
	|| fail "first run: post pages" "$np pages for $n posts; without layout or charset:$bad"
ls "$site/_posts" | grep -q '^2007-12-14-' && grep -q '^date: 2007-12-14 23:15:00 -0800' "$site"/_posts/2007-12-14-*.md \
	&& pass "first run: a Blogger post keeps its day and offset" || fail "first run: Blogger offset" "$(ls "$site/_posts")"
# a screenshot, served on 127.0.0.1
CHROMIUM=
for c in chromium chromium-browser; do command -v "$c" >/dev/null 2>&1 && { CHROMIUM=$c; break; }; done
if [ -z "$CHROMIUM" ]; then
	skip "first run: screenshot" "chromium not installed"
	finish
fi
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$WORK/_site" >http.log 2>&1 </dev/null &
SERVER_PID=$!
port= i=0
while [ -z "$port" ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
	port=$(sed -n 's/^Serving HTTP on [0-9.]* port \([0-9][0-9]*\).*/\1/p' http.log | head -1)
done
ref=$(echo "$pages" | grep 'we-can-level-up' | head -1)
shot=$WORK/post.png
ud=$(mktemp -d "$WORK/chrome.XXXXXX")
timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync --disable-extensions \
	--hide-scrollbars --no-proxy-server --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' \
	--user-data-dir="$ud" --screenshot="$shot" --window-size=1000,1200 \
	"http://127.0.0.1:$port/${ref#./}" >/dev/null 2>chrome.log
magic=$(od -An -tx1 -N8 "$shot" 2>/dev/null | tr -d ' \n')
[ "$magic" = 89504e470d0a1a0a ] && [ "$(wc -c <"$shot")" -gt 5000 ] \
	&& pass "first run: a screenshot of the reference post in the new site ($(wc -c <"$shot") bytes)" \
	|| fail "first run: screenshot" "$(tail -3 chrome.log)"
[ -n "${M2J_SCREENSHOT:-}" ] && cp "$shot" "$M2J_SCREENSHOT"
finish
