/* cmd_archive.h - `medium2jekyll import-archive ARCHIVE [options]`: every
 * post of Medium's export archive (the .zip, or the folder it unpacks to)
 * written as a Jekyll post through post_build and store_add, exactly as
 * `import` writes feed items, so a post already imported from the feed (same
 * Medium post id) is not written again, and the reverse.  Drafts go to
 * --drafts DIR as Jekyll drafts (DIR/slug.md, no date in the name);
 * responses are skipped unless --include-responses.  argv[0] is
 * "import-archive".
 */
#ifndef M2J_CMD_ARCHIVE_H
#define M2J_CMD_ARCHIVE_H

#include "err.h"

/* Its --help, in parts (cli_help). */
extern const char *const cmd_archive_help[];

/* Returns 0 when every post was written or already present, 1 when some
 * member or post failed or was refused (each reported through msg; err
 * holds a failure that stopped the run, else is empty), 2 on a usage error
 * (err holds it). */
int cmd_archive(int argc, char **argv, struct m2j_err *err);

#endif
