#!/bin/sh
# Hostile and pathological feeds: entities, DTDs, depth, titles, encodings,
# truncation, full disks, symlinks, size.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
gen="$WORK/gen"
python3 "$M2J_ROOT/tests/e2e/gen_feeds.py" "$gen" || { fail "hostile: generate feeds" "python3 failed"; finish; }
start_server "$gen"
sed "s|@SERVER@|$SERVER_URL|" "$gen/dtd.xml.in" >"$gen/dtd.xml"

imp() { # imp NAME FEED [options]: import into $WORK/NAME
	n=$1 f=$2
	shift 2
	"$M2J_BIN" import "$f" -o "$WORK/$n" "$@" >"$WORK/$n.out" 2>"$WORK/$n.err"
}

imp xxe "$gen/xxe.xml"
! grep -rq "root:" "$WORK/xxe" 2>/dev/null && pass "hostile: external entity not expanded" || fail "hostile: external entity not expanded" "passwd leaked"
imp dtd "$SERVER_URL/dtd.xml"
! grep -q "evil.dtd" "$SERVER_LOG" && pass "hostile: external DTD never requested" || fail "hostile: external DTD never requested" "$(cat "$SERVER_LOG")"
start=$(date +%s)
imp laughs "$gen/laughs.xml"
rc=$?
[ $(( $(date +%s) - start )) -lt 20 ] && ! grep -rq "lollollol" "$WORK/laughs" 2>/dev/null \
	&& pass "hostile: billion laughs neither expands nor hangs (rc=$rc)" || fail "hostile: billion laughs" "expanded or slow"
imp deep "$gen/deep.xml"
rc=$?
{ [ $rc -eq 1 ] && [ -s "$WORK/deep.err" ]; } || [ $rc -eq 0 ] && pass "hostile: 100,000 nested elements (rc=$rc)" || fail "hostile: 100,000 nested elements" "rc=$rc"
imp deephtml "$gen/deep-html.xml"
[ $? -eq 0 ] && [ "$(ls "$WORK/deephtml" | wc -l)" -eq 1 ] && pass "hostile: 100,000 nested HTML elements" || fail "hostile: 100,000 nested HTML elements" "$(cat "$WORK/deephtml.err")"

imp titles "$gen/titles.xml" --author 100047
rc=$?
[ $rc -eq 0 ] && pass "hostile: titles import" || fail "hostile: titles import" "rc=$rc $(cat "$WORK/titles.err")"
[ "$(ls "$WORK/titles" | wc -l)" -eq 16 ] && pass "hostile: one post per hostile title" || fail "hostile: one post per hostile title" "$(ls "$WORK/titles")"
bad=$(ls -A "$WORK/titles" | grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9-]+\.md$')
[ -z "$bad" ] && pass "hostile: every file name is date-slug.md" || fail "hostile: file names" "$bad"
# every front matter parses back to the expected keys, title a string
if command -v ruby >/dev/null 2>&1; then
	if ruby -ryaml -rdate -e '
		ok = true
		ARGV.each do |f|
			t = File.read(f)
			fm = t.split(/^---\s*$/)[1]
			h = YAML.safe_load(fm, permitted_classes: [Time, Date])
			keys = h.keys
			unless keys == %w[layout title date author original_link] && h["title"].is_a?(String) && h["author"] == 100047
				puts "#{f}: #{keys.inspect} #{h["title"].inspect}"; ok = false
			end
		end
		exit(ok ? 0 : 1)' "$WORK"/titles/*.md >"$WORK/yaml.out" 2>&1; then
		pass "hostile: every front matter reads back (Ruby YAML, as Jekyll) with the expected keys"
	else
		fail "hostile: front matter reads back" "$(head -c 600 "$WORK/yaml.out")"
	fi
else
	skip "hostile: front matter via Ruby" "ruby not installed"
fi

imp latin1 "$gen/latin1.xml"
grep -q "Café crème" "$WORK"/latin1/*.md 2>/dev/null && grep -q "naïve façade" "$WORK"/latin1/*.md \
	&& pass "hostile: ISO-8859-1 feed comes out as UTF-8" || fail "hostile: ISO-8859-1" "$(cat "$WORK"/latin1/*.md 2>&1 | head -5)"
imp badutf8 "$gen/badutf8.xml"
if [ -d "$WORK/badutf8" ] && python3 -c '
import sys
for f in sys.argv[1:]:
    open(f, "rb").read().decode("utf-8")' "$WORK"/badutf8/*.md 2>/dev/null; then
	pass "hostile: invalid UTF-8 never reaches a post"
else
	# refusing the feed is fine too, as long as it says so
	[ -s "$WORK/badutf8.err" ] && pass "hostile: invalid UTF-8 refused with a message" || fail "hostile: invalid UTF-8" "no post, no message"
fi
imp truncated "$gen/truncated.xml"
rc=$?
[ $rc -eq 1 ] && grep -q "truncated.xml" "$WORK/truncated.err" && [ -z "$(ls -A "$WORK/truncated" 2>/dev/null)" ] \
	&& pass "hostile: truncated feed is an error, nothing written" || fail "hostile: truncated feed" "rc=$rc $(cat "$WORK/truncated.err")"
imp baddate "$gen/baddate.xml"
rc=$?
[ $rc -eq 1 ] && grep -q 'bad date.*date' "$WORK/baddate.err" && [ "$(ls "$WORK/baddate" | wc -l)" -eq 1 ] \
	&& pass "hostile: a bad date fails that item only, named" || fail "hostile: bad date" "rc=$rc $(cat "$WORK/baddate.err")"

# symlink in the output folder pointing outside it
mkdir -p "$WORK/sym" "$WORK/outside"
ln -s "$WORK/outside/victim.md" "$WORK/sym/2022-02-02-good.md"
printf '%s\n' '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Good</title><link>https://e.org/g</link><pubDate>Wed, 02 Feb 2022 01:24:00 GMT</pubDate><description>x</description></item></channel></rss>' >"$gen/good.xml"
imp sym "$gen/good.xml"
[ ! -e "$WORK/outside/victim.md" ] && [ -f "$WORK/sym/2022-02-02-good-2.md" ] \
	&& pass "hostile: nothing written through a symlink" || fail "hostile: symlink" "$(ls -la "$WORK/sym" "$WORK/outside")"

# 20,000 items
start=$(date +%s)
imp many "$gen/many.xml"
rc=$?
n=$(ls "$WORK/many" | wc -l)
[ $rc -eq 0 ] && [ "$n" -eq 20000 ] && pass "hostile: 20,000 items -> 20,000 posts ($(( $(date +%s) - start )) s)" \
	|| fail "hostile: 20,000 items" "rc=$rc n=$n $(head -3 "$WORK/many.err")"

# a full disk: a small tmpfs, when we may mount one
mnt="$WORK/tiny"
mkdir -p "$mnt"
if mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
	imp tinyfs "$gen/many.xml" -o "$mnt/_posts"
	rc=$?
	leftover=$(ls -A "$mnt/_posts" | grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9-]+\.md$')
	partial=0
	for f in "$mnt"/_posts/*.md; do
		tail -c 1 "$f" | od -c | grep -q '\\n' || partial=1
	done
	[ $rc -eq 1 ] && grep -q "No space left\|disk full" "$WORK/tinyfs.err" && [ -z "$leftover" ] && [ $partial -eq 0 ] \
		&& pass "hostile: full disk: clear error, no partial or temporary file" \
		|| fail "hostile: full disk" "rc=$rc leftover=$leftover partial=$partial $(head -2 "$WORK/tinyfs.err")"
	umount "$mnt"
else
	skip "hostile: full disk" "cannot mount a tmpfs here (not root?)"
fi
finish
