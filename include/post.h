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

struct post_opts {
	const char *layout;        /* "post-external" by default */
	const char *author;        /* may be NULL: no author key */
	struct html2md_opts conv;
};

struct post {
	char base[CAP_NAME_LEN_BASE]; /* "YYYY-MM-DD-slug", without ".md" */
	char medium_id[13];        /* "" when not a Medium post */
	const char *link;          /* borrowed from the item: original_link */
	struct buf text;           /* front matter + body */
};

/* A label for messages: the item's title, else its guid, else its link
 * (borrowed; never NULL). */
const char *post_item_label(const struct feed_item *it);

/* A Medium response (a comment): a Medium feed's item with no category
 * whose title is the start of its own text. */
bool post_is_response(const struct feed *f, const struct feed_item *it);

/* The Medium post id of an item (from its guid, else its link), or false. */
bool post_medium_id(const struct feed *f, const struct feed_item *it, char id[13]);

/* Builds the post of an item.  M2J_EDATE when the item has no usable date.
 * Caller releases p with post_release. */
int post_build(const struct feed *f, const struct feed_item *it,
               const struct post_opts *o, struct post *p, struct m2j_err *err);
void post_release(struct post *p);

#endif
