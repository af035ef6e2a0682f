/* cmd_sync.h - `medium2jekyll sync [options]`: its options and help; the
 * run itself is sync.h.  argv[0] is "sync". */
#ifndef M2J_CMD_SYNC_H
#define M2J_CMD_SYNC_H

#include "err.h"

/* Its --help, in parts (cli_help). */
extern const char *const cmd_sync_help[];

/* Returns a cli_status: CLI_OK, CLI_FAILED (some feed failed; each named
 * through msg), CLI_USAGE (bad option or config, nothing fetched; err
 * says why), CLI_LOCKED (another sync runs). */
int cmd_sync(int argc, char **argv, struct m2j_err *err);

#endif
