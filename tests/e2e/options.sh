#!/bin/sh
# Post options: each set of options on the fixture feeds writes exactly the
# goldens of fixtures/options/<name>/ (see its README); no option at all is
# the reference post (tests/e2e/import_golden.sh).
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
G="$M2J_ROOT/fixtures/golden/medium-antlerboy.xml"
P="$M2J_ROOT/fixtures/feeds/medium-preview.xml"
O="$M2J_ROOT/fixtures/options"

golden() { # golden NAME FEED [options]
	name=$1 feed=$2
	shift 2
	"$M2J_BIN" import "$feed" -o "$WORK/$name" -q "$@" 2>"$WORK/$name.err"
	rc=$?
	if [ $rc -eq 0 ] && diff -r "$O/$name" "$WORK/$name" >"$WORK/$name.diff" 2>&1; then
		pass "options: $name: $(ls "$WORK/$name" | wc -l) posts as the goldens"
	else
		fail "options: $name" "rc=$rc $(head -c 600 "$WORK/$name.err" "$WORK/$name.diff")"
	fi
}
golden tags-canonical "$G" --author 100047 --tags --canonical
golden clean "$G" --author 100047 --clean
golden fields "$G" --author 100047 --fields image,description,medium_id,updated
golden field "$G" --field category=writings --field lang=en
golden preview-stub "$P"

"$M2J_BIN" import "$P" -o "$WORK/skip" --member-only skip -v >/dev/null 2>"$WORK/skip.err"
[ $? -eq 0 ] && [ -z "$(ls "$WORK/skip" 2>/dev/null)" ] && grep -q "member-only preview, skipped" "$WORK/skip.err" \
	&& pass "options: --member-only skip leaves previews out, said with -v" || fail "options: --member-only skip" "$(cat "$WORK/skip.err")"
"$M2J_BIN" import "$P" -o "$WORK/stubv" -v >/dev/null 2>"$WORK/stubv.err"
grep -q "member-only preview: imported as a stub" "$WORK/stubv.err" && pass "options: -v says a preview is a stub" \
	|| fail "options: -v says a preview is a stub" "$(cat "$WORK/stubv.err")"
for f in "$O"/preview-stub/*.md; do
	tail -n 1 "$f" | grep -q '^\[Continue reading on .*\](https://' || fail "options: preview ends with a link to the rest" "$f"
done
pass "options: every preview ends with a link to the rest"

# usage errors
for bad in "--field title=x" "--field =x" "--field novalue" "--fields colour" "--member-only hide"; do
	# shellcheck disable=SC2086
	"$M2J_BIN" import "$G" -o "$WORK/bad" $bad >/dev/null 2>"$WORK/bad.err"
	[ $? -eq 2 ] && pass "options: '$bad' is a usage error" || fail "options: '$bad' is a usage error" "$(cat "$WORK/bad.err")"
done
# --json
"$M2J_BIN" import "$G" "$M2J_ROOT/fixtures/does-not-exist.xml" -o "$WORK/json" --json >"$WORK/j" 2>/dev/null
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["written"] == 2 and d["sources_failed"] == 1, d
assert [s["status"] for s in d["sources"]] == ["ok", "failed"], d' "$WORK/j" \
	&& pass "options: import --json summary" || fail "options: import --json" "$(cat "$WORK/j")"
# progress: never when stderr is not a terminal
"$M2J_BIN" import "$G" -o "$WORK/prog" 2>"$WORK/prog.err" >/dev/null
[ ! -s "$WORK/prog.err" ] && pass "options: no progress line when stderr is not a terminal" || fail "options: progress" "$(od -c "$WORK/prog.err" | head -3)"
# on a terminal: a progress line (python's pty gives the program a terminal)
python3 - "$M2J_BIN" "$G" "$WORK/pty" >"$WORK/pty.out" 2>&1 <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "import", sys.argv[2], "-o", sys.argv[3]])
out = b""
while True:
    try:
        b = os.read(fd, 4096)
    except OSError:
        break
    if not b:
        break
    out += b
os.waitpid(pid, 0)
sys.stdout.write(repr(out))
PY
grep -q 'sources, 2 posts written' "$WORK/pty.out" && pass "options: progress line on a terminal" || fail "options: progress line on a terminal" "$(cat "$WORK/pty.out")"
finish
