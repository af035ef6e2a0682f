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
