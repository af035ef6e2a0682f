/* cmd_status.h - `medium2jekyll status [-c FILE] [--json]`: the health of
 * every feed of the config, read from the state file `sync` keeps: one line
 * per feed (in the config's order) with its state (ok, failing, FAILING
 * once it has failed failures_before_report runs in a row, i.e. when sync
 * reports it; never fetched), last success, consecutive failures, last
 * error, which validators (ETag, Last-Modified) the next request will send,
 * and the posts the state records in the feed's output folder.  Feed URLs
 * and errors are printed with control characters escaped (\xNN).  Reads
 * only; never fetches, never takes the sync lock.  argv[0] is "status".
 */
#ifndef M2J_CMD_STATUS_H
#define M2J_CMD_STATUS_H

#include "err.h"

/* 0 no feed is FAILING; 1 some feed is (or the state cannot be read: err
 * holds it); 2 usage error, or no valid config (err holds it). */
int cmd_status(int argc, char **argv, struct m2j_err *err);

#endif
