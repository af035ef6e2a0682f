#!/bin/sh
# Fault injection for sync (tests/fault/inject.c, LD_PRELOAD): the golden
# feed through a config, into a site whose state records an earlier run and
# whose item changed (so the run updates a post, adds one and saves the
# state: its rename and state paths).  write, fsync, rename, linkat, open
# and malloc fail on their Nth call, every M2J_FAULT_STEP-th N (default 7:
# the suite stays fast; 1 tries every call).  Every run must end by itself,
# exit 0 only when it did all a clean run does, else exit non-zero with an
# error line; leave no temporary file; every post is the one before the run
# or the one a clean run writes; the state file is the old one or the new
# one, never a half; and the next clean run completes the work.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
bin=$M2J_ROOT/build/medium2jekyll
shim=$M2J_ROOT/build/inject.so
step=${M2J_FAULT_STEP:-7}
if [ ! -x "$bin" ] || [ ! -f "$shim" ]; then
	skip "fault sync" "build/medium2jekyll or build/inject.so missing (make unit)"
	finish
fi
feed=$WORK/feed.xml
base=$WORK/base
mkdir -p "$base"
cp "$M2J_ROOT/fixtures/golden/medium-antlerboy.xml" "$feed"
printf 'feeds:\n  - url: file://%s\n    author: 100047\n' "$feed" >"$base/medium2jekyll.yml"
(cd "$base" && "$bin" sync -q) || { fail "fault sync: first run" ""; finish; }
# the feed changes one item and gains one: an update and a new post
sed -i 's/absolutely critical/absolutely vital/' "$feed"
python3 - "$feed" <<'EOP'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
a = s.index("<item>"); b = s.index("</item>", a) + len("</item>")
new = s[a:b].replace("1a2b3c4d5e6f", "1a2b3c4d5e70").replace("Syncing a Medium feed", "A second post on syncing")
open(p, "w", encoding="utf-8").write(s[:a] + new + s[a:])
EOP
clean=$WORK/clean
cp -rp "$base" "$clean"
(cd "$clean" && "$bin" sync -q) || { fail "fault sync: clean run" ""; finish; }
if cmp -s "$base/.medium2jekyll-state.yml" "$clean/.medium2jekyll-state.yml"; then
	fail "fault sync: the clean run changes the state" ""
fi

check() { # FUNC N RC
	w=$WORK/w
	if [ "$3" -ge 128 ]; then fail "fault sync: $1 #$2" "killed by signal $(($3 - 128))"; return 1; fi
	for p in "$w/_posts"/* "$w/_posts"/.[!.]* "$w"/.[!.]*; do
		[ -e "$p" ] || continue
		f=${p#"$w/"}
		case $f in *.tmp) fail "fault sync: $1 #$2" "temporary file $f left"; return 1 ;; esac
		[ -d "$p" ] && continue
		if [ "$f" = .medium2jekyll-state.yml ]; then
			# the old state, the clean run's, or one recording this run's
			# failure: whole, never half written (read by ruby only when it
			# is neither of the first two: a ruby per run was most of the
			# test's time)
			cmp -s "$p" "$base/$f" || cmp -s "$p" "$clean/$f" ||
			ruby -ryaml -e 'h = YAML.safe_load(File.read(ARGV[0])); exit(h.is_a?(Hash) && h["version"] == 1 ? 0 : 1)' "$p" \
				|| { fail "fault sync: $1 #$2" "the state file does not read back"; return 1; }
			continue
		fi
		if ! cmp -s "$p" "$base/$f" 2>/dev/null && ! cmp -s "$p" "$clean/$f" 2>/dev/null; then
			fail "fault sync: $1 #$2" "$f is neither the old nor the clean run's (rc=$3)"
			return 1
		fi
	done
	if [ "$3" -eq 0 ]; then
		diff -r "$w" "$clean" >/dev/null 2>&1 || { fail "fault sync: $1 #$2" "exit 0 but not what a clean run leaves"; return 1; }
	elif ! grep -q 'medium2jekyll: error: ' "$WORK/err"; then
		fail "fault sync: $1 #$2" "exit $3 without an error message: $(head -2 "$WORK/err")"
		return 1
	fi
	# the next run completes the work
	(cd "$w" && "$bin" sync -q >/dev/null 2>&1)
	for f in "$clean/_posts"/*; do
		cmp -s "$f" "$w/_posts/${f##*/}" || { fail "fault sync: $1 #$2" "the next run did not complete ${f##*/}"; return 1; }
	done
	[ "$(ls "$w/_posts" | wc -l)" -eq "$(ls "$clean/_posts" | wc -l)" ] || { fail "fault sync: $1 #$2" "a duplicate after the next run: $(ls "$w/_posts")"; return 1; }
	return 0
}

for func in write fsync rename linkat open malloc; do
	rm -rf "$WORK/w"; cp -rp "$base" "$WORK/w"
	(cd "$WORK/w" && M2J_FAIL=$func M2J_FAIL_AT=0 M2J_FAIL_REPORT=$WORK/count LD_PRELOAD=$shim "$bin" sync -q >/dev/null 2>&1)
	total=$(cat "$WORK/count" 2>/dev/null || echo 0)
	if [ "$total" -eq 0 ]; then
		fail "fault sync: $func" "no call counted (the injection would prove nothing)"
		continue
	fi
	ok=0 bad=0 n=1
	while [ $n -le "$total" ]; do
		rm -rf "$WORK/w"; cp -rp "$base" "$WORK/w"
		(cd "$WORK/w" && M2J_FAIL=$func M2J_FAIL_AT=$n LD_PRELOAD=$shim "$bin" sync -q >/dev/null 2>"$WORK/err")
		if check "$func" "$n" $?; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
		[ $bad -ge 5 ] && break
		n=$((n + step))
	done
	[ $bad -eq 0 ] && pass "fault sync: $func: $total calls, every ${step}th failed in turn ($ok runs): nothing lost, the next run completes"
done
finish
