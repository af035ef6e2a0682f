#!/bin/sh
# sync end to end against the test server: ~50 feeds, some failing;
# conditional requests; updates that respect hand edits; a lost state; a
# killed run; two runs at once; config errors.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
www="$WORK/www"
site="$WORK/site"
mkdir -p "$site"
python3 "$M2J_ROOT/tests/gen_medium_feeds.py" "$www" 46 5 1 || { fail "sync: generate feeds" ""; finish; }
printf 'this is not a feed at all <<<' >"$www/garbage.xml"
start_server "$www"
cfg="$site/medium2jekyll.yml"
{
	echo "timeout: 2"
	echo "connect_timeout: 2"
	echo "feeds:"
	i=0
	while [ $i -lt 46 ]; do
		echo "  - url: $SERVER_URL/feed-$i.xml"
		echo "    author: $((100000 + i))"
		i=$((i + 1))
	done
	echo "  - url: $SERVER_URL/status/500"
	echo "  - url: $SERVER_URL/stall"
	echo "  - url: $SERVER_URL/garbage.xml"
	echo "  - url: $SERVER_URL/missing.xml"
	echo "  - url: $SERVER_URL/status/403"
	echo "  - url: $SERVER_URL/html"
	echo "  - url: $SERVER_URL/retry-after/feed-45.xml?n=1&status=429&after=1"
} >"$cfg"
cd "$site" || exit 1
posts() { ls "$site/_posts" 2>/dev/null | wc -l; }

"$M2J_BIN" sync >"$WORK/o1" 2>"$WORK/e1"
rc=$?
[ $rc -eq 1 ] && pass "sync: first run exits 1 (some feeds failed)" || fail "sync: first run exits 1" "rc=$rc $(head -5 "$WORK/e1")"
[ "$(posts)" -eq 230 ] && pass "sync: first run imports every reachable item (230)" || fail "sync: first run imports" "$(posts) posts"
[ "$(grep -c '^new ' "$WORK/o1")" -eq 230 ] && pass "sync: one line per new post" || fail "sync: one line per new post" "$(head -3 "$WORK/o1")"
nerr=$(grep -c 'error' "$WORK/e1")
grep -q 'status/500: failed' "$WORK/e1" && grep -q '/stall: failed' "$WORK/e1" && grep -q 'garbage.xml: failed' "$WORK/e1" \
	&& grep -q 'missing.xml: gone' "$WORK/e1" && grep -q 'status/403: blocked' "$WORK/e1" \
	&& grep -q '/html: blocked' "$WORK/e1" && [ "$nerr" -eq 6 ] \
	&& pass "sync: exactly the 6 failing feeds are named (failed, gone, blocked)" || fail "sync: failing feeds named" "$(cat "$WORK/e1")"
grep -q 'retry-after' "$WORK/e1" && fail "sync: a 429 with Retry-After is retried" "$(grep retry-after "$WORK/e1")" \
	|| pass "sync: a 429 with Retry-After is retried and succeeds (its posts already present: no duplicate)"
[ -f "$site/.medium2jekyll-state.yml" ] && pass "sync: state file written" || fail "sync: state file written" "$(ls -a "$site")"

: >"$SERVER_LOG"
"$M2J_BIN" sync >"$WORK/o2" 2>"$WORK/e2"
rc=$?
[ $rc -eq 1 ] && [ ! -s "$WORK/o2" ] && pass "sync: second run writes nothing" || fail "sync: second run writes nothing" "rc=$rc $(head -3 "$WORK/o2")"
[ "$(grep -c 'error' "$WORK/e2")" -eq 6 ] && pass "sync: second run prints only the failing feeds" || fail "sync: second run prints only the failing feeds" "$(cat "$WORK/e2")"
nc=$(awk -F '\t' '$2 ~ /^\/feed-/' "$SERVER_LOG" | wc -l)
ncond=$(awk -F '\t' '$2 ~ /^\/feed-/ && $3 != "inm=-"' "$SERVER_LOG" | wc -l)
[ "$nc" -eq 46 ] && [ "$ncond" -eq 46 ] && pass "sync: second run: every healthy feed asked conditionally (46)" \
	|| fail "sync: conditional requests" "$nc requests, $ncond conditional"

# the server changes one item: its post is rewritten in place
f3=$(ls "$site/_posts" | grep 'post-1-of-member-3\.md')
sed -i 's/Paragraph 0 of post 1 by member 3/Paragraph ZERO of post 1 by member 3 (fixed typo)/' "$www/feed-3.xml"
"$M2J_BIN" sync >"$WORK/o3" 2>"$WORK/e3"
grep -q "^updated _posts/$f3" "$WORK/o3" && grep -q 'ZERO' "$site/_posts/$f3" && [ "$(posts)" -eq 230 ] \
	&& pass "sync: a changed item is rewritten in place" || fail "sync: changed item rewritten" "$(cat "$WORK/o3") / $f3"

# a person edits a post, then the feed changes that item: the edit survives, reported once
f4=$(ls "$site/_posts" | grep 'post-2-of-member-4\.md')
echo "A note added by hand." >>"$site/_posts/$f4"
cp "$site/_posts/$f4" "$WORK/edited"
sed -i 's/Paragraph 0 of post 2 by member 4/Paragraph 0 of post 2 by member 4, revised/' "$www/feed-4.xml"
"$M2J_BIN" sync >"$WORK/o4" 2>"$WORK/e4"
cmp -s "$site/_posts/$f4" "$WORK/edited" && grep -q "edited by hand" "$WORK/e4" \
	&& pass "sync: a hand edit survives a changed item, and is reported" || fail "sync: hand edit" "$(cat "$WORK/e4")"
"$M2J_BIN" sync >"$WORK/o5" 2>"$WORK/e5"
! grep -q "edited by hand" "$WORK/e5" && pass "sync: the edit is reported once" || fail "sync: edit reported once" "$(cat "$WORK/e5")"

# the state file is lost: no duplicate
rm -f "$site/.medium2jekyll-state.yml"
"$M2J_BIN" sync >"$WORK/o6" 2>"$WORK/e6"
[ "$(posts)" -eq 230 ] && [ ! -s "$WORK/o6" ] && pass "sync: a lost state writes no duplicate" || fail "sync: lost state" "$(posts) posts; $(head -3 "$WORK/o6")"

# killed in the middle of a run: no partial or temporary file, no duplicate
rm -rf "$site/_posts" "$site/.medium2jekyll-state.yml"
"$M2J_BIN" sync >/dev/null 2>&1 &
pid=$!
i=0
while [ "$(posts)" -lt 20 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
"$M2J_BIN" sync >"$WORK/o7" 2>"$WORK/e7"
tmp=$(ls -A "$site/_posts" | grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9-]+\.md$')
[ "$(posts)" -eq 230 ] && [ -z "$tmp" ] && pass "sync: after SIGKILL the next run completes, no temp file, no duplicate" \
	|| fail "sync: after SIGKILL" "$(posts) posts; leftovers: $tmp"
ls -A "$site" | grep -q '\.tmp$' && fail "sync: no temporary state file left" "$(ls -A "$site")" || pass "sync: no temporary state file left"

# two runs at once: one runs, the other exits at once with status 3
"$M2J_BIN" sync --force >/dev/null 2>&1 &
pid=$!
sleep 0.3
"$M2J_BIN" sync >"$WORK/o8" 2>"$WORK/e8"
rc=$?
wait $pid
[ $rc -eq 3 ] && grep -q "another run is writing into _posts" "$WORK/e8" && pass "sync: a second run exits at once with status 3" \
	|| fail "sync: lock" "rc=$rc $(cat "$WORK/e8")"

# config errors: file:line:column, exit 2, nothing fetched
: >"$SERVER_LOG"
printf 'feeds:\n  - url: %s/feed-1.xml\n    colour: blue\n' "$SERVER_URL" >"$WORK/bad1.yml"
"$M2J_BIN" sync -c "$WORK/bad1.yml" >/dev/null 2>"$WORK/e9"
rc=$?
[ $rc -eq 2 ] && grep -q "bad1.yml:3:[0-9]*:.*colour" "$WORK/e9" && [ ! -s "$SERVER_LOG" ] \
	&& pass "sync: unknown key: file:line:column, exit 2, nothing fetched" || fail "sync: unknown key" "rc=$rc $(cat "$WORK/e9")"
printf 'feeds:\n  - url: [unclosed\n' >"$WORK/bad2.yml"
"$M2J_BIN" sync -c "$WORK/bad2.yml" >/dev/null 2>"$WORK/e10"
rc=$?
[ $rc -eq 2 ] && grep -q "bad2.yml:[0-9]*:[0-9]*:" "$WORK/e10" && pass "sync: YAML syntax error: file:line:column, exit 2" \
	|| fail "sync: YAML syntax error" "rc=$rc $(cat "$WORK/e10")"
"$M2J_BIN" sync --check && pass "sync: --check accepts the good config" || fail "sync: --check" ""
# --json summary
"$M2J_BIN" sync --json >"$WORK/j" 2>/dev/null
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["feeds"])==53; assert sum(f["status"]=="not-modified" for f in d["feeds"])>=46; assert sum(f["status"]=="blocked" for f in d["feeds"])==2' "$WORK/j" \
	&& pass "sync: --json summary" || fail "sync: --json summary" "$(head -c 300 "$WORK/j")"
finish
