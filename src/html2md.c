/* html2md.c - libxml2's HTML tree -> the Markdown writer (see html2md.h).
 *
 * One recursive pass over the tree, bounded by CAP_HTML_DEPTH: deeper
 * content is flattened to its text by an iterative walk.  Every element maps
 * to a call into md.h; Markdown syntax and escaping live there.  URLs go
 * through url.h; raw HTML is rebuilt from an allowlist, never copied.
 */
#include "html2md.h"
#include "utf8.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "caps.h"
#include "md.h"
#include "url.h"

struct conv {
	struct md *md;
	const struct html2md_opts *o;
	int in_link;
	int inline_only; /* heading or table cell: no blocks */
	int in_html;     /* inside a raw HTML block */
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

static bool in_set(const char *name, const char *const *set)
{
	/* the first byte rules out nearly every entry without a call */
	for (size_t i = 0; set[i]; i++)
		if (name[0] == set[i][0] && strcmp(name, set[i]) == 0)
			return true;
	return false;
}

/* Borrowed attribute value (valid while the document lives); "" for a
 * boolean attribute; NULL when absent. */
static const char *attr(xmlNodePtr n, const char *name)
{
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		if (!a->name || strcmp((const char *)a->name, name) != 0)
			continue;
		if (!a->children)
			return "";
		if (a->children->type == XML_TEXT_NODE && a->children->content)
			return (const char *)a->children->content;
		return "";
	}
	return NULL;
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

static const char *const dropped_elems[] = {
	"script", "style", "noscript", "template", "head", "title", "meta",
	"link", "base", "svg", "frame",
	"frameset", "param", "input", "select", "textarea",
	"canvas", "map", "area", "datalist", "dialog", NULL
};

/* Plugins: the element never reaches the output, but what it holds does
 * (an <object>'s fallback content; and libxml2 2.9 parses <embed> as a
 * container, nesting whatever follows it inside) - as escaped text and
 * the markup we allow. */
static const char *const unwrapped_elems[] = { "object", "embed", "applet", NULL };

static const char *const block_elems[] = {
	"p", "div", "section", "article", "header", "footer", "main", "aside",
	"nav", "address", "center", "hgroup", "fieldset", "body", "html",
	"figure", "figcaption", "form", "details", "summary", "dl", "dt", "dd",
	"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
	"pre", "hr", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
	"caption", "iframe", "video", "audio", "menu", "dir", "legend",
	"picture", "listing", "xmp", "plaintext", NULL
};

static const char *const inline_html_elems[] = {
	"sup", "sub", "u", "mark", "kbd", "abbr", "ins", "small", NULL
};

static bool is_block_name(const char *n)
{
	return in_set(n, block_elems);
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
			if (in_set(nm(n), dropped_elems)) {
				descend = false;
			} else {
				if (is_block_name(nm(n)) || is(n, "br")) {
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
			if (in_set(name, dropped_elems))
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

struct allow {
	const char *tag;
	const char *attrs[8];
};

static const struct allow html_allow[] = {
	{ "a", { "href", "title", NULL } },
	{ "img", { "src", "alt", "title", "width", "height", NULL } },
	{ "p", { NULL } }, { "br", { NULL } }, { "hr", { NULL } },
	{ "div", { NULL } }, { "span", { NULL } },
	{ "strong", { NULL } }, { "b", { NULL } }, { "em", { NULL } },
	{ "i", { NULL } }, { "u", { NULL } }, { "s", { NULL } },
	{ "del", { NULL } }, { "ins", { NULL } }, { "sup", { NULL } },
	{ "sub", { NULL } }, { "mark", { NULL } }, { "small", { NULL } },
	{ "kbd", { NULL } }, { "abbr", { "title", NULL } }, { "code", { NULL } },
	{ "samp", { NULL } }, { "var", { NULL } }, { "cite", { NULL } },
	{ "q", { NULL } }, { "dfn", { NULL } }, { "tt", { NULL } },
	{ "strike", { NULL } },
	{ "pre", { NULL } }, { "blockquote", { NULL } },
	{ "ul", { NULL } }, { "ol", { "start", NULL } }, { "li", { NULL } },
	{ "dl", { NULL } }, { "dt", { NULL } }, { "dd", { NULL } },
	{ "table", { NULL } }, { "thead", { NULL } }, { "tbody", { NULL } },
	{ "tfoot", { NULL } }, { "tr", { NULL } },
	{ "td", { "colspan", "rowspan", "align", NULL } },
	{ "th", { "colspan", "rowspan", "align", "scope", NULL } },
	{ "caption", { NULL } }, { "figure", { NULL } },
	{ "figcaption", { NULL } }, { "details", { "open", NULL } },
	{ "summary", { NULL } },
	{ "h1", { NULL } }, { "h2", { NULL } }, { "h3", { NULL } },
	{ "h4", { NULL } }, { "h5", { NULL } }, { "h6", { NULL } },
	{ "video", { "src", "poster", "width", "height", "controls", "loop",
	             "muted", NULL } },
	{ "audio", { "src", "controls", "loop", "muted", NULL } },
	{ "source", { "src", "type", NULL } },
	{ "iframe", { "src", "width", "height", "title", "allow",
	              "allowfullscreen", "frameborder", NULL } },
	{ NULL, { NULL } }
};

static const struct allow *allowed(const char *tag)
{
	for (size_t i = 0; html_allow[i].tag; i++)
		if (strcmp(html_allow[i].tag, tag) == 0)
			return &html_allow[i];
	return NULL;
}

static bool url_attr(const char *a)
{
	return strcmp(a, "href") == 0 || strcmp(a, "src") == 0 ||
	       strcmp(a, "poster") == 0;
}

static bool void_elem(const char *tag)
{
	return strcmp(tag, "img") == 0 || strcmp(tag, "br") == 0 ||
	       strcmp(tag, "hr") == 0 || strcmp(tag, "source") == 0;
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
static bool html_start(struct conv *c, xmlNodePtr n, const struct allow *al)
{
	const char *vals[16];
	char *owned[8];
	size_t nv = 0, no = 0;
	const char *tag = nm(n);
	bool ok = true;

	for (size_t i = 0; i < 8 && al->attrs[i]; i++) {
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

static void html_children(struct conv *c, xmlNodePtr n, bool pre, int depth);

static void html_node(struct conv *c, xmlNodePtr n, bool pre, int depth)
{
	const struct allow *al;
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
	if (in_set(tag, dropped_elems)) {
		if (strcmp(tag, "head") != 0 && strcmp(tag, "title") != 0 &&
		    strcmp(tag, "meta") != 0)
			report(c, "dropped element: ", tag);
		return;
	}
	if (in_set(tag, unwrapped_elems)) {
		report(c, "dropped element (content kept): ", tag);
		html_children(c, n, pre, depth + 1);
		return;
	}
	if (depth >= CAP_HTML_DEPTH) {
		flatten(c, n);
		return;
	}
	if (strcmp(tag, "iframe") == 0 && (!attr(n, "src") || !*attr(n, "src"))) {
		html_children(c, n, pre, depth + 1);
		return;
	}
	al = allowed(tag);
	if (!al || (strcmp(tag, "source") == 0 && !attr(n, "src"))) {
		/* unknown wrapper, or a picture's <source srcset>: libxml2 does
		 * not know <source> is empty and nests what follows in it */
		html_children(c, n, pre, depth + 1);
		return;
	}
	if (!html_start(c, n, al)) {
		const char *alt = strcmp(tag, "img") == 0 ? attr(n, "alt") : NULL;
		if (alt)
			md_html_text(c->md, alt, strlen(alt), false);
		return;
	}
	if (void_elem(tag))
		return;
	if (strcmp(tag, "iframe") != 0)
		html_children(c, n, pre || strcmp(tag, "pre") == 0, depth + 1);
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

static bool has_visible(xmlNodePtr n, int depth)
{
	for (xmlNodePtr k = n->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE && k->content) {
			for (const xmlChar *p = k->content; *p; p++)
				if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
					return true;
		} else if (k->type == XML_ELEMENT_NODE) {
			if (is(k, "img") || is(k, "iframe") || is(k, "video") ||
			    is(k, "audio"))
				return true;
			if (depth < CAP_HTML_DEPTH && has_visible(k, depth + 1))
				return true;
		}
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

static bool tracking_pixel(const char *src)
{
	return strstr(src, "medium.com/_/stat") != NULL;
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
	if (c->o && c->o->drop_tracking_pixel && tracking_pixel(src))
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

static void do_list(struct conv *c, xmlNodePtr n, int depth)
{
	bool ordered = is(n, "ol");
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
		if (is(k, "li")) {
			if (open_item) {
				md_item_end(c->md);
				open_item = false;
			}
			md_item_begin(c->md, false);
			children(c, k, depth);
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
		if (!open_item && !is(k, "ul") && !is(k, "ol") && !is(k, "img") &&
		    !has_visible(k, 0))
			continue; /* <span/> between items shows nothing */
		if (is(k, "ul") || is(k, "ol")) {
			if (!open_item)
				md_item_begin(c->md, had_item);
			walk(c, k, depth + 1);
			md_item_end(c->md);
			open_item = false;
			continue;
		}
		if (!open_item) {
			md_item_begin(c->md, false);
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

static bool cell_inline(xmlNodePtr cell, int depth, int *ps)
{
	for (xmlNodePtr k = cell->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (is(k, "p") && depth == 0) {
			if (++*ps > 1)
				return false;
		} else if (is_block_name(nm(k)) && !is(k, "picture")) {
			return false;
		}
		if (depth > 16 || !cell_inline(k, depth + 1, ps))
			return false;
	}
	return true;
}

#define MAX_ROWS_SCAN 100000

/* Collects rows: table > (thead|tbody|tfoot)? > tr.  Returns false when
 * the table cannot be a pipe table. */
static bool table_rows(xmlNodePtr t, xmlNodePtr *rows, size_t max, size_t *nrows,
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
				if (!cell_inline(d, 0, &ps))
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
	if (!table_rows(t, rows, max, &nr, &nc)) {
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
	}
	c->inline_only--;
	md_table_end(c->md);
	free(rows);
}

static bool figure_has_caption(xmlNodePtr f)
{
	for (xmlNodePtr k = f->children; k; k = k->next)
		if (is(k, "figcaption") && has_visible(k, 0))
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

static void walk(struct conv *c, xmlNodePtr n, int depth)
{
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
	if (in_set(name, dropped_elems)) {
		if (strcmp(name, "head") != 0 && strcmp(name, "title") != 0 &&
		    strcmp(name, "meta") != 0 && strcmp(name, "link") != 0 &&
		    strcmp(name, "base") != 0)
			report(c, "dropped element: ", name);
		return;
	}
	if (in_set(name, unwrapped_elems)) {
		report(c, "dropped element (content kept): ", name);
		children(c, n, depth + 1);
		return;
	}
	if (c->inline_only && is_block_name(name) && strcmp(name, "iframe") != 0 &&
	    strcmp(name, "table") != 0) {
		md_space(c->md);
		children(c, n, depth);
		md_space(c->md);
		return;
	}
	switch (name[0]) {
	case 'a':
		if (!strcmp(name, "a")) {
			do_link(c, n, depth);
			return;
		}
		if (!strcmp(name, "audio")) {
			html_block(c, n, depth);
			return;
		}
		break;
	case 'b':
		if (!strcmp(name, "b")) {
			md_mark_begin(c->md, MD_STRONG);
			children(c, n, depth);
			md_mark_end(c->md);
			return;
		}
		if (!strcmp(name, "br")) {
			md_linebreak(c->md);
			return;
		}
		if (!strcmp(name, "blockquote")) {
			md_quote_begin(c->md);
			children(c, n, depth);
			md_quote_end(c->md);
			return;
		}
		break;
	case 'c':
		if (!strcmp(name, "code")) {
			do_code(c, n);
			return;
		}
		if (!strcmp(name, "cite")) {
			md_mark_begin(c->md, MD_EMPH);
			children(c, n, depth);
			md_mark_end(c->md);
			return;
		}
		break;
	case 'd':
		if (!strcmp(name, "del")) {
			md_mark_begin(c->md, MD_STRIKE);
			children(c, n, depth);
			md_mark_end(c->md);
			return;
		}
		if (!strcmp(name, "dl") || !strcmp(name, "details")) {
			html_block(c, n, depth);
			return;
		}
		if (!strcmp(name, "dfn")) {
			md_mark_begin(c->md, MD_EMPH);
			children(c, n, depth);
			md_mark_end(c->md);
			return;
		}
		break;
	case 'e':
		if (!strcmp(name, "em")) {
			md_mark_begin(c->md, MD_EMPH);
			children(c, n, depth);
			md_mark_end(c->md);
			return;
		}
		break;
	case 'f':
		if (!strcmp(name, "figure") && figure_has_caption(n)) {
			html_block(c, n, depth);
			return;
		}
		break;
	case 'h':
		if (name[1] >= '1' && name[1] <= '6' && name[2] == '\0') {
			md_heading_begin(c->md, name[1] - '0');
			c->inline_only++;
			children(c, n, depth);
			c->inline_only--;
			md_heading_end(c->md);
			return;
		}
		if (!strcmp(name, "hr")) {
			md_hr(c->md);
			return;
		}
		break;
	case 'i':
		if (!strcmp(name, "i")) {
			md_mark_begin(c->md, MD_EMPH);
			children(c, n, depth);
			md_mark_end(c->md);
			return;
		}
		if (!strcmp(name, "img")) {
			do_img(c, n);
			return;
		}
		if (!strcmp(name, "iframe")) {
			do_iframe(c, n, depth);
			return;
		}
		break;
	case 'l':
		if (!strcmp(name, "li")) {
			/* an item outside any list */
			md_list_begin(c->md, false, 1);
			md_item_begin(c->md, false);
			children(c, n, depth);
			md_item_end(c->md);
			md_list_end(c->md);
			return;
		}
		break;
	case 'o':
		if (!strcmp(name, "ol")) {
			do_list(c, n, depth);
			return;
		}
		break;
	case 'p':
		if (!strcmp(name, "pre") || !strcmp(name, "plaintext")) {
			if (c->inline_only) {
				children(c, n, depth);
				return;
			}
			do_pre(c, n, depth);
			return;
		}
		break;
	case 's':
		if (!strcmp(name, "strong")) {
			md_mark_begin(c->md, MD_STRONG);
			children(c, n, depth);
			md_mark_end(c->md);
			return;
		}
		if (!strcmp(name, "s") || !strcmp(name, "strike")) {
			md_mark_begin(c->md, MD_STRIKE);
			children(c, n, depth);
			md_mark_end(c->md);
			return;
		}
		if (!strcmp(name, "samp")) {
			do_code(c, n);
			return;
		}
		break;
	case 't':
		if (!strcmp(name, "table")) {
			do_table(c, n, depth);
			return;
		}
		if (!strcmp(name, "tt")) {
			do_code(c, n);
			return;
		}
		break;
	case 'u':
		if (!strcmp(name, "ul")) {
			do_list(c, n, depth);
			return;
		}
		break;
	case 'v':
		if (!strcmp(name, "video")) {
			html_block(c, n, depth);
			return;
		}
		if (!strcmp(name, "var")) {
			md_mark_begin(c->md, MD_EMPH);
			children(c, n, depth);
			md_mark_end(c->md);
			return;
		}
		break;
	case 'x':
		if (!strcmp(name, "xmp")) {
			do_pre(c, n, depth);
			return;
		}
		break;
	default:
		break;
	}
	if ((!strcmp(name, "u") || !strcmp(name, "mark")) && has_element(n)) {
		/* kramdown would not parse the Markdown inside <u>/<mark>: keep
		 * the links and emphasis, lose the underline or highlight */
		children(c, n, depth);
		return;
	}
	if (in_set(name, inline_html_elems)) {
		const char *av[2] = { "title", attr(n, "title") };
		md_html_inline_begin(c->md, name, av,
		                     strcmp(name, "abbr") == 0 && av[1] ? 1 : 0);
		if (strcmp(name, "kbd") == 0 || strcmp(name, "u") == 0 ||
		    strcmp(name, "mark") == 0) {
			/* kramdown keeps their content raw: rebuild it as HTML */
			c->in_html++;
			html_children(c, n, false, depth + 1);
			c->in_html--;
		} else {
			children(c, n, depth);
		}
		md_html_inline_end(c->md);
		return;
	}
	if (is_block_name(name)) {
		md_blankline(c->md);
		children(c, n, depth);
		md_blankline(c->md);
		return;
	}
	children(c, n, depth); /* span, font, unknown: transparent */
}

int html2md_convert(const char *html, size_t len, const struct html2md_opts *opts,
                    struct buf *out, struct m2j_err *err)
{
	static const struct html2md_opts defaults = { .base_url = NULL };
	struct conv c;
	struct buf fixed = BUF_INIT(0);
	htmlDocPtr doc;
	size_t start = out->len;
	int rc;

	memset(&c, 0, sizeof c);
	c.o = opts ? opts : &defaults;
	buf_init(&c.tmp, 0);
	buf_init(&c.rep, 0);
	if (len == 0)
		return 0;
	if (len > INT_MAX)
		return m2j_err_set(err, M2J_ELIMIT, "HTML too large");
	if (!utf8_valid(html, len)) {
		/* libxml2 passes invalid sequences through: repair them first */
		if (utf8_repair(&fixed, html, len)) {
			buf_release(&fixed);
			return m2j_err_set(err, M2J_ENOMEM, "out of memory");
		}
		html = fixed.data;
		len = fixed.len;
	}
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	                     HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                     HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
	                     HTML_PARSE_NODEFDTD);
	buf_release(&fixed);
	if (!doc)
		return 0; /* nothing parseable: no body */
	rc = md_new(&c.md, out, err);
	if (rc == 0) {
		for (xmlNodePtr k = doc->children; k; k = k->next)
			walk(&c, k, 0);
		rc = md_finish(c.md, err);
		if (rc == 0 && (c.tmp.failed || c.rep.failed || c.oom))
			rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	md_free(c.md);
	xmlFreeDoc(doc);
	buf_release(&c.tmp);
	buf_release(&c.rep);
	if (rc != 0)
		buf_truncate(out, start);
	return rc;
}
