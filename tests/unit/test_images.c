/* test_images.c - images: names, type checks, collecting, rewriting, and
 * live downloads against tests/server.py on 127.0.0.1 (SKIP without
 * python3). */
#include "harness.h"
#include "buf.h"
#include "caps.h"
#include "fetch.h"
#include "images.h"
#include "url.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


/* ---- helpers ---------------------------------------------------------- */

static const char *stem(const char *url)
{
	static char out[IMAGES_STEM_MAX];

	images_stem(url, NULL, out, sizeof out);
	return out;
}

static bool safe_name(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 90 || s[0] == '.' || s[0] == '-')
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = s ? strlen(s) : 0, b = strlen(suffix);

	return s && a >= b && strcmp(s + a - b, suffix) == 0;
}

static char *rw(struct images *im, const char *raw, const char *base)
{
	char *u = NULL, *r;
	struct m2j_err e = { 0, "" };

	if (url_sanitize(raw, base, URL_IMAGE, &u, &e) != 0)
		return NULL;
	r = images_rewrite(im, URL_IMAGE, u);
	free(u);
	return r;
}

static int rm_rf_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[PATH_MAX];

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
	return rmdir(dir);
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static bool exists(const char *dir, const char *name)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	return lstat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* ---- names ------------------------------------------------------------ */

static void test_names(void)
{
	char out[IMAGES_STEM_MAX];
	const char *const hosts[] = { "example.org", NULL };
	char longurl[1200];
	size_t i;

	STR_EQ(stem("https://cdn-images-1.medium.com/max/1024/1*WFzv1c-q205hJLlazLz43g.png"),
	       "1-WFzv1c-q205hJLlazLz43g", "name: Medium id from cdn-images-1");
	STR_EQ(stem("https://cdn-images-1.medium.com/max/800/1*WFzv1c-q205hJLlazLz43g.png"),
	       "1-WFzv1c-q205hJLlazLz43g", "name: another /max/ size, same name");
	STR_EQ(stem("https://miro.medium.com/v2/resize:fit:1400/format:webp/1*WFzv1c-q205hJLlazLz43g.png"),
	       "1-WFzv1c-q205hJLlazLz43g", "name: miro v2 resize URL, same name");
	STR_EQ(stem("https://cdn-images-1.medium.com/max/1024/1%2AWFzv1c-q205hJLlazLz43g.png"),
	       "1-WFzv1c-q205hJLlazLz43g", "name: %%2A for the star");
	STR_EQ(stem("https://cdn-images-1.medium.com/max/1024/0*Vp3ShI0p0A9zNb0_?q=20"),
	       "0-Vp3ShI0p0A9zNb0_", "name: 0* id, no extension, query ignored");
	STR_EQ(stem("https://miro.medium.com/1*WFzv1c-q205hJLlazLz43g.jpeg#x"),
	       "1-WFzv1c-q205hJLlazLz43g", "name: fragment ignored");
	/* a Medium-looking id on another host is not trusted as a name */
	images_stem("https://evil.example/max/1024/1*WFzv1c-q205hJLlazLz43g.png", NULL, out,
	            sizeof out);
	OK(strncmp(out, "1-WFzv1c-q205hJLlazLz43g-", 25) == 0 && strlen(out) == 25 + 10,
	   "name: id on a foreign host gets a hash (%s)", out);
	images_stem("https://cdn.example.org/max/1/1*WFzv1c-q205hJLlazLz43g.png", hosts, out,
	            sizeof out);
	STR_EQ(out, "1-WFzv1c-q205hJLlazLz43g", "name: id_hosts option adds a host");
	images_stem("https://notmedium.com/1*WFzv1c-q205hJLlazLz43g.png", NULL, out, sizeof out);
	OK(strlen(out) > 25, "name: notmedium.com is not a subdomain of medium.com (%s)", out);
	images_stem("https://user@medium.com:8443/1*WFzv1c-q205hJLlazLz43g.png", NULL, out,
	            sizeof out);
	STR_EQ(out, "1-WFzv1c-q205hJLlazLz43g", "name: userinfo and port ignored for the host");

	OK(strncmp(stem("https://example.org/img/photo.jpg"), "photo-", 6) == 0 &&
	   strlen(stem("https://example.org/img/photo.jpg")) == 16,
	   "name: other URL: segment + hash (%s)", stem("https://example.org/img/photo.jpg"));
	images_stem("https://example.org/a/photo.jpg", NULL, out, sizeof out);
	OK(strcmp(out, stem("https://example.org/b/photo.jpg")),
	   "name: same segment, other path: other names");
	images_stem("https://example.org/p.jpg?w=1", NULL, out, sizeof out);
	OK(strcmp(out, stem("https://example.org/p.jpg?w=2")), "name: the query is part of the hash");
	STR_EQ(stem("https://example.org/p.jpg"), stem("https://example.org/p.jpg"),
	       "name: stable");
	OK(strncmp(stem("https://example.org/My%20Photo (1).final.PNG"), "My-Photo-1-final-", 17) ==
	       0, "name: spaces, parens and dots folded (%s)",
	   stem("https://example.org/My%20Photo (1).final.PNG"));
	OK(strncmp(stem("https://example.org/a/../../etc/passwd"), "passwd-", 7) == 0,
	   "name: ../ leaves the last segment only (%s)", stem("https://example.org/a/../../etc/passwd"));
	OK(strncmp(stem("https://example.org/x/%2e%2e"), "image-", 6) == 0,
	   "name: %%2e%%2e becomes image-HASH (%s)", stem("https://example.org/x/%2e%2e"));
	OK(strncmp(stem("https://example.org/x/%2e%2e%2f%2e%2e%2fetc"), "etc-", 4) == 0,
	   "name: encoded ../ folded (%s)", stem("https://example.org/x/%2e%2e%2f%2e%2e%2fetc"));
	OK(strncmp(stem("https://example.org/.htaccess"), "htaccess-", 9) == 0,
	   "name: never a dot file (%s)", stem("https://example.org/.htaccess"));
	OK(strncmp(stem("https://example.org/"), "image-", 6) == 0, "name: no path: image-HASH");
	OK(strncmp(stem("https://example.org/caf%C3%A9-\xe6\x97\xa5\xe6\x9c\xac.png"), "caf-", 4) == 0,
	   "name: UTF-8 folded (%s)", stem("https://example.org/caf%C3%A9-\xe6\x97\xa5\xe6\x9c\xac.png"));
	OK(strncmp(stem("https://example.org/a%00b%0a%2Fc.png"), "a-b-c-", 6) == 0,
	   "name: NUL, newline and slash folded (%s)", stem("https://example.org/a%00b%0a%2Fc.png"));
	OK(strncmp(stem("https://example.org/-rf.png"), "rf-", 3) == 0,
	   "name: no leading hyphen (%s)", stem("https://example.org/-rf.png"));
	memcpy(longurl, "https://example.org/", 20);
	for (i = 20; i < sizeof longurl - 5; i++)
		longurl[i] = 'a';
	memcpy(longurl + i, ".png", 5);
	OK(strlen(stem(longurl)) == 71, "name: long segment cut (%zu bytes)", strlen(stem(longurl)));
	{
		const char *hostile[] = {
			"https://example.org/%2e%2e/%2e%2e/x.png", "https://example.org/..",
			"https://example.org/...png", "https://example.org/%2f%2f%2f",
			"https://example.org/\xff\xfe.png", "https://example.org/a%",
			"https://example.org/a%4", "https://example.org/%%%%",
			"https://cdn-images-1.medium.com/max/1/1*..%2f..%2fx.png",
			"https://cdn-images-1.medium.com/max/1/1*aaaaaaaa.png.exe",
			"https://cdn-images-1.medium.com/max/1/1*aaaaaaaa%00.png",
			"https://cdn-images-1.medium.com/max/1/9999*aaaaaaaa.png",
			"http://[::1]:80/x.png", "https://example.org?x=/a/b.png", NULL
		};
		bool all = true;
		for (i = 0; hostile[i]; i++) {
			const char *s = stem(hostile[i]);
			if (!safe_name(s) || strchr(s, '.')) {
				all = false;
				printf("  unsafe: %s -> %s\n", hostile[i], s);
			}
		}
		OK(all, "name: %zu hostile URLs give safe names", i);
	}
	OK(strlen(stem("https://cdn-images-1.medium.com/max/1/1*aaaaaaaa.png.exe")) > 12,
	   "name: id with a double extension is hashed");
}

#define PNG_SIG "\x89PNG\r\n\x1a\n"
#define PNG_IHDR "\0\0\0\x0dIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0CRC!"
#define PNG_IEND "\0\0\0\0IENDCRC!"

static void type_case(const char *ctype, const char *b, size_t len, const char *want,
                      const char *what)
{
	const char *why = "";
	const char *got = images_type(ctype, b, len, &why);

	if (want)
		STR_EQ(got, want, "type: %s (%s)", what, why);
	else
		OK(got == NULL && strstr(why, "structure") != NULL, "type: %s refused (%s)", what, why);
}

static void test_types(void)
{
	const char *why = NULL;
	static const char png[] = PNG_SIG PNG_IHDR PNG_IEND;
	static const char jpg[] = "\xff\xd8\xff\xe0\0\x04\0\0\xff\xda\0\x02\x11\xff\0\x22\xff\xd0\x33\xff\xd9";
	static const char gif[] = "GIF89a\1\0\1\0\x80\0\0" "abcdef"
	                          "\x21\xf9\x04\0\0\0\0\0" "\x2c\0\0\0\0\1\0\1\0\0" "\x02\x02\x44\x01\0" "\x3b";
	static const char webp[] = "RIFF\x0c\0\0\0WEBPVP8 \0\0\0\0";

	type_case("image/png", png, sizeof png - 1, ".png", "png");
	type_case("image/jpeg", jpg, sizeof jpg - 1, ".jpg", "jpeg -> .jpg");
	type_case("image/gif", gif, sizeof gif - 1, ".gif", "gif");
	type_case("image/webp", webp, sizeof webp - 1, ".webp", "webp");
	type_case("image/jpeg", png, sizeof png - 1, ".png", "the bytes decide the extension");
	/* issue 11: the whole structure must be the format the signature claims */
	{
		static const char poly[] = PNG_SIG "<html><script>alert(1)</script></html>";
		static const char poly2[] = PNG_SIG PNG_IHDR "<html><script>alert(1)</script></html>";
		static const char trail[] = PNG_SIG PNG_IHDR PNG_IEND "<script>alert(1)</script>";
		static const char badlen[] = PNG_SIG "\0\0\x7f\xffIHDR";
		static const char noihdr[] = PNG_SIG PNG_IEND;
		static const char jtrail[] = "\xff\xd8\xff\xd9<html>";
		static const char jlen[] = "\xff\xd8\xff\xe0\x7f\xff\0\0\xff\xd9";
		static const char jnoeoi[] = "\xff\xd8\xff\xe0\0\x04\0\0\xff\xda\0\x02\x11\x22";
		static const char gnotrail[] = "GIF89a\1\0\1\0\0\0\0" "\x2c\0\0\0\0\1\0\1\0\0" "\x02\x02\x44\x01\0";
		static const char gjunk[] = "GIF89a\1\0\1\0\0\0\0<html>";
		static const char wsize[] = "RIFF\x0c\0\0\0WEBPVP8 \0\0\0\0<script>";

		type_case("image/png", poly, sizeof poly - 1, NULL, "PNG signature then HTML");
		type_case("image/png", poly2, sizeof poly2 - 1, NULL, "PNG header then HTML");
		type_case("image/png", trail, sizeof trail - 1, NULL, "HTML after IEND");
		type_case("image/png", badlen, sizeof badlen - 1, NULL, "PNG chunk length out of bounds");
		type_case("image/png", noihdr, sizeof noihdr - 1, NULL, "PNG without IHDR");
		type_case("image/png", png, sizeof png - 2, NULL, "truncated PNG");
		type_case("image/jpeg", jtrail, sizeof jtrail - 1, NULL, "HTML after JPEG EOI");
		type_case("image/jpeg", jlen, sizeof jlen - 1, NULL, "JPEG segment length out of bounds");
		type_case("image/jpeg", jnoeoi, sizeof jnoeoi - 1, NULL, "JPEG without EOI");
		type_case("image/gif", gnotrail, sizeof gnotrail - 1, NULL, "GIF without trailer");
		type_case("image/gif", gjunk, sizeof gjunk - 1, NULL, "GIF followed by HTML");
		type_case("image/webp", wsize, sizeof wsize - 1, NULL, "WebP RIFF size != file size");
	}
	OK(!images_type("image/svg+xml", "<svg/>", 6, &why) && strstr(why, "SVG"),
	   "type: SVG refused (%s)", why);
	OK(!images_type("text/html", "<html>", 6, &why), "type: text/html refused (%s)", why);
	OK(!images_type("application/octet-stream", png, sizeof png - 1, &why),
	   "type: octet-stream refused even with PNG bytes");
	OK(!images_type(NULL, png, sizeof png - 1, &why), "type: no content type refused (%s)", why);
	OK(!images_type("image/png", "<html>", 6, &why), "type: HTML body as image/png refused (%s)",
	   why);
	OK(!images_type("image/png", "", 0, &why), "type: empty body refused");
}

/* ---- collect and rewrite (no network: dry run and files on disk) ------ */

static void test_collect(void)
{
	struct images_opts o = { 0 };
	struct images *im = NULL;
	struct m2j_err e = { 0, "" };
	const char *html =
		"<p><img src=\"https://cdn-images-1.medium.com/max/1024/1*WFzv1c-q205hJLlazLz43g.png\">"
		"<img src=\"https://cdn-images-1.medium.com/max/800/1*WFzv1c-q205hJLlazLz43g.png\">"
		"<img src=\"https://medium.com/_/stat?event=post.clientViewed&referrerSource=full_rss&postId=x\" width=\"1\" height=\"1\">"
		"<img src=\"/images/rel.gif\"><img src=\"pic.webp\">"
		"<img src=\"javascript:alert(1)\"><img src=\"jav&#x09;ascript:alert(1)\">"
		"<img src=\"data:image/png;base64,iVBORw0KGgo=\">"
		"<img src=\"\" data-src=\"https://example.org/lazy.jpg\">"
		"<img src=\"ftp://example.org/x.png\"><img src=\"file:///etc/passwd\">"
		"<script><img src=\"https://example.org/in-script.png\"></script>"
		"<noscript><img src=\"https://example.org/in-noscript.png\"></noscript>"
		"<picture><source srcset=\"https://example.org/s.webp 1x\">"
		"<img src=\"https://example.org/fallback.png\"></picture></p>";
	const char *base = "https://blog.example.com/posts/one";
	char *r;

	o.dir = "/nonexistent/m2j-images-test";
	o.url_prefix = "/assets/img/";
	o.dry_run = true;
	INT_EQ(images_new(&o, &im, &e), 0, "collect: images_new");
	if (!im)
		return;
	INT_EQ(images_collect(im, html, strlen(html), base, &e), 0, "collect: images_collect");
	INT_EQ(images_collect(im, html, strlen(html), base, &e), 0, "collect: twice");
	INT_EQ(images_fetch(im, NULL, NULL, &e), 0, "collect: dry-run fetch (%s)", e.msg);
	INT_EQ(images_counts(im)->planned, 5, "collect: 5 images planned (Medium twice = 1)");
	INT_EQ(images_counts(im)->downloaded + images_counts(im)->failed, 0,
	       "collect: dry run downloads nothing");
	r = rw(im, "https://cdn-images-1.medium.com/max/1024/1*WFzv1c-q205hJLlazLz43g.png", NULL);
	STR_EQ(r, "/assets/img/1-WFzv1c-q205hJLlazLz43g.png", "rewrite: Medium image");
	free(r);
	r = rw(im, "https://cdn-images-1.medium.com/max/800/1*WFzv1c-q205hJLlazLz43g.png", NULL);
	STR_EQ(r, "/assets/img/1-WFzv1c-q205hJLlazLz43g.png", "rewrite: other size, same file");
	free(r);
	r = rw(im, "/images/rel.gif", base);
	OK(r && strncmp(r, "/assets/img/rel-", 16) == 0 && ends_with(r, ".gif"),
	   "rewrite: relative URL resolved against the base (%s)", r ? r : "NULL");
	free(r);
	r = rw(im, "pic.webp", base);
	OK(r && strncmp(r, "/assets/img/pic-", 16) == 0 && ends_with(r, ".webp"),
	   "rewrite: relative path (%s)", r ? r : "NULL");
	free(r);
	r = rw(im, "https://example.org/lazy.jpg", NULL);
	OK(r && ends_with(r, ".jpg"), "collect: data-src when src is empty (%s)", r ? r : "NULL");
	free(r);
	r = rw(im, "https://example.org/fallback.png", NULL);
	OK(r != NULL, "collect: the <img> inside <picture>");
	free(r);
	r = images_rewrite(im, URL_IMAGE,
	                   "https://medium.com/_/stat?event=post.clientViewed&referrerSource=full_rss&postId=x");
	OK(r == NULL, "collect: tracking pixel never registered");
	free(r);
	r = images_rewrite(im, URL_IMAGE, "https://example.org/in-script.png");
	OK(r == NULL, "collect: img in script skipped");
	free(r);
	r = images_rewrite(im, URL_IMAGE, "https://example.org/in-noscript.png");
	OK(r == NULL, "collect: img in noscript skipped");
	free(r);
	r = images_rewrite(im, URL_LINK,
	                   "https://cdn-images-1.medium.com/max/1024/1*WFzv1c-q205hJLlazLz43g.png");
	OK(r == NULL, "rewrite: only for URL_IMAGE");
	free(r);
	r = images_rewrite(im, URL_IMAGE, "https://example.org/unknown.png");
	OK(r == NULL, "rewrite: unregistered URL kept");
	free(r);
	r = images_rewrite(im, URL_IMAGE, "data:image/png;base64,iVBORw0KGgo=");
	OK(r == NULL, "rewrite: data: URL kept inline");
	free(r);
	images_free(im);

	/* no base: relative URLs cannot be downloaded */
	im = NULL;
	INT_EQ(images_new(&o, &im, &e), 0, "collect: images_new again");
	if (!im)
		return;
	images_collect(im, "<img src=\"/x.png\"><img src=\"//cdn.example.org/y.png\">", 47, NULL,
	               &e);
	images_fetch(im, NULL, NULL, &e);
	INT_EQ(images_counts(im)->planned, 1,
	       "collect: relative without base skipped, protocol-relative kept");
	images_free(im);

	images_free(NULL);
	o.url_prefix = NULL;
	o.dir = "/abs/dir";
	im = NULL;
	INT_EQ(images_new(&o, &im, &e), M2J_EUSAGE, "new: absolute dir needs a prefix (%s)", e.msg);
	o.dir = NULL;
	INT_EQ(images_new(&o, &im, &e), M2J_EUSAGE, "new: dir required");
}

static void test_on_disk(void)
{
	char dir[] = "/tmp/m2j-img-disk-XXXXXX";
	char p[PATH_MAX];
	struct images_opts o = { 0 };
	struct images *im = NULL;
	struct m2j_err e = { 0, "" };
	const char *html =
		"<img src=\"https://cdn-images-1.medium.com/max/1024/1*WFzv1c-q205hJLlazLz43g.png\">"
		"<img src=\"https://cdn-images-1.medium.com/max/1024/1*Symlinked1234567.png\">";
	char *r;
	int fd;

	if (!mkdtemp(dir)) {
		OK(0, "disk: mkdtemp");
		return;
	}
	/* a JPEG saved by an earlier run: found whatever the URL says */
	snprintf(p, sizeof p, "%s/1-WFzv1c-q205hJLlazLz43g.jpg", dir);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd >= 0)
		close(fd);
	snprintf(p, sizeof p, "%s/1-Symlinked1234567.png", dir);
	if (symlink("/etc/passwd", p) != 0)
		OK(0, "disk: symlink");
	o.dir = dir;
	o.url_prefix = "/i";
	o.dry_run = true;
	images_new(&o, &im, &e);
	if (!im)
		return;
	images_collect(im, html, strlen(html), NULL, &e);
	INT_EQ(images_fetch(im, NULL, NULL, &e), 0, "disk: dry-run fetch");
	INT_EQ(images_counts(im)->present, 1, "disk: one present");
	INT_EQ(images_counts(im)->planned, 1, "disk: a symlink is not an image on disk");
	r = images_rewrite(im, URL_IMAGE,
	                   "https://cdn-images-1.medium.com/max/1024/1*WFzv1c-q205hJLlazLz43g.png");
	STR_EQ(r, "/i/1-WFzv1c-q205hJLlazLz43g.jpg", "disk: extension found on disk");
	free(r);
	images_free(im);
	snprintf(p, sizeof p, "%s/1-Symlinked1234567.png", dir);
	unlink(p);
	rm_rf_files(dir);

	/* default prefix from a relative dir */
	o.dir = "./assets/images/medium/";
	o.url_prefix = NULL;
	im = NULL;
	images_new(&o, &im, &e);
	if (!im)
		return;
	images_collect(im, html, strlen(html), NULL, &e);
	images_fetch(im, NULL, NULL, &e);
	r = images_rewrite(im, URL_IMAGE,
	                   "https://cdn-images-1.medium.com/max/1024/1*WFzv1c-q205hJLlazLz43g.png");
	STR_EQ(r, "/assets/images/medium/1-WFzv1c-q205hJLlazLz43g.png",
	       "prefix: default is / + dir");
	free(r);
	images_free(im);
}

/* ---- live: tests/server.py ------------------------------------------- */

#include "server.h"

static int log_lines(void)
{
	struct buf b = BUF_INIT(0);
	int n = 0;
	size_t i;

	if (buf_read_file(&b, log_file) == 0)
		for (i = 0; i < b.len; i++)
			n += b.data[i] == '\n';
	buf_release(&b);
	return n;
}

struct warnings {
	struct buf all;
	int n;
};

static void on_warn(void *ctx, const char *msg)
{
	struct warnings *w = ctx;

	buf_addf(&w->all, "%s\n", msg);
	w->n++;
}

static void test_live(void)
{
	char dir[1024], post[4096];
	const char *const hosts[] = { "127.0.0.1", NULL };
	struct images_opts o = { 0 };
	struct images *im = NULL;
	struct m2j_err e = { 0, "" };
	struct warnings w = { BUF_INIT(0), 0 };
	char *r;
	char u[512];
	int before, run;

	if (start_server("fixtures/images") != 0) {
		printf("SKIP: images live: cannot start tests/server.py (python3 missing?)\n");
		return;
	}
	snprintf(dir, sizeof dir, "%s/site/assets/images", server_dir);
	snprintf(post, sizeof post,
	         "<p><img src=\"%s/as/max/800/1*WFzv1c-q205hJLlazLz43g.png?file=red.png&amp;ct=image/png\">"
	         "<img src=\"%s/as/max/1024/1*WFzv1c-q205hJLlazLz43g.png?file=blue.png&amp;ct=image/png\">"
	         "<img src=\"/dot.gif?ct=image/gif\">"
	         "<img src=\"/dot.gif?ct=image/gif\">"
	         "<img src=\"/red.png?ct=image/jpeg\">"
	         "<img src=\"/missing.png\">"
	         "<img src=\"/page.html\">"
	         "<img src=\"/script.svg?ct=image/svg%%2Bxml\">"
	         "<img src=\"/fake.png?ct=image/png\">"
	         "<img src=\"/noise.png?ct=image/png\">"
	         "<img src=\"/status/500\">"
	         "<img src=\"%s/medium.com/_/stat?event=x\"></p>",
	         base, base, base);
	snprintf(u, sizeof u, "%s/posts/one", base);

	{
		/* a temp file left by a dead writer is removed, a live one's kept */
		char p[PATH_MAX];
		int fd;

		snprintf(p, sizeof p, "%s/site", server_dir);
		mkdir(p, 0755);
		snprintf(p, sizeof p, "%s/site/assets", server_dir);
		mkdir(p, 0755);
		mkdir(dir, 0755);
		snprintf(p, sizeof p, "%s/.m2j-999999999-1.tmp", dir);
		fd = open(p, O_WRONLY | O_CREAT, 0644);
		if (fd >= 0)
			close(fd);
		snprintf(p, sizeof p, "%s/.m2j-1-1.tmp", dir); /* pid 1 is alive */
		fd = open(p, O_WRONLY | O_CREAT, 0644);
		if (fd >= 0)
			close(fd);
	}
	for (run = 1; run <= 2; run++) {
		o.dir = dir;
		o.url_prefix = "/assets/images";
		o.max_size = 4096; /* noise.png is 7 kB */
		o.timeout = 10;
		o.id_hosts = hosts;
		im = NULL;
		w.n = 0;
		buf_reset(&w.all);
		before = log_lines();
		INT_EQ(images_new(&o, &im, &e), 0, "live %d: images_new", run);
		if (!im)
			break;
		INT_EQ(images_collect(im, post, strlen(post), u, &e), 0, "live %d: collect", run);
		INT_EQ(images_fetch(im, on_warn, &w, &e), 0, "live %d: fetch (%s)", run, e.msg);
		if (run == 1) {
			INT_EQ(images_counts(im)->downloaded, 3, "live 1: 3 images downloaded");
			INT_EQ(images_counts(im)->failed, 6, "live 1: 6 refused or failed");
			INT_EQ(images_counts(im)->present, 0, "live 1: none present");
			INT_EQ(log_lines() - before, 9,
			       "live 1: 9 requests (one per image, the Medium id once, no pixel)");
			INT_EQ(count_files(dir), 3, "live 1: 3 files in the folder");
			OK(!exists(dir, ".m2j-999999999-1.tmp"), "live 1: stale temp file removed");
			OK(exists(dir, ".m2j-1-1.tmp"), "live 1: a live writer's temp file kept");
			INT_EQ(w.n, 6, "live 1: 6 warnings");
			printf("%s", w.all.data);
			OK(strstr(w.all.data, "/missing.png: HTTP 404") != NULL, "live 1: 404 warned");
			OK(strstr(w.all.data, "/page.html: refused") &&
			   strstr(w.all.data, "(text/html)"), "live 1: text/html refused");
			OK(strstr(w.all.data, "/script.svg") && strstr(w.all.data, "SVG is refused"),
			   "live 1: SVG refused");
			OK(strstr(w.all.data, "/fake.png?ct=image/png: refused: the body is not"),
			   "live 1: HTML served as image/png refused");
			OK(strstr(w.all.data, "/noise.png?ct=image/png: body exceeds 4096 bytes"),
			   "live 1: oversized image refused");
			OK(strstr(w.all.data, "/status/500: HTTP 500"), "live 1: HTTP 500 warned");
			OK(exists(dir, "1-WFzv1c-q205hJLlazLz43g.png"), "live 1: Medium name on disk");
		} else {
			INT_EQ(images_counts(im)->downloaded, 0, "live 2: nothing downloaded");
			INT_EQ(images_counts(im)->present, 3, "live 2: 3 present");
			INT_EQ(log_lines() - before, 6, "live 2: only the 6 failed ones asked again");
			INT_EQ(count_files(dir), 3, "live 2: still 3 files");
		}
		r = rw(im, "/as/max/800/1*WFzv1c-q205hJLlazLz43g.png?file=red.png&ct=image/png", u);
		STR_EQ(r, "/assets/images/1-WFzv1c-q205hJLlazLz43g.png",
		       "live %d: Medium image rewritten", run);
		free(r);
		r = rw(im, "/dot.gif?ct=image/gif", u);
		OK(r && strncmp(r, "/assets/images/dot-", 19) == 0 && ends_with(r, ".gif"),
		   "live %d: gif rewritten (%s)", run, r ? r : "NULL");
		free(r);
		r = rw(im, "/red.png?ct=image/jpeg", u);
		OK(r && ends_with(r, ".png"), "live %d: extension from the bytes (%s)", run,
		   r ? r : "NULL");
		free(r);
		r = rw(im, "/missing.png", u);
		OK(r == NULL, "live %d: failed image keeps its URL", run);
		free(r);
		r = rw(im, "/script.svg?ct=image/svg%2Bxml", u);
		OK(r == NULL, "live %d: refused SVG keeps its URL", run);
		free(r);
		images_free(im);
	}
	{
		/* the largest size registered wins: blue.png was /max/1024/ */
		struct buf b = BUF_INIT(0), want = BUF_INIT(0);
		const char *root = getenv("M2J_ROOT");
		char p[PATH_MAX];

		snprintf(p, sizeof p, "%s/1-WFzv1c-q205hJLlazLz43g.png", dir);
		buf_read_file(&b, p);
		snprintf(p, sizeof p, "%s/fixtures/images/blue.png", root ? root : ".");
		buf_read_file(&want, p);
		OK(b.len > 0 && b.len == want.len && memcmp(b.data, want.data, b.len) == 0,
		   "live: the Medium file is the /max/1024/ one");
		buf_release(&want);
		buf_release(&b);
	}
	{
		/* a symlink planted at the name is never followed or replaced */
		char p[PATH_MAX], target[PATH_MAX], pdir[PATH_MAX];
		struct stat st;

		snprintf(target, sizeof target, "%s/target", server_dir);
		snprintf(pdir, sizeof pdir, "%s/planted-dir", server_dir);
		o.dir = pdir;
		mkdir(pdir, 0755);
		snprintf(post, sizeof post,
		         "<img src=\"%s/as/1*PlantedSymlink123.png?file=red.png&amp;ct=image/png\">",
		         base);
		snprintf(p, sizeof p, "%s/planted-dir/1-PlantedSymlink123.png", server_dir);
		OK(symlink(target, p) == 0, "live: symlink planted");
		w.n = 0;
		buf_reset(&w.all);
		im = NULL;
		images_new(&o, &im, &e);
		if (im) {
			images_collect(im, post, strlen(post), NULL, &e);
			INT_EQ(images_fetch(im, on_warn, &w, &e), 0, "live: fetch next to a symlink");
			INT_EQ(images_counts(im)->failed, 1, "live: a symlink at the name: refused");
			printf("%s", w.all.data);
			INT_EQ(images_counts(im)->downloaded, 0, "live: nothing written");
			images_free(im);
		}
		OK(lstat(target, &st) != 0, "live: symlink target not created");
		unlink(p);
		rm_rf_files(pdir);
	}
	buf_release(&w.all);
	rm_rf_files(dir);
	snprintf(dir, sizeof dir, "%s/site/assets", server_dir);
	rmdir(dir);
	snprintf(dir, sizeof dir, "%s/site", server_dir);
	rmdir(dir);
	stop_server();
}

int main(void)
{
	struct m2j_err e = { 0, "" };

	test_names();
	test_types();
	test_collect();
	test_on_disk();
	if (fetch_global_init(&e) == 0) {
		test_live();
		fetch_global_cleanup();
	}
	return HARNESS_END();
}
