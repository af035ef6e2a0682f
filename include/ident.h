/* ident.h - what makes two items one post, and whose a post is.  Pure.
 *
 * THE MODEL
 *
 * Every item, and every post read back from a folder, has one identity key,
 * computed by one function (ident_make) from what the post itself records,
 * so the lookup (is this item present?) and the record (the keys a new post
 * is indexed and remembered under) can never disagree:
 *
 *   M:<id>     its Medium post id: from a medium.com guid or link (any feed),
 *              or from the link of a Medium feed's item.  The same across
 *              feeds: a story cross-posted to a publication's feed is one
 *              post.  Medium posts record it in `original_link` (or
 *              `medium_id:`), so no extra front matter is written.
 *   G:<guid>   its guid (RSS guid, Atom id, rdf:about) when it is not Medium
 *              and differs from its link.  A URL guid is normalised like a
 *              link; another URI (tag:, urn:) is taken as it is; a bare guid
 *              ("42") is scoped by the host of the item's link.  Recorded in
 *              the post as `guid:`.  A guid survives a move to https and new
 *              permalinks; three podcast episodes sharing one link are three
 *              posts.
 *   L:<link>   its link, normalised (ident_link_norm), when it has no guid
 *              (or the guid is its link).
 *   G:urn:medium2jekyll:<hash>
 *              an item with neither a usable guid nor a usable link (after
 *              the URL policy: `javascript:`, `//host/x` are no links): a
 *              hash of its title and its date as the feed gave them
 *              (with neither: of its first enclosure's URL, else its
 *              body), recorded as `guid:` so the next run finds it again.
 *
 * The link used is the post's `original_link` as written (after the URL
 * policy), never the raw one.  A post whose key is G or M is also looked up
 * by its L key (`fallback`), which only posts without a guid are indexed
 * under: posts written before guids were recorded are found, and posts
 * that do record a guid never match another item by link.
 *
 * OWNERSHIP
 *
 * A post belongs to the feed that wrote it.  The sync state records that
 * feed per post (state_post.feed); only that feed may update the post.  An
 * item of another feed that claims the same key (a Medium id, a link with a
 * tracking query, the same link over http) finds the post *present*, never
 * an update.  `import` never updates a post it finds, so it cannot rewrite
 * another feed's post either.  A post found in the folder but not in the
 * state has an unknown owner: it is adopted only when its bytes are exactly
 * what this feed's item gives now; otherwise it is left alone, and said so.
 */
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

/* Appends url (as the front matter writes it: url_serialize'd) with the
 * fragment, and the `source` and `utm_*` query parameters, removed; scheme
 * and host lowercased; http:// read as https://. */
int ident_link_norm(const char *url, struct buf *out);

/* What an identity is computed from. */
struct ident_src {
	const char *medium_id; /* a Medium id already known (the post's
	                          medium_id:, the archive's), or NULL */
	bool medium_links;     /* links are Medium's (a Medium feed, a post
	                          read back): any host's "-<id>" counts */
	const char *guid;      /* the item's guid, or the post's guid: */
	const char *link;      /* original_link as written (post_link; url_serialize'd),
	                          or NULL */
	const char *title;     /* items only: for the synthesised guid */
	const char *date_raw;  /* items only: for the synthesised guid */
	const char *body;      /* items only: what else the synthesised guid
	                          takes when title and date are both empty (the
	                          first enclosure's URL, else the body), so two
	                          such items are not one */
	bool synthesise;       /* items: make a guid when there is no key */
};

struct ident {
	char medium_id[13];  /* "" when not Medium */
	char *guid;          /* what the post records as `guid:`, or NULL */
	char *key;           /* "M:…", "G:…" or "L:…"; NULL when none */
	char *fallback;      /* "L:…" also looked up when key is M or G, or NULL */
};

/* Computes the identity.  0, or -1 on out of memory (id then released). */
int ident_make(const struct ident_src *src, struct ident *id);
void ident_release(struct ident *id);

#endif
