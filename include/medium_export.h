/* medium_export.h - one post file of Medium's export archive ("Download
 * your information": posts/YYYY-MM-DD_Slug-<id>.html, posts/draft_Slug-<id>.html)
 * -> a feed item, so that post_build writes it exactly as a feed post.
 *
 * Read from the file: the title (h1.p-name), the subtitle
 * (section[data-field=subtitle]), the body (section[data-field=body]), the
 * publication date (time.dt-published, UTC), the canonical link
 * (a.p-canonical), the author's display name (a.p-author), the export date
 * (footer), and the post id (file name, else the footer's medium.com/p/ link).
 *
 * The body is rewritten into a tree of plain HTML that html2md renders
 * well, handed over to the post pipeline without being written out and
 * parsed again: the
 * duplicate title graf dropped, the section divider before the first
 * section dropped (later ones become <hr>), code grafs -> <pre><code
 * class="language-X">, figures -> <figure><img><figcaption>, image rows ->
 * one paragraph of images, link cards -> a link with the card's title, gist
 * scripts -> a link to the gist, iframes kept, drop caps unwrapped, empty
 * grafs dropped, Medium's classes and data attributes removed.
 */
#ifndef M2J_MEDIUM_EXPORT_H
#define M2J_MEDIUM_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "feed.h"
#include "htmldoc.h"
#include "post.h"

struct medium_export_post {
	struct feed_item item; /* title, link (canonical, else medium.com/p/<id>),
	                          guid "https://medium.com/p/<id>", html (rewritten
	                          body), author (display name or NULL), date */
	char id[13];           /* the Medium post id */
	char *subtitle;        /* NULL when the file has none */
	htmlDocPtr body;       /* the rewritten body as a tree (owned; NULL when
	                          the file has no body section); item.html is "" */
	bool draft;            /* a draft_ file (footer without author and date) */
	bool response;         /* looks like a response (see medium_export_parse) */
	bool has_title_graf;   /* the body opened with the title (dropped) */
	int64_t exported;      /* export date (UTC midnight); valid when has_exported */
	bool has_exported;
};

/* Is base (a file name without folders) the name of an exported post?
 * "YYYY-MM-DD_<slug>-<id>.html" or "draft_<slug>-<id>.html" with a 10 to
 * 12 hex digit id.  *draft and id (13 bytes) are set when true. */
bool medium_export_name(const char *base, bool *draft, char id[13]);

/* Parses one exported file.  name is its file name (for the id and draft
 * flag; may be NULL: then the footer decides).  A draft gets the export
 * date as its date (has_date), since drafts carry no other.
 * `response` is set for a published post with no subtitle section, no
 * title graf, and a body whose text starts with the title (Medium titles a
 * response with its opening words).
 * M2J_ENOTFEED when html is not a Medium post file (no h-entry article or
 * no h1.p-name), M2J_EDATE when a published post has no readable date,
 * M2J_ENOMEM.  On success the caller releases p with medium_export_release. */
int medium_export_parse(const char *name, const char *html, size_t len,
                        struct medium_export_post *p, struct m2j_err *err);
void medium_export_release(struct medium_export_post *p);

/* The post source (post.h) of a parsed export post: its rewritten body as
 * a tree, handed over to src (f and p must outlive src).  On failure src
 * is still safe to close. */
int medium_export_src(struct medium_export_post *p, const struct post_opts *o,
                      struct post_src *src, struct m2j_err *err);

/* Rewrites a body section's HTML (the inside of section[data-field=body],
 * or any fragment of grafs) into a tree of plain HTML, as
 * medium_export_parse does.  title (may be NULL) is used to spot the
 * duplicate title graf.  *out (NULL when html has no body) is freed by the
 * caller with xmlFreeDoc. */
int medium_export_body(const char *html, size_t len, const char *title, htmlDocPtr *out,
                       struct m2j_err *err);

#endif
