#!/bin/sh
# lint.sh - static analysis, zero findings expected (`make lint`):
#   cppcheck --enable=warning,performance,portability
#   clang-tidy with the checked-in .clang-tidy (bugprone-*, cert-*,
#              clang-analyzer-*; exclusions justified there)
#   scan-build --status-bugs over a full build
# Each tool missing is reported and counted as a failure (CI installs them:
# cppcheck clang-tidy clang-tools).
set -u
cd "$(dirname "$0")/.." || exit 2
PKGS="libcurl libxml-2.0 yaml-0.1"
INC="-Iinclude $(pkg-config --cflags $PKGS 2>/dev/null)"
DEFS="-D_POSIX_C_SOURCE=200809L -DM2J_VERSION=\"0\""
status=0

pick() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 && { echo "$t"; return 0; }
	done
	return 1
}

echo "== cppcheck"
if cc=$(pick cppcheck); then
	# shellcheck disable=SC2086
	$cc --enable=warning,performance,portability --error-exitcode=1 --std=c11 -q \
		--inline-suppr $DEFS $INC src/ || status=1
else
	echo "lint: cppcheck not installed"; status=1
fi

echo "== clang-tidy"
if ct=$(pick clang-tidy clang-tidy-16 clang-tidy-15 clang-tidy-14); then
	# One process per file: clang-tidy 14 run on several files at once
	# reports clang-analyzer-valist.Uninitialized on va_start'ed lists in
	# every file after the first (state kept across translation units,
	# LLVM bug 41311 / llvm-project#40656); each file alone is clean.
	for f in src/*.c; do
		# shellcheck disable=SC2086
		$ct --quiet "$f" -- -std=c11 $DEFS $INC || status=1
	done
else
	echo "lint: clang-tidy not installed"; status=1
fi

echo "== scan-build"
if sb=$(pick scan-build scan-build-16 scan-build-15 scan-build-14); then
	out=$(mktemp -d)
	make clean >/dev/null
	$sb -o "$out" --status-bugs make -j2 build/medium2jekyll >/dev/null 2>"$out/log" || {
		grep -E 'warning:|bugs found' "$out/log" | head -40
		status=1
	}
	rm -rf "$out"
	make clean >/dev/null
else
	echo "lint: scan-build not installed"; status=1
fi
[ $status -eq 0 ] && echo "lint: no findings"
exit $status
