/* post.c - item -> post text (see post.h). */
#include "post.h"
#include "date.h"
#include "elements.h"
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

/* A query parameter that only tracks the reader: Medium's source=, and
 * utm_*= (Google Analytics, Substack, newsletters). */
static bool tracking_param(const char *p, size_t n)
{
	size_t k = strcspn(p, "=&#");

	if (k > n)
		k = n;
	return (k == 6 && strncmp(p, "source", 6) == 0) || (k > 4 && strncmp(p, "utm_", 4) == 0);
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
		if (e > p && !tracking_param(p, (size_t)(e - p))) {
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

int post_src_is_response(struct post_src *src, bool *response, struct m2j_err *err)
{
	const struct feed_item *it = src->it;
	struct buf text = BUF_INIT(0);
	int rc;

	*response = false;
	if (!src->is_medium || it->ncategories > 0 || !it->title || !it->title[0])
		return 0;
	rc = htmltext_extract(&src->doc, strlen(it->title) + 64, &text, err);
	if (rc == 0)
		*response = starts_with_title(text.data, it->title);
	buf_release(&text);
	return rc;
}

/* ---- the tree of one item ---- */

static bool named(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

/* Medium's preview is body > div.medium-feed-item > p.medium-feed-link: an
 * item is looked for among the top blocks only (html, body, one wrapper,
 * the item), not in every element of a long post; inside an item, at any
 * depth. */
#define PREVIEW_SEEK_DEPTH 4

static bool preview_under(xmlNodePtr n, unsigned depth, bool item)
{
	for (; n; n = n->next) {
		bool in;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		in = item || htmldoc_has_class(n, "medium-feed-item");
		if (in && htmldoc_has_class(n, "medium-feed-link")) {
			struct buf t = BUF_INIT(0);
			bool yes = htmltext_node(n, 256, &t, NULL) == 0 &&
			           strstr(t.data, "Continue reading on") != NULL;

			buf_release(&t);
			if (yes)
				return true;
			continue;
		}
		if ((in || depth < PREVIEW_SEEK_DEPTH) && preview_under(n->children, depth + 1, in))
			return true;
	}
	return false;
}

bool post_src_is_preview(struct post_src *src)
{
	return preview_under(htmldoc_first(&src->doc), 1, false);
}

/* The element before n, whitespace text skipped, or NULL. */
static xmlNodePtr prev_element(xmlNodePtr n)
{
	for (n = n->prev; n; n = n->prev) {
		if (n->type == XML_ELEMENT_NODE)
			return n;
		if (n->type == XML_TEXT_NODE && n->content &&
		    n->content[strspn((const char *)n->content, " \t\r\n")])
			return NULL;
	}
	return NULL;
}

/* Substack's share, comment and subscribe buttons: a button whose link
 * goes to .../subscribe, .../comments or asks to share. */
static bool substack_button(xmlNodePtr n)
{
	const char *comp = htmldoc_attr(n, "data-component-name");
	xmlNodePtr a;

	if (!htmldoc_has_class(n, "button-wrapper") &&
	    !(comp && strcmp(comp, "ButtonCreateButton") == 0))
		return false;
	for (a = n; a && !named(a, "a"); a = htmldoc_next(a, n, true))
		;
	if (a && htmldoc_attr(a, "href")) {
		const char *h = htmldoc_attr(a, "href");
		size_t path = strcspn(h, "?#");

		if ((path >= 10 && strncmp(h + path - 10, "/subscribe", 10) == 0) ||
		    (path >= 9 && strncmp(h + path - 9, "/comments", 9) == 0) ||
		    strstr(h + path, "action=share"))
			return true;
	}
	return false;
}

/* What --clean removes from the tree: the node, and with it the rule
 * before Medium's footer (*also). */
static bool furniture(xmlNodePtr n, xmlNodePtr *also, struct buf *t, struct m2j_err *err,
                      int *rc)
{
	const char *comp;

	*also = NULL;
	if (named(n, "img")) {
		const char *src = elem_img_src(n);
		return elem_tracking_pixel(src);
	}
	comp = htmldoc_attr(n, "data-component-name");
	if ((comp && strcmp(comp, "SubscribeWidgetToDOM") == 0) ||
	    htmldoc_has_class(n, "subscription-widget-wrap-editor") ||
	    htmldoc_has_class(n, "subscription-widget-wrap") || substack_button(n))
		return true;
	if (named(n, "p")) {
		buf_reset(t);
		if ((*rc = htmltext_node(n, 4096, t, err)))
			return false;
		/* Medium: "<a>Title</a> was originally published in <a>Pub</a>
		 * on Medium, where people are continuing the conversation..." */
		if (strstr(t->data, " was originally published in ")) {
			xmlNodePtr hr = prev_element(n);

			if (hr && named(hr, "hr"))
				*also = hr;
			return true;
		}
		/* WordPress (Yoast): "The post <a>Title</a> appeared first on
		 * <a>Site</a>." */
		if (strncmp(t->data, "The post ", 9) == 0 && strstr(t->data, " appeared first on "))
			return true;
	}
	return false;
}

static int clean_tree(struct htmldoc *d, struct m2j_err *err)
{
	struct buf t = BUF_INIT(0);
	xmlNodePtr n = htmldoc_first(d);
	int rc = 0;

	while (n && rc == 0) {
		xmlNodePtr also = NULL, next;

		if (n->type == XML_ELEMENT_NODE && furniture(n, &also, &t, err, &rc)) {
			next = htmldoc_next(n, NULL, false);
			htmldoc_remove(n);
			htmldoc_remove(also);
			n = next;
			continue;
		}
		n = htmldoc_next(n, NULL, n->type == XML_ELEMENT_NODE && !elem_hidden(n));
	}
	buf_release(&t);
	return rc;
}

static int src_init(bool is_medium, const struct feed_item *it, const struct post_opts *o,
                    struct post_src *src, struct m2j_err *err)
{
	int rc = 0;

	src->is_medium = is_medium;
	src->it = it;
	if (o && o->clean && (rc = clean_tree(&src->doc, err)))
		post_src_close(src);
	return rc;
}

int post_src_open(bool is_medium, const struct feed_item *it, const struct post_opts *o,
                  struct post_src *src, struct m2j_err *err)
{
	const char *html = it->html ? it->html : "";
	int rc;

	memset(src, 0, sizeof *src);
	if ((rc = htmldoc_parse(html, strlen(html), &src->doc, err))) {
		htmldoc_release(&src->doc);
		return rc;
	}
	return src_init(is_medium, it, o, src, err);
}

int post_src_from_doc(bool is_medium, const struct feed_item *it,
                      const struct post_opts *o, htmlDocPtr doc, struct post_src *src,
                      struct m2j_err *err)
{
	memset(src, 0, sizeof *src);
	htmldoc_adopt(&src->doc, doc);
	return src_init(is_medium, it, o, src, err);
}

void post_src_close(struct post_src *src)
{
	if (src)
		htmldoc_release(&src->doc);
}

int post_src_collect_images(struct post_src *src, struct images *im, struct m2j_err *err)
{
	const struct feed_item *it = src->it;

	return images_collect_doc(im, &src->doc, it->base ? it->base : it->link, err);
}

/* What post_build allocates beside the text; freed at the end. */
struct scratch {
	char *image, **tags;
	size_t ntags;
	struct buf desc;
};

static void scratch_release(struct scratch *x)
{
	size_t i;

	free(x->image);
	for (i = 0; i < x->ntags; i++)
		free(x->tags[i]);
	free(x->tags);
	buf_release(&x->desc);
}

int post_link(const struct feed_item *it, const struct post_opts *o, char **out,
              struct m2j_err *err)
{
	const char *link = it->link; /* feed.c already took a permalink guid */
	char *safe = NULL;
	struct m2j_err ue = { 0, "" };

	*out = NULL;
	if (!link)
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
	{
		/* as the front matter writes it, so the identity computed from it
		 * is the one read back from the post */
		struct buf ser = BUF_INIT(0);

		int rc = url_serialize(safe, &ser);

		free(safe);
		if (rc || !(*out = buf_detach(&ser, NULL))) {
			buf_release(&ser);
			return m2j_err_set(err, M2J_ENOMEM, "out of memory");
		}
	}
	return 0;
}

int post_build(struct post_src *src, const struct ident *id, const char *link,
               const struct post_opts *o, struct post *p, struct m2j_err *err)
{
	const struct feed_item *it = src->it;
	char ymd[16], when[40], upd[40], slug[CAP_SLUG_LEN + 2];
	struct fm_entry e[12 + 64];
	struct html2md_opts conv = o->conv;
	struct chain chain = { o->conv.rewrite_url, o->conv.rewrite_ctx };
	struct scratch x;
	struct date_zone z;
	size_t n = 0, i;
	int rc;
	int64_t t;

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
		e[n++] = (struct fm_entry){ "original_link", FM_URL, link, NULL, 0 };
	if (id->guid)
		e[n++] = (struct fm_entry){ "guid", FM_URL, id->guid, NULL, 0 };
	if (o->canonical && link)
		e[n++] = (struct fm_entry){ "canonical_url", FM_URL, link, NULL, 0 };
	if ((o->tags && it->ncategories) || o->nstatic_tags) {
		/* the item's categories (--tags), then every --tag not already one */
		size_t ncat = o->tags ? it->ncategories : 0;

		x.tags = calloc(ncat + o->nstatic_tags + 1, sizeof *x.tags);
		if (!x.tags) {
			rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
			goto fail;
		}
		for (i = 0; i < ncat + o->nstatic_tags; i++) {
			bool dup = false;
			char *tn = i < ncat ? tag_name(it->categories[i])
			                    : strdup(o->static_tags[i - ncat]);

			if (!tn) {
				rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
				goto fail;
			}
			for (size_t k = 0; k < x.ntags && !dup; k++)
				dup = x.tags[k] && strcmp(x.tags[k], tn) == 0;
			if (dup)
				free(tn);
			else
				x.tags[x.ntags++] = tn;
		}
		e[n++] = (struct fm_entry){ "tags", FM_LIST, NULL, (const char *const *)x.tags, x.ntags };
	}
	if (o->fields & POST_F_IMAGE) {
		char *raw = NULL;
		struct m2j_err ue = { 0, "" };

		if ((rc = htmltext_first_image(&src->doc, &raw, err)))
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
			e[n++] = (struct fm_entry){ "image", FM_URL, x.image, NULL, 0 };
	}
	if (o->fields & POST_F_DESCRIPTION) {
		if ((rc = htmltext_summary(&src->doc, 200, &x.desc, err)))
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
	if ((rc = html2md_convert_doc(&src->doc, &conv, &p->text, err)))
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
