/* elements.c - the element policy table (see elements.h).
 *
 * Sorted by name for bsearch; the unit test checks the order. */
#include "elements.h"

#include <stdlib.h>
#include <string.h>

#include "htmldoc.h"
#include "md.h"

#define B ELEM_F_BLOCK
#define V ELEM_F_VOID
#define R ELEM_F_RAW

static const struct elem table[] = {
	{ "a", ELEM_LINK, R, 0, { "href", "title", NULL } },
	{ "abbr", ELEM_HTML_INLINE, R, 0, { "title", NULL } },
	{ "address", ELEM_BLOCK, B, 0, { NULL } },
	{ "applet", ELEM_UNWRAP, 0, 0, { NULL } },
	{ "area", ELEM_DROP, 0, 0, { NULL } },
	{ "article", ELEM_BLOCK, B, 0, { NULL } },
	{ "aside", ELEM_BLOCK, B, 0, { NULL } },
	{ "audio", ELEM_RAW, B | R, 0, { "src", "controls", "loop", "muted", NULL } },
	{ "b", ELEM_MARK, R, MD_STRONG, { NULL } },
	{ "base", ELEM_META, 0, 0, { NULL } },
	{ "blockquote", ELEM_QUOTE, B | R, 0, { NULL } },
	{ "body", ELEM_BLOCK, B, 0, { NULL } },
	{ "br", ELEM_BR, V | R, 0, { NULL } },
	{ "canvas", ELEM_DROP, 0, 0, { NULL } },
	{ "caption", ELEM_BLOCK, B | R, 0, { NULL } },
	{ "center", ELEM_BLOCK, B, 0, { NULL } },
	{ "cite", ELEM_MARK, R, MD_EMPH, { NULL } },
	{ "code", ELEM_CODE, R, 0, { NULL } },
	{ "datalist", ELEM_DROP, 0, 0, { NULL } },
	{ "dd", ELEM_BLOCK, B | R, 0, { NULL } },
	{ "del", ELEM_MARK, R, MD_STRIKE, { NULL } },
	{ "details", ELEM_RAW, B | R, 0, { "open", NULL } },
	{ "dfn", ELEM_MARK, R, MD_EMPH, { NULL } },
	{ "dialog", ELEM_DIALOG, B, 0, { NULL } },
	{ "dir", ELEM_LIST, B, 0, { NULL } },
	{ "div", ELEM_BLOCK, B | R, 0, { NULL } },
	{ "dl", ELEM_RAW, B | R, 0, { NULL } },
	{ "dt", ELEM_BLOCK, B | R, 0, { NULL } },
	{ "em", ELEM_MARK, R, MD_EMPH, { NULL } },
	{ "embed", ELEM_UNWRAP, 0, 0, { NULL } },
	{ "fieldset", ELEM_BLOCK, B, 0, { NULL } },
	{ "figcaption", ELEM_BLOCK, B | R, 0, { NULL } },
	{ "figure", ELEM_FIGURE, B | R, 0, { NULL } },
	{ "footer", ELEM_BLOCK, B, 0, { NULL } },
	{ "form", ELEM_BLOCK, B, 0, { NULL } },
	{ "frame", ELEM_DROP, 0, 0, { NULL } },
	{ "frameset", ELEM_DROP, 0, 0, { NULL } },
	{ "h1", ELEM_HEADING, B | R, 1, { NULL } },
	{ "h2", ELEM_HEADING, B | R, 2, { NULL } },
	{ "h3", ELEM_HEADING, B | R, 3, { NULL } },
	{ "h4", ELEM_HEADING, B | R, 4, { NULL } },
	{ "h5", ELEM_HEADING, B | R, 5, { NULL } },
	{ "h6", ELEM_HEADING, B | R, 6, { NULL } },
	{ "head", ELEM_META, 0, 0, { NULL } },
	{ "header", ELEM_BLOCK, B, 0, { NULL } },
	{ "hgroup", ELEM_BLOCK, B, 0, { NULL } },
	{ "hr", ELEM_HR, B | V | R, 0, { NULL } },
	{ "html", ELEM_BLOCK, B, 0, { NULL } },
	{ "i", ELEM_MARK, R, MD_EMPH, { NULL } },
	{ "iframe", ELEM_IFRAME, B | R, 0,
	  { "src", "width", "height", "title", "allow", "allowfullscreen", "frameborder", NULL } },
	{ "img", ELEM_IMG, V | R, 0, { "src", "alt", "title", "width", "height", NULL } },
	{ "input", ELEM_INPUT, V, 0, { NULL } },
	{ "ins", ELEM_HTML_INLINE, R, 0, { NULL } },
	{ "kbd", ELEM_HTML_INLINE, R, 1, { NULL } },
	{ "legend", ELEM_BLOCK, B, 0, { NULL } },
	{ "li", ELEM_ITEM, B | R, 0, { NULL } },
	{ "link", ELEM_META, 0, 0, { NULL } },
	{ "listing", ELEM_BLOCK, B, 0, { NULL } },
	{ "main", ELEM_BLOCK, B, 0, { NULL } },
	{ "map", ELEM_DROP, 0, 0, { NULL } },
	{ "mark", ELEM_HTML_INLINE, R, 1, { NULL } },
	{ "menu", ELEM_LIST, B, 0, { NULL } },
	{ "meta", ELEM_META, 0, 0, { NULL } },
	{ "nav", ELEM_BLOCK, B, 0, { NULL } },
	{ "noscript", ELEM_DROP, 0, 0, { NULL } },
	{ "object", ELEM_UNWRAP, 0, 0, { NULL } },
	{ "ol", ELEM_LIST, B | R, 1, { "start", NULL } },
	{ "p", ELEM_BLOCK, B | R, 0, { NULL } },
	{ "param", ELEM_DROP, 0, 0, { NULL } },
	{ "picture", ELEM_BLOCK, B, 0, { NULL } },
	{ "plaintext", ELEM_PRE, B, 0, { NULL } },
	{ "pre", ELEM_PRE, B | R, 0, { NULL } },
	{ "q", ELEM_HTML_INLINE, R, 0, { NULL } },
	{ "rp", ELEM_HTML_INLINE, R, 0, { NULL } },
	{ "rt", ELEM_HTML_INLINE, R, 0, { NULL } },
	{ "ruby", ELEM_HTML_INLINE, R, 0, { NULL } },
	{ "s", ELEM_MARK, R, MD_STRIKE, { NULL } },
	{ "samp", ELEM_CODE, R, 0, { NULL } },
	{ "script", ELEM_DROP, 0, 0, { NULL } },
	{ "section", ELEM_BLOCK, B, 0, { NULL } },
	{ "select", ELEM_SELECT, 0, 0, { NULL } },
	{ "small", ELEM_HTML_INLINE, R, 0, { NULL } },
	{ "source", ELEM_TRANSPARENT, V | R, 0, { "src", "type", NULL } },
	{ "span", ELEM_TRANSPARENT, R, 0, { NULL } },
	{ "strike", ELEM_MARK, R, MD_STRIKE, { NULL } },
	{ "strong", ELEM_MARK, R, MD_STRONG, { NULL } },
	{ "style", ELEM_DROP, 0, 0, { NULL } },
	{ "sub", ELEM_HTML_INLINE, R, 0, { NULL } },
	{ "summary", ELEM_BLOCK, B | R, 0, { NULL } },
	{ "sup", ELEM_HTML_INLINE, R, 0, { NULL } },
	{ "svg", ELEM_SVG, 0, 0, { NULL } },
	{ "table", ELEM_TABLE, B | R, 0, { NULL } },
	{ "tbody", ELEM_BLOCK, B | R, 0, { NULL } },
	{ "td", ELEM_BLOCK, B | R, 0, { "colspan", "rowspan", "align", NULL } },
	{ "template", ELEM_DROP, 0, 0, { NULL } },
	{ "textarea", ELEM_TEXTAREA, 0, 0, { NULL } },
	{ "tfoot", ELEM_BLOCK, B | R, 0, { NULL } },
	{ "th", ELEM_BLOCK, B | R, 0, { "colspan", "rowspan", "align", "scope", NULL } },
	{ "thead", ELEM_BLOCK, B | R, 0, { NULL } },
	{ "title", ELEM_META, 0, 0, { NULL } },
	{ "tr", ELEM_BLOCK, B | R, 0, { NULL } },
	{ "tt", ELEM_CODE, R, 0, { NULL } },
	{ "u", ELEM_HTML_INLINE, R, 1, { NULL } },
	{ "ul", ELEM_LIST, B | R, 0, { NULL } },
	{ "var", ELEM_MARK, R, MD_EMPH, { NULL } },
	{ "video", ELEM_RAW, B | R, 0,
	  { "src", "poster", "width", "height", "controls", "loop", "muted", NULL } },
	{ "xmp", ELEM_PRE, B, 0, { NULL } },
};

static const struct elem unknown = { "", ELEM_TRANSPARENT, 0, 0, { NULL } };

static int cmp(const void *key, const void *row)
{
	return strcmp(key, ((const struct elem *)row)->name);
}

const struct elem *elem_get(const char *name)
{
	const struct elem *e;

	if (!name || !*name)
		return &unknown;
	e = bsearch(name, table, sizeof table / sizeof table[0], sizeof table[0], cmp);
	return e ? e : &unknown;
}

const struct elem *elem_of(xmlNodePtr n)
{
	if (!n || n->type != XML_ELEMENT_NODE || !n->name)
		return &unknown;
	return elem_get((const char *)n->name);
}

bool elem_hidden(xmlNodePtr n)
{
	return elem_hides(n, elem_of(n));
}

bool elem_hides(xmlNodePtr n, const struct elem *e)
{
	switch (e->kind) {
	case ELEM_DROP:
	case ELEM_META:
	case ELEM_SVG:
	case ELEM_TEXTAREA:
	case ELEM_SELECT:
	case ELEM_INPUT:
		return true;
	case ELEM_DIALOG:
		return htmldoc_attr(n, "open") == NULL;
	default:
		return false;
	}
}

bool elem_tracking_pixel(const char *src)
{
	return src && strstr(src, "medium.com/_/stat") != NULL;
}

const char *elem_img_src(xmlNodePtr img)
{
	const char *s = NULL;

	for (xmlAttrPtr a = img->properties; a; a = a->next) {
		const char *v;

		if (!a->name || !a->children || a->children->type != XML_TEXT_NODE ||
		    !a->children->content || !a->children->content[0])
			continue;
		v = (const char *)a->children->content;
		if (strcmp((const char *)a->name, "src") == 0)
			return v;
		if (!s && strcmp((const char *)a->name, "data-src") == 0)
			s = v;
	}
	return s;
}

/* Every attribute some pass reads (html2md, its raw-HTML rows above,
 * htmltext, images, post.c's cleaning, medium_export), sorted.  A pass
 * that needs another attribute adds it here. */
static const char *const kept_attrs[] = {
	"align", "allow", "allowfullscreen", "alt", "checked", "class", "colspan", "controls",
	"data-code-block-lang", "data-component-name", "data-field", "data-href", "data-src",
	"datetime", "frameborder", "height", "href", "loop", "muted", "open", "poster",
	"rowspan", "scope", "selected", "src", "start", "title", "type", "width",
};

static int cmp_str(const void *key, const void *row)
{
	return strcmp(key, *(const char *const *)row);
}

bool elem_attr_kept(const char *name)
{
	return bsearch(name, kept_attrs, sizeof kept_attrs / sizeof kept_attrs[0],
	               sizeof kept_attrs[0], cmp_str) != NULL;
}
