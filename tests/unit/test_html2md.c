/* test_html2md.c - runs fixtures/html2md/spec.txt (HTML in, Markdown out,
 * exact) and the golden pairs fixtures/html2md/NAME.html -> NAME.md (line
 * for line modulo leading/trailing spaces).
 *
 * spec.txt: an example starts with a line of 32 backticks + " example"
 * (optionally followed by options: drop_tracking_pixel, base=URL), then
 * the HTML, a line ".", the Markdown, and a line of 32 backticks.  In both
 * parts a "→" stands for a tab. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "html2md.h"

#define FENCE "````````````````````````````````"

static const char *root(void)
{
	const char *r = getenv("M2J_ROOT");
	return r && *r ? r : ".";
}

static void untab(struct buf *b)
{
	/* "→" (E2 86 92) -> tab */
	size_t j = 0;
	for (size_t i = 0; i < b->len; i++) {
		if (i + 2 < b->len && (unsigned char)b->data[i] == 0xE2 &&
		    (unsigned char)b->data[i + 1] == 0x86 &&
		    (unsigned char)b->data[i + 2] == 0x92) {
			b->data[j++] = '\t';
			i += 2;
		} else {
			b->data[j++] = b->data[i];
		}
	}
	buf_truncate(b, j);
}

static int nreports;
static void on_report(void *ctx, const char *what)
{
	(void)ctx;
	(void)what;
	nreports++;
}

static void run_spec(void)
{
	struct buf file = BUF_INIT(0), path = BUF_INIT(0);
	char *p, *end;
	int n = 0, line = 0;

	buf_addf(&path, "%s/fixtures/html2md/spec.txt", root());
	if (buf_read_file(&file, path.data) != 0) {
		OK(0, "read %s", path.data);
		goto out;
	}
	p = file.data;
	end = file.data + file.len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		line++;
		if ((size_t)(le - p) >= 40 && strncmp(p, FENCE " example", 40) == 0) {
			struct buf html = BUF_INIT(0), want = BUF_INIT(0), got = BUF_INIT(0);
			struct buf opt = BUF_INIT(0), base = BUF_INIT(0);
			struct html2md_opts o = { .report = on_report };
			struct m2j_err err = { 0, "" };
			struct buf *cur = &html;
			int start = line;
			buf_add(&opt, p + 40, (size_t)(le - p - 40));
			if (strstr(opt.data, "drop_tracking_pixel"))
				o.drop_tracking_pixel = true;
			if (strstr(opt.data, "base=")) {
				const char *b = strstr(opt.data, "base=") + 5;
				buf_add(&base, b, strcspn(b, " "));
				o.base_url = base.data;
			}
			p = nl ? nl + 1 : end;
			while (p < end) {
				nl = memchr(p, '\n', (size_t)(end - p));
				le = nl ? nl : end;
				line++;
				if (le - p == 32 && strncmp(p, FENCE, 32) == 0)
					break;
				if (le - p == 1 && *p == '.' && cur == &html) {
					cur = &want;
				} else {
					buf_add(cur, p, (size_t)(le - p));
					buf_addch(cur, '\n');
				}
				p = nl ? nl + 1 : end;
			}
			p = nl ? nl + 1 : end;
			untab(&html);
			untab(&want);
			if (html.len > 0)
				buf_truncate(&html, html.len - 1);
			n++;
			INT_EQ(html2md_convert(html.data, html.len, &o, &got, &err), 0,
			       "spec example %d (line %d) converts", n, start);
			STR_EQ(got.data, want.data, "spec example %d (line %d)", n, start);
			buf_release(&html);
			buf_release(&want);
			buf_release(&got);
			buf_release(&opt);
			buf_release(&base);
			continue;
		}
		p = nl ? nl + 1 : end;
	}
	OK(n >= 100, "spec.txt has %d examples", n);
out:
	buf_release(&file);
	buf_release(&path);
}

/* Each line trimmed of leading and trailing spaces. */
static void trim_lines(const char *s, struct buf *out)
{
	while (*s) {
		const char *e = strchr(s, '\n');
		const char *a = s, *z;
		if (!e)
			e = s + strlen(s);
		z = e;
		while (a < z && *a == ' ')
			a++;
		while (z > a && z[-1] == ' ')
			z--;
		buf_add(out, a, (size_t)(z - a));
		buf_addch(out, '\n');
		s = *e ? e + 1 : e;
	}
}

static void run_goldens(void)
{
	struct buf dir = BUF_INIT(0);
	DIR *d;
	struct dirent *e;
	int n = 0;

	buf_addf(&dir, "%s/fixtures/html2md", root());
	d = opendir(dir.data);
	if (!d) {
		OK(0, "open %s", dir.data);
		buf_release(&dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		struct buf hp = BUF_INIT(0), mp = BUF_INIT(0), html = BUF_INIT(0),
		           want = BUF_INIT(0), got = BUF_INIT(0), a = BUF_INIT(0),
		           b = BUF_INIT(0);
		struct m2j_err err = { 0, "" };
		if (l > 5 && strcmp(e->d_name + l - 5, ".html") == 0) {
			buf_addf(&hp, "%s/%s", dir.data, e->d_name);
			buf_addf(&mp, "%s/%.*s.md", dir.data, (int)(l - 5), e->d_name);
			if (buf_read_file(&html, hp.data) == 0 &&
			    buf_read_file(&want, mp.data) == 0) {
				INT_EQ(html2md_convert(html.data, html.len, NULL, &got, &err),
				       0, "golden %s converts", e->d_name);
				trim_lines(got.data, &a);
				trim_lines(want.data, &b);
				STR_EQ(a.data, b.data, "golden %s", e->d_name);
				n++;
			}
		}
		buf_release(&hp);
		buf_release(&mp);
		buf_release(&html);
		buf_release(&want);
		buf_release(&got);
		buf_release(&a);
		buf_release(&b);
	}
	closedir(d);
	OK(n >= 1, "%d golden pairs", n);
	buf_release(&dir);
}

static void run_depth(void)
{
	/* 200 nested quotes and spans (libxml2 itself stops at 256 without
	 * HUGE): past CAP_HTML_DEPTH the content is flattened */
	struct buf html = BUF_INIT(0), got = BUF_INIT(0);
	struct m2j_err err = { 0, "" };
	for (int i = 0; i < 200; i++)
		buf_addstr(&html, i % 2 ? "<span>" : "<blockquote>");
	buf_addstr(&html, "deep");
	INT_EQ(html2md_convert(html.data, html.len, NULL, &got, &err), 0,
	       "deep nesting converts");
	OK(strstr(got.data, "deep") != NULL, "deep text kept");
	buf_release(&html);
	buf_release(&got);
}

int main(void)
{
	run_spec();
	run_goldens();
	run_depth();
	OK(nreports > 0, "drops reported (%d)", nreports);
	return HARNESS_END();
}
