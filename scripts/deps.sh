#!/bin/sh
# deps.sh GROUP - install the Debian packages GROUP needs, when they are
# missing and we are root.  GROUP is `build` (compile medium2jekyll),
# `demo` (build, plus jekyll and Debian's minima theme for `make demo`),
# `test` (run `make check`), `deb` (build the package: `make deb`; lintian
# checks it) or `ci` (all of these, and clang, the static analysers and
# libFuzzer for `make lint` and `make fuzz-smoke`).  Not root: say what is missing and go on; the
# build or the test that needs it will then fail or skip with its own message.
set -u
group=${1:-build}
build_pkgs="gcc make pkg-config libcurl4-openssl-dev libxml2-dev libyaml-dev libarchive-dev"
demo_pkgs="jekyll jekyll-theme-minima"
test_pkgs="python3 jekyll jekyll-theme-minima ruby-kramdown ruby-kramdown-parser-gfm valgrind zip chromium groff-base man-db git systemd"
ci_pkgs="clang clang-tidy cppcheck libclang-rt-14-dev"
# debian/rules needs dpkg-dev alone (no debhelper).  The test group has git and
# systemd (systemd-analyze) for tests/e2e/recipes.sh.
deb_pkgs="dpkg-dev lintian file"
case $group in
	build) pkgs=$build_pkgs ;;
	demo) pkgs="$build_pkgs $demo_pkgs" ;;
	test) pkgs="$build_pkgs $test_pkgs" ;;
	deb) pkgs="$build_pkgs $deb_pkgs" ;;
	ci) pkgs="$build_pkgs $test_pkgs $deb_pkgs $ci_pkgs" ;;
	*) echo "deps.sh: unknown group '$group'" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case $st in
		*"ok installed"*) ;;
		*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: missing packages:$missing (no apt-get here; install them by hand)" >&2
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
	exit 0
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# wait (up to 10 minutes) for another apt or dpkg, as on a fresh cloud
# machine, instead of failing at once
lock="-o DPkg::Lock::Timeout=600"
# shellcheck disable=SC2086
apt-get $lock update -qq >/dev/null 2>&1 || apt-get $lock update
# shellcheck disable=SC2086
apt-get $lock install -y -qq --no-install-recommends $missing >/dev/null || {
	echo "deps.sh: apt-get install failed for:$missing" >&2
	exit 1
}
