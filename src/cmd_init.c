/* cmd_init.c - the init command (see cmd_init.h). */
#include "cmd_init.h"
#include "buf.h"
#include "caps.h"
#include "cli.h"
#include "config.h"
#include "fsatomic.h"
#include "json.h"
#include "migrate.h"
#include "msg.h"
#include "site.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_NAME "medium2jekyll.yml"
#define LAYOUT_DIR "_layouts"

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

static const char usage[] =
	"Usage: medium2jekyll init [DIR] [options]\n"
	"\n"
	"Prepares the Jekyll site DIR is in (the nearest folder at or above DIR,\n"
	"default ., holding _config.yml) for sync: writes a commented\n"
	"medium2jekyll.yml (never over an existing one), adds\n"
	"_layouts/post-external.html when neither the site nor its theme has it,\n"
	"and adds medium2jekyll's files to _config.yml's exclude: list.\n"
	"\n"
	"Options:\n"
	"      --from FILE          take the feeds from FILE: a pluto/planet INI file\n"
	"                           ([AUTHOR] sections with feed = URL), an OPML list\n"
	"                           or a TSV file (AUTHOR<TAB>URL); repeatable, one\n"
	"                           feed set per FILE; the options below apply to the\n"
	"                           --from they follow\n"
	"      --format ini|opml|tsv  FILE's format (default: from its extension, else\n"
	"                           its content)\n"
	"      --output DIR         where FILE's posts go (default _posts)\n"
	"      --author-attr NAME   OPML: the outline attribute holding the author id\n"
	"                           (for example title or text; default: no author)\n"
	"      --no-author          FILE's feeds have no author (a newsletter)\n"
	"  -n, --dry-run            say what would be written, write nothing\n"
	"  -q, --quiet              print errors only\n"
	"  -v, --verbose            also say what was already in place\n"
	"  -h, --help               this help\n"
	"      --version            print the version\n"
	"\n"
	"Duplicate feeds and bad lines of FILE are reported as FILE:LINE: and\n"
	"skipped.  Example: init --from planet.ini --output writings/_posts\n"
	"--from newsletter.tsv --no-author --output newsletter/_posts\n"
	"\n"
	"Exit status: 0 done; 1 something could not be read or written; 2 usage\n"
	"error, or DIR is in no Jekyll site.\n";

enum {
	O_HELP = 1, O_VERSION, O_FROM, O_FORMAT, O_OUTPUT, O_AUTHOR_ATTR, O_NO_AUTHOR,
	O_DRY_RUN, O_QUIET, O_VERBOSE
};

static const struct cli_opt opts_table[] = {
	{ "help", 'h', CLI_NOARG, O_HELP },
	{ "version", 0, CLI_NOARG, O_VERSION },
	{ "from", 0, CLI_ARG, O_FROM },
	{ "format", 0, CLI_ARG, O_FORMAT },
	{ "output", 'o', CLI_ARG, O_OUTPUT },
	{ "author-attr", 0, CLI_ARG, O_AUTHOR_ATTR },
	{ "no-author", 0, CLI_NOARG, O_NO_AUTHOR },
	{ "dry-run", 'n', CLI_NOARG, O_DRY_RUN },
	{ "quiet", 'q', CLI_NOARG, O_QUIET },
	{ "verbose", 'v', CLI_NOARG, O_VERBOSE },
	{ NULL, 0, CLI_NOARG, 0 }
};

/* Jekyll's own excludes: a site that sets exclude: replaced them before
 * Jekyll 4.3 (lib/jekyll/configuration.rb, DEFAULT_EXCLUDES). */
static const char *const jekyll_excludes[] = {
	".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules",
	"vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/"
};
#define N_JEKYLL_EXCLUDES (sizeof jekyll_excludes / sizeof jekyll_excludes[0])

struct init {
	struct site site;
	bool dry_run;
	int dirfd;  /* the site root */
	struct migrate_source *src;
	size_t nsrc;
	char **titles; /* one per source, may be NULL */
};

/* ---- writing files -------------------------------------------------------- */

/* Writes name (relative to the site root) whole: a new file linked into
 * place (never over one: M2J_EEXIST), or with replace a rename over the
 * old file, whose mode it keeps. */
static int put_file(struct init *in, const char *name, const struct buf *data, bool replace,
                    struct m2j_err *err)
{
	char tmp[FSATOMIC_TMP_NAME];
	const char *slash = strrchr(name, '/');
	char dir[CAP_PATH_LEN];
	struct stat st;
	int dfd = in->dirfd, rc;

	if (slash) {
		snprintf(dir, sizeof dir, "%s/%.*s", in->site.root, (int)(slash - name), name);
		if ((rc = fsatomic_mkdirs(dir, err)))
			return rc;
		if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			return m2j_err_set(err, M2J_EIO, "cannot open %s: %s", dir, strerror(errno));
	} else {
		snprintf(dir, sizeof dir, "%s", in->site.root);
	}
	rc = fsatomic_write_tmp(dfd, dir, data->data, data->len, false, tmp, err);
	if (rc == 0 && replace) {
		if (fstatat(dfd, slash ? slash + 1 : name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    fchmodat(dfd, tmp, st.st_mode & 07777, 0) != 0) {
			rc = m2j_err_set(err, M2J_EIO, "cannot keep the mode of %s/%s: %s", in->site.root,
			                 name, strerror(errno));
			unlinkat(dfd, tmp, 0);
		} else if (renameat(dfd, tmp, dfd, slash ? slash + 1 : name) != 0) {
			rc = m2j_err_set(err, M2J_EIO, "cannot replace %s/%s: %s", in->site.root, name,
			                 strerror(errno));
			unlinkat(dfd, tmp, 0);
		}
	} else if (rc == 0) {
		if (linkat(dfd, tmp, dfd, slash ? slash + 1 : name, 0) != 0)
			rc = m2j_err_set(err, errno == EEXIST ? M2J_EEXIST : M2J_EIO,
			                 "cannot create %s/%s: %s", in->site.root, name, strerror(errno));
		unlinkat(dfd, tmp, 0);
	}
	if (rc == 0)
		fsync(dfd);
	if (dfd != in->dirfd)
		close(dfd);
	return rc;
}

static bool exists_in_root(const struct init *in, const char *name)
{
	struct stat st;

	return fstatat(in->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* ---- medium2jekyll.yml ---------------------------------------------------- */

/* A comment line's text: control characters become spaces. */
static void add_comment_text(struct buf *b, const char *s)
{
	for (; *s; s++)
		buf_addch(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
}

static void config_head(struct buf *b)
{
	buf_addstr(b,
		"# medium2jekyll.yml - the feeds `medium2jekyll sync` brings into this site.\n"
		"# Written by `medium2jekyll init`.  Every key is described in\n"
		"# `man medium2jekyll` and in medium2jekyll.example.yml; check this file\n"
		"# with `medium2jekyll sync --check`, then run `medium2jekyll sync` here.\n"
		"\n"
		"# Where posts go (relative to this file), unless a feed says otherwise.\n"
		"output: " CONFIG_DEFAULT_OUTPUT "\n"
		"\n"
		"# `layout:` of every post; _layouts/post-external.html shows the post in\n"
		"# the site's post layout with a link to the original.\n"
		"layout: " CONFIG_DEFAULT_LAYOUT "\n"
		"\n"
		"# What sync remembers between runs (commit it with the site if you like;\n"
		"# losing it costs one full download, never a duplicate post).\n"
		"state: " CONFIG_DEFAULT_STATE "\n"
		"\n"
		"# A feed that fails is reported from its Nth failure in a row on, and\n"
		"# `medium2jekyll status` exits 1 for it.\n"
		"failures_before_report: 3\n"
		"\n"
		"# The feeds: `url:` (any RSS or Atom feed) or `medium: NAME`; `author:`\n"
		"# becomes the posts' author: (an all-digit id is written as a number);\n"
		"# `output:` and the post options may be set per feed.\n"
		"feeds:\n");
}

static void config_feeds(const struct init *in, const struct migrate_list *l, struct buf *b)
{
	size_t s, i;

	for (s = 0; s < in->nsrc; s++) {
		buf_addstr(b, "\n  # ");
		if (in->titles[s]) {
			add_comment_text(b, in->titles[s]);
			buf_addstr(b, ": ");
		}
		buf_addstr(b, "from ");
		add_comment_text(b, in->src[s].path);
		buf_addch(b, '\n');
		for (i = 0; i < l->nfeeds; i++) {
			const struct migrate_feed *f = &l->feeds[i];

			if (f->set != s)
				continue;
			if (f->title) {
				buf_addstr(b, "  # ");
				add_comment_text(b, f->title);
				buf_addch(b, '\n');
			}
			buf_addstr(b, "  - url: ");
			json_str(b, f->url);
			if (f->author) {
				buf_addstr(b, "\n    author: ");
				json_str(b, f->author);
			}
			if (f->output) {
				buf_addstr(b, "\n    output: ");
				json_str(b, f->output);
			}
			buf_addch(b, '\n');
		}
	}
}

static int write_config(struct init *in, struct m2j_err *err)
{
	struct migrate_list l = MIGRATE_LIST_INIT;
	struct buf b = BUF_INIT(CAP_CONFIG_SIZE), path = BUF_INIT(CAP_PATH_LEN);
	struct config *cfg = NULL;
	size_t i;
	int rc = 0;

	buf_addf(&path, "%s/" CONFIG_NAME, in->site.root);
	if (exists_in_root(in, CONFIG_NAME)) {
		if (in->nsrc)
			rc = m2j_err_set(err, M2J_EEXIST, "%s exists; not overwritten (move it away to "
			                 "migrate, or add the feeds to it by hand)", path.data);
		else
			msg_note("%s exists; kept as it is", path.data);
		buf_release(&path);
		return rc;
	}
	for (i = 0; i < in->nsrc && rc == 0; i++)
		rc = migrate_read(&in->src[i], &l, &in->titles[i], err);
	for (i = 0; i < l.nproblems; i++)
		msg_warn("%s", l.problems[i]);
	if (rc == 0 && in->nsrc && l.nfeeds == 0)
		rc = m2j_err_set(err, M2J_EPARSE, "no feed found in %s%s", in->src[0].path,
		                 in->nsrc > 1 ? " and the other files" : "");
	if (rc == 0) {
		config_head(&b);
		if (in->nsrc)
			config_feeds(in, &l, &b);
		else
			buf_addstr(&b,
				"#  - medium: antlerboy          # https://medium.com/feed/@antlerboy\n"
				"#    author: 100047\n"
				"#  - url: https://blog.example.org/feed.xml\n"
				"#    author: jane\n"
				"#    output: writings/_posts\n");
		if (b.failed)
			rc = m2j_err_set(err, b.too_big ? M2J_ELIMIT : M2J_ENOMEM, "%s: %s", path.data,
			                 b.too_big ? "too many feeds" : "out of memory");
	}
	/* what we migrated must be a valid config: anything else is our bug */
	if (rc == 0 && in->nsrc && (rc = config_parse(b.data, b.len, path.data, &cfg, err)) != 0)
		rc = m2j_err_prefix(err, "the config written from %s would be invalid", in->src[0].path);
	config_free(cfg);
	if (rc == 0 && !in->dry_run)
		rc = put_file(in, CONFIG_NAME, &b, false, err);
	if (rc == 0 && in->nsrc)
		msg_out("%s %s (%zu feed%s)", in->dry_run ? "would write" : "wrote", path.data, l.nfeeds,
		        l.nfeeds == 1 ? "" : "s");
	else if (rc == 0)
		msg_out("%s %s (no feeds yet: list them under feeds:, then sync --check)",
		        in->dry_run ? "would write" : "wrote", path.data);
	migrate_list_release(&l);
	buf_release(&b);
	buf_release(&path);
	return rc;
}

/* ---- _layouts/post-external.html ----------------------------------------- */

static const char layout_note[] =
	"{% comment %}\n"
	"  Written by `medium2jekyll init`: the layout of imported posts (layout:\n"
	"  " CONFIG_DEFAULT_LAYOUT "), the site's own post layout with a link to where the\n"
	"  post was first published.  Edit it as you like; init never rewrites it.\n"
	"{% endcomment %}\n";

static const char layout_link[] =
	"{% if page.original_link %}\n"
	"<p class=\"original-link\">Originally published at\n"
	"<a href=\"{{ page.original_link | escape }}\">{{ page.original_link | escape }}</a>.</p>\n"
	"{% endif %}\n";

static const char layout_page[] =
	"<!DOCTYPE html>\n"
	"<html lang=\"{{ site.lang | default: 'en' }}\">\n"
	"<head>\n"
	"<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<title>{{ page.title | strip | escape }}</title>\n"
	"</head>\n"
	"<body>\n"
	"<article>\n"
	"<h1>{{ page.title | strip | escape }}</h1>\n"
	"<p>{{ page.date | date: \"%Y-%m-%d\" }}</p>\n"
	"{{ content }}\n";

static int write_layout(struct init *in, struct m2j_err *err)
{
	const char *name = LAYOUT_DIR "/" CONFIG_DEFAULT_LAYOUT ".html";
	struct buf b = BUF_INIT(0);
	const char *base = NULL;
	int rc = 0;

	if (site_has_layout(&in->site, CONFIG_DEFAULT_LAYOUT)) {
		msg_note("layout %s found in the site%s; kept", CONFIG_DEFAULT_LAYOUT,
		         in->site.theme_dir ? " or its theme" : "");
		return 0;
	}
	/* a theme we cannot see most likely has a post layout (minima does) */
	if (site_has_layout(&in->site, "post") || site_theme_unknown(&in->site))
		base = "post";
	else if (site_has_layout(&in->site, "default"))
		base = "default";
	if (base) {
		buf_addf(&b, "---\nlayout: %s\n---\n", base);
		buf_addstr(&b, layout_note);
		buf_addstr(&b, "{{ content }}\n");
		buf_addstr(&b, layout_link);
	} else {
		buf_addstr(&b, layout_note);
		buf_addstr(&b, layout_page);
		buf_addstr(&b, layout_link);
		buf_addstr(&b, "</article>\n</body>\n</html>\n");
	}
	if (b.failed)
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
	else if (!in->dry_run)
		rc = put_file(in, name, &b, false, err);
	if (rc == 0)
		msg_out("%s %s/%s (extends %s)", in->dry_run ? "would write" : "wrote", in->site.root,
		        name, base ? base : "no layout: a whole page");
	buf_release(&b);
	return rc;
}

/* ---- _config.yml's exclude: ----------------------------------------------- */

static bool listed(const struct site_yml *y, const char *name)
{
	size_t i;

	for (i = 0; i < y->nitems; i++)
		if (strcmp(y->items[i], name) == 0)
			return true;
	return false;
}

/* The start of line ln (0-based) of text, or NULL. */
static const char *line_at(const char *text, size_t len, unsigned long ln)
{
	const char *p = text, *end = text + len;

	while (ln > 0 && p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));

		if (!e)
			return NULL;
		p = e + 1;
		ln--;
	}
	return ln == 0 ? p : NULL;
}

/* Adds missing[0..n) after the last item of the block list y describes,
 * when that item's line is "INDENT- ITEM" and only a comment follows it. */
static int add_items(const char *text, size_t len, const struct site_yml *y,
                     const char *const *missing, size_t n, struct buf *out)
{
	const char *ln = line_at(text, len, y->last_line), *end = text + len, *p, *eol;
	size_t i, indent;

	if (!ln || y->last_line != y->last_end_line || (size_t)(end - ln) < y->last_end_col)
		return -1;
	for (p = ln; p < ln + y->last_col && (*p == ' ' || *p == '\t'); p++)
		;
	if (p >= ln + y->last_col || *p != '-')
		return -1;
	for (p++; p < ln + y->last_col; p++)
		if (*p != ' ' && *p != '\t')
			return -1;
	indent = y->last_col;
	eol = memchr(ln, '\n', (size_t)(end - ln));
	if (!eol)
		eol = end;
	for (p = ln + y->last_end_col; p < eol && (*p == ' ' || *p == '\t' || *p == '\r'); p++)
		;
	if (p < eol && *p != '#')
		return -1;
	buf_add(out, text, (size_t)(eol - text));
	buf_addch(out, '\n');
	for (i = 0; i < n; i++) {
		buf_add(out, ln, indent);
		buf_addf(out, "%s\n", missing[i]);
	}
	if (eol < end)
		buf_add(out, eol + 1, (size_t)(end - eol - 1));
	return 0;
}

/* A new top-level exclude: at the end. */
static void add_key(const char *text, size_t len, const char *const *missing, size_t n,
                    struct buf *out)
{
	size_t i;

	buf_add(out, text, len);
	if (len && text[len - 1] != '\n')
		buf_addch(out, '\n');
	buf_addstr(out, "\n# Not copied into _site/: Jekyll's own excludes (an exclude: list\n"
	                "# replaces them in Jekyll before 4.3) and medium2jekyll's files.\n"
	                "exclude:\n");
	for (i = 0; i < N_JEKYLL_EXCLUDES; i++)
		buf_addf(out, "  - %s\n", jekyll_excludes[i]);
	for (i = 0; i < n; i++)
		buf_addf(out, "  - %s\n", missing[i]);
}

/* The edit is safe when the result parses to the same top-level keys (one
 * more for a new exclude:) and exclude: lists the old items then ours. */
static bool edit_checks(const struct site_yml *old, const char *text, size_t len,
                        const char *const *missing, size_t n)
{
	struct site_yml y;
	size_t i, base = old->exclude == 1 ? old->nitems : N_JEKYLL_EXCLUDES;
	bool ok;

	if (site_yml_read(text, len, &y) != 0)
		return false;
	ok = y.block_map && y.exclude == 1 && y.nitems == base + n &&
	     y.nkeys == old->nkeys + (old->exclude == 0);
	for (i = 0; ok && i < base; i++)
		ok = strcmp(y.items[i], old->exclude == 1 ? old->items[i] : jekyll_excludes[i]) == 0;
	for (i = 0; ok && i < n; i++)
		ok = strcmp(y.items[base + i], missing[i]) == 0;
	site_yml_release(&y);
	return ok;
}

static int edit_excludes(struct init *in, struct m2j_err *err)
{
	const char *ours[3] = { CONFIG_NAME, CONFIG_DEFAULT_STATE, CONFIG_DEFAULT_STATE ".lock" };
	const char *missing[3];
	struct buf text = BUF_INIT(CAP_CONFIG_SIZE), out = BUF_INIT(CAP_CONFIG_SIZE + 4096);
	struct site_yml y;
	struct stat st;
	const char *why = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (buf_read_file(&text, in->site.config) != 0) {
		int e = errno;

		buf_release(&text);
		return m2j_err_set(err, M2J_EIO, "cannot read %s: %s", in->site.config, strerror(e));
	}
	if (site_yml_read(text.data, text.len, &y) != 0) {
		buf_release(&text);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	for (i = 0; i < 3; i++)
		if (!listed(&y, ours[i]))
			missing[n++] = ours[i];
	if (n == 0) {
		msg_note("%s already excludes medium2jekyll's files", in->site.config);
		goto done;
	}
	if (lstat(in->site.config, &st) == 0 && S_ISLNK(st.st_mode))
		why = "it is a symbolic link (the edit would replace it by a file)";
	else if (!y.block_map)
		why = "it is not one YAML mapping in block style";
	else if (y.exclude == 2)
		why = "its exclude: is not a block list of one-line items";
	else if (y.exclude == 1 ? add_items(text.data, text.len, &y, missing, n, &out) != 0
	                        : (add_key(text.data, text.len, missing, n, &out), false))
		why = "the line of exclude:'s last item holds more than the item";
	else if (out.failed)
		rc = m2j_err_set(err, M2J_ENOMEM, "%s: out of memory", in->site.config);
	else if (!edit_checks(&y, out.data, out.len, missing, n))
		why = "the edited file would not read back as the same settings";
	if (rc == 0 && why) {
		msg_warn("%s not edited: %s; add these lines to its exclude: list yourself "
		         "(so that jekyll build does not publish them):", in->site.config, why);
		for (i = 0; i < n; i++)
			msg_out("  - %s", missing[i]);
	} else if (rc == 0) {
		if (!in->dry_run)
			rc = put_file(in, "_config.yml", &out, true, err);
		if (rc == 0)
			msg_out("%s %s (exclude: %s%s%s%s%s)", in->dry_run ? "would update" : "updated",
			        in->site.config, missing[0], n > 1 ? ", " : "", n > 1 ? missing[1] : "",
			        n > 2 ? ", " : "", n > 2 ? missing[2] : "");
	}
done:
	site_yml_release(&y);
	buf_release(&text);
	buf_release(&out);
	return rc;
}

/* ---- the command ------------------------------------------------------------ */

/* The long name of option id. */
static const char *opt_name(int id)
{
	const struct cli_opt *o;

	for (o = opts_table; o->lname; o++)
		if (o->id == id)
			return o->lname;
	return "?";
}

static int parse(struct init *in, int argc, char **argv, const char **dir, struct m2j_err *err)
{
	struct cli_state st;
	const char *arg;
	int id, r;

	cli_init(&st, argc, argv);
	while ((r = cli_next(&st, opts_table, &id, &arg, err)) > 0) {
		struct migrate_source *s = in->nsrc ? &in->src[in->nsrc - 1] : NULL;

		if (r == 2) {
			if (*dir)
				return m2j_err_set(err, M2J_EUSAGE, "init takes one DIR ('%.60s' is a second)",
				                   arg);
			*dir = arg;
			continue;
		}
		if (!s && (id == O_FORMAT || id == O_OUTPUT || id == O_AUTHOR_ATTR || id == O_NO_AUTHOR))
			return m2j_err_set(err, M2J_EUSAGE, "--%s applies to the --from FILE it follows",
			                   opt_name(id));
		switch (id) {
		case O_HELP: return -O_HELP;
		case O_VERSION: return -O_VERSION;
		case O_FROM:
			s = &in->src[in->nsrc];
			memset(s, 0, sizeof *s);
			s->path = arg;
			s->set = in->nsrc++;
			break;
		case O_FORMAT:
			if (migrate_format_parse(arg, &s->format) != 0)
				return m2j_err_set(err, M2J_EUSAGE, "--format is ini, opml or tsv, not '%.40s'",
				                   arg);
			break;
		case O_OUTPUT: s->output = arg; break;
		case O_AUTHOR_ATTR: s->author_attr = arg; break;
		case O_NO_AUTHOR: s->no_author = true; break;
		case O_DRY_RUN: in->dry_run = true; break;
		case O_QUIET: msg_set_level(MSG_QUIET); break;
		case O_VERBOSE: msg_set_level(MSG_VERBOSE); break;
		default: break;
		}
	}
	return r < 0 ? err->code : 0;
}

int cmd_init(int argc, char **argv, struct m2j_err *err)
{
	struct init in;
	const char *dir = NULL;
	size_t i;
	int rc, status = EXIT_OK;

	memset(&in, 0, sizeof in);
	in.dirfd = -1;
	in.src = calloc((size_t)argc + 1, sizeof *in.src);
	in.titles = calloc((size_t)argc + 1, sizeof *in.titles);
	if (!in.src || !in.titles) {
		free(in.src);
		free(in.titles);
		m2j_err_set(err, M2J_ENOMEM, "out of memory");
		return EXIT_FAILED;
	}
	rc = parse(&in, argc - 1, argv + 1, &dir, err);
	if (rc == -O_HELP || rc == -O_VERSION) {
		msg_print(rc == -O_HELP ? usage : "medium2jekyll " M2J_VERSION "\n",
		          strlen(rc == -O_HELP ? usage : "medium2jekyll " M2J_VERSION "\n"));
		status = EXIT_OK;
		goto out;
	}
	if (rc) {
		status = EXIT_USAGE;
		goto out;
	}
	if ((rc = site_find(dir ? dir : ".", &in.site, err)) != 0) {
		status = EXIT_FAILED;
		if (rc == M2J_EEXIST) {
			m2j_err_set(err, M2J_EUSAGE, "no Jekyll site (_config.yml) at or above %.200s: "
			            "make one first (jekyll new SITE), or name it: medium2jekyll init SITE",
			            dir ? dir : ".");
			status = EXIT_USAGE;
		}
		goto out;
	}
	in.dirfd = open(in.site.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (in.dirfd < 0) {
		m2j_err_set(err, M2J_EIO, "cannot open %s: %s", in.site.root, strerror(errno));
		status = EXIT_FAILED;
		goto out;
	}
	if (in.site.theme && !in.site.theme_dir)
		msg_note("theme %s not found among the installed gems", in.site.theme);
	if (write_config(&in, err) != 0 || write_layout(&in, err) != 0 ||
	    edit_excludes(&in, err) != 0)
		status = EXIT_FAILED;
out:
	if (in.dirfd >= 0)
		close(in.dirfd);
	for (i = 0; i < in.nsrc; i++)
		free(in.titles[i]);
	free(in.titles);
	free(in.src);
	site_release(&in.site);
	return status;
}
