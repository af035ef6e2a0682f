#!/bin/sh
# run.sh - run every unit test binary and end-to-end script; each prints
# "PASS: ..." / "FAIL: ..." / "SKIP: ..." lines.  A program that dies without
# reporting counts as one failure.  Ends with "N passed, N failed".
# Usage: tests/run.sh [PATTERN]   (only tests whose name contains PATTERN)
# M2J_JOBS=N runs N tests side by side (default: one per core); each test
# has its own folders and server port, and the report is printed test by
# test in the order they start, whatever order they end in.
set -u
cd "$(dirname "$0")/.." || exit 2
if [ "${1:-}" = --one ]; then
	# --one LOG NAME CMD...: run one test; its output to LOG/NAME.out, then
	# "RC SECONDS" to LOG/NAME.rc (renamed into place: the report waits
	# for it)
	log=$2 name=$3; shift 3
	t0=$(date +%s)
	"$@" >"$log/$name.out" 2>&1 </dev/null
	rc=$?
	echo "$rc $(( $(date +%s) - t0 ))" >"$log/$name.rc.tmp"
	mv "$log/$name.rc.tmp" "$log/$name.rc"
	exit 0
fi
pat=${1:-}
export M2J_BIN=${M2J_BIN:-$PWD/build/san/medium2jekyll}
export M2J_ROOT=$PWD
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LC_ALL=C.UTF-8
# tests that run make (deb, install) start as from a shell, not as children
# of `make -j2 check`, whose jobserver they cannot reach
unset MAKEFLAGS MFLAGS MAKELEVEL
jobs=${M2J_JOBS:-$(nproc 2>/dev/null || echo 1)}
log=$(mktemp -d)
runner=
trap '[ -n "$runner" ] && kill "$runner" 2>/dev/null; rm -rf "$log"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The list, "NAME COMMAND..." per line.  The longest runs (fault injection
# tries thousands of runs) go first, so that the others fill the other
# cores meanwhile.
list=$log/list
: >"$list"
add() {
	case $1 in *"$pat"*) echo "$*" >>"$list" ;; esac
}
for t in fault_sync fault_injection deb; do
	[ -f "tests/e2e/$t.sh" ] && add "$t" sh "tests/e2e/$t.sh"
done
for t in build/san/test_*; do
	[ -x "$t" ] && add "${t##*/}" "$t"
done
for t in tests/e2e/*.sh; do
	n=$(basename "$t" .sh)
	case " lib fault_sync fault_injection deb " in *" $n "*) continue ;; esac
	add "$n" sh "$t"
done

xargs -P "$jobs" -L 1 sh tests/run.sh --one "$log" <"$list" &
runner=$!

passed=0 failed=0 skipped=0
report() { # NAME: once its .rc is there
	name=$1 out="$log/$1.out"
	while [ ! -f "$log/$name.rc" ]; do
		kill -0 "$runner" 2>/dev/null || [ -f "$log/$name.rc" ] || {
			echo "FAIL: $name did not run" >>"$out"; echo "1 0" >"$log/$name.rc"; }
		sleep 0.2
	done
	read -r rc secs <"$log/$name.rc"
	p=$(grep -c '^PASS: ' "$out")
	f=$(grep -c '^FAIL: ' "$out")
	s=$(grep -c '^SKIP: ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $name exited $rc without reporting a failure" >>"$out"
		f=1
	fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then
		echo "== $name: $p passed, $f failed (${secs} s)"
		grep -v '^PASS: ' "$out" | head -60
	else
		echo "== $name: $p passed${s:+, $s skipped} (${secs} s)" | sed 's/, 0 skipped//'
		grep '^SKIP: ' "$out"
	fi
}
while read -r name _; do
	report "$name"
done <"$list"
wait "$runner" 2>/dev/null
runner=
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
