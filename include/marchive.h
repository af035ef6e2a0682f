/* marchive.h - the members of a zip archive, or the files under a folder,
 * read into memory one at a time.  Nothing is ever unpacked to disk.
 * (Not "archive.h": with -Iinclude that name would shadow libarchive's.)
 *
 * The zip is read with libarchive (zip format only, no filters).  A member
 * is refused (reported to the visitor with a reason, its bytes never read)
 * when its name is absolute, has a ".." component or a backslash, when it
 * is a symlink, a hard link, a device or anything but a regular file, when
 * it is encrypted, or when it is larger than CAP_ARCHIVE_MEMBER_SIZE
 * (checked against the declared size and again while decompressing, so a
 * zip bomb stops at the cap).  The walk stops with M2J_ELIMIT after
 * CAP_ARCHIVE_TOTAL_SIZE bytes decompressed or CAP_ARCHIVE_MEMBERS members.
 * A folder is walked without following symlinks (they are refused like
 * symlink members), at most CAP_ARCHIVE_DEPTH levels deep.
 */
#ifndef M2J_MARCHIVE_H
#define M2J_MARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct marchive_member {
	const char *name;    /* path inside the archive ("posts/x.html"); borrowed */
	const char *data;    /* its bytes, NUL-terminated; NULL when refused */
	size_t len;
	const char *refused; /* why the member was refused, or NULL */
};

/* Called for each member: first want(name) (may be NULL: all), and for a
 * wanted regular member, visit with its bytes; for a refused member visit
 * is always called, with data NULL and refused set.  Everything in the
 * member is borrowed for the call.  A non-zero return of visit stops the
 * walk and is returned by marchive_walk. */
struct marchive_visitor {
	bool (*want)(void *ctx, const char *name);
	int (*visit)(void *ctx, const struct marchive_member *m);
	void *ctx;
};

/* True when path is a folder (then marchive_walk walks it). */
bool marchive_is_folder(const char *path);

/* Walks the zip file or folder at path.  Returns 0 after the last member,
 * visit's non-zero return, or an M2J_E* code with err filled: M2J_EIO (cannot
 * open or read), M2J_EPARSE (not a zip, truncated or corrupt: members before
 * the damage have been visited), M2J_ELIMIT (total size or member count),
 * M2J_ENOMEM. */
int marchive_walk(const char *path, const struct marchive_visitor *v, struct m2j_err *err);

/* The check applied to member names: false (and *why set) when name is
 * empty, absolute ("/x", "C:x"), has a ".." component, a backslash, or a
 * control character. */
bool marchive_name_safe(const char *name, const char **why);

#endif
