/* json.h - tiny JSON writer helpers for --json summaries. */
#ifndef M2J_JSON_H
#define M2J_JSON_H

#include "buf.h"

/* Appends s as a JSON string (quoted, escaped; NULL gives null). */
int json_str(struct buf *b, const char *s);

#endif
