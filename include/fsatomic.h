/* fsatomic.h - the file-system steps every writer shares (posts in store.c,
 * images in images.c): creating a folder and its parents, writing a whole
 * file under a temporary name in its folder (".m2j-<pid>-<n>.tmp", never
 * through a symlink), and removing the temporary files of runs that died.
 * The caller then links or renames the temporary file into place. */
#ifndef M2J_FSATOMIC_H
#define M2J_FSATOMIC_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Room for a temporary file name. */
#define FSATOMIC_TMP_NAME 64

/* mkdir -p dir.  M2J_EUSAGE for an empty or too long name, M2J_EIO. */
int fsatomic_mkdirs(const char *dir, struct m2j_err *err);

/* True for a temporary file of ours whose writer is gone (or whose name
 * names no process). */
bool fsatomic_stale_tmp(const char *name);

/* Removes the stale temporary files of the folder dirfd. */
void fsatomic_clean_stale(int dirfd);

/* Writes data[0..len) to a new temporary file in dirfd (named dir in
 * messages), fsync'd unless batch; *tmp gets its name.  On failure nothing
 * is left behind: M2J_ENOSPACE for a full disk or quota, else M2J_EIO. */
int fsatomic_write_tmp(int dirfd, const char *dir, const void *data, size_t len, bool batch,
                       char tmp[FSATOMIC_TMP_NAME], struct m2j_err *err);

/* Says whether name is taken by something other than a file (a post the
 * store knows of); arg is the caller's. */
typedef bool (*fsatomic_taken_fn)(const char *name, void *arg);

/* Gives the temporary file tmp of dirfd (named dir in messages) the first
 * free name of stem.ext, stem-2.ext, ... stem-MAX.ext, written to out
 * (outsz bytes): free when taken (may be NULL) says no and nothing in the
 * folder has it, not even a dangling symlink (link() never replaces).
 * With tmp NULL only finds the name (a dry run).  tmp stays for the
 * caller to remove.  M2J_EEXIST when every name is taken, M2J_ELIMIT when
 * one does not fit out, M2J_EIO. */
int fsatomic_link_free(int dirfd, const char *dir, const char *tmp, const char *stem,
                       const char *ext, int max, fsatomic_taken_fn taken, void *arg,
                       char *out, size_t outsz, struct m2j_err *err);

#endif
