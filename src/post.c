/* post.c - item -> post text (see post.h). */
#include "post.h"
#include "date.h"
#include "frontmatter.h"
#include "htmltext.h"
#include "ident.h"
#include "slug.h"
#include "strmap.h"
#include "url.h"

#include <stdlib.h>

#include <stdio.h>
#include <string.h>

const char *post_item_label(const struct feed_item *it)
{
	if (it->title && it->title[0])
		return it->title;
	if (it->guid && it->guid[0])
		return it->guid;
	if (it->link && it->link[0])
		return it->link;
	return "(untitled item)";
}

const char *const post_keys[] = {
	"layout", "title", "date", "author", "original_link", "guid", "canonical_url", "tags",
	"image", "description", "medium_id", "updated", NULL
};

bool post_is_preview(const struct feed_item *it)
{
	return it->html && strstr(it->html, "medium-feed-item") &&
	       strstr(it->html, "medium-feed-link") && strstr(it->html, "Continue reading on");
}

char *post_clean_url(const char *url)
{
	const char *q = strchr(url, '?'), *frag, *p;
	struct buf b = BUF_INIT(0);
	bool first = true;

	if (!q)
		return strdup(url);
	frag = q + strcspn(q, "#");
	buf_add(&b, url, (size_t)(q - url));
	for (p = q + 1; p < frag;) {
		const char *e = p + strcspn(p, "&#");

		if (e > frag)
			e = frag;
		if (e > p && !((size_t)(e - p) >= 6 && strncmp(p, "source", 6) == 0 &&
		               (e - p == 6 || p[6] == '='))) {
			buf_addch(&b, first ? '?' : '&');
			buf_add(&b, p, (size_t)(e - p));
			first = false;
		}
		p = *e == '&' ? e + 1 : e;
	}
	buf_addstr(&b, frag);
	if (b.failed) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* --clean's rewrite, after the caller's own (downloaded images) when there
 * is one. */
struct chain {
	char *(*fn)(void *ctx, int use, const char *url);
	void *ctx;
};

static char *clean_rewrite(void *ctx, int use, const char *url)
{
	const struct chain *ch = ctx;
	char *r = ch->fn ? ch->fn(ch->ctx, use, url) : NULL;

	if (r)
		return r;
	return strchr(url, '?') ? post_clean_url(url) : NULL;
}

/* Medium's footer: "<p><a>Title</a> was originally published in <a>Pub</a>
 * on Medium, where people are continuing the conversation ...</p>", often
 * after an <hr>.  Returns the body without it (a copy), or NULL when there
 * is none. */
static char *strip_footer(const char *html)
{
	const char *m = strstr(html, " was originally published in ");
	const char *p, *end;
	struct buf b = BUF_INIT(0);
	size_t start;

	if (!m)
		return NULL;
	for (p = m; p > html && strncmp(p, "<p", 2) != 0; p--)
		;
	end = strstr(m, "</p>");
	if (strncmp(p, "<p", 2) != 0 || !end)
		return NULL;
	start = (size_t)(p - html);
	if (start >= 4 && strncmp(html + start - 4, "<hr>", 4) == 0)
		start -= 4;
	else if (start >= 6 && strncmp(html + start - 6, "<hr/>", 5) == 0)
		start -= 5;
	buf_add(&b, html, start);
	buf_addstr(&b, end + 4);
	if (b.failed) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* A Medium category as Medium shows it: "machine-learning" -> "Machine
 * Learning". */
static char *tag_name(const char *cat)
{
	struct buf b = BUF_INIT(0);
	bool word = true;

	for (; *cat; cat++) {
		char ch = *cat;

		if (ch == '-')
			ch = ' ';
		if (word && ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 32);
		word = ch == ' ';
		buf_addch(&b, ch);
	}
	if (b.failed) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static bool is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* True when text starts with title, comparing with whitespace collapsed and
 * ignoring a final ellipsis in the title. */
static bool starts_with_title(const char *text, const char *title)
{
	size_t tl = strlen(title);
	const char *t = title, *x = text;

	while (tl && is_ws((unsigned char)title[tl - 1]))
		tl--;
	if (tl >= 3 && (memcmp(title + tl - 3, "\xE2\x80\xA6", 3) == 0 ||
	                memcmp(title + tl - 3, "...", 3) == 0))
		tl -= 3;
	if (tl == 0)
		return false;
	while (t < title + tl) {
		if (is_ws((unsigned char)*t)) {
			while (t < title + tl && is_ws((unsigned char)*t))
				t++;
			if (!is_ws((unsigned char)*x))
				return false;
			while (is_ws((unsigned char)*x))
				x++;
			continue;
		}
		if (*t != *x)
			return false;
		t++;
		x++;
	}
	return true;
}

int post_is_response(bool is_medium, const struct feed_item *it, bool *response,
                     struct m2j_err *err)
{
	struct buf text = BUF_INIT(0);
	int rc;

	*response = false;
	if (!is_medium || it->ncategories > 0 || !it->title || !it->title[0] || !it->html)
		return 0;
	rc = htmltext_extract(it->html, strlen(it->html), strlen(it->title) + 64, &text, err);
	if (rc == 0)
		*response = starts_with_title(text.data, it->title);
	buf_release(&text);
	return rc;
}

/* What post_build allocates beside the text; freed at the end. */
struct scratch {
	char *html, *image, **tags;
	size_t ntags;
	struct buf desc;
};

static void scratch_release(struct scratch *x)
{
	size_t i;

	free(x->html);
	free(x->image);
	for (i = 0; i < x->ntags; i++)
		free(x->tags[i]);
	free(x->tags);
	buf_release(&x->desc);
}

int post_link(const struct feed_item *it, const struct post_opts *o, char **out,
              struct m2j_err *err)
{
	const char *link = it->link;
	char *safe = NULL;
	struct m2j_err ue = { 0, "" };

	*out = NULL;
	if (!link) /* feed.c already took a permalink guid */
		return 0;
	/* original_link is shown by the site's layout: it obeys the URL policy
	 * of the body (no javascript: and the like) */
	if (url_sanitize(link, NULL, URL_LINK, &safe, &ue) != 0) {
		if (ue.code == M2J_ENOMEM)
			return m2j_err_set(err, M2J_ENOMEM, "out of memory");
		if (o->conv.report)
			o->conv.report(o->conv.report_ctx, "original_link dropped: unsafe URL");
		return 0;
	}
	if (o->clean) {
		char *c = post_clean_url(safe);

		free(safe);
		if (!c)
			return m2j_err_set(err, M2J_ENOMEM, "out of memory");
		safe = c;
	}
	*out = safe;
	return 0;
}

int post_build(const struct feed_item *it, const struct ident *id, const char *link,
               const struct post_opts *o, struct post *p, struct m2j_err *err)
{
	char ymd[16], when[40], upd[40], slug[CAP_SLUG_LEN + 2];
	struct fm_entry e[12 + 64];
	struct html2md_opts conv = o->conv;
	struct chain chain = { o->conv.rewrite_url, o->conv.rewrite_ctx };
	struct scratch x;
	const char *html = it->html ? it->html : "";
	size_t n = 0, i;
	int rc;
	int64_t t;
	struct date_zone z;

	memset(p, 0, sizeof *p);
	memset(&x, 0, sizeof x);
	buf_init(&p->text, 0);
	buf_init(&x.desc, 0);
	if (!it->has_date) {
		if (it->date_raw)
			return m2j_err_set(err, M2J_EDATE, "unreadable date \"%.80s\"", it->date_raw);
		return m2j_err_set(err, M2J_EDATE, "no date");
	}
	if (o->clean) {
		conv.drop_tracking_pixel = true;
		conv.rewrite_url = clean_rewrite;
		conv.rewrite_ctx = &chain;
		if ((x.html = strip_footer(html)))
			html = x.html;
	}
	date_format_ymd_tz(it->date, it->tzoff, ymd, sizeof ymd);
	date_format_fm_tz(it->date, it->tzoff, when, sizeof when);
	if (slug_make(it->title ? it->title : "", slug, sizeof slug) == 0) {
		/* nothing Latin in the title: the Medium id, else a hash */
		const char *key = it->guid ? it->guid : link ? link : it->title ? it->title : "";

		if (id->medium_id[0])
			snprintf(slug, sizeof slug, "%s", id->medium_id);
		else
			snprintf(slug, sizeof slug, "%012llx",
			         (unsigned long long)(strmap_hash(key, strlen(key)) & 0xffffffffffffULL));
	}
	snprintf(p->base, sizeof p->base, "%s-%s", ymd, slug);

	e[n++] = (struct fm_entry){ "layout", FM_STRING, o->layout, NULL, 0 };
	e[n++] = (struct fm_entry){ "title", FM_LITERAL, it->title ? it->title : "", NULL, 0 };
	e[n++] = (struct fm_entry){ "date", FM_DATE, when, NULL, 0 };
	if (o->author && o->author[0])
		e[n++] = (struct fm_entry){ "author", FM_ID, o->author, NULL, 0 };
	if (link)
		e[n++] = (struct fm_entry){ "original_link", FM_STRING, link, NULL, 0 };
	if (id->guid)
		e[n++] = (struct fm_entry){ "guid", FM_STRING, id->guid, NULL, 0 };
	if (o->canonical && link)
		e[n++] = (struct fm_entry){ "canonical_url", FM_STRING, link, NULL, 0 };
	if (o->tags && it->ncategories) {
		x.tags = calloc(it->ncategories, sizeof *x.tags);
		if (!x.tags) {
			rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
			goto fail;
		}
		for (i = 0; i < it->ncategories; i++) {
			if (!(x.tags[x.ntags] = tag_name(it->categories[i]))) {
				rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
				goto fail;
			}
			x.ntags++;
		}
		e[n++] = (struct fm_entry){ "tags", FM_LIST, NULL, (const char *const *)x.tags, x.ntags };
	}
	if (o->fields & POST_F_IMAGE) {
		char *raw = NULL;
		struct m2j_err ue = { 0, "" };

		if ((rc = htmltext_first_image(html, strlen(html), &raw, err)))
			goto fail;
		if (raw && url_sanitize(raw, conv.base_url, URL_IMAGE, &x.image, &ue) == 0 &&
		    conv.rewrite_url) {
			char *r = conv.rewrite_url(conv.rewrite_ctx, URL_IMAGE, x.image);

			if (r) {
				free(x.image);
				x.image = r;
			}
		}
		free(raw);
		if (x.image)
			e[n++] = (struct fm_entry){ "image", FM_STRING, x.image, NULL, 0 };
	}
	if (o->fields & POST_F_DESCRIPTION) {
		if ((rc = htmltext_summary(html, strlen(html), 200, &x.desc, err)))
			goto fail;
		if (x.desc.len)
			e[n++] = (struct fm_entry){ "description", FM_STRING, x.desc.data, NULL, 0 };
	}
	if ((o->fields & POST_F_MEDIUM_ID) && id->medium_id[0])
		e[n++] = (struct fm_entry){ "medium_id", FM_STRING, id->medium_id, NULL, 0 };
	if ((o->fields & POST_F_UPDATED) && it->updated_raw &&
	    date_parse_tz(it->updated_raw, &t, &z) == 0) {
		date_format_fm_tz(t, z.minutes, upd, sizeof upd);
		e[n++] = (struct fm_entry){ "updated", FM_DATE, upd, NULL, 0 };
	}
	for (i = 0; i < o->nextra && n < sizeof e / sizeof e[0]; i++)
		e[n++] = (struct fm_entry){ o->extra[i].key, FM_STRING, o->extra[i].value, NULL, 0 };
	if ((rc = frontmatter_emit(e, n, &p->text, err)))
		goto fail;
	if (buf_addch(&p->text, '\n')) {
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = html2md_convert(html, strlen(html), &conv, &p->text, err)))
		goto fail;
	scratch_release(&x);
	return 0;
fail:
	scratch_release(&x);
	post_release(p);
	return rc;
}

void post_release(struct post *p)
{
	buf_release(&p->text);
}
