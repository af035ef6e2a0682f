/* md.h - the Markdown writer: the one place that knows Markdown syntax.
 *
 * Modelled on cmark's commonmark renderer: a prefix stack for block quotes
 * and list items, CR / BLANKLINE requests instead of raw newlines, and the
 * escaping contexts (text, URL, title, code, raw HTML) settled here.  The
 * output is read by kramdown (GFM input, Jekyll's default) and CommonMark
 * renderers, after Liquid: every `{{` / `{%` is wrapped in a
 * {% raw %}...{% endraw %} fragment that never crosses a line end.
 *
 * Inline marks (emphasis, links, inline raw HTML) open lazily: nothing is
 * written until visible content arrives, so empty marks vanish and spaces
 * move outside the delimiters.  A block boundary inside open marks closes
 * and later reopens them.
 *
 * Ownership: md_new borrows `out` (it must outlive the writer); the writer
 * owns its internal state, freed by md_free.  Strings passed in are copied
 * or written at once; none are kept.
 */
#ifndef M2J_MD_H
#define M2J_MD_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

struct md;

enum md_mark { MD_STRONG, MD_EMPH, MD_STRIKE };

int md_new(struct md **mdp, struct buf *out, struct m2j_err *err);
void md_free(struct md *md);
/* Closes everything and ends the text with one newline (nothing if the
 * document is empty).  Returns 0, or M2J_ENOMEM / M2J_ELIMIT when the
 * output buffer failed at any point. */
int md_finish(struct md *md, struct m2j_err *err);

/* Block structure. */
void md_cr(struct md *md);
void md_blankline(struct md *md);
void md_heading_begin(struct md *md, int level);
void md_heading_end(struct md *md);
void md_quote_begin(struct md *md);
void md_quote_end(struct md *md);
/* An ordered list starting at start != 1 is followed by the attribute list
 * {: start="N"} on the line after it (kramdown renumbers from 1). */
void md_list_begin(struct md *md, bool ordered, long start);
void md_list_end(struct md *md);
/* An item of the innermost list; `continuation` indents like an item but
 * writes no marker (a list nested directly in a list). */
void md_item_begin(struct md *md, bool continuation);
void md_item_end(struct md *md);
/* A task list marker ("[x] " / "[ ] ") opening the current item. */
void md_task(struct md *md, bool checked);
void md_hr(struct md *md);
/* A fenced code block; info may be NULL.  code is written as is. */
void md_code_block(struct md *md, const char *info, const char *code, size_t n);

/* Pipe tables: cells hold inline content only. */
void md_table_begin(struct md *md);
void md_table_row_begin(struct md *md);
void md_table_cell_begin(struct md *md);
void md_table_cell_end(struct md *md);
/* Ends a row; header_cols > 0 writes the separator line after it. */
void md_table_row_end(struct md *md, int header_cols);
void md_table_end(struct md *md);

/* Inline content. */
/* HTML text: whitespace collapsed, escaped for kramdown and CommonMark. */
void md_text(struct md *md, const char *s, size_t n);
/* Text where no whitespace collapse applies except newlines -> spaces
 * (attribute text such as alt). */
void md_space(struct md *md);
void md_linebreak(struct md *md);
void md_mark_begin(struct md *md, enum md_mark mark);
void md_mark_end(struct md *md);
/* url must already be sanitized; title may be NULL. */
void md_link_begin(struct md *md, const char *url, const char *title);
void md_link_end(struct md *md);
void md_image(struct md *md, const char *src, const char *alt, const char *title);
void md_code_span(struct md *md, const char *code, size_t n);

/* Raw HTML.  Attributes are name/value pairs, values escaped here; the
 * caller decides which are allowed.  Inline tags open lazily like marks. */
void md_html_inline_begin(struct md *md, const char *name,
                          const char *const *attrs, size_t nattrs);
void md_html_inline_end(struct md *md);
/* Text inside an inline raw element whose content kramdown keeps raw
 * (kbd): HTML-escaped, whitespace collapsed, no Markdown escaping. */
void md_html_inline_text(struct md *md, const char *s, size_t n);
/* A raw HTML block written on one line (no blank line can end it early). */
void md_html_block_begin(struct md *md);
void md_html_block_end(struct md *md);
void md_html_open(struct md *md, const char *name, const char *const *attrs,
                  size_t nattrs);
void md_html_close(struct md *md, const char *name);
/* Escaped text inside an HTML block; pre keeps newlines as &#10;. */
void md_html_text(struct md *md, const char *s, size_t n, bool pre);

#endif
