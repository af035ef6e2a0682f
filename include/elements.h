/* elements.h - the one element policy (issue 13): what every HTML element
 * means to every pass over an item's tree.
 *
 * One row per element name (lowercase, as libxml2's HTML parser stores
 * it): its kind (how the Markdown walk renders it), flags (block level,
 * void, allowed in raw HTML), a small argument (the emphasis mark, the
 * heading level, whether a list is ordered...) and, for elements we may
 * write as raw HTML, the attributes allowed there.  Names not in the table
 * are ELEM_TRANSPARENT: their content is rendered, the element is not.
 * html2md's walk, its raw-HTML rebuild, htmltext (text, summary, first
 * image) and images_collect all read this table, so they agree on what a
 * reader sees.  A new element is one row in src/elements.c.
 */
#ifndef M2J_ELEMENTS_H
#define M2J_ELEMENTS_H

#include <stdbool.h>

#include <libxml/tree.h>

enum elem_kind {
	ELEM_TRANSPARENT = 0, /* span, font, unknown: content only */
	ELEM_DROP,        /* script, style...: never shown (reported) */
	ELEM_META,        /* head, title, meta, link, base: never shown, not reported */
	ELEM_UNWRAP,      /* object, embed, applet: element dropped, content kept */
	ELEM_BLOCK,       /* p, div...: a block of its content */
	ELEM_MARK,        /* strong, em, del...: arg = enum md_mark */
	ELEM_CODE,        /* code, samp, tt: a code span */
	ELEM_PRE,         /* pre, xmp, plaintext: a fenced code block */
	ELEM_HEADING,     /* h1-h6: arg = level */
	ELEM_QUOTE,       /* blockquote */
	ELEM_LIST,        /* ul, ol, menu, dir: arg = 1 when ordered */
	ELEM_ITEM,        /* li */
	ELEM_TABLE,       /* a pipe table, else raw HTML */
	ELEM_LINK,        /* a */
	ELEM_IMG,         /* img */
	ELEM_BR,
	ELEM_HR,
	ELEM_IFRAME,      /* an embed from an allowed host */
	ELEM_RAW,         /* audio, video, dl, details: a raw HTML block */
	ELEM_FIGURE,      /* raw HTML when captioned, else a block */
	ELEM_HTML_INLINE, /* sup, sub, kbd...: inline raw HTML; arg = 1 when
	                     kramdown keeps the content raw too (kbd, u, mark) */
	ELEM_TEXTAREA,    /* its text, as the reader sees it in the box */
	ELEM_SELECT,      /* the selected option's text (else the first's) */
	ELEM_DIALOG,      /* shown when open, else dropped */
	ELEM_SVG,         /* dropped, but its <text> is kept */
	ELEM_INPUT        /* a checkbox opening a list item: a task marker */
};

enum {
	ELEM_F_BLOCK = 1, /* block level: separates text, no blocks inside inline-only */
	ELEM_F_VOID = 2,  /* no content, no end tag */
	ELEM_F_RAW = 4    /* may be written as raw HTML (attrs: which attributes) */
};

#define ELEM_MAX_ATTRS 8

struct elem {
	const char *name;
	unsigned char kind;  /* enum elem_kind */
	unsigned char flags; /* ELEM_F_* */
	unsigned char arg;
	const char *attrs[ELEM_MAX_ATTRS]; /* NULL-terminated; raw HTML only */
};

/* The policy of an element name (never NULL: unknown names get a shared
 * ELEM_TRANSPARENT row). */
const struct elem *elem_get(const char *name);

/* The policy of node n (an element; other nodes get the transparent row). */
const struct elem *elem_of(xmlNodePtr n);

/* Whether what an element holds never reaches the reader as a tree of its
 * own: dropped elements, a closed dialog, an SVG, form controls whose text
 * is rendered specially.  Passes that look for images or text do not
 * descend into them. */
bool elem_hidden(xmlNodePtr n);
/* The same when n's policy e is known already. */
bool elem_hides(xmlNodePtr n, const struct elem *e);

/* Whether any pass reads the attribute name: the parser keeps only those
 * (htmldoc.c), which spares the allocations of the rest (Medium's and
 * Substack's markup carries many class, data-* and style attributes). */
bool elem_attr_kept(const char *name);

/* Whether an image URL is Medium's tracking pixel (medium.com/_/stat):
 * never the first image, never downloaded, dropped by --clean. */
bool elem_tracking_pixel(const char *src);

/* The image URL an <img> shows, as written: src, else data-src (lazy
 * loading), else NULL.  Borrowed from the tree. */
const char *elem_img_src(xmlNodePtr img);

#endif
