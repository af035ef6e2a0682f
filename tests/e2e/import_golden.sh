#!/bin/sh
# The reference post: importing the golden feed with --author 100047 writes
# the reference file (front matter byte for byte, body line for line modulo
# leading and trailing spaces), the technical post, skips the response; a
# second run writes nothing and exits 0.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
feed="$M2J_ROOT/fixtures/golden/medium-antlerboy.xml"
want="$M2J_ROOT/fixtures/golden/2022-02-02-we-can-level-up-by-transforming-commissioning.md"
out="$WORK/posts"

"$M2J_BIN" import "$feed" --author 100047 -o "$out" >"$WORK/stdout" 2>"$WORK/stderr"
rc=$?
[ $rc -eq 0 ] && pass "golden: import exits 0" || fail "golden: import exits 0" "rc=$rc: $(cat "$WORK/stderr")"
got="$out/2022-02-02-we-can-level-up-by-transforming-commissioning.md"
if [ -f "$got" ]; then
	pass "golden: reference file name"
	fm_end=$(grep -n '^---$' "$want" | sed -n 2p | cut -d: -f1)
	head -n "$fm_end" "$want" >"$WORK/fm.want"
	head -n "$fm_end" "$got" >"$WORK/fm.got"
	if cmp -s "$WORK/fm.want" "$WORK/fm.got"; then
		pass "golden: front matter byte for byte"
	else
		fail "golden: front matter byte for byte" "$(diff "$WORK/fm.want" "$WORK/fm.got")"
	fi
	tail -n "+$((fm_end + 1))" "$want" | sed 's/^[ \t]*//; s/[ \t]*$//' >"$WORK/body.want"
	tail -n "+$((fm_end + 1))" "$got" | sed 's/^[ \t]*//; s/[ \t]*$//' >"$WORK/body.got"
	if cmp -s "$WORK/body.want" "$WORK/body.got"; then
		pass "golden: body line for line"
	else
		fail "golden: body line for line" "$(diff "$WORK/body.want" "$WORK/body.got" | head -20)"
	fi
else
	fail "golden: reference file name" "$(ls "$out" 2>&1)"
fi
n=$(ls "$out" | wc -l)
[ "$n" -eq 2 ] && pass "golden: two posts (response skipped)" || fail "golden: two posts (response skipped)" "$(ls "$out")"
ls "$out" | grep -q '^2022-02-03-syncing-a-medium-feed-into-jekyll-notes-from-the-cron-job\.md$' \
	&& pass "golden: technical post written" || fail "golden: technical post written" "$(ls "$out")"
grep -c '^wrote ' "$WORK/stdout" | grep -qx 2 && pass "golden: one line per post written" \
	|| fail "golden: one line per post written" "$(cat "$WORK/stdout")"

# second run: nothing written, exit 0, silent
before=$(ls -l --time-style=+%s.%N "$out" | md5sum)
"$M2J_BIN" import "$feed" --author 100047 -o "$out" >"$WORK/stdout2" 2>"$WORK/stderr2"
rc=$?
after=$(ls -l --time-style=+%s.%N "$out" | md5sum)
[ $rc -eq 0 ] && pass "golden: second run exits 0" || fail "golden: second run exits 0" "rc=$rc"
[ "$before" = "$after" ] && pass "golden: second run writes nothing" || fail "golden: second run writes nothing" "folder changed"
[ ! -s "$WORK/stdout2" ] && [ ! -s "$WORK/stderr2" ] && pass "golden: second run is silent" \
	|| fail "golden: second run is silent" "$(cat "$WORK/stdout2" "$WORK/stderr2")"

# -v names the skipped response
"$M2J_BIN" import "$feed" -v -o "$out" >/dev/null 2>"$WORK/stderr3"
grep -q 'Agreed, and the same holds.*response' "$WORK/stderr3" && pass "golden: -v reports the response" \
	|| fail "golden: -v reports the response" "$(cat "$WORK/stderr3")"
# --include-responses imports it
"$M2J_BIN" import "$feed" --include-responses -o "$out" >/dev/null 2>&1
ls "$out" | grep -q 'agreed-and-the-same-holds' && pass "golden: --include-responses imports the response" \
	|| fail "golden: --include-responses imports the response" "$(ls "$out")"
# an edited post is never overwritten, and is still present
printf 'edited by a person\n' >>"$got"
cp "$got" "$WORK/edited"
"$M2J_BIN" import "$feed" --author 100047 -o "$out" >/dev/null 2>&1
cmp -s "$got" "$WORK/edited" && pass "golden: edited post left alone" || fail "golden: edited post left alone" "changed"
# renamed by a person: still present (decided by original_link, not the name)
mv "$got" "$out/2022-02-02-renamed.md"
"$M2J_BIN" import "$feed" --author 100047 -o "$out" >"$WORK/stdout4" 2>&1
[ ! -s "$WORK/stdout4" ] && pass "golden: renamed post still present" || fail "golden: renamed post still present" "$(cat "$WORK/stdout4")"
finish
