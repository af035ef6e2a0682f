/* htmltext.c - plain text of HTML (see htmltext.h). */
#include "htmltext.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <string.h>

static bool skipped(const xmlNode *n)
{
	static const char *const names[] = { "script", "style", "template", "noscript", "head" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (xmlStrcasecmp(n->name, (const xmlChar *)names[i]) == 0)
			return true;
	return false;
}

static bool is_block(const xmlNode *n)
{
	static const char *const names[] = {
		"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
		"blockquote", "pre", "tr", "td", "th", "table", "figure", "figcaption",
		"hr", "section", "article", "header", "footer", "dd", "dt", "dl"
	};
	size_t i;

	if (n->type != XML_ELEMENT_NODE)
		return false;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (xmlStrcasecmp(n->name, (const xmlChar *)names[i]) == 0)
			return true;
	return false;
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Appends s collapsing whitespace; *space says a separator is pending. */
static void add_text(struct buf *out, const char *s, bool *space, size_t max)
{
	for (; *s && out->len < max; s++) {
		unsigned char c = (unsigned char)*s;

		if (is_space(c)) {
			*space = true;
			continue;
		}
		if (*space && out->len > 0)
			buf_addch(out, ' ');
		*space = false;
		buf_addch(out, (char)c);
	}
}

static htmlDocPtr parse(const char *html, size_t len)
{
	if (len == 0 || len > INT32_MAX)
		return NULL;
	return htmlReadMemory(html, (int)len, NULL, "UTF-8",
	                      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                      HTML_PARSE_NONET);
}

/* The next node in document order (iterative, any depth). */
static xmlNode *next_node(xmlNode *n, bool descend)
{
	if (descend && n->children)
		return n->children;
	while (n && !n->next) {
		n = n->parent;
		if (n && n->type == XML_HTML_DOCUMENT_NODE)
			return NULL;
	}
	return n ? n->next : NULL;
}

static bool named(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, (const xmlChar *)name) == 0;
}

int htmltext_first_image(const char *html, size_t len, char **src, struct m2j_err *err)
{
	htmlDocPtr doc = parse(html, len);
	xmlNode *n;
	int rc = 0;

	*src = NULL;
	if (!doc)
		return 0;
	for (n = xmlDocGetRootElement(doc); n; n = next_node(n, !skipped(n))) {
		xmlChar *v;

		if (!named(n, "img"))
			continue;
		v = xmlGetProp(n, (const xmlChar *)"src");
		if (v && v[0] && !xmlStrstr(v, (const xmlChar *)"medium.com/_/stat")) {
			*src = strdup((const char *)v);
			if (!*src)
				rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
			xmlFree(v);
			break;
		}
		xmlFree(v);
	}
	xmlFreeDoc(doc);
	return rc;
}

int htmltext_summary(const char *html, size_t len, size_t max_chars, struct buf *out,
                     struct m2j_err *err)
{
	htmlDocPtr doc = parse(html, len);
	struct buf t = BUF_INIT(0);
	xmlNode *n;
	size_t i, chars = 0, cut = 0, start = out->len;
	int rc = 0;

	if (!doc)
		return 0;
	for (n = xmlDocGetRootElement(doc); n; n = next_node(n, !skipped(n))) {
		xmlChar *c;
		bool space = false;

		if (!named(n, "p"))
			continue;
		c = xmlNodeGetContent(n);
		buf_reset(&t);
		if (c)
			add_text(&t, (const char *)c, &space, t.len + 4 * max_chars + 8);
		xmlFree(c);
		if (t.len)
			break;
	}
	xmlFreeDoc(doc);
	/* short enough: all of it; else at most max_chars - 1 characters cut
	 * at the last space, and an ellipsis */
	for (i = 0; i < t.len; i++)
		if (((unsigned char)t.data[i] & 0xC0) != 0x80)
			chars++;
	if (chars <= max_chars) {
		buf_add(out, t.data, t.len);
	} else {
		for (i = 0, chars = 0; i < t.len; i++) {
			if (((unsigned char)t.data[i] & 0xC0) == 0x80)
				continue;
			if (chars + 1 == max_chars)
				break;
			if (t.data[i] == ' ')
				cut = i;
			chars++;
		}
		if (cut == 0)
			cut = i; /* one long word: cut it at a character boundary */
		buf_add(out, t.data, cut);
		buf_addstr(out, "\xE2\x80\xA6");
	}
	buf_release(&t);
	if (out->failed) {
		buf_truncate(out, start);
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	return rc;
}

int htmltext_extract(const char *html, size_t len, size_t max, struct buf *out,
                     struct m2j_err *err)
{
	htmlDocPtr doc;
	xmlNode *n;
	size_t start = out->len;
	bool space = false;

	if (len == 0)
		return 0;
	if (len > INT32_MAX)
		return m2j_err_set(err, M2J_ELIMIT, "HTML too large");
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	                     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                     HTML_PARSE_NONET);
	if (!doc)
		return 0;
	max += start;
	/* iterative walk: no recursion, whatever the depth */
	n = xmlDocGetRootElement(doc);
	while (n && out->len < max) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				add_text(out, (const char *)n->content, &space, max);
		} else if (n->type == XML_ELEMENT_NODE && !skipped(n) && n->children) {
			if (is_block(n))
				space = true;
			n = n->children;
			continue;
		}
		if (is_block(n))
			space = true;
		while (n && !n->next) {
			n = n->parent;
			if (n && is_block(n))
				space = true;
			if (n && (xmlNode *)n == (xmlNode *)doc)
				n = NULL;
		}
		if (n)
			n = n->next;
	}
	xmlFreeDoc(doc);
	/* do not end inside a UTF-8 sequence */
	{
		size_t i = out->len, need;
		unsigned char c;

		while (i > start && ((unsigned char)out->data[i - 1] & 0xC0) == 0x80)
			i--;
		if (i > start) {
			c = (unsigned char)out->data[i - 1];
			need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
			if (out->len - (i - 1) < need)
				buf_truncate(out, i - 1);
		}
	}
	if (out->failed)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	return 0;
}
