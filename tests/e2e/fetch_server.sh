# fetch_server.sh - the test server (tests/server.py) itself, through the
# curl command line: the scheme the other tests rely on, keep-alive under
# many parallel clients, validators that follow file changes, the log.
. "$(dirname "$0")/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	skip fetch_server "curl command not found"
	exit 0
fi
mkdir -p "$WORK/root"
printf '<rss version="2.0"><channel><title>t</title></channel></rss>\n' >"$WORK/root/feed.xml"
start_server "$WORK/root"

# code URL -> prints the status code
code() {
	curl -s -o /dev/null -w '%{http_code}' "$@"
}

out=$(curl -s -D "$WORK/h1" "$SERVER_URL/feed.xml")
case $out in
*'<rss version="2.0">'*) pass "server: serves a root file" ;;
*) fail "server: serves a root file" "$out" ;;
esac
etag1=$(sed -n 's/^ETag: *//Ip' "$WORK/h1" | tr -d '\r')
lm1=$(sed -n 's/^Last-Modified: *//Ip' "$WORK/h1" | tr -d '\r')
grep -qi '^Content-Type: application/xml' "$WORK/h1" &&
	pass "server: content type from the extension" ||
	fail "server: content type from the extension" "$(cat "$WORK/h1")"
[ -n "$etag1" ] && [ -n "$lm1" ] && pass "server: ETag and Last-Modified" ||
	fail "server: ETag and Last-Modified" "$(cat "$WORK/h1")"
c=$(code -H "If-None-Match: $etag1" "$SERVER_URL/feed.xml")
[ "$c" = 304 ] && pass "server: If-None-Match -> 304" || fail "server: If-None-Match -> 304" "$c"
c=$(code -H "If-Modified-Since: $lm1" "$SERVER_URL/feed.xml")
[ "$c" = 304 ] && pass "server: If-Modified-Since -> 304" || fail "server: If-Modified-Since -> 304" "$c"

printf '<rss version="2.0"><channel><title>changed</title></channel></rss>\n' >"$WORK/root/feed.xml"
c=$(code -H "If-None-Match: $etag1" "$SERVER_URL/feed.xml")
[ "$c" = 200 ] && pass "server: a changed file gets a new ETag" ||
	fail "server: a changed file gets a new ETag" "$c"

c=$(code "$SERVER_URL/missing.xml")
[ "$c" = 404 ] && pass "server: missing file 404" || fail "server: missing file 404" "$c"
c=$(code "$SERVER_URL/../../etc/passwd")
[ "$c" = 404 ] && pass "server: no escape from the root" || fail "server: no escape from the root" "$c"
c=$(code "$SERVER_URL/status/418")
[ "$c" = 418 ] && pass "server: /status/NNN" || fail "server: /status/NNN" "$c"
r=$(curl -s -L -o /dev/null -w '%{http_code} %{num_redirects}' "$SERVER_URL/redirect/4?to=/feed.xml")
[ "$r" = "200 4" ] && pass "server: /redirect/4 is 4 hops" || fail "server: /redirect/4 is 4 hops" "$r"
r=$(curl -s -o /dev/null -w '%{redirect_url}' "$SERVER_URL/to-file")
[ "$r" = "file:///etc/passwd" ] && pass "server: /to-file" || fail "server: /to-file" "$r"
r=$(curl -s --compressed "$SERVER_URL/gzip/feed.xml")
case $r in *changed*) pass "server: /gzip/PATH" ;; *) fail "server: /gzip/PATH" "$r" ;; esac
r=$(curl -s "$SERVER_URL/big?kb=100&nolength=1" | wc -c)
[ "$r" -eq 102400 ] && pass "server: chunked /big" || fail "server: chunked /big" "$r"
r=$(curl -s --compressed "$SERVER_URL/gzipbomb?mb=2" | wc -c)
[ "$r" -eq 2097152 ] && pass "server: /gzipbomb inflates" || fail "server: /gzipbomb inflates" "$r"
r=$(code -m 1 "$SERVER_URL/stall")
[ "$r" = 200 ] && pass "server: /stall sends headers then stalls" || fail "server: /stall" "$r"
r=$(code "$SERVER_URL/retry-after/feed.xml?n=1&after=2")
r2=$(code "$SERVER_URL/retry-after/feed.xml?n=1&after=2")
[ "$r $r2" = "429 200" ] && pass "server: /retry-after counts" || fail "server: /retry-after" "$r $r2"

# many parallel clients with keep-alive
i=0
: >"$WORK/urls"
while [ "$i" -lt 300 ]; do
	echo "url = \"$SERVER_URL/feed.xml?i=$i\"" >>"$WORK/urls"
	echo "output = \"/dev/null\"" >>"$WORK/urls"
	i=$((i + 1))
done
r=$(curl -s -Z --parallel-max 100 -K "$WORK/urls" -w '%{http_code}\n' | grep -c '^200$')
[ "$r" -eq 300 ] && pass "server: 300 requests, 100 in parallel" ||
	fail "server: 300 requests, 100 in parallel" "$r ok"

n=$(grep -c "$(printf '^GET\t/feed.xml?i=')" "$SERVER_LOG")
[ "$n" -eq 300 ] && pass "server: every request logged" || fail "server: every request logged" "$n"
grep -q "$(printf '^GET\t/feed.xml\tinm=%s\t' "$etag1")" "$SERVER_LOG" &&
	pass "server: log records If-None-Match" || fail "server: log records If-None-Match" ""
stop_server
finish
