/* test_url.c - the URL sanitizer table (issue 8). */
#include <stdlib.h>

#include "harness.h"
#include "url.h"
#include "buf.h"

struct row {
	const char *in, *base;
	enum url_use use;
	const char *want; /* NULL: dropped */
};

static const struct row rows[] = {
	{ "https://example.com/a?b=1&c=2", NULL, URL_LINK, "https://example.com/a?b=1&c=2" },
	{ "http://example.com/", NULL, URL_LINK, "http://example.com/" },
	{ "HTTPS://Example.com/", NULL, URL_LINK, "HTTPS://Example.com/" },
	{ "mailto:me@example.com", NULL, URL_LINK, "mailto:me@example.com" },
	{ "mailto:me@example.com", NULL, URL_IMAGE, NULL },
	{ "javascript:alert(1)", NULL, URL_LINK, NULL },
	{ "JaVaScRiPt:alert(1)", NULL, URL_LINK, NULL },
	{ " \x01 javascript:alert(1)", NULL, URL_LINK, NULL },
	{ "jav\tascript:alert(1)", NULL, URL_LINK, NULL },
	{ "jav\nascript:alert(1)", NULL, URL_LINK, NULL },
	{ "jav\rascript:alert(1)", NULL, URL_LINK, NULL },
	{ "java\x01script:alert(1)", NULL, URL_LINK, NULL },
	{ "java%73cript:alert(1)", NULL, URL_LINK, NULL },
	{ "&#106;avascript:alert(1)", NULL, URL_LINK, NULL },
	{ "vbscript:msgbox(1)", NULL, URL_LINK, NULL },
	{ "livescript:x", NULL, URL_LINK, NULL },
	{ "file:///etc/passwd", NULL, URL_LINK, NULL },
	{ "data:text/html,<script>alert(1)</script>", NULL, URL_LINK, NULL },
	{ "data:text/html,<script>alert(1)</script>", NULL, URL_IMAGE, NULL },
	{ "data:image/png;base64,iVBORw0KGgo=", NULL, URL_IMAGE, "data:image/png;base64,iVBORw0KGgo=" },
	{ "data:image/png;base64,iVBORw0KGgo=", NULL, URL_LINK, NULL },
	{ "data:image/svg+xml;base64,PHN2Zz4=", NULL, URL_IMAGE, NULL },
	{ "javascript://%0Aalert(1)", NULL, URL_LINK, NULL },
	{ "", NULL, URL_LINK, NULL },
	{ "   ", NULL, URL_LINK, NULL },
	{ "//evil.example/x", NULL, URL_LINK, "https://evil.example/x" },
	{ "//cdn.example/x", "http://blog.example/p/1", URL_LINK, "http://cdn.example/x" },
	{ "\\\\evil.example\\x", NULL, URL_LINK, "https://evil.example/x" },
	{ "/a/b", "https://blog.example/p/q.html", URL_LINK, "https://blog.example/a/b" },
	{ "c.png", "https://blog.example/p/q.html", URL_IMAGE, "https://blog.example/p/c.png" },
	{ "../c", "https://blog.example/p/q/r", URL_LINK, "https://blog.example/p/c" },
	{ "./c?x#y", "https://blog.example/p/", URL_LINK, "https://blog.example/p/c?x#y" },
	{ "?q=1", "https://blog.example/p?z", URL_LINK, "https://blog.example/p?q=1" },
	{ "#frag", "https://blog.example/p", URL_LINK, "#frag" },
	{ "rel/x", NULL, URL_LINK, "rel/x" },
	{ "rel/x", "javascript:alert(1)//", URL_LINK, "rel/x" },
	{ "https://e.com/a b", NULL, URL_LINK, "https://e.com/a b" },
	{ "\x7fjavascript:x", NULL, URL_LINK, NULL },
};

static void embeds(void)
{
	static const char *const mine[] = { "example.org", NULL };
	OK(url_embed_allowed("https://www.youtube.com/embed/x", NULL), "youtube embed");
	OK(url_embed_allowed("https://medium.com/media/abc", NULL), "medium embed");
	OK(url_embed_allowed("https://cdn.embedly.com/widgets/x", NULL), "embedly");
	OK(url_embed_allowed("https://sub.medium.com/x", NULL), "subdomain");
	OK(!url_embed_allowed("http://www.youtube.com/embed/x", NULL), "http refused");
	OK(!url_embed_allowed("https://evil.example/x", NULL), "unknown host");
	OK(!url_embed_allowed("https://www.youtube.com@evil.example/", NULL), "userinfo");
	OK(!url_embed_allowed("https://www.youtube.com.evil.example/", NULL), "suffix trick");
	OK(!url_embed_allowed("https://evilmedium.com/", NULL), "no dot boundary");
	OK(!url_embed_allowed("javascript:alert(1)", NULL), "javascript embed");
	OK(url_embed_allowed("https://example.org/x", mine), "configured host");
	OK(!url_embed_allowed("https://www.youtube.com/x", mine), "configured list only");
}

static void ser(const char *in, const char *want)
{
	struct buf b = BUF_INIT(0);

	INT_EQ(url_serialize(in, &b), 0, "serialize %s", in);
	buf_addch(&b, 0);
	STR_EQ(b.data, want, "serialize [%s]", in);
	/* issue 11: nothing that ends an attribute or a destination, no Liquid */
	OK(!strpbrk(b.data, "\"'<>` {}()[]|\\"), "serialize [%s]: no special byte", in);
	buf_release(&b);
}

static void serialize(void)
{
	ser("https://ex.org/a?x=1&y=2#f", "https://ex.org/a?x=1&y=2#f");
	ser("https://ex.org/%41%7e", "https://ex.org/%41%7e");
	ser("https://x.com/#{\"a\":1}", "https://x.com/#%7B%22a%22:1%7D");
	ser("https://ex.org/a\" onmouseover=\"alert(1)\" x=\"",
	    "https://ex.org/a%22%20onmouseover=%22alert%281%29%22%20x=%22");
	ser("https://ex.org/b><script>", "https://ex.org/b%3E%3Cscript%3E");
	ser("https://ex.org/c' `d`", "https://ex.org/c%27%20%60d%60");
	ser("{%x%}", "%7B%25x%25%7D");
	ser("{{x}}", "%7B%7Bx%7D%7D");
	ser("https://ex.org/100%", "https://ex.org/100%25");
	ser("https://ex.org/%zz%4", "https://ex.org/%25zz%254");
	ser("https://ex.org/d)](javascript:x)", "https://ex.org/d%29%5D%28javascript:x%29");
	ser("https://ex.org/\x01\x7f\xC2\x9B", "https://ex.org/%01%7F%C2%9B");
	ser("https://ex.org/&amp;&#60;&x", "https://ex.org/%26amp;%26#60;&x");
	ser("https://ex.org/caf\xC3\xA9", "https://ex.org/caf\xC3\xA9");
	ser("a|b\\c", "a%7Cb%5Cc");
}

int main(void)
{
	serialize();
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char *out = NULL;
		struct m2j_err err = { 0, "" };
		int rc = url_sanitize(rows[i].in, rows[i].base, rows[i].use, &out, &err);
		if (rows[i].want) {
			INT_EQ(rc, 0, "url row %zu accepted", i);
			STR_EQ(out, rows[i].want, "url row %zu", i);
		} else {
			INT_EQ(rc, M2J_EUNSAFE, "url row %zu dropped", i);
			OK(out == NULL && err.msg[0], "url row %zu reason: %s", i, err.msg);
		}
		free(out);
	}
	embeds();
	return HARNESS_END();
}
