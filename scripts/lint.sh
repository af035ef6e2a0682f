#!/bin/sh
# lint.sh - static analysis, zero findings expected (`make lint`):
#   cppcheck --enable=warning,performance,portability
#   clang-tidy with the checked-in .clang-tidy (bugprone-*, cert-*,
#              clang-analyzer-*; exclusions justified there)
# clang-tidy's clang-analyzer-* checks are the Clang Static Analyzer that
# scan-build runs, file by file; scan-build over a build on top of them
# found nothing they did not and cost CI a minute and a half.
# Each tool missing is reported and counted as a failure (CI installs them:
# cppcheck clang-tidy).
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
	# Files run side by side, one per core (xargs exits non-zero when
	# any of them reports).
	# shellcheck disable=SC2016
	ls src/*.c | LINT_FLAGS="-std=c11 $DEFS $INC" \
		xargs -P "$(nproc 2>/dev/null || echo 2)" -n 1 \
		sh -c 'exec "$0" --quiet "$1" -- $LINT_FLAGS' "$ct" || status=1
else
	echo "lint: clang-tidy not installed"; status=1
fi

[ $status -eq 0 ] && echo "lint: no findings"
exit $status
