/* site.c - the Jekyll site of a folder, its theme and layouts (see site.h). */
#include "site.h"
#include "buf.h"
#include "caps.h"
#include "msg.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

void site_release(struct site *site)
{
	free(site->root);
	free(site->config);
	free(site->theme);
	free(site->theme_dir);
	site->root = site->config = site->theme = site->theme_dir = NULL;
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* start made absolute, with "." and ".." components resolved textually and
 * no trailing slash ("/" stays "/").  NULL on OOM or when the current folder
 * cannot be read. */
static char *absolute(const char *start)
{
	struct buf in = BUF_INIT((size_t)CAP_PATH_LEN * 2), out = BUF_INIT((size_t)CAP_PATH_LEN * 2);
	const char *p, *e;

	if (start[0] != '/') {
		char cwd[CAP_PATH_LEN];

		if (!getcwd(cwd, sizeof cwd))
			return NULL;
		buf_addf(&in, "%s/", cwd);
	}
	buf_addstr(&in, start);
	for (p = in.data; !in.failed && *p; p = e) {
		size_t n;

		while (*p == '/')
			p++;
		e = p;
		while (*e && *e != '/')
			e++;
		n = (size_t)(e - p);
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(out.data, '/');

			buf_truncate(&out, slash ? (size_t)(slash - out.data) : 0);
			continue;
		}
		buf_addch(&out, '/');
		buf_add(&out, p, n);
	}
	if (out.len == 0)
		buf_addch(&out, '/');
	if (in.failed || out.failed) {
		buf_release(&in);
		buf_release(&out);
		return NULL;
	}
	buf_release(&in);
	return buf_detach(&out, NULL);
}

void site_yml_release(struct site_yml *y)
{
	size_t i;

	free(y->theme);
	for (i = 0; i < y->nitems; i++)
		free(y->items[i]);
	free(y->items);
	memset(y, 0, sizeof *y);
}

static int add_item(struct site_yml *y, const yaml_event_t *ev)
{
	char **p = realloc(y->items, (y->nitems + 1) * sizeof *p);

	if (!p)
		return -1;
	y->items = p;
	if (!(p[y->nitems] = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length)))
		return -1;
	y->nitems++;
	y->last_line = (unsigned long)ev->start_mark.line;
	y->last_col = (unsigned long)ev->start_mark.column;
	y->last_end_line = (unsigned long)ev->end_mark.line;
	y->last_end_col = (unsigned long)ev->end_mark.column;
	return 0;
}

/* One event of the walk.  depth: 0 outside the root, 1 in the root
 * mapping, 2 in a value of it; in: the top-level key whose value is read
 * (0 none, 1 theme, 2 exclude). */
struct walk {
	int depth, docs, in;
	bool is_key, seen_exclude;
};

static int walk_event(struct walk *w, const yaml_event_t *ev, struct site_yml *y)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		w->docs++;
		break;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if (w->depth == 0) {
			y->block_map = ev->type == YAML_MAPPING_START_EVENT &&
			               ev->data.mapping_start.style == YAML_BLOCK_MAPPING_STYLE;
			w->is_key = true;
		} else if (w->depth == 1) {
			if (w->in == 2)
				y->exclude = ev->type == YAML_SEQUENCE_START_EVENT &&
				             ev->data.sequence_start.style == YAML_BLOCK_SEQUENCE_STYLE ? 1 : 2;
			w->is_key = !w->is_key;
		} else if (w->depth == 2 && w->in == 2) {
			y->exclude = 2;
		}
		w->depth++;
		break;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		if (--w->depth == 1)
			w->in = 0;
		break;
	case YAML_ALIAS_EVENT:
	case YAML_SCALAR_EVENT:
		if (w->depth == 2 && w->in == 2) {
			if (ev->type == YAML_ALIAS_EVENT || ev->start_mark.line != ev->end_mark.line)
				y->exclude = 2;
			else if (add_item(y, ev))
				return -1;
			break;
		}
		if (w->depth != 1)
			break;
		if (w->is_key) {
			const char *k = ev->type == YAML_SCALAR_EVENT ? (const char *)ev->data.scalar.value : "";

			y->nkeys++;
			w->in = strcmp(k, "theme") == 0 ? 1 : strcmp(k, "exclude") == 0 ? 2 : 0;
			if (w->in == 2 && w->seen_exclude)
				y->exclude = 2;
			w->seen_exclude |= w->in == 2;
		} else {
			if (w->in == 1 && ev->type == YAML_SCALAR_EVENT && !y->theme &&
			    !(y->theme = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length)))
				return -1;
			if (w->in == 2)
				y->exclude = 2; /* a scalar, even empty: not a list */
			w->in = 0;
		}
		w->is_key = !w->is_key;
		break;
	default:
		break;
	}
	return 0;
}

int site_yml_read(const char *text, size_t len, struct site_yml *y)
{
	yaml_parser_t ps;
	yaml_event_t ev;
	struct walk w = { 0, 0, 0, true, false };
	bool done = false;
	int rc = 0;

	memset(y, 0, sizeof *y);
	if (!yaml_parser_initialize(&ps))
		return -1;
	yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
	while (!done) {
		if (!yaml_parser_parse(&ps, &ev)) {
			rc = ps.error == YAML_MEMORY_ERROR ? -1 : 0;
			y->block_map = false;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		if (walk_event(&w, &ev, y))
			rc = -1, done = true;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&ps);
	if (w.docs > 1)
		y->block_map = false;
	if (rc)
		site_yml_release(y);
	return rc;
}

/* Compares gem folder names "NAME-1.10.0" and "NAME-1.9.2" by version:
 * runs of digits as numbers, anything else byte by byte. */
static int version_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			const char *sa = a, *sb = b;
			size_t la, lb;
			int c;

			while (*sa == '0')
				sa++;
			while (*sb == '0')
				sb++;
			for (a = sa; *a >= '0' && *a <= '9'; a++)
				;
			for (b = sb; *b >= '0' && *b <= '9'; b++)
				;
			la = (size_t)(a - sa);
			lb = (size_t)(b - sb);
			if (la != lb)
				return la < lb ? -1 : 1;
			if ((c = memcmp(sa, sb, la)) != 0)
				return c;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

/* In the folder gems (holding NAME-VERSION/ folders), the newest NAME-*
 * with a _layouts/ folder replaces *best when newer. */
static void scan_gems(const char *gems, const char *name, char **best)
{
	DIR *d = opendir(gems);
	struct dirent *de;
	size_t n = strlen(name);

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[CAP_PATH_LEN];
		const char *base;

		if (strncmp(de->d_name, name, n) != 0 || de->d_name[n] != '-' ||
		    de->d_name[n + 1] < '0' || de->d_name[n + 1] > '9')
			continue;
		if (snprintf(path, sizeof path, "%s/%s/_layouts", gems, de->d_name) >= (int)sizeof path ||
		    !is_dir(path))
			continue;
		base = *best ? strrchr(*best, '/') + 1 : NULL;
		if (!base || version_cmp(de->d_name, base) > 0) {
			char *p;

			path[strlen(path) - strlen("/_layouts")] = '\0';
			if ((p = strdup(path)) != NULL) {
				free(*best);
				*best = p;
			}
		}
	}
	closedir(d);
}

/* scan_gems over PARENT/RUBY/gems for every RUBY folder of parent. */
static void scan_rubies(const char *parent, const char *name, char **best)
{
	DIR *d = opendir(parent);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[CAP_PATH_LEN];

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof path, "%s/%s/gems", parent, de->d_name) < (int)sizeof path)
			scan_gems(path, name, best);
	}
	closedir(d);
}

/* scan_gems over DIR/gems for every DIR of a colon-separated list. */
static void scan_path_list(const char *list, const char *name, char **best)
{
	const char *p = list, *e;

	while (p && *p) {
		char path[CAP_PATH_LEN];

		e = strchr(p, ':');
		if (!e)
			e = p + strlen(p);
		if (e > p && snprintf(path, sizeof path, "%.*s/gems", (int)(e - p), p) < (int)sizeof path)
			scan_gems(path, name, best);
		p = *e ? e + 1 : e;
	}
}

/* A theme name is a gem name: letters, digits, '-', '_', '.'; no '/'. */
static bool gem_name_ok(const char *s)
{
	const char *p;

	if (!*s || *s == '.')
		return false;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

static char *theme_folder(const char *name)
{
	char *best = NULL;
	const char *home = getenv("HOME");

	if (!gem_name_ok(name))
		return NULL;
	scan_path_list(getenv("GEM_HOME"), name, &best);
	scan_path_list(getenv("GEM_PATH"), name, &best);
	scan_gems("/usr/share/rubygems-integration/all/gems", name, &best);
	scan_rubies("/var/lib/gems", name, &best);
	scan_rubies("/usr/lib/ruby/gems", name, &best);
	scan_rubies("/usr/local/lib/ruby/gems", name, &best);
	if (home && *home) {
		char path[CAP_PATH_LEN];

		if (snprintf(path, sizeof path, "%s/.local/share/gem/ruby", home) < (int)sizeof path)
			scan_rubies(path, name, &best);
	}
	return best;
}

int site_find(const char *start, struct site *site, struct m2j_err *err)
{
	char *dir = absolute(start && *start ? start : ".");
	struct buf cfg = BUF_INIT((size_t)CAP_PATH_LEN * 2), text = BUF_INIT(CAP_CONFIG_SIZE);
	bool lost;

	*site = (struct site)SITE_INIT;
	if (!dir)
		return errno == ENOMEM || errno == 0
			? m2j_err_set(err, M2J_ENOMEM, "out of memory")
			: m2j_err_set(err, M2J_EIO, "cannot read the current folder: %s", strerror(errno));
	for (;;) {
		char *slash;

		buf_reset(&cfg);
		buf_addf(&cfg, "%s%s_config.yml", dir, strcmp(dir, "/") == 0 ? "" : "/");
		if (cfg.failed)
			break;
		if (is_file(cfg.data)) {
			site->root = dir;
			site->config = buf_detach(&cfg, NULL);
			break;
		}
		if (strcmp(dir, "/") == 0)
			break;
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	lost = cfg.failed;
	buf_release(&cfg);
	if (!site->root) {
		free(dir);
		return lost ? m2j_err_set(err, M2J_ENOMEM, "out of memory")
		            : m2j_err_set(err, M2J_EEXIST, "no Jekyll site (_config.yml) at or above %s",
		                          start && *start ? start : ".");
	}
	if (!site->config) {
		site_release(site);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	if (buf_read_file(&text, site->config) == 0) {
		struct site_yml y;

		if (site_yml_read(text.data, text.len, &y) == 0) {
			site->theme = y.theme;
			y.theme = NULL;
			site_yml_release(&y);
		}
		if (site->theme)
			site->theme_dir = theme_folder(site->theme);
	}
	buf_release(&text);
	return 0;
}

/* dir holds a file NAME.EXT (Jekyll names a layout by its file name less
 * the last extension). */
static bool has_layout_in(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = strlen(name);
	bool found = false;

	if (!d)
		return false;
	while (!found && (de = readdir(d)) != NULL) {
		const char *dot = strrchr(de->d_name, '.');

		found = dot && (size_t)(dot - de->d_name) == n && n > 0 &&
		        strncmp(de->d_name, name, n) == 0;
	}
	closedir(d);
	return found;
}

bool site_has_layout(const struct site *site, const char *name)
{
	char path[CAP_PATH_LEN];

	if (!name || !*name || strchr(name, '/'))
		return false;
	if (site->root && snprintf(path, sizeof path, "%s/_layouts", site->root) < (int)sizeof path &&
	    has_layout_in(path, name))
		return true;
	return site->theme_dir &&
	       snprintf(path, sizeof path, "%s/_layouts", site->theme_dir) < (int)sizeof path &&
	       has_layout_in(path, name);
}

bool site_theme_unknown(const struct site *site)
{
	return site->theme && !site->theme_dir;
}

void site_layout_warning(const char *output_dir, const char *layout)
{
	struct site site;

	if (!layout || !*layout || site_find(output_dir, &site, NULL) != 0)
		return;
	if (!site_theme_unknown(&site) && !site_has_layout(&site, layout))
		msg_warn("layout '%s' is in neither %s/_layouts nor %s%s: posts will render "
		         "without it; run 'medium2jekyll init %s' to add it, or use --layout post "
		         "(layout: post in the config)",
		         layout, site.root, site.theme ? "the theme " : "a theme",
		         site.theme ? site.theme : "", site.root);
	site_release(&site);
}
