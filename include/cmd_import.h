/* cmd_import.h - `medium2jekyll import SOURCE... [options]`: its options
 * and help; the pipeline itself is import.h.  argv[0] is "import". */
#ifndef M2J_CMD_IMPORT_H
#define M2J_CMD_IMPORT_H

#include "err.h"

/* Its --help, in parts (cli_help). */
extern const char *const cmd_import_help[];

/* Returns a cli_status: CLI_OK when every item was written or already
 * present, CLI_FAILED when some source or item failed (each reported
 * through msg; err holds a failure that stopped the run, else is empty),
 * CLI_USAGE on a usage error (err holds it). */
int cmd_import(int argc, char **argv, struct m2j_err *err);

#endif
