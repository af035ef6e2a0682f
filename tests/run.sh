#!/bin/sh
# run.sh - run every unit test binary and end-to-end script; each prints
# "PASS: ..." / "FAIL: ..." / "SKIP: ..." lines.  A program that dies without
# reporting counts as one failure.  Ends with "N passed, N failed".
# Usage: tests/run.sh [PATTERN]   (only tests whose name contains PATTERN)
set -u
cd "$(dirname "$0")/.." || exit 2
pat=${1:-}
export M2J_BIN=${M2J_BIN:-$PWD/build/san/medium2jekyll}
export M2J_ROOT=$PWD
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LC_ALL=C.UTF-8
# tests that run make (deb, install) start as from a shell, not as children
# of `make -j2 check`, whose jobserver they cannot reach
unset MAKEFLAGS MFLAGS MAKELEVEL
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
passed=0 failed=0 skipped=0
run_one() {
	name=$1; shift
	out="$log/$(echo "$name" | tr '/' '_').out"
	"$@" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^PASS: ' "$out")
	f=$(grep -c '^FAIL: ' "$out")
	s=$(grep -c '^SKIP: ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $name exited $rc without reporting a failure" >>"$out"
		f=1
	fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then
		echo "== $name: $p passed, $f failed"
		grep -v '^PASS: ' "$out" | head -60
	else
		echo "== $name: $p passed${s:+, $s skipped}" | sed 's/, 0 skipped//'
		grep '^SKIP: ' "$out"
	fi
}
for t in build/san/test_*; do
	[ -x "$t" ] || continue
	case $t in *"$pat"*) ;; *) continue ;; esac
	run_one "$(basename "$t")" "$t"
done
for t in tests/e2e/*.sh; do
	[ -f "$t" ] || continue
	[ "$(basename "$t")" = lib.sh ] && continue
	case $t in *"$pat"*) ;; *) continue ;; esac
	run_one "$(basename "$t" .sh)" sh "$t"
done
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
