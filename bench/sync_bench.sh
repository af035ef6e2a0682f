#!/bin/sh
# sync_bench.sh [FEEDS] [ITEMS] [KB] - the sync benchmark: FEEDS Medium-like
# feeds (default 1000) of ITEMS items (10) of about KB kilobytes of HTML (10)
# on a local test server; a cold sync, then a no-op sync (all 304).  Prints
# wall time, CPU time, peak memory and requests made, and ratios against a
# baseline measured in the same run: curl fetching the same URLs with the
# same parallelism (the network floor).  Not part of `make check`.
set -u
cd "$(dirname "$0")/.."
M2J_ROOT=$PWD
. tests/e2e/lib.sh
n=${1:-1000} items=${2:-10} kb=${3:-10}
bin=$M2J_ROOT/build/medium2jekyll
[ -x "$bin" ] || { echo "build first: make" >&2; exit 1; }
echo "generating $n feeds x $items items x ${kb} KB ..."
python3 tests/gen_medium_feeds.py "$WORK/www" "$n" "$items" "$kb"
start_server "$WORK/www"
site="$WORK/site"
mkdir -p "$site"
{
	echo "feeds:"
	i=0
	while [ $i -lt "$n" ]; do echo "  - url: $SERVER_URL/feed-$i.xml"; echo "    author: $i"; i=$((i + 1)); done
} >"$site/medium2jekyll.yml"
i=0
while [ $i -lt "$n" ]; do echo "url = \"$SERVER_URL/feed-$i.xml\""; echo "output = \"$WORK/curl/$i.xml\""; i=$((i + 1)); done >"$WORK/curl.cfg"
mkdir -p "$WORK/curl"

measure() { python3 "$M2J_ROOT/bench/measure.py" "$@"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print('%.2fx' % (a/b if b else 0))" "$1" "$2"; }

: >"$SERVER_LOG"
base=$(measure curl -s --parallel --parallel-max 8 -K "$WORK/curl.cfg")
base_req=$(wc -l <"$SERVER_LOG")
: >"$SERVER_LOG"
cold=$(cd "$site" && measure "$bin" sync -q)
cold_req=$(wc -l <"$SERVER_LOG")
: >"$SERVER_LOG"
noop=$(cd "$site" && measure "$bin" sync -q)
noop_req=$(wc -l <"$SERVER_LOG")
posts=$(ls "$site/_posts" | wc -l)

echo
printf '%-34s %s requests=%s\n' "baseline: curl --parallel-max 8" "$base" "$base_req"
printf '%-34s %s requests=%s posts=%s\n' "cold sync ($n feeds)" "$cold" "$cold_req" "$posts"
printf '%-34s %s requests=%s\n' "no-op sync (all 304)" "$noop" "$noop_req"
echo
echo "cold sync wall / curl wall:  $(ratio "$(field "$cold" wall)" "$(field "$base" wall)")"
echo "no-op sync wall / curl wall: $(ratio "$(field "$noop" wall)" "$(field "$base" wall)")"
echo "targets (2-core machine): no-op < 1 s, cold < 15 s, peak memory < 100 MB"
