/* htmltext.h - the plain text of an item's tree, as a reader sees it
 * (whitespace collapsed), for decisions about an item (is it a response?)
 * and for short summaries; and its first image.  Every function reads a
 * tree parsed once by htmldoc.h (borrowed, not changed) and descends only
 * where the Markdown walk renders (elements.h: elem_hidden). */
#ifndef M2J_HTMLTEXT_H
#define M2J_HTMLTEXT_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "htmldoc.h"

/* Appends at most about max bytes of the text of d to out (cut at a UTF-8
 * boundary). */
int htmltext_extract(const struct htmldoc *d, size_t max, struct buf *out,
                     struct m2j_err *err);

/* The URL of the first image the post shows (src, else data-src) that is
 * not Medium's tracking pixel, as written (unsanitized), or NULL.  Caller
 * frees. */
int htmltext_first_image(const struct htmldoc *d, char **src, struct m2j_err *err);

/* A plain-text summary: the text of the first paragraph that has any, at
 * most max_chars characters, cut at a word (an ellipsis marks the cut).
 * Appends to out. */
int htmltext_summary(const struct htmldoc *d, size_t max_chars, struct buf *out,
                     struct m2j_err *err);

/* Appends at most about max bytes of the visible text under top (top
 * included) to out, whitespace collapsed, block elements apart. */
int htmltext_node(xmlNodePtr top, size_t max, struct buf *out, struct m2j_err *err);

#endif
