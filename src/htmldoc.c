/* htmldoc.c - one parse per item (see htmldoc.h). */
#include "htmldoc.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "caps.h"
#include "elements.h"
#include "utf8.h"

static unsigned long parses;

/* The parser's own element callbacks, and how deep we are. */
struct depth {
	startElementSAXFunc start;
	endElementSAXFunc end;
	int level;
	bool deep;
};

/* Room for the attributes kept of one element (name, value pairs). */
#define KEPT_ATTRS ((size_t)32)

static void start_element(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	htmlParserCtxtPtr pc = ctx;
	struct depth *d = pc->_private;
	const xmlChar *kept[2 * KEPT_ATTRS + 1];
	size_t nk = 0;

	/* the HTML parser pairs every start with one end (implied, auto-closed
	 * and void elements included), so counting both keeps the level */
	if (++d->level > CAP_HTML_PARSE_DEPTH) {
		d->deep = true;
		return;
	}
	if (atts) {
		/* only the attributes some pass reads become nodes */
		for (size_t i = 0; atts[i] && nk < 2 * KEPT_ATTRS; i += 2)
			if (elem_attr_kept((const char *)atts[i])) {
				kept[nk++] = atts[i];
				kept[nk++] = atts[i + 1];
			}
		kept[nk] = NULL;
		atts = nk ? kept : NULL;
	}
	d->start(ctx, name, atts);
}

static void end_element(void *ctx, const xmlChar *name)
{
	htmlParserCtxtPtr pc = ctx;
	struct depth *d = pc->_private;

	if (d->level-- > CAP_HTML_PARSE_DEPTH)
		return;
	d->end(ctx, name);
}

/* utf8_valid, with a word-at-a-time pass over the ASCII prefix (most of
 * an item is ASCII markup). */
static bool valid_utf8(const char *s, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080u)
			break;
	}
	while (i < n && !((unsigned char)s[i] & 0x80))
		i++;
	return i == n || utf8_valid(s + i, n - i);
}

int htmldoc_parse(const char *html, size_t len, struct htmldoc *d, struct m2j_err *err)
{
	struct buf fixed = BUF_INIT(0);
	htmlParserCtxtPtr pc;
	struct depth dp;

	memset(d, 0, sizeof *d);
	if (!html || len == 0)
		return 0;
	if (len > INT_MAX)
		return m2j_err_set(err, M2J_ELIMIT, "HTML too large");
	if (!valid_utf8(html, len)) {
		if (utf8_repair(&fixed, html, len)) {
			buf_release(&fixed);
			return m2j_err_set(err, M2J_ENOMEM, "out of memory");
		}
		html = fixed.data;
		len = fixed.len;
	}
	pc = htmlNewParserCtxt();
	if (!pc || !pc->sax) {
		if (pc)
			htmlFreeParserCtxt(pc);
		buf_release(&fixed);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	memset(&dp, 0, sizeof dp);
	dp.start = pc->sax->startElement;
	dp.end = pc->sax->endElement;
	pc->sax->startElement = start_element;
	pc->sax->endElement = end_element;
	pc->_private = &dp;
	parses++;
	d->doc = htmlCtxtReadMemory(pc, html, (int)len, NULL, "UTF-8",
	                            HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                            HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
	                            HTML_PARSE_NODEFDTD);
	d->deep = dp.deep;
	htmlFreeParserCtxt(pc);
	buf_release(&fixed);
	return 0;
}

void htmldoc_adopt(struct htmldoc *d, htmlDocPtr doc)
{
	memset(d, 0, sizeof *d);
	d->doc = doc;
}

void htmldoc_release(struct htmldoc *d)
{
	if (!d)
		return;
	if (d->doc)
		xmlFreeDoc(d->doc);
	memset(d, 0, sizeof *d);
}

xmlNodePtr htmldoc_first(const struct htmldoc *d)
{
	return d && d->doc ? d->doc->children : NULL;
}

unsigned long htmldoc_parse_count(void)
{
	return parses;
}

const char *htmldoc_attr(xmlNodePtr n, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE)
		return NULL;
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

bool htmldoc_has_class(xmlNodePtr n, const char *cls)
{
	const char *v = htmldoc_attr(n, "class");
	size_t l = strlen(cls);

	while (v && *v) {
		size_t w;

		while (*v == ' ' || *v == '\t' || *v == '\n')
			v++;
		w = strcspn(v, " \t\n");
		if (w == l && strncmp(v, cls, l) == 0)
			return true;
		v += w;
	}
	return false;
}

xmlNodePtr htmldoc_next(xmlNodePtr n, xmlNodePtr top, bool descend)
{
	if (descend && n->children)
		return n->children;
	while (n && n != top && !n->next)
		n = n->parent;
	if (!n || n == top)
		return NULL;
	return n->next;
}

void htmldoc_remove(xmlNodePtr n)
{
	if (!n)
		return;
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}
