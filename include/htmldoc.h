/* htmldoc.h - an item's HTML parsed once (issue 13).
 *
 * The one place that calls libxml2's HTML parser for a feed item, an
 * exported post or `convert`'s input: the bytes are repaired to valid UTF-8
 * first (libxml2 passes invalid sequences through), then parsed with
 * NONET|NOERROR|NOWARNING|RECOVER|NODEFDTD.  Every pass over an item
 * (cleaning, response and preview checks, images, first image, summary,
 * Markdown) reads the same tree.
 *
 * Depth: libxml2 stops the whole parse at 256 nested elements (without the
 * HUGE option, which we never pass), losing everything after the deep part.
 * Start tags nested deeper than CAP_HTML_PARSE_DEPTH are therefore not
 * turned into elements: their text joins the element at the cap, the rest
 * of the document is parsed as usual, and `deep` says it happened.
 *
 * Attributes: only those some pass reads (elements.h: elem_attr_kept) are
 * kept in the tree.
 *
 * Ownership: struct htmldoc owns its xmlDoc; htmldoc_release frees it.
 */
#ifndef M2J_HTMLDOC_H
#define M2J_HTMLDOC_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "err.h"

struct htmldoc {
	htmlDocPtr doc;  /* NULL when the input was empty or did not parse */
	bool deep;       /* nesting past CAP_HTML_PARSE_DEPTH was flattened */
};

/* Parses html[0..len) into d (zeroed first).  0, M2J_ENOMEM, or M2J_ELIMIT
 * (more than INT_MAX bytes).  Empty or unparseable input is no error:
 * d->doc is then NULL.  Release d with htmldoc_release in every case. */
int htmldoc_parse(const char *html, size_t len, struct htmldoc *d, struct m2j_err *err);

/* Takes ownership of a tree built elsewhere (the archive reader's). */
void htmldoc_adopt(struct htmldoc *d, htmlDocPtr doc);

void htmldoc_release(struct htmldoc *d);

/* The first node to walk (the document's first child), or NULL. */
xmlNodePtr htmldoc_first(const struct htmldoc *d);

/* How many times htmldoc_parse has run the parser in this process: lets a
 * test assert that one item is parsed exactly once. */
unsigned long htmldoc_parse_count(void);

/* Borrowed attribute value (valid while the tree lives): "" for a boolean
 * attribute, NULL when absent (or n is NULL or no element).  Names compare as libxml2 stores them (the
 * HTML parser lowercases). */
const char *htmldoc_attr(xmlNodePtr n, const char *name);

/* Whether the class attribute of n holds the word cls. */
bool htmldoc_has_class(xmlNodePtr n, const char *cls);

/* The next node after n in document order under top (entering n's
 * children when descend), iterative; NULL past the end of top. */
xmlNodePtr htmldoc_next(xmlNodePtr n, xmlNodePtr top, bool descend);

/* Unlinks and frees n (NULL is ignored). */
void htmldoc_remove(xmlNodePtr n);

#endif
