/* test_html2md.c - runs fixtures/html2md/spec.txt (HTML in, Markdown out,
 * exact) and the golden pairs fixtures/html2md/NAME.html -> NAME.md (line
 * for line modulo leading/trailing spaces).
 *
 * spec.txt: an example starts with a line of 32 backticks + " example"
 * (optionally followed by options: drop_tracking_pixel, base=URL), then
 * the HTML, a line ".", the Markdown, and a line of 32 backticks.  In both
 * parts a "→" stands for a tab. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "html2md.h"
#include "elements.h"
#include "htmldoc.h"
#include "images.h"
#include "post.h"

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

/* Issue 13: one item goes through every step of the pipeline on one parse,
 * and every step agrees on which images the post shows. */
static void run_one_parse(void)
{
	static const char html[] =
		"<p>Hello <img data-src=\"https://e.com/lazy.png\" alt=\"lazy\"></p>"
		"<object><img src=\"https://e.com/obj.png\" alt=\"obj\"></object>"
		"<dialog><img src=\"https://e.com/dlg.png\"></dialog>"
		"<img src=\"https://medium.com/_/stat?event=post.clientViewed\" width=\"1\">"
		"<hr/>\n<p><a href=\"https://medium.com/p/1\">T</a> was originally published in "
		"<a href=\"https://medium.com/pub\">Pub</a> on Medium.</p>";
	struct feed f;
	struct feed_item it;
	struct post_opts o;
	struct post_src src;
	struct post p;
	struct images *im = NULL;
	struct images_opts io;
	struct m2j_err e = { 0, "" };
	unsigned long before;
	bool resp = true;
	struct ident noid = { "", NULL, NULL, NULL };

	memset(&f, 0, sizeof f);
	memset(&it, 0, sizeof it);
	memset(&o, 0, sizeof o);
	memset(&io, 0, sizeof io);
	f.is_medium = true;
	it.title = (char *)(uintptr_t)"Another title";
	it.html = (char *)(uintptr_t)html;
	it.link = (char *)(uintptr_t)"https://medium.com/p/1";
	it.has_date = true;
	it.date = 1600000000;
	o.layout = "post";
	o.clean = true;
	o.fields = POST_F_IMAGE | POST_F_DESCRIPTION;
	io.dir = "img";
	io.url_prefix = "/img";
	io.dry_run = true;
	if (images_new(&io, &im, &e) != 0) {
		OK(0, "one parse: images_new: %s", e.msg);
		return;
	}
	before = htmldoc_parse_count();
	INT_EQ(post_src_open(f.is_medium, &it, &o, &src, &e), 0, "one parse: open");
	INT_EQ(post_src_is_response(&src, &resp, &e), 0, "one parse: response check");
	OK(!resp && !post_src_is_preview(&src), "one parse: neither response nor preview");
	INT_EQ(post_src_collect_images(&src, im, &e), 0, "one parse: images collected");
	INT_EQ(images_fetch(im, NULL, NULL, &e), 0, "one parse: images planned (dry run)");
	o.conv.rewrite_url = images_rewrite;
	o.conv.rewrite_ctx = im;
	INT_EQ(post_build(&src, &noid, it.link, &o, &p, &e), 0, "one parse: post built");
	INT_EQ((int)(htmldoc_parse_count() - before), 1, "one parse: the item was parsed once");
	INT_EQ((int)images_counts(im)->planned, 2, "one parse: the lazy and the <object> image, "
	       "not the closed dialog's nor the pixel");
	OK(strstr(p.text.data, "image: '/img/lazy-") != NULL,
	   "one parse: the lazy image is the first image, rewritten");
	OK(strstr(p.text.data, "![obj](/img/obj-") != NULL, "one parse: the <object> image is shown");
	OK(!strstr(p.text.data, "dlg.png") && !strstr(p.text.data, "_/stat"),
	   "one parse: no closed dialog's image, no pixel");
	OK(!strstr(p.text.data, "originally published") &&
	   !strstr(strstr(p.text.data, "\n---\n") + 5, "---") && !strstr(p.text.data, "\\<"),
	   "one parse: the footer and its <hr/> are gone, no stray \\<");
	OK(strstr(p.text.data, "description: Hello") != NULL, "one parse: description");
	post_release(&p);
	post_src_close(&src);
	images_free(im);
}

/* --clean's footer, however the rule before it is written */
static void run_footer(void)
{
	static const char *const forms[] = { "<hr>", "<hr/>", "<hr />", "<hr>\n", "<hr/>\n  ", "" };

	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		struct buf h = BUF_INIT(0);
		struct feed f;
		struct feed_item it;
		struct post_opts o;
		struct post_src src;
		struct post p;
		struct m2j_err e = { 0, "" };
		struct ident noid = { "", NULL, NULL, NULL };
		const char *body;

		memset(&f, 0, sizeof f);
		memset(&it, 0, sizeof it);
		memset(&o, 0, sizeof o);
		buf_addf(&h, "<p>Body.</p>%s<p><a href=\"https://medium.com/p/1\">T</a> was originally "
		         "published in <a href=\"https://x\">P</a> on Medium.</p>", forms[i]);
		it.title = (char *)(uintptr_t)"T";
		it.html = h.data;
		it.has_date = true;
		o.layout = "post";
		o.clean = true;
		if (post_src_open(f.is_medium, &it, &o, &src, &e) == 0 &&
		    post_build(&src, &noid, NULL, &o, &p, &e) == 0) {
			body = strstr(p.text.data, "\n---\n") + 5;
			STR_EQ(body, "\nBody.\n", "footer after rule form %zu: removed with its rule", i);
			post_release(&p);
		} else {
			OK(0, "footer after rule form %zu: %s", i, e.msg);
		}
		post_src_close(&src);
		buf_release(&h);
	}
}

/* post_src_is_preview: Medium's stub at the top, bare or in one wrapper;
 * a post that only quotes the classes further down is none */
static void run_preview(void)
{
	static const struct { const char *html; bool want; } cases[] = {
		{ "<div class=\"medium-feed-item\"><p class=\"medium-feed-snippet\">S</p>"
		  "<p class=\"medium-feed-link\"><a href=\"https://medium.com/p/1\">Continue reading on "
		  "Medium \xc2\xbb</a></p></div>", true },
		{ "<div><div class=\"x medium-feed-item\"><section><p class=\"medium-feed-link\">"
		  "<a href=\"https://medium.com/p/1\"><span>Continue reading on</span> P</a></p>"
		  "</section></div></div>", true },
		{ "<div class=\"medium-feed-item\"><p class=\"medium-feed-link\">Read more</p></div>", false },
		{ "<p class=\"medium-feed-link\">Continue reading on Medium</p>", false },
		{ "<p>Body</p><div><div><div><div class=\"medium-feed-item\"><p class=\"medium-feed-link\">"
		  "Continue reading on Medium</p></div></div></div></div>", false },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct feed_item it;
		struct post_opts o;
		struct post_src src;
		struct m2j_err e = { 0, "" };

		memset(&it, 0, sizeof it);
		memset(&o, 0, sizeof o);
		it.title = (char *)(uintptr_t)"T";
		it.html = (char *)(uintptr_t)cases[i].html;
		if (post_src_open(true, &it, &o, &src, &e) != 0) {
			OK(0, "preview %zu: %s", i, e.msg);
			continue;
		}
		OK(post_src_is_preview(&src) == cases[i].want, "preview %zu: %s", i,
		   cases[i].want ? "a preview" : "not a preview");
		post_src_close(&src);
	}
}

/* past libxml2's depth limit: a warning, and the rest of the document */
static int nwarns;
static void on_warn(void *ctx, const char *what)
{
	(void)ctx;
	nwarns += strstr(what, "nested more than") != NULL;
}

static void run_deep_warning(void)
{
	struct buf h = BUF_INIT(0), md = BUF_INIT(0);
	struct html2md_opts o = { .warn = on_warn };
	struct m2j_err e = { 0, "" };

	buf_addstr(&h, "<p>before</p>");
	for (int i = 0; i < 300; i++)
		buf_addstr(&h, "<div>");
	buf_addstr(&h, "deep");
	for (int i = 0; i < 300; i++)
		buf_addstr(&h, "</div>");
	buf_addstr(&h, "<p>after</p>");
	INT_EQ(html2md_convert(h.data, h.len, &o, &md, &e), 0, "deep: converted");
	OK(strstr(md.data, "before") && strstr(md.data, "deep") && strstr(md.data, "after"),
	   "deep: 300 nested divs, the text before, inside and after them kept");
	INT_EQ(nwarns, 1, "deep: one warning");
	buf_reset(&md);
	nwarns = 0;
	INT_EQ(html2md_convert("<div><p>x</p></div>", 19, &o, &md, &e), 0, "shallow: converted");
	INT_EQ(nwarns, 0, "shallow: no warning");
	buf_release(&h);
	buf_release(&md);
}

/* the element table is sorted (elem_get uses bsearch) and finds every row */
static void run_elements(void)
{
	static const char *const names[] = { "a", "blockquote", "dialog", "h6", "img", "menu",
		"ol", "select", "svg", "textarea", "xmp" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		STR_EQ(elem_get(names[i])->name, names[i], "elements: %s found", names[i]);
	OK(elem_get("blink")->kind == ELEM_TRANSPARENT && elem_get("")->kind == ELEM_TRANSPARENT,
	   "elements: unknown names are transparent");
	OK(elem_get("menu")->kind == ELEM_LIST && elem_get("ol")->arg == 1,
	   "elements: menu is a list, ol an ordered one");
}

int main(void)
{
	run_one_parse();
	run_footer();
	run_preview();
	run_deep_warning();
	run_elements();
	run_spec();
	run_goldens();
	run_depth();
	OK(nreports > 0, "drops reported (%d)", nreports);
	return HARNESS_END();
}
