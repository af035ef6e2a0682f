/* sync.h - the `sync` command: every feed of a config, fetched at once,
 * conditional requests, posts updated only while nobody edited them, one
 * state file.  Reports through msg; never exits. */
#ifndef M2J_SYNC_H
#define M2J_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct sync_opts {
	const char *config_path;  /* "medium2jekyll.yml" */
	bool check;               /* validate the config and stop */
	bool dry_run;             /* fetch and report; write neither posts nor state */
	bool force;               /* rewrite even edited posts */
	bool no_update;           /* never rewrite */
	bool json;                /* machine-readable summary on stdout */
	bool wait_lock;           /* wait for another writer instead of exit 3 */
};

struct sync_stats {
	size_t feeds, failed, reported_failed, not_modified;
	size_t written, updated, present, edited, responses, item_errors;
};

/* M2J_EUSAGE: the config is wrong (nothing fetched); M2J_ELOCKED: another
 * sync holds the lock; other codes: the run could not complete (state not
 * writable...).  Feed failures are counted in stats, not returned. */
int sync_run(const struct sync_opts *o, struct sync_stats *stats, struct m2j_err *err);

#endif
