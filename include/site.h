/* site.h - finding the Jekyll site a folder belongs to, its theme, and
 * whether a layout exists in the site or its theme.
 *
 * A site is the nearest folder at or above a start folder that holds a
 * `_config.yml` file (the start folder need not exist yet: an output folder
 * `sync` is about to create still finds its site).  The theme is the
 * top-level `theme:` of that file (read with libyaml); its gem folder is
 * looked up, without running ruby, in the folders RubyGems and Debian
 * install gems into: $GEM_HOME and every $GEM_PATH entry (each holding
 * gems/NAME-VERSION/), /usr/share/rubygems-integration/all/gems,
 * /var/lib/gems/RUBY/gems, /usr/lib/ruby/gems/RUBY/gems,
 * /usr/local/lib/ruby/gems/RUBY/gems and ~/.local/share/gem/ruby/RUBY/gems.
 *
 * Ownership: site_find fills a struct site whose strings belong to it;
 * release it with site_release.
 */
#ifndef M2J_SITE_H
#define M2J_SITE_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

struct site {
	char *root;      /* absolute path of the site folder */
	char *config;    /* root + "/_config.yml" */
	char *theme;     /* `theme:` of _config.yml, NULL when none */
	char *theme_dir; /* the theme gem's folder, NULL when not found */
};

#define SITE_INIT { NULL, NULL, NULL, NULL }

/* Finds the site of start (a folder, relative to the current one or
 * absolute).  M2J_EEXIST when no folder at or above start holds
 * _config.yml (no message is an error of the file system then: the caller
 * decides whether that matters), M2J_ENOMEM, M2J_EIO when the current
 * folder cannot be read.  A _config.yml that libyaml cannot read is not an
 * error: the site is found, without a theme.  On failure *site is left
 * empty (SITE_INIT). */
int site_find(const char *start, struct site *site, struct m2j_err *err);

/* True when the site's _layouts/ or its theme's _layouts/ holds a layout
 * NAME (a file NAME.EXT, whatever EXT). */
bool site_has_layout(const struct site *site, const char *name);

/* True when the site has a `theme:` whose gem folder was not found, so a
 * layout may exist that site_has_layout cannot see. */
bool site_theme_unknown(const struct site *site);

/* Says once (a warning through msg) that posts written into output_dir ask
 * for a layout the site does not have, with the two fixes (`medium2jekyll
 * init`, `--layout post`).  Silent when output_dir is in no Jekyll site,
 * when the layout exists, or when the site's theme could not be found.
 * Meant to be called once per run by import and sync. */
void site_layout_warning(const char *output_dir, const char *layout);

/* What a _config.yml holds, as far as init needs it.  Lines and columns are
 * 0-based (libyaml's marks). */
struct site_yml {
	bool block_map;    /* one document whose root is a block mapping */
	size_t nkeys;      /* its top-level keys */
	char *theme;       /* top-level `theme:` scalar, NULL when none */
	int exclude;       /* 0 no `exclude:`, 1 a block list of scalars, 2 other */
	char **items;      /* exclude: 1 -> its items, in order */
	size_t nitems;
	unsigned long last_line, last_col, last_end_line, last_end_col;
	                   /* the last item's start line and column, and its end */
};

/* Reads len bytes of YAML into *y (fields zero / NULL when absent; a text
 * libyaml cannot read gives block_map false).  -1 on OOM.  Release with
 * site_yml_release. */
int site_yml_read(const char *text, size_t len, struct site_yml *y);
void site_yml_release(struct site_yml *y);

/* Accepts an empty site; leaves it SITE_INIT. */
void site_release(struct site *site);

#endif
