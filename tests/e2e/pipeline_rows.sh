#!/bin/sh
# pipeline_rows.sh - the rows of issue 12's table, through every command
# that has them: one item pipeline means import, sync and import-archive
# now behave alike (member-only stub note, presence before building, a full
# disk stops the run and says how many items were not written).
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
www="$WORK/www"; mkdir -p "$www"
cp "$M2J_ROOT/fixtures/feeds/medium-preview.xml" "$www/preview.xml"
python3 "$M2J_ROOT/tests/e2e/gen_feeds.py" "$WORK/gen" >/dev/null 2>&1 && cp "$WORK/gen/many.xml" "$www/many.xml"
start_server "$www"

# member-only previews: the same stub, and the same note, from import and sync
"$M2J_BIN" import "$SERVER_URL/preview.xml" -o "$WORK/imp" -v >"$WORK/i.out" 2>&1
site="$WORK/site"; mkdir -p "$site"
printf 'feeds:\n  - url: %s/preview.xml\n' "$SERVER_URL" >"$site/medium2jekyll.yml"
(cd "$site" && "$M2J_BIN" sync -v >"$WORK/s.out" 2>&1)
grep -q 'imported as a stub' "$WORK/i.out" && grep -q 'imported as a stub' "$WORK/s.out" \
	&& pass "member-only stub: import and sync say so alike" || fail "member-only stub note" "$(cat "$WORK/s.out")"
diff -r "$WORK/imp" "$site/_posts" >/dev/null && pass "member-only stub: import and sync write the same posts" \
	|| fail "member-only stub posts" "$(diff -r "$WORK/imp" "$site/_posts" | head -5)"

# presence before building: an item whose post is there is present, even when
# building it would fail (an unreadable date)
cat >"$www/baddate.xml" <<'EOX'
<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Here already</title><link>https://ex.org/here</link><pubDate>the day after tomorrow</pubDate><description>x</description></item>
</channel></rss>
EOX
mkdir -p "$WORK/pre"
printf -- '---\ntitle: Here already\noriginal_link: https://ex.org/here\n---\nmine\n' >"$WORK/pre/2024-01-01-here.md"
"$M2J_BIN" import "$SERVER_URL/baddate.xml" -o "$WORK/pre" -v >"$WORK/p.out" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q 'already present' "$WORK/p.out" && pass "import: presence is decided before building" \
	|| fail "import: presence before building" "rc=$rc $(cat "$WORK/p.out")"

# a full disk: import and sync stop, say how many items were not written,
# leave no partial or temporary file
mnt="$WORK/tiny"; mkdir -p "$mnt"
if [ -f "$www/many.xml" ] && mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
	for cmd in import sync; do
		rm -rf "$mnt"/* "$mnt"/.[!.]* 2>/dev/null
		if [ $cmd = import ]; then
			"$M2J_BIN" import "$SERVER_URL/many.xml" -o "$mnt/_posts" -q >"$WORK/f.out" 2>&1
		else
			printf 'feeds:\n  - url: %s/many.xml\n' "$SERVER_URL" >"$mnt/medium2jekyll.yml"
			(cd "$mnt" && "$M2J_BIN" sync -q >"$WORK/f.out" 2>&1)
		fi
		rc=$?
		left=$(ls -A "$mnt/_posts" 2>/dev/null | grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9-]+\.md$')
		[ $rc -eq 1 ] && grep -q 'more item(s) not written: the disk is full' "$WORK/f.out" && [ -z "$left" ] \
			&& pass "$cmd: a full disk stops the run, says how many items were not written, leaves nothing half" \
			|| fail "$cmd: full disk" "rc=$rc left=$left $(head -3 "$WORK/f.out")"
	done
	umount "$mnt"
else
	skip "full disk" "cannot mount a tmpfs here (not root?)"
fi
finish
