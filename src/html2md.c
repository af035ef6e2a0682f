/* html2md.c - libxml2's HTML tree -> the Markdown writer (see html2md.h).
 *
 * One recursive pass over the tree, bounded by CAP_HTML_DEPTH: deeper
 * content is flattened to its text by an iterative walk.  Every element maps
 * to a call into md.h; Markdown syntax and escaping live there.  URLs go
 * through url.h; raw HTML is rebuilt from an allowlist, never copied.
 */
#include "html2md.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "caps.h"
#include "elements.h"

#define M2J_STR_(x) #x
#define M2J_STR(x) M2J_STR_(x)
#include "htmldoc.h"
#include "md.h"
#include "url.h"

#define POL_CACHE 64 /* the hash below keeps 6 bits */

struct conv {
	struct md *md;
	const xmlChar *pc_name[POL_CACHE];
	const struct elem *pc_elem[POL_CACHE];
	const struct html2md_opts *o;
	int in_link;
	int inline_only; /* heading or table cell: no blocks */
	int in_html;     /* inside a raw HTML block */
	xmlNodePtr blank_miss; /* what made the last raw <div> not blank */
	struct buf tmp;
	struct buf rep;
	bool oom;        /* an allocation failed: the result is incomplete */
};

/* ---- small helpers ---- */

static const char *nm(xmlNodePtr n)
{
	return n->name ? (const char *)n->name : "";
}

static bool is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp(nm(n), name) == 0;
}

static const char *attr(xmlNodePtr n, const char *name)
{
	return htmldoc_attr(n, name);
}

static void report(struct conv *c, const char *msg, const char *what)
{
	if (!c->o || !c->o->report)
		return;
	buf_reset(&c->rep);
	buf_addstr(&c->rep, msg);
	buf_addstr(&c->rep, what ? what : "");
	if (c->rep.len > 300)
		buf_truncate(&c->rep, 300);
	c->o->report(c->o->report_ctx, c->rep.data);
}

/* Sanitized URL (caller frees) or NULL, reporting the drop. */
static char *safe_url(struct conv *c, const char *raw, enum url_use use)
{
	struct m2j_err e = { 0, "" };
	char *u = NULL;
	if (!raw)
		return NULL;
	if (url_sanitize(raw, c->o ? c->o->base_url : NULL, use, &u, &e) != 0) {
		if (e.code == M2J_EUNSAFE && *raw)
			report(c, "dropped URL: ", e.msg);
		else if (e.code == M2J_ENOMEM)
			c->oom = true;
		return NULL;
	}
	if (c->o && c->o->rewrite_url) {
		/* the caller's rewrite (--clean, downloaded images) is sanitized
		 * again: it cannot bring back what the policy refuses */
		char *r = c->o->rewrite_url(c->o->rewrite_ctx, use, u), *r2 = NULL;

		if (r && url_sanitize(r, NULL, use, &r2, &e) == 0) {
			free(u);
			u = r2;
		}
		free(r);
	}
	return u;
}

/* The policy of n, through a small cache: libxml2's HTML parser interns
 * element names, so a pointer seen before in this document needs no
 * lookup.  (The cache lives with the conversion, so with the document.) */
static const struct elem *pol(struct conv *c, xmlNodePtr n)
{
	size_t h;

	if (n->type != XML_ELEMENT_NODE || !n->name)
		return elem_of(n);
	/* Fibonacci hashing: interned names sit a few bytes apart */
	h = (size_t)(((uint64_t)(uintptr_t)n->name * 0x9E3779B97F4A7C15u) >> 58);
	if (c->pc_name[h] != n->name) {
		c->pc_name[h] = n->name;
		c->pc_elem[h] = elem_of(n);
	}
	return c->pc_elem[h];
}

static bool hidden(struct conv *c, xmlNodePtr n)
{
	return elem_hides(n, pol(c, n));
}

/* ---- flattening beyond the depth cap (iterative, no recursion) ---- */

static void flatten(struct conv *c, xmlNodePtr top)
{
	xmlNodePtr n = top->children;
	while (n) {
		bool descend = false;
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content) {
				const char *s = (const char *)n->content;
				if (c->in_html)
					md_html_text(c->md, s, strlen(s), false);
				else
					md_text(c->md, s, strlen(s));
			}
		} else if (n->type == XML_ELEMENT_NODE) {
			if (hidden(c, n)) {
				descend = false;
			} else {
				if ((pol(c, n)->flags & ELEM_F_BLOCK) || pol(c, n)->kind == ELEM_BR) {
					if (c->in_html)
						md_html_text(c->md, " ", 1, false);
					else
						md_space(c->md);
				}
				descend = n->children != NULL;
			}
		}
		if (descend) {
			n = n->children;
			continue;
		}
		while (n && n != top && !n->next)
			n = n->parent;
		if (!n || n == top)
			break;
		n = n->next;
	}
}

/* ---- text gathering (code spans, pre) ---- */

static void gather(struct conv *c, xmlNodePtr top, struct buf *b, bool pre,
                   int depth)
{
	for (xmlNodePtr n = top->children; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				buf_addstr(b, (const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE) {
			const char *name = nm(n);
			if (hidden(c, n))
				continue;
			if (strcmp(name, "br") == 0) {
				buf_addch(b, pre ? '\n' : ' ');
				continue;
			}
			if (depth < CAP_HTML_DEPTH)
				gather(c, n, b, pre, depth + 1);
			if (pre && (strcmp(name, "div") == 0 || strcmp(name, "p") == 0) &&
			    n->next && b->len > 0 && b->data[b->len - 1] != '\n')
				buf_addch(b, '\n');
		}
	}
}

/* ---- raw HTML rebuilt from an allowlist ---- */

static bool url_attr(const char *a)
{
	return strcmp(a, "href") == 0 || strcmp(a, "src") == 0 ||
	       strcmp(a, "poster") == 0;
}

static bool numeric(const char *v)
{
	if (!*v || strlen(v) > 8)
		return false;
	for (const char *p = v; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '%'))
			return false;
	return true;
}

/* Writes element n's start tag with allowed attributes; false if the
 * element must not be written at all (e.g. img without a safe src). */
static bool html_start(struct conv *c, xmlNodePtr n, const struct elem *al)
{
	const char *vals[16];
	char *owned[8];
	size_t nv = 0, no = 0;
	const char *tag = nm(n);
	bool ok = true;

	for (size_t i = 0; i < ELEM_MAX_ATTRS && al->attrs[i]; i++) {
		const char *a = al->attrs[i];
		const char *v = attr(n, a);
		if (!v)
			continue;
		if (url_attr(a)) {
			enum url_use use = strcmp(tag, "a") == 0 ? URL_LINK
			                 : strcmp(tag, "iframe") == 0 ||
			                   strcmp(tag, "video") == 0 ||
			                   strcmp(tag, "audio") == 0 ||
			                   strcmp(tag, "source") == 0 ? URL_EMBED
			                 : URL_IMAGE;
			char *u = safe_url(c, v, use);
			if (u && use == URL_EMBED && strcmp(tag, "iframe") == 0 &&
			    !url_embed_allowed(u, c->o ? c->o->iframe_hosts : NULL)) {
				report(c, "dropped iframe from a host not allowed: ", u);
				free(u);
				u = NULL;
			}
			if (!u) {
				if (strcmp(a, "src") == 0 && (strcmp(tag, "img") == 0 ||
				    strcmp(tag, "iframe") == 0 || strcmp(tag, "source") == 0))
					ok = false;
				continue;
			}
			owned[no++] = u;
			v = u;
		} else if (strcmp(a, "width") == 0 || strcmp(a, "height") == 0 ||
		           strcmp(a, "colspan") == 0 || strcmp(a, "rowspan") == 0 ||
		           strcmp(a, "start") == 0 || strcmp(a, "frameborder") == 0) {
			if (!numeric(v))
				continue;
		} else if (strcmp(a, "controls") == 0 || strcmp(a, "loop") == 0 ||
		           strcmp(a, "muted") == 0 || strcmp(a, "open") == 0 ||
		           strcmp(a, "allowfullscreen") == 0) {
			v = NULL; /* boolean */
		}
		vals[nv * 2] = a;
		vals[nv * 2 + 1] = v;
		nv++;
	}
	if (ok)
		md_html_open(c->md, tag, vals, nv);
	for (size_t i = 0; i < no; i++)
		free(owned[i]);
	return ok;
}

/* Text into the current context: Markdown text, or escaped HTML text in a
 * raw block. */
static void out_text(struct conv *c, const char *s, size_t n)
{
	if (c->in_html)
		md_html_text(c->md, s, n, false);
	else
		md_text(c->md, s, n);
}

/* The text of every <text> under an SVG (tspans included), space apart. */
static void svg_text(struct conv *c, xmlNodePtr svg)
{
	struct buf *b = &c->tmp;
	xmlNodePtr n = svg->children;

	buf_reset(b);
	while (n) {
		bool descend = n->type == XML_ELEMENT_NODE;

		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
		    n->content && n->parent && n->parent != svg &&
		    (strcmp(nm(n->parent), "text") == 0 || strcmp(nm(n->parent), "tspan") == 0)) {
			buf_addstr(b, (const char *)n->content);
			buf_addch(b, ' ');
		}
		if (descend && (strcmp(nm(n), "script") == 0 || strcmp(nm(n), "style") == 0))
			descend = false;
		n = htmldoc_next(n, svg, descend);
	}
	if (b->failed)
		c->oom = true;
	else if (b->len)
		out_text(c, b->data, b->len);
}

/* The option a closed <select> shows: the selected one, else the first. */
static xmlNodePtr shown_option(xmlNodePtr sel)
{
	xmlNodePtr first = NULL;
	xmlNodePtr n = sel->children;

	while (n) {
		bool descend = n->type == XML_ELEMENT_NODE;

		if (n->type == XML_ELEMENT_NODE && strcmp(nm(n), "option") == 0) {
			if (attr(n, "selected"))
				return n;
			if (!first)
				first = n;
			descend = false;
		}
		n = htmldoc_next(n, sel, descend);
	}
	return first;
}

static void gather(struct conv *c, xmlNodePtr top, struct buf *b, bool pre, int depth);

/* What a hidden element still shows (elements.h: elem_hidden), and the
 * report of what it drops. */
static void visible_text(struct conv *c, xmlNodePtr n, const struct elem *e)
{
	struct buf t = BUF_INIT(0);
	xmlNodePtr opt;

	switch (e->kind) {
	case ELEM_TEXTAREA:
		gather(c, n, &t, false, 0);
		break;
	case ELEM_SELECT:
		if ((opt = shown_option(n)))
			gather(c, opt, &t, false, 0);
		break;
	case ELEM_SVG:
		report(c, "dropped element (its text kept): ", nm(n));
		svg_text(c, n);
		return;
	case ELEM_META:
		return;
	case ELEM_INPUT:
		if (attr(n, "type") && strcmp(attr(n, "type"), "checkbox") == 0)
			return; /* a task marker, written by its item, or nothing */
		report(c, "dropped element: ", nm(n));
		return;
	default:
		report(c, "dropped element: ", nm(n));
		return;
	}
	if (t.failed)
		c->oom = true;
	else if (t.len)
		out_text(c, t.data, t.len);
	buf_release(&t);
}

static void html_children(struct conv *c, xmlNodePtr n, bool pre, int depth);
static bool blank_text(const xmlChar *p)
{
	for (; p && *p; p++)
		if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
			return false;
	return true;
}

/* A <div> whose raw HTML would be only more <div>s: no text anywhere in
 * it, nothing but <div>, <span> and text-free <svg> (Substack's figures
 * carry a nest of them for their expand button).  The node that made the
 * last one not blank is kept: a <div> holding it is not blank either, so
 * nested raw divs are not scanned again (each node is scanned at most
 * twice, not once per enclosing div). */
static bool blank_div(struct conv *c, xmlNodePtr n)
{
	xmlNodePtr k;

	if (!is(n, "div"))
		return false;
	for (k = c->blank_miss; k; k = k->parent)
		if (k == n)
			return false;
	for (k = n->children; k; ) {
		bool descend = true;

		if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
			if (!blank_text(k->content))
				break;
		} else if (k->type == XML_ELEMENT_NODE && is(k, "svg")) {
			xmlNodePtr t;

			for (t = k->children; t; t = htmldoc_next(t, k, true))
				if (t->type == XML_TEXT_NODE && !blank_text(t->content))
					break;
			if (t)
				break;
			descend = false;
		} else if (k->type == XML_ELEMENT_NODE && !is(k, "div") && !is(k, "span")) {
			break;
		}
		k = htmldoc_next(k, n, descend);
	}
	if (k)
		c->blank_miss = k;
	return !k;
}

static void html_node(struct conv *c, xmlNodePtr n, bool pre, int depth)
{
	const struct elem *al;
	const char *tag;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			md_html_text(c->md, (const char *)n->content,
			             strlen((const char *)n->content), pre);
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	tag = nm(n);
	al = pol(c, n);
	if (hidden(c, n)) {
		visible_text(c, n, al);
		return;
	}
	if (al->kind == ELEM_UNWRAP) {
		report(c, "dropped element (content kept): ", tag);
		html_children(c, n, pre, depth + 1);
		return;
	}
	if (depth >= CAP_HTML_DEPTH) {
		flatten(c, n);
		return;
	}
	if (al->kind == ELEM_IFRAME && (!attr(n, "src") || !*attr(n, "src"))) {
		html_children(c, n, pre, depth + 1);
		return;
	}
	if (!pre && blank_div(c, n))
		return;
	if (!(al->flags & ELEM_F_RAW) || (strcmp(tag, "source") == 0 && !attr(n, "src"))) {
		/* unknown wrapper, or a picture's <source srcset>: libxml2 does
		 * not know <source> is empty and nests what follows in it */
		html_children(c, n, pre, depth + 1);
		return;
	}
	if (!html_start(c, n, al)) {
		const char *alt = al->kind == ELEM_IMG ? attr(n, "alt") : NULL;
		if (alt)
			md_html_text(c->md, alt, strlen(alt), false);
		return;
	}
	if (al->flags & ELEM_F_VOID)
		return;
	if (al->kind != ELEM_IFRAME)
		html_children(c, n, pre || al->kind == ELEM_PRE, depth + 1);
	md_html_close(c->md, tag);
}

static void html_children(struct conv *c, xmlNodePtr n, bool pre, int depth)
{
	for (xmlNodePtr k = n->children; k; k = k->next)
		html_node(c, k, pre, depth);
}

static void html_block(struct conv *c, xmlNodePtr n, int depth)
{
	md_html_block_begin(c->md);
	c->in_html++;
	html_node(c, n, false, depth);
	c->in_html--;
	md_html_block_end(c->md);
}

/* ---- Markdown mapping ---- */

static void walk(struct conv *c, xmlNodePtr n, int depth);

static void children(struct conv *c, xmlNodePtr n, int depth)
{
	for (xmlNodePtr k = n->children; k; k = k->next)
		walk(c, k, depth + 1);
}

static bool has_visible(struct conv *c, xmlNodePtr n, int depth)
{
	for (xmlNodePtr k = n->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE && k->content) {
			for (const xmlChar *p = k->content; *p; p++)
				if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
					return true;
		} else if (k->type == XML_ELEMENT_NODE) {
			if (hidden(c, k))
				continue;
			if (is(k, "img") || is(k, "iframe") || is(k, "video") ||
			    is(k, "audio"))
				return true;
			if (depth < CAP_HTML_DEPTH && has_visible(c, k, depth + 1))
				return true;
		}
	}
	return false;
}

/* Whether emphasis, a link or inline markup shows inside n. */
static bool has_marks(struct conv *c, xmlNodePtr n, int depth)
{
	for (xmlNodePtr k = n->children; k; k = k->next) {
		const struct elem *e;

		if (k->type != XML_ELEMENT_NODE)
			continue;
		e = pol(c, k);
		if (hidden(c, k))
			continue;
		if (e->kind == ELEM_MARK || e->kind == ELEM_LINK || e->kind == ELEM_HTML_INLINE)
			return true;
		if (depth < 8 && has_marks(c, k, depth + 1))
			return true;
	}
	return false;
}

static bool has_element(xmlNodePtr n)
{
	for (xmlNodePtr k = n->children; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE)
			return true;
	return false;
}

static char *code_lang(struct conv *c, xmlNodePtr pre)
{
	const char *v = attr(pre, "data-code-block-lang");
	const char *cls = NULL;
	struct buf *b = &c->tmp;
	xmlNodePtr code = NULL;

	for (xmlNodePtr k = pre->children; k; k = k->next)
		if (is(k, "code"))
			code = k;
	if (!v || !*v) {
		const char *cands[2] = { attr(pre, "class"),
		                         code ? attr(code, "class") : NULL };
		for (int i = 0; i < 2 && !cls; i++) {
			const char *s = cands[i];
			while (s && *s) {
				while (*s == ' ')
					s++;
				if (strncmp(s, "language-", 9) == 0) {
					cls = s + 9;
					break;
				}
				if (strncmp(s, "lang-", 5) == 0) {
					cls = s + 5;
					break;
				}
				while (*s && *s != ' ')
					s++;
			}
		}
		v = cls;
	}
	if (!v || !*v)
		return NULL;
	buf_reset(b);
	for (const char *p = v; *p && *p != ' ' && b->len < 40; p++) {
		char ch = *p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '_' || ch == '+' ||
		    ch == '#' || ch == '.' || ch == '-')
			buf_addch(b, ch);
	}
	if (b->failed)
		c->oom = true;
	if (b->len == 0 || b->failed)
		return NULL;
	return buf_detach(b, NULL);
}

static void do_pre(struct conv *c, xmlNodePtr n, int depth)
{
	struct buf code = BUF_INIT(0);
	char *lang;
	const char *s;
	size_t len;

	(void)depth;
	gather(c, n, &code, true, 0);
	if (code.failed) {
		c->oom = true;
		buf_release(&code);
		return;
	}
	s = code.data;
	len = code.len;
	if (len > 0 && s[0] == '\n') {
		s++;
		len--;
	}
	{
		bool blank = true;
		for (size_t i = 0; i < len; i++)
			if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
				blank = false;
		if (blank) {
			buf_release(&code);
			return;
		}
	}
	lang = code_lang(c, n);
	md_code_block(c->md, lang, s, len);
	free(lang);
	buf_release(&code);
}

static void do_code(struct conv *c, xmlNodePtr n)
{
	struct buf code = BUF_INIT(0);
	gather(c, n, &code, false, 0);
	if (code.failed)
		c->oom = true;
	else
		md_code_span(c->md, code.data, code.len);
	buf_release(&code);
}

static void do_link(struct conv *c, xmlNodePtr n, int depth)
{
	const char *href = attr(n, "href");
	char *u = NULL;

	if (href && !c->in_link)
		u = safe_url(c, href, URL_LINK);
	if (!u) {
		children(c, n, depth);
		return;
	}
	md_link_begin(c->md, u, attr(n, "title"));
	free(u);
	c->in_link++;
	children(c, n, depth);
	c->in_link--;
	md_link_end(c->md);
}


static void do_img(struct conv *c, xmlNodePtr n)
{
	const char *src = attr(n, "src");
	const char *alt = attr(n, "alt");
	char *u;

	if (!src || !*src) {
		src = attr(n, "data-src");
		if (!src || !*src) {
			md_image(c->md, "", alt, attr(n, "title"));
			return;
		}
	}
	if (c->o && c->o->drop_tracking_pixel && elem_tracking_pixel(src))
		return;
	u = safe_url(c, src, URL_IMAGE);
	if (!u) {
		if (alt)
			md_text(c->md, alt, strlen(alt));
		return;
	}
	md_image(c->md, u, alt, attr(n, "title"));
	free(u);
}

/* A checkbox opening a list item (only whitespace before it): the item is
 * a task. */
static xmlNodePtr task_box(xmlNodePtr li)
{
	for (xmlNodePtr k = li->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE) {
			for (const xmlChar *p = k->content; p && *p; p++)
				if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
					return NULL;
			continue;
		}
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp(nm(k), "input") == 0) {
			const char *t = attr(k, "type");
			return t && strcmp(t, "checkbox") == 0 ? k : NULL;
		}
		if (strcmp(nm(k), "p") == 0 || strcmp(nm(k), "label") == 0 ||
		    strcmp(nm(k), "span") == 0)
			return task_box(k);
		return NULL;
	}
	return NULL;
}

static void item_content(struct conv *c, xmlNodePtr li, int depth)
{
	xmlNodePtr box = task_box(li), para = NULL;

	if (!box) {
		children(c, li, depth);
		return;
	}
	md_task(c->md, attr(box, "checked") != NULL);
	/* <li><p><input> text</p>: the paragraph's text goes on the marker's
	 * line, as a task item's text must */
	for (para = box->parent; para && para != li && para->parent != li; para = para->parent)
		;
	if (para == li || (para && strcmp(nm(para), "p") != 0))
		para = NULL;
	for (xmlNodePtr k = li->children; k; k = k->next) {
		if (k == para)
			children(c, k, depth + 1);
		else
			walk(c, k, depth + 1);
	}
}

static void do_list(struct conv *c, xmlNodePtr n, int depth, bool ordered)
{
	long start = 1;
	const char *st = attr(n, "start");
	bool had_item = false, open_item = false;

	if (ordered && st && *st) {
		char *end;
		long v = strtol(st, &end, 10);
		if (*end == '\0' && v >= 0 && v < 1000000000L)
			start = v;
	}
	md_list_begin(c->md, ordered, start);
	for (xmlNodePtr k = n->children; k; k = k->next) {
		const struct elem *e = pol(c, k);

		if (e->kind == ELEM_ITEM) {
			if (open_item) {
				md_item_end(c->md);
				open_item = false;
			}
			md_item_begin(c->md, false);
			item_content(c, k, depth);
			md_item_end(c->md);
			had_item = true;
			continue;
		}
		if (k->type == XML_TEXT_NODE) {
			bool ws = true;
			for (const xmlChar *p = k->content; p && *p; p++)
				if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
					ws = false;
			if (ws)
				continue;
		} else if (k->type != XML_ELEMENT_NODE) {
			continue;
		}
		if (!open_item && k->type == XML_ELEMENT_NODE && e->kind != ELEM_LIST &&
		    e->kind != ELEM_IMG && !has_visible(c, k, 0))
			continue; /* <span/> between items shows nothing */
		if (e->kind == ELEM_LIST) {
			if (!open_item)
				md_item_begin(c->md, had_item);
			walk(c, k, depth + 1);
			md_item_end(c->md);
			open_item = false;
			continue;
		}
		if (!open_item) {
			/* content between items (an image...) belongs to the item
			 * before it, as a browser shows it: no number of its own */
			md_item_begin(c->md, had_item);
			open_item = true;
			had_item = true;
		}
		walk(c, k, depth + 1);
	}
	if (open_item)
		md_item_end(c->md);
	md_list_end(c->md);
}

/* ---- tables ---- */

static bool cell_inline(struct conv *c, xmlNodePtr cell, int depth, int *ps)
{
	for (xmlNodePtr k = cell->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (is(k, "p") && depth == 0) {
			if (++*ps > 1)
				return false;
		} else if ((pol(c, k)->flags & ELEM_F_BLOCK) && !is(k, "picture")) {
			return false;
		}
		if (depth > 16 || !cell_inline(c, k, depth + 1, ps))
			return false;
	}
	return true;
}

#define MAX_ROWS_SCAN 100000

/* Collects rows: table > (thead|tbody|tfoot)? > tr.  Returns false when
 * the table cannot be a pipe table. */
static bool table_rows(struct conv *c, xmlNodePtr t, xmlNodePtr *rows, size_t max, size_t *nrows,
                       int *ncols)
{
	size_t nr = 0;
	int nc = 0;
	for (xmlNodePtr k = t->children; k; k = k->next) {
		xmlNodePtr list[1] = { k };
		xmlNodePtr grp = NULL;
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (is(k, "thead") || is(k, "tbody") || is(k, "tfoot"))
			grp = k;
		else if (!is(k, "tr"))
			return false; /* caption, colgroup... */
		for (xmlNodePtr r = grp ? grp->children : list[0]; r;
		     r = grp ? r->next : NULL) {
			int cells = 0;
			if (r->type != XML_ELEMENT_NODE)
				continue;
			if (!is(r, "tr"))
				return false;
			for (xmlNodePtr d = r->children; d; d = d->next) {
				int ps = 0;
				const char *cs, *rs;
				if (d->type == XML_TEXT_NODE)
					continue;
				if (!is(d, "td") && !is(d, "th"))
					return false;
				cs = attr(d, "colspan");
				rs = attr(d, "rowspan");
				if ((cs && strcmp(cs, "1") != 0) || (rs && strcmp(rs, "1") != 0))
					return false;
				if (!cell_inline(c, d, 0, &ps))
					return false;
				cells++;
			}
			if (nr == max)
				return false;
			rows[nr++] = r;
			if (cells > nc)
				nc = cells;
		}
	}
	*nrows = nr;
	*ncols = nc;
	return nr > 0 && nc > 0;
}

static void do_table(struct conv *c, xmlNodePtr t, int depth)
{
	size_t nr = 0;
	int nc = 0;
	xmlNodePtr *rows;
	size_t max = 4096;

	if (c->inline_only) {
		children(c, t, depth);
		return;
	}
	/* the elements are pointers: sizeof *p is right (clang-tidy 14 false positive)
	 * NOLINTNEXTLINE(bugprone-sizeof-expression) */
	rows = malloc(max * sizeof *rows);
	if (!rows) {
		c->oom = true;
		return;
	}
	if (!table_rows(c, t, rows, max, &nr, &nc)) {
		free(rows);
		html_block(c, t, depth);
		return;
	}
	md_table_begin(c->md);
	c->inline_only++;
	for (size_t i = 0; i < nr; i++) {
		int cells = 0;
		bool all_th = true;
		md_table_row_begin(c->md);
		for (xmlNodePtr d = rows[i]->children; d; d = d->next) {
			if (d->type != XML_ELEMENT_NODE)
				continue;
			if (!is(d, "th"))
				all_th = false;
			md_table_cell_begin(c->md);
			children(c, d, depth + 2);
			md_table_cell_end(c->md);
			cells++;
		}
		for (; cells < nc; cells++) {
			md_table_cell_begin(c->md);
			md_table_cell_end(c->md);
			all_th = false;
		}
		md_table_row_end(c->md, i == 0 && all_th ? nc : 0);
		if (nr == 1 && all_th) {
			/* a header and no body: kramdown needs a body row to see
			 * a table */
			md_table_row_begin(c->md);
			for (cells = 0; cells < nc; cells++) {
				md_table_cell_begin(c->md);
				md_table_cell_end(c->md);
			}
			md_table_row_end(c->md, 0);
		}
	}
	c->inline_only--;
	md_table_end(c->md);
	free(rows);
}

static bool figure_has_caption(struct conv *c, xmlNodePtr f)
{
	for (xmlNodePtr k = f->children; k; k = k->next)
		if (is(k, "figcaption") && has_visible(c, k, 0))
			return true;
	return false;
}

static void do_iframe(struct conv *c, xmlNodePtr n, int depth)
{
	const char *src = attr(n, "src");
	char *u;

	if (!src || !*src) {
		children(c, n, depth); /* Medium: fallback link inside */
		return;
	}
	u = safe_url(c, src, URL_EMBED);
	if (!u)
		return;
	if (!url_embed_allowed(u, c->o ? c->o->iframe_hosts : NULL)) {
		report(c, "dropped iframe from a host not allowed: ", u);
		if (!c->inline_only && (strncmp(u, "https://", 8) == 0 ||
		                        strncmp(u, "http://", 7) == 0)) {
			md_link_begin(c->md, u, NULL);
			md_text(c->md, u, strlen(u));
			md_link_end(c->md);
		}
		free(u);
		return;
	}
	free(u);
	if (c->inline_only)
		return;
	html_block(c, n, depth);
}

static void mark(struct conv *c, xmlNodePtr n, int depth, enum md_mark m)
{
	md_mark_begin(c->md, m);
	children(c, n, depth);
	md_mark_end(c->md);
}

static void heading(struct conv *c, xmlNodePtr n, int depth, int level)
{
	md_heading_begin(c->md, level);
	c->inline_only++;
	children(c, n, depth);
	c->inline_only--;
	md_heading_end(c->md);
}

static void html_inline(struct conv *c, xmlNodePtr n, int depth, const struct elem *e)
{
	const char *name = nm(n);
	const char *av[2] = { "title", attr(n, "title") };

	if (e->arg && strcmp(name, "kbd") != 0 && has_element(n)) {
		/* kramdown would not parse the Markdown inside <u>/<mark>: keep
		 * the links and emphasis, lose the underline or highlight */
		children(c, n, depth);
		return;
	}
	md_html_inline_begin(c->md, name, av, e->attrs[0] && av[1] ? 1 : 0);
	if (e->arg) {
		/* kramdown keeps their content raw: rebuild it as HTML */
		c->in_html++;
		html_children(c, n, false, depth + 1);
		c->in_html--;
	} else {
		children(c, n, depth);
	}
	md_html_inline_end(c->md);
}

static void walk(struct conv *c, xmlNodePtr n, int depth)
{
	const struct elem *e;
	const char *name;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			md_text(c->md, (const char *)n->content,
			        strlen((const char *)n->content));
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	if (depth >= CAP_HTML_DEPTH) {
		flatten(c, n);
		return;
	}
	name = nm(n);
	e = pol(c, n);
	if (hidden(c, n)) {
		visible_text(c, n, e);
		return;
	}
	if (e->kind == ELEM_UNWRAP) {
		report(c, "dropped element (content kept): ", name);
		children(c, n, depth + 1);
		return;
	}
	if (c->inline_only && (e->flags & ELEM_F_BLOCK) && e->kind != ELEM_IFRAME &&
	    e->kind != ELEM_TABLE) {
		md_space(c->md);
		children(c, n, depth);
		md_space(c->md);
		return;
	}
	switch ((enum elem_kind)e->kind) {
	case ELEM_LINK:
		do_link(c, n, depth);
		return;
	case ELEM_MARK:
		mark(c, n, depth, (enum md_mark)e->arg);
		return;
	case ELEM_BR:
		md_linebreak(c->md);
		return;
	case ELEM_QUOTE:
		md_quote_begin(c->md);
		children(c, n, depth);
		md_quote_end(c->md);
		return;
	case ELEM_CODE:
		if (!c->inline_only && has_marks(c, n, 0)) {
			/* <code>a<b>b</b></code>: a code span cannot hold the bold
			 * the reader sees; the allowlisted markup as inline HTML */
			md_html_inline_begin(c->md, name, NULL, 0);
			c->in_html++;
			html_children(c, n, false, depth + 1);
			c->in_html--;
			md_html_inline_end(c->md);
			return;
		}
		do_code(c, n);
		return;
	case ELEM_RAW:
		html_block(c, n, depth);
		return;
	case ELEM_FIGURE:
		if (figure_has_caption(c, n)) {
			html_block(c, n, depth);
			return;
		}
		break;
	case ELEM_HEADING:
		heading(c, n, depth, e->arg);
		return;
	case ELEM_HR:
		md_hr(c->md);
		return;
	case ELEM_IMG:
		do_img(c, n);
		return;
	case ELEM_IFRAME:
		do_iframe(c, n, depth);
		return;
	case ELEM_ITEM:
		/* an item outside any list */
		md_list_begin(c->md, false, 1);
		md_item_begin(c->md, false);
		item_content(c, n, depth);
		md_item_end(c->md);
		md_list_end(c->md);
		return;
	case ELEM_LIST:
		do_list(c, n, depth, e->arg != 0);
		return;
	case ELEM_PRE:
		do_pre(c, n, depth);
		return;
	case ELEM_TABLE:
		do_table(c, n, depth);
		return;
	case ELEM_HTML_INLINE:
		html_inline(c, n, depth, e);
		return;
	case ELEM_BLOCK:
	case ELEM_DIALOG:
		break;
	case ELEM_TRANSPARENT:
	case ELEM_DROP:
	case ELEM_META:
	case ELEM_UNWRAP:
	case ELEM_TEXTAREA:
	case ELEM_SELECT:
	case ELEM_SVG:
	case ELEM_INPUT:
		children(c, n, depth); /* span, font, unknown: transparent */
		return;
	}
	md_blankline(c->md);
	children(c, n, depth);
	md_blankline(c->md);
}

int html2md_convert_doc(const struct htmldoc *d, const struct html2md_opts *opts,
                       struct buf *out, struct m2j_err *err)
{
	static const struct html2md_opts defaults = { .base_url = NULL };
	struct conv c;
	size_t start = out->len;
	int rc;

	if (!htmldoc_first(d))
		return 0; /* nothing parseable: no body */
	memset(&c, 0, sizeof c);
	c.o = opts ? opts : &defaults;
	if (d->deep && c.o->warn)
		c.o->warn(c.o->report_ctx, "HTML nested more than " M2J_STR(CAP_HTML_PARSE_DEPTH)
		          " elements deep: the deeper part is kept as plain text");
	buf_init(&c.tmp, 0);
	buf_init(&c.rep, 0);
	rc = md_new(&c.md, out, err);
	if (rc == 0) {
		for (xmlNodePtr k = htmldoc_first(d); k; k = k->next)
			walk(&c, k, 0);
		rc = md_finish(c.md, err);
		if (rc == 0 && (c.tmp.failed || c.rep.failed || c.oom))
			rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	md_free(c.md);
	buf_release(&c.tmp);
	buf_release(&c.rep);
	if (rc != 0)
		buf_truncate(out, start);
	return rc;
}

int html2md_convert(const char *html, size_t len, const struct html2md_opts *opts,
                    struct buf *out, struct m2j_err *err)
{
	struct htmldoc d;
	int rc = htmldoc_parse(html, len, &d, err);

	if (rc == 0)
		rc = html2md_convert_doc(&d, opts, out, err);
	htmldoc_release(&d);
	return rc;
}
