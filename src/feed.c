/* feed.c - RSS 2.0 / 0.9x, RSS 1.0 (RDF) / 0.90 and Atom 1.0 / 0.3 bytes
 * -> struct feed, with libxml2.
 *
 * Safety: the parser runs with XML_PARSE_NONET and without NOENT, DTDLOAD
 * or HUGE (so libxml2's depth and entity-amplification limits stay on);
 * this parser context's SAX resolveEntity / externalSubset callbacks refuse
 * every external resource, so no file or URL is ever opened.  RECOVER is
 * not used: a truncated or malformed document is an error, not half a feed.
 * Strings are copied out of the tree (and repaired to valid UTF-8) before
 * xmlFreeDoc; every walk of the tree is bounded in depth, in visited nodes
 * and in output size.
 *
 * Encoding: a BOM wins, then sniffing of "<?" in UTF-16 without BOM, then
 * the XML declaration, then charset_hint, then UTF-8.  UTF-16 input is
 * converted to UTF-8 here; a UTF-8 input (declared or assumed) that is not
 * valid UTF-8 is repaired (U+FFFD) before libxml2 sees it; a declaration of
 * UTF-16/UTF-32 over 8-bit bytes is overridden (read as UTF-8).  Other
 * declared encodings are converted by libxml2 (iconv).
 */
#include "feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>

#include "buf.h"
#include "caps.h"
#include "date.h"
#include "url.h"
#include "utf8.h"

#define NS_ATOM10 "http://www.w3.org/2005/Atom"
#define NS_ATOM03 "http://purl.org/atom/ns#"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RSS1 "http://purl.org/rss/1.0/"
#define NS_RSS090 "http://my.netscape.com/rdf/simple/0.9/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_DCTERMS "http://purl.org/dc/terms/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_XHTML "http://www.w3.org/1999/xhtml"
#define NS_MEDIA "http://search.yahoo.com/mrss/"
#define NS_FEEDBURNER "http://rssnamespace.org/feedburner/ext/1.0"

/* Enclosures kept per item. */
#define MAX_ENCLOSURES 32

/* Deepest element nesting walked when copying text or serialising XHTML
 * (libxml2 itself stops at 256 without XML_PARSE_HUGE). */
#define WALK_DEPTH 300

struct state {
	xmlDocPtr doc;
	struct feed *f;
	size_t items_cap;
	size_t strmax;  /* cap of one extracted string */
	size_t budget;  /* nodes left to visit */
	int code;       /* first failure while extracting, 0 if none */
	char *feed_date; /* the channel's / feed's date, for undated items */
	int feed_date_rank;
	bool based;      /* set_doc_base done */
};

/* ---- small helpers ---- */

static bool is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

static bool ieq(const char *a, const char *b)
{
	while (*a && *b && lower(*a) == lower(*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

/* Case-insensitive prefix test of s[0..n) against word. */
static bool iprefix(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; word[i]; i++)
		if (i >= n || lower(s[i]) != word[i])
			return false;
	return true;
}

static const char *ns_of(xmlNodePtr n)
{
	return (n->ns && n->ns->href) ? (const char *)n->ns->href : NULL;
}

/* Element n has local name `name` in namespace `ns` (NULL: no namespace). */
static bool is_el(xmlNodePtr n, const char *ns, const char *name)
{
	const char *h;

	if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
		return false;
	h = ns_of(n);
	if (!ns)
		return h == NULL;
	return h != NULL && strcmp(h, ns) == 0;
}

static bool in_ns(xmlNodePtr n, const char *ns)
{
	const char *h = ns_of(n);
	return n->type == XML_ELEMENT_NODE && h && strcmp(h, ns) == 0;
}

/* Element n has local name `name` in the item's own namespace `core`
 * (RSS 2.0: none; RSS 1.0 / 0.90: theirs) or in no namespace. */
static bool is_core(xmlNodePtr n, const char *core, const char *name)
{
	if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
		return false;
	return ns_of(n) == NULL || (core && strcmp(ns_of(n), core) == 0);
}

static char *attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *r;

	if (!v)
		return NULL;
	r = utf8_strdup_repair((const char *)v, strlen((const char *)v));
	xmlFree(v);
	return r;
}

static void fail(struct state *st, int code)
{
	if (!st->code)
		st->code = code;
}

/* ---- text extraction ---- */

/* Appends the text of n's descendants.  Entity references are walked
 * through their (already parsed, internal) content; the node budget and
 * the buffer cap bound any expansion. */
/* HTML elements that separate words when a title's markup is removed. */
static bool is_block_html(const char *name)
{
	static const char *const v[] = { "address", "article", "aside", "blockquote",
		"br", "caption", "dd", "div", "dl", "dt", "fieldset", "figcaption",
		"figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
		"li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
		"td", "tfoot", "th", "thead", "tr", "ul" };
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		if (ieq(name, v[i]))
			return true;
	return false;
}

static void text_walk(struct state *st, struct buf *b, xmlNodePtr n, int depth)
{
	xmlNodePtr c;

	if (depth > WALK_DEPTH) {
		fail(st, M2J_ELIMIT);
		return;
	}
	for (c = n->children; c && !st->code; c = c->next) {
		if (st->budget == 0 || b->failed) {
			fail(st, b->failed && !b->too_big ? M2J_ENOMEM : M2J_ELIMIT);
			return;
		}
		st->budget--;
		switch (c->type) {
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (c->content)
				buf_addstr(b, (const char *)c->content);
			break;
		case XML_ELEMENT_NODE: {
			/* inline XHTML markup (H<sub>2</sub>O) joins, blocks separate */
			bool sep = in_ns(c, NS_XHTML) && is_block_html((const char *)c->name);
			if (sep)
				buf_addch(b, ' ');
			text_walk(st, b, c, depth + 1);
			if (sep)
				buf_addch(b, ' ');
			break;
		}
		case XML_ENTITY_REF_NODE: {
			xmlEntityPtr e = xmlGetDocEntity(st->doc, c->name);
			if (e && e->etype == XML_INTERNAL_GENERAL_ENTITY)
				text_walk(st, b, (xmlNodePtr)e, depth + 1);
			break;
		}
		default:
			break;
		}
	}
	if (b->failed)
		fail(st, b->too_big ? M2J_ELIMIT : M2J_ENOMEM);
}

/* The text content of n, repaired; NULL on failure (st->code set). */
static char *text_of(struct state *st, xmlNodePtr n)
{
	struct buf b = BUF_INIT(st->strmax);
	char *r;

	text_walk(st, &b, n, 0);
	if (st->code) {
		buf_release(&b);
		return NULL;
	}
	r = utf8_strdup_repair(b.data, b.len);
	buf_release(&b);
	if (!r)
		fail(st, M2J_ENOMEM);
	return r;
}

/* Text content with leading and trailing whitespace removed. */
static char *trimmed_text(struct state *st, xmlNodePtr n)
{
	char *s = text_of(st, n);
	size_t a = 0, z;

	if (!s)
		return NULL;
	z = strlen(s);
	while (a < z && is_ws((unsigned char)s[a]))
		a++;
	while (z > a && is_ws((unsigned char)s[z - 1]))
		z--;
	memmove(s, s + a, z - a);
	s[z - a] = '\0';
	return s;
}

/* ---- HTML helpers ---- */

static void add_escaped(struct buf *b, const char *s, bool attr_value)
{
	const char *run = s;

	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = attr_value ? "&quot;" : NULL; break;
		default: break;
		}
		if (rep) {
			buf_add(b, run, (size_t)(s - run));
			buf_addstr(b, rep);
			run = s + 1;
		}
	}
	buf_add(b, run, (size_t)(s - run));
}

static bool is_void_el(const char *name)
{
	static const char *const v[] = { "area", "base", "br", "col", "embed",
		"hr", "img", "input", "link", "meta", "source", "track", "wbr" };
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		if (strcmp(name, v[i]) == 0)
			return true;
	return false;
}

/* Serialises n's children as HTML: elements by local name, attributes
 * escaped, text escaped, entity references kept as "&name;", comments and
 * processing instructions dropped. */
static void xhtml_walk(struct state *st, struct buf *b, xmlNodePtr n, int depth)
{
	xmlNodePtr c;
	xmlAttrPtr a;

	if (depth > WALK_DEPTH) {
		fail(st, M2J_ELIMIT);
		return;
	}
	for (c = n->children; c && !st->code; c = c->next) {
		if (st->budget == 0) {
			fail(st, M2J_ELIMIT);
			return;
		}
		st->budget--;
		switch (c->type) {
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (c->content)
				add_escaped(b, (const char *)c->content, false);
			break;
		case XML_ENTITY_REF_NODE:
			buf_addf(b, "&%s;", (const char *)c->name);
			break;
		case XML_ELEMENT_NODE:
			buf_addch(b, '<');
			buf_addstr(b, (const char *)c->name);
			for (a = c->properties; a; a = a->next) {
				xmlChar *v = xmlNodeListGetString(st->doc, a->children, 1);
				buf_addch(b, ' ');
				buf_addstr(b, (const char *)a->name);
				buf_addstr(b, "=\"");
				if (v)
					add_escaped(b, (const char *)v, true);
				buf_addch(b, '"');
				xmlFree(v);
			}
			if (!c->children && is_void_el((const char *)c->name)) {
				buf_addstr(b, " />");
				break;
			}
			buf_addch(b, '>');
			xhtml_walk(st, b, c, depth + 1);
			buf_addstr(b, "</");
			buf_addstr(b, (const char *)c->name);
			buf_addch(b, '>');
			break;
		default:
			break;
		}
	}
	if (b->failed)
		fail(st, b->too_big ? M2J_ELIMIT : M2J_ENOMEM);
}

static char *finish(struct state *st, struct buf *b)
{
	char *r;

	if (st->code || b->failed) {
		fail(st, b->too_big ? M2J_ELIMIT : M2J_ENOMEM);
		buf_release(b);
		return NULL;
	}
	r = utf8_strdup_repair(b->data, b->len);
	buf_release(b);
	if (!r)
		fail(st, M2J_ENOMEM);
	return r;
}

/* Inline XHTML content: the children of the xhtml:div wrapper when it is
 * the only element, else all children. */
static char *xhtml_of(struct state *st, xmlNodePtr n)
{
	struct buf b = BUF_INIT(st->strmax);
	xmlNodePtr c, only = NULL;
	int nel = 0;

	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			only = c;
			nel++;
		}
	if (nel == 1 && is_el(only, NS_XHTML, "div"))
		n = only;
	xhtml_walk(st, &b, n, 0);
	return finish(st, &b);
}

/* Plain text to HTML: escaped, line breaks kept as <br>. */
static char *text_to_html(struct state *st, const char *s)
{
	struct buf b = BUF_INIT(st->strmax);
	const char *p;

	for (p = s; *p; p++) {
		if (*p == '\n') {
			buf_addstr(&b, "<br>\n");
		} else if (*p == '&') {
			buf_addstr(&b, "&amp;");
		} else if (*p == '<') {
			buf_addstr(&b, "&lt;");
		} else if (*p == '>') {
			buf_addstr(&b, "&gt;");
		} else if (*p != '\r') {
			buf_addch(&b, *p);
		}
	}
	return finish(st, &b);
}

/* The HTML 4 named entity "&name;" at s (libxml2's HTML table, the 252
 * of HTML 4.01 plus &apos;): its code point in *cp and its length, or 0. */
static size_t html_entity(const char *s, unsigned long *cp)
{
	char name[16];
	const htmlEntityDesc *e;
	size_t i;

	for (i = 1; i < sizeof name && ((s[i] >= 'a' && s[i] <= 'z') ||
	                                (s[i] >= 'A' && s[i] <= 'Z') ||
	                                (s[i] >= '0' && s[i] <= '9')); i++)
		name[i - 1] = s[i];
	if (i == 1 || i >= sizeof name || s[i] != ';')
		return 0;
	name[i - 1] = '\0';
	if (strcmp(name, "apos") == 0) {
		*cp = '\'';
		return i + 1;
	}
	e = htmlEntityLookup((const xmlChar *)name);
	if (!e)
		return 0;
	*cp = e->value;
	return i + 1;
}

/* Decodes one HTML character reference at s ("&...;"); appends it and
 * returns the bytes used, or 0 when it is not one we know. */
static size_t decode_ref(struct buf *b, const char *s)
{
	char tmp[4];
	size_t i, n;
	unsigned long cp = 0;

	if (s[1] == '#') {
		bool hex = s[2] == 'x' || s[2] == 'X';
		i = hex ? 3 : 2;
		n = i;
		for (; s[i] && s[i] != ';' && i < n + 8; i++) {
			char c = lower(s[i]);
			int d;
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else
				return 0;
			cp = cp * (hex ? 16u : 10u) + (unsigned long)d;
		}
		if (s[i] != ';' || i == n)
			return 0;
		if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = 0xFFFD;
		buf_add(b, tmp, utf8_encode(cp, tmp));
		return i + 1;
	}
	n = html_entity(s, &cp);
	if (!n)
		return 0;
	if (cp == 0xA0)
		cp = ' ';
	buf_add(b, tmp, utf8_encode(cp, tmp));
	return n;
}

/* HTML to text: tags dropped (with the content of script and style),
 * character references decoded. */
static char *strip_html(struct state *st, const char *s)
{
	struct buf b = BUF_INIT(st->strmax);
	const char *p = s;

	while (*p) {
		char n1 = '\0';
		if (p[0] == '<')
			n1 = *(p + (p[1] == '/' ? 2 : 1));
		if (*p == '<' && ((n1 >= 'a' && n1 <= 'z') || (n1 >= 'A' && n1 <= 'Z') ||
		                  n1 == '!' || n1 == '?')) {
			const char *gt = strchr(p, '>');
			const char *name = p + 1;
			if (!gt)
				break;
			if (iprefix(name, (size_t)(gt - name), "script") ||
			    iprefix(name, (size_t)(gt - name), "style")) {
				const char *close = name[1] == 'c' || name[1] == 'C'
					? "</script" : "</style";
				const char *q = gt + 1;
				while (*q && !iprefix(q, strlen(q), close))
					q++;
				gt = *q ? strchr(q, '>') : NULL;
				if (!gt)
					break;
			}
			{
				/* the tag's name, after any '/' */
				const char *q = name + (*name == '/');
				char tag[12];
				size_t k = 0;
				while (k + 1 < sizeof tag && q + k < gt &&
				       ((q[k] >= 'a' && q[k] <= 'z') || (q[k] >= 'A' && q[k] <= 'Z') ||
				        (q[k] >= '0' && q[k] <= '9'))) {
					tag[k] = q[k];
					k++;
				}
				tag[k] = '\0';
				if (is_block_html(tag))
					buf_addch(&b, ' ');
			}
			p = gt + 1;
		} else if (*p == '&') {
			size_t used = decode_ref(&b, p);
			if (used) {
				p += used;
			} else {
				buf_addch(&b, '&');
				p++;
			}
		} else {
			buf_addch(&b, *p++);
		}
	}
	return finish(st, &b);
}

/* Collapses whitespace runs to one space, trims, and caps the length at
 * CAP_TITLE_LEN bytes on a UTF-8 boundary.  In place. */
static void clean_title(char *s)
{
	size_t r = 0, w = 0;
	bool space = false;

	for (; s[r]; r++) {
		if (is_ws((unsigned char)s[r])) {
			space = w > 0;
			continue;
		}
		if (space)
			s[w++] = ' ';
		space = false;
		s[w++] = s[r];
	}
	if (w > CAP_TITLE_LEN) {
		w = CAP_TITLE_LEN;
		while (w > 0 && ((unsigned char)s[w] & 0xC0) == 0x80)
			w--;
		while (w > 0 && s[w - 1] == ' ')
			w--;
	}
	s[w] = '\0';
}

/* ---- text constructs (Atom type, RSS plain) ---- */

enum ctype { CT_TEXT, CT_HTML, CT_XHTML, CT_SKIP };

/* The content type named by type= alone (Atom 1.0 names, Atom 0.3 MIME). */
static enum ctype type_of(const char *t)
{
	if (t && (ieq(t, "html") || ieq(t, "text/html")))
		return CT_HTML;
	if (t && (ieq(t, "xhtml") || ieq(t, "application/xhtml+xml")))
		return CT_XHTML;
	return CT_TEXT;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+' || c == '-') return 62;
	if (c == '/' || c == '_') return 63;
	return -1;
}

/* Decodes base64 text (whitespace ignored, '=' ends it); NULL with
 * st->code 0 when it is not base64. */
static char *b64_decode(struct state *st, const char *s)
{
	struct buf b = BUF_INIT(st->strmax);
	unsigned long acc = 0;
	int bits = 0;

	for (; *s && *s != '='; s++) {
		int v;
		if (is_ws((unsigned char)*s))
			continue;
		if ((v = b64_value(*s)) < 0) {
			buf_release(&b);
			return NULL;
		}
		acc = (acc << 6 | (unsigned long)v) & 0xFFFFFF;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addch(&b, (int)((acc >> bits) & 0xFF));
		}
	}
	return finish(st, &b);
}

/* The text of a mode="base64" element, decoded; NULL when absent. */
static char *b64_text(struct state *st, xmlNodePtr n)
{
	char *raw = text_of(st, n), *r;

	if (!raw)
		return NULL;
	r = b64_decode(st, raw);
	free(raw);
	return r;
}

static enum ctype construct_type(xmlNodePtr n)
{
	char *t = attr(n, "type"), *mode = attr(n, "mode");
	enum ctype ct = CT_TEXT;

	if (t && (ieq(t, "html") || ieq(t, "text/html")))
		ct = CT_HTML;
	else if (t && (ieq(t, "xhtml") || ieq(t, "application/xhtml+xml")))
		ct = CT_XHTML;
	if (mode && ieq(mode, "escaped") && ct == CT_TEXT && t && !ieq(t, "text") &&
	    !ieq(t, "text/plain") && t[0])
		ct = CT_HTML;
	if (mode && ieq(mode, "xml") && ct != CT_TEXT)
		ct = CT_XHTML;
	if (mode && ieq(mode, "base64"))
		ct = CT_SKIP;
	free(t);
	free(mode);
	return ct;
}

/* Text that holds HTML: a closing tag "</x" or a character reference
 * "&x;" / "&#N;" (a lone "<" or "&" is plain text). */
static bool looks_like_html(const char *s)
{
	const char *p;

	for (p = s; *p; p++) {
		if (p[0] == '<' && p[1] == '/' && ((p[2] >= 'a' && p[2] <= 'z') ||
		                                   (p[2] >= 'A' && p[2] <= 'Z')))
			return true;
		if (p[0] == '&') {
			const char *q = p + 1 + (p[1] == '#');
			const char *q0 = q;
			while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
			       (*q >= '0' && *q <= '9'))
				q++;
			if (q > q0 && *q == ';')
				return true;
		}
	}
	return false;
}

/* The text of a construct of type *ct (not xhtml): a base64 one is
 * decoded and *ct becomes the type it names (xhtml read as html). */
static char *construct_text(struct state *st, xmlNodePtr n, enum ctype *ct)
{
	char *t;

	if (*ct != CT_SKIP)
		return text_of(st, n);
	t = attr(n, "type");
	*ct = type_of(t);
	free(t);
	if (*ct == CT_XHTML)
		*ct = CT_HTML;
	return b64_text(st, n);
}

/* A title from element n: plain text.  Atom: by its type (html stripped,
 * xhtml as text with blocks separating words, base64 decoded); RSS, and
 * Atom text: stripped as HTML when it holds markup or references, as
 * feed readers show such titles. */
static char *title_of(struct state *st, xmlNodePtr n, bool atom)
{
	enum ctype ct = atom ? construct_type(n) : CT_TEXT;
	char *s, *r;

	s = construct_text(st, n, &ct);
	if (!s)
		return st->code ? NULL : strdup("");
	if (ct == CT_HTML || (!atom && looks_like_html(s))) {
		r = strip_html(st, s);
		free(s);
	} else {
		r = s;
	}
	if (r)
		clean_title(r);
	return r;
}

/* An Atom content/summary as HTML; NULL with st->code 0 when the element
 * has no usable inline body (src=, base64). */
static char *atom_body(struct state *st, xmlNodePtr n)
{
	enum ctype ct = construct_type(n);
	char *s, *r, *src = attr(n, "src");

	free(src);
	if (src)
		return NULL;
	if (ct == CT_XHTML)
		return xhtml_of(st, n);
	s = construct_text(st, n, &ct);
	if (!s || ct == CT_HTML)
		return s;
	r = text_to_html(st, s);
	free(s);
	return r;
}

/* ---- items ---- */

static bool is_absolute_url(const char *s)
{
	const char *p = s;

	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	return p > s && *p == ':';
}

/* Resolves *link against the xml:base in effect at n. */
static void resolve(struct state *st, char **link, xmlNodePtr n)
{
	xmlChar *base, *abs;

	if (!*link || is_absolute_url(*link))
		return;
	base = xmlNodeGetBase(st->doc, n);
	if (!base)
		return;
	abs = xmlBuildURI((const xmlChar *)*link, base);
	xmlFree(base);
	if (abs) {
		char *r = utf8_strdup_repair((const char *)abs, strlen((const char *)abs));
		xmlFree(abs);
		if (!r) {
			fail(st, M2J_ENOMEM);
			return;
		}
		free(*link);
		*link = r;
	}
}

static void item_release(struct feed_item *it)
{
	size_t i;

	free(it->title);
	free(it->link);
	free(it->guid);
	free(it->html);
	free(it->base);
	free(it->author);
	free(it->updated_raw);
	for (i = 0; i < it->ncategories; i++)
		free(it->categories[i]);
	free(it->categories);
	for (i = 0; i < it->nenclosures; i++) {
		free(it->enclosures[i].url);
		free(it->enclosures[i].type);
	}
	free(it->enclosures);
	free(it->date_raw);
}

static void set_str(char **dst, char *s)
{
	free(*dst);
	*dst = s;
}

static void add_category(struct state *st, struct feed_item *it, char *s)
{
	char **c;

	if (!s)
		return;
	clean_title(s);
	if (!s[0] || it->ncategories >= 1000) {
		free(s);
		return;
	}
	c = realloc(it->categories, (it->ncategories + 1) * sizeof *c);
	if (!c) {
		free(s);
		fail(st, M2J_ENOMEM);
		return;
	}
	it->categories = c;
	c[it->ncategories++] = s;
}

/* Date candidates by rank: the lowest rank present is the item's date;
 * among equal ranks the last one wins (as feedparser does). */
enum { D_PUB, D_ISSUED, D_CREATED, D_DCDATE, D_MODIFIED, D_UPDATED, D_NONE };

struct item_scratch {
	xmlNodePtr title, alt_title, link, guid, content, desc;
	xmlNodePtr atom_title, atom_link, origlink; /* atom:* in RSS, feedburner */
	xmlNodePtr enc[MAX_ENCLOSURES];
	size_t nenc;
	xmlNodePtr date[D_NONE];
	xmlNodePtr updated;
	bool guid_permalink;
	bool have_creator;
};

static xmlNodePtr atom_author_name(xmlNodePtr author, const char *ns)
{
	xmlNodePtr c;

	for (c = author->children; c; c = c->next)
		if (is_el(c, ns, "name"))
			return c;
	return NULL;
}

static void add_enclosure_node(struct item_scratch *sc, xmlNodePtr c)
{
	if (sc->nenc < MAX_ENCLOSURES)
		sc->enc[sc->nenc++] = c;
}

/* An Atom <link> of an entry (or atom:link of an RSS item): the alternate
 * (an HTML one preferred) into *link / *alt_any, an enclosure into sc. */
static void atom_link_el(xmlNodePtr c, struct item_scratch *sc, xmlNodePtr *link,
                         xmlNodePtr *alt_any)
{
	char *rel = attr(c, "rel");

	if (!rel || ieq(rel, "alternate")) {
		char *type = attr(c, "type");
		if (!*link && (!type || iprefix(type, strlen(type), "text/html") ||
		               iprefix(type, strlen(type), "application/xhtml")))
			*link = c;
		else if (!*alt_any)
			*alt_any = c;
		free(type);
	} else if (ieq(rel, "enclosure")) {
		add_enclosure_node(sc, c);
	}
	free(rel);
}

static void collect_rss(struct state *st, struct feed_item *it, xmlNodePtr item,
                        struct item_scratch *sc)
{
	xmlNodePtr atom_alt = NULL;
	const char *core = ns_of(item);
	xmlNodePtr c;

	for (c = item->children; c && !st->code; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_core(c, core, "title")) {
			if (!sc->title)
				sc->title = c;
		} else if (is_el(c, NS_DC, "title") || is_el(c, NS_MEDIA, "title")) {
			if (!sc->alt_title)
				sc->alt_title = c;
		} else if (is_core(c, core, "link")) {
			if (!sc->link)
				sc->link = c;
		} else if (is_el(c, NS_ATOM10, "title")) {
			if (!sc->atom_title)
				sc->atom_title = c;
		} else if (is_el(c, NS_ATOM10, "link")) {
			atom_link_el(c, sc, &sc->atom_link, &atom_alt);
		} else if (is_el(c, NS_FEEDBURNER, "origLink")) {
			if (!sc->origlink)
				sc->origlink = c;
		} else if (is_core(c, core, "enclosure")) {
			add_enclosure_node(sc, c);
		} else if (is_el(c, NS_ATOM10, "id")) {
			if (!sc->guid) {
				sc->guid = c;
				sc->guid_permalink = false;
			}
		} else if (is_el(c, NS_ATOM10, "author")) {
			xmlNodePtr name = atom_author_name(c, NS_ATOM10);
			if (!it->author && name)
				it->author = trimmed_text(st, name);
		} else if (is_el(c, NS_ATOM10, "content")) {
			if (!sc->content)
				sc->content = c;
		} else if (is_el(c, NS_ATOM10, "summary")) {
			if (!sc->desc)
				sc->desc = c;
		} else if (is_core(c, core, "guid")) {
			if (!sc->guid || in_ns(sc->guid, NS_ATOM10)) {
				char *p = attr(c, "isPermaLink");
				sc->guid = c;
				sc->guid_permalink = !p || ieq(p, "true");
				free(p);
			}
		} else if (is_core(c, core, "pubDate")) {
			sc->date[D_PUB] = c;
		} else if (is_el(c, NS_DCTERMS, "issued") || is_el(c, NS_ATOM10, "published")) {
			sc->date[D_ISSUED] = c;
		} else if (is_el(c, NS_DCTERMS, "created")) {
			sc->date[D_CREATED] = c;
		} else if (is_el(c, NS_DC, "date") || is_el(c, NS_DCTERMS, "date")) {
			sc->date[D_DCDATE] = c;
			sc->updated = c;
		} else if (is_el(c, NS_DCTERMS, "modified")) {
			sc->date[D_MODIFIED] = c;
			sc->updated = c;
		} else if (is_el(c, NS_ATOM10, "updated")) {
			sc->date[D_UPDATED] = c;
			sc->updated = c;
		} else if (is_el(c, NS_DC, "creator")) {
			if (!sc->have_creator) /* dc:creator beats <author> */
				set_str(&it->author, trimmed_text(st, c));
			sc->have_creator = true;
		} else if (is_core(c, core, "author")) {
			if (!it->author)
				it->author = trimmed_text(st, c);
		} else if (is_core(c, core, "category") || is_el(c, NS_DC, "subject")) {
			add_category(st, it, trimmed_text(st, c));
		} else if (is_el(c, NS_CONTENT, "encoded") || is_el(c, NS_XHTML, "body")) {
			if (!sc->content || in_ns(sc->content, NS_ATOM10))
				sc->content = c;
		} else if (is_core(c, core, "description")) {
			if (!sc->desc || in_ns(sc->desc, NS_ATOM10))
				sc->desc = c;
		}
	}
	if (!sc->atom_link)
		sc->atom_link = atom_alt;
}

static void collect_atom(struct state *st, struct feed_item *it, xmlNodePtr entry,
                         struct item_scratch *sc)
{
	const char *ns = ns_of(entry);
	xmlNodePtr c, alt_any = NULL;

	for (c = entry->children; c && !st->code; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_el(c, ns, "title")) {
			if (!sc->title)
				sc->title = c;
		} else if (is_el(c, ns, "link")) {
			atom_link_el(c, sc, &sc->link, &alt_any);
		} else if (is_el(c, NS_DC, "title")) {
			if (!sc->alt_title)
				sc->alt_title = c;
		} else if (is_el(c, NS_FEEDBURNER, "origLink")) {
			if (!sc->origlink)
				sc->origlink = c;
		} else if (is_el(c, ns, "id")) {
			if (!sc->guid)
				sc->guid = c;
		} else if (is_el(c, ns, "published") || is_el(c, ns, "issued")) {
			sc->date[D_PUB] = c;
		} else if (is_el(c, ns, "created") || is_el(c, NS_DCTERMS, "created")) {
			sc->date[D_CREATED] = c;
		} else if (is_el(c, ns, "updated") || is_el(c, ns, "modified")) {
			sc->date[D_UPDATED] = c;
			sc->updated = c;
		} else if (is_el(c, NS_DC, "date") || is_el(c, NS_DCTERMS, "date")) {
			sc->date[D_DCDATE] = c;
		} else if (is_el(c, NS_DCTERMS, "issued")) {
			sc->date[D_ISSUED] = c;
		} else if (is_el(c, NS_DCTERMS, "modified")) {
			sc->date[D_MODIFIED] = c;
		} else if (is_el(c, ns, "author")) {
			xmlNodePtr name = atom_author_name(c, ns);
			if (!it->author && name)
				it->author = trimmed_text(st, name);
		} else if (is_el(c, NS_DC, "creator")) {
			if (!it->author)
				it->author = trimmed_text(st, c);
		} else if (is_el(c, ns, "category")) {
			char *term = attr(c, "term");
			if (term)
				add_category(st, it, term);
		} else if (is_el(c, NS_DC, "subject")) {
			add_category(st, it, trimmed_text(st, c));
		} else if (is_el(c, ns, "content")) {
			if (!sc->content)
				sc->content = c;
		} else if (is_el(c, ns, "summary")) {
			if (!sc->desc)
				sc->desc = c;
		}
	}
	if (!sc->link)
		sc->link = alt_any;
}

static bool is_http_url(const char *s)
{
	return s && (iprefix(s, strlen(s), "http://") || iprefix(s, strlen(s), "https://"));
}

/* An xml:base attribute on n or an ancestor. */
static bool has_xml_base(xmlNodePtr n)
{
	for (; n && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (xmlHasNsProp(n, (const xmlChar *)"base", XML_XML_NAMESPACE))
			return true;
	return false;
}

/* The base URI in effect at n (xml:base over the document's base, see
 * set_doc_base), when it is an absolute http(s) URL; else NULL. */
static char *base_at(struct state *st, xmlNodePtr n)
{
	xmlChar *base = xmlNodeGetBase(st->doc, n);
	char *r = NULL;

	if (base && is_http_url((const char *)base)) {
		r = utf8_strdup_repair((const char *)base, strlen((const char *)base));
		if (!r)
			fail(st, M2J_ENOMEM);
	}
	xmlFree(base);
	return r;
}

/* A link from element n: its href (Atom) or its text (RSS), resolved.  An
 * empty href with a base is that base; an empty text is no link. */
static char *link_of(struct state *st, xmlNodePtr n, bool href)
{
	char *l = href ? attr(n, "href") : trimmed_text(st, n);

	if (!l)
		return NULL;
	if (!href && !l[0]) {
		free(l);
		return NULL;
	}
	resolve(st, &l, n);
	if (!l[0]) {
		free(l);
		return NULL;
	}
	return l;
}

/* The date of an item from raw (taken; may be NULL), from src. */
static void item_date(struct feed_item *it, char *raw, enum feed_date_source src)
{
	struct date_zone z;

	if (it->date_raw != raw)
		free(it->date_raw);
	it->date_raw = raw;
	it->date_source = raw ? src : FEED_DATE_NONE;
	it->has_date = raw && date_parse_tz(raw, &it->date, &z) == 0;
	it->tzoff = it->has_date ? z.minutes : 0;
	it->has_tzoff = it->has_date && z.known;
}

/* Whether url[0..n) (query and fragment cut) ends with one of the nexts
 * extensions exts, in any case. */
static bool has_ext(const char *url, size_t n, const char *const *exts, size_t nexts)
{
	size_t i;

	for (i = 0; i < nexts; i++) {
		size_t e = strlen(exts[i]);
		if (n > e && iprefix(url + n - e, e, exts[i]))
			return true;
	}
	return false;
}

/* 'a'udio, 'v'ideo or 'i'mage by MIME type, else by the URL's extension;
 * 0 otherwise. */
static char media_kind(const char *type, const char *url)
{
	static const char *const audio[] = { ".mp3", ".m4a", ".aac", ".ogg", ".oga",
		".opus", ".wav", ".flac" };
	static const char *const video[] = { ".mp4", ".m4v", ".webm", ".ogv", ".mov" };
	static const char *const image[] = { ".jpg", ".jpeg", ".png", ".gif", ".webp" };
	size_t n = strcspn(url, "?#");

	if (type && iprefix(type, strlen(type), "audio/"))
		return 'a';
	if (type && iprefix(type, strlen(type), "video/"))
		return 'v';
	if (type && iprefix(type, strlen(type), "image/"))
		return 'i';
	if (type && type[0])
		return 0;
	if (has_ext(url, n, image, sizeof image / sizeof image[0]))
		return 'i';
	if (has_ext(url, n, audio, sizeof audio / sizeof audio[0]))
		return 'a';
	if (has_ext(url, n, video, sizeof video / sizeof video[0]))
		return 'v';
	return 0;
}

/* Reads the enclosure elements of sc into it->enclosures (http(s) URLs
 * only, each once) and appends to it->html the ones it does not show:
 * <audio>/<video> for media, a link paragraph for anything but images
 * (a blog's cover picture, which --fields image and themes show). */
static void take_enclosures(struct state *st, struct feed_item *it,
                            const struct item_scratch *sc)
{
	struct buf b = BUF_INIT(st->strmax);
	size_t i, k;

	if (!sc->nenc)
		return;
	it->enclosures = calloc(sc->nenc, sizeof *it->enclosures);
	if (!it->enclosures) {
		fail(st, M2J_ENOMEM);
		return;
	}
	buf_addstr(&b, it->html);
	for (i = 0; i < sc->nenc && !st->code; i++) {
		xmlNodePtr n = sc->enc[i];
		bool atom = in_ns(n, NS_ATOM10) || in_ns(n, NS_ATOM03);
		char *raw = attr(n, atom ? "href" : "url"), *safe = NULL, *len, *end;
		struct feed_enclosure *e;
		struct m2j_err ue = { 0, "" };
		struct buf esc = BUF_INIT(0);
		char kind;

		if (!raw)
			continue;
		resolve(st, &raw, n);
		if (url_sanitize(raw, NULL, URL_LINK, &safe, &ue) != 0 || !is_http_url(safe)) {
			if (ue.code == M2J_ENOMEM)
				fail(st, M2J_ENOMEM);
			free(raw);
			free(safe);
			continue;
		}
		free(raw);
		for (k = 0; k < it->nenclosures; k++)
			if (strcmp(it->enclosures[k].url, safe) == 0)
				break;
		if (k < it->nenclosures) {
			free(safe);
			continue;
		}
		e = &it->enclosures[it->nenclosures++];
		e->url = safe;
		e->type = attr(n, "type");
		e->length = -1;
		if ((len = attr(n, "length")) != NULL) {
			long long v = strtoll(len, &end, 10);
			if (end != len && *end == '\0' && v >= 0)
				e->length = v;
			free(len);
		}
		add_escaped(&esc, safe, true);
		if (strstr(it->html, safe) || strstr(it->html, esc.data)) {
			buf_release(&esc);
			continue; /* the body already shows it */
		}
		kind = media_kind(e->type, safe);
		if (kind == 'i')
			; /* an image enclosure is a cover picture, not content */
		else if (kind)
			buf_addf(&b, "\n<%s controls src=\"%s\"></%s>", kind == 'a' ? "audio" : "video",
			         esc.data, kind == 'a' ? "audio" : "video");
		else
			buf_addf(&b, "\n<p><a href=\"%s\">%s</a></p>", esc.data, esc.data);
		if (esc.failed)
			fail(st, M2J_ENOMEM);
		buf_release(&esc);
	}
	if (st->code) {
		buf_release(&b);
		return;
	}
	if (b.len != strlen(it->html)) {
		char *h = finish(st, &b);
		if (h) {
			free(it->html);
			it->html = h;
		}
	} else {
		buf_release(&b);
	}
}

static void fill_item(struct state *st, struct feed_item *it, xmlNodePtr node, bool atom)
{
	struct item_scratch sc;
	xmlNodePtr body = NULL, d = NULL;
	int k;

	memset(&sc, 0, sizeof sc);
	if (atom)
		collect_atom(st, it, node, &sc);
	else
		collect_rss(st, it, node, &sc);
	if (st->code)
		return;

	if (sc.title)
		it->title = title_of(st, sc.title, atom);
	else if (sc.atom_title)
		it->title = title_of(st, sc.atom_title, true);
	else if (sc.alt_title)
		it->title = title_of(st, sc.alt_title, false);
	else
		it->title = strdup("");
	if (!it->title)
		goto nomem;

	/* Link: feedburner:origLink (the article behind the redirect), else
	 * the link, else an atom:link of an RSS item. */
	if (sc.origlink)
		it->link = link_of(st, sc.origlink, false);
	if (!it->link && sc.link)
		it->link = link_of(st, sc.link, atom);
	if (!it->link && sc.atom_link)
		it->link = link_of(st, sc.atom_link, true);
	if (st->code)
		return;
	if (sc.guid) {
		it->guid = trimmed_text(st, sc.guid);
		if (it->guid && !it->guid[0]) {
			free(it->guid);
			it->guid = NULL;
		}
	} else if (!atom) {
		xmlChar *about = xmlGetNsProp(node, (const xmlChar *)"about",
		                              (const xmlChar *)NS_RDF);
		if (about) { /* rdf:about of an RSS 1.0 item */
			it->guid = utf8_strdup_repair((const char *)about,
			                              strlen((const char *)about));
			xmlFree(about);
			if (!it->guid)
				goto nomem;
		}
	}
	/* A guid is a link only when it says so (isPermaLink absent or
	 * "true"); otherwise it is an identifier, whatever it looks like. */
	if (!it->link && !atom && it->guid && sc.guid_permalink && is_http_url(it->guid) &&
	    !(it->link = strdup(it->guid)))
		goto nomem;

	/* Body: content, else description / summary. */
	if (atom) {
		if (sc.content) {
			it->html = atom_body(st, sc.content);
			body = sc.content;
		}
		if (!it->html && !st->code && sc.desc) {
			it->html = atom_body(st, sc.desc);
			body = sc.desc;
		}
	} else if (sc.content || sc.desc) {
		body = sc.content ? sc.content : sc.desc;
		if (in_ns(body, NS_ATOM10))
			it->html = atom_body(st, body);
		else
			it->html = is_el(body, NS_XHTML, "body") ? xhtml_of(st, body)
			                                          : text_of(st, body);
	}
	if (st->code)
		return;
	if (!it->html && !(it->html = strdup("")))
		goto nomem;
	/* Base of the body: its xml:base, else the item's own link, else the
	 * document's base (the feed's self or alternate link, else the URL
	 * it was fetched from). */
	if (has_xml_base(body ? body : node))
		it->base = base_at(st, body ? body : node);
	if (!it->base && is_http_url(it->link) && !(it->base = strdup(it->link)))
		goto nomem;
	if (!it->base)
		it->base = base_at(st, body ? body : node);
	take_enclosures(st, it, &sc);
	if (st->code)
		return;

	/* The first readable date by rank; when none is, the first present
	 * (an error naming it); an empty element is no date. */
	for (k = 0; k < D_NONE && !it->has_date && !st->code; k++) {
		char *raw;
		if (!(d = sc.date[k]))
			continue;
		raw = trimmed_text(st, d);
		if (!raw || !raw[0]) {
			free(raw);
			continue;
		}
		if (it->date_raw) {
			int64_t t;
			if (date_parse(raw, &t) != 0) {
				free(raw);
				continue;
			}
		}
		item_date(it, raw, FEED_DATE_ITEM);
	}
	if (sc.updated && !st->code)
		it->updated_raw = trimmed_text(st, sc.updated);
	return;
nomem:
	fail(st, M2J_ENOMEM);
}

static void add_item(struct state *st, xmlNodePtr node, bool atom)
{
	struct feed *f = st->f;
	struct feed_item *it;

	if (f->nitems >= CAP_FEED_ITEMS) {
		f->dropped++;
		return;
	}
	if (f->nitems == st->items_cap) {
		size_t ncap = st->items_cap ? st->items_cap * 2 : 16;
		struct feed_item *ni = realloc(f->items, ncap * sizeof *ni);
		if (!ni) {
			fail(st, M2J_ENOMEM);
			return;
		}
		f->items = ni;
		st->items_cap = ncap;
	}
	it = &f->items[f->nitems++];
	memset(it, 0, sizeof *it);
	fill_item(st, it, node, atom);
}

static void add_cdf_item(struct state *st, xmlNodePtr node)
{
	struct feed_item *it;
	xmlNodePtr c;
	size_t before = st->f->nitems;

	add_item(st, node, false); /* RSS-named children, if any */
	if (st->code || st->f->nitems == before)
		return;
	it = &st->f->items[st->f->nitems - 1];
	for (c = node->children; c && !st->code; c = c->next)
		if (is_el(c, NULL, "TITLE")) {
			free(it->title);
			it->title = title_of(st, c, false);
		}
	if (!it->link && (it->link = attr(node, "HREF")) != NULL)
		resolve(st, &it->link, node);
	if (!it->date_raw && (it->date_raw = attr(node, "LASTMOD")) != NULL) {
		item_date(it, it->date_raw, FEED_DATE_ITEM);
		it->updated_raw = strdup(it->date_raw);
		if (!it->updated_raw)
			fail(st, M2J_ENOMEM);
	}
	if (!it->title)
		fail(st, M2J_ENOMEM);
}

/* ---- channel ---- */

/* Keeps the feed-level date of lowest rank (the first of a rank). */
static void feed_date(struct state *st, xmlNodePtr n, int rank)
{
	char *raw;
	int64_t t;

	if (st->feed_date && st->feed_date_rank <= rank)
		return;
	raw = trimmed_text(st, n);
	if (!raw || date_parse(raw, &t) != 0) {
		free(raw); /* an unreadable feed date is no date for an item */
		return;
	}
	free(st->feed_date);
	st->feed_date = raw;
	st->feed_date_rank = rank;
}

/* Makes the feed's self link, else its alternate link (when absolute
 * http(s) once resolved against the document's URL), the base of the
 * document, so relative links with no xml:base resolve against it; else
 * the document's URL stays. */
static void set_doc_base(struct state *st, char *self)
{
	const char *c = NULL;

	if (st->based)
		return;
	st->based = true;
	if (is_http_url(self))
		c = self;
	else if (is_http_url(st->f->link))
		c = st->f->link;
	if (c) {
		xmlChar *u = xmlStrdup((const xmlChar *)c);
		if (!u) {
			fail(st, M2J_ENOMEM);
			return;
		}
		union { const xmlChar *c; xmlChar *m; } old = { st->doc->URL };
		xmlFree(old.m); /* the document owns its URL (xmlStrdup'd) */
		st->doc->URL = u;
	}
}

static void channel_meta(struct state *st, xmlNodePtr ch, bool atom)
{
	const char *core = ns_of(ch);
	struct feed *f = st->f;
	xmlNodePtr c;
	char *self = NULL;

	for (c = ch->children; c && !st->code; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if ((atom && is_el(c, core, "link")) || is_el(c, NS_ATOM10, "link")) {
			char *rel = attr(c, "rel");
			if (!self && rel && ieq(rel, "self"))
				self = link_of(st, c, true);
			free(rel);
		}
		if (atom ? (is_el(c, core, "updated") || is_el(c, core, "modified"))
		         : is_core(c, core, "pubDate"))
			feed_date(st, c, 0);
		else if (is_el(c, NS_DC, "date") || (atom && is_el(c, core, "published")))
			feed_date(st, c, 1);
		else if (!atom && (is_core(c, core, "lastBuildDate") ||
		                   is_el(c, NS_ATOM10, "updated")))
			feed_date(st, c, 2);
		else if (is_el(c, NS_DCTERMS, "modified"))
			feed_date(st, c, 3);
		if (atom ? is_el(c, core, "title") : is_core(c, core, "title")) {
			if (!f->title)
				f->title = title_of(st, c, atom);
		} else if (atom && is_el(c, core, "link")) {
			char *rel = attr(c, "rel");
			if (!f->link && (!rel || ieq(rel, "alternate"))) {
				f->link = attr(c, "href");
				resolve(st, &f->link, c);
			}
			free(rel);
		} else if (!atom && is_core(c, core, "link")) {
			if (!f->link) {
				f->link = trimmed_text(st, c);
				resolve(st, &f->link, c);
			}
		} else if (atom ? is_el(c, core, "generator") : is_core(c, core, "generator")) {
			if (!f->generator)
				f->generator = trimmed_text(st, c);
		}
	}
	if (!st->code)
		set_doc_base(st, self);
	free(self);
}

/* Items with no date of their own take the feed's (FEED_DATE_FEED). */
static void date_undated(struct state *st)
{
	size_t i;

	if (!st->feed_date)
		return;
	for (i = 0; i < st->f->nitems && !st->code; i++) {
		struct feed_item *it = &st->f->items[i];
		char *raw;
		if (it->date_raw)
			continue;
		if (!(raw = strdup(st->feed_date))) {
			fail(st, M2J_ENOMEM);
			return;
		}
		item_date(it, raw, FEED_DATE_FEED);
	}
}

/* https://medium.com/p/<hex> */
static bool medium_guid(const char *g)
{
	const char *p = "https://medium.com/p/";
	size_t n = strlen(p), i;

	if (!g || strncmp(g, p, n) != 0 || !g[n])
		return false;
	for (i = n; g[i]; i++) {
		char c = lower(g[i]);
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

static bool medium_host(const char *link)
{
	xmlURIPtr u;
	bool r = false;

	if (!link)
		return false;
	u = xmlParseURI(link);
	if (u && u->server) {
		const char *h = u->server;
		size_t n = strlen(h);
		r = ieq(h, "medium.com") ||
		    (n > 11 && ieq(h + n - 11, ".medium.com"));
	}
	xmlFreeURI(u);
	return r;
}

static bool detect_medium(const struct feed *f)
{
	size_t i;

	if (f->generator && ieq(f->generator, "Medium"))
		return true;
	if (!medium_host(f->link) || f->nitems == 0)
		return false;
	for (i = 0; i < f->nitems; i++)
		if (!medium_guid(f->items[i].guid))
			return false;
	return true;
}

/* Fills st->f from the root.  Returns 0 or an error code. */
static int walk_root(struct state *st, xmlNodePtr root, struct m2j_err *err)
{
	struct feed *f = st->f;
	const char *rns = ns_of(root);
	xmlNodePtr c, d;

	if (is_el(root, NS_ATOM10, "feed") || is_el(root, NS_ATOM03, "feed")) {
		f->kind = FEED_ATOM;
		channel_meta(st, root, true);
		for (c = root->children; c && !st->code; c = c->next)
			if (is_el(c, rns, "entry"))
				add_item(st, c, true);
	} else if (strcmp((const char *)root->name, "rss") == 0) {
		f->kind = FEED_RSS2;
		for (c = root->children; c && !st->code; c = c->next) {
			if (is_core(c, rns, "channel")) {
				channel_meta(st, c, false);
				for (d = c->children; d && !st->code; d = d->next)
					if (is_core(d, rns, "item"))
						add_item(st, d, false);
			} else if (is_core(c, rns, "item")) {
				add_item(st, c, false);
			}
		}
	} else if (is_el(root, NS_RDF, "RDF")) {
		f->kind = FEED_RSS1;
		for (c = root->children; c && !st->code; c = c->next) {
			if (c->type != XML_ELEMENT_NODE ||
			    !(in_ns(c, NS_RSS1) || in_ns(c, NS_RSS090) || ns_of(c) == NULL))
				continue;
			if (strcmp((const char *)c->name, "channel") == 0)
				channel_meta(st, c, false);
			else if (strcmp((const char *)c->name, "item") == 0)
				add_item(st, c, false);
		}
	} else if (is_el(root, NULL, "CHANNEL")) {
		/* CDF (Channel Definition Format): ITEM HREF= / LASTMOD=, TITLE. */
		f->kind = FEED_RSS2;
		for (c = root->children; c && !st->code; c = c->next) {
			if (is_el(c, NULL, "TITLE") && !f->title)
				f->title = title_of(st, c, false);
			else if (is_el(c, NULL, "ITEM"))
				add_cdf_item(st, c);
		}
	} else if (ieq((const char *)root->name, "html")) {
		return m2j_err_set(err, M2J_ENOTFEED,
		                   "not a feed: the document is an HTML page");
	} else {
		return m2j_err_set(err, M2J_ENOTFEED,
		                   "not a feed: the root element is <%.100s>%s%.200s%s",
		                   (const char *)root->name, rns ? " (namespace " : "",
		                   rns ? rns : "", rns ? ")" : "");
	}
	date_undated(st);
	if (st->code == M2J_ELIMIT)
		return m2j_err_set(err, M2J_ELIMIT,
		                   "feed too large or too deep once entities are expanded");
	if (st->code)
		return m2j_err_set(err, st->code, "out of memory reading the feed");
	if (!f->title && !(f->title = strdup("")))
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	f->is_medium = detect_medium(f);
	return 0;
}

/* ---- input bytes and encoding ---- */

/* UTF-16 (le or be) bytes -> UTF-8, unpaired surrogates as U+FFFD. */
static int utf16_to_utf8(struct buf *out, const unsigned char *p, size_t n, bool le)
{
	size_t i;
	char tmp[4];

	for (i = 0; i + 1 < n; i += 2) {
		unsigned long u = le ? (unsigned long)(p[i] | p[i + 1] << 8)
		                     : (unsigned long)(p[i] << 8 | p[i + 1]);
		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
			unsigned long v = le ? (unsigned long)(p[i + 2] | p[i + 3] << 8)
			                     : (unsigned long)(p[i + 2] << 8 | p[i + 3]);
			if (v >= 0xDC00 && v <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
				i += 2;
			}
		}
		if (u == 0)
			continue;
		buf_add(out, tmp, utf8_encode(u, tmp));
	}
	return out->failed ? -1 : 0;
}

/* The encoding named in the XML declaration at s, into out. */
static bool declared_encoding(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i, end, k;
	char q;

	if (n < 5 || memcmp(s, "<?xml", 5) != 0)
		return false;
	end = n < 1024 ? n : 1024;
	for (i = 5; i + 1 < end; i++)
		if (s[i] == '?' && s[i + 1] == '>')
			break;
	end = i;
	for (i = 5; i + 8 <= end; i++) {
		if (memcmp(s + i, "encoding", 8) != 0)
			continue;
		i += 8;
		while (i < end && is_ws((unsigned char)s[i]))
			i++;
		if (i >= end || s[i] != '=')
			return false;
		i++;
		while (i < end && is_ws((unsigned char)s[i]))
			i++;
		if (i >= end || (s[i] != '"' && s[i] != '\''))
			return false;
		q = s[i++];
		for (k = 0; i < end && s[i] != q && k + 1 < outsz; i++)
			out[k++] = s[i];
		out[k] = '\0';
		return k > 0;
	}
	return false;
}

static bool is_utf16_name(const char *e)
{
	return iprefix(e, strlen(e), "utf-16") || iprefix(e, strlen(e), "utf16") ||
	       iprefix(e, strlen(e), "ucs-2") || iprefix(e, strlen(e), "ucs2") ||
	       iprefix(e, strlen(e), "utf-32") || iprefix(e, strlen(e), "ucs-4") ||
	       iprefix(e, strlen(e), "iso-10646-ucs");
}

static bool known_encoding(const char *e)
{
	xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(e);

	if (!h)
		return false;
	xmlCharEncCloseFunc(h);
	return true;
}

struct input {
	struct buf conv;     /* converted / repaired bytes, when needed */
	const char *p;       /* bytes to parse */
	size_t n;
	const char *enc;     /* encoding passed to libxml2, or NULL */
	char encbuf[64];
	int options;
	int line_skew;       /* lines of leading whitespace removed */
	char repairs[200];   /* what repair_bytes changed, "" if nothing */
	bool utf8;           /* p is valid UTF-8, parsed as such */
};

/* Decides the encoding and prepares the bytes (see the top comment). */
static int prepare(struct input *in, const char *data, size_t len, const char *hint,
                   struct m2j_err *err)
{
	const unsigned char *u = (const unsigned char *)data;
	char decl[64];
	bool utf8 = false;

	in->p = data;
	in->n = len;
	in->enc = NULL;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		if (utf16_to_utf8(&in->conv, u + 2, len - 2, u[0] == 0xFF) < 0)
			goto nomem;
		in->p = in->conv.data;
		in->n = in->conv.len;
		utf8 = true;
	} else if (len >= 4 && ((u[0] == '<' && u[1] == 0 && u[2] == '?' && u[3] == 0) ||
	                        (u[0] == 0 && u[1] == '<' && u[2] == 0 && u[3] == '?'))) {
		if (utf16_to_utf8(&in->conv, u, len, u[0] == '<') < 0)
			goto nomem;
		in->p = in->conv.data;
		in->n = in->conv.len;
		utf8 = true;
	} else if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		in->p += 3;
		in->n -= 3;
		utf8 = true;
	}
	/* Leading whitespace before "<?xml" is an error for libxml2: drop it. */
	{
		size_t i = 0;
		int lines = 0;
		while (i < in->n && is_ws((unsigned char)in->p[i])) {
			lines += in->p[i] == '\n';
			i++;
		}
		if (i < in->n && in->n - i >= 5 && memcmp(in->p + i, "<?xml", 5) == 0) {
			in->p += i;
			in->n -= i;
			in->line_skew = lines;
		}
	}
	if (!utf8) {
		if (declared_encoding(in->p, in->n, decl, sizeof decl)) {
			if (is_utf16_name(decl) || ieq(decl, "utf-8") || ieq(decl, "utf8"))
				utf8 = true; /* 8-bit bytes under a UTF-16 label: UTF-8 */
			else if (!known_encoding(decl) && hint && known_encoding(hint) &&
			         !is_utf16_name(hint))
				in->enc = hint;
			/* else: libxml2 converts from the declared encoding (or
			 * reports it as unsupported). */
		} else if (hint && hint[0] && !is_utf16_name(hint) && known_encoding(hint) &&
		           !ieq(hint, "utf-8") && !ieq(hint, "utf8")) {
			in->enc = hint;
		} else {
			utf8 = true;
		}
	}
	in->utf8 = utf8;
	if (utf8) {
		snprintf(in->encbuf, sizeof in->encbuf, "UTF-8");
		in->enc = in->encbuf;
		in->options |= XML_PARSE_IGNORE_ENC;
		if (!utf8_valid(in->p, in->n) || memchr(in->p, '\0', in->n)) {
			struct buf fixed = BUF_INIT(0);
			if (utf8_repair(&fixed, in->p, in->n) < 0) {
				buf_release(&fixed);
				goto nomem;
			}
			buf_release(&in->conv);
			in->conv = fixed;
			in->p = in->conv.data;
			in->n = in->conv.len;
		}
	} else if (in->enc) {
		in->options |= XML_PARSE_IGNORE_ENC;
	}
	return 0;
nomem:
	return m2j_err_set(err, M2J_ENOMEM, "out of memory converting the feed to UTF-8");
}

/* The first pat in [s, end), or NULL; memchr-paced. */
static const char *find_mem(const char *s, const char *end, const char *pat)
{
	size_t m = strlen(pat);

	for (; s && s + m <= end; s++) {
		s = memchr(s, pat[0], (size_t)(end - s));
		if (!s || s + m > end)
			return NULL;
		if (memcmp(s, pat, m) == 0)
			return s;
	}
	return NULL;
}

/* Skips whitespace, the XML declaration, comments and processing
 * instructions; returns the offset of the first other markup. */
static size_t skip_prolog(const char *s, size_t n)
{
	size_t i = 0;

	for (;;) {
		while (i < n && is_ws((unsigned char)s[i]))
			i++;
		if (i + 4 <= n && memcmp(s + i, "<!--", 4) == 0) {
			const char *e = find_mem(s + i + 4, s + n, "-->");
			if (!e)
				return i;
			i = (size_t)(e - s) + 3;
		} else if (i + 2 <= n && s[i] == '<' && s[i + 1] == '?') {
			const char *e = find_mem(s + i + 2, s + n, "?>");
			if (!e)
				return i;
			i = (size_t)(e - s) + 2;
		} else {
			return i;
		}
	}
}

/* The end of the DOCTYPE declaration starting at s[i] ("<!DOCTYPE"):
 * past "]>" when it has an internal subset, else past the first ">";
 * quoted literals, comments and processing instructions are skipped, so a
 * "]]>" or ">" inside an entity's value ends nothing. */
static size_t doctype_end(const char *s, size_t n, size_t i)
{
	bool subset = false;

	for (size_t j = i + 2; j < n; j++) {
		const char *e = NULL;

		if (s[j] == '"' || s[j] == '\'') {
			e = memchr(s + j + 1, s[j], n - j - 1);
			if (!e)
				return n;
			j = (size_t)(e - s);
		} else if (subset && s[j] == '<' && j + 3 < n && memcmp(s + j, "<!--", 4) == 0) {
			if (!(e = find_mem(s + j + 4, s + n, "-->")))
				return n;
			j = (size_t)(e - s) + 2;
		} else if (subset && s[j] == '<' && j + 1 < n && s[j + 1] == '?') {
			if (!(e = find_mem(s + j + 2, s + n, "?>")))
				return n;
			j = (size_t)(e - s) + 1;
		} else if (!subset && s[j] == '[') {
			subset = true;
		} else if (subset && s[j] == ']') {
			size_t k = j + 1;

			while (k < n && is_ws((unsigned char)s[k]))
				k++;
			if (k < n && s[k] == '>')
				return k + 1;
		} else if (!subset && s[j] == '>') {
			return j + 1;
		}
	}
	return n;
}

/* Where the DOCTYPE declaration starts, its length in *len (0 when the
 * document has none). */
static size_t doctype_at(const char *s, size_t n, size_t *len)
{
	size_t first = skip_prolog(s, n);

	*len = 0;
	if (first + 9 <= n && memcmp(s + first, "<!DOCTYPE", 9) == 0)
		*len = doctype_end(s, n, first) - first;
	return first;
}

/* The end of the comment, processing instruction, CDATA section or the
 * DOCTYPE (at dtd_at, dtd_len bytes long) starting at s[i] ("<!" or
 * "<?"), or 0 when s[i] starts none of them. */
static size_t construct_end(const char *s, size_t n, size_t i, size_t dtd_at, size_t dtd_len)
{
	const char *close = s[i + 1] == '?' ? "?>"
		: (i + 4 <= n && memcmp(s + i, "<!--", 4) == 0) ? "-->"
		: (i + 9 <= n && memcmp(s + i, "<![CDATA[", 9) == 0) ? "]]>" : NULL;
	const char *e;

	if (dtd_len && i == dtd_at)
		return dtd_at + dtd_len;
	if (!close)
		return 0;
	e = find_mem(s + i + 2, s + n, close);
	return e ? (size_t)(e - s) + strlen(close) : n;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.' || c == ':' || (unsigned char)c >= 0x80;
}

/* General entities an internal subset may declare for entity repair to
 * stay on (a longer list would make every lookup slow). */
#define REPAIR_DECLS_MAX 64

struct decls {
	const char *name[REPAIR_DECLS_MAX];
	size_t len[REPAIR_DECLS_MAX];
	size_t n;
};

/* Lists the general entities ("<!ENTITY name") of dtd[0..n); false when
 * there are more than REPAIR_DECLS_MAX. */
static bool list_decls(const char *dtd, size_t n, struct decls *d)
{
	const char *p = dtd, *end = dtd + n;

	d->n = 0;
	while ((p = find_mem(p, end, "<!ENTITY")) != NULL) {
		const char *q = p + 8;
		while (q < end && is_ws((unsigned char)*q))
			q++;
		p = q;
		if (q < end && *q == '%')
			continue; /* a parameter entity */
		while (q < end && is_name_char(*q))
			q++;
		if (q == p)
			continue;
		if (d->n == REPAIR_DECLS_MAX)
			return false;
		d->name[d->n] = p;
		d->len[d->n++] = (size_t)(q - p);
		p = q;
	}
	return true;
}

static bool declared(const struct decls *d, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->len[i] == len && memcmp(d->name[i], name, len) == 0)
			return true;
	return false;
}

/* Repairs, before libxml2 sees them, what feed readers recover from and
 * XML refuses: C0 control characters (raw or as &#N;) are removed; HTML 4
 * named entities XML does not define become numeric references
 * (&eacute; -> &#233;); any other '&' that starts no reference becomes
 * &amp;.  CDATA sections, comments, processing instructions and the
 * DOCTYPE are left alone (but lose control characters, which XML forbids
 * everywhere), so are entities the internal subset declares.  Nothing is
 * expanded, nothing fetched.  Sets in->repairs when something changed. */
static int repair_bytes(struct input *in, struct m2j_err *err)
{
	const char *s = in->p;
	size_t n = in->n, i = 0, run = 0, nctl = 0, nent = 0, namp = 0;
	size_t dtd_len, dtd_at = doctype_at(s, n, &dtd_len);
	struct buf out = BUF_INIT(0);
	struct decls decls;
	char decl[64], ent_eg[24] = "", ctl_eg[12] = "";
	bool controls = true, entities = true, changed = false;

	if (declared_encoding(s, n, decl, sizeof decl) && strstr(decl, "2022"))
		controls = false; /* ISO-2022 needs ESC */
	decls.n = 0;
	if (dtd_len && !list_decls(s + dtd_at, dtd_len, &decls))
		entities = false;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		char tmp[16];
		size_t skip = 0;

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && controls) {
			if (!ctl_eg[0])
				snprintf(ctl_eg, sizeof ctl_eg, "U+%04X", c);
			nctl++;
			rep = "";
			skip = 1;
		} else if (c == '<' && i + 1 < n && (s[i + 1] == '!' || s[i + 1] == '?')) {
			/* skip over the construct, repairing only controls */
			size_t end = construct_end(s, n, i, dtd_at, dtd_len);

			if (!end) {
				i++;
				continue;
			}
			for (i++; i < end; i++) {
				c = (unsigned char)s[i];
				if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && controls)
					break;
			}
			continue; /* a control inside is handled by the top of the loop */
		} else if (c == '&' && entities) {
			size_t j = i + 1;
			if (j < n && s[j] == '#') {
				unsigned long cp = 0;
				bool hex = j + 1 < n && (s[j + 1] == 'x' || s[j + 1] == 'X');
				size_t k = j + 1 + hex, k0 = k;
				for (; k < n && k < k0 + 8; k++) {
					char d = lower(s[k]);
					if (d >= '0' && d <= '9')
						cp = cp * (hex ? 16u : 10u) + (unsigned long)(d - '0');
					else if (hex && d >= 'a' && d <= 'f')
						cp = cp * 16u + (unsigned long)(d - 'a' + 10);
					else
						break;
				}
				if (k > k0 && k < n && s[k] == ';') {
					if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') {
						if (!ctl_eg[0])
							snprintf(ctl_eg, sizeof ctl_eg, "U+%04lX", cp);
						nctl++;
						rep = "";
						skip = k + 1 - i;
					}
				} else {
					rep = "&amp;";
					skip = 1;
					namp++;
				}
			} else {
				size_t k = j;
				while (k < n && k < j + 40 && is_name_char(s[k]))
					k++;
				if (k > j && k < n && s[k] == ';') {
					static const char *const xml[] = { "amp", "lt", "gt", "quot", "apos" };
					size_t len = k - j, x;
					unsigned long cp;
					bool known = false;
					for (x = 0; x < 5; x++)
						if (len == strlen(xml[x]) && memcmp(s + j, xml[x], len) == 0)
							known = true;
					if (!known && declared(&decls, s + j, len))
						known = true;
					if (!known && html_entity(s + i, &cp) == len + 2) {
						snprintf(tmp, sizeof tmp, "&#%lu;", cp);
						rep = tmp;
						skip = len + 2;
						if (!ent_eg[0])
							snprintf(ent_eg, sizeof ent_eg, "&%.*s;", (int)len, s + j);
						nent++;
					} else if (!known) {
						rep = "&amp;"; /* &foo; that nothing defines: text */
						skip = 1;
						namp++;
					}
				} else {
					rep = "&amp;";
					skip = 1;
					namp++;
				}
			}
		}
		if (!rep) {
			i++;
			continue;
		}
		buf_add(&out, s + run, i - run);
		buf_addstr(&out, rep);
		i += skip;
		run = i;
		changed = true;
	}
	if (!changed)
		return 0;
	buf_add(&out, s + run, n - run);
	if (out.failed) {
		buf_release(&out);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory repairing the feed");
	}
	buf_release(&in->conv);
	in->conv = out;
	in->p = in->conv.data;
	in->n = in->conv.len;
	{
		size_t w = 0;
		if (nctl)
			w += (size_t)snprintf(in->repairs + w, sizeof in->repairs - w,
			                      "removed %zu control character%s (%s)", nctl,
			                      nctl == 1 ? "" : "s", ctl_eg);
		if (nent && w < sizeof in->repairs)
			w += (size_t)snprintf(in->repairs + w, sizeof in->repairs - w,
			                      "%sreplaced %zu HTML entit%s XML does not define (%s)",
			                      w ? "; " : "", nent, nent == 1 ? "y" : "ies", ent_eg);
		if (namp && w < sizeof in->repairs)
			snprintf(in->repairs + w, sizeof in->repairs - w,
			         "%sescaped %zu '&' that started no reference", w ? "; " : "", namp);
	}
	return 0;
}

/* ---- CDATA sections: lifted out before the parse, put back after ----
 *
 * libxml2 2.9 reads a CDATA section one character at a time, which was
 * most of the CPU a Medium feed's parse took (every item's HTML is one
 * section), though the section's text needs nothing from the parser but
 * its line ends normalised.  So before the parse each section's text is
 * replaced by its index here (<![CDATA[7;]]>), and after it each CDATA
 * node of the tree gets its text back.  Every section outside comments,
 * processing instructions and the DOCTYPE is lifted, so every CDATA node
 * of the document's tree is one of them.  A document is parsed as it is
 * when it is not UTF-8, or when a section holds what XML refuses
 * (U+FFFE, U+FFFF) or is longer than libxml2's text limit: those errors
 * are the parser's to report.  So is any error: the document is parsed
 * again as it is, for the parser's own message, line and column. */
struct lift {
	struct buf doc;   /* the document, the sections' text replaced */
	const char *src;  /* the document as it is */
	size_t *span;     /* offset into src and length of section i's text */
	size_t n, cap;
};

void feed_dropped_msg(const struct feed *f, char *out, size_t outsz)
{
	snprintf(out, outsz, "%zu item(s) past the cap of %d items a feed were not imported: "
	         "the run is incomplete (split the feed, or raise CAP_FEED_ITEMS in "
	         "include/caps.h)", f->dropped, CAP_FEED_ITEMS);
}

static unsigned long lifted;
static bool lift_off;

unsigned long feed_lifted_count(void)
{
	return lifted;
}

void feed_lift_enable(bool on)
{
	lift_off = !on;
}

static void lift_release(struct lift *l)
{
	buf_release(&l->doc);
	free(l->span);
	memset(l, 0, sizeof *l);
}

/* Whether XML lets [s, s+n) be a CDATA section's text (valid UTF-8
 * without controls is given; U+FFFE and U+FFFF are not XML characters). */
static bool cdata_liftable(const char *s, size_t n)
{
	const char *e = s + n;

	if (n > XML_MAX_TEXT_LENGTH)
		return false;
	while ((s = memchr(s, 0xEF, (size_t)(e - s))) != NULL) {
		if (e - s >= 3 && (unsigned char)s[1] == 0xBF &&
		    ((unsigned char)s[2] == 0xBE || (unsigned char)s[2] == 0xBF))
			return false;
		s++;
	}
	return true;
}

/* Lifts in's CDATA sections into l; l->n stays 0 when the document is to
 * be parsed as it is.  -1 when out of memory. */
static int lift_cdata(const struct input *in, struct lift *l)
{
	const char *s = in->p;
	size_t n = in->n, i = 0, run = 0, dtd_len, dtd_at = doctype_at(s, n, &dtd_len);

	memset(l, 0, sizeof *l);
	buf_init(&l->doc, 0);
	l->src = s;
	if (!in->utf8 || lift_off)
		return 0;
	while (i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		size_t end, text;

		if (!lt)
			break;
		i = (size_t)(lt - s);
		if (i + 1 >= n || (s[i + 1] != '!' && s[i + 1] != '?') ||
		    !(end = construct_end(s, n, i, dtd_at, dtd_len))) {
			i++;
			continue;
		}
		if (s[i + 1] != '!' || s[i + 2] != '[') {
			i = end; /* a comment, PI or the DOCTYPE */
			continue;
		}
		text = i + 9;
		if (end < text + 3 || memcmp(s + end - 3, "]]>", 3) != 0 ||
		    !cdata_liftable(s + text, end - 3 - text)) {
			lift_release(l); /* unterminated, or for the parser to refuse */
			return 0;
		}
		if (l->n == l->cap) {
			size_t cap = l->cap ? 2 * l->cap : 64;
			size_t *span = realloc(l->span, cap * 2 * sizeof *span);

			if (!span) {
				lift_release(l);
				return -1;
			}
			l->span = span;
			l->cap = cap;
		}
		l->span[2 * l->n] = text;
		l->span[2 * l->n + 1] = end - 3 - text;
		buf_add(&l->doc, s + run, text - run);
		buf_addf(&l->doc, "%zu;]]>", l->n);
		l->n++;
		run = i = end;
	}
	if (l->n)
		buf_add(&l->doc, s + run, n - run);
	if (l->doc.failed) {
		lift_release(l);
		return -1;
	}
	return 0;
}

/* Copies section k's text to out (room for it given), line ends
 * normalised as the parser would have (CR LF and CR become LF); returns
 * the bytes written. */
static size_t section_text(const struct lift *l, size_t k, xmlChar *out)
{
	const char *t = l->src + l->span[2 * k];
	size_t len = l->span[2 * k + 1], w = 0;

	if (!memchr(t, '\r', len)) {
		memcpy(out, t, len);
		return len;
	}
	for (size_t i = 0; i < len; i++) {
		if (t[i] == '\r') {
			out[w++] = '\n';
			if (i + 1 < len && t[i + 1] == '\n')
				i++;
		} else {
			out[w++] = (xmlChar)t[i];
		}
	}
	return w;
}

/* The index of the section key at *v ("7;"), *v moved past it; -1 when
 * *v starts no key of l's. */
static long section_key(const char **v, const struct lift *l)
{
	char *end;
	unsigned long k;

	if (**v < '0' || **v > '9')
		return -1;
	k = strtoul(*v, &end, 10);
	if (*end != ';' || k >= l->n)
		return -1;
	*v = end + 1;
	return (long)k;
}

/* Gives CDATA node c the text of the sections it stands for: the parser
 * joins adjacent sections into one node ("3;4;"). */
static int put_back(xmlDocPtr doc, xmlNodePtr c, const struct lift *l, size_t *count)
{
	const char *v = (const char *)c->content;
	size_t len = 0, w = 0;
	xmlChar *copy;
	long k;

	if (!v || !*v)
		return -1;
	for (const char *p = v; *p; ++*count) {
		if ((k = section_key(&p, l)) < 0)
			return -1;
		len += l->span[2 * k + 1];
	}
	if (!(copy = xmlMalloc(len + 1)))
		return -1;
	for (const char *p = v; *p;)
		w += section_text(l, (size_t)section_key(&p, l), copy + w);
	copy[w] = '\0';
	if (!(doc->dict && xmlDictOwns(doc->dict, c->content)))
		xmlFree(c->content);
	c->content = copy;
	return 0;
}

/* Puts every section's text back into doc; -1 when a CDATA node is not
 * one of l's, when not every section came back (one was lifted from where
 * the tree does not hold it), or out of memory: the document is then
 * parsed as it is. */
static int put_back_cdata(xmlDocPtr doc, const struct lift *l)
{
	xmlNodePtr c = doc->children;
	size_t count = 0;

	while (c) {
		if (c->type == XML_CDATA_SECTION_NODE && put_back(doc, c, l, &count) != 0)
			return -1;
		if (c->type == XML_ELEMENT_NODE && c->children) {
			c = c->children;
			continue;
		}
		while (c && !c->next) {
			c = c->parent;
			if (c && c->type == XML_DOCUMENT_NODE)
				c = NULL;
		}
		if (c)
			c = c->next;
	}
	return count == l->n ? 0 : -1;
}

static bool looks_html(const char *s, size_t n)
{
	size_t i = skip_prolog(s, n);

	return iprefix(s + i, n - i, "<!doctype html") || iprefix(s + i, n - i, "<html");
}

/* Refuses every external entity and external subset. */
static xmlParserInputPtr refuse_entity(void *ctx, const xmlChar *publicId,
                                       const xmlChar *systemId)
{
	(void)ctx;
	(void)publicId;
	(void)systemId;
	return NULL;
}

static void refuse_subset(void *ctx, const xmlChar *name, const xmlChar *ExternalID,
                          const xmlChar *SystemID)
{
	(void)ctx;
	(void)name;
	(void)ExternalID;
	(void)SystemID;
}

static void quiet_error(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* The raw text of the first <tag>...</tag> in [s, end), CDATA markers
 * removed, whitespace collapsed, at most outsz - 1 bytes; false if none. */
static bool raw_child(const char *s, const char *end, const char *tag, char *out, size_t outsz)
{
	char open[24], close[24];
	const char *a, *z;
	size_t w = 0;
	bool space = false;

	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	if (!(a = find_mem(s, end, open)) || !(z = find_mem(a, end, close)))
		return false;
	a += strlen(open);
	for (; a < z && w + 1 < outsz; a++) {
		if (z - a >= 9 && memcmp(a, "<![CDATA[", 9) == 0) {
			a += 8;
			continue;
		}
		if (z - a >= 3 && memcmp(a, "]]>", 3) == 0) {
			a += 2;
			continue;
		}
		if (is_ws((unsigned char)*a)) {
			space = w > 0;
			continue;
		}
		if (space && w + 2 < outsz)
			out[w++] = ' ';
		space = false;
		out[w++] = *a;
	}
	while (w > 0 && ((unsigned char)out[w - 1] & 0xC0) == 0x80)
		w--; /* no cut code point (a complete one at the end goes too) */
	out[w] = '\0';
	return w > 0;
}

/* libxml2 (without XML_PARSE_HUGE, which would also lift its entity
 * limits) refuses one text of more than XML_MAX_TEXT_LENGTH bytes, with
 * an "internal error".  Finds the first item or entry that large and
 * names it in err; 0 when there is none. */
static int oversize_item(const struct input *in, struct m2j_err *err)
{
	static const char *const tags[][2] = { { "<item", "</item>" }, { "<entry", "</entry>" } };
	const char *end = in->p + in->n;
	size_t t;

	for (t = 0; t < 2; t++) {
		const char *a = in->p;
		while ((a = find_mem(a, end, tags[t][0])) != NULL) {
			const char *z = find_mem(a, end, tags[t][1]);
			char name[100];
			if (!z)
				z = end;
			if ((size_t)(z - a) > XML_MAX_TEXT_LENGTH) {
				bool titled = raw_child(a, z, "title", name, sizeof name);
				if (!titled && !raw_child(a, z, "guid", name, sizeof name) &&
				    !raw_child(a, z, "id", name, sizeof name))
					snprintf(name, sizeof name, "at byte %zu", (size_t)(a - in->p));
				return m2j_err_set(err, M2J_ELIMIT,
				                   "item %s%s%s: too large (%zu bytes; one text in an "
				                   "item may be at most %d bytes, libxml2's limit)",
				                   titled ? "\"" : "", name, titled ? "\"" : "",
				                   (size_t)(z - a), XML_MAX_TEXT_LENGTH);
			}
			a = z;
		}
	}
	return 0;
}

static int xml_error(const struct input *in, xmlParserCtxtPtr ctxt, struct m2j_err *err)
{
	const xmlError *e = xmlCtxtGetLastError(ctxt);
	char msg[300];
	size_t n, first;
	int line = 0;

	if (e && (e->code == XML_ERR_INTERNAL_ERROR || e->code == XML_ERR_NO_MEMORY)) {
		int oc = oversize_item(in, err);
		if (oc)
			return oc;
	}
	if (e && e->code == XML_ERR_NO_MEMORY)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory parsing the feed");
	if (e && e->message) {
		snprintf(msg, sizeof msg, "%s", e->message);
		line = e->line + in->line_skew;
	} else {
		snprintf(msg, sizeof msg, "the document could not be parsed");
	}
	n = strlen(msg);
	while (n > 0 && is_ws((unsigned char)msg[n - 1]))
		msg[--n] = '\0';
	first = skip_prolog(in->p, in->n);
	if (first >= in->n)
		return m2j_err_set(err, M2J_ENOTFEED, "not a feed: the document is empty");
	if (in->p[first] != '<')
		return m2j_err_set(err, M2J_EPARSE,
		                   "not XML: line %d: %s (the document does not start "
		                   "with markup)", line, msg);
	if (e && e->code == XML_ERR_DOCUMENT_END)
		return m2j_err_set(err, M2J_EPARSE,
		                   "malformed XML: line %d: %s (content after the root element)",
		                   line, msg);
	if (strstr(msg, "Excessive depth"))
		return m2j_err_set(err, M2J_EPARSE,
		                   "malformed XML: line %d: elements nested too deeply "
		                   "(excessive depth in document, limit 256)", line);
	if (e && (e->code == XML_ERR_TAG_NOT_FINISHED || e->code == XML_ERR_DOCUMENT_EMPTY ||
	          strncmp(msg, "Premature end", 13) == 0 ||
	          strstr(msg, "EndTag: '</' not found")))
		return m2j_err_set(err, M2J_EPARSE,
		                   "malformed XML: line %d: %s (the document is truncated)",
		                   line, msg);
	return m2j_err_set(err, M2J_EPARSE, "malformed XML: line %d: %s", line, msg);
}

void feed_free(struct feed *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nitems; i++)
		item_release(&f->items[i]);
	free(f->items);
	free(f->title);
	free(f->link);
	free(f->generator);
	free(f->repairs);
	free(f);
}

/* Parses [p, p+n) as in's document with a new parser context, which is
 * left in *ctxt (NULL when out of memory) for the caller to free. */
static xmlDocPtr parse_xml(const struct input *in, const char *p, size_t n,
                           const char *doc_url, xmlParserCtxtPtr *ctxt)
{
	xmlParserCtxtPtr c = xmlNewParserCtxt();
	int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | in->options;

	*ctxt = c;
	if (c && !c->sax) {
		xmlFreeParserCtxt(c);
		*ctxt = NULL;
	}
	if (!*ctxt)
		return NULL;
	c->sax->resolveEntity = refuse_entity;
	c->sax->externalSubset = refuse_subset;
	c->sax->warning = quiet_error;
	c->sax->error = quiet_error;
	c->vctxt.error = quiet_error;
	c->vctxt.warning = quiet_error;
#ifdef XML_PARSE_NO_XXE
	options |= XML_PARSE_NO_XXE;
#endif
	return xmlCtxtReadMemory(c, p, (int)n, doc_url, in->enc, options);
}

int feed_parse(const char *data, size_t len, const char *charset_hint,
               struct feed **out, struct m2j_err *err)
{
	return feed_parse_url(data, len, charset_hint, NULL, out, err);
}

int feed_parse_url(const char *data, size_t len, const char *charset_hint,
                   const char *doc_url, struct feed **out, struct m2j_err *err)
{
	struct input in;
	struct state st;
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	struct feed *f = NULL;
	struct lift lift;
	int rc;

	memset(&in, 0, sizeof in);
	memset(&lift, 0, sizeof lift);
	buf_init(&in.conv, 0);
	if (!data)
		len = 0;
	if (skip_prolog(data ? data : "", len) >= len)
		return m2j_err_set(err, M2J_ENOTFEED, "not a feed: the document is empty");
	rc = prepare(&in, data, len, charset_hint, err);
	if (rc)
		goto out;
	if (in.n > INT32_MAX) {
		rc = m2j_err_set(err, M2J_ELIMIT, "feed too large (%zu bytes)", in.n);
		goto out;
	}
	if (looks_html(in.p, in.n)) {
		rc = m2j_err_set(err, M2J_ENOTFEED, "not a feed: the document is an HTML page");
		goto out;
	}
	if ((rc = repair_bytes(&in, err)) != 0)
		goto out;

	if (lift_cdata(&in, &lift) != 0) {
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory reading the feed");
		goto out;
	}
	if (lift.n) {
		doc = parse_xml(&in, lift.doc.data, lift.doc.len, doc_url, &ctxt);
		if (doc && ctxt->wellFormed && put_back_cdata(doc, &lift) == 0) {
			lifted++;
			goto parsed;
		}
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
	}
	doc = parse_xml(&in, in.p, in.n, doc_url, &ctxt);
	if (!ctxt) {
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory creating the XML parser");
		goto out;
	}
	if (!doc || !ctxt->wellFormed) {
		rc = xml_error(&in, ctxt, err);
		goto out;
	}
parsed:
	lift_release(&lift);
	root = xmlDocGetRootElement(doc);
	if (!root) {
		rc = m2j_err_set(err, M2J_ENOTFEED, "not a feed: the document has no root element");
		goto out;
	}
	f = calloc(1, sizeof *f);
	if (!f) {
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
		goto out;
	}
	memset(&st, 0, sizeof st);
	st.doc = doc;
	st.f = f;
	st.strmax = in.n * 4 + ((size_t)1 << 20);
	st.budget = in.n * 4 + ((size_t)1 << 20);
	rc = walk_root(&st, root, err);
	free(st.feed_date);
	if (rc)
		goto out;
	if (in.repairs[0] && !(f->repairs = strdup(in.repairs))) {
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
		goto out;
	}
	*out = f;
	f = NULL;
out:
	feed_free(f);
	if (doc)
		xmlFreeDoc(doc);
	if (ctxt)
		xmlFreeParserCtxt(ctxt);
	lift_release(&lift);
	buf_release(&in.conv);
	return rc;
}

