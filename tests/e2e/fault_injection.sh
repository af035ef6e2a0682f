#!/bin/sh
# Fault injection: imports the golden feed into a folder holding one
# existing post (a hand-edited copy of the feed's first post) with write,
# fsync, rename, linkat, close, open and malloc failing on their Nth call
# (tests/fault/inject.c, LD_PRELOAD), for every N up to the number of calls
# a clean run makes.  Every run must:
#   - end by itself (no signal: no crash, no abort);
#   - exit 0 only when the run did everything a clean run does (the failed
#     call was one whose failure is harmless: closing a file only read,
#     syncing the folder after the post is linked), else exit non-zero with
#     an "error:" line on stderr ("out of memory" when malloc failed);
#   - leave no temporary file, no partial or duplicate post: every file is
#     the existing post, unchanged, or a post byte-identical to the clean
#     run's.
# Uses the release binary: ASan and malloc interposition do not mix.
# M2J_FAULT_STEP=K tries every Kth N only (quick local runs).
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
bin=$M2J_ROOT/build/medium2jekyll
shim=$M2J_ROOT/build/inject.so
feed=$M2J_ROOT/fixtures/golden/medium-antlerboy.xml
step=${M2J_FAULT_STEP:-1}
if [ ! -x "$bin" ] || [ ! -f "$shim" ]; then
	skip "fault injection" "build/medium2jekyll or build/inject.so missing (make unit)"
	finish
fi

# the clean run: what every run may leave behind
base=$WORK/base clean=$WORK/clean
mkdir -p "$base" "$clean"
"$bin" import "$feed" -o "$WORK/first" >/dev/null 2>&1
existing=$(ls "$WORK/first" | head -1)
{ cat "$WORK/first/$existing"; echo; echo "Edited by hand."; } >"$base/$existing"
cp -p "$base/$existing" "$clean/"
"$bin" import "$feed" -o "$clean" >/dev/null 2>"$WORK/clean.err"
rc=$?
[ $rc -eq 0 ] || { fail "fault: clean run" "rc=$rc: $(cat "$WORK/clean.err")"; finish; }
clean_list=
for p in "$clean"/*; do clean_list="$clean_list ${p##*/}"; done
[ "$(ls "$clean" | wc -l)" -ge 2 ] && pass "fault: clean run writes posts beside the existing one" ||
	fail "fault: clean run writes posts beside the existing one" "$clean_list"

# check_run FUNC N RC: the folder $WORK/w after a run (no fork but cmp)
check_run() {
	what="$1 #$2"
	if [ "$3" -ge 128 ]; then
		fail "fault: $what" "killed by signal $(($3 - 128)): $(tail -3 "$WORK/err")"
		return
	fi
	list= dirty=0
	for p in "$WORK/w"/* "$WORK/w"/.[!.]*; do
		[ -e "$p" ] || continue
		f=${p##*/}
		list="$list $f"
		[ -f "$base/$f" ] || dirty=1
		case $f in
		.m2j-*.tmp) fail "fault: $what" "temporary file $f left behind"; return ;;
		esac
		if [ ! -f "$clean/$f" ]; then
			fail "fault: $what" "unexpected file $f (rc=$3: $(head -2 "$WORK/err"))"
			return
		fi
		if ! cmp -s "$clean/$f" "$p"; then
			fail "fault: $what" "$f differs from a clean run (partial or changed)"
			return
		fi
	done
	if [ "$3" -eq 0 ]; then
		if [ "$list" != "$clean_list" ]; then
			fail "fault: $what" "exit 0 but not every post written"
			return
		fi
		zero=$((zero + 1))
		return
	fi
	if ! grep -q 'medium2jekyll: error: ' "$WORK/err"; then
		fail "fault: $what" "exit $3 without an error message"
		return
	fi
	if [ "$1" = malloc ] && ! grep -q 'out of memory' "$WORK/err"; then
		fail "fault: $what" "malloc failed but the message is not 'out of memory': $(head -1 "$WORK/err")"
		return
	fi
	failed_ok=$((failed_ok + 1))
}

reset_w() {
	rm -rf "$WORK/w"
	cp -rp "$base" "$WORK/w"
	dirty=0
}

for func in write fsync rename linkat close open malloc; do
	rm -rf "$WORK/w"
	cp -rp "$base" "$WORK/w"
	M2J_FAIL=$func M2J_FAIL_AT=0 M2J_FAIL_REPORT=$WORK/count LD_PRELOAD=$shim \
		"$bin" import "$feed" -o "$WORK/w" >/dev/null 2>&1
	total=$(cat "$WORK/count" 2>/dev/null || echo 0)
	if [ "$total" -eq 0 ]; then
		pass "fault: $func: no call in an import (nothing to inject)"
		continue
	fi
	before=$FAILED zero=0 failed_ok=0 n=1
	reset_w
	while [ $n -le "$total" ]; do
		M2J_FAIL=$func M2J_FAIL_AT=$n LD_PRELOAD=$shim \
			"$bin" import "$feed" -o "$WORK/w" >/dev/null 2>"$WORK/err"
		check_run "$func" "$n" $?
		# the existing post was compared; reset only when something was added
		[ "$dirty" -eq 0 ] || reset_w
		[ $((FAILED - before)) -ge 10 ] && { echo "(stopping $func after 10 failures)"; break; }
		n=$((n + step))
	done
	[ "$FAILED" -eq "$before" ] &&
		pass "fault: $func: $total calls, each failed in turn: $failed_ok clear errors, $zero harmless (exit 0, complete)"
done
finish
