#!/bin/sh
# valgrind.sh - the release binary under valgrind (memcheck): the golden
# import, a second (idempotent) run, every feed of fixtures/feeds, a
# conversion, and failing imports (malformed feed, unwritable folder).
# Exits non-zero on any memory error or definite/indirect leak.
set -u
cd "$(dirname "$0")/.." || exit 2
bin=build/medium2jekyll
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind not installed"; exit 0; }
[ -x "$bin" ] || { echo "valgrind.sh: $bin missing (make)"; exit 2; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
status=0
vg() {
	name=$1; shift
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --log-file="$work/vg.log" \
		"$bin" "$@" >/dev/null 2>"$work/err"
	rc=$?
	if [ "$rc" -eq 99 ] || [ -s "$work/vg.log" ]; then
		echo "FAIL: valgrind: $name"
		head -40 "$work/vg.log"
		status=1
	else
		echo "PASS: valgrind: $name (exit $rc)"
	fi
}
vg "golden import" import fixtures/golden/medium-antlerboy.xml --author 100047 -o "$work/posts"
vg "golden import again (all present)" import fixtures/golden/medium-antlerboy.xml -o "$work/posts"
vg "every fixture feed" import fixtures/feeds/* -o "$work/corpus"
for f in fixtures/html2md/*.html; do
	[ -f "$f" ] && { vg "convert $(basename "$f")" convert "$f"; break; }
done
printf '<rss><channel><item><title>x</title>' >"$work/bad.xml"
vg "malformed feed (fails)" import "$work/bad.xml" -o "$work/posts"
mkdir -p "$work/ro" && chmod a-w "$work/ro"
vg "read-only folder (fails unless root)" import fixtures/golden/medium-antlerboy.xml -o "$work/ro/sub"
vg "missing source (fails)" import "$work/nope.xml" -o "$work/posts"
exit $status
