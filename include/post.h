/* post.h - one feed item -> the text of its Jekyll post (front matter and
 * Markdown body) and its file name.  Touches no file. */
#ifndef M2J_POST_H
#define M2J_POST_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "caps.h"
#include "err.h"
#include "feed.h"
#include "html2md.h"
#include "ident.h"
#include "htmldoc.h"
#include "images.h"

/* Optional item fields (--fields). */
enum {
	POST_F_IMAGE = 1,       /* image: the first image */
	POST_F_DESCRIPTION = 2, /* description: first paragraph, plain, <= 200 chars */
	POST_F_MEDIUM_ID = 4,   /* medium_id: the Medium post id */
	POST_F_UPDATED = 8      /* updated: atom:updated, as the date is written */
};

enum post_member_only { POST_MEMBER_STUB, POST_MEMBER_SKIP };

struct post_kv {
	const char *key, *value;
};

struct post_opts {
	const char *layout;        /* "post-external" by default */
	const char *author;        /* may be NULL: no author key */
	bool tags;                 /* tags: the item's categories, as Medium shows them */
	bool canonical;            /* canonical_url: the original link */
	bool clean;                /* drop the tracking pixel, the "originally
	                              published" footer, ?source= queries */
	unsigned fields;           /* POST_F_* */
	const struct post_kv *extra; /* --field KEY=VALUE, in order */
	size_t nextra;
	const char *const *static_tags; /* --tag NAME (repeatable), in order */
	size_t nstatic_tags;
	enum post_member_only member_only;
	struct html2md_opts conv;
};

/* The keys we write ourselves, in order; --field may not use them. */
extern const char *const post_keys[];

struct post {
	char base[CAP_NAME_LEN_BASE]; /* "YYYY-MM-DD-slug", without ".md" */
	struct buf text;           /* front matter + body */
};

/* A label for messages: the item's title, else its guid, else its link
 * (borrowed; never NULL). */
const char *post_item_label(const struct feed_item *it);

/* Removes the tracking queries (Medium's `source=...`, everyone's
 * `utm_*=...`) from a URL: a new string (caller frees), NULL on OOM. */
char *post_clean_url(const char *url);

/* The item's original_link as the post writes it: its link (feed.c took
 * a permalink guid already), under the URL policy (unsafe: none, reported
 * through o->conv.report), with --clean's tracking queries removed.  *link
 * gets a new string or NULL (caller frees).  0 or M2J_ENOMEM. */
int post_link(const struct feed_item *it, const struct post_opts *o, char **link,
              struct m2j_err *err);

/* ---- the item pipeline (issue 13): one parse per item ----
 *
 * post_src_open parses the item's HTML once (htmldoc.h) and, with
 * o->clean, removes the platforms' furniture from that tree: Medium's
 * tracking pixel and "originally published" footer (with the rule before
 * it), WordPress's "The post ... appeared first on ..." line, Substack's
 * share, comment and subscribe buttons and subscription widgets.  Every
 * later step reads the same tree, in this order per item:
 *   post_src_is_response, post_src_is_preview   (skip decisions)
 *   post_src_collect_images                     (then one images_fetch)
 *   post_build                                  (first image, summary, body)
 *   post_src_close
 * The item is borrowed and must outlive the source; is_medium says its
 * links are Medium's (a Medium feed, the export archive).  A source
 * that failed to open needs no close (closing it anyway is harmless). */
struct post_src {
	bool is_medium;
	const struct feed_item *it;
	struct htmldoc doc;        /* owned */
};

/* 0, M2J_ENOMEM or M2J_ELIMIT (HTML over INT_MAX bytes). */
int post_src_open(bool is_medium, const struct feed_item *it, const struct post_opts *o,
                  struct post_src *src, struct m2j_err *err);
/* The same with a tree built elsewhere (the archive reader's): takes
 * ownership of doc (freed by post_src_close, or here on failure). */
int post_src_from_doc(bool is_medium, const struct feed_item *it,
                      const struct post_opts *o, htmlDocPtr doc, struct post_src *src,
                      struct m2j_err *err);
void post_src_close(struct post_src *src);

/* Whether the item is a Medium response (a comment): a Medium feed's item
 * with no category whose title is the start of its own text.  0, or
 * M2J_ENOMEM (then *response is false and must not be used). */
int post_src_is_response(struct post_src *src, bool *response, struct m2j_err *err);

/* A Medium member-only preview: the feed carries only a snippet ending in
 * "Continue reading on ..." (a medium-feed-item with a medium-feed-link). */
bool post_src_is_preview(struct post_src *src);

/* Registers the images the post will show (images_collect_doc), resolved
 * against the item's xml:base, else its link. */
int post_src_collect_images(struct post_src *src, struct images *im, struct m2j_err *err);

/* Builds the post of the source's item, whose identity (ident.h) and
 * original_link (post_link) the caller computed: id->guid is written as
 * `guid:`, a Medium id names an untitled post.  M2J_EDATE when the item
 * has no usable date.  Caller releases p with post_release. */
int post_build(struct post_src *src, const struct ident *id, const char *link,
               const struct post_opts *o, struct post *p, struct m2j_err *err);
void post_release(struct post *p);

#endif
