/* state.h - the `sync` state file: what each feed answered last time and
 * which posts we wrote.
 *
 * One human-readable YAML file with a stable order (feeds sorted by URL,
 * posts sorted by key, fields in a fixed order, NULL fields left out) so it
 * diffs cleanly when a site commits it.  It is read with libyaml's parser
 * and written with libyaml's emitter, atomically: "<path>.tmp" in the same
 * folder, write, fsync, rename, fsync of the folder.  A killed run leaves
 * either the old or the new file, never a half-written one; a stale
 * "<path>.tmp" left by a killed run is replaced by the next save.  One
 * writer at a time: the caller holds the sync lock.
 *
 * Lookups by feed URL and post key are O(1) (a private hash index).
 *
 * Ownership: state_load hands the caller a struct state it frees with
 * state_free; the state owns every string in it.  Pointers returned by
 * state_feed_get/state_post_get point INTO s->feeds / s->posts: they stay
 * valid until the next call that creates an entry of the same kind (which
 * may move the array) or state_free.  Call state_reserve first to keep
 * them valid while creating up to that many entries.
 */
#ifndef M2J_STATE_H
#define M2J_STATE_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

#define STATE_VERSION 1

struct state_feed {
	char *url;
	char *etag, *last_modified; /* validators, may be NULL */
	char *body_hash;            /* hex hash of the last parsed body, may be NULL */
	char *last_success;         /* "YYYY-MM-DDTHH:MM:SSZ" or NULL */
	int failures;               /* consecutive failures */
	char *last_error;           /* may be NULL */
};

struct state_post {
	char *key;       /* the item's identity, opaque here (ident.h) */
	char *feed;      /* the feed that wrote it and alone may update it; ""
	                    when not known (found in the folder, not ours for
	                    sure); NULL in states written before owners were */
	char *guid;      /* may be NULL */
	char *file;      /* file name in its output folder */
	char *output;    /* the output folder it was written to */
	char *hash;      /* hex hash of the exact bytes we wrote */
	char *item_hash; /* hex hash of the item as it was in the feed, may be NULL */
};

struct state_index; /* private */

struct state {
	struct state_feed *feeds;
	size_t nfeeds, capfeeds;
	struct state_post *posts;
	size_t nposts, capposts;
	struct state_index *feed_index, *post_index; /* private */
};

/* A new empty state (caller frees with state_free); NULL on OOM. */
struct state *state_new(void);

/* Reads the state file.  A missing file (ENOENT) is an empty state, not an
 * error.  An unreadable file is M2J_EIO; a corrupt one (bad YAML, wrong
 * structure, a newer version) is M2J_EPARSE with "FILE:LINE:COLUMN: ...";
 * a file over CAP_STATE_SIZE is M2J_ELIMIT; a path that is not a regular
 * file, or a state of a newer version, is M2J_EUNSAFE (never to be
 * overwritten).  Unknown keys are ignored (a
 * newer writer may add some).  *out is untouched on failure; caller frees
 * with state_free. */
int state_load(const char *path, struct state **out, struct m2j_err *err);

/* Writes s atomically to path (see above).  Entries without url/key are
 * skipped.  Strings that are not valid UTF-8 are saved with U+FFFD in place
 * of the bad bytes.  The file mode is kept when the file exists, else 0644
 * (less the umask).  When the file already holds exactly these bytes it is
 * left alone (same inode and mtime) and only a stale temp file is removed. */
int state_save(const struct state *s, const char *path, struct m2j_err *err);

/* Accepts NULL. */
void state_free(struct state *s);

/* Makes room so that creating up to nfeeds feeds / nposts posts more moves
 * neither array.  -1 on OOM. */
int state_reserve(struct state *s, size_t nfeeds, size_t nposts);

/* The entry for url / key, or NULL when absent and !create.  With create,
 * a new entry has only url / key set (failures 0).  NULL on OOM.  Borrowed;
 * see the ownership note above. */
struct state_feed *state_feed_get(struct state *s, const char *url, bool create);
struct state_post *state_post_get(struct state *s, const char *key, bool create);

/* Replaces a string field with a copy of value (NULL clears it).  0, or -1
 * on OOM (the field is then unchanged). */
int state_set(char **field, const char *value);

/* FNV-1a 64 of data as 16 lower-case hex digits; caller frees with free().
 * NULL on OOM.  Not cryptographic. */
char *state_hash_hex(const void *data, size_t len);

#endif
