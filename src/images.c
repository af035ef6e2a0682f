/* images.c - download a post's images into the site (see images.h). */
#include "images.h"
#include "fsatomic.h"

#include "buf.h"
#include "caps.h"
#include "elements.h"
#include "fetch.h"
#include "strmap.h"
#include "url.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

enum file_state {
	ST_NEW,      /* registered, not looked at yet */
	ST_PRESENT,  /* on disk before this object downloaded it */
	ST_DONE,     /* downloaded by this object */
	ST_FAILED,   /* refused or failed; warned */
	ST_OVER_BUDGET, /* cut by the image budget (images_fetch only) */
	ST_PLANNED   /* dry run: would be downloaded */
};

struct file {
	char *stem;
	char *url;        /* the URL downloaded (the largest size registered) */
	long size;        /* Medium size in the URL, 0 when none */
	enum file_state state;
	const char *ext;  /* static; set for PRESENT, DONE, and PLANNED when known */
};

struct images {
	char *dir, *prefix, *user_agent;
	char **id_hosts;  /* NULL-terminated copy, or NULL for the default */
	size_t max_size;
	long timeout, connect_timeout;
	long budget;            /* seconds per images_fetch; 0 = default */
	int concurrency, per_host;
	bool dry_run;

	struct file *files;
	size_t nfiles, capfiles;
	struct strmap by_url;   /* sanitized URL -> file index */
	struct strmap by_stem;  /* stem -> file index */
	int dirfd;              /* -1 until opened */
	struct images_counts counts;

	/* during images_fetch */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
	int fatal;
	struct m2j_err fatal_err;
	double start, deadline; /* monotonic seconds: the budget's end */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const exts[] = { ".png", ".jpg", ".gif", ".webp" };
static const char *const default_id_hosts[] = { "medium.com", NULL };

/* ---- names ------------------------------------------------------------ */

static char lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* host (length hn) equals h or is a subdomain of it, ASCII case-insensitive */
static bool host_matches(const char *host, size_t hn, const char *h)
{
	size_t n = strlen(h), i;

	if (hn < n || (hn > n && host[hn - n - 1] != '.'))
		return false;
	for (i = 0; i < n; i++)
		if (lower(host[hn - n + i]) != lower(h[i]))
			return false;
	return true;
}

/* Splits an absolute URL: host [*host, +*hn), path [*path, +*pn). */
static void split_url(const char *url, const char **host, size_t *hn, const char **path,
                      size_t *pn)
{
	const char *p = strstr(url, "://"), *a, *e, *at, *h;

	a = p ? p + 3 : url;
	e = a + strcspn(a, "/?#");
	/* userinfo@ and :port are not part of the host */
	at = NULL;
	for (h = a; h < e; h++)
		if (*h == '@')
			at = h;
	h = at ? at + 1 : a;
	*host = h;
	*hn = (size_t)(e - h);
	if (*hn && h[0] != '[') {
		const char *c = memchr(h, ':', *hn);
		if (c)
			*hn = (size_t)(c - h);
	}
	*path = e;
	*pn = *e == '/' ? strcspn(e, "?#") : 0;
}

/* The last non-empty path segment, percent-decoded, into out (cut to fit). */
static void last_segment(const char *path, size_t pn, char *out, size_t outsz)
{
	size_t end = pn, start, i, o = 0;

	while (end > 0 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	for (i = start; i < end && o + 1 < outsz; i++) {
		int h1, h2;

		if (path[i] == '%' && i + 2 < end && (h1 = hexval(path[i + 1])) >= 0 &&
		    (h2 = hexval(path[i + 2])) >= 0) {
			/* a decoded NUL must not end the name early */
			if (h1 || h2)
				out[o++] = (char)(h1 * 16 + h2);
			else
				out[o++] = '-';
			i += 2;
		} else {
			out[o++] = path[i];
		}
	}
	out[o] = '\0';
}

/* "1*WFzv1c-q205hJLlazLz43g.png" -> "1-WFzv1c-q205hJLlazLz43g" */
static bool medium_id(const char *seg, char *out, size_t outsz)
{
	size_t d = 0, n = 0, e = 0;
	const char *p = seg;

	while (is_digit(p[d]))
		d++;
	if (d < 1 || d > 3 || p[d] != '*')
		return false;
	p += d + 1;
	while (is_alnum(p[n]) || p[n] == '_' || p[n] == '-')
		n++;
	if (n < 8 || n > 80)
		return false;
	if (p[n] == '.') {
		while (is_alnum(p[n + 1 + e]))
			e++;
		if (e < 1 || e > 5 || p[n + 1 + e])
			return false;
	} else if (p[n]) {
		return false;
	}
	if (d + 1 + n + 1 > outsz)
		return false;
	memcpy(out, seg, d);
	out[d] = '-';
	memcpy(out + d + 1, p, n);
	out[d + 1 + n] = '\0';
	return true;
}

void images_stem(const char *url, const char *const *id_hosts, char *out, size_t outsz)
{
	const char *host, *path;
	size_t hn, pn, i, o = 0, cut;
	char seg[256] = "", stem[64];
	bool id_host = false;
	uint64_t h;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (outsz < IMAGES_STEM_MAX)
		return;
	split_url(url, &host, &hn, &path, &pn);
	last_segment(path, pn, seg, sizeof seg);
	for (i = 0; (id_hosts ? id_hosts : default_id_hosts)[i]; i++)
		if (host_matches(host, hn, (id_hosts ? id_hosts : default_id_hosts)[i]))
			id_host = true;
	if (id_host && medium_id(seg, out, outsz))
		return;
	/* drop the extension: the content decides it */
	cut = strlen(seg);
	for (i = cut; i > 0; i--) {
		if (seg[i - 1] == '.') {
			if (cut - i >= 1 && cut - i <= 5)
				cut = i - 1;
			break;
		}
		if (!is_alnum(seg[i - 1]))
			break;
	}
	for (i = 0; i < cut && o < 60; i++) {
		char c = seg[i];

		if (is_alnum(c) || c == '_') {
			stem[o++] = c;
		} else if (o > 0 && stem[o - 1] != '-') {
			stem[o++] = '-';
		}
	}
	while (o > 0 && stem[o - 1] == '-')
		o--;
	stem[o] = '\0';
	h = strmap_hash(url, strlen(url));
	snprintf(out, outsz, "%s-%010llx", o ? stem : "image",
	         (unsigned long long)(h >> 24));
}

/* The Medium size in a URL (/max/NNN/, resize:fit:NNN, /fit/c/NNN/), or 0. */
static long url_size(const char *url)
{
	static const char *const keys[] = { "/max/", "resize:fit:", "/fit/c/" };
	size_t k;

	for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		const char *p = strstr(url, keys[k]);
		long v = 0;
		int digits = 0;

		if (!p)
			continue;
		for (p += strlen(keys[k]); is_digit(*p) && digits < 6; p++, digits++)
			v = v * 10 + (*p - '0');
		if (digits)
			return v;
	}
	return 0;
}

/* ---- content ---------------------------------------------------------- */

/* ---- whole-structure checks: the body is what its signature claims ---- */

static unsigned long be32(const unsigned char *p)
{
	return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) |
	       ((unsigned long)p[2] << 8) | (unsigned long)p[3];
}

static unsigned long le32(const unsigned char *p)
{
	return ((unsigned long)p[3] << 24) | ((unsigned long)p[2] << 16) |
	       ((unsigned long)p[1] << 8) | (unsigned long)p[0];
}

/* Chunks (length, type, data, CRC) from IHDR to an IEND that ends the file. */
static bool png_whole(const unsigned char *b, size_t len)
{
	size_t off = 8;
	bool first = true;

	while (len - off >= 12) {
		unsigned long n = be32(b + off);
		const unsigned char *type = b + off + 4;

		if (n > 0x7fffffffUL || n > len - off - 12)
			return false;
		for (int k = 0; k < 4; k++)
			if (!((type[k] >= 'a' && type[k] <= 'z') || (type[k] >= 'A' && type[k] <= 'Z')))
				return false;
		if (first && (memcmp(type, "IHDR", 4) != 0 || n != 13))
			return false;
		first = false;
		off += 12 + (size_t)n;
		if (memcmp(type, "IEND", 4) == 0)
			return n == 0 && off == len;
	}
	return false;
}

/* Markers with their lengths in bounds, entropy-coded data after SOS, up
 * to an EOI that ends the file. */
static bool jpeg_whole(const unsigned char *b, size_t len)
{
	size_t off = 2;

	while (off < len) {
		unsigned char m;

		if (b[off] != 0xff)
			return false;
		while (off < len && b[off] == 0xff)
			off++; /* fill bytes */
		if (off >= len)
			return false;
		m = b[off++];
		if (m == 0xd9)
			return off == len;
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7))
			continue;
		if (m == 0x00 || m == 0xd8 || len - off < 2)
			return false;
		{
			size_t n = ((size_t)b[off] << 8) | b[off + 1];

			if (n < 2 || n > len - off)
				return false;
			off += n;
		}
		if (m == 0xda) {
			/* scan data: up to a marker that is no stuffed 0 or RST */
			while (off + 1 < len && !(b[off] == 0xff && b[off + 1] != 0x00 &&
			                          !(b[off + 1] >= 0xd0 && b[off + 1] <= 0xd7)))
				off++;
			if (off + 1 >= len)
				return false;
		}
	}
	return false;
}

/* Sub-blocks from off: sizes then data, up to a 0 size.  Returns the
 * offset after the terminator, or 0 when out of bounds. */
static size_t gif_blocks(const unsigned char *b, size_t len, size_t off)
{
	while (off < len) {
		size_t n = b[off++];

		if (n == 0)
			return off;
		if (n > len - off)
			return 0;
		off += n;
	}
	return 0;
}

static size_t gif_table(const unsigned char *b, size_t flags_at)
{
	return (b[flags_at] & 0x80) ? 3u * (1u << ((b[flags_at] & 7) + 1)) : 0;
}

/* Header, screen descriptor, blocks and the trailer 0x3B that ends the file. */
static bool gif_whole(const unsigned char *b, size_t len)
{
	size_t off = 13;

	if (len < 13)
		return false;
	off += gif_table(b, 10);
	while (off < len) {
		unsigned char t = b[off++];

		if (t == 0x3b)
			return off == len;
		if (t == 0x21) {
			if (off >= len || !(off = gif_blocks(b, len, off + 1)))
				return false;
		} else if (t == 0x2c) {
			if (len - off < 9)
				return false;
			off += 9 + gif_table(b, off + 8);
			if (off >= len || !(off = gif_blocks(b, len, off + 1)))
				return false;
		} else {
			return false;
		}
	}
	return false;
}

/* The RIFF size covers the whole file. */
static bool webp_whole(const unsigned char *b, size_t len)
{
	return len >= 12 && le32(b + 4) == len - 8 && (len - 8) % 2 == 0;
}


/* ext when the structure check passed, else NULL with the reason. */
static const char *whole(bool ok, const char *ext, const char *refusal, const char **why)
{
	if (ok)
		return ext;
	*why = refusal;
	return NULL;
}

const char *images_type(const char *ctype, const void *body, size_t len, const char **why)
{
	static const char *const ok_types[] = {
		"image/png", "image/jpeg", "image/jpg", "image/pjpeg", "image/gif", "image/webp"
	};
	const unsigned char *b = body;
	const char *dummy;
	size_t i;
	bool ok = false;

	if (!why)
		why = &dummy;
	if (!ctype || !*ctype) {
		*why = "no Content-Type";
		return NULL;
	}
	if (strcmp(ctype, "image/svg+xml") == 0) {
		*why = "SVG is refused (it can carry script)";
		return NULL;
	}
	for (i = 0; i < sizeof ok_types / sizeof ok_types[0]; i++)
		if (strcmp(ctype, ok_types[i]) == 0)
			ok = true;
	if (!ok) {
		*why = "not a PNG, JPEG, GIF or WebP content type";
		return NULL;
	}
	if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
		return whole(png_whole(b, len), ".png",
		             "the body starts as a PNG but its structure is not one (polyglot?)", why);
	if (len >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		return whole(jpeg_whole(b, len), ".jpg",
		             "the body starts as a JPEG but its structure is not one (polyglot?)", why);
	if (len >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
		return whole(gif_whole(b, len), ".gif",
		             "the body starts as a GIF but its structure is not one (polyglot?)", why);
	if (len >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
		return whole(webp_whole(b, len), ".webp",
		             "the body starts as a WebP but its structure is not one (polyglot?)", why);
	*why = "the body is not a PNG, JPEG, GIF or WebP image";
	return NULL;
}

/* The extension a URL's path suggests (dry run), or NULL. */
static const char *url_ext(const char *url)
{
	const char *host, *path, *dot = NULL;
	size_t hn, pn, i;

	split_url(url, &host, &hn, &path, &pn);
	for (i = pn; i > 0 && path[i - 1] != '/'; i--)
		if (path[i - 1] == '.') {
			dot = path + i;
			break;
		}
	if (!dot)
		return NULL;
	pn -= (size_t)(dot - path);
	if (pn == 3 && strncmp(dot, "png", 3) == 0)
		return ".png";
	if ((pn == 3 && strncmp(dot, "jpg", 3) == 0) || (pn == 4 && strncmp(dot, "jpeg", 4) == 0))
		return ".jpg";
	if (pn == 3 && strncmp(dot, "gif", 3) == 0)
		return ".gif";
	if (pn == 4 && strncmp(dot, "webp", 4) == 0)
		return ".webp";
	return NULL;
}

/* ---- lifecycle -------------------------------------------------------- */

static char *dup_or_null(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

int images_new(const struct images_opts *o, struct images **out, struct m2j_err *err)
{
	struct images *im;
	bool oom = false;
	size_t n, i;

	*out = NULL;
	if (!o || !o->dir || !*o->dir)
		return m2j_err_set(err, M2J_EUSAGE, "images: no folder given");
	if (strlen(o->dir) >= CAP_PATH_LEN - IMAGES_STEM_MAX - 16)
		return m2j_err_set(err, M2J_EUSAGE, "images: folder name too long");
	if (!o->url_prefix && o->dir[0] == '/')
		return m2j_err_set(err, M2J_EUSAGE,
		                   "images: an absolute folder needs a site path (--images-url)");
	im = calloc(1, sizeof *im);
	if (!im)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	im->dirfd = -1;
	im->dir = dup_or_null(o->dir, &oom);
	if (o->url_prefix) {
		im->prefix = dup_or_null(o->url_prefix, &oom);
	} else {
		struct buf b = BUF_INIT(0);
		const char *d = o->dir;

		while (d[0] == '.' && d[1] == '/')
			d += 2;
		buf_addch(&b, '/');
		buf_addstr(&b, d);
		if (b.failed)
			oom = true;
		else
			im->prefix = buf_detach(&b, NULL);
		buf_release(&b);
	}
	if (im->prefix) {
		n = strlen(im->prefix);
		while (n > 0 && im->prefix[n - 1] == '/')
			im->prefix[--n] = '\0';
	}
	im->user_agent = dup_or_null(o->user_agent, &oom);
	if (o->id_hosts) {
		for (n = 0; o->id_hosts[n]; n++)
			;
		im->id_hosts = calloc(n + 1, sizeof *im->id_hosts);
		if (!im->id_hosts)
			oom = true;
		for (i = 0; im->id_hosts && i < n; i++)
			im->id_hosts[i] = dup_or_null(o->id_hosts[i], &oom);
	}
	if (oom) {
		images_free(im);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	im->max_size = o->max_size ? o->max_size : CAP_IMAGE_SIZE;
	im->timeout = o->timeout;
	im->budget = o->budget > 0 ? o->budget : 0;
	im->connect_timeout = o->connect_timeout;
	im->concurrency = o->concurrency;
	im->per_host = o->per_host;
	im->dry_run = o->dry_run;
	*out = im;
	return 0;
}

void images_free(struct images *im)
{
	size_t i;

	if (!im)
		return;
	for (i = 0; i < im->nfiles; i++) {
		free(im->files[i].stem);
		free(im->files[i].url);
	}
	free(im->files);
	strmap_release(&im->by_url);
	strmap_release(&im->by_stem);
	if (im->id_hosts)
		for (i = 0; im->id_hosts[i]; i++)
			free(im->id_hosts[i]);
	free(im->id_hosts);
	free(im->dir);
	free(im->prefix);
	free(im->user_agent);
	if (im->dirfd >= 0)
		close(im->dirfd);
	free(im);
}

const struct images_counts *images_counts(const struct images *im)
{
	return &im->counts;
}

/* ---- collecting ------------------------------------------------------- */

static bool starts_with_ci(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (lower(*s) != *prefix)
			return false;
	return true;
}

int images_add(struct images *im, const char *raw, const char *base, struct m2j_err *err)
{
	struct m2j_err e = { 0, "" };
	char stem[IMAGES_STEM_MAX];
	char *u = NULL;
	size_t idx;
	long size;
	int rc;

	if (!raw || !*raw || elem_tracking_pixel(raw))
		return 0;
	rc = url_sanitize(raw, base, URL_IMAGE, &u, &e);
	if (rc == M2J_ENOMEM)
		return m2j_err_set(err, rc, "%s", e.msg);
	if (rc != 0)
		return 0;
	if ((!starts_with_ci(u, "http://") && !starts_with_ci(u, "https://")) ||
	    elem_tracking_pixel(u) || strmap_get(&im->by_url, u, &idx)) {
		free(u);
		return 0;
	}
	size = url_size(u);
	images_stem(u, (const char *const *)im->id_hosts, stem, sizeof stem);
	if (strmap_get(&im->by_stem, stem, &idx)) {
		struct file *f = &im->files[idx];

		if (strmap_put(&im->by_url, u, idx) != 0) {
			free(u);
			return m2j_err_set(err, M2J_ENOMEM, "out of memory");
		}
		if (f->state == ST_NEW && size > f->size) {
			free(f->url);
			f->url = u;
			f->size = size;
		} else {
			free(u);
		}
		return 0;
	}
	if (im->nfiles >= CAP_IMAGES) {
		free(u);
		return 0;
	}
	if (im->nfiles == im->capfiles) {
		size_t nc = im->capfiles ? im->capfiles * 2 : 16;
		struct file *nf = realloc(im->files, nc * sizeof *nf);

		if (!nf) {
			free(u);
			return m2j_err_set(err, M2J_ENOMEM, "out of memory");
		}
		im->files = nf;
		im->capfiles = nc;
	}
	idx = im->nfiles;
	im->files[idx].stem = strdup(stem);
	im->files[idx].url = u;
	im->files[idx].size = size;
	im->files[idx].state = ST_NEW;
	im->files[idx].ext = NULL;
	if (!im->files[idx].stem) {
		free(u);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	im->nfiles++;
	if (strmap_put(&im->by_stem, stem, idx) != 0 || strmap_put(&im->by_url, u, idx) != 0)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	return 0;
}

int images_collect_doc(struct images *im, const struct htmldoc *d, const char *base,
                       struct m2j_err *err)
{
	xmlNodePtr n = htmldoc_first(d);
	int rc = 0;

	/* the images the post shows: html2md's rules (elements.h) */
	while (n && rc == 0) {
		bool descend = n->type == XML_ELEMENT_NODE && !elem_hidden(n);

		if (descend && elem_of(n)->kind == ELEM_IMG) {
			const char *v = elem_img_src(n);

			if (v)
				rc = images_add(im, v, base, err);
		}
		n = htmldoc_next(n, NULL, descend);
	}
	return rc;
}

int images_collect(struct images *im, const char *html, size_t len, const char *base,
                   struct m2j_err *err)
{
	struct htmldoc d;
	int rc = htmldoc_parse(html, len, &d, err);

	if (rc == M2J_ELIMIT)
		rc = 0; /* HTML that does not parse registers nothing */
	else if (rc == 0)
		rc = images_collect_doc(im, &d, base, err);
	htmldoc_release(&d);
	return rc;
}

/* ---- disk ------------------------------------------------------------- */

static int open_dir(struct images *im, bool create, struct m2j_err *err)
{
	int rc;

	if (im->dirfd >= 0)
		return 0;
	if (create && (rc = fsatomic_mkdirs(im->dir, err)) != 0)
		return rc;
	im->dirfd = open(im->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (im->dirfd < 0) {
		if (!create && errno == ENOENT)
			return 0;
		return m2j_err_set(err, M2J_EIO, "cannot open %s: %s", im->dir, strerror(errno));
	}
	if (create)
		fsatomic_clean_stale(im->dirfd);
	return 0;
}

/* The extension of an existing regular file stem.EXT, or NULL. */
static const char *on_disk(const struct images *im, const char *stem)
{
	char name[IMAGES_STEM_MAX + 8];
	struct stat st;
	size_t i;

	if (im->dirfd < 0)
		return NULL;
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		snprintf(name, sizeof name, "%s%s", stem, exts[i]);
		if (fstatat(im->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
			return exts[i];
	}
	return NULL;
}

static int io_error(struct m2j_err *err, const char *what, const char *name)
{
	int e = errno;

	return m2j_err_set(err, e == ENOSPC || e == EDQUOT ? M2J_ENOSPACE : M2J_EIO,
	                   "%s %s: %s", what, name, strerror(e));
}

/* Writes data as dir/name atomically.  0 written, 1 the name already
 * exists (a regular file: somebody else wrote it), or an error. */
static int write_file(struct images *im, const char *name, const void *data, size_t len,
                      struct m2j_err *err)
{
	char tmp[FSATOMIC_TMP_NAME];
	struct stat st;
	int rc;

	if ((rc = fsatomic_write_tmp(im->dirfd, im->dir, data, len, false, tmp, err)))
		return rc;
	if (linkat(im->dirfd, tmp, im->dirfd, name, 0) != 0) {
		int e = errno;

		if (fstatat(im->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			rc = S_ISREG(st.st_mode) ? 1
			     : m2j_err_set(err, M2J_EUNSAFE, "%s/%s exists and is not a file",
			                   im->dir, name);
		} else if (e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == EMLINK) {
			/* no hard links here: rename (the name was free just now) */
			if (renameat(im->dirfd, tmp, im->dirfd, name) != 0)
				rc = io_error(err, "cannot rename in", im->dir);
			else
				return 0;
		} else {
			errno = e;
			rc = io_error(err, "cannot link in", im->dir);
		}
	}
	unlinkat(im->dirfd, tmp, 0);
	return rc;
}

/* ---- fetching --------------------------------------------------------- */

static void warnf(struct images *im, const struct file *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warnf(struct images *im, const struct file *f, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	if (!im->warn)
		return;
	n = snprintf(msg, sizeof msg, "image %.600s: ", f->url);
	if (n > 0 && (size_t)n < sizeof msg) {
		va_start(ap, fmt);
		vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
		va_end(ap);
	}
	im->warn(im->warn_ctx, msg);
}

static void set_fatal(struct images *im, const struct m2j_err *e)
{
	if (!im->fatal) {
		im->fatal = e->code;
		im->fatal_err = *e;
	}
}

static void done(struct fetch_req *req, void *ctx)
{
	struct images *im = ctx;
	struct file *f = &im->files[*(size_t *)req->user];
	struct m2j_err e = { 0, "" };
	char name[IMAGES_STEM_MAX + 8];
	const char *ext, *why = "";
	int rc;

	f->state = ST_FAILED;
	if (req->rc != 0 && req->rc != M2J_ENOMEM && req->rc != M2J_EINTERNAL &&
	    now_s() >= im->deadline - 0.5) {
		/* cut by the budget: counted, and told once by images_fetch */
		f->state = ST_OVER_BUDGET;
		fetch_result_release(&req->res);
		return;
	}
	if (req->rc != 0) {
		if (req->rc == M2J_ENOMEM || req->rc == M2J_EINTERNAL)
			set_fatal(im, &req->err);
		warnf(im, f, "%s", req->err.msg);
		im->counts.failed++;
		fetch_result_release(&req->res);
		return;
	}
	ext = images_type(req->res.content_type, req->res.body.data, req->res.body.len, &why);
	if (!ext) {
		warnf(im, f, "refused: %s (%s)", why,
		      req->res.content_type ? req->res.content_type : "none");
		im->counts.failed++;
		fetch_result_release(&req->res);
		return;
	}
	snprintf(name, sizeof name, "%s%s", f->stem, ext);
	rc = write_file(im, name, req->res.body.data, req->res.body.len, &e);
	fetch_result_release(&req->res);
	if (rc == 0 || rc == 1) {
		f->state = rc == 0 ? ST_DONE : ST_PRESENT;
		f->ext = ext;
		if (rc == 0)
			im->counts.downloaded++;
		else
			im->counts.present++;
		return;
	}
	if (rc == M2J_ENOSPACE || rc == M2J_ENOMEM)
		set_fatal(im, &e);
	warnf(im, f, "%s", e.msg);
	im->counts.failed++;
}

long images_budget_default(long timeout)
{
	return IMAGES_BUDGET_FACTOR * (timeout > 0 ? timeout : CAP_TIMEOUT_DEFAULT);
}

void images_set_budget(struct images *im, long seconds)
{
	im->budget = seconds > 0 ? seconds : 0;
}

/* Downloads reqs[0..n) (one batch) with every timeout cut to what is left
 * of the budget.  Returns fetch_many's result. */
static int fetch_batch(struct images *im, struct fetch_req *reqs, size_t n, long left,
                       struct m2j_err *err)
{
	struct fetch_multi_opts mo = { im->concurrency, im->per_host, 2, left };
	long t = im->timeout > 0 ? im->timeout : CAP_TIMEOUT_DEFAULT;
	long ct = im->connect_timeout > 0 ? im->connect_timeout : CAP_CONNECT_TIMEOUT_DEFAULT;

	for (size_t i = 0; i < n; i++) {
		reqs[i].opts.timeout = t < left ? t : left;
		reqs[i].opts.connect_timeout = ct < left ? ct : left;
	}
	return fetch_many(reqs, n, &mo, done, im, err);
}

static bool same_host(const char *a, const char *b)
{
	const char *ha, *hb, *pa, *pb;
	size_t na, nb, la, lb;

	split_url(a, &ha, &na, &pa, &la);
	split_url(b, &hb, &nb, &pb, &lb);
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (lower(ha[i]) != lower(hb[i]))
			return false;
	return true;
}

/* Moves into reqs[0..) up to max requests that can all run at once (at
 * most per_host of one host), so no request of a batch waits for a slot
 * and its cut timeout holds.  Returns how many. */
static size_t pick_batch(struct fetch_req *reqs, size_t n, size_t max, size_t per_host)
{
	size_t k = 0;

	for (size_t j = 0; j < n && k < max; j++) {
		size_t same = 0;

		for (size_t q = 0; q < k; q++)
			same += same_host(reqs[q].url, reqs[j].url);
		if (same < per_host) {
			struct fetch_req t = reqs[k];

			reqs[k] = reqs[j];
			reqs[j] = t;
			k++;
		}
	}
	return k;
}

int images_fetch(struct images *im, void (*warn)(void *ctx, const char *msg), void *ctx,
                 struct m2j_err *err)
{
	struct fetch_req *reqs = NULL;
	size_t *idx = NULL;
	size_t i, n = 0, want = 0, batch, per_host, over = 0;
	long budget = im->budget > 0 ? im->budget : images_budget_default(im->timeout);
	int rc = 0;

	for (i = 0; i < im->nfiles; i++)
		if (im->files[i].state == ST_NEW)
			want++;
	if (want == 0)
		return 0;
	if ((rc = open_dir(im, !im->dry_run, err)) != 0)
		return rc;
	for (i = 0; i < im->nfiles; i++) {
		struct file *f = &im->files[i];

		if (f->state != ST_NEW)
			continue;
		if ((f->ext = on_disk(im, f->stem)) != NULL) {
			f->state = ST_PRESENT;
			im->counts.present++;
		} else if (im->dry_run) {
			f->state = ST_PLANNED;
			f->ext = url_ext(f->url);
			im->counts.planned++;
		} else {
			n++;
		}
	}
	if (n == 0)
		return 0;
	reqs = calloc(n, sizeof *reqs);
	idx = calloc(n, sizeof *idx);
	if (!reqs || !idx) {
		free(reqs);
		free(idx);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	n = 0;
	for (i = 0; i < im->nfiles; i++) {
		struct file *f = &im->files[i];

		if (f->state != ST_NEW)
			continue;
		idx[n] = i;
		reqs[n].url = f->url;
		reqs[n].opts.max_size = im->max_size;
		reqs[n].opts.user_agent = im->user_agent;
		reqs[n].user = &idx[n];
		n++;
	}
	im->warn = warn;
	im->warn_ctx = ctx;
	im->fatal = 0;
	im->start = now_s();
	im->deadline = im->start + (double)budget;
	/* batches of `concurrency`, each under what is left of the budget: the
	 * whole call ends within it, however slow the servers are */
	batch = im->concurrency > 0 ? (size_t)im->concurrency : CAP_FETCH_CONCURRENCY_DEFAULT;
	per_host = im->per_host > 0 ? (size_t)im->per_host : CAP_FETCH_PER_HOST_DEFAULT;
	for (i = 0; i < n && rc == 0 && !im->fatal; ) {
		double left = im->deadline - now_s();
		size_t k;

		if (left < 1)
			break;
		k = pick_batch(reqs + i, n - i, batch, per_host);
		rc = fetch_batch(im, reqs + i, k, (long)left, err);
		i += k;
	}
	for (i = 0; i < n; i++) {
		struct file *f = &im->files[idx[i]]; /* reqs were reordered, idx not */

		fetch_result_release(&reqs[i].res);
		if (f->state == ST_NEW || f->state == ST_OVER_BUDGET) {
			f->state = ST_FAILED;
			over++;
		}
	}
	im->counts.over_budget += over;
	if (over && warn && rc == 0 && !im->fatal) {
		char msg[160];

		snprintf(msg, sizeof msg, "%zu not downloaded: the image budget of %ld s is spent "
		         "(they keep their URLs)", over, budget);
		warn(ctx, msg);
	}
	free(reqs);
	free(idx);
	im->warn = NULL;
	im->warn_ctx = NULL;
	if (rc == 0 && im->fatal) {
		if (err)
			*err = im->fatal_err;
		rc = im->fatal;
	}
	return rc;
}

char *images_rewrite(void *ctx, int use, const char *url)
{
	struct images *im = ctx;
	const struct file *f;
	struct buf b = BUF_INIT(0);
	size_t i;

	if (!im || use != URL_IMAGE || !url || !strmap_get(&im->by_url, url, &i))
		return NULL;
	f = &im->files[i];
	if (!f->ext || (f->state != ST_PRESENT && f->state != ST_DONE && f->state != ST_PLANNED))
		return NULL;
	buf_addstr(&b, im->prefix);
	buf_addch(&b, '/');
	buf_addstr(&b, f->stem);
	buf_addstr(&b, f->ext);
	if (b.failed) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

const char *images_dir(const struct images *im)
{
	return im->dir;
}
