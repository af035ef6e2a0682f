# lib.sh - helpers for the end-to-end scripts (POSIX sh).  Source it first:
#   . "$M2J_ROOT/tests/e2e/lib.sh"
#
# Sets: set -u, LC_ALL=C.UTF-8, $M2J_ROOT (repo root) and $M2J_BIN (binary
# under test, default build/san/medium2jekyll), $WORK (a fresh temp dir
# removed on exit).
# Functions:
#   start_server ROOT  start tests/server.py serving ROOT on 127.0.0.1 (free
#                      port); sets $SERVER_URL (http://127.0.0.1:PORT),
#                      $SERVER_LOG (request log, see server.py) and
#                      $SERVER_PID.  Prints SKIP and exits 0 when python3 is
#                      missing; FAIL and exits 1 when it does not come up.
#   stop_server        stop it (also done on exit).
#   pass NAME / fail NAME DETAIL / skip NAME WHY
#                      print "PASS: NAME", "FAIL: NAME: DETAIL",
#                      "SKIP: NAME: WHY"; fail also counts into $FAILED.
#   finish             exit 1 when anything failed, else 0.
set -u
export LC_ALL=C.UTF-8

if [ -z "${M2J_ROOT:-}" ]; then
	M2J_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
fi
export M2J_ROOT
M2J_BIN=${M2J_BIN:-$M2J_ROOT/build/san/medium2jekyll}
export M2J_BIN

FAILED=0
SERVER_PID=
SERVER_URL=
SERVER_LOG=
WORK=$(mktemp -d "${TMPDIR:-/tmp}/m2j-e2e.XXXXXX") || {
	echo "FAIL: lib.sh: mktemp -d failed"
	exit 1
}

pass() {
	echo "PASS: $1"
}

fail() {
	echo "FAIL: $1: ${2:-}"
	FAILED=$((FAILED + 1))
}

skip() {
	echo "SKIP: $1: ${2:-}"
}

finish() {
	[ "$FAILED" -eq 0 ]
	exit $?
}

stop_server() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=
	fi
}

lib_cleanup() {
	stop_server
	rm -rf "$WORK"
}
trap 'lib_cleanup' EXIT
trap 'lib_cleanup; exit 130' INT
trap 'lib_cleanup; exit 143' TERM

start_server() {
	_root=$1
	if ! command -v python3 >/dev/null 2>&1; then
		skip "$(basename "$0" .sh)" "python3 not found, cannot start the test server"
		exit 0
	fi
	stop_server
	_pf="$WORK/server.port"
	rm -f "$_pf"
	SERVER_LOG="$WORK/server.log"
	: >"$SERVER_LOG"
	python3 "$M2J_ROOT/tests/server.py" --root "$_root" --port-file "$_pf" \
		--log "$SERVER_LOG" </dev/null &
	SERVER_PID=$!
	_i=0
	while [ ! -s "$_pf" ]; do
		_i=$((_i + 1))
		if [ "$_i" -gt 100 ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
			fail "start_server" "tests/server.py did not start"
			SERVER_PID=
			exit 1
		fi
		sleep 0.1
	done
	SERVER_URL="http://127.0.0.1:$(cat "$_pf")"
	export SERVER_URL SERVER_LOG
}
