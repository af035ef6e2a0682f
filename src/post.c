/* post.c - item -> post text (see post.h). */
#include "post.h"
#include "date.h"
#include "frontmatter.h"
#include "htmltext.h"
#include "ident.h"
#include "slug.h"
#include "strmap.h"

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

bool post_medium_id(const struct feed *f, const struct feed_item *it, char id[13])
{
	if (it->guid && ident_medium_id(it->guid, true, id))
		return true;
	return f->is_medium && it->link && ident_medium_id(it->link, false, id);
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
	if (tl >= 3 && memcmp(title + tl - 3, "\xE2\x80\xA6", 3) == 0)
		tl -= 3;
	else if (tl >= 3 && memcmp(title + tl - 3, "...", 3) == 0)
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

bool post_is_response(const struct feed *f, const struct feed_item *it)
{
	struct buf text = BUF_INIT(0);
	bool r;

	if (!f->is_medium || it->ncategories > 0 || !it->title || !it->title[0])
		return false;
	if (htmltext_extract(it->html, strlen(it->html), strlen(it->title) + 64, &text, NULL)) {
		buf_release(&text);
		return false;
	}
	r = starts_with_title(text.data, it->title);
	buf_release(&text);
	return r;
}

int post_build(const struct feed *f, const struct feed_item *it,
               const struct post_opts *o, struct post *p, struct m2j_err *err)
{
	char ymd[16], when[40], slug[CAP_SLUG_LEN + 2];
	struct fm_entry e[5];
	size_t n = 0;
	int rc;

	memset(p, 0, sizeof *p);
	buf_init(&p->text, 0);
	if (!it->has_date) {
		if (it->date_raw)
			return m2j_err_set(err, M2J_EDATE, "unreadable date \"%.80s\"", it->date_raw);
		return m2j_err_set(err, M2J_EDATE, "no date");
	}
	if (!post_medium_id(f, it, p->medium_id))
		p->medium_id[0] = '\0';
	p->link = it->link;
	if (!p->link && it->guid && (strncmp(it->guid, "http://", 7) == 0 ||
	                             strncmp(it->guid, "https://", 8) == 0))
		p->link = it->guid;
	date_format_ymd(it->date, ymd, sizeof ymd);
	date_format_fm(it->date, when, sizeof when);
	if (slug_make(it->title ? it->title : "", slug, sizeof slug) == 0) {
		/* nothing Latin in the title: the Medium id, else a hash */
		const char *key = it->guid ? it->guid : p->link ? p->link : it->title ? it->title : "";

		if (p->medium_id[0])
			snprintf(slug, sizeof slug, "%s", p->medium_id);
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
	if (p->link)
		e[n++] = (struct fm_entry){ "original_link", FM_STRING, p->link, NULL, 0 };
	if ((rc = frontmatter_emit(e, n, &p->text, err)))
		goto fail;
	if (buf_addch(&p->text, '\n')) {
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = html2md_convert(it->html, strlen(it->html), &o->conv, &p->text, err)))
		goto fail;
	return 0;
fail:
	post_release(p);
	return rc;
}

void post_release(struct post *p)
{
	buf_release(&p->text);
}
