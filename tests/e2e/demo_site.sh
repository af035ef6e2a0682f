#!/bin/sh
# `make demo`'s blog (scripts/demo.sh): it builds, its index lists every
# post with its date (in the same list item as its link), every post page
# declares its charset, and the script ends by saying how to serve it on
# 127.0.0.1 (not a file:// path).
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
if ! command -v jekyll >/dev/null 2>&1; then
	skip "demo site" "jekyll not installed (sudo scripts/deps.sh demo)"
	finish
fi
DEMO_DIR="$WORK/demo" M2J_BIN="$M2J_BIN" sh "$M2J_ROOT/scripts/demo.sh" >"$WORK/out" 2>&1
rc=$?
[ $rc -eq 0 ] && pass "demo: builds" || fail "demo: builds" "exit $rc: $(tail -5 "$WORK/out")"
grep -q "jekyll serve --host 127.0.0.1 -s $WORK/demo/site -d $WORK/demo/site/_site" "$WORK/out" \
	&& grep -q 'http://127.0.0.1:4000/' "$WORK/out" \
	&& pass "demo: says how to serve it" || fail "demo: says how to serve it" "$(tail -4 "$WORK/out")"
grep -q 'file://' "$WORK/out" && fail "demo: no file:// path" "$(grep 'file://' "$WORK/out")" \
	|| pass "demo: no file:// path"
site="$WORK/demo/site/_site"
nposts=$(ls "$WORK/demo/site/_posts" | wc -l)
pages=$(cd "$site" 2>/dev/null && find . -path './[0-9][0-9][0-9][0-9]/*' -name index.html | sort)
[ "$(echo "$pages" | grep -c .)" -eq "$nposts" ] && [ "$nposts" -gt 0 ] \
	&& pass "demo: one page per post ($nposts)" || fail "demo: one page per post" "$nposts posts, pages: $pages"
for p in $pages; do
	grep -qi '<meta charset' "$site/$p" && pass "demo: $p has <meta charset" \
		|| fail "demo: $p has <meta charset" "no charset declared"
	# the index: the list item linking to this post also shows its date
	path=${p#.}; path=${path%index.html}
	python3 - "$site/index.html" "$path" <<'PY' && pass "demo: index lists $path with its date" \
		|| fail "demo: index lists $path with its date" "$(grep -c '<li' "$site/index.html") list items"
import datetime, sys
html = open(sys.argv[1], encoding="utf-8").read()
path = sys.argv[2]
y, m, d = (int(x) for x in path.strip("/").split("/")[:3])
day = datetime.date(y, m, d)
forms = [day.isoformat(), day.strftime("%b ") + str(d) + day.strftime(", %Y")]
items = [i.split("</li>")[0] for i in html.split("<li")[1:]]
ok = any(('href="' + path + '"') in i and any(f in i for f in forms) for i in items)
sys.exit(0 if ok else 1)
PY
done
finish
