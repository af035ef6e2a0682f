#!/bin/sh
# A real `jekyll build` of the example site holding our output: the golden
# feed and a feed of Liquid-looking text, kramdown syntax and every
# construct.  The build must succeed and the pages must show what the
# source HTML showed.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
if ! command -v jekyll >/dev/null 2>&1; then
	skip "jekyll site" "jekyll not installed (apt-get install jekyll)"
	finish
fi
site="$WORK/site"
cp -R "$M2J_ROOT/examples/site" "$site"
"$M2J_BIN" import "$M2J_ROOT/fixtures/golden/medium-antlerboy.xml" \
	"$M2J_ROOT/fixtures/feeds/constructs.xml" --author 100047 -o "$site/_posts" >/dev/null 2>"$WORK/err"
[ $? -eq 0 ] && pass "jekyll: import" || fail "jekyll: import" "$(cat "$WORK/err")"
if (cd "$site" && jekyll build -d "$WORK/_site" >"$WORK/build.log" 2>&1); then
	pass "jekyll: build succeeds"
else
	fail "jekyll: build succeeds" "$(tail -20 "$WORK/build.log")"
	finish
fi
ref=$(find "$WORK/_site" -path '*we-can-level-up*' -name index.html | head -1)
con=$(find "$WORK/_site" -path '*liquid-kramdown*' -name index.html | head -1)
[ -n "$ref" ] && pass "jekyll: reference post built" || fail "jekyll: reference post built" "$(find "$WORK/_site" -name index.html)"
[ -n "$con" ] && pass "jekyll: constructs post built" || { fail "jekyll: constructs post built" ""; finish; }
# text as a reader sees it (tags stripped, entities decoded)
python3 - "$con" >"$WORK/con.txt" <<'PY'
import html, re, sys
t = open(sys.argv[1], encoding="utf-8").read()
t = t.split('<div class="post-content">', 1)[1]
print(html.unescape(re.sub(r"<[^>]+>", "", t)))
PY
has() { grep -qF -- "$2" "$WORK/con.txt" && pass "jekyll: shows $1" || fail "jekyll: shows $1" "no '$2'"; }
has "Liquid output as typed" "{{ page.title }}"
has "Liquid tags as typed" "{% include note.html %}"
has "a literal endraw" "{% endraw %}"
has "Liquid in code" "{% for post in site.posts %}"
has "pipes as typed" "a | b | c"
has "kramdown IAL as typed" "{: .class}"
has "extension syntax as typed" "{::comment}"
has "abbreviation syntax as typed" "*[HTML]: abbreviation"
has "footnote syntax as typed" "[^1]"
has "math as typed" '$$x^2$$'
has "a leading colon as typed" ": not a definition"
has "typography as typed" "-- and --- and ... and << and >>"
has "literal stars" "*not emphasis*"
has "snake_case" "snake_case_name"
has "1. as text" "1. not a list"
has "# as text" "# not a heading"
grep -q '<table' "$con" && pass "jekyll: table rendered" || fail "jekyll: table rendered" ""
grep -q '<pre' "$con" && pass "jekyll: code block in <pre>" || fail "jekyll: code block in <pre>" ""
# kramdown numbers every list from 1 (it has no start attribute but an IAL,
# which CommonMark would show as text): the Markdown keeps the number for
# CommonMark readers, and the list itself must be there
grep -q '^3\. three' "$site"/_posts/*every-construct.md && grep -q '<ol' "$con" \
	&& pass "jekyll: ordered list (Markdown keeps start 3)" || fail "jekyll: ordered list" ""
grep -q '<blockquote' "$con" && pass "jekyll: block quote" || fail "jekyll: block quote" ""
grep -q '<a href="https://example.org/a_b?x=1&amp;y=2" title="A title">a link</a>' "$con" \
	&& pass "jekyll: link with title" || fail "jekyll: link with title" "$(grep -o '<a [^>]*>a link</a>' "$con")"
grep -q '<img src="https://example.org/i.png" alt="An image"' "$con" && pass "jekyll: image" || fail "jekyll: image" ""
grep -q '<h2' "$con" && grep -q '<h3' "$con" && pass "jekyll: headings" || fail "jekyll: headings" ""
grep -q '<li>nested</li>' "$con" && pass "jekyll: nested list" || fail "jekyll: nested list" "$(grep -A3 '<ul' "$con" | head)"
# the reference post
grep -qF '<li>goes *right* where' "$ref" && pass "jekyll: reference: literal asterisks" || fail "jekyll: reference: literal asterisks" "$(grep 'right' "$ref")"
grep -q 'href="https://www.linkedin.com/feed/hashtag/?keywords=community&amp;highlightedUpdateUrns' "$ref" \
	&& pass "jekyll: reference: links" || fail "jekyll: reference: links" ""
finish
