#!/bin/sh
# The command line: every command of the main help has --help and
# `help CMD` (the same text, exit 0), --version, usage errors (exit 2);
# sync without a config names `medium2jekyll init`; sync --check says ok;
# the summary line (with -v; never with -q or off a terminal without -v;
# "nothing new" on a re-run); no message says a word twice.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
B=$M2J_BIN
"$B" --help >"$WORK/main.help" 2>&1
cmds=$(sed -n '/^Commands:/,/^$/p' "$WORK/main.help" | awk 'NR > 1 && NF { print $1 }')
[ "$(echo "$cmds" | wc -w)" -ge 4 ] && pass "cli: main help lists the commands" \
	|| fail "cli: main help lists the commands" "$cmds"
for c in $cmds; do
	"$B" "$c" --help >"$WORK/h1.$c" 2>"$WORK/h1err.$c"; rc=$?
	[ $rc -eq 0 ] && [ ! -s "$WORK/h1err.$c" ] && head -1 "$WORK/h1.$c" | grep -q "^Usage: medium2jekyll $c" \
		&& pass "cli: $c --help" || fail "cli: $c --help" "exit $rc: $(head -2 "$WORK/h1.$c" "$WORK/h1err.$c")"
	"$B" "$c" -h >"$WORK/h0.$c" 2>&1
	cmp -s "$WORK/h0.$c" "$WORK/h1.$c" && pass "cli: $c -h" || fail "cli: $c -h" "differs from --help"
	"$B" help "$c" >"$WORK/h2.$c" 2>&1; rc=$?
	[ $rc -eq 0 ] && cmp -s "$WORK/h1.$c" "$WORK/h2.$c" && pass "cli: help $c" \
		|| fail "cli: help $c" "exit $rc: $(head -2 "$WORK/h2.$c")"
	out=$("$B" "$c" --version 2>&1); rc=$?
	[ $rc -eq 0 ] && echo "$out" | grep -qxE 'medium2jekyll [0-9]+\.[0-9]+\.[0-9]+' \
		&& pass "cli: $c --version" || fail "cli: $c --version" "exit $rc: $out"
	"$B" "$c" --no-such-option >/dev/null 2>"$WORK/bad.$c"; rc=$?
	[ $rc -eq 2 ] && grep -q "Try 'medium2jekyll $c --help'" "$WORK/bad.$c" \
		&& pass "cli: $c unknown option exits 2" || fail "cli: $c unknown option exits 2" "exit $rc: $(cat "$WORK/bad.$c")"
done
out=$("$B" --version 2>&1); [ $? -eq 0 ] && [ -n "$out" ] && pass "cli: --version" || fail "cli: --version" "$out"
"$B" help >"$WORK/h.help" 2>&1; rc=$?
[ $rc -eq 0 ] && cmp -s "$WORK/h.help" "$WORK/main.help" && pass "cli: help" || fail "cli: help" "exit $rc"
"$B" help no-such >/dev/null 2>"$WORK/e"; [ $? -eq 2 ] && pass "cli: help of an unknown command exits 2" \
	|| fail "cli: help of an unknown command exits 2" "$(cat "$WORK/e")"
"$B" frobnicate >/dev/null 2>"$WORK/e"; [ $? -eq 2 ] && pass "cli: unknown command exits 2" \
	|| fail "cli: unknown command exits 2" "$(cat "$WORK/e")"
"$B" >/dev/null 2>"$WORK/e"; [ $? -eq 2 ] && pass "cli: no command exits 2" || fail "cli: no command exits 2" "$(cat "$WORK/e")"
"$B" import >/dev/null 2>"$WORK/e.import"; [ $? -eq 2 ] && pass "cli: import without SOURCE exits 2" \
	|| fail "cli: import without SOURCE exits 2" "$(cat "$WORK/e.import")"
"$B" import-archive >/dev/null 2>"$WORK/e.archive"; [ $? -eq 2 ] && pass "cli: import-archive without ARCHIVE exits 2" \
	|| fail "cli: import-archive without ARCHIVE exits 2" "$(cat "$WORK/e.archive")"
# import-archive --help: no option twice, nothing "not supported"
dup=$(grep -oE '^ +(-[a-z], )?--[a-z-]+' "$WORK/h1.import-archive" | sed 's/.*--/--/' | sort | uniq -d)
[ -z "$dup" ] && pass "cli: import-archive --help lists no option twice" || fail "cli: import-archive --help lists no option twice" "$dup"
"$B" import-archive "$M2J_ROOT/fixtures/nonexistent.zip" --download-images "$WORK/i" >/dev/null 2>"$WORK/e.dl"
grep -qi 'not supported' "$WORK/e.dl" && fail "cli: import-archive --download-images accepted" "$(cat "$WORK/e.dl")" \
	|| pass "cli: import-archive --download-images accepted"
# import's new options: parsed (values checked), not usage errors
for a in "--since 2024-01-31" "--since=Wed, 31 Jan 2024 10:00:00 GMT" "--limit 3" "--force" "--drafts" "--tag news"; do
	case $a in
		--since=*) "$B" import -n "$a" "$M2J_ROOT/fixtures/golden/medium-antlerboy.xml" >/dev/null 2>"$WORK/e" ;;
		# shellcheck disable=SC2086
		*) "$B" import -n $a --tag "two words" "$M2J_ROOT/fixtures/golden/medium-antlerboy.xml" >/dev/null 2>"$WORK/e" ;;
	esac
	rc=$?
	[ $rc -ne 2 ] && pass "cli: import $a" || fail "cli: import $a" "$(cat "$WORK/e")"
done
for a in "--since yesterday" "--limit 0" "--limit x" "--tag="; do
	"$B" import -n $a "$M2J_ROOT/fixtures/golden/medium-antlerboy.xml" >/dev/null 2>"$WORK/e"
	[ $? -eq 2 ] && pass "cli: import $a is a usage error" || fail "cli: import $a is a usage error" "$(cat "$WORK/e")"
done
# sync without a config; sync --check
mkdir -p "$WORK/nocfg"
(cd "$WORK/nocfg" && "$B" sync >/dev/null 2>"$WORK/e.sync"); rc=$?
[ $rc -eq 2 ] && grep -q 'medium2jekyll init' "$WORK/e.sync" && grep -q 'medium2jekyll.yml' "$WORK/e.sync" \
	&& pass "cli: sync without a config exits 2 naming init" || fail "cli: sync without a config exits 2 naming init" "exit $rc: $(cat "$WORK/e.sync")"
printf 'feeds:\n  - url: file:///nonexistent/a.xml\n  - medium: someone\n' >"$WORK/c.yml"
out=$("$B" sync --check -c "$WORK/c.yml" 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "ok: $WORK/c.yml, 2 feeds" ] && pass "cli: sync --check says ok" \
	|| fail "cli: sync --check says ok" "exit $rc: $out"
# the summary: -v shows it, -q and a pipe without -v do not; a re-run says nothing new
feed="$M2J_ROOT/fixtures/golden/medium-antlerboy.xml"
"$B" import "$feed" -o "$WORK/p" -v >/dev/null 2>"$WORK/s1"
grep -qE '^medium2jekyll: import: [0-9]+ written' "$WORK/s1" && pass "cli: import -v ends with a summary" \
	|| fail "cli: import -v ends with a summary" "$(tail -2 "$WORK/s1")"
"$B" import "$feed" -o "$WORK/p" -v >/dev/null 2>"$WORK/s2"
grep -qE '^medium2jekyll: import: nothing new \([0-9]+ already present\)' "$WORK/s2" && pass "cli: re-run says nothing new" \
	|| fail "cli: re-run says nothing new" "$(tail -2 "$WORK/s2")"
"$B" import "$feed" -o "$WORK/p" >/dev/null 2>"$WORK/s3"
grep -q 'import:' "$WORK/s3" && fail "cli: no summary off a terminal without -v" "$(cat "$WORK/s3")" \
	|| pass "cli: no summary off a terminal without -v"
if command -v script >/dev/null 2>&1; then
	script -qec "'$B' import '$feed' -o '$WORK/p' -q" /dev/null >"$WORK/s4" 2>&1
	grep -q 'nothing new' "$WORK/s4" && fail "cli: no summary with -q on a terminal" "$(cat "$WORK/s4")" \
		|| pass "cli: no summary with -q on a terminal"
	script -qec "'$B' import '$feed' -o '$WORK/p'" /dev/null >"$WORK/s5" 2>&1
	grep -q 'import: nothing new' "$WORK/s5" && pass "cli: summary on a terminal" \
		|| fail "cli: summary on a terminal" "$(cat "$WORK/s5")"
else
	skip "cli: summary on a terminal" "no script(1)"
fi
# sync's summary
mkdir -p "$WORK/site"
printf 'feeds:\n  - url: file://%s\n' "$feed" >"$WORK/site/medium2jekyll.yml"
(cd "$WORK/site" && "$B" sync -v >/dev/null 2>"$WORK/s6" && "$B" sync -v >/dev/null 2>"$WORK/s7")
grep -qE '^medium2jekyll: sync: 1 feed\(s\): [0-9]+ written' "$WORK/s6" && grep -q '^medium2jekyll: sync: .*nothing new' "$WORK/s7" \
	&& pass "cli: sync -v ends with a summary" || fail "cli: sync -v ends with a summary" "$(tail -1 "$WORK/s6"; tail -1 "$WORK/s7")"
# messages never say a word twice: collect the stderr of failing runs
"$B" import http://127.0.0.1:1/feed.xml >/dev/null 2>"$WORK/m.fetch"
grep -q 'cannot fetch' "$WORK/m.fetch" && [ "$(grep -o 'http://127.0.0.1:1/feed.xml' "$WORK/m.fetch" | wc -l)" -eq 1 ] \
	&& pass "cli: unreachable feed reported, its URL once" || fail "cli: unreachable feed reported, its URL once" "$(cat "$WORK/m.fetch")"
cat >"$WORK/img.xml" <<'XML'
<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://example.invalid/</link>
<item><title>Img</title><link>http://example.invalid/a</link><guid>a1</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;x &lt;img src="http://127.0.0.1:1/pic.png"&gt;&lt;/p&gt;</description></item></channel></rss>
XML
"$B" import "$WORK/img.xml" -o "$WORK/ip" --download-images "$WORK/ip/img" --images-url /img >/dev/null 2>"$WORK/m.image"
grep -q 'warning: .*image http://127.0.0.1:1/pic.png: ' "$WORK/m.image" && pass "cli: failed image reported" || fail "cli: failed image reported" "$(cat "$WORK/m.image")"
cat "$WORK"/e* "$WORK"/bad.* "$WORK"/m.* "$WORK"/s1 "$WORK"/s2 >"$WORK/all.err"
twice=$(grep -oiE '(^|[^a-z0-9_-])([a-z][a-z0-9_-]*)[: ]+\2([^a-z0-9_-]|$)' "$WORK/all.err" | grep -viE 'medium2jekyll: medium2jekyll\.' | head -3)
[ -z "$twice" ] && pass "cli: no message says a word twice" || fail "cli: no message says a word twice" "$twice"
finish
