#!/bin/sh
# `init`: a Jekyll site found at or above DIR; medium2jekyll.yml written once
# and never over a file; _layouts/post-external.html only when neither the
# site nor its theme (found among installed gems, here a fake GEM_PATH) has
# it; _config.yml's exclude: edited line by line, or the lines printed when
# that is not safe; a real jekyll build of the result.  `init --from`: the
# INI of issue 15 exactly, an OPML list with folders, a TSV with a header,
# duplicates and bad lines as FILE:LINE, several feed sets into several
# outputs of one config, which sync --check accepts and sync follows.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
if ! command -v ruby >/dev/null 2>&1; then
	skip "init" "ruby not found (it comes with jekyll): the YAML written is read back with it"
	finish
fi
fx="$M2J_ROOT/fixtures/migrate"
golden="$M2J_ROOT/fixtures/golden"

site() { # site DIR: a bare Jekyll site with a post and a default layout
	mkdir -p "$1/_layouts"
	printf 'title: Test site\n# a comment we keep\nmarkdown: kramdown\n' >"$1/_config.yml"
	printf -- '---\n---\n<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{{ page.title | escape }}</title></head>\n<body>{{ content }}</body></html>\n' >"$1/_layouts/default.html"
	printf -- '---\nlayout: default\n---\n<article><h1>{{ page.title | strip | escape }}</h1>{{ content }}</article>\n' >"$1/_layouts/post.html"
}

# ---- no site --------------------------------------------------------------
mkdir -p "$WORK/nosite"
"$M2J_BIN" init "$WORK/nosite" >"$WORK/o" 2>"$WORK/e"
rc=$?
[ $rc -eq 2 ] && grep -q 'no Jekyll site (_config.yml) at or above' "$WORK/e" && grep -q 'jekyll new' "$WORK/e" \
	&& [ -z "$(ls -A "$WORK/nosite")" ] \
	&& pass "init: no site: exit 2, says how to make one, writes nothing" || fail "init: no site" "rc=$rc $(cat "$WORK/e")"

# ---- a site found from a folder below it (that does not exist yet) --------
s="$WORK/s1"
site "$s"
cp "$s/_config.yml" "$WORK/orig_config.yml"
"$M2J_BIN" init "$s/_posts/not/yet" >"$WORK/o" 2>"$WORK/e"
rc=$?
[ $rc -eq 0 ] && [ -f "$s/medium2jekyll.yml" ] && [ ! -e "$s/_posts" ] \
	&& pass "init: finds the site above DIR, writes medium2jekyll.yml at its root" || fail "init: finds the site" "rc=$rc $(cat "$WORK/o" "$WORK/e")"
grep -q '^# ' "$s/medium2jekyll.yml" && grep -q '^state: .medium2jekyll-state.yml$' "$s/medium2jekyll.yml" \
	&& pass "init: the config is commented" || fail "init: the config is commented" "$(head -5 "$s/medium2jekyll.yml")"
head -n 2 "$s/_layouts/post-external.html" | tr '\n' ' ' | grep -q '^--- layout: post ' \
	&& grep -qF '{{ page.original_link | escape }}' "$s/_layouts/post-external.html" \
	&& pass "init: post-external extends the post layout and links the original, escaped" \
	|| fail "init: post-external layout" "$(cat "$s/_layouts/post-external.html")"
# the rest of _config.yml untouched: the old text is a prefix of the new one
head -c "$(wc -c <"$WORK/orig_config.yml")" "$s/_config.yml" | cmp -s - "$WORK/orig_config.yml" \
	&& pass "init: _config.yml keeps every line it had" || fail "init: _config.yml keeps its lines" "$(cat "$s/_config.yml")"
ruby -ryaml -e 'c = YAML.load_file(ARGV[0]); ex = c["exclude"]
  ok = c["title"] == "Test site" && c["markdown"] == "kramdown" &&
    %w(medium2jekyll.yml .medium2jekyll-state.yml .medium2jekyll-state.yml.lock Gemfile node_modules vendor/bundle/).all? { |x| ex.include?(x) }
  exit(ok ? 0 : 1)' "$s/_config.yml" 2>"$WORK/rb" \
	&& pass "init: a new exclude: lists our three files and Jekyll's defaults" || fail "init: new exclude:" "$(cat "$s/_config.yml" "$WORK/rb")"
"$M2J_BIN" sync --check -c "$s/medium2jekyll.yml" >/dev/null 2>"$WORK/e"
grep -q 'feeds' "$WORK/e" && pass "init: the config without feeds asks for them (sync --check)" || fail "init: config without feeds" "$(cat "$WORK/e")"

# a second run changes nothing
for f in medium2jekyll.yml _config.yml _layouts/post-external.html; do cp "$s/$f" "$WORK/before.$(basename "$f")"; done
echo "# my own edit" >>"$s/medium2jekyll.yml"
cp "$s/medium2jekyll.yml" "$WORK/before.medium2jekyll.yml"
"$M2J_BIN" init "$s" >"$WORK/o" 2>"$WORK/e"
rc=$?
same=0
for f in medium2jekyll.yml _config.yml _layouts/post-external.html; do cmp -s "$s/$f" "$WORK/before.$(basename "$f")" || same=1; done
[ $rc -eq 0 ] && [ $same -eq 0 ] && [ ! -s "$WORK/o" ] \
	&& pass "init: a second run rewrites nothing (an edited config kept)" || fail "init: second run" "rc=$rc $(cat "$WORK/o" "$WORK/e")"

# ---- exclude: edits ---------------------------------------------------------
s="$WORK/s2"
site "$s"
printf 'title: x\nexclude:\n    - drafts   # private\n    - "notes.md"\nbaseurl: ""\n' >"$s/_config.yml"
"$M2J_BIN" init "$s" >"$WORK/o" 2>"$WORK/e"
want='title: x
exclude:
    - drafts   # private
    - "notes.md"
    - medium2jekyll.yml
    - .medium2jekyll-state.yml
    - .medium2jekyll-state.yml.lock
baseurl: ""'
[ "$(cat "$s/_config.yml")" = "$want" ] && pass "init: appends to a block exclude: list, same indentation" \
	|| fail "init: appends to exclude:" "$(cat "$s/_config.yml")"
printf 'exclude:\n  - medium2jekyll.yml\n' >"$s/_config.yml"
"$M2J_BIN" init "$s" >/dev/null 2>&1
[ "$(grep -c 'medium2jekyll' "$s/_config.yml")" -eq 3 ] && pass "init: adds only the files not yet excluded" || fail "init: adds only missing" "$(cat "$s/_config.yml")"
for cfg in 'exclude: [drafts, notes.md]' 'exclude: drafts' '--- 
a: 1
--- 
b: 2' 'exclude:
  - |
    odd'; do
	printf '%s\n' "$cfg" >"$s/_config.yml"
	cp "$s/_config.yml" "$WORK/c.before"
	"$M2J_BIN" init "$s" >"$WORK/o" 2>"$WORK/e"
	rc=$?
	if [ $rc -eq 0 ] && cmp -s "$s/_config.yml" "$WORK/c.before" && grep -q 'not edited' "$WORK/e" \
		&& grep -qx '  - .medium2jekyll-state.yml.lock' "$WORK/o"; then
		pass "init: leaves an exclude: it cannot edit safely and prints the lines ($(echo "$cfg" | head -1))"
	else
		fail "init: cannot edit safely ($(echo "$cfg" | head -1))" "rc=$rc $(cat "$s/_config.yml" "$WORK/o" "$WORK/e")"
	fi
done
# a symbolic link is not replaced by a file
printf 'title: x\n' >"$WORK/real_config.yml"
rm -f "$s/_config.yml"
ln -s "$WORK/real_config.yml" "$s/_config.yml"
"$M2J_BIN" init "$s" >"$WORK/o" 2>"$WORK/e"
[ -L "$s/_config.yml" ] && [ "$(cat "$WORK/real_config.yml")" = "title: x" ] && grep -q 'symbolic link' "$WORK/e" \
	&& pass "init: a _config.yml symlink is left alone (lines printed)" || fail "init: symlinked _config.yml" "$(ls -l "$s" ; cat "$WORK/e")"
rm -f "$s/_config.yml"
# a config without a final newline, mode kept
printf 'title: x' >"$s/_config.yml"
chmod 600 "$s/_config.yml"
"$M2J_BIN" init "$s" >/dev/null 2>&1
[ "$(head -1 "$s/_config.yml")" = "title: x" ] && [ "$(stat -c %a "$s/_config.yml")" = 600 ] \
	&& pass "init: a config without final newline edited, its mode kept" || fail "init: no final newline" "$(stat -c %a "$s/_config.yml") $(cat "$s/_config.yml")"

# ---- theme layouts, found among the installed gems ------------------------
gems="$WORK/gems"
mkdir -p "$gems/gems/minima-2.5.1/_layouts" "$gems/gems/minima-2.4.0/_layouts"
: >"$gems/gems/minima-2.5.1/_layouts/post.html"
s="$WORK/s3"
mkdir -p "$s"
printf 'theme: minima\n' >"$s/_config.yml"
GEM_PATH="$gems" GEM_HOME= "$M2J_BIN" init "$s" >/dev/null 2>&1
head -n 2 "$s/_layouts/post-external.html" 2>/dev/null | grep -q 'layout: post' \
	&& pass "init: a theme's post layout (gem folder found) is extended" || fail "init: theme post layout" "$(ls -R "$s")"
s="$WORK/s4"
mkdir -p "$s"
printf 'theme: "minima"\n' >"$s/_config.yml"
: >"$gems/gems/minima-2.5.1/_layouts/post-external.html"
GEM_PATH="$gems" GEM_HOME= "$M2J_BIN" init "$s" >"$WORK/o" 2>&1
[ ! -e "$s/_layouts/post-external.html" ] && pass "init: no layout written when the theme has post-external" \
	|| fail "init: theme has post-external" "$(cat "$WORK/o")"
s="$WORK/s5"
mkdir -p "$s"
: >"$s/_config.yml"
"$M2J_BIN" init "$s" >/dev/null 2>&1
grep -q '<meta charset="utf-8">' "$s/_layouts/post-external.html" && grep -q '{{ content }}' "$s/_layouts/post-external.html" \
	&& pass "init: without post or default layout, a whole page with <meta charset>" || fail "init: whole page layout" "$(cat "$s/_layouts/post-external.html")"

# ---- dry run ----------------------------------------------------------------
s="$WORK/s6"
site "$s"
cp "$s/_config.yml" "$WORK/c.before"
"$M2J_BIN" init -n "$s" >"$WORK/o" 2>&1
[ ! -e "$s/medium2jekyll.yml" ] && [ ! -e "$s/_layouts/post-external.html" ] && cmp -s "$s/_config.yml" "$WORK/c.before" \
	&& [ "$(grep -c '^would ' "$WORK/o")" -eq 3 ] && pass "init: --dry-run says what, writes nothing" || fail "init: --dry-run" "$(cat "$WORK/o")"

# ---- jekyll build of an imported site --------------------------------------
if command -v jekyll >/dev/null 2>&1; then
	s="$WORK/s7"
	site "$s"
	"$M2J_BIN" init "$s" >/dev/null 2>&1
	"$M2J_BIN" import "$golden/medium-antlerboy.xml" -o "$s/_posts" >/dev/null 2>&1
	echo '- url: x' >"$s/.medium2jekyll-state.yml"
	: >"$s/.medium2jekyll-state.yml.lock"
	if (cd "$s" && jekyll build -d "$WORK/_site" >"$WORK/build.log" 2>&1); then
		page=$(find "$WORK/_site" -path '*we-can-level-up*' -name '*.html' | head -1)
		grep -qi 'warn' "$WORK/build.log" && fail "init: jekyll build without warnings" "$(cat "$WORK/build.log")" \
			|| pass "init: jekyll build without warnings"
		[ -n "$page" ] && grep -q '<meta charset="utf-8">' "$page" && grep -q 'Originally published at' "$page" \
			&& grep -q 'href="https://antlerboy.medium.com/we-can-level-up' "$page" \
			&& pass "init: the post page has its layout, charset and the link to the original" \
			|| fail "init: post page layout" "$page"
		[ -z "$(find "$WORK/_site" -name 'medium2jekyll.yml' -o -name '.medium2jekyll-state*')" ] \
			&& pass "init: config, state and lock are not copied into _site" || fail "init: excluded from _site" "$(ls -a "$WORK/_site")"
	else
		fail "init: jekyll build" "$(tail -20 "$WORK/build.log")"
	fi
else
	skip "init: jekyll build" "jekyll not installed"
fi

# ---- init --from --------------------------------------------------------------
s="$WORK/m1"
site "$s"
"$M2J_BIN" init "$s" --from "$fx/planet.ini" >"$WORK/o" 2>"$WORK/e"
rc=$?
cfg="$s/medium2jekyll.yml"
[ $rc -eq 0 ] && [ ! -s "$WORK/e" ] && "$M2J_BIN" sync --check -c "$cfg" >/dev/null 2>"$WORK/e2" \
	&& pass "init --from: the INI of issue 15, exactly, gives a valid config (sync --check)" \
	|| fail "init --from: the issue's INI" "rc=$rc $(cat "$WORK/o" "$WORK/e" "$WORK/e2")"
ruby -ryaml -e 'c = YAML.load_file(ARGV[0]); f = c["feeds"]
  ok = f == [{"url" => "https://medium.com/feed/@antlerboy", "author" => "100047"},
             {"url" => "https://example.substack.com/feed", "author" => "100041"}]
  exit(ok ? 0 : 1)' "$cfg" && grep -q 'The Writings' "$cfg" \
	&& pass "init --from: sections become authors, feed = the feeds, the title a comment" || fail "init --from: INI feeds" "$(cat "$cfg")"
"$M2J_BIN" init "$s" --from "$fx/planet.ini" >"$WORK/o" 2>"$WORK/e"
rc=$?
[ $rc -eq 1 ] && grep -q 'exists; not overwritten' "$WORK/e" && pass "init --from: never over an existing config (exit 1)" \
	|| fail "init --from: existing config" "rc=$rc $(cat "$WORK/e")"

s="$WORK/m2"
site "$s"
"$M2J_BIN" init "$s" --from "$fx/members.opml" --author-attr text --output writings/_posts \
	--from "$fx/newsletter.tsv" --no-author --output newsletter/_posts >"$WORK/o" 2>"$WORK/e"
rc=$?
cfg="$s/medium2jekyll.yml"
[ $rc -eq 0 ] && "$M2J_BIN" sync --check -c "$cfg" >/dev/null 2>&1 && pass "init --from: OPML + TSV into two outputs: valid config" \
	|| fail "init --from: OPML + TSV" "rc=$rc $(cat "$WORK/e")"
ruby -ryaml -e 'c = YAML.load_file(ARGV[0]); f = c["feeds"]
  want = [["https://ann.example.org/feed.xml", "100050", "writings/_posts"],
          ["https://bob.example.org/rss", "100051", "writings/_posts"],
          ["https://noid.example.org/atom", nil, "writings/_posts"],
          ["https://news.example.org/feed", nil, "newsletter/_posts"],
          ["https://news.example.org/FEED", nil, "newsletter/_posts"]]
  exit(f.map { |e| [e["url"], e["author"], e["output"]] } == want ? 0 : 1)' "$cfg" \
	&& pass "init --from: OPML folders walked, author from --author-attr, --no-author, --output per set" \
	|| fail "init --from: OPML/TSV feeds" "$(cat "$cfg")"
grep -qF "members.opml:11: duplicate feed https://ann.example.org/feed.xml/ (first at $fx/members.opml:6)" "$WORK/e" \
	&& grep -qF "newsletter.tsv:6: duplicate feed https://NEWS.example.org/feed/ (first at $fx/newsletter.tsv:3)" "$WORK/e" \
	&& grep -qF "newsletter.tsv:4: 'not a url line' is not an http(s) URL" "$WORK/e" \
	&& grep -qF "members.opml:12: outline without text=" "$WORK/e" && [ "$(wc -l <"$WORK/e")" -eq 4 ] \
	&& pass "init --from: duplicates and bad lines reported as FILE:LINE, and only they" || fail "init --from: problems" "$(cat "$WORK/e")"

# INI details: comments, spaces or tabs, ':' or '=', quotes, a section without feed, a second feed, a duplicate section
cat >"$WORK/odd.ini" <<'EOF'
# planet config
; another comment
title: 'Odd'
[a1]
feed:"https://a.example.org/feed"
title = A One
[a2]
  link = https://b.example.org/
garbage here
[a3]
	feed	=	https://c.example.org/feed
	feed = https://c2.example.org/feed
[a1]
feed = https://d.example.org/feed
[https://venus.example.org/atom.xml]
name = Venus style
EOF
s="$WORK/m3"
site "$s"
"$M2J_BIN" init "$s" --from "$WORK/odd.ini" >"$WORK/o" 2>"$WORK/e"
cfg="$s/medium2jekyll.yml"
ruby -ryaml -e 'f = YAML.load_file(ARGV[0])["feeds"]
  exit(f.map { |e| [e["url"], e["author"]] } == [["https://a.example.org/feed", "a1"],
    ["https://c.example.org/feed", "a3"], ["https://venus.example.org/atom.xml", nil]] ? 0 : 1)' "$cfg" \
	&& grep -q '^  # A One$' "$cfg" && grep -q 'Odd: from' "$cfg" \
	&& pass "init --from: INI comments, ':' or '=', tabs, quotes, titles, Planet Venus sections" || fail "init --from: odd INI" "$(cat "$cfg" "$WORK/e")"
grep -qF 'odd.ini:7: section [a2] has no feed = line' "$WORK/e" && grep -qF 'odd.ini:12: a second feed in [a3] (first at line 11)' "$WORK/e" \
	&& grep -qF 'odd.ini:13: duplicate section [a1]' "$WORK/e" && ! grep -q 'odd.ini:14' "$WORK/e" \
	&& grep -qF 'odd.ini:9: not a key = value line' "$WORK/e" && [ "$(wc -l <"$WORK/e")" -eq 4 ] \
	&& pass "init --from: INI problems named by line (the duplicate section's lines skipped)" || fail "init --from: INI problems" "$(cat "$WORK/e")"
site "$WORK/s8"
"$M2J_BIN" init "$WORK/s8" --from "$fx/planet.ini" --format opml >/dev/null 2>"$WORK/e"
[ $? -eq 1 ] && grep -q 'not well-formed XML' "$WORK/e" && pass "init --from: --format forces the reader" || fail "init --from: --format" "$(cat "$WORK/e")"
"$M2J_BIN" init "$WORK/s7" --output x >/dev/null 2>"$WORK/e"
[ $? -eq 2 ] && grep -q -- '--output applies to the --from FILE it follows' "$WORK/e" && pass "init: --output without --from is a usage error" \
	|| fail "init: --output without --from" "$(cat "$WORK/e")"

# the format from the content when the name says nothing
cp "$fx/planet.ini" "$WORK/members"
cp "$fx/members.opml" "$WORK/list"
printf '# id\tfeed\n100060\thttps://e.example.org/feed\n' >"$WORK/people"
s="$WORK/m5"
site "$s"
"$M2J_BIN" init "$s" --from "$WORK/members" --from "$WORK/list" --author-attr text --from "$WORK/people" >/dev/null 2>"$WORK/e"
ruby -ryaml -e 'f = YAML.load_file(ARGV[0])["feeds"]
  exit(f.map { |e| e["author"] } == %w(100047 100041 100050 100051) + [nil, "100060"] ? 0 : 1)' "$s/medium2jekyll.yml" \
	&& pass "init --from: INI, OPML and TSV told apart by their content" || fail "init --from: format from content" "$(cat "$s/medium2jekyll.yml" "$WORK/e")"

# ---- migrated config, then sync against the test server ---------------------
www="$WORK/www"
python3 "$M2J_ROOT/tests/gen_medium_feeds.py" "$www" 3 2 1 || { fail "init: generate feeds" ""; finish; }
start_server "$www"
s="$WORK/m4"
site "$s"
printf 'title = "The Writings"\n\n[100047]\n\tfeed = %s/feed-0.xml\n\n[100041]\n\tfeed = %s/feed-1.xml\n' "$SERVER_URL" "$SERVER_URL" >"$WORK/w.ini"
printf '%s/feed-2.xml\n' "$SERVER_URL" >"$WORK/n.tsv"
"$M2J_BIN" init "$s" --from "$WORK/w.ini" --output writings/_posts --from "$WORK/n.tsv" --output newsletter/_posts >/dev/null 2>"$WORK/e"
(cd "$s" && "$M2J_BIN" sync -q >/dev/null 2>"$WORK/e")
rc=$?
nw=$(ls "$s/writings/_posts" 2>/dev/null | wc -l)
nn=$(ls "$s/newsletter/_posts" 2>/dev/null | wc -l)
a47=$(grep -l '^author: 100047$' "$s/writings/_posts/"* 2>/dev/null | wc -l)
a41=$(grep -l '^author: 100041$' "$s/writings/_posts/"* 2>/dev/null | wc -l)
na=$(grep -l '^author:' "$s/newsletter/_posts/"* 2>/dev/null | wc -l)
[ $rc -eq 0 ] && [ "$nw" -eq 4 ] && [ "$nn" -eq 2 ] && [ "$a47" -eq 2 ] && [ "$a41" -eq 2 ] && [ "$na" -eq 0 ] \
	&& pass "init --from then sync: members' posts with their ids in writings/_posts, the newsletter's without author in newsletter/_posts" \
	|| fail "init --from then sync" "rc=$rc writings=$nw newsletter=$nn 100047=$a47 100041=$a41 newsletter-authors=$na $(cat "$WORK/e")"
finish
