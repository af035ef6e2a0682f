#!/bin/sh
# `make install` / `make uninstall` into a temporary DESTDIR: the binary, the
# man page and the bash completion land under PREFIX (or BINDIR/MANDIR) and
# go away again; the installed completion completes.  Installs only copies
# build/medium2jekyll (`make check` built it); `-o build/medium2jekyll`
# keeps make from rebuilding it under the other tests' feet.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
if ! command -v make >/dev/null 2>&1; then
	skip "install" "make not found"
	finish
fi
if [ ! -x "$M2J_ROOT/build/medium2jekyll" ]; then
	skip "install" "build/medium2jekyll not built (run make first)"
	finish
fi
mk() {
	make --no-print-directory -C "$M2J_ROOT" -o build/medium2jekyll "$@" >"$WORK/make.log" 2>&1
}

dest="$WORK/dest"
bin="$dest/usr/bin/medium2jekyll"
man1="$dest/usr/share/man/man1/medium2jekyll.1"
comp="$dest/usr/share/bash-completion/completions/medium2jekyll"
if mk install DESTDIR="$dest" PREFIX=/usr; then
	pass "install: make install succeeds"
else
	fail "install: make install succeeds" "$(tail -5 "$WORK/make.log")"
	finish
fi
[ -x "$bin" ] && pass "install: binary in PREFIX/bin" || fail "install: binary in PREFIX/bin" "$(find "$dest")"
[ -f "$man1" ] && pass "install: man page in PREFIX/share/man/man1" || fail "install: man page in PREFIX/share/man/man1" "$(find "$dest")"
[ -f "$comp" ] && pass "install: completion in PREFIX/share/bash-completion/completions" \
	|| fail "install: completion in PREFIX/share/bash-completion/completions" "$(find "$dest")"
cmp -s "$bin" "$M2J_ROOT/build/medium2jekyll" && pass "install: binary is the release build" || fail "install: binary is the release build" "differs"
cmp -s "$man1" "$M2J_ROOT/docs/medium2jekyll.1" && pass "install: man page as written" || fail "install: man page as written" "differs"
v=$("$bin" --version 2>&1)
case $v in
	"medium2jekyll "*) pass "install: installed binary runs" ;;
	*) fail "install: installed binary runs" "$v" ;;
esac
# nothing outside DESTDIR/PREFIX
n=$(find "$dest" -type f | wc -l)
[ "$n" -eq 3 ] && pass "install: exactly three files" || fail "install: exactly three files" "$(find "$dest" -type f)"
perm=$(stat -c %a "$man1" "$comp" | tr '\n' ' ')
[ "$perm" = "644 644 " ] && pass "install: data files mode 644" || fail "install: data files mode 644" "$perm"

if command -v man >/dev/null 2>&1; then
	out=$(MANWIDTH=80 MANPAGER=cat PAGER=cat man -M "$dest/usr/share/man" medium2jekyll 2>"$WORK/man.err")
	case $out in
		*NAME*medium2jekyll*SYNOPSIS*) pass "install: man finds the installed page" ;;
		*) fail "install: man finds the installed page" "$(head -3 "$WORK/man.err")" ;;
	esac
else
	skip "install: man finds the installed page" "man not installed"
fi

if command -v bash >/dev/null 2>&1; then
	got=$(cd "$M2J_ROOT" && bash -c '
		. "$1"
		t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
		      _medium2jekyll 2>/dev/null; printf "%s|" "${COMPREPLY[*]}"; }
		t medium2jekyll im
		t medium2jekyll sync --no
		t medium2jekyll import --incl
		t medium2jekyll import -o exam
		t medium2jekyll import-archive --drafts fixtures/g
		t medium2jekyll import fixtures/feeds/cons
		t medium2jekyll sync -c fixtures/config/min
		complete -p medium2jekyll
	' sh "$comp" 2>&1)
	want="import import-archive|--no-update|--include-responses|examples|fixtures/golden|fixtures/feeds/constructs.xml|fixtures/config/minimal.yml|complete -F _medium2jekyll medium2jekyll"
	[ "$got" = "$want" ] && pass "install: bash completion completes commands, options, folders, files" \
		|| fail "install: bash completion completes commands, options, folders, files" "got '$got'"
else
	skip "install: bash completion" "bash not installed"
fi

# BINDIR and MANDIR override PREFIX
dest2="$WORK/dest2"
if mk install DESTDIR="$dest2" PREFIX=/opt/m2j BINDIR=/opt/bin MANDIR=/opt/man \
	&& [ -x "$dest2/opt/bin/medium2jekyll" ] && [ -f "$dest2/opt/man/man1/medium2jekyll.1" ] \
	&& [ -f "$dest2/opt/m2j/share/bash-completion/completions/medium2jekyll" ]; then
	pass "install: BINDIR and MANDIR honoured"
else
	fail "install: BINDIR and MANDIR honoured" "$(find "$dest2" -type f; tail -3 "$WORK/make.log")"
fi

if mk uninstall DESTDIR="$dest" PREFIX=/usr; then
	pass "install: make uninstall succeeds"
else
	fail "install: make uninstall succeeds" "$(tail -5 "$WORK/make.log")"
fi
left=$(find "$dest" -type f)
[ -z "$left" ] && pass "install: uninstall removes every file" || fail "install: uninstall removes every file" "$left"
mk uninstall DESTDIR="$dest" PREFIX=/usr && pass "install: uninstall twice is fine" \
	|| fail "install: uninstall twice is fine" "$(tail -3 "$WORK/make.log")"
finish
