#!/bin/sh
# import against the test HTTP server on 127.0.0.1: statuses, redirects,
# limits, encodings, stalls; each failure names the source and the problem,
# exits 1, and leaves no file behind.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
root="$WORK/www"
mkdir -p "$root"
cp "$M2J_ROOT/fixtures/golden/medium-antlerboy.xml" "$root/feed.xml"
start_server "$root"

# run NAME EXPECTED_RC STDERR_PATTERN URL [options...]: import into a fresh
# folder; check the status, the message, and that nothing is left on failure
run() {
	name=$1 want=$2 pat=$3
	shift 3
	out="$WORK/out-$name"
	rm -rf "$out"
	"$M2J_BIN" import "$@" -o "$out" >"$WORK/o" 2>"$WORK/e"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "http: $name: exit $want" "got $rc: $(head -c 300 "$WORK/e")"
		return
	fi
	if [ -n "$pat" ] && ! grep -q -- "$pat" "$WORK/e"; then
		fail "http: $name: message" "no '$pat' in: $(head -c 300 "$WORK/e")"
		return
	fi
	if [ "$want" -ne 0 ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
		fail "http: $name: nothing left behind" "$(ls -A "$out")"
		return
	fi
	pass "http: $name"
}

run success 0 "" "$SERVER_URL/feed.xml" --author 100047
[ "$(ls "$WORK/out-success" | wc -l)" -eq 2 ] && pass "http: success: two posts" || fail "http: success: two posts" "$(ls "$WORK/out-success")"
grep -q 'ua=medium2jekyll/' "$SERVER_LOG" && pass "http: User-Agent medium2jekyll/VERSION" || fail "http: User-Agent" "$(tail -1 "$SERVER_LOG")"
run 404 1 "404" "$SERVER_URL/status/404"
run 500 1 "500" "$SERVER_URL/status/500"
run 429 1 "429" "$SERVER_URL/status/429?retry-after=1"
run redirect-chain 0 "" "$SERVER_URL/redirect/3?to=/feed.xml"
run too-many-redirects 1 "redirect" "$SERVER_URL/redirect/6?to=/feed.xml"
run redirect-loop 1 "redirect" "$SERVER_URL/loop"
run redirect-to-file 1 "protocol" "$SERVER_URL/to-file"
run over-limit-length 1 "exceeds" "$SERVER_URL/big?kb=200" --max-size 100k
run over-limit-chunked 1 "exceeds" "$SERVER_URL/big?kb=200&nolength=1" --max-size 100k
run gzip 0 "" "$SERVER_URL/gzip/feed.xml"
run gzip-bomb 1 "exceeds" "$SERVER_URL/gzipbomb?mb=64" --max-size 1M
run stall 1 "imed out\|timeout" "$SERVER_URL/stall" --timeout 2
run html-page 1 "not a feed" "$SERVER_URL/html"
run empty-body 1 "empty\|not a feed" "$SERVER_URL/empty"
run refused 1 "127.0.0.1" "http://127.0.0.1:1/feed.xml" --connect-timeout 2
run unknown-scheme 1 "scheme" "ftp://127.0.0.1/feed.xml"
run file-url 0 "" "file://$root/feed.xml"
run stdin-missing-file 1 "No such file" "$WORK/does-not-exist.xml"

# one failing source does not stop the others, and both are counted
out="$WORK/out-mixed"
"$M2J_BIN" import "$SERVER_URL/status/500" "$SERVER_URL/feed.xml" -o "$out" >/dev/null 2>"$WORK/e"
rc=$?
[ $rc -eq 1 ] && [ "$(ls "$out" | wc -l)" -eq 2 ] && grep -q "status/500" "$WORK/e" \
	&& pass "http: a failing source does not stop the next" \
	|| fail "http: a failing source does not stop the next" "rc=$rc $(cat "$WORK/e")"

# stdin
"$M2J_BIN" import - -o "$WORK/out-stdin" <"$root/feed.xml" >/dev/null 2>&1 \
	&& [ "$(ls "$WORK/out-stdin" | wc -l)" -eq 2 ] && pass "http: stdin source" || fail "http: stdin source" ""
# dry run writes nothing
"$M2J_BIN" import "$root/feed.xml" -n -o "$WORK/out-dry" >"$WORK/o" 2>&1
[ ! -e "$WORK/out-dry" ] && grep -q "would write" "$WORK/o" && pass "http: --dry-run writes nothing" \
	|| fail "http: --dry-run writes nothing" "$(cat "$WORK/o")"
# usage errors exit 2
"$M2J_BIN" import >/dev/null 2>&1; [ $? -eq 2 ] && pass "cli: no source is a usage error" || fail "cli: no source is a usage error" ""
"$M2J_BIN" import --bogus x >/dev/null 2>&1; [ $? -eq 2 ] && pass "cli: unknown option is a usage error" || fail "cli: unknown option" ""
"$M2J_BIN" import x --timeout abc >/dev/null 2>&1; [ $? -eq 2 ] && pass "cli: bad --timeout is a usage error" || fail "cli: bad --timeout" ""
"$M2J_BIN" --version | grep -q '^medium2jekyll [0-9]' && pass "cli: --version" || fail "cli: --version" ""
"$M2J_BIN" import --help | grep -q -- '--max-size' && pass "cli: import --help" || fail "cli: import --help" ""
finish
