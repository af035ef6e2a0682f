/* announce.h - one small text file per new post, for the jobs that post to
 * social channels one at a time (config key announce:).
 *
 * Written after the run's posts and state are on disk, so a post is
 * announced at most once: a run killed before its announcements loses them
 * (never a second announcement of one post; a rerun finds the post present
 * and announces nothing).  Each file is created whole under a temporary
 * name and linked into place, never over another file.
 */
#ifndef M2J_ANNOUNCE_H
#define M2J_ANNOUNCE_H

#include "config.h"
#include "err.h"
#include "pipeline.h"

/* Writes the announcement of pn into dir from template: DIR/<epoch of the
 * post date>-<author, else the feed's host>.txt, "-2", "-3"... when taken.
 * {title} {link} {author} {date} {feed} {path} are replaced (control
 * characters in values become spaces); "{{" is a literal "{".  *name gets
 * the file name written (caller frees), may be NULL. */
int announce_write(const struct config_announce *a, const struct pipe_new *pn, char **name,
                   struct m2j_err *err);

/* Expands template for pn into out (exposed for tests). */
int announce_render(const char *template, const struct pipe_new *pn, struct buf *out);

#endif
