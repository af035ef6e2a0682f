/* pipeline.h - one item's way from a feed to a post, the same for every
 * command (import, sync, import-archive): filters (response, member-only,
 * --since, --limit), identity (ident.h), presence and ownership, build,
 * images, write or replace; one outcome per item, reported through msg.
 *
 * The commands are loops around pipeline_run: they get items (a parsed
 * feed, an archive's posts), open the folders and the state, and count the
 * outcomes.  Nothing else decides what happens to an item.
 */
#ifndef M2J_PIPELINE_H
#define M2J_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "feed.h"
#include "post.h"
#include "state.h"
#include "store.h"

enum item_outcome {
	ITEM_WRITTEN,    /* a new post */
	ITEM_UPDATED,    /* our unedited post rewritten in place */
	ITEM_PRESENT,    /* already there (or another feed's: never touched) */
	ITEM_RESPONSE,   /* a Medium response, skipped */
	ITEM_PREVIEW,    /* a member-only preview, skipped (--member-only skip) */
	ITEM_FILTERED,   /* --since / --limit */
	ITEM_EDITED,     /* changed in the feed, but a person edited the post */
	ITEM_UNVERIFIED, /* changed in the feed; no record that the post is ours */
	ITEM_FAILED,     /* this item failed (named on stderr) */
	ITEM_NOSPACE,    /* not written: the disk is full */
	ITEM__COUNT
};

extern const char *const item_outcome_names[ITEM__COUNT];

struct pipe_stats {
	size_t n[ITEM__COUNT];
};

/* A post created by a run (for announcements and --json). */
struct pipe_new {
	char *path;      /* output/name */
	char *title, *link, *feed;
	const char *author; /* borrowed from the options */
	int64_t date;
};

struct pipe_created {
	struct pipe_new *v;
	size_t n, cap;
};
void pipe_created_release(struct pipe_created *c);

struct pipe_ctx {
	const char *label;         /* the source, in messages */
	const char *feed_id;       /* the owner recorded in the state (sync: the
	                              feed URL); NULL without a state */
	bool is_medium;            /* its links are Medium's */
	const struct post_opts *post;
	struct store *store;       /* where new posts go */
	struct store *also;        /* also looked in (the site's _posts/_drafts), or NULL */
	const char *output;        /* store's folder as named in messages */
	const char *base_name_cut; /* NULL, or drafts: the date prefix is cut */
	struct state *state;       /* sync; NULL for import / import-archive */
	const char *state_output;  /* the output folder as the state records it */
	struct images *images;     /* downloads, or NULL */
	bool include_responses, dry_run, drafts;
	bool force;                /* sync: rewrite even edited posts (never
	                              another feed's); import: rewrite posts whose
	                              text is still ours under other options */
	bool update;               /* sync: rewrite our unedited posts */
	bool has_since;
	int64_t since;             /* items dated before are filtered */
	size_t limit;              /* 0, or the newest N only */
	bool has_fallback_date;    /* a date for undated items: the feed's */
	int64_t fallback_date;     /* Last-Modified, else the time first seen */
	const char *fallback_from; /* where it came from, for -v */
	struct pipe_created *created; /* appended to, or NULL */
	/* Opens item i's source (its one parsed tree); NULL: post_src_open of
	 * its HTML.  The archive hands over the tree it built. */
	int (*open_src)(void *ctx, size_t i, const struct post_opts *o, struct post_src *src,
	                struct m2j_err *err);
	void *open_ctx;
};

/* Sets the date of undated items: the HTTP Last-Modified (may be NULL),
 * else now, the time first seen (a re-run finds the post by its identity,
 * so the name never moves). */
void pipeline_fallback_date(struct pipe_ctx *c, const char *last_modified);

/* Every item of items[0..n) through the pipeline; outcomes counted into
 * st.  0, or a code that stopped the source (out of memory); item failures
 * are outcomes, not errors. */
int pipeline_run(struct pipe_ctx *c, const struct feed_item *items, size_t n,
                 struct pipe_stats *st, struct m2j_err *err);

#endif
