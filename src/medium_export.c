/* medium_export.c - one file of Medium's export -> a feed item (see
 * medium_export.h). */
#include "medium_export.h"
#include "buf.h"
#include "caps.h"
#include "date.h"
#include "htmldoc.h"
#include "utf8.h"

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- DOM helpers ---- */

static const char *nm(xmlNodePtr n)
{
	return n && n->type == XML_ELEMENT_NODE && n->name ? (const char *)n->name : "";
}

static bool is(xmlNodePtr n, const char *name)
{
	return strcmp(nm(n), name) == 0;
}

/* Borrowed attribute value (while the document lives), or NULL. */
static const char *attr(xmlNodePtr n, const char *name)
{
	return htmldoc_attr(n, name);
}

static bool has_class(xmlNodePtr n, const char *cls)
{
	return htmldoc_has_class(n, cls);
}

static bool ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* First element under root (root included) named name (NULL: any) with
 * class cls (NULL: any) and attribute an == av (an NULL: any). */
static xmlNodePtr find(xmlNodePtr root, const char *name, const char *cls, const char *an,
                       const char *av, int depth)
{
	if (!root || depth > CAP_HTML_DEPTH * 2)
		return NULL;
	if (root->type == XML_ELEMENT_NODE && (!name || is(root, name)) &&
	    (!cls || has_class(root, cls)) &&
	    (!an || (attr(root, an) && strcmp(attr(root, an), av) == 0)))
		return root;
	for (xmlNodePtr k = root->children; k; k = k->next) {
		xmlNodePtr f = find(k, name, cls, an, av, depth + 1);
		if (f)
			return f;
	}
	return NULL;
}

/* Appends the text under n; <br> as "\n" when brs. */
static void text_of(xmlNodePtr n, struct buf *out, bool brs, int depth)
{
	if (depth > CAP_HTML_DEPTH * 2)
		return;
	for (xmlNodePtr k = n->children; k; k = k->next) {
		if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) && k->content)
			buf_addstr(out, (const char *)k->content);
		else if (is(k, "br") && brs)
			buf_addch(out, '\n');
		else if (k->type == XML_ELEMENT_NODE && !is(k, "script") && !is(k, "style"))
			text_of(k, out, brs, depth + 1);
	}
}

/* Appends s with runs of whitespace (and no-break spaces when nbsp)
 * collapsed to one space, trimmed. */
static void collapse_ws(const char *s, struct buf *out, bool nbsp)
{
	bool space = false;
	size_t start = out->len;

	for (; *s; s++) {
		if (ws((unsigned char)*s)) {
			space = true;
			continue;
		}
		if (nbsp && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {
			space = true;
			s++;
			continue;
		}
		if (space && out->len > start)
			buf_addch(out, ' ');
		space = false;
		buf_addch(out, *s);
	}
}

static void collapse(const char *s, struct buf *out)
{
	collapse_ws(s, out, false);
}

/* The collapsed text of n as a malloc'd string (NULL on OOM). */
static char *text_collapsed(xmlNodePtr n)
{
	struct buf raw = BUF_INIT(0), c = BUF_INIT(0);
	char *r;

	text_of(n, &raw, false, 0);
	collapse(raw.data, &c);
	buf_release(&raw);
	if (c.failed) {
		buf_release(&c);
		return NULL;
	}
	r = buf_detach(&c, NULL);
	return r;
}

static bool visible(xmlNodePtr n, int depth)
{
	if (depth > CAP_HTML_DEPTH * 2)
		return false;
	for (xmlNodePtr k = n->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE && k->content) {
			for (const xmlChar *p = k->content; *p; p++)
				if (!ws(*p))
					return true;
		} else if (is(k, "img") || is(k, "iframe") || is(k, "script") ||
		           (k->type == XML_ELEMENT_NODE && visible(k, depth + 1))) {
			return true;
		}
	}
	return false;
}

/* ---- the rewritten body, built as a tree ----
 *
 * The body is not written out as HTML and parsed again: the rewrite
 * builds its nodes in a new document, handed to the post pipeline
 * (post_src_from_doc). */

struct rw {
	xmlDocPtr doc;
	xmlNodePtr cur;        /* where the next node goes */
	bool oom;
	const char *title;     /* may be NULL */
	bool seen_graf;        /* the first graf has been looked at */
	bool title_graf;       /* ... and it was the title (dropped) */
	bool keep_equal;       /* keep a first graf equal to the title unless
	                          marked graf--title (a response is its title) */
	size_t sections;
};

static void b_add(struct rw *r, xmlNodePtr n)
{
	if (!n || !xmlAddChild(r->cur, n)) {
		if (n)
			xmlFreeNode(n);
		r->oom = true;
	}
}

static void b_open(struct rw *r, const char *name)
{
	xmlNodePtr n = xmlNewDocNode(r->doc, NULL, (const xmlChar *)name, NULL);

	b_add(r, n);
	if (!r->oom)
		r->cur = n;
}

static void b_attr(struct rw *r, const char *name, const char *v)
{
	if (v && !r->oom && !xmlNewProp(r->cur, (const xmlChar *)name, (const xmlChar *)v))
		r->oom = true;
}

static void b_close(struct rw *r)
{
	if (!r->oom && r->cur->parent)
		r->cur = r->cur->parent;
}

static void b_textn(struct rw *r, const char *s, size_t n)
{
	if (n && !r->oom)
		b_add(r, xmlNewDocTextLen(r->doc, (const xmlChar *)s, (int)n));
}

static void b_text(struct rw *r, const char *s)
{
	b_textn(r, s, strlen(s));
}

static void emit(struct rw *r, xmlNodePtr n, int depth);

static void emit_children(struct rw *r, xmlNodePtr n, int depth);

/* The language of a code graf: data-code-block-lang, else a language-X
 * class on the pre or its code; "" when none.  Borrowed. */
static const char *code_lang(xmlNodePtr pre)
{
	const char *l = attr(pre, "data-code-block-lang");

	if (l && *l)
		return l;
	for (xmlNodePtr k = pre->children; k; k = k->next) {
		const char *c = is(k, "code") ? attr(k, "class") : NULL;
		const char *p = c ? strstr(c, "language-") : NULL;

		if (p)
			return p + 9; /* cut at the space by the caller */
	}
	return "";
}

static size_t lang_len(const char *l)
{
	size_t n = 0;

	while (n < 40 && l[n] && ((l[n] >= 'a' && l[n] <= 'z') || (l[n] >= 'A' && l[n] <= 'Z') ||
	                          (l[n] >= '0' && l[n] <= '9') || l[n] == '_' || l[n] == '+' ||
	                          l[n] == '#' || l[n] == '.' || l[n] == '-'))
		n++;
	return n;
}

static xmlNodePtr next_element(xmlNodePtr n)
{
	for (n = n->next; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE)
			return n;
		if (n->type == XML_TEXT_NODE && n->content) {
			for (const xmlChar *p = n->content; *p; p++)
				if (!ws(*p))
					return NULL;
		}
	}
	return NULL;
}

/* A code graf and the code grafs right after it with the same language,
 * as one <pre><code>.  Returns the last node consumed. */
static xmlNodePtr emit_pre(struct rw *r, xmlNodePtr pre)
{
	const char *lang = code_lang(pre);
	size_t ll = lang_len(lang);
	struct buf code = BUF_INIT(0);
	xmlNodePtr last = pre, nx;

	text_of(pre, &code, true, 0);
	while ((nx = next_element(last)) && is(nx, "pre") && has_class(nx, "graf--pre")) {
		const char *l2 = code_lang(nx);

		if (lang_len(l2) != ll || strncmp(l2, lang, ll) != 0)
			break;
		buf_addch(&code, '\n');
		text_of(nx, &code, true, 0);
		last = nx;
	}
	b_open(r, "pre");
	b_open(r, "code");
	if (ll) {
		struct buf cls = BUF_INIT(0);

		buf_addf(&cls, "language-%.*s", (int)ll, lang);
		if (cls.failed)
			r->oom = true;
		b_attr(r, "class", cls.data);
		buf_release(&cls);
	}
	b_text(r, code.data);
	if (code.failed)
		r->oom = true;
	b_close(r);
	b_close(r);
	buf_release(&code);
	return last;
}

static void emit_img(struct rw *r, xmlNodePtr img)
{
	const char *src = attr(img, "src");

	if (!src || !*src)
		return;
	b_open(r, "img");
	b_attr(r, "alt", attr(img, "alt") ? attr(img, "alt") : "");
	b_attr(r, "src", src);
	b_close(r);
}

static xmlNodePtr caption_of(xmlNodePtr fig)
{
	for (xmlNodePtr k = fig->children; k; k = k->next)
		if (is(k, "figcaption") && visible(k, 0))
			return k;
	return NULL;
}

/* "https://gist.github.com/<user>/<id>.js[?file=x]" -> the gist's page. */
static bool gist_url(const char *src, struct buf *out)
{
	static const char pre[] = "https://gist.github.com/";
	size_t n;

	if (!src || strncmp(src, pre, sizeof pre - 1) != 0)
		return false;
	n = strcspn(src, "?#\"<> ");
	if (n > 3 && strncmp(src + n - 3, ".js", 3) == 0)
		n -= 3;
	if (n <= sizeof pre - 1)
		return false;
	buf_add(out, src, n);
	return true;
}

static void emit_iframe(struct rw *r, xmlNodePtr ifr)
{
	b_open(r, "iframe");
	b_attr(r, "src", attr(ifr, "src"));
	b_attr(r, "width", attr(ifr, "width"));
	b_attr(r, "height", attr(ifr, "height"));
	b_attr(r, "frameborder", "0");
	b_close(r);
}

static void emit_figure(struct rw *r, xmlNodePtr fig, int depth)
{
	xmlNodePtr cap = caption_of(fig);
	xmlNodePtr ifr = find(fig, "iframe", NULL, NULL, NULL, 0);
	xmlNodePtr scr = find(fig, "script", NULL, NULL, NULL, 0);
	xmlNodePtr img = find(fig, "img", NULL, NULL, NULL, 0);

	if (ifr && attr(ifr, "src") && *attr(ifr, "src")) {
		b_open(r, "figure");
		emit_iframe(r, ifr);
	} else if (scr) {
		struct buf u = BUF_INIT(CAP_URL_LEN);

		if (gist_url(attr(scr, "src"), &u) && !u.failed) {
			b_open(r, "p");
			b_open(r, "a");
			b_attr(r, "href", u.data);
			b_text(r, u.data);
			b_close(r);
			b_close(r);
		}
		buf_release(&u);
		if (cap) {
			b_open(r, "p");
			emit_children(r, cap, depth + 1);
			b_close(r);
		}
		return;
	} else if (img) {
		b_open(r, "figure");
		emit_img(r, img);
	} else {
		emit_children(r, fig, depth);
		return;
	}
	if (cap) {
		b_open(r, "figcaption");
		emit_children(r, cap, depth + 1);
		b_close(r);
	}
	b_close(r);
}

/* A row of figures side by side: one paragraph of images when none has a
 * caption, else the figures one after the other.  Returns the last node
 * consumed. */
static xmlNodePtr emit_row(struct rw *r, xmlNodePtr first, int depth)
{
	xmlNodePtr last = first, nx, k;
	bool caps = caption_of(first) != NULL;

	while ((nx = next_element(last)) && is(nx, "figure") &&
	       has_class(nx, "graf--layoutOutsetRowContinue")) {
		caps = caps || caption_of(nx);
		last = nx;
	}
	if (caps) {
		for (k = first;; k = next_element(k)) {
			emit_figure(r, k, depth);
			if (k == last)
				break;
		}
		return last;
	}
	b_open(r, "p");
	for (k = first;; k = next_element(k)) {
		xmlNodePtr img = find(k, "img", NULL, NULL, NULL, 0);

		if (img) {
			if (k != first)
				b_text(r, " ");
			emit_img(r, img);
		}
		if (k == last)
			break;
	}
	b_close(r);
	return last;
}

/* A link card: a link to the card's URL, with the card's title. */
static void emit_card(struct rw *r, xmlNodePtr card)
{
	xmlNodePtr a = find(card, "a", "markup--mixtapeEmbed-anchor", NULL, NULL, 0);
	xmlNodePtr strong;
	const char *href;
	char *title = NULL;

	if (!a)
		a = find(card, "a", NULL, NULL, NULL, 0);
	href = attr(a, "href");
	if (!href || !*href)
		return;
	strong = find(a, "strong", NULL, NULL, NULL, 0);
	if (strong)
		title = text_collapsed(strong);
	b_open(r, "p");
	b_open(r, "a");
	b_attr(r, "href", href);
	b_text(r, title && *title ? title : href);
	b_close(r);
	b_close(r);
	free(title);
}

/* Is this first graf of the body the title again? */
static bool is_title_graf(struct rw *r, xmlNodePtr n)
{
	char *t;
	bool same;

	if (has_class(n, "graf--title"))
		return true;
	if (r->keep_equal || !r->title || !(is(n, "p") || is(n, "h1") || is(n, "h2") || is(n, "h3") || is(n, "h4")))
		return false;
	t = text_collapsed(n);
	same = t && *t && strcmp(t, r->title) == 0;
	free(t);
	return same;
}

static const char *const plain_elems[] = {
	"p", "strong", "em", "b", "i", "u", "s", "del", "strike", "code", "ul", "li",
	"sup", "sub", "mark", "small", "cite", "q", "kbd", "figcaption", "table", "thead",
	"tbody", "tr", "td", "th", NULL
};

static bool plain(const char *name)
{
	for (size_t i = 0; plain_elems[i]; i++)
		if (strcmp(plain_elems[i], name) == 0)
			return true;
	return false;
}

static void emit_heading(struct rw *r, xmlNodePtr n, int depth)
{
	xmlNodePtr only = NULL;
	bool other = false;

	/* <h3><strong>x</strong></h3>: the strong adds nothing */
	for (xmlNodePtr k = n->children; k; k = k->next) {
		if (k->type == XML_ELEMENT_NODE) {
			if (only)
				other = true;
			only = k;
		} else if (k->type == XML_TEXT_NODE && k->content) {
			for (const xmlChar *p = k->content; *p; p++)
				if (!ws(*p))
					other = true;
		}
	}
	b_open(r, nm(n));
	if (only && !other && (is(only, "strong") || is(only, "b")))
		emit_children(r, only, depth + 1);
	else
		emit_children(r, n, depth);
	b_close(r);
}

static void emit_children(struct rw *r, xmlNodePtr n, int depth)
{
	for (xmlNodePtr k = n->children; k; k = k->next) {
		if (is(k, "pre") && has_class(k, "graf--pre"))
			k = emit_pre(r, k);
		else if (is(k, "figure") && has_class(k, "graf--layoutOutsetRow"))
			k = emit_row(r, k, depth + 1);
		else
			emit(r, k, depth + 1);
	}
}

static void emit(struct rw *r, xmlNodePtr n, int depth)
{
	const char *name;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			b_text(r, (const char *)n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	name = nm(n);
	if (depth > CAP_HTML_DEPTH) {
		struct buf t = BUF_INIT(0);

		text_of(n, &t, false, 0);
		b_text(r, t.data);
		if (t.failed)
			r->oom = true;
		buf_release(&t);
		return;
	}
	if (has_class(n, "graf") && !r->seen_graf) {
		r->seen_graf = true;
		if (is_title_graf(r, n)) {
			r->title_graf = true;
			return;
		}
	}
	if (has_class(n, "graf--empty") || (has_class(n, "graf") && !is(n, "pre") &&
	                                    !visible(n, 0)))
		return;
	if (is(n, "section") && has_class(n, "section--body")) {
		if (r->sections++ > 0) {
			b_open(r, "hr");
			b_close(r);
		}
		emit_children(r, n, depth);
		return;
	}
	if (has_class(n, "section-divider"))
		return;
	if (is(n, "script") || is(n, "style") || is(n, "noscript") || is(n, "template"))
		return;
	if (is(n, "pre")) {
		emit_pre(r, n);
		return;
	}
	if (is(n, "figure")) {
		emit_figure(r, n, depth);
		return;
	}
	if (has_class(n, "graf--mixtapeEmbed")) {
		emit_card(r, n);
		return;
	}
	if (is(n, "h1") || is(n, "h2") || is(n, "h3") || is(n, "h4") || is(n, "h5") ||
	    is(n, "h6")) {
		emit_heading(r, n, depth);
		return;
	}
	if (is(n, "a")) {
		const char *href = attr(n, "href");

		if (!href || !*href)
			href = attr(n, "data-href");
		if (!href || !*href) {
			emit_children(r, n, depth);
			return;
		}
		b_open(r, "a");
		b_attr(r, "href", href);
		b_attr(r, "title", attr(n, "title") && strcmp(attr(n, "title"), href) != 0
		                       ? attr(n, "title") : NULL);
		emit_children(r, n, depth);
		b_close(r);
		return;
	}
	if (is(n, "img")) {
		emit_img(r, n);
		return;
	}
	if (is(n, "iframe")) {
		emit_iframe(r, n);
		return;
	}
	if (is(n, "br") || is(n, "hr")) {
		b_open(r, name);
		b_close(r);
		return;
	}
	if (is(n, "blockquote") || is(n, "ol") || plain(name)) {
		b_open(r, name);
		if (is(n, "ol"))
			b_attr(r, "start", attr(n, "start"));
		emit_children(r, n, depth);
		b_close(r);
		return;
	}
	/* span (drop caps included), the section wrappers, unknown: transparent */
	emit_children(r, n, depth);
}

static htmlDocPtr parse_html(const char *html, size_t len)
{
	struct htmldoc d;

	if (htmldoc_parse(html, len, &d, NULL) != 0) {
		htmldoc_release(&d);
		return NULL;
	}
	return d.doc; /* ours now: freed with xmlFreeDoc */
}

/* Builds the rewritten body in a new document: <html><body><div>, as a
 * parse of the old "<div>...</div>" string gave. */
static int rewrite(xmlNodePtr body, const char *title, bool keep_equal, htmlDocPtr *out,
                   bool *title_graf, struct m2j_err *err)
{
	struct rw r;
	xmlNodePtr html;

	memset(&r, 0, sizeof r);
	r.title = title;
	r.keep_equal = keep_equal;
	r.doc = htmlNewDocNoDtD(NULL, NULL);
	html = r.doc ? xmlNewDocNode(r.doc, NULL, (const xmlChar *)"html", NULL) : NULL;
	if (!html) {
		if (r.doc)
			xmlFreeDoc(r.doc);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	xmlDocSetRootElement(r.doc, html);
	r.cur = html;
	b_open(&r, "body");
	b_open(&r, "div");
	emit_children(&r, body, 0);
	if (r.oom) {
		xmlFreeDoc(r.doc);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	if (title_graf)
		*title_graf = r.title_graf;
	*out = r.doc;
	return 0;
}

int medium_export_body(const char *html, size_t len, const char *title, htmlDocPtr *out,
                       struct m2j_err *err)
{
	htmlDocPtr doc = parse_html(html, len);
	xmlNodePtr root, body;
	int rc;

	*out = NULL;
	if (!doc)
		return 0;
	root = xmlDocGetRootElement(doc);
	body = find(root, "section", NULL, "data-field", "body", 0);
	if (!body)
		body = find(root, "body", NULL, NULL, NULL, 0);
	rc = body ? rewrite(body, title, false, out, NULL, err) : 0;
	xmlFreeDoc(doc);
	return rc;
}

/* ---- file names and dates ---- */

static bool hexdig(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool medium_export_name(const char *base, bool *draft, char id[13])
{
	size_t n = strlen(base), e, k;
	bool d;

	if (n < 5 || strcmp(base + n - 5, ".html") != 0)
		return false;
	d = strncmp(base, "draft_", 6) == 0;
	if (!d) {
		for (k = 0; k < 10; k++) {
			char c = base[k];

			if (k == 4 || k == 7 ? c != '-' : !(c >= '0' && c <= '9'))
				return false;
		}
		if (base[10] != '_')
			return false;
	}
	e = n - 5;
	for (k = 0; k < 13 && k < e && hexdig(base[e - k - 1]); k++)
		;
	if (k < 10 || k > 12 || e - k < 1 || base[e - k - 1] != '-')
		return false;
	memcpy(id, base + e - k, k);
	id[k] = '\0';
	*draft = d;
	return true;
}

/* "https://medium.com/p/<id>" as the href of a link under n. */
static bool footer_id(xmlNodePtr n, char id[13], int depth)
{
	static const char pre[] = "https://medium.com/p/";
	const char *h = is(n, "a") ? attr(n, "href") : NULL;

	if (!n || depth > CAP_HTML_DEPTH)
		return false;
	if (h && strncmp(h, pre, sizeof pre - 1) == 0) {
		size_t k;

		h += sizeof pre - 1;
		for (k = 0; k < 13 && hexdig(h[k]); k++)
			;
		if (k >= 10 && k <= 12 && h[k] == '\0') {
			memcpy(id, h, k);
			id[k] = '\0';
			return true;
		}
	}
	for (xmlNodePtr k = n->children; k; k = k->next)
		if (footer_id(k, id, depth + 1))
			return true;
	return false;
}

/* "Exported from Medium on November 16, 2025." -> UTC midnight. */
static bool export_date(xmlNodePtr footer, int64_t *t)
{
	static const char *const months[] = { "January", "February", "March", "April", "May",
		"June", "July", "August", "September", "October", "November", "December" };
	static const char key[] = "Exported from Medium on ";
	char *txt = footer ? text_collapsed(footer) : NULL;
	const char *p = txt ? strstr(txt, key) : NULL;
	char rfc[40], *end;
	long day, year;
	int m;
	bool ok = false;

	if (!p)
		goto out;
	p += sizeof key - 1;
	for (m = 0; m < 12; m++)
		if (strncmp(p, months[m], strlen(months[m])) == 0 && p[strlen(months[m])] == ' ')
			break;
	if (m == 12)
		goto out;
	p += strlen(months[m]) + 1;
	day = strtol(p, &end, 10);
	if (end == p || day < 1 || day > 31 || end[0] != ',' || end[1] != ' ')
		goto out;
	p = end + 2;
	year = strtol(p, &end, 10);
	if (end == p || year < 1970 || year > 9999)
		goto out;
	snprintf(rfc, sizeof rfc, "%02ld %.3s %04ld 00:00:00 +0000", day, months[m], year);
	ok = date_parse(rfc, t) == 0;
out:
	free(txt);
	return ok;
}

/* True when text starts with title (both collapsed), a final ellipsis of
 * the title ignored. */
static bool starts_with(const char *text, const char *title)
{
	size_t tl = strlen(title);

	if (tl >= 3 && (memcmp(title + tl - 3, "\xE2\x80\xA6", 3) == 0 ||
	                memcmp(title + tl - 3, "...", 3) == 0))
		tl -= 3;
	while (tl && title[tl - 1] == ' ')
		tl--;
	return tl > 0 && strncmp(text, title, tl) == 0;
}

static char *dup_repair(const char *s)
{
	return utf8_strdup_repair(s, strlen(s));
}

void medium_export_release(struct medium_export_post *p)
{
	if (!p)
		return;
	free(p->item.title);
	free(p->item.link);
	free(p->item.guid);
	free(p->item.html);
	free(p->item.author);
	free(p->item.date_raw);
	free(p->subtitle);
	if (p->body)
		xmlFreeDoc(p->body);
	memset(p, 0, sizeof *p);
}

int medium_export_parse(const char *name, const char *html, size_t len,
                        struct medium_export_post *p, struct m2j_err *err)
{
	htmlDocPtr doc;
	xmlNodePtr root, art, h1, sub, body, footer, time_el, canon, author;
	struct buf gb = BUF_INIT(0);
	bool named = false, draft = false;
	char *title = NULL, *s;
	int rc = 0;

	memset(p, 0, sizeof *p);
	if (name)
		named = medium_export_name(name, &draft, p->id);
	if (!utf8_valid(html, len))
		return m2j_err_set(err, M2J_ENOTFEED, "not UTF-8 text: not a Medium post file");
	doc = parse_html(html, len);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	art = find(root, "article", "h-entry", NULL, NULL, 0);
	h1 = find(art, "h1", "p-name", NULL, NULL, 0);
	if (!art || !h1) {
		if (doc)
			xmlFreeDoc(doc);
		return m2j_err_set(err, M2J_ENOTFEED,
		                   "not a Medium post file (no article.h-entry with h1.p-name)");
	}
	footer = find(art, "footer", NULL, NULL, NULL, 0);
	if (!named && !footer_id(footer, p->id, 0)) {
		xmlFreeDoc(doc);
		return m2j_err_set(err, M2J_ENOTFEED, "no Medium post id (file name or footer)");
	}
	if (!named)
		draft = !find(footer, "time", "dt-published", NULL, NULL, 0);
	p->draft = draft;
	title = text_collapsed(h1);
	if (!title)
		goto oom;
	p->item.title = dup_repair(title);
	sub = find(art, "section", NULL, "data-field", "subtitle", 0);
	if (sub) {
		s = text_collapsed(sub);
		if (!s)
			goto oom;
		if (*s)
			p->subtitle = dup_repair(s);
		free(s);
	}
	body = find(art, "section", NULL, "data-field", "body", 0);
	if (!draft && !sub && body && !has_class(find(body, NULL, "graf", NULL, NULL, 0),
	                                         "graf--title")) {
		struct buf raw = BUF_INIT(0), txt = BUF_INIT(0), tt = BUF_INIT(0);

		/* Medium may turn a space of the text into a no-break space */
		text_of(body, &raw, false, 0);
		collapse_ws(raw.data, &txt, true);
		collapse_ws(title, &tt, true);
		p->response = !txt.failed && !tt.failed && starts_with(txt.data, tt.data);
		buf_release(&raw);
		buf_release(&txt);
		buf_release(&tt);
	}
	if (body && (rc = rewrite(body, title, p->response, &p->body, &p->has_title_graf, err)))
		goto fail;
	p->item.html = strdup(""); /* the body is the tree: p->body */
	buf_addf(&gb, "https://medium.com/p/%s", p->id);
	p->item.guid = gb.failed ? NULL : buf_detach(&gb, NULL);
	canon = find(footer, "a", "p-canonical", NULL, NULL, 0);
	if (canon && attr(canon, "href") && (strncmp(attr(canon, "href"), "https://", 8) == 0 ||
	                                     strncmp(attr(canon, "href"), "http://", 7) == 0))
		p->item.link = dup_repair(attr(canon, "href"));
	else if (p->item.guid)
		p->item.link = strdup(p->item.guid);
	author = find(footer, "a", "p-author", NULL, NULL, 0);
	if (author) {
		s = text_collapsed(author);
		if (!s)
			goto oom;
		if (*s)
			p->item.author = dup_repair(s);
		free(s);
	}
	p->has_exported = export_date(footer, &p->exported);
	time_el = find(footer, "time", "dt-published", NULL, NULL, 0);
	if (time_el && attr(time_el, "datetime")) {
		p->item.date_raw = dup_repair(attr(time_el, "datetime"));
		p->item.has_date = date_parse(attr(time_el, "datetime"), &p->item.date) == 0;
	}
	if (draft && !p->item.has_date && p->has_exported) {
		p->item.date = p->exported;
		p->item.has_date = true;
	}
	if (!p->item.title || !p->item.html || !p->item.guid || !p->item.link ||
	    (p->item.date_raw == NULL && time_el && attr(time_el, "datetime")))
		goto oom;
	if (!draft && !p->item.has_date) {
		rc = m2j_err_set(err, M2J_EDATE, p->item.date_raw ? "unreadable date \"%.80s\""
		                                                   : "no publication date%s",
		                 p->item.date_raw ? p->item.date_raw : "");
		goto fail;
	}
	free(title);
	xmlFreeDoc(doc);
	return 0;
oom:
	rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
fail:
	free(title);
	buf_release(&gb);
	xmlFreeDoc(doc);
	medium_export_release(p);
	return rc;
}

int medium_export_src(struct medium_export_post *p, const struct post_opts *o,
                      struct post_src *src, struct m2j_err *err)
{
	htmlDocPtr doc = p->body;

	p->body = NULL; /* src owns it now, whatever happens */
	if (!doc)
		return post_src_open(true, &p->item, o, src, err); /* no body: empty */
	return post_src_from_doc(true, &p->item, o, doc, src, err);
}
