/* test_feed.c - feed_parse on fixture feeds of each format, hostile
 * inputs, the real-feed corpus (when /work/shared is present) and
 * feedparser's title/link/date expectations. */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "caps.h"
#include "date.h"
#include "feed.h"
#include "harness.h"
#include "../fuzz/checks.h"
#include "utf8.h"

static char root_dir[2048];

static int load(struct buf *b, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", root_dir, rel);
	buf_init(b, 0);
	return buf_read_file(b, path);
}

static struct feed *parse_str(const char *s, size_t n, const char *hint, int *rc,
                              struct m2j_err *err)
{
	struct feed *f = NULL;

	m2j_err_clear(err);
	*rc = feed_parse(s, n, hint, &f, err);
	return f;
}

static struct feed *parse_fixture_url(const char *rel, const char *url, int *rc,
                                      struct m2j_err *err)
{
	struct buf b;
	struct feed *f = NULL;

	m2j_err_clear(err);
	if (load(&b, rel) != 0) {
		OK(0, "read %s", rel);
		*rc = -1;
		return NULL;
	}
	*rc = feed_parse_url(b.data, b.len, NULL, url, &f, err);
	buf_release(&b);
	return f;
}

static struct feed *parse_fixture(const char *rel, int *rc, struct m2j_err *err)
{
	return parse_fixture_url(rel, NULL, rc, err);
}

static const char *iso(const struct feed_item *it, char *out)
{
	if (!it->has_date)
		return "(no date)";
	date_format_iso(it->date, out, 40);
	return out;
}

static bool contains(const char *s, const char *needle)
{
	return s && strstr(s, needle) != NULL;
}

/* Calls fn on every string of the feed; returns the first nonzero. */
static bool all_strings(const struct feed *f, bool (*fn)(const char *, void *), void *arg)
{
	size_t i, k;

	if (!fn(f->title, arg) || !fn(f->link, arg) || !fn(f->generator, arg))
		return false;
	for (i = 0; i < f->nitems; i++) {
		const struct feed_item *it = &f->items[i];
		const char *s[] = { it->title, it->link, it->guid, it->html, it->base,
			it->author, it->updated_raw, it->date_raw };
		for (k = 0; k < sizeof s / sizeof s[0]; k++)
			if (!fn(s[k], arg))
				return false;
		for (k = 0; k < it->ncategories; k++)
			if (!fn(it->categories[k], arg))
				return false;
	}
	return true;
}

static bool str_valid(const char *s, void *arg)
{
	(void)arg;
	return !s || utf8_valid(s, strlen(s));
}

static bool str_lacks(const char *s, void *arg)
{
	return !s || !strstr(s, (const char *)arg);
}

static bool str_len_sum(const char *s, void *arg)
{
	if (s)
		*(size_t *)arg += strlen(s);
	return true;
}

/* ---- fixtures per format ---- */

static void test_golden(void)
{
	struct m2j_err err;
	struct feed *f;
	const struct feed_item *it;
	char d[40];
	int rc;

	f = parse_fixture("fixtures/feeds/medium-antlerboy.xml", &rc, &err);
	INT_EQ(rc, 0, "golden: parses (%s)", err.msg);
	if (!f)
		return;
	INT_EQ(f->kind, FEED_RSS2, "golden: RSS 2.0");
	STR_EQ(f->title, "Stories by Benjamin P Taylor on Medium", "golden: channel title");
	STR_EQ(f->link, "https://medium.com/@antlerboy?source=rss-97852f5a56ae------2",
	       "golden: channel link");
	STR_EQ(f->generator, "Medium", "golden: generator");
	OK(f->is_medium, "golden: is_medium");
	INT_EQ(f->nitems, 3, "golden: 3 items");
	INT_EQ(f->dropped, 0, "golden: none dropped");
	if (f->nitems != 3) {
		feed_free(f);
		return;
	}
	it = &f->items[0];
	STR_EQ(it->title, "Syncing a Medium feed into Jekyll: notes from the cron job",
	       "golden 1: title");
	STR_EQ(it->link, "https://antlerboy.medium.com/syncing-a-medium-feed-into-jekyll-"
	       "1a2b3c4d5e6f?source=rss-97852f5a56ae------2", "golden 1: link");
	STR_EQ(it->guid, "https://medium.com/p/1a2b3c4d5e6f", "golden 1: guid");
	INT_EQ(it->ncategories, 2, "golden 1: 2 categories");
	if (it->ncategories == 2) {
		STR_EQ(it->categories[0], "jekyll", "golden 1: category 1");
		STR_EQ(it->categories[1], "automation", "golden 1: category 2");
	}
	STR_EQ(it->author, "Benjamin P Taylor", "golden 1: author");
	STR_EQ(it->date_raw, "Thu, 03 Feb 2022 09:10:02 GMT", "golden 1: date_raw");
	STR_EQ(iso(it, d), "2022-02-03T09:10:02Z", "golden 1: date");
	STR_EQ(it->updated_raw, "2022-02-03T09:11:30.512Z", "golden 1: updated_raw");
	OK(!strncmp(it->html, "<h3>Why a cron job beats a webhook</h3>", 39),
	   "golden 1: html is content:encoded");
	STR_EQ(it->base, it->link, "golden 1: no xml:base: the body's base is the item's link");

	it = &f->items[1];
	STR_EQ(it->title, "Agreed, and the same holds for small grants: relationships first.",
	       "golden 2: title");
	STR_EQ(it->guid, "https://medium.com/p/9f8e7d6c5b4a", "golden 2: guid");
	INT_EQ(it->ncategories, 0, "golden 2: response has no category");
	STR_EQ(iso(it, d), "2022-02-02T18:40:11Z", "golden 2: date");
	OK(contains(it->html, "<a href=\"https://example.o"), "golden 2: html");

	it = &f->items[2];
	STR_EQ(it->title, "We can \xe2\x80\x98level up\xe2\x80\x99 by transforming commissioning",
	       "golden 3: title");
	STR_EQ(it->link, "https://antlerboy.medium.com/we-can-level-up-by-transforming-"
	       "commissioning-ee6bf52b539c?source=rss-97852f5a56ae------2", "golden 3: link");
	STR_EQ(it->guid, "https://medium.com/p/ee6bf52b539c", "golden 3: guid");
	INT_EQ(it->ncategories, 3, "golden 3: 3 categories");
	if (it->ncategories == 3) {
		STR_EQ(it->categories[0], "community", "golden 3: category 1");
		STR_EQ(it->categories[1], "levellingup", "golden 3: category 2");
		STR_EQ(it->categories[2], "commissioning", "golden 3: category 3");
	}
	STR_EQ(it->author, "Benjamin P Taylor", "golden 3: author");
	STR_EQ(iso(it, d), "2022-02-02T01:24:00Z", "golden 3: date");
	OK(!strncmp(it->html, "<p>It\xe2\x80\x99s absolutely critical", 24), "golden 3: html");
	feed_free(f);
}

static void test_atom(void)
{
	struct m2j_err err;
	struct feed *f;
	const struct feed_item *it;
	char d[40];
	int rc;

	f = parse_fixture("fixtures/feeds/atom-content-types.xml", &rc, &err);
	INT_EQ(rc, 0, "atom: parses (%s)", err.msg);
	if (!f)
		return;
	INT_EQ(f->kind, FEED_ATOM, "atom: kind (prefixed namespace)");
	STR_EQ(f->title, "The Example & Blog", "atom: html title stripped and decoded");
	STR_EQ(f->link, "https://example.org/", "atom: feed link is the alternate");
	STR_EQ(f->generator, "ExampleGen", "atom: generator");
	OK(!f->is_medium, "atom: not medium");
	INT_EQ(f->nitems, 3, "atom: 3 entries");
	if (f->nitems != 3) {
		feed_free(f);
		return;
	}
	it = &f->items[0];
	STR_EQ(it->title, "XHTML entry", "atom 1: xhtml title as text");
	STR_EQ(it->link, "https://example.org/blog/posts/first.html",
	       "atom 1: relative link resolved against nested xml:base");
	STR_EQ(it->guid, "urn:example:1", "atom 1: id");
	STR_EQ(iso(it, d), "2024-03-01T00:30:00Z", "atom 1: published (leap day, -01:00)");
	STR_EQ(it->updated_raw, "2024-03-01T12:00:00Z", "atom 1: updated_raw");
	STR_EQ(it->author, "Ada Lovelace", "atom 1: author/name");
	INT_EQ(it->ncategories, 2, "atom 1: categories");
	if (it->ncategories == 2)
		STR_EQ(it->categories[1], "engines", "atom 1: category term");
	STR_EQ(it->html, "<p>Hello <a href=\"../img/x.png\" title=\"a &quot;q&quot;\">img</a>"
	       " &amp; more</p><br /><img src=\"pic.png\" alt=\"\" />\n"
	       "<audio controls src=\"https://cdn.example.org/a.mp3\"></audio>",
	       "atom 1: xhtml content serialised (div children), then the enclosure");
	STR_EQ(it->base, "https://example.org/blog/posts/", "atom 1: body base");

	it = &f->items[1];
	STR_EQ(it->title, "Second entry <not a tag>", "atom 2: text title collapsed");
	STR_EQ(it->link, "https://other.example.com/2", "atom 2: link without rel");
	STR_EQ(iso(it, d), "2024-01-15T06:00:00Z", "atom 2: updated used when no published");
	STR_EQ(it->html, "<p>Summary <b>bold</b></p>", "atom 2: html summary");
	STR_EQ(it->base, "https://example.org/blog/", "atom 2: feed-level base");

	it = &f->items[2];
	OK(!it->has_date, "atom 3: unreadable date: has_date false");
	STR_EQ(it->date_raw, "not a date", "atom 3: date_raw kept");
	STR_EQ(it->html, "1 &lt; 2 &amp; 3 &gt; 2<br>\nline two", "atom 3: text escaped");
	OK(it->link == NULL, "atom 3: no link");
	feed_free(f);
}

static void test_rss1(void)
{
	struct m2j_err err;
	struct feed *f;
	char d[40];
	int rc;

	f = parse_fixture("fixtures/feeds/rss1-rdf.xml", &rc, &err);
	INT_EQ(rc, 0, "rss1: parses (%s)", err.msg);
	if (!f)
		return;
	INT_EQ(f->kind, FEED_RSS1, "rss1: kind");
	STR_EQ(f->title, "RDF Example", "rss1: title");
	STR_EQ(f->link, "https://example.net/", "rss1: link");
	INT_EQ(f->nitems, 2, "rss1: items are channel siblings");
	if (f->nitems == 2) {
		STR_EQ(f->items[0].title, "First RDF item", "rss1 1: title");
		STR_EQ(f->items[0].link, "https://example.net/1", "rss1 1: link");
		STR_EQ(f->items[0].guid, "https://example.net/1", "rss1 1: rdf:about as guid");
		STR_EQ(f->items[0].html, "<p>Full <i>content</i></p>", "rss1 1: content:encoded");
		STR_EQ(iso(&f->items[0], d), "2003-12-31T18:14:55Z", "rss1 1: dc:date");
		STR_EQ(f->items[0].author, "Bob", "rss1 1: dc:creator");
		INT_EQ(f->items[0].ncategories, 1, "rss1 1: dc:subject");
		STR_EQ(f->items[1].html, "Only a description", "rss1 2: description");
		STR_EQ(iso(&f->items[1], d), "2004-01-01T00:00:00Z", "rss1 2: date only");
	}
	feed_free(f);
}

static void test_rss2_base(void)
{
	struct m2j_err err;
	struct feed *f;
	char d[40];
	int rc;

	f = parse_fixture("fixtures/feeds/rss2-xmlbase.xml", &rc, &err);
	INT_EQ(rc, 0, "rss2 base: parses (%s)", err.msg);
	if (!f)
		return;
	STR_EQ(f->title, "Base test", "rss2 base: channel title collapsed");
	OK(!f->is_medium, "rss2 base: not medium");
	INT_EQ(f->nitems, 2, "rss2 base: 2 items");
	if (f->nitems == 2) {
		STR_EQ(f->items[0].link, "https://example.com/site/p/1.html",
		       "rss2 base: relative link resolved");
		STR_EQ(f->items[0].base, "https://example.com/site/posts/", "rss2 base: item base");
		OK(!f->items[0].has_date, "rss2 base: unreadable pubDate: no date");
		STR_EQ(f->items[0].date_raw, "sometime last week", "rss2 base: date_raw");
		STR_EQ(f->items[0].author, "joe@example.com (Joe)", "rss2 base: <author>");
		STR_EQ(f->items[0].html, "<p>Desc <img src=\"a.png\"></p>", "rss2 base: description");
		STR_EQ(f->items[1].link, "https://example.com/g/2", "rss2 base: permalink guid as link");
		STR_EQ(iso(&f->items[1], d), "2003-06-10T08:00:00Z", "rss2 base: EDT");
		STR_EQ(f->items[1].html, "", "rss2 base: no body is \"\"");
	}
	feed_free(f);
}

/* ---- hostile and odd inputs ---- */

static void expect_fail(const char *name, const char *s, size_t n, int code, const char *msgpart)
{
	struct m2j_err err;
	int rc;
	struct feed *f = parse_str(s, n, NULL, &rc, &err);

	INT_EQ(rc, code, "%s: %s", name, err.msg);
	OK(f == NULL, "%s: no feed", name);
	if (msgpart)
		OK(contains(err.msg, msgpart), "%s: message names \"%s\" (%s)", name, msgpart, err.msg);
	feed_free(f);
}

static void test_not_feeds(void)
{
	static const char html[] = "<!DOCTYPE html>\n<html><head><title>Not Found</title></head>"
		"<body><p>Out of nothing&nbsp;</p></body></html>";
	static const char html2[] = "<html><body>x</body></html>";
	static const char other[] = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
	static const char garbage[] = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x01";
	static const char trunc[] = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n"
		"<title>T</title>\n<item><title>One</title></item>\n<item><title>Tw";
	static const char junk[] = "<rss><channel></channel></rss><rss/>";

	expect_fail("HTML page", html, sizeof html - 1, M2J_ENOTFEED, "HTML page");
	expect_fail("HTML without doctype", html2, sizeof html2 - 1, M2J_ENOTFEED, "HTML page");
	expect_fail("empty body", "", 0, M2J_ENOTFEED, "empty");
	expect_fail("whitespace body", " \n\t ", 4, M2J_ENOTFEED, "empty");
	expect_fail("NULL body", NULL, 0, M2J_ENOTFEED, "empty");
	expect_fail("other XML", other, sizeof other - 1, M2J_ENOTFEED, "<svg>");
	expect_fail("garbage bytes", garbage, sizeof garbage - 1, M2J_EPARSE, "not XML");
	expect_fail("plain text", "hello world", 11, M2J_EPARSE, "not XML: line 1");
	expect_fail("truncated feed", trunc, sizeof trunc - 1, M2J_EPARSE, "line 5");
	expect_fail("truncated feed says so", trunc, sizeof trunc - 1, M2J_EPARSE, "truncated");
	expect_fail("two roots", junk, sizeof junk - 1, M2J_EPARSE, "malformed XML");
}

static void test_xxe(void)
{
	static const char doc[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">"
		"<!ENTITY % pe SYSTEM \"file:///etc/passwd\"> %pe;]>\n"
		"<rss version=\"2.0\"><channel><title>&xxe;</title>"
		"<item><title>a&xxe;b</title><description>&xxe;</description>"
		"<link>&xxe;</link></item></channel></rss>";
	struct m2j_err err;
	int rc;
	struct feed *f = parse_str(doc, sizeof doc - 1, NULL, &rc, &err);

	OK(rc == 0 || rc == M2J_EPARSE, "XXE file: parsed or refused (%d %s)", rc, err.msg);
	OK(!contains(err.msg, "root:"), "XXE file: no passwd text in the message");
	if (f) {
		char n1[] = "root:", n2[] = "/bin/";
		OK(all_strings(f, str_lacks, n1), "XXE file: no passwd text in the feed");
		OK(all_strings(f, str_lacks, n2), "XXE file: no passwd lines");
	}
	feed_free(f);
}

static void test_no_network(void)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	char doc[1024];
	struct m2j_err err;
	struct pollfd pfd;
	int fd, rc, n, port;
	struct feed *f;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 4) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		printf("SKIP: no loopback socket for the network test\n");
		if (fd >= 0)
			close(fd);
		return;
	}
	port = ntohs(sa.sin_port);
	n = snprintf(doc, sizeof doc,
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE rss SYSTEM \"http://127.0.0.1:%d/x.dtd\" [\n"
		"<!ENTITY ext SYSTEM \"http://127.0.0.1:%d/e.xml\">\n"
		"<!ENTITY %% par SYSTEM \"http://127.0.0.1:%d/p.dtd\"> %%par;\n]>\n"
		"<rss version=\"2.0\"><channel><title>T &ext;</title>"
		"<item><title>I</title></item></channel></rss>", port, port, port);
	f = parse_str(doc, (size_t)n, NULL, &rc, &err);
	OK(rc == 0 || rc == M2J_EPARSE, "external DTD/entity on 127.0.0.1:%d: %d %s", port, rc, err.msg);
	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	INT_EQ(poll(&pfd, 1, 0), 0, "external DTD/entity: no connection attempted");
	feed_free(f);
	close(fd);

	n = snprintf(doc, sizeof doc,
		"<?xml version=\"1.0\"?>\n<!DOCTYPE rss SYSTEM \"http://127.0.0.1:1/x.dtd\">\n"
		"<rss version=\"2.0\"><channel><title>T</title>"
		"<item><title>I</title></item></channel></rss>");
	f = parse_str(doc, (size_t)n, NULL, &rc, &err);
	INT_EQ(rc, 0, "external DTD http://127.0.0.1:1/x.dtd not loaded, feed parses (%s)", err.msg);
	if (f)
		INT_EQ(f->nitems, 1, "external DTD: item read");
	feed_free(f);
}

static void test_billion_laughs(void)
{
	static const char doc[] =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n"
		"<!ENTITY lol \"lol\">\n"
		"<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		"<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
		"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		"<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		"<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
		"<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
		"<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
		"<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
		"<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
		"]>\n<rss version=\"2.0\"><channel><title>&lol9;</title>"
		"<item><title>&lol9;</title><description>&lol9;&lol9;</description></item>"
		"</channel></rss>";
	struct m2j_err err;
	size_t total = 0;
	int rc;
	struct feed *f = parse_str(doc, sizeof doc - 1, NULL, &rc, &err);

	OK(rc != 0 || f != NULL, "billion laughs: returns (%d %s)", rc, err.msg);
	OK(rc == M2J_EPARSE || rc == M2J_ELIMIT || rc == 0, "billion laughs: refused or bounded");
	if (f) {
		all_strings(f, str_len_sum, &total);
		OK(total < ((size_t)4 << 20), "billion laughs: output bounded (%zu bytes)", total);
	}
	feed_free(f);
}

static void test_deep_nesting(void)
{
	struct buf b = BUF_INIT(0);
	struct m2j_err err;
	struct feed *f;
	int rc, i;

	buf_addstr(&b, "<rss version=\"2.0\"><channel><item><title>x</title><description>");
	for (i = 0; i < 100000; i++)
		buf_addstr(&b, "<a>");
	for (i = 0; i < 100000; i++)
		buf_addstr(&b, "</a>");
	buf_addstr(&b, "</description></item></channel></rss>");
	OK(!b.failed, "deep nesting: document built");
	f = parse_str(b.data, b.len, NULL, &rc, &err);
	INT_EQ(rc, M2J_EPARSE, "100,000 nested elements: error (%s)", err.msg);
	OK(contains(err.msg, "depth"), "deep nesting: message says depth");
	feed_free(f);
	buf_release(&b);
}

static void test_many_items(void)
{
	struct buf b = BUF_INIT(0);
	struct m2j_err err;
	struct feed *f;
	int rc, i;

	buf_addstr(&b, "<rss version=\"2.0\"><channel><title>Many</title>");
	for (i = 0; i < 20000; i++)
		buf_addf(&b, "<item><title>Item %d</title><pubDate>Thu, 03 Feb 2022 09:12:44 GMT"
		         "</pubDate><description>&lt;p&gt;%d&lt;/p&gt;</description></item>", i, i);
	buf_addstr(&b, "</channel></rss>");
	f = parse_str(b.data, b.len, NULL, &rc, &err);
	INT_EQ(rc, 0, "20,000 items: parses (%s)", err.msg);
	if (f) {
		INT_EQ(f->nitems, 20000, "20,000 items: all kept");
		STR_EQ(f->items[19999].title, "Item 19999", "20,000 items: last title");
		OK(f->items[19999].has_date, "20,000 items: last dated");
	}
	feed_free(f);
	buf_release(&b);

	/* Past CAP_FEED_ITEMS: the rest are dropped and counted. */
	buf_init(&b, 0);
	buf_addstr(&b, "<rss><channel>");
	for (i = 0; i < CAP_FEED_ITEMS + 7; i++)
		buf_addstr(&b, "<item/>");
	buf_addstr(&b, "</channel></rss>");
	f = parse_str(b.data, b.len, NULL, &rc, &err);
	INT_EQ(rc, 0, "items past the cap: parses");
	if (f) {
		INT_EQ(f->nitems, CAP_FEED_ITEMS, "items past the cap: CAP_FEED_ITEMS kept");
		INT_EQ(f->dropped, 7, "items past the cap: dropped counted");
		STR_EQ(f->items[0].title, "", "empty item: title \"\"");
		OK(f->items[0].link == NULL && f->items[0].guid == NULL, "empty item: NULL link/guid");
		OK(!f->items[0].has_date && !f->items[0].date_raw, "empty item: no date");
	}
	feed_free(f);
	buf_release(&b);
}

static void test_encodings(void)
{
	/* ISO-8859-1: "Café" (0xE9). */
	static const char latin1[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
		"<rss version=\"2.0\"><channel><title>Caf\xe9</title>"
		"<item><title>na\xefve \xa3</title></item></channel></rss>";
	/* windows-1251: "Привет" */
	static const char cp1251[] = "<?xml version=\"1.0\" encoding=\"windows-1251\"?>"
		"<rss version=\"2.0\"><channel><title>\xcf\xf0\xe8\xe2\xe5\xf2</title>"
		"<item><title>\xc4\xe0</title></item></channel></rss>";
	/* UTF-8 declared, with invalid bytes. */
	static const char bad[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<rss version=\"2.0\"><channel><title>ok\xff\xc3(</title>"
		"<item><title>x\xed\xa0\x80y</title><description>\xc0\xaf</description>"
		"</item></channel></rss>";
	/* Declared UTF-16 but 8-bit UTF-8 bytes. */
	static const char lie16[] = "<?xml version=\"1.0\" encoding=\"utf-16\"?>"
		"<rss version=\"2.0\"><channel><title>\xc3\xa9t\xc3\xa9</title>"
		"<item><title>i</title></item></channel></rss>";
	/* No declaration, the HTTP charset says ISO-8859-1. */
	static const char hinted[] = "<rss version=\"2.0\"><channel><title>\xe9</title>"
		"<item><title>i</title></item></channel></rss>";
	/* Leading whitespace before the declaration, and a UTF-8 BOM. */
	static const char ws[] = "\xef\xbb\xbf\n\n  <?xml version=\"1.0\"?><rss><channel>"
		"<title>W</title></channel></rss>";
	struct m2j_err err;
	struct buf u16 = BUF_INIT(0);
	struct feed *f;
	const char *p;
	int rc;

	f = parse_str(latin1, sizeof latin1 - 1, NULL, &rc, &err);
	INT_EQ(rc, 0, "ISO-8859-1: parses (%s)", err.msg);
	if (f) {
		STR_EQ(f->title, "Caf\xc3\xa9", "ISO-8859-1: title as UTF-8");
		STR_EQ(f->items[0].title, "na\xc3\xafve \xc2\xa3", "ISO-8859-1: item title");
	}
	feed_free(f);
	f = parse_str(cp1251, sizeof cp1251 - 1, NULL, &rc, &err);
	INT_EQ(rc, 0, "windows-1251: parses (%s)", err.msg);
	if (f)
		STR_EQ(f->title, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
		       "windows-1251: title as UTF-8");
	feed_free(f);
	f = parse_str(bad, sizeof bad - 1, NULL, &rc, &err);
	INT_EQ(rc, 0, "invalid UTF-8: parses (%s)", err.msg);
	if (f) {
		OK(all_strings(f, str_valid, NULL), "invalid UTF-8: every string repaired");
		STR_EQ(f->title, "ok\xef\xbf\xbd\xef\xbf\xbd(", "invalid UTF-8: U+FFFD");
	}
	feed_free(f);
	f = parse_str(lie16, sizeof lie16 - 1, NULL, &rc, &err);
	INT_EQ(rc, 0, "declared UTF-16, 8-bit bytes: parses (%s)", err.msg);
	if (f)
		STR_EQ(f->title, "\xc3\xa9t\xc3\xa9", "declared UTF-16, 8-bit bytes: title");
	feed_free(f);
	f = parse_str(hinted, sizeof hinted - 1, "iso-8859-1", &rc, &err);
	INT_EQ(rc, 0, "charset hint: parses (%s)", err.msg);
	if (f)
		STR_EQ(f->title, "\xc3\xa9", "charset hint ISO-8859-1 used without declaration");
	feed_free(f);
	f = parse_str(ws, sizeof ws - 1, NULL, &rc, &err);
	INT_EQ(rc, 0, "BOM + whitespace before the declaration: parses (%s)", err.msg);
	feed_free(f);

	/* UTF-16LE with BOM whose prolog says UTF-8. */
	buf_add(&u16, "\xff\xfe", 2);
	for (p = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss><channel><title>Z</title>"
	         "<item><title>q</title></item></channel></rss>"; *p; p++) {
		buf_addch(&u16, *p);
		buf_addch(&u16, 0);
	}
	f = parse_str(u16.data, u16.len, NULL, &rc, &err);
	INT_EQ(rc, 0, "UTF-16LE BOM, prolog UTF-8: parses (%s)", err.msg);
	if (f) {
		STR_EQ(f->title, "Z", "UTF-16LE: title");
		INT_EQ(f->nitems, 1, "UTF-16LE: item");
	}
	feed_free(f);
	buf_release(&u16);
}

static void test_titles(void)
{
	struct buf b = BUF_INIT(0);
	struct m2j_err err;
	struct feed *f;
	int rc, i;

	buf_addstr(&b, "<rss><channel><item><title>");
	for (i = 0; i < 1500; i++)
		buf_addstr(&b, "\xc3\xa9\n");
	buf_addstr(&b, "</title></item></channel></rss>");
	f = parse_str(b.data, b.len, NULL, &rc, &err);
	INT_EQ(rc, 0, "long title: parses");
	if (f) {
		size_t n = strlen(f->items[0].title);
		OK(n <= CAP_TITLE_LEN, "long title: capped (%zu bytes)", n);
		OK(utf8_valid(f->items[0].title, n), "long title: cut at a UTF-8 boundary");
		OK(!strchr(f->items[0].title, '\n'), "long title: whitespace collapsed");
	}
	feed_free(f);
	buf_release(&b);
}

static void test_medium_detection(void)
{
	static const char byhost[] = "<rss><channel><link>https://medium.com/@x</link>"
		"<item><guid>https://medium.com/p/abc123</guid></item></channel></rss>";
	static const char sub[] = "<rss><channel><link>https://x.medium.com/</link>"
		"<item><guid>https://medium.com/p/0f</guid></item></channel></rss>";
	static const char notmed[] = "<rss><channel><link>https://notmedium.com/</link>"
		"<item><guid>https://medium.com/p/0f</guid></item></channel></rss>";
	static const char gen[] = "<rss><channel><generator>medium</generator></channel></rss>";
	struct m2j_err err;
	struct feed *f;
	int rc;

	f = parse_str(byhost, sizeof byhost - 1, NULL, &rc, &err);
	OK(f && f->is_medium, "medium: by host + guid");
	feed_free(f);
	f = parse_str(sub, sizeof sub - 1, NULL, &rc, &err);
	OK(f && f->is_medium, "medium: *.medium.com");
	feed_free(f);
	f = parse_str(notmed, sizeof notmed - 1, NULL, &rc, &err);
	OK(f && !f->is_medium, "medium: notmedium.com is not");
	feed_free(f);
	f = parse_str(gen, sizeof gen - 1, NULL, &rc, &err);
	OK(f && f->is_medium && f->nitems == 0, "medium: generator, case-insensitive; 0 items ok");
	feed_free(f);
}

/* ---- feeds in the wild (issue 16; dates: issue 14) ---- */

/* One expectation about item `item` of a fixture of fixtures/feeds/wild:
 * key is title, link, guid, base, html (substring), nohtml (absent
 * substring), date (local, front matter form), source (item, feed, none),
 * raw (date_raw, "(null)" for NULL), nenc, repairs (substring, "(null)"). */
struct wild { const char *file, *url; int item; const char *key, *want; };

static const struct wild wild[] = {
	/* RSS titles: entities and markup are HTML, read as plain text */
	{ "rss-title-markup.xml", NULL, 0, "title", "Sunny flat $4300 3bd 1930ft2" },
	{ "rss-title-markup.xml", NULL, 1, "title", "Caf\xc3\xa9 review: 5 stars" },
	{ "rss-title-markup.xml", NULL, 2, "title", "Why 1 < 2 & AT&T's <blink> tag" },
	{ "rss-title-markup.xml", NULL, 3, "title", "One Two Three Four" },
	/* Atom html / xhtml: inline markup joins, blocks separate */
	{ "atom-title-types.xml", NULL, 0, "title", "H2O and CO2" },
	{ "atom-title-types.xml", NULL, 1, "title", "H2O is water ice" },
	{ "atom-title-types.xml", NULL, 2, "title", "History of the <blink> tag &amp; more" },
	/* Atom elements in RSS items, under any prefix */
	{ "rss-atom10-ns.xml", NULL, 0, "title", "Hello World" },
	{ "rss-atom10-ns.xml", NULL, 0, "link", "https://dotnet.example.org/posts/hello-world" },
	{ "rss-atom10-ns.xml", NULL, 0, "date", "2024-02-01 08:30:00 +0100" },
	{ "rss-atom10-ns.xml", NULL, 1, "title", "RSS title wins" },
	{ "rss-atom10-ns.xml", NULL, 1, "link", "https://dotnet.example.org/posts/second" },
	/* relative links: self link, else the document's URL; href="" */
	{ "rss-relative-links.xml", NULL, 0, "link", "https://blog.example.org/blog/2013/01/30/post" },
	{ "rss-relative-links.xml", NULL, 0, "base", "https://blog.example.org/blog/2013/01/30/post" },
	{ "rss-relative-links.xml", "https://mirror.example.net/feed", 0, "link",
	  "https://blog.example.org/blog/2013/01/30/post" },
	{ "rss-relative-docurl.xml", "https://hand.example.org/feeds/rss.xml", 0, "link",
	  "https://hand.example.org/feeds/posts/one.html" },
	{ "rss-relative-docurl.xml", "https://hand.example.org/feeds/rss.xml", 0, "base",
	  "https://hand.example.org/feeds/posts/one.html" },
	{ "rss-relative-docurl.xml", NULL, 0, "link", "posts/one.html" },
	{ "rss-relative-docurl.xml", NULL, 0, "base", "(null)" },
	{ "atom-empty-href-base.xml", NULL, 0, "link", "https://base.example.org/section/entry/" },
	{ "atom-empty-href-base.xml", NULL, 0, "base", "https://base.example.org/section/entry/" },
	/* a guid is a link only as a permalink */
	{ "rss-guid-not-permalink.xml", NULL, 0, "link", "(null)" },
	{ "rss-guid-not-permalink.xml", NULL, 0, "guid", "https://guids.example.org/?p=101" },
	{ "rss-guid-not-permalink.xml", NULL, 1, "link", "(null)" },
	{ "rss-guid-not-permalink.xml", NULL, 2, "link", "https://guids.example.org/103" },
	{ "rss-guid-not-permalink.xml", NULL, 3, "link", "https://guids.example.org/104" },
	/* recovery */
	{ "rss-control-char.xml", NULL, 0, "title", "Backspace in a title" },
	{ "rss-control-char.xml", NULL, 0, "html", "<p>body</p>" },
	{ "rss-control-char.xml", NULL, 1, "title", "Second" },
	{ "rss-control-char.xml", NULL, 0, "repairs", "removed 2 control characters (U+0008)" },
	{ "rss091-netscape-entities.xml", NULL, 0, "title",
	  "Menu du caf\xc3\xa9 \xe2\x80\x93 d\xc3\xa9" "cembre" },
	{ "rss091-netscape-entities.xml", NULL, 0, "html",
	  "Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e\xc2\xa0& th\xc3\xa9 \xc2\xa9 &unknownthing; AT&T" },
	{ "rss091-netscape-entities.xml", NULL, 0, "link", "https://cafe.example.fr/menu?m=12&y=2007" },
	{ "rss091-netscape-entities.xml", NULL, 0, "repairs", "HTML entities XML does not define (&eacute;)" },
	{ "rss-internal-entity.xml", NULL, 0, "title",
	  "cafE-ACUTE-DECLARED and rE-ACUTE-DECLAREDsum\xc3\xa9" },
	{ "rss-internal-entity.xml", NULL, 0, "html", "<p>&eacute; in CDATA stays &amp; AT&T</p>" },
	{ "rss-internal-entity.xml", NULL, 0, "repairs", "(null)" },
	/* dc:title, base64, origLink */
	{ "atom-dc-title.xml", NULL, 0, "title", "Title from Dublin Core" },
	{ "atom-dc-title.xml", NULL, 0, "date", "2024-01-05 12:00:00 -0500" },
	{ "atom03-base64.xml", NULL, 0, "title", "Base64 title & caf\xc3\xa9" },
	{ "atom03-base64.xml", NULL, 0, "html", "<p>Base64 <em>content</em></p>" },
	{ "rss-feedburner-origlink.xml", NULL, 0, "link", "https://burned.example.org/2012/07/post.html" },
	/* enclosures: in the body once, http(s) only */
	{ "podcast-enclosures.xml", NULL, 0, "nenc", "1" },
	{ "podcast-enclosures.xml", NULL, 0, "html", "<p>Show notes</p>\n<audio controls "
	  "src=\"https://cdn.example.org/ep1.mp3?a=1&amp;b=&quot;2&quot;\"></audio>" },
	{ "podcast-enclosures.xml", NULL, 1, "nenc", "3" },
	{ "podcast-enclosures.xml", NULL, 1, "nohtml", "cover.jpg" },
	{ "podcast-enclosures.xml", NULL, 1, "html",
	  "<video controls src=\"https://pod.example.org/media/ep2.mp4\"></video>" },
	{ "podcast-enclosures.xml", NULL, 1, "html",
	  "<p><a href=\"https://cdn.example.org/ep2.pdf\">https://cdn.example.org/ep2.pdf</a></p>" },
	{ "podcast-enclosures.xml", NULL, 1, "nohtml", "javascript" },
	{ "podcast-enclosures.xml", NULL, 1, "nohtml", "ftp:" },
	{ "podcast-enclosures.xml", NULL, 2, "nenc", "2" },
	{ "podcast-enclosures.xml", NULL, 2, "nohtml", "controls src=\"https://cdn.example.org/ep3.ogg" },
	{ "podcast-enclosures.xml", NULL, 2, "html",
	  "<video controls src=\"https://cdn.example.org/ep3.webm\"></video>" },
	/* dates as the author saw them; undated items */
	{ "rss-blogger-offset.xml", NULL, 0, "date", "2007-12-14 23:15:00 -0800" },
	{ "rss-blogger-offset.xml", NULL, 0, "source", "item" },
	{ "rss-undated-channel.xml", NULL, 0, "date", "2024-01-05 12:00:00 +0100" },
	{ "rss-undated-channel.xml", NULL, 0, "source", "feed" },
	{ "rss-undated-channel.xml", NULL, 1, "date", "2024-01-03 08:00:00 +0000" },
	{ "rss-undated-channel.xml", NULL, 1, "source", "item" },
	{ "rss-undated-channel.xml", NULL, 2, "date", "(no date)" },
	{ "rss-undated-channel.xml", NULL, 2, "raw", "the day after tomorrow" },
	{ "rss-undated-channel.xml", NULL, 2, "source", "item" },
	{ "rss-undated-channel.xml", NULL, 3, "source", "feed" },
	{ "rss-undated-channel.xml", NULL, 4, "date", "2024-01-02 10:00:00 +0100" },
	{ "rss-undated-channel.xml", NULL, 4, "raw", "2024-01-02T10:00:00+01:00" },
	{ "atom-undated-feed.xml", NULL, 0, "date", "2024-02-02 10:00:00 -0300" },
	{ "atom-undated-feed.xml", NULL, 0, "source", "feed" },
	{ "rss-undated-nothing.xml", NULL, 0, "date", "(no date)" },
	{ "rss-undated-nothing.xml", NULL, 0, "raw", "(null)" },
	{ "rss-undated-nothing.xml", NULL, 0, "source", "none" },
	{ "rss091-netscape-entities.xml", NULL, 0, "source", "none" },
};

static const char *nz(const char *s)
{
	return s ? s : "(null)";
}

static void test_wild(void)
{
	size_t i;

	for (i = 0; i < sizeof wild / sizeof wild[0]; i++) {
		const struct wild *w = &wild[i];
		static const char *const src[] = { "none", "item", "feed" };
		char rel[300], tmp[48];
		const char *got = NULL;
		struct m2j_err err;
		struct feed *f;
		int rc;

		snprintf(rel, sizeof rel, "fixtures/feeds/wild/%s", w->file);
		f = parse_fixture_url(rel, w->url, &rc, &err);
		INT_EQ(rc, 0, "wild %s: parses (%s)", w->file, err.msg);
		if (!f || (size_t)w->item >= f->nitems) {
			OK(0, "wild %s: item %d present", w->file, w->item);
			feed_free(f);
			continue;
		} else {
			const struct feed_item *it = &f->items[w->item];
			if (!strcmp(w->key, "title"))
				got = it->title;
			else if (!strcmp(w->key, "link"))
				got = nz(it->link);
			else if (!strcmp(w->key, "guid"))
				got = nz(it->guid);
			else if (!strcmp(w->key, "base"))
				got = nz(it->base);
			else if (!strcmp(w->key, "raw"))
				got = nz(it->date_raw);
			else if (!strcmp(w->key, "repairs"))
				got = nz(f->repairs);
			else if (!strcmp(w->key, "source"))
				got = src[it->date_source];
			else if (!strcmp(w->key, "nenc")) {
				snprintf(tmp, sizeof tmp, "%zu", it->nenclosures);
				got = tmp;
			} else if (!strcmp(w->key, "date")) {
				if (it->has_date)
					date_format_fm_tz(it->date, it->tzoff, tmp, sizeof tmp);
				else
					snprintf(tmp, sizeof tmp, "(no date)");
				got = tmp;
			}
			if (!strcmp(w->key, "html"))
				OK(contains(it->html, w->want), "wild %s item %d: html has [%s]",
				   w->file, w->item, w->want);
			else if (!strcmp(w->key, "nohtml"))
				OK(!contains(it->html, w->want), "wild %s item %d: html lacks [%s]",
				   w->file, w->item, w->want);
			else if (!strcmp(w->key, "repairs") && strcmp(w->want, "(null)") != 0)
				OK(contains(got, w->want), "wild %s: repairs has [%s] (got [%s])",
				   w->file, w->want, got);
			else
				STR_EQ(got, w->want, "wild %s item %d %s%s%s", w->file, w->item, w->key,
				       w->url ? " from " : "", w->url ? w->url : "");
			OK(all_strings(f, str_valid, NULL), "wild %s: valid UTF-8", w->file);
		}
		feed_free(f);
	}
}

/* One item past libxml2's 10 MB text limit: the error names the item. */
static void test_oversize_item(void)
{
	struct buf b = BUF_INIT(0);
	struct m2j_err err;
	struct feed *f;
	int rc, i;

	buf_addstr(&b, "<rss version=\"2.0\"><channel><title>T</title>"
	           "<item><title>Small</title></item>"
	           "<item><title>The <![CDATA[big]]> one</title><description><![CDATA[");
	for (i = 0; i < 11000; i++)
		buf_addf(&b, "<p>%0998d</p>", i);
	buf_addstr(&b, "]]></description></item></channel></rss>");
	OK(!b.failed, "oversize item: document built");
	f = parse_str(b.data, b.len, NULL, &rc, &err);
	INT_EQ(rc, M2J_ELIMIT, "oversize item: a limit error (%s)", err.msg);
	OK(contains(err.msg, "item \"The big one\""), "oversize item: named (%s)", err.msg);
	OK(contains(err.msg, "10000000 bytes"), "oversize item: the limit given (%s)", err.msg);
	OK(!contains(err.msg, "internal error"), "oversize item: not libxml2's words");
	feed_free(f);
	buf_release(&b);
}

/* CDATA sections are lifted out of the parser's way and put back
 * (feed.c): the text comes back as the parser would have given it. */
static void test_cdata_lift(void)
{
	static const char doc[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE rss [<!ENTITY e \"<![CDATA[from the entity]]>\">]>\n"
		"<rss version=\"2.0\"><channel><title>T</title>\n"
		"<!-- a comment: <![CDATA[not a section]]> -->\n"
		"<?pi <![CDATA[nor this]]> ?>\n"
		"<item><title><![CDATA[1]]></title><guid>g1</guid>"
		"<description><![CDATA[<p>a\r\nb\rc\n]]><![CDATA[0]]> &amp; "
		"<![CDATA[<![CDATA[ ]]]]><![CDATA[>]]>&e;</description></item>\n"
		"<item><title>Second <![CDATA[<b>two</b>]]></title><guid>g2</guid>"
		"<description><![CDATA[]]></description></item>\n"
		"</channel></rss>\n";
	unsigned long before = feed_lifted_count();
	struct m2j_err err;
	struct feed *f;
	int rc;

	f = parse_str(doc, sizeof doc - 1, NULL, &rc, &err);
	INT_EQ(rc, 0, "cdata lift: parses (%s)", err.msg);
	INT_EQ((long)feed_lifted_count(), (long)before + 1, "cdata lift: the sections were lifted");
	if (f && f->nitems == 2) {
		STR_EQ(f->items[0].title, "1", "cdata lift: a section holding a number");
		STR_EQ(f->items[0].html, "<p>a\nb\nc\n0 & <![CDATA[ ]]>from the entity",
		       "cdata lift: CR LF and CR read as LF, sections joined, entity kept");
		STR_EQ(f->items[1].title, "Second two", "cdata lift: a section inside a title");
	} else {
		OK(0, "cdata lift: two items (%zu)", f ? f->nitems : 0);
	}
	feed_free(f);

	/* a "]]>" or ">" inside an entity's value does not end the DOCTYPE, so
	 * the section of a later entity is not lifted out of it */
	{
		static const char dtd[] =
			"<?xml version=\"1.0\"?>\n"
			"<!DOCTYPE rss SYSTEM \"x>y.dtd\" [\n"
			"  <!-- a ']>' in a comment -->\n"
			"  <!ENTITY a \"<![CDATA[first]]>\">\n"
			"  <!ENTITY b '<![CDATA[second]]>'>\n"
			"]>\n"
			"<rss version=\"2.0\"><channel><title>T</title><item><title>x</title>"
			"<description>&a;<![CDATA[ and ]]>&b;</description></item></channel></rss>\n";

		before = feed_lifted_count();
		f = parse_str(dtd, sizeof dtd - 1, NULL, &rc, &err);
		INT_EQ(rc, 0, "cdata lift: entities with sections parse (%s)", err.msg);
		INT_EQ((long)feed_lifted_count(), (long)before + 1,
		       "cdata lift: the body's section lifted past the DOCTYPE");
		if (f && f->nitems == 1)
			STR_EQ(f->items[0].html, "first and second",
			       "cdata lift: the entities' sections are their own");
		feed_free(f);
	}
	/* an error is the parser's, with the document's own line numbers */
	{
		static const char bad[] =
			"<rss version=\"2.0\"><channel><title>T</title><item>\n"
			"<description><![CDATA[one\ntwo\nthree\n]]></description>\n"
			"<title>x</titel></item></channel></rss>\n";

		before = feed_lifted_count();
		f = parse_str(bad, sizeof bad - 1, NULL, &rc, &err);
		INT_EQ(rc, M2J_EPARSE, "cdata lift: malformed still refused");
		OK(contains(err.msg, "line 6:"), "cdata lift: the error's line is the document's (%s)",
		   err.msg);
		INT_EQ((long)feed_lifted_count(), (long)before, "cdata lift: none counted on error");
		feed_free(f);
	}
	/* what XML refuses inside a section is still refused */
	{
		static const char nonchar[] =
			"<rss version=\"2.0\"><channel><title>T</title><item><title>x</title>"
			"<description><![CDATA[a \xEF\xBF\xBF b]]></description></item></channel></rss>";

		f = parse_str(nonchar, sizeof nonchar - 1, NULL, &rc, &err);
		INT_EQ(rc, M2J_EPARSE, "cdata lift: U+FFFF in a section refused as before (%s)",
		       err.msg);
		feed_free(f);
	}
	/* not UTF-8: parsed as it is */
	{
		static const char latin[] =
			"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel>"
			"<title>T</title><item><title>x</title><description><![CDATA[caf\xE9]]>"
			"</description></item></channel></rss>";

		before = feed_lifted_count();
		f = parse_str(latin, sizeof latin - 1, NULL, &rc, &err);
		INT_EQ(rc, 0, "cdata lift: Latin-1 parses (%s)", err.msg);
		INT_EQ((long)feed_lifted_count(), (long)before, "cdata lift: Latin-1 not lifted");
		if (f && f->nitems == 1)
			STR_EQ(f->items[0].html, "caf\xC3\xA9", "cdata lift: Latin-1 section converted");
		feed_free(f);
	}
}

/* Every feed the suite has, and the shared corpus when it is there, reads
 * the same with its CDATA sections lifted and not (fz_check_lift, the
 * fuzzer's check). */
static void test_lift_same(void)
{
	static const char *const dirs[] = {
		"fixtures/feeds", "fixtures/feeds/wild", "fixtures/feedparser/entries",
		"fixtures/feedparser-sanitize/entries", "fixtures/clean", "fixtures/xss",
		"fixtures/golden", "../shared/corpus/feeds",
	};
	size_t nfeeds = 0, nlifted = 0;
	const char *why = NULL, *which = "";
	char path[4096];

	for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
		DIR *dh;
		struct dirent *e;

		snprintf(path, sizeof path, "%s/%s", root_dir, dirs[d]);
		if (!(dh = opendir(path)))
			continue;
		while ((e = readdir(dh)) != NULL) {
			size_t l = strlen(e->d_name);
			unsigned long before = feed_lifted_count();
			struct feed *f = NULL;
			struct m2j_err err;
			struct buf b;
			int rc;
			const char *bad;

			if (l < 5 || strcmp(e->d_name + l - 4, ".xml") != 0)
				continue;
			snprintf(path, sizeof path, "%s/%s/%s", root_dir, dirs[d], e->d_name);
			buf_init(&b, 0);
			if (buf_read_file(&b, path) != 0)
				continue;
			m2j_err_clear(&err);
			rc = feed_parse_url(b.data, b.len, NULL, "https://example.org/feed/", &f, &err);
			nlifted += feed_lifted_count() > before;
			bad = fz_check_lift((const uint8_t *)b.data, b.len, "https://example.org/feed/",
			                    rc, f, &err);
			if (bad && !why) {
				why = bad;
				which = dirs[d];
				printf("  %s/%s: %s\n", dirs[d], e->d_name, bad);
			}
			nfeeds++;
			feed_free(f);
			buf_release(&b);
		}
		closedir(dh);
	}
	OK(!why, "cdata lift: %zu feeds read the same lifted and not, %zu of them lifted (%s%s%s)",
	   nfeeds, nlifted, which, why ? ": " : "", why ? why : "");
	OK(nlifted >= 50, "cdata lift: most Medium-like feeds lifted (%zu)", nlifted);
}

/* ---- the corpus ---- */

static void test_corpus(void)
{
	char dir[2300], path[2600], line[4096];
	FILE *m;
	int nfeeds = 0, nok = 0;

	snprintf(dir, sizeof dir, "%s/../shared/corpus/feeds", root_dir);
	snprintf(path, sizeof path, "%s/MANIFEST.tsv", dir);
	m = fopen(path, "r");
	if (!m) {
		snprintf(dir, sizeof dir, "/work/shared/corpus/feeds");
		snprintf(path, sizeof path, "%s/MANIFEST.tsv", dir);
		m = fopen(path, "r");
	}
	if (!m) {
		printf("SKIP: corpus: no MANIFEST.tsv in ../shared or /work/shared\n");
		return;
	}
	if (!fgets(line, sizeof line, m)) {
		fclose(m);
		return;
	}
	while (fgets(line, sizeof line, m)) {
		char *fld[8];
		char *s = line, full[2900];
		struct buf b;
		struct feed *f;
		struct m2j_err err;
		long want;
		int i, rc;
		size_t k, dated = 0;

		for (i = 0; i < 8 && s; i++) {
			fld[i] = s;
			s = strchr(s, '\t');
			if (s)
				*s++ = '\0';
		}
		if (i < 8)
			continue;
		want = strtol(fld[5], NULL, 10);
		snprintf(full, sizeof full, "%s/%s", dir, fld[0]);
		buf_init(&b, 0);
		if (buf_read_file(&b, full) != 0) {
			OK(0, "corpus %s: readable", fld[0]);
			continue;
		}
		nfeeds++;
		f = parse_str(b.data, b.len, NULL, &rc, &err);
		buf_release(&b);
		if (strcmp(fld[0], "medium-gabriel-avila.xml") == 0) {
			/* Decided: text before the XML is "not XML", an error. */
			INT_EQ(rc, M2J_EPARSE, "corpus %s: leading text is an error (%s)", fld[0], err.msg);
			OK(contains(err.msg, "not XML"), "corpus %s: says not XML", fld[0]);
		} else if (strcmp(fld[0], "medium-notfound-html-pranavgupta.xml") == 0) {
			INT_EQ(rc, M2J_ENOTFEED, "corpus %s: HTML page (%s)", fld[0], err.msg);
		} else {
			/* Well-formed ones, and utf16-declared-eliotjones.xml,
			 * which is recovered (declared UTF-16, read as UTF-8). */
			INT_EQ(rc, 0, "corpus %s: parses (%s)", fld[0], err.msg);
		}
		if (f) {
			nok++;
			INT_EQ(f->nitems, want, "corpus %s: item count", fld[0]);
			OK(all_strings(f, str_valid, NULL), "corpus %s: every string valid UTF-8", fld[0]);
			for (k = 0; k < f->nitems; k++)
				dated += f->items[k].has_date;
			INT_EQ(dated, f->nitems, "corpus %s: every item dated", fld[0]);
			if (strncmp(fld[0], "medium-", 7) == 0)
				OK(f->is_medium, "corpus %s: is_medium", fld[0]);
			else
				OK(!f->is_medium, "corpus %s: not medium", fld[0]);
		}
		feed_free(f);
	}
	fclose(m);
	printf("INFO: corpus: %d of %d feeds parsed\n", nok, nfeeds);
}

/* ---- feedparser entries ---- */

/* Rows this parser deliberately answers differently, with the reason. */
static const struct { const char *file, *why; } fp_differ[] = {
	{ "", "" }, /* none so far */
};

static const char *fp_differs(const char *file)
{
	size_t i;

	for (i = 0; i < sizeof fp_differ / sizeof fp_differ[0]; i++)
		if (fp_differ[i].file[0] && strcmp(fp_differ[i].file, file) == 0)
			return fp_differ[i].why;
	return NULL;
}

static void test_feedparser(void)
{
	static const char *const keys[] = { "title", "link", "published", "updated" };
	int pass[4] = { 0 }, total[4] = { 0 }, differ_n[4] = { 0 };
	struct buf tsv;
	char *line, *next;
	size_t k;

	if (load(&tsv, "fixtures/feedparser/entries-title-link-date.tsv") != 0) {
		OK(0, "read entries-title-link-date.tsv");
		return;
	}
	next = strchr(tsv.data, '\n');
	for (line = next ? next + 1 : NULL; line && *line; line = next) {
		char *file, *key, *want, *tab, rel[600], d[40];
		const char *got = NULL, *why;
		struct m2j_err err;
		struct feed *f;
		int rc;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		file = line;
		if (!(tab = strchr(file, '\t')))
			continue;
		*tab = '\0';
		key = tab + 1;
		if (!(tab = strchr(key, '\t')))
			continue;
		*tab = '\0';
		want = tab + 1;
		if ((tab = strchr(want, '\t')))
			*tab = '\0';
		for (k = 0; k < 4; k++)
			if (strcmp(key, keys[k]) == 0)
				break;
		if (k == 4)
			continue;
		total[k]++;
		snprintf(rel, sizeof rel, "fixtures/feedparser/entries/%s", file);
		/* The base/http_* files are served by feedparser's harness at
		 * http://127.0.0.1:8097/tests/wellformed/base/<name>, with the
		 * headers in their "Header:" comment: give feed_parse_url the
		 * URL the fetcher would (Content-Location, else the URL). */
		if (strcmp(file, "base--http_item_link_base_content_location.xml") == 0)
			f = parse_fixture_url(rel, "http://example.com/", &rc, &err);
		else if (strcmp(file, "base--http_item_link_base_docuri.xml") == 0)
			f = parse_fixture_url(rel, "http://127.0.0.1:8097/tests/wellformed/base/"
			                      "http_item_link_base_docuri.xml", &rc, &err);
		else
			f = parse_fixture(rel, &rc, &err);
		if (f && f->nitems > 0) {
			const struct feed_item *it = &f->items[0];
			if (k == 0)
				got = it->title;
			else if (k == 1)
				got = it->link;
			else
				got = iso(it, d);
		} else {
			got = rc ? err.msg : "(no items)";
		}
		why = fp_differs(file);
		if (got && strcmp(got, want) == 0) {
			pass[k]++;
			OK(why == NULL, "feedparser %s %s = %s", file, key, want);
		} else if (why) {
			differ_n[k]++;
			printf("SKIP: feedparser %s %s: want [%s], got [%s]: differs on purpose: %s\n",
			       file, key, want, got ? got : "(null)", why);
		} else {
			STR_EQ(got, want, "feedparser %s %s", file, key);
		}
		feed_free(f);
	}
	buf_release(&tsv);
	/* 100 % where we agree: every row passes or is listed in fp_differ */
	for (k = 0; k < 4; k++)
		OK(total[k] && pass[k] + differ_n[k] == total[k],
		   "feedparser entries %s: %d/%d = %d%%, %d differ on purpose", keys[k], pass[k],
		   total[k], total[k] ? 100 * pass[k] / total[k] : 0, differ_n[k]);
}

/* feedparser's entry feeds (the whole set of the shared corpus, when
 * present): every one parses; count those whose first item has no date
 * of its own (issue 14: they are imported now, dated by the feed or by
 * the caller), and how many of those have a title and a link. */
static void test_feedparser_undated(void)
{
	static const char *const dirs[] = { "../shared/corpus/peer-suites/feedparser/entries",
		"/work/shared/corpus/peer-suites/feedparser/entries" };
	char dir[2400], path[2800];
	struct dirent *e;
	DIR *d = NULL;
	int files = 0, parsed = 0, undated = 0, titled = 0, linked = 0, both = 0, feed_dated = 0;
	size_t i;

	for (i = 0; i < 2 && !d; i++) {
		if (dirs[i][0] == '/')
			snprintf(dir, sizeof dir, "%s", dirs[i]);
		else
			snprintf(dir, sizeof dir, "%s/%s", root_dir, dirs[i]);
		d = opendir(dir);
	}
	if (!d) {
		printf("SKIP: feedparser undated: no shared corpus\n");
		return;
	}
	while ((e = readdir(d)) != NULL) {
		struct buf b;
		struct feed *f = NULL;
		struct m2j_err err;
		size_t n = strlen(e->d_name);
		int rc;

		if (n < 4 || strcmp(e->d_name + n - 4, ".xml") != 0)
			continue;
		files++;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		buf_init(&b, 0);
		if (buf_read_file(&b, path) != 0) {
			OK(0, "feedparser undated: read %s", e->d_name);
			continue;
		}
		m2j_err_clear(&err);
		rc = feed_parse_url(b.data, b.len, NULL, "http://127.0.0.1:8097/tests/wellformed/x.xml",
		                    &f, &err);
		buf_release(&b);
		if (rc != 0) {
			OK(0, "feedparser %s parses (%s)", e->d_name, err.msg);
			continue;
		}
		parsed++;
		if (f->nitems && f->items[0].date_source != FEED_DATE_ITEM) {
			const struct feed_item *it = &f->items[0];
			undated++;
			feed_dated += it->date_source == FEED_DATE_FEED;
			titled += it->title[0] != '\0';
			linked += it->link != NULL;
			both += it->title[0] != '\0' && it->link != NULL;
		}
		feed_free(f);
	}
	closedir(d);
	INT_EQ(parsed, files, "feedparser entry feeds: all %d parse", files);
	printf("INFO: feedparser entry feeds: %d files, %d parsed; %d have no item date "
	       "(%d dated by the feed); of those %d have a title, %d a link, %d both\n",
	       files, parsed, undated, feed_dated, titled, linked, both);
}

int main(void)
{
	const char *r = getenv("M2J_ROOT");

	snprintf(root_dir, sizeof root_dir, "%s", r ? r : ".");
	test_golden();
	test_atom();
	test_rss1();
	test_rss2_base();
	test_not_feeds();
	test_xxe();
	test_no_network();
	test_billion_laughs();
	test_deep_nesting();
	test_many_items();
	test_encodings();
	test_titles();
	test_medium_detection();
	test_wild();
	test_oversize_item();
	test_cdata_lift();
	test_lift_same();
	test_corpus();
	test_feedparser();
	test_feedparser_undated();
	return HARNESS_END();
}
