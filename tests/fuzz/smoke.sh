#!/bin/sh
# smoke.sh - run each fuzz target for FUZZ_SECONDS (default 60) from a seed
# corpus built from fixtures/ (and ../shared/corpus/ when present), with
# the dictionaries of tests/fuzz/.  Fails when a target finds a crash or a
# broken property; the input is left in build/fuzz/crash-<target>-*.
# Usage: tests/fuzz/smoke.sh TARGET...   (feed html date post config)
set -u
cd "$(dirname "$0")/../.." || exit 2
secs=${FUZZ_SECONDS:-60}
shared=
for d in ../shared /work/shared; do
	[ -d "$d/corpus" ] && { shared=$d/corpus; break; }
done
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# copies files smaller than 256 KiB (libFuzzer's -max_len) into $2
seed() {
	src=$1 dst=$2
	[ -e "$src" ] || return 0
	find "$src" -type f -size -256k 2>/dev/null | head -400 | while read -r f; do
		cp "$f" "$dst/$(echo "$f" | cksum | cut -d' ' -f1)" 2>/dev/null
	done
}

# one file per line of column $3 of a TSV
seed_lines() {
	[ -f "$1" ] || return 0
	i=0
	cut -f"$3" "$1" | head -300 | while IFS= read -r l; do
		i=$((i + 1))
		printf '%s' "$l" >"$2/line$i"
	done
}

status=0
for t in "$@"; do
	bin=build/fuzz/fuzz_$t
	corp=build/fuzz/corpus-$t
	[ -x "$bin" ] || { echo "smoke: $bin missing (make fuzz)"; exit 2; }
	mkdir -p "$corp"
	[ -d "tests/fuzz/corpus/$t" ] && seed "tests/fuzz/corpus/$t" "$corp"
	[ -d "tests/fuzz/regressions/$t" ] && seed "tests/fuzz/regressions/$t" "$corp"
	case $t in
	feed)
		seed fixtures/feeds "$corp"; seed fixtures/golden "$corp"
		seed fixtures/feedparser/entries "$corp"; seed fixtures/http "$corp"
		[ -n "$shared" ] && seed "$shared/feeds" "$corp" ;;
	html)
		seed fixtures/html2md "$corp"
		[ -n "$shared" ] && seed "$shared/medium-export" "$corp" ;;
	date)
		seed_lines fixtures/feedparser/dates.tsv "$corp" 1 ;;
	post)
		seed_lines fixtures/feedparser/entries-title-link-date.tsv "$corp" 2 ;;
	config)
		seed fixtures/config "$corp"; [ -f medium2jekyll.example.yml ] && cp medium2jekyll.example.yml "$corp/example" ;;
	esac
	dict=
	[ -f "tests/fuzz/$t.dict" ] && dict=-dict=tests/fuzz/$t.dict
	echo "== fuzz $t: ${secs}s, $(ls "$corp" | wc -l) seeds"
	"$bin" $dict -max_total_time="$secs" -max_len=262144 -timeout=20 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="build/fuzz/crash-$t-" "$corp" \
		>"build/fuzz/smoke-$t.log" 2>&1
	rc=$?
	grep -E '^#[0-9]+.*(DONE|cov:)' "build/fuzz/smoke-$t.log" | tail -1
	grep -E '^stat::number_of_executed_units' "build/fuzz/smoke-$t.log"
	if [ "$rc" -ne 0 ]; then
		echo "FAIL: fuzz $t (exit $rc), see build/fuzz/smoke-$t.log:"
		grep -E 'ERROR|property broken|SUMMARY|Test unit written' "build/fuzz/smoke-$t.log" | head -5
		status=1
	else
		echo "PASS: fuzz $t"
	fi
done
exit $status
