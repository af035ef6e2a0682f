/* store.h - the output folder of posts: what is already there, and atomic
 * writes that never overwrite another item's post or go through a symlink.
 * The only module that writes post files.
 *
 * Presence is decided from the posts themselves (their front matter: the
 * identity of ident.h, from `original_link`, `medium_id` and `guid`), so it
 * survives a fresh clone of the site.  Only the front matter is read, so a
 * post of any size is indexed.
 *
 * One writer per folder: store_open takes an exclusive flock(2) on the
 * folder itself (not on a file beside it, which could be deleted from under
 * a run), held until store_close.  Every command that writes posts opens
 * its folders through here, so import, sync and import-archive exclude each
 * other whatever config or state file they use.
 */
#ifndef M2J_STORE_H
#define M2J_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "ident.h"
#include "strmap.h"

struct store_post {
	char *name;      /* path relative to the folder */
};

struct store {
	char *dir;       /* as given */
	char *real;      /* its real path (NULL in a dry run of a missing folder) */
	int dirfd;       /* -1 when the folder does not exist (dry run) */
	bool indexed;
	struct store_post *posts;
	size_t nposts, capposts;
	struct strmap keys;  /* identity keys (ident.h) -> index in posts */
	struct strmap names; /* file name -> index in posts */
	size_t unreadable;   /* posts whose front matter could not be read */
	struct m2j_err index_err; /* why indexing failed (code 0: it did not);
	                             every later lookup or add fails with it */
	bool batch;          /* defer durability to store_flush */
	bool dirty;          /* written since the last flush */
};

enum {
	STORE_DRY_RUN = 1, /* create, lock and clean nothing */
	STORE_WAIT = 2     /* wait for another writer's lock instead of M2J_ELOCKED */
};

/* Opens dir (flags: STORE_*), creating it (and its parents) and taking its
 * lock unless STORE_DRY_RUN; M2J_ELOCKED when another run holds the lock.
 * Stale temporary files of dead runs are removed at once.  Caller frees
 * with store_close. */
int store_open(const char *dir, unsigned flags, struct store **out, struct m2j_err *err);
void store_close(struct store *s);

/* Batch mode: posts are still written whole and linked into place
 * atomically, but not fsync'd one by one; store_flush makes everything
 * written so far durable at once (one filesystem sync instead of two
 * fsyncs per post: a cold sync of 10,000 posts is otherwise bound by the
 * disk's flush latency). */
void store_set_batch(struct store *s, bool on);
int store_flush(struct store *s, struct m2j_err *err);

/* The post already holding the item of this identity (its key, else its
 * fallback), or NULL.  Borrowed. The folder is indexed on first use. */
const char *store_find(struct store *s, const struct ident *id, struct m2j_err *err);

/* Writes text as a new post named "<base>.md", or "<base>-2.md",
 * "<base>-3.md"... when the name is taken; never replaces a file.  The post
 * is registered under its keys.  *name gets the chosen name (borrowed). With
 * dry_run nothing is written, but the name is chosen and registered. */
int store_add(struct store *s, const char *base, const struct ident *id,
              const char *text, size_t len, bool dry_run,
              const char **name, struct m2j_err *err);

/* Replaces the existing post `name` atomically with text. */
int store_replace(struct store *s, const char *name, const char *text, size_t len,
                  struct m2j_err *err);

/* Reads the post `name` into out (capped at CAP_POST_READ). */
int store_read(struct store *s, const char *name, struct buf *out, struct m2j_err *err);

#endif
