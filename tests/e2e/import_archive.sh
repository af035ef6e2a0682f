#!/bin/sh
# import-archive: Medium's export zip (or folder) -> posts, drafts; goldens,
# the shared corpus, dedupe against a feed in both orders, hostile zips.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
FX="$M2J_ROOT/fixtures/archive"

if ! command -v python3 >/dev/null 2>&1; then
	skip "import_archive" "python3 not found (needed to build the zips)"
	finish
fi

# mkzip OUT SRC_DIR [PREFIX]: zip every file of SRC_DIR as PREFIX/name
mkzip() {
	python3 - "$@" <<'EOF'
import os, sys, zipfile
out, src = sys.argv[1], sys.argv[2]
pre = sys.argv[3] if len(sys.argv) > 3 else "posts"
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(os.listdir(src)):
        z.write(os.path.join(src, f), pre + "/" + f if pre else f)
EOF
}

arch() { # arch NAME ARCHIVE [options]: rc in $rc, output in $WORK/NAME.{out,err}
	n=$1 a=$2
	shift 2
	"$M2J_BIN" import-archive "$a" "$@" >"$WORK/$n.out" 2>"$WORK/$n.err"
	rc=$?
}

nfiles() { find "$1" -type f 2>/dev/null | wc -l | tr -d ' '; }

# ---- goldens ----
mkzip "$WORK/fx.zip" "$FX/posts"
arch golden "$WORK/fx.zip" -o "$WORK/g/_posts" --drafts "$WORK/g/_drafts" --include-responses --author 100047
[ $rc -eq 0 ] && [ ! -s "$WORK/golden.err" ] && pass "archive: fixture zip imports (rc 0, no stderr)" \
	|| fail "archive: fixture zip imports" "rc=$rc $(head -c 600 "$WORK/golden.err")"
for d in _posts _drafts; do
	for f in "$FX/expected/$d"/*.md; do
		b=$(basename "$f")
		if cmp -s "$f" "$WORK/g/$d/$b"; then
			pass "archive: golden $d/$b"
		else
			fail "archive: golden $d/$b" "$(diff "$f" "$WORK/g/$d/$b" 2>&1 | head -20)"
		fi
	done
	extra=$(cd "$WORK/g/$d" && for f in *; do [ -f "$FX/expected/$d/$f" ] || echo "$f"; done)
	[ -z "$extra" ] && pass "archive: no unexpected file in $d" || fail "archive: unexpected files in $d" "$extra"
done

# the folder the zip unpacks to gives the same posts
arch folder "$FX" -o "$WORK/f/_posts" --drafts "$WORK/f/_drafts" --include-responses --author 100047
if [ $rc -eq 0 ] && diff -r "$FX/expected" "$WORK/f" >"$WORK/folder.diff" 2>&1; then
	pass "archive: the unpacked folder gives the same files"
else
	fail "archive: the unpacked folder" "rc=$rc $(head -c 600 "$WORK/folder.diff") $(head -c 300 "$WORK/folder.err")"
fi

# a second run writes nothing
arch again "$WORK/fx.zip" -o "$WORK/g/_posts" --drafts "$WORK/g/_drafts" --include-responses --author 100047
[ $rc -eq 0 ] && [ ! -s "$WORK/again.out" ] && [ "$(nfiles "$WORK/g")" -eq 10 ] \
	&& pass "archive: a second run writes nothing" || fail "archive: second run" "rc=$rc $(cat "$WORK/again.out")"

# defaults: responses and drafts skipped, no drafts folder, said with -v
arch defaults "$WORK/fx.zip" -o "$WORK/d/_posts" -v
[ $rc -eq 0 ] && [ "$(nfiles "$WORK/d/_posts")" -eq 7 ] && [ ! -e "$WORK/d/_drafts" ] \
	&& [ "$(grep -c 'a response, skipped' "$WORK/defaults.err")" -eq 2 ] \
	&& grep -q 'a draft, skipped (--drafts DIR imports it)' "$WORK/defaults.err" \
	&& pass "archive: responses and drafts skipped by default, said with -v" \
	|| fail "archive: defaults" "rc=$rc $(ls "$WORK/d/_posts") $(head -c 600 "$WORK/defaults.err")"

# dry run writes nothing
arch dry "$WORK/fx.zip" -o "$WORK/dry/_posts" -n
[ $rc -eq 0 ] && [ ! -e "$WORK/dry" ] && [ "$(grep -c '^would write ' "$WORK/dry.out")" -eq 7 ] \
	&& pass "archive: --dry-run says what it would write, writes nothing" \
	|| fail "archive: --dry-run" "rc=$rc $(cat "$WORK/dry.out")"

# ---- dedupe with the feed, both orders ----
arch af "$WORK/fx.zip" -o "$WORK/af/_posts" -q
"$M2J_BIN" import "$FX/feed.xml" -o "$WORK/af/_posts" >"$WORK/af-feed.out" 2>"$WORK/af-feed.err"
frc=$?
[ $rc -eq 0 ] && [ $frc -eq 0 ] && [ "$(nfiles "$WORK/af")" -eq 7 ] && [ ! -s "$WORK/af-feed.out" ] \
	&& pass "archive then feed: no duplicate (7 posts)" \
	|| fail "archive then feed" "rc=$rc/$frc $(ls "$WORK/af/_posts") $(cat "$WORK/af-feed.err")"
"$M2J_BIN" import "$FX/feed.xml" -o "$WORK/fa/_posts" >"$WORK/fa-feed.out" 2>"$WORK/fa-feed.err"
frc=$?
arch fa "$WORK/fx.zip" -o "$WORK/fa/_posts"
[ $rc -eq 0 ] && [ $frc -eq 0 ] && [ "$(nfiles "$WORK/fa")" -eq 7 ] && [ "$(grep -c '^wrote ' "$WORK/fa.out")" -eq 4 ] \
	&& pass "feed then archive: no duplicate (3 + 4 posts)" \
	|| fail "feed then archive" "rc=$rc/$frc $(ls "$WORK/fa/_posts") $(cat "$WORK/fa.err")"

# ---- usage ----
"$M2J_BIN" import-archive >/dev/null 2>"$WORK/usage.err"
[ $? -eq 2 ] && grep -q 'needs an ARCHIVE' "$WORK/usage.err" && pass "archive: no ARCHIVE is a usage error" \
	|| fail "archive: no ARCHIVE" "$(cat "$WORK/usage.err")"
"$M2J_BIN" import-archive "$WORK/fx.zip" --bogus >/dev/null 2>"$WORK/usage2.err"
[ $? -eq 2 ] && pass "archive: unknown option is a usage error" || fail "archive: unknown option" "$(cat "$WORK/usage2.err")"
arch missing "$WORK/nonexistent.zip" -o "$WORK/m"
[ $rc -eq 1 ] && grep -q 'nonexistent.zip' "$WORK/missing.err" && pass "archive: missing archive fails (rc 1)" \
	|| fail "archive: missing archive" "rc=$rc $(cat "$WORK/missing.err")"

# ---- hostile zips ----
one=$(ls "$FX/posts" | grep '^2020-08-04')
python3 - "$WORK" "$FX/posts/$one" "$one" <<'EOF'
import sys, zipfile, stat
work, good, goodname = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(good, "rb").read()
def z(name, members):
    with zipfile.ZipFile(work + "/" + name, "w", zipfile.ZIP_DEFLATED) as f:
        for n, d, mode in members:
            i = zipfile.ZipInfo(n, (2020, 1, 1, 0, 0, 0))
            i.compress_type = zipfile.ZIP_DEFLATED
            if mode is not None:
                i.create_system = 3
                i.external_attr = mode << 16
            f.writestr(i, d)
ok = ("posts/" + goodname, data, None)
z("dotdot.zip", [("../../escaped/2020-01-01_Escape-aaaaaaaaaa.html", data, None), ok])
z("absolute.zip", [("/tmp/m2j-abs/2020-01-01_Abs-bbbbbbbbbb.html", data, None), ok])
z("symlink.zip", [("posts/2020-01-01_Link-cccccccccc.html", "/etc/passwd", stat.S_IFLNK | 0o777), ok])
z("bomb.zip", [("posts/2020-01-01_Bomb-dddddddddd.html", b"\0" * (17 << 20), None), ok])
z("nothtml.zip", [("posts/2020-01-01_Binary-eeeeeeeeee.html", bytes(range(256)) * 8, None),
                  ("posts/2020-01-01_Text-ffffffffff.html", b"just some text, not a post", None), ok])
# a bomb that lies about its size: the declared sizes say 1000 bytes
b = bytearray(open(work + "/bomb.zip", "rb").read())
for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
    i = b.find(sig)
    b[i + off:i + off + 4] = (1000).to_bytes(4, "little")
open(work + "/liar.zip", "wb").write(bytes(b))
full = open(work + "/dotdot.zip", "rb").read()
open(work + "/truncated.zip", "wb").write(full[: len(full) // 2])
open(work + "/notzip.zip", "wb").write(b"this is not a zip file at all\n" * 10)
EOF
hostile() { # hostile NAME PATTERN: rc 1, PATTERN on stderr, only the good post written
	arch "h-$1" "$WORK/$1.zip" -o "$WORK/h-$1/_posts"
	if [ $rc -eq 1 ] && grep -q "$2" "$WORK/h-$1.err" && [ "$(nfiles "$WORK/h-$1")" -eq "$3" ]; then
		pass "archive: hostile $1 refused with a message, $3 post(s) written"
	else
		fail "archive: hostile $1" "rc=$rc files=$(nfiles "$WORK/h-$1") $(head -c 400 "$WORK/h-$1.err")"
	fi
}
hostile dotdot 'path with ".." refused' 1
hostile absolute 'absolute path refused' 1
hostile symlink 'symbolic link refused' 1
hostile bomb 'member size cap' 1
hostile liar 'member size cap\|truncated or corrupt' 1
hostile nothtml 'not a Medium post file' 1
hostile truncated 'truncated or corrupt' 0
hostile notzip 'not a zip archive' 0
[ ! -e "$WORK/escaped" ] && [ ! -e /tmp/m2j-abs ] && [ -z "$(find "$WORK" -name '*.html' ! -name '*.zip' -newer "$WORK/dotdot.zip" 2>/dev/null)" ] \
	&& pass "archive: nothing written outside --output" || fail "archive: written outside --output" "$(ls "$WORK")"

# ---- the shared corpus ----
corpus=
for c in "$M2J_ROOT/../shared/corpus/medium-export" /work/shared/corpus/medium-export; do
	[ -d "$c/posts" ] && { corpus=$c; break; }
done
if [ -z "$corpus" ]; then
	skip "archive: corpus" "../shared/corpus/medium-export not present"
	finish
fi
mkzip "$WORK/corpus.zip" "$corpus/posts"
all=$(ls "$corpus/posts" | grep -c '\.html$')
drafts=$(ls "$corpus/posts" | grep -c '^draft_')
responses=$(grep -c 'a RESPONSE' "$corpus/MANIFEST.tsv")
posts=$((all - drafts - responses))
arch corpus "$WORK/corpus.zip" -o "$WORK/c/_posts" --drafts "$WORK/c/_drafts"
if [ $rc -eq 0 ] && [ ! -s "$WORK/corpus.err" ] && [ "$(nfiles "$WORK/c/_posts")" -eq "$posts" ] \
	&& [ "$(nfiles "$WORK/c/_drafts")" -eq "$drafts" ]; then
	pass "archive: corpus ($all files): $posts posts, $drafts drafts, $responses responses skipped, no report"
else
	fail "archive: corpus" "rc=$rc posts=$(nfiles "$WORK/c/_posts")/$posts drafts=$(nfiles "$WORK/c/_drafts")/$drafts $(head -c 800 "$WORK/corpus.err")"
fi
skipped=$(cd "$corpus/posts" && for f in 2*.html; do id=${f%.html}; id=${id##*-}; grep -lq "$id" "$WORK"/c/_posts/* || echo "$f"; done)
want=$(grep 'a RESPONSE' "$corpus/MANIFEST.tsv" | cut -f1 | sed 's|.*/||' | sort)
[ "$(echo "$skipped" | sort)" = "$want" ] && pass "archive: the responses skipped are the corpus's three" \
	|| fail "archive: responses skipped" "skipped: $skipped"
arch corpusr "$WORK/corpus.zip" -o "$WORK/cr/_posts" --include-responses
[ $rc -eq 0 ] && [ "$(nfiles "$WORK/cr/_posts")" -eq $((posts + responses)) ] \
	&& pass "archive: corpus with --include-responses: $((posts + responses)) posts" \
	|| fail "archive: corpus --include-responses" "rc=$rc $(nfiles "$WORK/cr/_posts")"
bad=$(ls "$WORK/c/_posts" | grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*\.md$')
bad2=$(ls "$WORK/c/_drafts" | grep -v -E '^[a-z0-9]+(-[a-z0-9]+)*\.md$')
[ -z "$bad$bad2" ] && pass "archive: corpus file names are date-slug.md / slug.md (no runs of dashes)" \
	|| fail "archive: corpus file names" "$bad $bad2"
finish
