#!/usr/bin/python3
"""scan_html.py - helpers for the sanitizer end-to-end tests (stdlib only).

    scan_html.py scan [--page] FILE...
        Scan HTML files for anything executable; print "FILE: problem" for
        each finding, exit 1 when there is one.  --page: whole pages built
        by a layout, whose <head> may hold the layout's <style>.
    scan_html.py prepare TSV FEEDDIR WORK
        For each row of TSV (feedparser's sanitize rows): write
        WORK/dated/<file>, the feed with a dc:date added to its item (a
        distinct day per feed, 2000-01-01 + row index, so the post's file
        name says which feed it came from), and WORK/html/<stem>.html, the
        item's HTML body as feedparser reads it (no file for title rows).
        Writes WORK/index.tsv: file, date, key.
    scan_html.py feedparser TSV WORK
        After the posts (WORK/posts/*.md) and the converted bodies
        (WORK/conv/<stem>.md) were rendered to .html (and .title for posts):
        print PASS/FAIL per feed and the survival rate of the text feedparser
        expects to survive.  Exit 1 on any failure.

What counts as executable (the checks of issue 8):
  - elements: script, style, object, embed, applet, form, input, button,
    textarea, select, svg, math, base, link, frame, frameset, meta with
    http-equiv=refresh; iframe unless its src is https from an allowed host;
  - attributes: any on*, style, srcdoc, formaction;
  - any URL attribute (href, src, action, data, poster, background, cite,
    longdesc, lowsrc, dynsrc, codebase, xlink:href, srcset, ping, ...) whose
    scheme, read the way a browser reads it (entities decoded, tab/LF/CR
    removed, leading C0 and spaces trimmed), is not http, https or mailto,
    or relative; data:image/(png|gif|jpeg|webp) is allowed in img src.
A regular expression over the raw text backs the parser up for the
element names, so a construct the parser reads differently still shows.
"""
import html
import html.parser
import os
import re
import sys
import xml.etree.ElementTree as ET

IFRAME_HOSTS = (
    "medium.com", "cdn.embedly.com", "www.youtube.com", "youtube.com",
    "www.youtube-nocookie.com", "player.vimeo.com", "gist.github.com",
    "codepen.io", "open.spotify.com", "w.soundcloud.com",
    "www.slideshare.net", "platform.twitter.com", "embed.ted.com",
    "docs.google.com", "www.google.com", "giphy.com", "bandcamp.com",
    "observablehq.com", "datawrapper.dwcdn.net", "jsfiddle.net",
    "codesandbox.io", "glitch.com", "www.loom.com", "player.twitch.tv",
    "www.instagram.com", "www.facebook.com", "www.figma.com",
    "www.blogger.com", "www.dailymotion.com", "www.tiktok.com",
    "player.simplecast.com", "anchor.fm",
)
FORBIDDEN = {
    "script", "style", "object", "embed", "applet", "form", "input",
    "button", "textarea", "select", "svg", "math", "base", "link", "frame",
    "frameset", "isindex", "keygen",
}
RAW_FORBIDDEN = re.compile(
    r"<\s*(script|style|object|embed|applet|form|svg|math|base|link|frameset"
    r"|frame|button|input)\b", re.I)
URL_ATTRS = {
    "href", "src", "action", "formaction", "data", "poster", "background",
    "cite", "longdesc", "lowsrc", "dynsrc", "codebase", "xlink:href",
    "ping", "manifest", "icon", "profile", "usemap", "classid", "archive",
    "xml:base", "content-location",
}
SAFE_SCHEMES = {"http", "https", "mailto"}
DATA_IMAGE = re.compile(r"data:image/(png|gif|jpeg|webp)[;,]", re.I)
INVISIBLE = {"script", "style", "template", "head", "title"}


def url_scheme(value):
    """The scheme a browser sees in value, lowercased, or '' if relative."""
    v = re.sub(r"[\t\n\r]", "", value)
    v = v.strip("".join(chr(c) for c in range(0x21)))
    m = re.match(r"([^:/?#]*):", v)
    return m.group(1).lower() if m else ""


def host_of(url):
    m = re.match(r"https://([^/?#:@]+)(?::\d+)?(?:[/?#]|$)", url.strip(), re.I)
    return m.group(1).lower() if m else None


def iframe_ok(src):
    h = host_of(src or "")
    return bool(h) and any(h == a or h.endswith("." + a) for a in IFRAME_HOSTS)


class Scanner(html.parser.HTMLParser):
    """Collects problems and the visible text of an HTML document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.text = []
        self.tags = []
        self.hidden = 0
        self.in_head = False
        self.allow_head_style = False
        self.invisible = INVISIBLE

    def check_url(self, tag, name, value):
        if name == "srcset":
            urls = [p.strip().split()[0] for p in value.split(",") if p.strip()]
        else:
            urls = [value]
        for u in urls:
            s = url_scheme(u)
            if not s or s in SAFE_SCHEMES:
                continue
            if s == "data" and tag == "img" and name == "src" \
                    and DATA_IMAGE.match(re.sub(r"[\t\n\r ]", "", u)):
                continue
            self.problems.append(f"<{tag} {name}> has scheme {s}: {u[:80]!r}")

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "head":
            self.in_head = True
        if tag == "style" and self.in_head and self.allow_head_style:
            pass                     # the layout's own stylesheet
        elif tag in FORBIDDEN:
            self.problems.append(f"element <{tag}>")
        if tag == "meta" and any(n == "http-equiv" and (v or "").strip().lower() == "refresh"
                                 for n, v in attrs):
            self.problems.append("<meta http-equiv=refresh>")
        if tag == "iframe" and not iframe_ok(dict(attrs).get("src")):
            self.problems.append(f"<iframe src={dict(attrs).get('src')!r}> not https from an allowed host")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            elif name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRS or name == "srcset":
                self.check_url(tag, name, value)
        if tag in self.invisible:
            self.hidden += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in self.invisible:
            self.hidden -= 1

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag in self.invisible and self.hidden > 0:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.text.append(data)


def scan_text(text, page=False):
    """(problems, visible text chunks, tag names) of an HTML string.  page: a whole
    page from a layout, whose <head> may hold a <style> element."""
    s = Scanner()
    s.allow_head_style = page
    s.feed(text)
    s.close()
    probs = list(s.problems)
    body = re.split(r"</head>", text, 1, flags=re.I)[-1] if page else text
    for m in RAW_FORBIDDEN.finditer(body):
        p = f"element <{m.group(1).lower()}>"
        if p not in probs:
            probs.append(p + " (raw text)")
    return probs, s.text, s.tags


QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u00a0": " ", "\u2013": "--", "\u2014": "---", "\u2026": "..."})


def norm(text):
    return " ".join(text.translate(QUOTES).split())


# ---- feedparser inputs ----------------------------------------------------

NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS_XHTML = "http://www.w3.org/1999/xhtml"
NS_ATOM = {"http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"}
DC_DATE = '<dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">%s</dc:date>'


def unescape_tsv(s):
    return re.sub(r"\\(\\|t|n|r|x[0-9a-fA-F]{2})",
                  lambda m: {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}.get(
                      m.group(1), None) or chr(int(m.group(1)[1:], 16)), s)


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            rows.append(dict(zip(head, line.rstrip("\n").split("\t"))))
    for r in rows:
        r["expected"] = unescape_tsv(r["expected"])
    return rows


def day(i):
    """2000-01-01 plus i days as YYYY-MM-DD (i < 10000)."""
    import datetime
    return (datetime.date(2000, 1, 1) + datetime.timedelta(days=i)).isoformat()


def local(el):
    t = el.tag
    return (t[1:].split("}", 1) if t.startswith("{") else ("", t))


def strip_ns(el):
    for e in el.iter():
        if isinstance(e.tag, str) and e.tag.startswith("{"):
            e.tag = e.tag.split("}", 1)[1]
    return el


def children_html(el):
    parts = [html.escape(el.text or "", quote=False)]
    for c in el:
        parts.append(ET.tostring(strip_ns(c), encoding="unicode", method="html"))
    return "".join(parts)


def body_html(el):
    """The HTML feedparser reads from a body element."""
    ns, name = local(el)
    kind = (el.get("type") or "").lower()
    mode = (el.get("mode") or "").lower()
    if ns in NS_ATOM:
        if mode == "base64":
            import base64
            return base64.b64decode(el.text or "").decode("utf-8", "replace")
        if mode == "xml" or kind in ("xhtml", "application/xhtml+xml") or len(el):
            return children_html(el)
        if kind in ("", "text", "text/plain") and mode != "escaped":
            return html.escape(el.text or "", quote=False)
        return el.text or ""
    if len(el):
        return children_html(el)
    return el.text or ""


def find_item(root):
    for el in root.iter():
        if local(el)[1] in ("item", "entry"):
            return el
    return None


def pick_body(item, key):
    summary, content = None, None
    for c in item:
        ns, name = local(c)
        if name in ("description", "summary") and summary is None:
            summary = c
        elif (name in ("content", "fullitem", "body") or (ns, name) == (NS_CONTENT, "encoded")) \
                and content is None:
            content = c
    return content if key == "content" else (summary if summary is not None else content)


def cmd_prepare(tsv, feeddir, work):
    for d in ("dated", "html"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    with open(os.path.join(work, "index.tsv"), "w", encoding="utf-8") as idx:
        for i, r in enumerate(read_tsv(tsv)):
            f = r["file"]
            with open(os.path.join(feeddir, f), encoding="utf-8") as fh:
                src = fh.read()
            m = re.search(r"<((?:[\w.-]+:)?)(item|entry)\b[^>]*?(/?)>", src)
            date = day(i)
            if not m or m.group(3):
                dated = src          # no item: the import will say so
            else:
                dated = src[:m.end()] + DC_DATE % (date + "T12:00:00Z") + src[m.end():]
            with open(os.path.join(work, "dated", f), "w", encoding="utf-8") as fh:
                fh.write(dated)
            if r["key"] != "title":
                item = find_item(ET.fromstring(src))
                body = pick_body(item, r["key"]) if item is not None else None
                with open(os.path.join(work, "html", f[:-4] + ".html"), "w",
                          encoding="utf-8") as fh:
                    fh.write(body_html(body) if body is not None else "")
            idx.write(f"{f}\t{date}\t{r['key']}\n")


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return None


MEDIA = {"img", "video", "audio", "iframe"}
WORD = re.compile(r"\w+")


def tokens(chunks):
    """Words of a list of text chunks, a chunk boundary (a tag) splitting
    words: 'safe<a>http://x</a>' gives safe, http, x."""
    return [w for c in chunks for w in WORD.findall(c.translate(QUOTES))]


def subsequence(want, have):
    it = iter(have)
    return all(w in it for w in want)


def survives(expected, ours, source=None):
    """True when the words feedparser keeps from the source are all in our
    rendering, in order.  Words a browser never shows (inside script,
    style, title or iframe of the source: feedparser keeps some of that as
    text) are not asked for.  ours is a Scanner's text chunks."""
    exp = tokens(visible_chunks(expected))
    if source is not None:
        shown = set(tokens(visible_chunks(source, hide_iframe=True)))
        exp = [w for w in exp if w in shown]
    return subsequence(exp, tokens(ours)) or subsequence(exp, tokens(["".join(ours)]))


def visible_chunks(text, hide_iframe=False):
    s = Scanner()
    if hide_iframe:
        s.invisible = INVISIBLE | {"iframe", "noscript", "noembed", "noframes"}
    s.feed(text)
    s.close()
    return s.text


def cmd_feedparser(tsv, work):
    rows = read_tsv(tsv)
    posts = os.path.join(work, "posts")
    by_date = {}
    for n in os.listdir(posts) if os.path.isdir(posts) else []:
        if n.endswith(".md"):
            by_date.setdefault(n[:10], []).append(n[:-3])
    failed, want, kept_conv, kept_imp = [], 0, [], []
    media_want = media_kept = 0
    exact = 0
    for i, r in enumerate(rows):
        f, key, stem = r["file"], r["key"], r["file"][:-4]
        probs = []
        names = by_date.get(day(i), [])
        if len(names) != 1:
            probs.append(f"import wrote {len(names)} posts")
            imp_html, imp_title = "", ""
        else:
            imp_html = read(os.path.join(posts, names[0] + ".html"))
            imp_title = read(os.path.join(posts, names[0] + ".title"))
            if imp_html is None or imp_title is None:
                probs.append("post not rendered")
                imp_html, imp_title = imp_html or "", imp_title or ""
        p, imp_text, _ = scan_text(imp_html)
        probs += ["import: " + x for x in p]
        p, title_text, _ = scan_text(imp_title)   # as a theme writing {{ page.title }} raw
        probs += ["title: " + x for x in p]
        conv_text = None
        if key != "title":
            conv = read(os.path.join(work, "conv", stem + ".html"))
            if conv is None:
                probs.append("convert: not converted or not rendered")
            else:
                p, conv_text, _ = scan_text(conv)
                probs += ["convert: " + x for x in p]
        # survival: feedparser's expected value has visible text
        exp_text = norm("".join(visible_chunks(r["expected"])))
        media = MEDIA & set(scan_text(r["expected"])[2])
        if media and key != "title":
            media_want += 1
            ours_tags = set(scan_text(read(os.path.join(work, "conv", stem + ".html")) or "")[2])
            if media <= ours_tags:
                media_kept += 1
            else:
                print(f"MISS: {f}: feedparser keeps <{'>, <'.join(sorted(media))}>, we do not")
        if exp_text:
            want += 1
            source = None if key == "title" else read(os.path.join(work, "html", stem + ".html"))
            ours = title_text if key == "title" else conv_text or []
            if survives(r["expected"], ours, source):
                kept_conv.append(f)
                exact += exp_text == norm("".join(ours))
            else:
                print(f"MISS: {f}: feedparser keeps {exp_text[:100]!r}, "
                      f"we show {norm(''.join(ours))[:100]!r}")
            if survives(r["expected"], title_text if key == "title" else imp_text, source):
                kept_imp.append(f)
        if probs:
            failed.append(f)
            print(f"FAIL: sanitize: {f}: " + "; ".join(probs))
        else:
            print(f"PASS: sanitize: {f}")
    n = len(rows)
    print(f"INFO: {n - len(failed)} of {n} feeds pass (imported, nothing executable "
          f"in the post, its title or the converted body)")
    rate = 100.0 * len(kept_conv) / want if want else 100.0
    rate_imp = 100.0 * len(kept_imp) / want if want else 100.0
    print(f"INFO: survival: {len(kept_conv)} of {want} feeds whose expected value has "
          f"text keep it ({rate:.1f}%; {exact} identical); through import "
          f"{len(kept_imp)} ({rate_imp:.1f}%)")
    print(f"INFO: media: {media_kept} of {media_want} feeds whose expected value keeps an "
          f"img, video, audio or iframe keep it too")
    if rate >= 95.0:
        print(f"PASS: sanitize: survival {rate:.1f}% >= 95%")
    else:
        print(f"FAIL: sanitize: survival {rate:.1f}% < 95%")
        failed.append("survival")
    return 1 if failed else 0


def cmd_scan(files, page):
    bad = 0
    for path in files:
        probs, _, _ = scan_text(read(path) or "", page)
        for p in probs:
            print(f"{path}: {p}")
            bad = 1
    return bad


def main(argv):
    if len(argv) >= 3 and argv[1] == "scan" and argv[2] == "--page":
        return cmd_scan(argv[3:], True)
    if len(argv) >= 2 and argv[1] == "scan":
        return cmd_scan(argv[2:], False)
    if len(argv) == 5 and argv[1] == "prepare":
        cmd_prepare(argv[2], argv[3], argv[4])
        return 0
    if len(argv) == 4 and argv[1] == "feedparser":
        return cmd_feedparser(argv[2], argv[3])
    print(__doc__.split("\n\n")[0], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
