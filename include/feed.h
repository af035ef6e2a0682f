/* feed.h - RSS 2.0 / RSS 1.0 (RDF) / Atom bytes -> struct feed.
 *
 * The only module that calls xmlRead*.  Every string in the result is a
 * malloc'd, valid UTF-8 copy (nothing points into the freed xmlDoc).
 */
#ifndef M2J_FEED_H
#define M2J_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* FEED_RSS2 also covers RSS 0.9x and CDF; FEED_ATOM covers Atom 0.3. */
enum feed_kind { FEED_RSS2, FEED_RSS1, FEED_ATOM };

struct feed_item {
	char *title;       /* plain text, whitespace-trimmed; "" when absent */
	char *link;        /* the item's link as given (alternate link for Atom),
	                      resolved against xml:base when relative; may be NULL */
	char *guid;        /* guid / id / rdf:about; may be NULL */
	char *html;        /* the body as HTML: content:encoded, else description
	                      (Atom: content, else summary; text bodies escaped to
	                      HTML; xhtml serialised); "" when absent */
	char *base;        /* xml:base in effect for the body, or NULL */
	char *author;      /* dc:creator / author name; may be NULL */
	char *updated_raw; /* atom:updated or similar, as given; may be NULL */
	char **categories; /* ncategories strings */
	size_t ncategories;
	char *date_raw;    /* the date string as given, or NULL when absent */
	int64_t date;      /* UTC seconds; valid only when has_date */
	bool has_date;     /* false when absent or unreadable (see date_raw) */
};

struct feed {
	enum feed_kind kind;
	char *title;      /* channel title, may be "" */
	char *link;       /* channel link, may be NULL */
	char *generator;  /* may be NULL */
	bool is_medium;   /* generator is "Medium" (or links are medium.com) */
	struct feed_item *items;
	size_t nitems;
	size_t dropped;   /* items past CAP_FEED_ITEMS, not kept */
};

/* Parses data[0..len).  charset_hint is the HTTP Content-Type charset or
 * NULL.  Network access, entity substitution and DTD loading are off.
 * On success *out is a new feed (caller frees with feed_free).  Errors:
 * M2J_EPARSE (malformed XML, with line), M2J_ENOTFEED (HTML page, empty
 * body, other XML), M2J_ENOMEM. */
int feed_parse(const char *data, size_t len, const char *charset_hint,
               struct feed **out, struct m2j_err *err);
/* Like feed_parse, with doc_url (may be NULL) as the base URI of the
 * document: relative links with no xml:base resolve against it.  Pass the
 * HTTP Content-Location, else the final URL after redirects.  Also used
 * as the `base` of items when there is no xml:base. */
int feed_parse_url(const char *data, size_t len, const char *charset_hint,
                   const char *doc_url, struct feed **out, struct m2j_err *err);
void feed_free(struct feed *f);

#endif
