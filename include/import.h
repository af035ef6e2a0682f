/* import.h - the `import` pipeline: sources -> feeds -> posts in a folder.
 * Reports through msg; never exits. */
#ifndef M2J_IMPORT_H
#define M2J_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "feed.h"
#include "pipeline.h"
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
	long image_budget;         /* --image-budget, 0 = default (images.h) */
	struct images *images;     /* the downloader, while a run lasts */
	bool force;                /* rewrite posts still ours under other options */
	bool has_since;
	int64_t since;             /* --since: items dated before are skipped */
	size_t limit;              /* --limit: the newest N items of each source */
	bool drafts;               /* --drafts: into the site's _drafts/ */
	bool wait_lock;            /* --wait: wait for another writer of the folder */
	struct post_opts post;
};

struct import_stats {
	size_t sources, sources_failed, sources_cut;
	size_t written, updated, present, responses, previews, filtered, edited, failed;
	struct pipe_stats items;   /* every outcome */
	size_t drafts_skipped;     /* import-archive: drafts without --drafts DIR */
};

/* What a source said besides its body. */
struct import_src {
	char *charset;       /* the HTTP charset, or NULL */
	char *url;           /* the URL fetched (after redirects), or NULL */
	char *last_modified; /* the HTTP Last-Modified, or NULL */
};
void import_src_release(struct import_src *m);

void import_opts_default(struct import_opts *o);

struct images;
/* Creates o->images when o->images_dir is set (the run frees it with
 * images_free). */
int import_images_open(struct import_opts *o, struct m2j_err *err);

/* Reads a source into body: "-" (stdin), a local path, a file:// or
 * http(s):// URL, or "@user" (that user's Medium feed).  meta gets what
 * the server said (caller releases it, also on failure). */
int import_load(const char *source, const struct import_opts *o, struct buf *body,
                struct import_src *meta, struct m2j_err *err);

/* Adds one pipeline run's outcomes to the command's counters. */
void import_stats_add(struct import_stats *s, const struct pipe_stats *p);

/* The whole command over sources.  Returns 0, or the code of a failure
 * that stopped everything (the output folder cannot be opened). */
int import_run(char *const *sources, size_t n, const struct import_opts *o,
               struct import_stats *stats, struct m2j_err *err);

#endif
