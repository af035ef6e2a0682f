#!/usr/bin/env python3
"""gen_feeds.py DIR - writes the hostile and large feeds the end-to-end
tests import (made here rather than stored, so their size stays out of git).
"""
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def item(title, guid, date="Wed, 02 Feb 2022 01:24:00 GMT", body="<p>Body</p>", cats=("x",), link=None):
    link = link or "https://example.org/" + guid
    c = "".join("<category>%s</category>" % x for x in cats)
    return ("<item><title>%s</title><link>%s</link><guid>%s</guid>%s"
            "<pubDate>%s</pubDate><description><![CDATA[%s]]></description></item>\n"
            % (title, link, "https://example.org/" + guid, c, date, body))


def rss(items, enc="UTF-8", prolog=""):
    return ('<?xml version="1.0" encoding="%s"?>%s\n<rss version="2.0"><channel><title>T</title>'
            "<link>https://example.org/</link>\n%s</channel></rss>\n" % (enc, prolog, "".join(items)))


def write(name, text, enc="utf-8"):
    with open(os.path.join(out, name), "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode(enc))


# external entity pointing at a local file
write("xxe.xml", rss([item("&xxe;", "xxe")], prolog='<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))
# external DTD on the test server (URL filled in by the test)
write("dtd.xml.in", rss([item("dtd", "dtd")], prolog='<!DOCTYPE rss SYSTEM "@SERVER@/evil.dtd">'))
# nested entity expansion (billion laughs)
ents = '<!ENTITY a0 "lol">' + "".join('<!ENTITY a%d "%s">' % (i, ("&a%d;" % (i - 1)) * 10) for i in range(1, 10))
write("laughs.xml", rss([item("&a9;", "laughs")], prolog="<!DOCTYPE rss [%s]>" % ents))
# 100,000 nested elements
write("deep.xml", rss([item("deep", "deep")]).replace("<channel>", "<channel>" + "<x>" * 100000 + "</x>" * 100000))
# 100,000 nested elements inside the HTML body
write("deep-html.xml", rss([item("deep html", "deephtml", body="<div>" * 100000 + "x" + "</div>" * 100000)]))
# hostile titles
titles = ["---", "title: evil", "yes", "null", "12345", "2022-01-01", "a\nb: c", "# not a comment",
          "{{ site.title }} {% include x %}", "&lt;script&gt;alert(1)&lt;/script&gt;", "../../../etc/passwd",
          ".hidden", "\u202eevil\u202c", "'single' \"double\"", "x" * 3000, "\u4e2d\u6587\u6807\u9898"]
write("titles.xml", rss([item(t.replace("&", "&amp;") if "&lt;" not in t else t, "t%d" % i,
                              date="Wed, 02 Feb 2022 01:%02d:00 GMT" % i)
                         for i, t in enumerate(titles)]))
# ISO-8859-1
write("latin1.xml", rss([item("Caf\xe9 cr\xe8me", "latin1", body="<p>na\xefve fa\xe7ade</p>")], enc="ISO-8859-1"), enc="latin-1")
# invalid UTF-8
write("badutf8.xml", rss([item("bad \xff utf8", "bad")]).encode("utf-8").replace(b"\xc3\xbf", b"\xff\xfe"))
# truncated
full = rss([item("one", "one"), item("two", "two")])
write("truncated.xml", full[: len(full) * 2 // 3])
# bad date
write("baddate.xml", rss([item("good", "good"), item("bad date", "bd", date="the day after tomorrow")]))
# 20,000 items
with open(os.path.join(out, "many.xml"), "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>T</title>\n')
    for i in range(20000):
        f.write(item("Post number %d" % i, "many%d" % i, date="Wed, 02 Feb 2022 %02d:%02d:%02d GMT"
                     % (i // 3600 % 24, i // 60 % 60, i % 60)))
    f.write("</channel></rss>\n")
