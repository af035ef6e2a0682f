/* ident.h - what makes two posts the same: Medium post ids and links with
 * tracking parameters removed.  Pure. */
#ifndef M2J_IDENT_H
#define M2J_IDENT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Finds a Medium post id (10 to 12 lowercase hex digits) in url: the last
 * path segment of https://medium.com/p/<id>, or the "-<id>" ending the last
 * path segment of a story link.  With strict, only medium.com hosts and
 * their subdomains qualify.  Writes it to id (13 bytes) and returns true. */
bool ident_medium_id(const char *url, bool strict, char id[13]);

/* Appends url with the fragment, and the `source` and `utm_*` query
 * parameters, removed; scheme and host lowercased. */
int ident_link_norm(const char *url, struct buf *out);

#endif
