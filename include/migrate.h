/* migrate.h - reading another aggregator's feed list: a pluto/planet INI
 * file, an OPML subscription list or a two-column TSV (author, feed URL).
 *
 * INI: `[SECTION]` starts a feed, the section name being its author id;
 * `feed = URL` (or `url =`) gives the feed, `title =` and `link =` are
 * read, other keys ignored; `=` or `:`, tabs or spaces, values optionally
 * in quotes, whole-line `#` and `;` comments; a `title =` before the first
 * section is the set's title.  A section named by an http(s) URL with no
 * feed key is that feed, with no author (Planet Venus).
 * OPML: every `outline` with an `xmlUrl`, at any depth (folders); the
 * author id comes from the attribute author_attr names (none when NULL);
 * the title from `title`, else `text`; the set's title from head/title.
 * TSV: `AUTHOR<TAB>URL` or `URL` alone per line; `#` comments and blank
 * lines skipped; a first line without "://" is a header and skipped.
 *
 * A bad line (not key = value, a feed that is not an http(s) URL, a
 * section without feed) and a duplicate (a feed URL already read, from any
 * source into the same list: scheme and host compared without case, a
 * trailing '/' ignored; or an INI section met twice) is recorded in the
 * list's problems as "FILE:LINE: problem" and skipped; it is not an error.
 * Text that is not valid UTF-8 is repaired (U+FFFD).  The module never
 * prints.
 *
 * Ownership: every string of a struct migrate_list belongs to it; free it
 * with migrate_list_release.
 */
#ifndef M2J_MIGRATE_H
#define M2J_MIGRATE_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

enum migrate_format { MIGRATE_AUTO, MIGRATE_INI, MIGRATE_OPML, MIGRATE_TSV };

struct migrate_source {
	const char *path;          /* the file (read whole, capped at CAP_CONFIG_SIZE) */
	enum migrate_format format; /* MIGRATE_AUTO: from the extension, else the content */
	const char *author_attr;   /* OPML: attribute giving the author id, or NULL */
	bool no_author;            /* drop the authors (a newsletter) */
	const char *output;        /* copied into each feed read; NULL = default */
	size_t set;                /* copied into each feed read: which source */
};

struct migrate_feed {
	char *url;
	char *author; /* NULL when none */
	char *title;  /* NULL when none */
	char *output; /* NULL when none */
	char *origin; /* "FILE:LINE" */
	size_t set;
};

struct migrate_list {
	struct migrate_feed *feeds;
	size_t nfeeds, capfeeds;
	char **problems; /* "FILE:LINE: problem" */
	size_t nproblems, capproblems;
};

#define MIGRATE_LIST_INIT { NULL, 0, 0, NULL, 0, 0 }

/* Reads src into list (appending).  *title (may be NULL) gets the set's
 * title (caller frees; NULL when none).  M2J_EIO when the file cannot be
 * read, M2J_ELIMIT when it is too big, M2J_EPARSE when OPML is not
 * well-formed or not OPML, M2J_ENOMEM.  A read that fails leaves the list
 * as it was before the call. */
int migrate_read(const struct migrate_source *src, struct migrate_list *list, char **title,
                 struct m2j_err *err);

/* "ini", "opml", "tsv" -> the format; -1 for anything else. */
int migrate_format_parse(const char *name, enum migrate_format *out);

void migrate_list_release(struct migrate_list *list);

#endif
