#!/bin/sh
# `status`: one line per feed from the state sync keeps (ok, failing,
# FAILING, never fetched; last success, failures in a row, last error,
# validators, posts), exit 1 once a feed failed failures_before_report runs
# in a row, --json, control characters of a hostile state escaped, exit 2
# without a config.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
www="$WORK/www"
python3 "$M2J_ROOT/tests/gen_medium_feeds.py" "$www" 1 2 1 || { fail "status: generate feeds" ""; finish; }
start_server "$www"
site="$WORK/site"
mkdir -p "$site"
cd "$site" || exit 1
ok="$SERVER_URL/feed-0.xml"
down="$SERVER_URL/status/500"
printf 'failures_before_report: 2\ntimeout: 5\nfeeds:\n  - url: %s\n  - url: %s\n    output: other\n' "$ok" "$down" >medium2jekyll.yml

"$M2J_BIN" status >"$WORK/o" 2>"$WORK/e"
rc=$?
[ $rc -eq 0 ] && grep -qxF "$ok: never fetched" "$WORK/o" && pass "status: before any sync, every feed never fetched (exit 0)" \
	|| fail "status: before any sync" "rc=$rc $(cat "$WORK/o" "$WORK/e")"

"$M2J_BIN" sync -q >/dev/null 2>&1
"$M2J_BIN" status >"$WORK/o" 2>"$WORK/e"
rc=$?
today=$(date -u +%Y-%m-%d)
grep -q "^$ok: ok; last success $today; 0 failures in a row; validators etag, last-modified; 2 posts in _posts\$" "$WORK/o" \
	&& pass "status: a healthy feed: last success, validators, its posts" || fail "status: healthy feed" "$(cat "$WORK/o")"
grep -qF "$down: failing; last success never; 1 failure in a row; last error: HTTP 500 from $down; validators none; 0 posts in other" "$WORK/o" \
	&& [ $rc -eq 0 ] && pass "status: a first failure is 'failing', below failures_before_report: exit 0" \
	|| fail "status: first failure" "rc=$rc $(cat "$WORK/o")"

"$M2J_BIN" sync -q >/dev/null 2>&1
"$M2J_BIN" status >"$WORK/o" 2>"$WORK/e"
rc=$?
[ $rc -eq 1 ] && grep -qF "$down: FAILING; last success never; 2 failures in a row;" "$WORK/o" \
	&& grep -qx '2 feeds: 1 ok, 0 failing, 1 FAILING (2+ failures in a row), 0 never fetched' "$WORK/o" \
	&& pass "status: failed failures_before_report runs in a row: FAILING, exit 1" || fail "status: FAILING" "rc=$rc $(cat "$WORK/o")"

"$M2J_BIN" status --json >"$WORK/j" 2>"$WORK/e"
rc=$?
python3 - "$WORK/j" "$ok" "$down" <<'PY' && [ $rc -eq 1 ] && pass "status --json: the same, as JSON" || fail "status --json" "rc=$rc $(cat "$WORK/j")"
import json, sys
d = json.load(open(sys.argv[1]))
f = {x["url"]: x for x in d["feeds"]}
a, b = f[sys.argv[2]], f[sys.argv[3]]
assert a["state"] == "ok" and a["etag"] and a["last_modified"] and a["posts"] == 2 and a["failures"] == 0
assert b["state"] == "FAILING" and b["failing"] and b["failures"] == 2 and b["last_success"] is None
assert b["last_error"].startswith("HTTP 500") and d["FAILING"] == 1
PY

# a hostile state: escape sequences and a newline in an error
python3 - .medium2jekyll-state.yml <<'PY'
import sys
p = sys.argv[1]
t = open(p).read().replace("last_error: HTTP 500", 'last_error: "\\e[2J\\e]0;owned\\a\\nforged: line\\u0085 HTTP 500', 1)
t = t.replace("/status/500\n  failures: 2", "/status/500\n  failures: 2", 1)
lines = t.split("\n")
lines = [l + '"' if l.startswith('  last_error: "') else l for l in lines]
open(p, "w").write("\n".join(lines))
PY
"$M2J_BIN" status >"$WORK/o" 2>"$WORK/e"
rc=$?
if [ $rc -eq 1 ] && ! grep -q "$(printf '\033')" "$WORK/o" && ! grep -q "$(printf '\007')" "$WORK/o" \
	&& [ "$(wc -l <"$WORK/o")" -eq 3 ] && grep -qF 'last error: \x1b[2J\x1b]0;owned\x07\x0aforged: line\x85 HTTP 500' "$WORK/o"; then
	pass "status: control characters from the state escaped (\\xNN), one line per feed"
else
	fail "status: control characters escaped" "rc=$rc $(od -c "$WORK/o" | head -20) $(cat "$WORK/e")"
fi

# a feed added to the config since the last sync
printf '  - url: %s/feed-9.xml\n' "$SERVER_URL" >>medium2jekyll.yml
"$M2J_BIN" status >"$WORK/o" 2>&1
grep -qxF "$SERVER_URL/feed-9.xml: never fetched" "$WORK/o" && pass "status: a feed the state does not know yet: never fetched" \
	|| fail "status: new feed" "$(cat "$WORK/o")"

mkdir -p "$WORK/empty"
cd "$WORK/empty" || exit 1
"$M2J_BIN" status >"$WORK/o" 2>"$WORK/e"
rc=$?
[ $rc -eq 2 ] && grep -q 'medium2jekyll init' "$WORK/e" && pass "status: no config: exit 2, names init" || fail "status: no config" "rc=$rc $(cat "$WORK/e")"
"$M2J_BIN" status extra >/dev/null 2>"$WORK/e"
[ $? -eq 2 ] && pass "status: an operand is a usage error" || fail "status: operand" "$(cat "$WORK/e")"
finish
