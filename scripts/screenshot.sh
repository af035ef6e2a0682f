#!/bin/sh
# screenshot.sh - regenerate docs/screenshot.png: the reference post as
# built by real Jekyll and rendered by headless Chromium (tests/e2e/browser.sh
# does the work).  Needs jekyll, chromium and python3; `make` first.
set -u
cd "$(dirname "$0")/.." || exit 2
M2J_ROOT=$PWD M2J_BIN=${M2J_BIN:-$PWD/build/medium2jekyll} \
M2J_SCREENSHOT=$PWD/docs/screenshot.png M2J_SCREENSHOT_SIZE=${M2J_SCREENSHOT_SIZE:-900,1200} \
	sh tests/e2e/browser.sh >/dev/null
if [ -s docs/screenshot.png ]; then
	echo "wrote docs/screenshot.png ($(wc -c <docs/screenshot.png) bytes)"
else
	echo "screenshot.sh: no screenshot (run sh tests/e2e/browser.sh to see why)" >&2
	exit 1
fi
