/* url.h - URL sanitizing for links, images and embeds (issue 8).
 *
 * Policy: allow http, https, mailto (links only) and relative URLs, which
 * are resolved against a base (the item's link or the feed's xml:base);
 * drop every other scheme however it is disguised: entities are already
 * decoded by the HTML parser; ASCII tab/LF/CR anywhere are removed and
 * leading/trailing C0 controls and spaces trimmed, as browsers do; then
 * anything before the first ':' that comes before any '/', '?' or '#' is a
 * scheme and must be exactly one of the allowed ones (so `java%73cript:`,
 * `jav&#x0A;ascript:` or a control character inside the scheme are all
 * dropped).  Protocol-relative `//host/x` is resolved with the base's
 * scheme, or https without a base (it can only be http(s) in a browser).
 * Backslashes in relative URLs are read as '/', as browsers do.
 * A fragment-only URL (`#x`) stays as is (same document).
 * `data:` is dropped except data:image/(png|gif|jpeg|webp) in images, up to
 * CAP_DATA_URL_LEN bytes.
 */
#ifndef M2J_URL_H
#define M2J_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum url_use { URL_LINK, URL_IMAGE, URL_EMBED };

/* Sanitizes raw for its use and resolves it against base (may be NULL).
 * On success *out is a new string (caller frees with free()).  A refused
 * URL returns M2J_EUNSAFE with the reason in err and leaves *out NULL;
 * M2J_ENOMEM on memory failure. */
int url_sanitize(const char *raw, const char *base, enum url_use use,
                 char **out, struct m2j_err *err);

/* Appends u to out as a URL that is safe wherever it is printed (issue
 * 11): raw in HTML text, inside a double- or single-quoted attribute, as a
 * Markdown link destination, and inside a Jekyll page (no Liquid markup).
 * Percent-encodes every byte <= 0x20, DEL, C1 controls (U+0080..U+009F),
 * " ' < > ` \ | [ ] ( ) { } and '%' not followed by two hex digits; '&'
 * becomes %26 where it would start a character reference (`&name;`,
 * `&#`).  Existing %XX escapes and other characters are kept, so a URL
 * that is already valid comes out unchanged.  Returns 0 or -1 (out->failed). */
struct buf;
int url_serialize(const char *u, struct buf *out);

/* True when the '&' at s[i] (of len bytes) would start a character
 * reference an HTML or CommonMark reader decodes: "&#" or "&name;".
 * Shared by url_serialize and frontmatter_safe_text. */
bool url_starts_reference(const char *s, size_t len, size_t i);

/* Default iframe host allowlist (NULL-terminated).  An entry matches the
 * host itself and its subdomains. */
extern const char *const url_default_iframe_hosts[];

/* true when url is https and its host is in hosts (NULL = default). */
bool url_embed_allowed(const char *url, const char *const *hosts);

#endif
