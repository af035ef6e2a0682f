#!/bin/sh
# Issue 11 end to end: front-matter values safe in any layout.  A hostile
# member feed (fixtures/xss/hostile_fm.xml: the issue's vectors and OWASP
# filter-evasion forms in titles, links, categories, descriptions and
# images, beside ordinary titles) is imported with --tags --canonical
# --fields image,description, and by sync with a config, into a site whose
# layouts print every value raw in text and in both attribute quotings,
# with an index of Markdown links (fixtures/xss/raw_site), and into the same
# site with escaping layouts (every value | escape).  Each is built with
# jekyll and every page parsed with html.parser (scan_html.py): no script,
# no on* attribute, no script URL; the <a> around the title has only href;
# ordinary titles and links read exactly under both layouts.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
scan=$M2J_ROOT/tests/e2e/scan_html.py
if ! command -v jekyll >/dev/null 2>&1; then
	skip "xss raw site" "jekyll not installed (apt-get install jekyll)"
	finish
fi
feed="$M2J_ROOT/fixtures/xss/hostile_fm.xml"

# site NAME MODE (raw|escape) WAY (import|sync): builds it into $WORK/NAME/_site
site() {
	d="$WORK/$1"
	cp -R "$M2J_ROOT/fixtures/xss/raw_site" "$d"
	if [ "$2" = escape ]; then
		sed -i -E 's/\{\{ (page\.[a-z_]+|t) \}\}/{{ \1 | escape }}/g; s/\{\{ post\.title \}\}/{{ post.title | escape }}/' \
			"$d/_layouts/post-external.html" "$d/index.md"
	fi
	if [ "$3" = sync ]; then
		cp "$feed" "$d/feed.xml"
		printf 'tags: true\ncanonical: true\nfields: [image, description]\nfeeds:\n  - url: file://%s\n' \
			"$d/feed.xml" >"$d/medium2jekyll.yml"
		(cd "$d" && "$M2J_BIN" sync >"$d/out" 2>"$d/err")
	else
		"$M2J_BIN" import "$feed" -o "$d/_posts" --tags --canonical --fields image,description \
			>"$d/out" 2>"$d/err"
	fi
	rc=$?
	n=$(ls "$d/_posts" 2>/dev/null | wc -l)
	[ "$rc" -eq 0 ] && [ "$n" -eq 15 ] && pass "xss raw ($1): $3 writes the 15 posts" ||
		fail "xss raw ($1): $3 writes the 15 posts" "rc=$rc n=$n $(head -c 400 "$d/err")"
	if (cd "$d" && jekyll build -d "$d/_site" >"$d/build.log" 2>&1); then
		pass "xss raw ($1): jekyll build succeeds"
	else
		fail "xss raw ($1): jekyll build succeeds" "$(tail -20 "$d/build.log")"
		return
	fi
	# shellcheck disable=SC2046
	if python3 "$scan" scan --page $(find "$d/_site" -name '*.html' | sort) >"$d/scan" 2>&1; then
		pass "xss raw ($1): nothing executable in any page"
	else
		while IFS= read -r line; do
			fail "xss raw ($1): nothing executable" "${line#"$d/_site/"}"
		done <"$d/scan"
	fi
	python3 - "$d/_site" "$scan" "$1" <<'PY' >"$d/content"
import glob, os, re, sys
sys.path.insert(0, os.path.dirname(sys.argv[2]))
import scan_html
name = sys.argv[3]

def check(what, ok, detail=""):
    print(("PASS: " if ok else "FAIL: ") + f"xss raw ({name}): " + what + ("" if ok else ": " + detail))

class Grab(scan_html.Scanner):
    def __init__(self):
        super().__init__()
        self.els, self.stack, self.texts = [], [], {}
    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        a = dict(attrs)
        self.els.append((tag, a))
        key = a.get("id") or tag
        self.stack.append(key)
    def handle_endtag(self, tag):
        super().handle_endtag(tag)
        if self.stack:
            self.stack.pop()
    def handle_data(self, data):
        super().handle_data(data)
        for k in self.stack:
            self.texts[k] = self.texts.get(k, "") + data

def grab(path):
    g = Grab()
    g.feed(open(path, encoding="utf-8").read())
    g.close()
    return g

posts = sorted(p for p in glob.glob(sys.argv[1] + "/20*/**/index.html", recursive=True))
check("15 post pages", len(posts) == 15, str(len(posts)))
bad_url = re.compile(r"^\s*(javascript|vbscript|data:text)", re.I)
ordinary = {
    "tips-tricks": ("Tips & Tricks", "https://good.example.org/tips?a=1&b=2"),
    "it-s-5-6": ("It\u2019s 5 < 6", "https://good.example.org/five"),
    "smart-quotes": ("\u201csmart\u201d quotes", "https://good.example.org/smart"),
    "video-my-talk": ("[Video] My *talk*", "https://good.example.org/video"),
    "party": ("Party \U0001F389 \u6f22\u5b57\u306e\u30bf\u30a4\u30c8\u30eb", "https://good.example.org/party"),
}
for p in posts:
    slug = os.path.basename(os.path.dirname(p))
    g = grab(p)
    h1a = [a for t, a in g.els if t == "a"][:1]
    check(f"{slug}: the <a> around the title has only href", h1a and list(h1a[0]) == ["href"],
          str(h1a))
    for t, a in g.els:
        for k, v in a.items():
            if k.startswith("on") or (v and bad_url.match(v)):
                check(f"{slug}: no on* attribute or script URL", False, f"<{t} {k}={v!r}>")
    names = [t for t, a in g.els]
    check(f"{slug}: no element from the feed in the head", names.count("meta") == 5 and
          names.count("title") == 1, str(names[:12]))
    if slug in ordinary:
        title, link = ordinary[slug]
        metas = {a.get("property"): a.get("content") for t, a in g.els if t == "meta"}
        check(f"{slug}: <title> reads as typed", g.texts.get("title", "").strip() == title,
              repr(g.texts.get("title")))
        check(f"{slug}: <h1> reads as typed", g.texts.get("t", "").strip() == title,
              repr(g.texts.get("t")))
        check(f"{slug}: og:title attribute reads as typed", (metas.get("og:title") or "").strip() == title,
              repr(metas.get("og:title")))
        sq = [a for t, a in g.els if t == "a" and "title" in a]
        check(f"{slug}: single-quoted title attribute reads as typed",
              sq and sq[0]["title"].strip() == title, str(sq))
        check(f"{slug}: the link works", h1a and h1a[0].get("href") == link, str(h1a))
        check(f"{slug}: canonical_url works", metas.get("og:url") == link, repr(metas.get("og:url")))
idx = grab(sys.argv[1] + "/index.html")
links = [a.get("href") for t, a in idx.els if t == "a"]
check("index: one link per post, no other", len(links) == 15, str(links))
for slug, (title, link) in ordinary.items():
    check(f"index: link to {slug} works", link in links, str(links))
text = idx.texts.get("index", "")
for slug, (title, link) in ordinary.items():
    shown = title.replace("*talk*", "talk")  # kramdown renders *talk* as <em>talk</em>
    check(f"index: {slug} reads as typed", shown in text, text[:300])
check("index: done", True)
PY
	cat "$d/content"
	FAILED=$((FAILED + $(grep -c '^FAIL: ' "$d/content")))
	grep -q 'index: done' "$d/content" || fail "xss raw ($1): content checks" "the checker did not finish"
	return 0
}

site raw raw import
site escape escape import
site sync-raw raw sync

# the URLs with { } % " and spaces of the body are written so Liquid keeps
# them (no {% or {{ made by encoding) and the link still works
p=$(ls "$WORK/raw/_site"/2023/03/06/x-onmouseover-alert-15/index.html 2>/dev/null)
if [ -n "$p" ] && grep -q 'href="https://x.com/#%7B%22a%22:1%7D"' "$p" &&
	grep -q 'href="https://x.com/%7B%25%20x%20%25%7D"' "$p"; then
	pass "xss raw: body URLs with { } % \" and spaces are built by jekyll and work"
else
	fail "xss raw: body URLs with { } % \"" "$(grep -o 'href="https://x.com[^"]*"' "$p" 2>/dev/null)"
fi
p=$(ls "$WORK/raw/_site"/2023/03/06/x-onmouseover-alert-17/index.html 2>/dev/null)
n=0
for u in 'https://x.com/#%7B%22a%22:1%7D' 'https://x.com/%7B%25%20x%20%25%7D?q=%7B%7By%7D%7D#%7Bz%7D' \
	'https://x.com/a%20b/%7B%25/%20c?x=%221%22&amp;y=%7D%25' 'https://x.com/%7B%7D%25.png?%7B%25'; do
	grep -qF "\"$u\"" "$p" 2>/dev/null && n=$((n + 1))
done
[ "$n" -eq 4 ] && pass "xss raw: the spec's URLs with { } % \" and spaces in every position build and work" ||
	fail "xss raw: spec URLs" "$n of 4: $(grep -o '\(href\|src\)="https://x.com[^"]*"' "$p" 2>/dev/null)"

# the identity read back from a post (original_link, guid written as URLs)
# is the item's: a second import of the hostile feed writes nothing
"$M2J_BIN" import "$feed" -o "$WORK/raw/_posts" --tags --canonical --fields image,description \
	>"$WORK/again.out" 2>&1
n=$(grep -c '^wrote ' "$WORK/again.out")
[ "$n" -eq 0 ] && pass "xss raw: a second import writes no duplicate" ||
	fail "xss raw: a second import writes no duplicate" "$n written: $(head -3 "$WORK/again.out")"

# and an item keyed by its link alone (no guid), the link changed by the
# serialiser: still one post after two imports
cat >"$WORK/nolink.xml" <<'EOF'
<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://b.example/</link>
<item><title>Paren link</title><link>https://b.example/wiki/Foo_(bar)'s "x" y</link>
<pubDate>Mon, 06 Mar 2023 10:00:00 GMT</pubDate><description>x</description></item>
</channel></rss>
EOF
"$M2J_BIN" import "$WORK/nolink.xml" -o "$WORK/nolink" >/dev/null 2>&1
"$M2J_BIN" import "$WORK/nolink.xml" -o "$WORK/nolink" >/dev/null 2>&1
n=$(ls "$WORK/nolink" | wc -l)
[ "$n" -eq 1 ] && pass "xss raw: a link changed by the serialiser keeps its identity (no duplicate)" ||
	fail "xss raw: link identity after serialising" "$(ls "$WORK/nolink")"

# messages cannot drive the terminal: a source name with ESC and a newline
bad=$(printf 'no\033[2Jsuch\nfile\302\233.xml')
"$M2J_BIN" import "$WORK/$bad" -o "$WORK/none" >/dev/null 2>"$WORK/ctl.err"
if grep -q 'no\\x1b\[2Jsuch\\nfile\\u009B.xml' "$WORK/ctl.err" &&
	! tr -d '\n' <"$WORK/ctl.err" | grep -q "$(printf '\033')" &&
	[ "$(wc -l <"$WORK/ctl.err")" -eq 1 ]; then
	pass "xss raw: control characters in a message are escaped (one line, no ESC)"
else
	fail "xss raw: control characters escaped" "$(od -c "$WORK/ctl.err" | head -5)"
fi

finish
