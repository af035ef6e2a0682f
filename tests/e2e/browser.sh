#!/bin/sh
# The real client: the example site holding our output is built with real
# Jekyll, served on 127.0.0.1, and each imported post is opened in headless
# Chromium.  From the rendered DOM (the Python below) we check what a
# reader sees against the item's source HTML: the same headings, lists,
# links, images and code blocks (in <pre>), the same text, and no Markdown
# syntax shown as text (`**`, `\*`, `](`, `{{`, `{%`) unless the source
# showed it.  Also takes a screenshot of the reference post.
# Installs nothing: SKIP when jekyll, chromium or python3 is missing
# (.ci/run's scripts/deps.sh test installs them).
# M2J_SCREENSHOT=FILE also copies the screenshot there;
# M2J_SCREENSHOT_SIZE=W,H sets the window (default 1000,1400).
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
for t in jekyll python3; do
	if ! command -v "$t" >/dev/null 2>&1; then
		skip "browser" "$t not installed"
		finish
	fi
done
CHROMIUM=
for c in chromium chromium-browser; do
	command -v "$c" >/dev/null 2>&1 && { CHROMIUM=$c; break; }
done
if [ -z "$CHROMIUM" ]; then
	skip "browser" "chromium not installed (apt-get install chromium)"
	finish
fi
command -v timeout >/dev/null 2>&1 || { skip "browser" "timeout(1) not found"; finish; }

feeds="$M2J_ROOT/fixtures/golden/medium-antlerboy.xml $M2J_ROOT/fixtures/feeds/constructs.xml"
site="$WORK/site"
cp -R "$M2J_ROOT/examples/site" "$site"
# shellcheck disable=SC2086
if "$M2J_BIN" import $feeds --author 100047 -o "$site/_posts" >"$WORK/import.out" 2>"$WORK/import.err"; then
	pass "browser: import"
else
	fail "browser: import" "$(cat "$WORK/import.err")"
	finish
fi
if (cd "$site" && jekyll build -d "$WORK/_site" >"$WORK/build.log" 2>&1); then
	pass "browser: jekyll build"
else
	fail "browser: jekyll build" "$(tail -20 "$WORK/build.log")"
	finish
fi

# serve the built site on 127.0.0.1, on a port the kernel picks
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$WORK/_site" \
	>"$WORK/http.log" 2>&1 </dev/null &
SERVER_PID=$!
port=
i=0
while [ -z "$port" ]; do
	i=$((i + 1))
	if [ "$i" -gt 100 ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
		fail "browser: http.server starts" "$(cat "$WORK/http.log")"
		SERVER_PID=
		finish
	fi
	sleep 0.1
	port=$(sed -n 's/^Serving HTTP on [0-9.]* port \([0-9][0-9]*\).*/\1/p' "$WORK/http.log" | head -1)
done
base="http://127.0.0.1:$port"

# Chromium, offline: every host but 127.0.0.1 fails to resolve, so the
# posts' remote images are never fetched.
chrome() {
	_ud=$(mktemp -d "$WORK/chrome.XXXXXX")
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --disable-extensions --hide-scrollbars --mute-audio \
		--no-proxy-server --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' \
		--user-data-dir="$_ud" "$@" 2>>"$WORK/chrome.log"
}

# every imported post: the pages under /YYYY/
pages=$(cd "$WORK/_site" && find . -path './[0-9][0-9][0-9][0-9]/*' -name index.html | sort)
n=$(echo "$pages" | grep -c .)
nposts=$(grep -c '^wrote ' "$WORK/import.out")
[ "$n" -ge 1 ] && [ "$n" -eq "$nposts" ] && pass "browser: one page per post ($n)" \
	|| fail "browser: one page per post" "$nposts posts, $n pages: $pages"
doms=
k=0
for p in $pages; do
	k=$((k + 1))
	url="$base/${p#./}"
	url=${url%index.html}
	dom="$WORK/dom.$k.html"
	if chrome --dump-dom "$url" >"$dom" && grep -q '</html>' "$dom"; then
		pass "browser: chromium renders ${p#./}"
		doms="$doms $dom"
	else
		fail "browser: chromium renders ${p#./}" "$(tail -3 "$WORK/chrome.log")"
	fi
done
cat >"$WORK/dom_check.py" <<'PY'
# dom_check: compare each rendered post (Chromium's DOM) with its item's
# source HTML.  Prints PASS:/FAIL: lines; exits 1 when anything failed.
import html.parser, re, sys, xml.etree.ElementTree as ET

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
HIDDEN = {"script", "style", "template", "head", "title"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
         "pre", "blockquote", "figure", "figcaption", "table", "tr", "td",
         "th", "hr", "br", "article", "section", "dl", "dt", "dd"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids = tag, dict(attrs), parent, []


class Tree(html.parser.HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.kids.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.kids.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.kids.append(data)


def walk(n):
    yield n
    for k in n.kids:
        if isinstance(k, Node):
            yield from walk(k)


def text(n, pre=False):
    out = []
    for k in n.kids:
        if isinstance(k, str):
            out.append(k)
        elif k.tag in HIDDEN:
            continue
        elif k.tag == "img":
            continue
        elif k.tag == "br":
            out.append("\n")
        else:
            t = text(k, pre)
            out.append(" " + t + " " if k.tag in BLOCK else t)
    return "".join(out)


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def is_pixel(img):
    return img.attrs.get("width") == "1" and img.attrs.get("height") == "1" \
        or "/_/stat?" in img.attrs.get("src", "")


def facts(root):
    nodes = list(walk(root))
    f = {}
    f["headings"] = [norm(text(n)) for n in nodes if re.fullmatch(r"h[1-6]", n.tag)]
    f["lists"] = sum(1 for n in nodes if n.tag in ("ul", "ol"))
    f["items"] = [norm(text(n)) for n in nodes if n.tag == "li"]
    f["links"] = [n.attrs.get("href", "") for n in nodes if n.tag == "a" and n.attrs.get("href")]
    f["images"] = [n.attrs.get("src", "") for n in nodes if n.tag == "img" and not is_pixel(n)]
    f["pre"] = [text(n).strip("\n") for n in nodes if n.tag == "pre"]
    f["text"] = norm(text(root))
    return f


NS = {"content": "http://purl.org/rss/1.0/modules/content/",
      "atom": "http://www.w3.org/2005/Atom"}


def items(path):
    root = ET.parse(path).getroot()
    for it in root.iter("item"):
        body = it.findtext("content:encoded", None, NS) or it.findtext("description") or ""
        yield (it.findtext("link") or "").strip(), it.findtext("title") or "", body
    for e in root.iter("{%s}entry" % NS["atom"]):
        link = ""
        for l in e.findall("atom:link", NS):
            if l.get("rel", "alternate") == "alternate":
                link = l.get("href", "")
        body = e.findtext("atom:content", "", NS) or e.findtext("atom:summary", "", NS)
        yield link.strip(), e.findtext("atom:title", "", NS), body


def find_class(root, tag, cls):
    for n in walk(root):
        if n.tag == tag and cls in n.attrs.get("class", "").split():
            return n
    return None


SYNTAX = ["**", "\\*", "](", "![", "{{", "}}", "{%", "%}", "```"]
failed = 0


def check(name, ok, detail=""):
    global failed
    if ok:
        print("PASS: browser: %s" % name)
    else:
        failed += 1
        print("FAIL: browser: %s: %s" % (name, detail))


def first_diff(a, b):
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return "source ...%r... vs rendered ...%r..." % (a[max(0, i - 40):i + 60], b[max(0, i - 40):i + 60])


def main(argv):
    feeds = argv[argv.index("--feeds") + 1:argv.index("--doms")]
    doms = argv[argv.index("--doms") + 1:]
    src = {}
    for p in feeds:
        for link, title, body in items(p):
            src[link] = (title, body)
    for d in doms:
        dom = Tree(open(d, encoding="utf-8").read()).root
        title = find_class(dom, "h1", "post-title")
        label = norm(text(title)) if title else d
        orig = find_class(dom, "a", "original")
        content = find_class(dom, "div", "post-content")
        if not orig or not content:
            check("%s: page has the post layout" % label, False, "no a.original or div.post-content")
            continue
        link = orig.attrs.get("href", "")
        if link not in src:
            check("%s: source item found" % label, False, link)
            continue
        s = facts(Tree(src[link][1]).root)
        r = facts(content)
        check("%s: headings" % label, s["headings"] == r["headings"],
              "source %r, rendered %r" % (s["headings"], [h[:80] for h in r["headings"]]))
        check("%s: lists" % label, s["lists"] == r["lists"] and s["items"] == r["items"],
              "source %d lists %r, rendered %d lists %r" % (s["lists"], s["items"], r["lists"], r["items"]))
        missing = [u for u in s["links"] if u not in r["links"]]
        check("%s: links (%d)" % (label, len(s["links"])), not missing and len(r["links"]) >= len(s["links"]),
              "missing %r; rendered %r" % (missing, r["links"]))
        missing = [u for u in s["images"] if u not in r["images"]]
        check("%s: images (%d)" % (label, len(s["images"])), not missing,
              "missing %r; rendered %r" % (missing, r["images"]))
        check("%s: code blocks in <pre> (%d)" % (label, len(s["pre"])), s["pre"] == r["pre"],
              "source %r, rendered %r" % (s["pre"], r["pre"]))
        for tok in SYNTAX:
            a, b = s["text"].count(tok), r["text"].count(tok)
            if b > a:
                i = r["text"].find(tok)
                check("%s: no stray %r" % (label, tok), False,
                      "%d in the page, %d in the source: ...%s..." % (b, a, r["text"][max(0, i - 50):i + 50]))
        if all(r["text"].count(t) <= s["text"].count(t) for t in SYNTAX):
            check("%s: no stray Markdown syntax (%s)" % (label, " ".join(SYNTAX)), True)
        check("%s: text as in the source" % label, s["text"] == r["text"], first_diff(s["text"], r["text"]))
    return 1 if failed else 0


sys.exit(main(sys.argv))
PY
# shellcheck disable=SC2086
python3 "$WORK/dom_check.py" --feeds $feeds --doms $doms >"$WORK/check.out" 2>&1
rc=$?
cat "$WORK/check.out"
if [ "$rc" -ne 0 ]; then
	grep -q '^FAIL: ' "$WORK/check.out" || echo "FAIL: browser: dom_check.py exited $rc"
	FAILED=$((FAILED + 1))
fi

# a screenshot of the reference post
ref=$(echo "$pages" | grep 'we-can-level-up' | head -1)
if [ -z "$ref" ]; then
	fail "browser: screenshot" "reference post not built"
	finish
fi
url="$base/${ref#./}"
url=${url%index.html}
shot="$WORK/reference.png"
size=${M2J_SCREENSHOT_SIZE:-1000,1400}
(cd "$WORK" && chrome --screenshot="$shot" --window-size="$size" "$url" >/dev/null)
magic=$(od -An -tx1 -N8 "$shot" 2>/dev/null | tr -d ' \n')
bytes=$(wc -c <"$shot" 2>/dev/null || echo 0)
if [ "$magic" = 89504e470d0a1a0a ] && [ "$bytes" -gt 2000 ]; then
	pass "browser: screenshot of the reference post ($bytes bytes PNG)"
	[ -n "${M2J_SCREENSHOT:-}" ] && cp "$shot" "$M2J_SCREENSHOT"
else
	fail "browser: screenshot of the reference post" "magic '$magic', $bytes bytes; $(tail -3 "$WORK/chrome.log")"
fi
finish
