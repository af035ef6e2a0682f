/* cmd_convert.h - `medium2jekyll convert [FILE]` and
 * `medium2jekyll convert --batch IN_DIR OUT_DIR`.
 *
 * The first converts one HTML document (FILE, or stdin) and writes the
 * Markdown body to stdout; the second converts every IN_DIR/NAME.html to
 * OUT_DIR/NAME.md in one process.  argv[0] is "convert".
 */
#ifndef M2J_CMD_CONVERT_H
#define M2J_CMD_CONVERT_H

#include "err.h"
#include "html2md.h"

/* Its --help, in parts (cli_help). */
extern const char *const cmd_convert_help[];

/* Returns 0 when everything converted, 1 when some file failed (err holds
 * the last failure), 2 on a usage error. */
int cmd_convert(int argc, char **argv, const struct html2md_opts *o,
                struct m2j_err *err);

#endif
