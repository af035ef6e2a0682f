/* html2md.h - HTML (a feed item's body) -> Markdown for Jekyll.
 *
 * Walks libxml2's HTML tree once and drives the Markdown writer (md.h).
 * Output is valid UTF-8, Liquid-safe ({{ and {% protected with raw blocks),
 * kramdown-GFM and CommonMark safe, and sanitized: no script, no event
 * handler, no dangerous URL scheme can reach it.
 */
#ifndef M2J_HTML2MD_H
#define M2J_HTML2MD_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "htmldoc.h"

struct html2md_opts {
	const char *base_url;     /* relative URLs resolve against it; may be NULL */
	bool drop_tracking_pixel; /* default false: Medium's stat pixel is kept */
	const char *const *iframe_hosts; /* NULL-terminated allowlist; NULL = default */
	/* Called for every dropped URL or element (for -v); may be NULL. */
	void (*report)(void *ctx, const char *what);
	void *report_ctx;
	/* Called (with report_ctx) for what the reader should hear of without
	 * -v: HTML nested past CAP_HTML_PARSE_DEPTH.  May be NULL. */
	void (*warn)(void *ctx, const char *what);
	/* Called with every URL kept (already sanitized); returns a new URL
	 * (malloc'd; sanitized again) or NULL to keep it.  May be NULL. */
	char *(*rewrite_url)(void *ctx, int use, const char *url);
	void *rewrite_ctx;
};

/* Converts html[0..len) and appends the Markdown to out (ends with one
 * newline, or empty).  Returns 0 or an M2J_E* code (M2J_ENOMEM, M2J_ELIMIT
 * when out's cap is crossed). */
int html2md_convert(const char *html, size_t len, const struct html2md_opts *opts,
                    struct buf *out, struct m2j_err *err);

/* The same over a tree already parsed (htmldoc.h; borrowed, not changed):
 * what the item pipeline calls, so that an item is parsed once. */
int html2md_convert_doc(const struct htmldoc *d, const struct html2md_opts *opts,
                        struct buf *out, struct m2j_err *err);

#endif
