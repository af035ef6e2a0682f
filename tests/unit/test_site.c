/* test_site.c - site.h: _config.yml reading, finding a site from a folder
 * below it, layouts in the site and in its theme's gem folder (the newest
 * version), and the layout warning import and sync print. */
#include "harness.h"
#include "site.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];

static void put(const char *rel, const char *text)
{
	char p[512], d[512];
	char *slash;

	snprintf(p, sizeof p, "%s/%s", root, rel);
	snprintf(d, sizeof d, "%s", p);
	for (slash = strchr(d + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(d, 0755);
		*slash = '/';
	}
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* y.exclude of text, or -1 when it is not one block mapping. */
static int exclude_of(const char *text)
{
	struct site_yml y;
	int r;

	if (site_yml_read(text, strlen(text), &y) != 0)
		return -2;
	r = y.block_map ? y.exclude : -1;
	site_yml_release(&y);
	return r;
}

static void yml(void)
{
	struct site_yml y;
	const char *t = "title: x\ntheme: minima\nexclude:\n  - a\n  - \"b c\"  # note\nz: 1\n";

	INT_EQ(site_yml_read(t, strlen(t), &y), 0, "yml: reads");
	OK(y.block_map, "yml: a block mapping");
	INT_EQ(y.nkeys, 4, "yml: four top-level keys");
	STR_EQ(y.theme, "minima", "yml: theme");
	INT_EQ(y.exclude, 1, "yml: exclude is a block list");
	INT_EQ(y.nitems, 2, "yml: two items");
	STR_EQ(y.nitems == 2 ? y.items[1] : NULL, "b c", "yml: quoted item");
	INT_EQ(y.last_line, 4, "yml: last item's line");
	INT_EQ(y.last_col, 4, "yml: last item's column");
	INT_EQ(y.last_end_col, 9, "yml: last item's end");
	site_yml_release(&y);

	INT_EQ(exclude_of("exclude: [a, b]\n"), 2, "yml: a flow list is 'other'");
	INT_EQ(exclude_of("exclude:\n"), 2, "yml: an empty exclude is 'other'");
	INT_EQ(exclude_of("exclude:\n  - [a]\n"), 2, "yml: a nested list is 'other'");
	INT_EQ(exclude_of("a: 1\n---\nb: 2\n"), -1, "yml: two documents are not one mapping");
	INT_EQ(exclude_of("{a: 1}\n"), -1, "yml: a flow mapping is not a block mapping");
	t = "a: [\n";
	INT_EQ(site_yml_read(t, strlen(t), &y), 0, "yml: bad YAML is no error");
	OK(!y.block_map, "yml: bad YAML is not a block mapping");
	site_yml_release(&y);
	t = "theme: {x: 1}\nexclude:\n  - a\n";
	site_yml_read(t, strlen(t), &y);
	OK(!y.theme && y.exclude == 1, "yml: a mapping theme is no theme");
	site_yml_release(&y);
}

static int stderr_to(const char *path)
{
	int saved = dup(2), fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	fflush(stderr);
	dup2(fd, 2);
	close(fd);
	return saved;
}

static void stderr_back(int saved)
{
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
}

static size_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (size_t)st.st_size : 0;
}

int main(void)
{
	struct site s;
	struct m2j_err err = { 0, "" };
	char start[512], gems[512], log[512], cwd[512];
	int saved;

	yml();
	snprintf(root, sizeof root, "%s/m2j-site.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root) || !getcwd(cwd, sizeof cwd))
		return 1;
	put("site/_config.yml", "title: t\ntheme: minima\n");
	put("site/_layouts/post.html", "x");
	put("gems/gems/minima-2.9.0/_layouts/default.html", "x");
	put("gems/gems/minima-2.10.0/_layouts/page.html", "x");
	put("gems/gems/minimal-9.0.0/_layouts/other.html", "x");
	snprintf(gems, sizeof gems, "%s/gems", root);
	setenv("GEM_PATH", gems, 1);
	unsetenv("GEM_HOME");

	snprintf(start, sizeof start, "%s/site/a/../b/./c", root);
	INT_EQ(site_find(start, &s, &err), 0, "find: from a folder below the site that does not exist");
	OK(s.root && strlen(s.root) > 5 && strcmp(s.root + strlen(s.root) - 5, "/site") == 0, "find: the root (%s)", s.root ? s.root : "");
	STR_EQ(s.theme, "minima", "find: the theme");
	OK(s.theme_dir && strstr(s.theme_dir, "minima-2.10.0"), "find: the newest theme version (%s)", s.theme_dir ? s.theme_dir : "none");
	OK(site_has_layout(&s, "post"), "layout: the site's post");
	OK(site_has_layout(&s, "page"), "layout: the theme's page");
	OK(!site_has_layout(&s, "default"), "layout: an older theme version's layout is not seen");
	OK(!site_has_layout(&s, "other"), "layout: another gem's layout is not seen");
	OK(!site_has_layout(&s, "post-external"), "layout: a missing layout");
	OK(!site_has_layout(&s, "../site/_layouts/post"), "layout: no path");
	OK(!site_theme_unknown(&s), "theme: known");
	site_release(&s);

	if (chdir(root) == 0) {
		INT_EQ(site_find("site", &s, &err), 0, "find: a relative start");
		site_release(&s);
		INT_EQ(site_find(".", &s, &err), M2J_EEXIST, "find: no site above");
		OK(s.root == NULL, "find: nothing on failure");
		OK(strstr(err.msg, "no Jekyll site") != NULL, "find: the message (%s)", err.msg);
		if (chdir(cwd) != 0)
			return 1;
	}

	snprintf(log, sizeof log, "%s/stderr", root);
	snprintf(start, sizeof start, "%s/site/_posts", root);
	saved = stderr_to(log);
	site_layout_warning(start, "post");
	stderr_back(saved);
	INT_EQ(file_size(log), 0, "warning: silent when the layout exists");
	saved = stderr_to(log);
	site_layout_warning(start, "post-external");
	stderr_back(saved);
	{
		char text[2048] = "";
		FILE *f = fopen(log, "r");
		size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;

		if (f)
			fclose(f);
		text[n] = '\0';
		OK(strstr(text, "layout 'post-external'") && strstr(text, "medium2jekyll init") &&
		   strstr(text, "--layout post") && strchr(text, '\n') == text + n - 1,
		   "warning: one line naming the layout and the two fixes");
	}
	/* a theme no gem folder holds (minima may well be installed here) */
	put("site/_config.yml", "title: t\ntheme: m2j-test-no-such-theme\n");
	saved = stderr_to(log);
	site_layout_warning(start, "post-external");
	stderr_back(saved);
	INT_EQ(file_size(log), 0, "warning: silent when the theme cannot be found");
	snprintf(start, sizeof start, "%s/elsewhere", root);
	saved = stderr_to(log);
	site_layout_warning(start, "post-external");
	stderr_back(saved);
	INT_EQ(file_size(log), 0, "warning: silent outside a site");
	{
		char cmd[600];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
		if (system(cmd) != 0)
			return 1;
	}
	return HARNESS_END();
}
