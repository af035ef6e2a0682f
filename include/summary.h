/* summary.h - the one line that ends every import, import-archive and
 * sync run: what was written, updated, already present, skipped (by
 * reason) and failed, or "nothing new".  Printed through
 * msg_progress_final: on a terminal or with -v, never with -q. */
#ifndef M2J_SUMMARY_H
#define M2J_SUMMARY_H

#include <stdbool.h>

#include "import.h"
#include "sync.h"

/* cmd names the command ("import", "import-archive"). */
void summary_import(const char *cmd, const struct import_stats *s, bool dry_run);
void summary_sync(const struct sync_stats *s, bool dry_run);

#endif
