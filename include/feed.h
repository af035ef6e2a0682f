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

/* Where an item's date came from. */
enum feed_date_source {
	FEED_DATE_NONE = 0, /* nothing in the item or the feed has a date */
	FEED_DATE_ITEM,     /* the item's own (published, updated, dc:date...) */
	FEED_DATE_FEED      /* the item has none: the feed's (channel pubDate,
	                       lastBuildDate, dc:date; Atom feed updated) */
};

/* An RSS <enclosure> or Atom <link rel="enclosure">, http(s) only. */
struct feed_enclosure {
	char *url;        /* absolute http:// or https:// URL */
	char *type;       /* MIME type as given, or NULL */
	long long length; /* bytes as given, -1 when absent or unreadable */
};

struct feed_item {
	char *title;       /* plain text (entities decoded, markup removed: RSS
	                      titles are read as HTML when they hold markup),
	                      whitespace-trimmed; "" when absent */
	char *link;        /* feedburner:origLink, else the item's link
	                      (alternate link for Atom and for atom:link in
	                      RSS), else a permalink guid (never one with
	                      isPermaLink other than "true"); resolved against
	                      the base (see `base`) when relative; may be NULL */
	char *guid;        /* guid / id / rdf:about; may be NULL */
	char *html;        /* the body as HTML: content:encoded, else description
	                      (Atom: content, else summary; text bodies escaped to
	                      HTML; xhtml serialised; base64 decoded), then the
	                      enclosures the body does not already show, as
	                      <audio>/<video> or a link (images: not added);
	                      "" when absent */
	char *base;        /* absolute base URL of the body: xml:base in effect,
	                      else the feed's self or alternate link, else the
	                      URL given to feed_parse_url; NULL when none is
	                      known (or none is absolute) */
	char *author;      /* dc:creator / author name; may be NULL */
	char *updated_raw; /* atom:updated or similar, as given; may be NULL */
	char **categories; /* ncategories strings */
	size_t ncategories;
	struct feed_enclosure *enclosures; /* nenclosures, in document order */
	size_t nenclosures;
	char *date_raw;    /* the date string as given (the feed's when
	                      date_source is FEED_DATE_FEED), or NULL when
	                      nothing has a date */
	int64_t date;      /* UTC seconds; valid only when has_date */
	int tzoff;         /* the date's UTC offset, minutes east (-0800: -480);
	                      0 when !has_tzoff */
	bool has_date;     /* false when absent or unreadable (see date_raw) */
	bool has_tzoff;    /* the date string named its zone */
	enum feed_date_source date_source; /* FEED_DATE_NONE iff !date_raw */
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
	char *repairs;    /* what was repaired in the bytes before parsing (a
	                     short sentence: "removed 1 control character
	                     (U+0008); replaced 2 HTML entities (&eacute;...)"),
	                     NULL when nothing was */
};

/* Parses data[0..len).  charset_hint is the HTTP Content-Type charset or
 * NULL.  Network access, entity substitution and DTD loading are off.
 * Recovered, not refused (see feed->repairs): C0 control characters XML
 * forbids (removed) and HTML 4 named entities XML does not define
 * (&eacute; -> &#233;; never one the document declares itself).
 * On success *out is a new feed (caller frees with feed_free).  Errors:
 * M2J_EPARSE (malformed XML, with line), M2J_ENOTFEED (HTML page, empty
 * body, other XML), M2J_ENOMEM. */
int feed_parse(const char *data, size_t len, const char *charset_hint,
               struct feed **out, struct m2j_err *err);
/* M2J_ELIMIT names the item (title, else guid) when one text is past
 * libxml2's 10 MB limit for a single text node. */
/* Like feed_parse, with doc_url (may be NULL) as the base URI of the
 * document: relative links with no xml:base resolve against it.  Pass the
 * HTTP Content-Location, else the final URL after redirects.  Also used
 * as the `base` of items when there is no xml:base. */
int feed_parse_url(const char *data, size_t len, const char *charset_hint,
                   const char *doc_url, struct feed **out, struct m2j_err *err);
void feed_free(struct feed *f);

/* What a run says of a feed cut at CAP_FEED_ITEMS (f->dropped items not
 * kept), written to out: the same words for import and sync. */
void feed_dropped_msg(const struct feed *f, char *out, size_t outsz);

/* How many documents this process parsed with their CDATA sections lifted
 * out of libxml2's way (see feed.c; for tests). */
unsigned long feed_lifted_count(void);

/* Turns the lifting off (or back on, the default): for the fuzzer's check
 * that lifting changes nothing. */
void feed_lift_enable(bool on);

#endif
