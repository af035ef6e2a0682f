/* checks.h - the property checks of the fuzz targets, shared by the
 * libFuzzer entry points (tests/fuzz/fuzz_*.c) and the regression replay
 * in `make check` (tests/unit/test_fuzz_replay.c), so a fixture replays
 * through exactly the code the fuzzer ran.
 *
 * Each fz_check_* takes arbitrary bytes and returns NULL when every
 * property holds, else a static description of the broken one.  Memory
 * errors are caught by the sanitizers of the build.
 */
#ifndef M2J_FUZZ_CHECKS_H
#define M2J_FUZZ_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "caps.h"
#include "config.h"
#include "date.h"
#include "err.h"
#include "feed.h"
#include "frontmatter.h"
#include "html2md.h"
#include "post.h"
#include "utf8.h"

/* A NUL-terminated copy of d[0..n) (NULL on OOM). */
static inline char *fz_strndup(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		if (n)
			memcpy(s, d, n);
		s[n] = '\0';
	}
	return s;
}

static inline bool fz_str_ok(const char *s)
{
	return !s || utf8_valid(s, strlen(s));
}

/* feed parser: bytes -> items; every string valid UTF-8 (a C string, so
 * no NUL inside by construction), counts consistent. */
static inline bool fz_same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Whether two parses of one document read the same. */
static inline bool fz_same_feed(const struct feed *a, const struct feed *b)
{
	if (!fz_same_str(a->title, b->title) || !fz_same_str(a->link, b->link) ||
	    !fz_same_str(a->generator, b->generator) || !fz_same_str(a->repairs, b->repairs) ||
	    a->nitems != b->nitems || a->dropped != b->dropped || a->is_medium != b->is_medium)
		return false;
	for (size_t i = 0; i < a->nitems; i++) {
		const struct feed_item *x = &a->items[i], *y = &b->items[i];

		if (!fz_same_str(x->title, y->title) || !fz_same_str(x->link, y->link) ||
		    !fz_same_str(x->guid, y->guid) || !fz_same_str(x->html, y->html) ||
		    !fz_same_str(x->base, y->base) || !fz_same_str(x->author, y->author) ||
		    !fz_same_str(x->updated_raw, y->updated_raw) ||
		    !fz_same_str(x->date_raw, y->date_raw) || x->has_date != y->has_date ||
		    (x->has_date && x->date != y->date) || x->ncategories != y->ncategories ||
		    x->nenclosures != y->nenclosures)
			return false;
		for (size_t j = 0; j < x->ncategories; j++)
			if (!fz_same_str(x->categories[j], y->categories[j]))
				return false;
		for (size_t j = 0; j < x->nenclosures; j++)
			if (!fz_same_str(x->enclosures[j].url, y->enclosures[j].url))
				return false;
	}
	return true;
}

/* The document parsed with its CDATA sections not lifted (feed.c): lifting
 * must change nothing, success or error. */
static inline const char *fz_check_lift(const uint8_t *d, size_t n, const char *url, int rc,
                                        const struct feed *f, const struct m2j_err *err)
{
	struct feed *g = NULL;
	struct m2j_err e2 = { 0, "" };
	const char *bad = NULL;
	int rc2;

	feed_lift_enable(false);
	rc2 = feed_parse_url((const char *)d, n, NULL, url, &g, &e2);
	feed_lift_enable(true);
	if (rc2 != rc)
		bad = "lifting CDATA changed whether the feed parses";
	else if (rc && strcmp(err->msg, e2.msg) != 0)
		bad = "lifting CDATA changed the error";
	else if (!rc && !fz_same_feed(f, g))
		bad = "lifting CDATA changed what the feed reads";
	feed_free(g);
	return bad;
}

static inline const char *fz_check_feed(const uint8_t *d, size_t n)
{
	struct feed *f = NULL;
	struct m2j_err err = { 0, "" };
	const char *bad = NULL;
	size_t i, j;
	int rc;

	rc = feed_parse_url((const char *)d, n, NULL, "https://example.org/feed/", &f, &err);
	if ((bad = fz_check_lift(d, n, "https://example.org/feed/", rc, f, &err)) != NULL) {
		feed_free(f);
		return bad;
	}
	if (rc) {
		if (f)
			return "feed_parse failed but returned a feed";
		if (!err.msg[0])
			return "feed_parse failed without a message";
		return NULL;
	}
	if (!f)
		return "feed_parse succeeded without a feed";
	if (!f->title || !fz_str_ok(f->title) || !fz_str_ok(f->link) || !fz_str_ok(f->generator))
		bad = "feed string not valid UTF-8";
	if (f->nitems > CAP_FEED_ITEMS)
		bad = "more items than CAP_FEED_ITEMS";
	for (i = 0; !bad && i < f->nitems; i++) {
		const struct feed_item *it = &f->items[i];

		if (!it->title || !it->html)
			bad = "item title or html NULL";
		else if (strlen(it->title) > CAP_TITLE_LEN)
			bad = "item title longer than CAP_TITLE_LEN";
		else if (!fz_str_ok(it->title) || !fz_str_ok(it->link) || !fz_str_ok(it->guid) ||
		         !fz_str_ok(it->html) || !fz_str_ok(it->base) || !fz_str_ok(it->author) ||
		         !fz_str_ok(it->updated_raw) || !fz_str_ok(it->date_raw))
			bad = "item string not valid UTF-8";
		for (j = 0; !bad && j < it->ncategories; j++)
			if (!it->categories[j] || !fz_str_ok(it->categories[j]))
				bad = "category NULL or not valid UTF-8";
		for (j = 0; !bad && j < it->nenclosures; j++)
			if (!it->enclosures[j].url || !fz_str_ok(it->enclosures[j].url) ||
			    !fz_str_ok(it->enclosures[j].type) ||
			    (strncmp(it->enclosures[j].url, "http://", 7) != 0 &&
			     strncmp(it->enclosures[j].url, "https://", 8) != 0))
				bad = "enclosure URL not http(s) or not valid UTF-8";
		if (!bad && (it->date_source == FEED_DATE_NONE) != (it->date_raw == NULL))
			bad = "date_source NONE but date_raw set, or the reverse";
		if (!bad && (it->tzoff <= -24 * 60 || it->tzoff >= 24 * 60 ||
		             (!it->has_tzoff && it->tzoff != 0)))
			bad = "tzoff out of range";
	}
	if (!bad && !fz_str_ok(f->repairs))
		bad = "repairs not valid UTF-8";
	feed_free(f);
	return bad;
}

static inline const char *fz_check_md(const struct buf *md)
{
	if (md->len && memchr(md->data, '\0', md->len))
		return "Markdown holds a NUL byte";
	if (!utf8_valid(md->data, md->len))
		return "Markdown not valid UTF-8";
	if (md->len && md->data[md->len - 1] != '\n')
		return "Markdown does not end with a newline";
	return NULL;
}

/* HTML -> Markdown on d[0..n) as given: valid UTF-8, no NUL, ends with a
 * newline (or empty); the first byte picks the options so both base-URL
 * paths are covered. */
static inline const char *fz_check_html_raw(const uint8_t *d, size_t n)
{
	static const char *const hosts[] = { "www.youtube.com", NULL };
	struct html2md_opts o;
	struct buf md = BUF_INIT(0);
	struct m2j_err err = { 0, "" };
	const char *bad = NULL;
	unsigned sel = n ? d[0] : 0;
	int rc;

	memset(&o, 0, sizeof o);
	if (sel & 1)
		o.base_url = "https://example.org/blog/post/";
	o.drop_tracking_pixel = (sel & 2) != 0;
	if (sel & 4)
		o.iframe_hosts = hosts;
	rc = html2md_convert((const char *)d, n, &o, &md, &err);
	if (rc == 0)
		bad = fz_check_md(&md);
	else if (rc != M2J_ENOMEM && rc != M2J_ELIMIT)
		bad = "html2md_convert failed with an unexpected code";
	buf_release(&md);
	return bad;
}

/* html2md repairs invalid UTF-8 itself: the raw bytes are checked. */
static inline const char *fz_check_html(const uint8_t *d, size_t n)
{
	return fz_check_html_raw(d, n);
}

static inline bool fz_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "YYYY-MM-DD" with four-digit year. */
static inline bool fz_ymd_ok(const char *s)
{
	return strlen(s) == 10 && fz_digits(s, 4) && s[4] == '-' && fz_digits(s + 5, 2) &&
	       s[7] == '-' && fz_digits(s + 8, 2);
}

/* date parser: a date it accepts formats as four-digit-year dates, and the
 * ISO form parses back to the same instant. */
static inline const char *fz_check_date(const uint8_t *d, size_t n)
{
	char *s = fz_strndup(d, n), ymd[64], fm[64], iso[64];
	const char *bad = NULL;
	int64_t t, t2;

	if (!s)
		return NULL;
	if (date_parse(s, &t) == 0) {
		date_format_ymd(t, ymd, sizeof ymd);
		date_format_fm(t, fm, sizeof fm);
		date_format_iso(t, iso, sizeof iso);
		if (!fz_ymd_ok(ymd))
			bad = "accepted date formats outside YYYY-MM-DD";
		else if (strlen(fm) != 25 || strncmp(fm, ymd, 10) != 0 || strcmp(fm + 19, " +0000") != 0)
			bad = "front matter date malformed";
		else if (date_parse(iso, &t2) != 0 || t2 != t)
			bad = "ISO form does not parse back to the same instant";
	}
	free(s);
	return bad;
}

/* ^[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9-]+\.md$, at most CAP_NAME_LEN bytes. */
static inline bool fz_name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n > CAP_NAME_LEN || n < 15 || strcmp(s + n - 3, ".md") != 0)
		return false;
	if (!fz_digits(s, 4) || s[4] != '-' || !fz_digits(s + 5, 2) || s[7] != '-' ||
	    !fz_digits(s + 8, 2) || s[10] != '-')
		return false;
	for (i = 11; i < n - 3; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* What a raw layout may print of a title: no '"' or '\'' (attribute
 * break-out), no '<' opening a tag, no control byte but tab and newline
 * (a title is a literal block: its lines are kept). */
static inline bool fz_title_safe(const char *v)
{
	for (size_t i = 0; v[i]; i++) {
		unsigned char c = (unsigned char)v[i], n = (unsigned char)v[i + 1];

		if (c == '"' || c == '\'' || c == 0x7f ||
		    (c < 0x20 && c != '\t' && c != '\n'))
			return false;
		if (c == '<' && ((n | 0x20) >= 'a' && (n | 0x20) <= 'z'))
			return false;
		if (c == '<' && (n == '/' || n == '!' || n == '?'))
			return false;
	}
	return true;
}

/* slug + front matter: title bytes, repaired to UTF-8 as the feed parser
 * does, through post_build; the file name has the Jekyll form and the
 * title read back from the front matter is the title made safe for a raw
 * layout (frontmatter_safe_text) plus the literal block's newline.  The first byte picks the date and whether the item
 * has a Medium guid (the id is then the slug of a Latin-less title). */
static inline const char *fz_check_post(const uint8_t *d, size_t n)
{
	static const int64_t dates[] = { 0, 1643765040, 253402300799LL, -62135596800LL };
	static const char *const keys[] = { "title", "layout", "original_link" };
	static char empty[] = "", link[] = "https://example.org/p/1?utm_source=x",
	            mguid[] = "https://medium.com/p/ee6bf52b539c", tguid[] = "tag:example.org,2022:1";
	struct feed f;
	struct feed_item it;
	struct post_opts o;
	struct post p;
	struct post_src src;
	struct m2j_err err = { 0, "" };
	char *vals[3] = { NULL, NULL, NULL }, name[CAP_NAME_LEN_BASE + 8];
	const char *bad = NULL;
	unsigned sel = n ? d[0] : 0;
	int rc;

	memset(&f, 0, sizeof f);
	memset(&it, 0, sizeof it);
	memset(&o, 0, sizeof o);
	f.kind = FEED_RSS2;
	f.title = empty;
	f.is_medium = (sel & 4) != 0;
	it.title = utf8_strdup_repair(n ? (const char *)d + 1 : "", n ? n - 1 : 0);
	if (!it.title)
		return NULL;
	it.html = empty;
	it.link = link;
	it.guid = (sel & 4) ? mguid : tguid;
	it.has_date = true;
	it.date = dates[sel & 3];
	o.layout = "post-external";
	if (sel & 8)
		o.author = "100047";
	{
		/* as the item pipeline does: original_link, identity, build */
		struct ident_src is;
		struct ident id;
		char *plink = NULL;

		memset(&is, 0, sizeof is);
		rc = post_link(&it, &o, &plink, &err);
		is.medium_links = f.is_medium;
		is.guid = it.guid;
		is.link = plink;
		is.title = it.title;
		is.synthesise = true;
		if (!rc && ident_make(&is, &id) != 0)
			rc = M2J_ENOMEM;
		else if (!rc) {
			rc = post_src_open(f.is_medium, &it, &o, &src, &err);
			if (rc == 0)
				rc = post_build(&src, &id, plink, &o, &p, &err);
			post_src_close(&src);
			ident_release(&id);
		}
		free(plink);
	}
	if (rc) {
		free(it.title);
		return rc == M2J_ENOMEM ? NULL : "post_build failed";
	}
	snprintf(name, sizeof name, "%s.md", p.base);
	if (!fz_name_ok(name))
		bad = "file name does not match YYYY-MM-DD-[a-z0-9-]+.md";
	else if (memchr(p.text.data, '\0', p.text.len) || !utf8_valid(p.text.data, p.text.len))
		bad = "post text not valid UTF-8 or holds a NUL";
	else if (frontmatter_read(p.text.data, p.text.len, keys, 3, vals, NULL, &err) != 0)
		bad = "front matter does not read back";
	else if (!vals[0] || !vals[1] || !vals[2])
		bad = "front matter key missing";
	else if (strcmp(vals[1], "post-external") != 0 || strcmp(vals[2], it.link) != 0)
		bad = "layout or original_link changed";
	else if (!fz_title_safe(vals[0]))
		bad = "title read back holds a quote, a tag opening or a control byte";
	else {
		/* the title as frontmatter_safe_text makes it safe for a raw
		 * layout (curly quotes, fullwidth '<', controls dropped), plus the
		 * literal block's newline */
		struct buf want = BUF_INIT(0);

		if (frontmatter_safe_text(it.title, strlen(it.title), true, &want) != 0)
			bad = NULL; /* out of memory: nothing to compare */
		else if (want.len ? !(strlen(vals[0]) == want.len + 1 &&
		                      memcmp(vals[0], want.data, want.len) == 0 &&
		                      vals[0][want.len] == '\n')
		                  : vals[0][0] != '\0')
			bad = "title read back differs";
		buf_release(&want);
	}
	free(vals[0]);
	free(vals[1]);
	free(vals[2]);
	post_release(&p);
	free(it.title);
	return bad;
}

/* config reader: bytes -> config; a failure is a usage error (or no
 * memory) with a message, a success has feeds, in-range numbers and valid
 * UTF-8 strings. */
static inline const char *fz_check_config(const uint8_t *d, size_t n)
{
	struct config *c = NULL;
	struct m2j_err err = { 0, "" };
	const char *bad = NULL;
	size_t i;
	int rc;

	rc = config_parse((const char *)d, n, "fuzz/medium2jekyll.yml", &c, &err);
	if (rc) {
		if (c)
			return "config_parse failed but returned a config";
		if (rc != M2J_EUSAGE && rc != M2J_ENOMEM)
			return "config_parse failed with an unexpected code";
		return err.msg[0] ? NULL : "config_parse failed without a message";
	}
	if (!c || c->nfeeds < 1 || !c->feeds)
		bad = "config without feeds";
	else if (c->concurrency < 1 || c->concurrency > CONFIG_MAX_CONCURRENCY ||
	         c->per_host < 1 || c->per_host > CONFIG_MAX_PER_HOST ||
	         c->timeout < 1 || c->timeout > CONFIG_MAX_TIMEOUT ||
	         c->connect_timeout < 1 || c->connect_timeout > CONFIG_MAX_TIMEOUT ||
	         c->max_size < CONFIG_MIN_MAX_SIZE || c->max_size > CONFIG_MAX_MAX_SIZE)
		bad = "config number out of range";
	else if (!c->output || !c->layout || !c->state || !fz_str_ok(c->output) ||
	         !fz_str_ok(c->layout) || !fz_str_ok(c->state) || !fz_str_ok(c->author) ||
	         !fz_str_ok(c->user_agent))
		bad = "config string missing or not valid UTF-8";
	for (i = 0; !bad && c && i < c->nfeeds; i++) {
		const struct config_feed *f = &c->feeds[i];

		if (!f->url || !fz_str_ok(f->url) || !fz_str_ok(f->medium) || !fz_str_ok(f->author) ||
		    !fz_str_ok(f->output) || !fz_str_ok(f->layout))
			bad = "feed string missing or not valid UTF-8";
	}
	config_free(c);
	return bad;
}

#endif
