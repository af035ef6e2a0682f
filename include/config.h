/* config.h - the `sync` configuration file (medium2jekyll.yml).
 *
 * Read with libyaml's parser and validated; the module never fetches.  The
 * format (every key, its default and its range) is shown in
 * medium2jekyll.example.yml.  Any problem (bad YAML, unknown key, wrong
 * type, value out of range, a feed without url/medium or with both, a
 * duplicate feed, no feeds) is reported as M2J_EUSAGE with a message
 * "FILE:LINE:COLUMN: problem" (1-based, from libyaml's marks); the first
 * problem stops the parse.
 *
 * Ownership: config_load/config_parse hand the caller a struct config it
 * frees with config_free; every string in it belongs to the struct.
 */
#ifndef M2J_CONFIG_H
#define M2J_CONFIG_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

/* Defaults and ranges of the site-wide keys. */
#define CONFIG_DEFAULT_OUTPUT "_posts"
#define CONFIG_DEFAULT_LAYOUT "post-external"
#define CONFIG_DEFAULT_STATE ".medium2jekyll-state.yml"
#define CONFIG_DEFAULT_CONCURRENCY 8
#define CONFIG_MAX_CONCURRENCY 256
#define CONFIG_DEFAULT_PER_HOST 2
#define CONFIG_MAX_PER_HOST 64
#define CONFIG_MAX_TIMEOUT 86400L
#define CONFIG_MIN_MAX_SIZE ((size_t)1024)
#define CONFIG_MAX_MAX_SIZE ((size_t)1 << 30)

/* announce: one text file per new post into dir, from template. */
struct config_announce {
	char *dir;        /* relative to the config's folder once loaded */
	char *template;   /* {title} {link} {author} {date} {feed} {path} */
};

/* The post options (postopt.h) as the config gives them, site-wide or for
 * one feed; unset values fall back (feed -> site -> default). */
struct config_post {
	int tags, canonical, clean;  /* -1 unset, 0, 1 */
	unsigned fields;             /* POST_F_* bits */
	bool fields_set;
	int member_only;             /* -1 unset, else enum post_member_only */
	char **extra_keys, **extra_values; /* field: mapping, in order */
	size_t nextra;
	char *images, *images_url;   /* NULL unset */
	struct config_announce *announce; /* announce: entries */
	size_t nannounce;
	bool announce_set;           /* given (an empty list or false: none) */
};

struct config_feed {
	char *url;             /* always set: https://medium.com/feed/@name for medium: */
	char *medium;          /* the user name without '@' when given as medium:, else NULL */
	char *author;          /* NULL when none (falls back to the site author) */
	char *output, *layout; /* NULL = site value */
	int include_responses; /* -1 = site value, 0/1 */
	unsigned line;         /* where the entry starts (1-based), for messages */
	unsigned column;
	struct config_post post;
};

struct config {
	char *path;           /* the file read, as given */
	char *output;         /* default "_posts"; a relative value is taken
	                       * relative to the folder of the config file */
	char *layout;         /* default "post-external" */
	char *state;          /* a relative value (and the default
	                       * ".medium2jekyll-state.yml") is taken relative to
	                       * the folder of the config file; absolute kept */
	char *user_agent;     /* NULL = the program's default */
	char *author;         /* site default author, NULL when none */
	int concurrency;      /* 1..256, default 8 */
	int per_host;         /* 1..64, default 2 */
	long timeout;         /* seconds, 1..86400, default 60 */
	long connect_timeout; /* seconds, 1..86400, default 10 */
	size_t max_size;      /* bytes, 1 KiB..1 GiB, default 20 MiB */
	bool include_responses; /* default false */
	bool update;          /* default true */
	int failures_before_report; /* >= 1, default 1 */
	struct config_post post; /* site-wide post options */
	struct config_feed *feeds;
	size_t nfeeds;        /* >= 1 */
};

/* Reads the file at path (capped at CAP_CONFIG_SIZE) and parses it.  On
 * success *out is a new config (caller frees with config_free).  A file
 * that cannot be read is M2J_EIO ("FILE: strerror"), a parse or validation
 * problem M2J_EUSAGE; *out is left untouched on failure. */
int config_load(const char *path, struct config **out, struct m2j_err *err);

/* Parses len bytes of text; path names the file in messages and anchors the
 * default state file.  Same results as config_load. */
int config_parse(const char *text, size_t len, const char *path,
                 struct config **out, struct m2j_err *err);

/* Accepts NULL. */
void config_free(struct config *c);

/* The author of a feed: its own, else the site's, else NULL.  Borrowed. */
const char *config_feed_author(const struct config *c, const struct config_feed *f);
/* The effective output folder / layout / include_responses of a feed. */
const char *config_feed_output(const struct config *c, const struct config_feed *f);
const char *config_feed_layout(const struct config *c, const struct config_feed *f);
bool config_feed_include_responses(const struct config *c, const struct config_feed *f);

struct post_opts;
struct post_kv;
/* Fills the post options of a feed (tags, canonical, clean, fields,
 * member_only; field: keys go to extra[0..max), site's first unless the
 * feed sets the same key) into po; *images / *images_url get the feed's
 * image folder and site path (borrowed, NULL when none). */
void config_feed_post(const struct config *c, const struct config_feed *f,
                      struct post_opts *po, struct post_kv *extra, size_t max,
                      const char **images, const char **images_url);

/* The announcements of a feed: its own when it sets announce:, else the
 * site's.  *n gets their count; borrowed. */
const struct config_announce *config_feed_announce(const struct config *c,
                                                   const struct config_feed *f, size_t *n);

#endif
