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

/* Whether an item is a Medium response (a comment): a Medium feed's item
 * with no category whose title is the start of its own text.  0, or an
 * error (out of memory: then *response is false and must not be used). */
int post_is_response(bool is_medium, const struct feed_item *it, bool *response,
                     struct m2j_err *err);

/* A Medium member-only preview: the feed carries only a snippet ending in
 * "Continue reading on ...". */
bool post_is_preview(const struct feed_item *it);

/* Removes Medium's tracking query (`source=...`) from a URL: a new string
 * (caller frees), NULL on OOM. */
char *post_clean_url(const char *url);

/* The item's original_link as the post writes it: its link (else a URL
 * guid that is a permalink), under the URL policy (unsafe: none, reported
 * through o->conv.report), with --clean's tracking query removed.  *link
 * gets a new string or NULL (caller frees).  0 or M2J_ENOMEM. */
int post_link(const struct feed_item *it, const struct post_opts *o, char **link,
              struct m2j_err *err);

/* Builds the post of an item whose identity (ident.h) and original_link
 * (post_link) the caller computed: id->guid is written as `guid:`, and a
 * Medium id names an untitled post.  M2J_EDATE when the item has no usable
 * date.  Caller releases p with post_release. */
int post_build(const struct feed_item *it, const struct ident *id, const char *link,
               const struct post_opts *o, struct post *p, struct m2j_err *err);
void post_release(struct post *p);

#endif
