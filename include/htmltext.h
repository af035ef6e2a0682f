/* htmltext.h - the plain text of an HTML fragment, as a reader sees it
 * (whitespace collapsed), for decisions about an item (is it a response?)
 * and for short summaries. */
#ifndef M2J_HTMLTEXT_H
#define M2J_HTMLTEXT_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* Appends at most about max bytes of the text of html[0..len) to out
 * (cut at a UTF-8 boundary).  script/style/template content is skipped. */
int htmltext_extract(const char *html, size_t len, size_t max, struct buf *out,
                     struct m2j_err *err);

/* The src of the first image that is not Medium's tracking pixel, as
 * written (unsanitized), or NULL.  Caller frees. */
int htmltext_first_image(const char *html, size_t len, char **src, struct m2j_err *err);

/* A plain-text summary: the text of the first paragraph that has any, at
 * most max_chars characters, cut at a word (an ellipsis marks the cut).
 * Appends to out. */
int htmltext_summary(const char *html, size_t len, size_t max_chars, struct buf *out,
                     struct m2j_err *err);

#endif
