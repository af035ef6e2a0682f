#!/usr/bin/env python3
"""gen_medium_feeds.py DIR N [ITEMS] [KB] - writes N Medium-like feeds
DIR/feed-<i>.xml with ITEMS items (default 10) of about KB kilobytes of HTML
each (default 2), for the sync tests and benchmark.  Deterministic.
"""
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])
items = int(sys.argv[3]) if len(sys.argv) > 3 else 10
kb = int(sys.argv[4]) if len(sys.argv) > 4 else 2
os.makedirs(out, exist_ok=True)

PARA = ("<p>Paragraph {k} of post {j} by member {i}: some <strong>bold</strong>, some "
        "<em>emphasis</em>, a <a href=\"https://example.org/{i}/{j}/{k}\">link</a> and "
        "<code>inline code</code> to make it look like a real post.</p>")


def body(i, j):
    parts, size, k = ["<h3>Section</h3>"], 0, 0
    while size < kb * 1024:
        p = PARA.format(i=i, j=j, k=k)
        parts.append(p)
        size += len(p)
        k += 1
        if k % 5 == 0:
            parts.append("<pre>for x in range(10):<br>    print(x)</pre>")
    parts.append('<img src="https://medium.com/_/stat?event=post.clientViewed&amp;referrerSource=full_rss&amp;postId=%012x" width="1" height="1" alt="">' % (i * 1000 + j))
    return "".join(parts)


for i in range(n):
    with open(os.path.join(out, "feed-%d.xml" % i), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?><rss xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0"><channel>'
                "<title>Stories by Member %d on Medium</title><link>https://medium.com/@member%d</link>"
                "<generator>Medium</generator>\n" % (i, i))
        for j in range(items):
            pid = "%012x" % (i * 1000 + j + 0xa00000000000)
            f.write("<item><title><![CDATA[Post %d of member %d]]></title>"
                    "<link>https://medium.com/@member%d/post-%d-of-member-%d-%s?source=rss-1234------2</link>"
                    '<guid isPermaLink="false">https://medium.com/p/%s</guid><category>tag</category>'
                    "<dc:creator>Member %d</dc:creator><pubDate>Mon, %02d Jan 2024 10:%02d:00 GMT</pubDate>"
                    "<content:encoded><![CDATA[%s]]></content:encoded></item>\n"
                    % (j, i, i, j, i, pid, pid, i, 1 + j % 28, i % 60, body(i, j)))
        f.write("</channel></rss>\n")
