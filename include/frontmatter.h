/* frontmatter.h - YAML front matter: emitted with libyaml's emitter (the
 * only user of it) and read back with libyaml's parser.
 *
 * Values from feeds are never emitted as plain scalars that a YAML 1.1
 * reader (Jekyll) could re-type: a title "yes", "null", "12345" or
 * "2022-01-01" stays a string.
 *
 * Every FM_STRING, FM_LITERAL and FM_LIST value passes through
 * frontmatter_safe_text and every FM_URL value through url_serialize, so a
 * layout may print any of them raw (issue 11).
 */
#ifndef M2J_FRONTMATTER_H
#define M2J_FRONTMATTER_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

enum fm_kind {
	FM_STRING,  /* a string, plain only where no reader can re-type it */
	FM_LITERAL, /* a string as a literal block scalar (`key: |`) */
	FM_ID,      /* an id: a YAML integer when all digits (no leading 0) */
	FM_DATE,    /* a timestamp written plain, "YYYY-MM-DD HH:MM:SS +0000" */
	FM_BOOL,    /* value "true" or "false", written plain */
	FM_LIST,    /* a sequence of strings (list, nlist) */
	FM_URL      /* a URL, written through url_serialize */
};

struct fm_entry {
	const char *key;          /* borrowed */
	enum fm_kind kind;
	const char *value;        /* borrowed; valid UTF-8 */
	const char *const *list;  /* FM_LIST: borrowed */
	size_t nlist;
};

/* The one rule that makes plain text safe to print raw in HTML text, in a
 * double- or single-quoted attribute and as Markdown (kramdown) link text,
 * while it still reads as typed under raw and escaping layouts:
 *  - straight quotes become typographic ones, as Jekyll's smartify does:
 *    " -> “ or ”, ' -> ‘ or ’ (opening at the start or after
 *    a space or an opening bracket, closing elsewhere);
 *  - '<' before a letter, '/', '!' or '?' (a tag, end tag, comment or
 *    processing instruction) becomes U+FF1C '＜'; "5 < 6" stays;
 *  - '&' that would start a character reference ("&#", "&name;") becomes
 *    U+FF06 '＆'; "Tips & Tricks" stays;
 *  - an unmatched '[' or ']' (kramdown's backslash escapes counted as it
 *    counts them) becomes U+FF3B / U+FF3D, so a title cannot end the link
 *    text of an index "[{{ post.title }}](...)"; "[Video] My talk" stays;
 *  - '{' before ':' (a kramdown attribute list or extension) becomes
 *    U+FF5B;
 *  - C0 controls but tab and DEL are dropped ('\n' kept when keep_nl).
 * Appends the result to out; returns 0 or -1 (out->failed). */
int frontmatter_safe_text(const char *s, size_t len, bool keep_nl, struct buf *out);

/* Appends "---\n<mapping>---\n" to out.  Invalid UTF-8 in a value is an
 * error (M2J_EINTERNAL: the caller must repair feed text first). */
int frontmatter_emit(const struct fm_entry *e, size_t n, struct buf *out,
                     struct m2j_err *err);

/* Reads the front matter at the start of doc (between a first line "---"
 * and the next "---" or "..." line).  For each of keys[0..nkeys) found as a
 * top-level scalar, values[i] gets a malloc'd copy (caller frees); the
 * others stay NULL.  *body_off (may be NULL) gets the offset of the body.
 * M2J_EPARSE when there is no front matter or it is not a YAML mapping. */
int frontmatter_read(const char *doc, size_t len, const char *const *keys,
                     size_t nkeys, char **values, size_t *body_off,
                     struct m2j_err *err);

#endif
