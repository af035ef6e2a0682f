/* test_limits.c - each limit of caps.h at the limit and one past it. */
#include "harness.h"
#include "buf.h"
#include "caps.h"
#include "feed.h"
#include "html2md.h"
#include "slug.h"

#include <stdlib.h>
#include <string.h>

static struct feed *parse(const struct buf *b)
{
	struct feed *f = NULL;
	struct m2j_err err = { 0, "" };

	if (feed_parse(b->data, b->len, NULL, &f, &err) != 0) {
		printf("parse: %s\n", err.msg);
		return NULL;
	}
	return f;
}

static void items(size_t n)
{
	struct buf b = BUF_INIT(0);
	struct feed *f;
	size_t i;

	buf_addstr(&b, "<rss version=\"2.0\"><channel><title>t</title>");
	for (i = 0; i < n; i++)
		buf_addstr(&b, "<item><title>x</title></item>");
	buf_addstr(&b, "</channel></rss>");
	f = parse(&b);
	OK(f && f->nitems == (n > CAP_FEED_ITEMS ? CAP_FEED_ITEMS : n) &&
	   f->dropped == (n > CAP_FEED_ITEMS ? n - CAP_FEED_ITEMS : 0),
	   "CAP_FEED_ITEMS: %zu items give %zu kept, %zu dropped", n, f ? f->nitems : 0,
	   f ? f->dropped : 0);
	feed_free(f);
	buf_release(&b);
}

static void title(size_t n)
{
	struct buf b = BUF_INIT(0);
	struct feed *f;
	size_t i;

	buf_addstr(&b, "<rss version=\"2.0\"><channel><item><title>");
	for (i = 0; i < n; i++)
		buf_addch(&b, 'a');
	buf_addstr(&b, "</title></item></channel></rss>");
	f = parse(&b);
	OK(f && f->nitems == 1 && strlen(f->items[0].title) == (n > CAP_TITLE_LEN ? CAP_TITLE_LEN : n),
	   "CAP_TITLE_LEN: a %zu-byte title keeps %zu", n,
	   f && f->nitems ? strlen(f->items[0].title) : 0);
	feed_free(f);
	buf_release(&b);
}

/* n nested <div>s around a paragraph: the text is rendered either way */
static void depth(size_t n)
{
	struct buf h = BUF_INIT(0), md = BUF_INIT(0);
	struct m2j_err err = { 0, "" };
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		buf_addstr(&h, "<blockquote>");
	buf_addstr(&h, "<p>deep text</p>");
	for (i = 0; i < n; i++)
		buf_addstr(&h, "</blockquote>");
	buf_addstr(&h, "<p>after the deep part</p>");
	rc = html2md_convert(h.data, h.len, NULL, &md, &err);
	OK(rc == 0 && strstr(md.data, "deep text") != NULL &&
	   strstr(md.data, "after the deep part") != NULL,
	   "CAP_HTML_DEPTH: %zu nested blocks render the text and what follows", n);
	buf_release(&h);
	buf_release(&md);
}

static void slug(size_t n)
{
	char t[400], out[CAP_SLUG_LEN + 2];

	memset(t, 'z', n);
	t[n] = '\0';
	OK(slug_make(t, out, sizeof out) == (n > CAP_SLUG_LEN ? CAP_SLUG_LEN : n),
	   "CAP_SLUG_LEN: a %zu-letter word gives a slug of at most %d", n, CAP_SLUG_LEN);
}

int main(void)
{
	items(CAP_FEED_ITEMS);
	items(CAP_FEED_ITEMS + 1);
	title(CAP_TITLE_LEN);
	title(CAP_TITLE_LEN + 1);
	depth(CAP_HTML_DEPTH);
	depth(CAP_HTML_DEPTH + 1);
	/* past libxml2's own depth limit (256 without HTML_PARSE_HUGE) the
	 * text still renders, and so does what follows (htmldoc.h, issue 13) */
	depth(300);
	slug(CAP_SLUG_LEN);
	slug(CAP_SLUG_LEN + 1);
	/* the longest base name fits a file name with its suffix */
	OK(CAP_NAME_LEN_BASE + sizeof "-1000.md" <= CAP_NAME_LEN,
	   "CAP_NAME_LEN: the longest base (%d) with -1000.md fits %d", CAP_NAME_LEN_BASE,
	   CAP_NAME_LEN);
	return HARNESS_END();
}
