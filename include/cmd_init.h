/* cmd_init.h - `medium2jekyll init [DIR] [--from FILE [--output DIR]...]...`:
 * prepares the Jekyll site DIR belongs to (the nearest folder at or above
 * DIR, default ".", holding _config.yml) for `sync`:
 *
 *  1. writes a commented medium2jekyll.yml at the site root, never over an
 *     existing one; with --from, its feeds are those of the pluto/planet
 *     INI, OPML or TSV files given (migrate.h), each file's feeds with its
 *     own --output folder, --format, --author-attr and --no-author (the
 *     options after a --from apply to it); the text is checked with
 *     config_parse before it is written;
 *  2. adds _layouts/post-external.html when neither the site nor its theme
 *     has that layout: it extends the site's `post` layout (else `default`)
 *     and links the original (`page.original_link | escape`);
 *  3. adds medium2jekyll.yml, the state file and its lock to _config.yml's
 *     `exclude:`, by a line edit checked by parsing the result again (a
 *     new item after the last one of a block list, or a new `exclude:`
 *     key at the end listing Jekyll's default excludes too); when neither
 *     is safe (a flow list, a scalar, several documents...) it prints the
 *     lines to add instead.
 *
 * New files are written to a temporary file and linked into place (never
 * over a file); _config.yml is replaced by rename, keeping its mode.
 * argv[0] is "init".
 */
#ifndef M2J_CMD_INIT_H
#define M2J_CMD_INIT_H

#include "err.h"

/* 0 done; 1 something failed (err holds it, or it was reported through
 * msg); 2 usage error or no Jekyll site (err holds it). */
int cmd_init(int argc, char **argv, struct m2j_err *err);

#endif
