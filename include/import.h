/* import.h - the `import` pipeline: sources -> feeds -> posts in a folder.
 * Reports through msg; never exits. */
#ifndef M2J_IMPORT_H
#define M2J_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "feed.h"
#include "post.h"
#include "store.h"

struct import_opts {
	const char *output;        /* "_posts" */
	bool include_responses;
	bool dry_run;
	long timeout, connect_timeout;
	size_t max_size;
	const char *user_agent;    /* NULL: the default */
	bool json;                 /* a summary on stdout */
	const char *images_dir;    /* --download-images, or NULL */
	const char *images_url;    /* --images-url, or NULL */
	struct images *images;     /* the downloader, while a run lasts */
	bool force;                /* --force: rewrite posts still as we wrote them */
	bool has_since;            /* --since given */
	int64_t since;             /* --since: items older than this (Unix time) are skipped */
	size_t limit;              /* --limit N: the newest N items; 0: all */
	bool drafts;               /* --drafts: write into the site's _drafts/ */
	struct post_opts post;
};

struct import_stats {
	size_t sources, sources_failed;
	size_t written, present, responses, previews, failed;
	size_t drafts_skipped;     /* import-archive: drafts without --drafts DIR */
};

void import_opts_default(struct import_opts *o);

struct images;
/* Creates o->images when o->images_dir is set (the run frees it with
 * images_free). */
int import_images_open(struct import_opts *o, struct m2j_err *err);

/* Reads a source into body: "-" (stdin), a local path, a file:// or
 * http(s):// URL, or "@user" (that user's Medium feed).  *charset gets the
 * HTTP charset or NULL (caller frees).  *url (may be NULL) gets the URL
 * fetched, for messages (caller frees). */
int import_load(const char *source, const struct import_opts *o, struct buf *body,
                char **charset, struct m2j_err *err);

/* Writes the posts of a parsed feed into st; counts into stats and reports
 * each failed item.  label names the feed in messages. */
void import_items(const struct feed *f, const char *label, const struct import_opts *o,
                  struct store *st, struct import_stats *stats);

/* The whole command over sources.  Returns 0, or the code of a failure
 * that stopped everything (the output folder cannot be opened). */
int import_run(char *const *sources, size_t n, const struct import_opts *o,
               struct import_stats *stats, struct m2j_err *err);

#endif
