#!/bin/sh
# `make deb`: medium2jekyll_VERSION_ARCH.deb built by dpkg-buildpackage from
# debian/, inspected (dpkg-deb -c, -f), unpacked and run: the packaged
# binary writes the reference post (tests/e2e/import_golden.sh run on it);
# Depends names runtime libraries only; lintian reports no error (when
# installed).  The install with apt-get is .ci/run's (it needs root).
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
for tool in dpkg-buildpackage dpkg-deb make; do
	if ! command -v $tool >/dev/null 2>&1; then
		skip "deb" "$tool not found (scripts/deps.sh deb)"
		finish
	fi
done
version=$(sed -n 's/^VERSION *= *//p' "$M2J_ROOT/Makefile")
arch=$(dpkg --print-architecture)
deb="$WORK/medium2jekyll_${version}_$arch.deb"
if nice make --no-print-directory -C "$M2J_ROOT" deb DEBDIR="$WORK" >"$WORK/build.log" 2>&1 && [ -f "$deb" ]; then
	pass "deb: make deb builds medium2jekyll_${version}_$arch.deb"
else
	fail "deb: make deb" "$(tail -20 "$WORK/build.log"; ls "$WORK")"
	finish
fi
head -1 "$M2J_ROOT/debian/changelog" | grep -qF "medium2jekyll ($version)" \
	&& pass "deb: debian/changelog and the Makefile agree on the version" || fail "deb: version" "$(head -1 "$M2J_ROOT/debian/changelog")"
grep -q 'warning' "$WORK/build.log" && fail "deb: the build prints no warning" "$(grep warning "$WORK/build.log")" \
	|| pass "deb: the build prints no warning"

dpkg-deb -c "$deb" | awk '{print $6}' >"$WORK/files"
for f in ./usr/bin/medium2jekyll ./usr/share/man/man1/medium2jekyll.1.gz \
	./usr/share/bash-completion/completions/medium2jekyll \
	./usr/share/doc/medium2jekyll/examples/medium2jekyll.example.yml \
	./usr/share/doc/medium2jekyll/copyright ./usr/share/doc/medium2jekyll/changelog.gz \
	./usr/share/doc/medium2jekyll/examples/systemd/medium2jekyll.service \
	./usr/share/doc/medium2jekyll/examples/github/sync.yml; do
	grep -qxF "$f" "$WORK/files" || fail "deb: holds $f" "$(cat "$WORK/files")"
done
grep -v -e '^\./usr/bin/' -e '^\./usr/share/' -e '^\./$' -e '^\./usr/$' "$WORK/files" >"$WORK/other"
[ ! -s "$WORK/other" ] && pass "deb: binary in /usr/bin, man page, completion, docs and examples in /usr/share, nothing else" \
	|| fail "deb: files outside /usr/bin and /usr/share" "$(cat "$WORK/other")"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ && $2 != "root/root" {print}' >"$WORK/owners"
[ ! -s "$WORK/owners" ] && pass "deb: every file owned by root" || fail "deb: owners" "$(cat "$WORK/owners")"

dep=$(dpkg-deb -f "$deb" Depends)
case $dep in
	*-dev*|'') fail "deb: Depends names runtime libraries only" "$dep" ;;
	*libcurl*libxml2*libyaml*|*libarchive*libcurl*libxml2*libyaml*) pass "deb: Depends names runtime libraries only ($dep)" ;;
	*) fail "deb: Depends names the libraries" "$dep" ;;
esac

x="$WORK/x"
dpkg-deb -x "$deb" "$x"
bin="$x/usr/bin/medium2jekyll"
file "$bin" 2>/dev/null | grep -q 'not stripped' && fail "deb: the binary is stripped" "$(file "$bin")" || pass "deb: the binary is stripped"
[ "$("$bin" --version)" = "medium2jekyll $version" ] && pass "deb: the packaged binary runs" || fail "deb: packaged binary runs" "$("$bin" --version 2>&1)"
M2J_BIN="$bin" sh "$M2J_ROOT/tests/e2e/import_golden.sh" >"$WORK/golden.log" 2>&1
gp=$(grep -c '^PASS' "$WORK/golden.log")
gf=$(grep -c '^FAIL' "$WORK/golden.log")
[ "$gf" -eq 0 ] && [ "$gp" -gt 5 ] && pass "deb: the packaged binary writes the reference post (import_golden.sh: $gp passed)" \
	|| fail "deb: reference post" "$(grep '^FAIL' "$WORK/golden.log")"
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man -l "$x/usr/share/man/man1/medium2jekyll.1.gz" 2>"$WORK/man.err" | grep -q 'medium2jekyll' && [ ! -s "$WORK/man.err" ] \
		&& pass "deb: the packaged man page renders" || fail "deb: man page" "$(cat "$WORK/man.err")"
fi
if command -v lintian >/dev/null 2>&1; then
	lintian --tag-display-limit 0 "$deb" >"$WORK/lintian.log" 2>&1
	grep -q '^E:' "$WORK/lintian.log" && fail "deb: lintian reports no error" "$(grep '^E:' "$WORK/lintian.log")" \
		|| pass "deb: lintian reports no error ($(grep -c '^W:' "$WORK/lintian.log") warnings)"
else
	skip "deb: lintian" "lintian not installed (scripts/deps.sh deb)"
fi
finish
