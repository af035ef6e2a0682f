/* migrate.c - pluto/planet INI, OPML and TSV feed lists (see migrate.h). */
#include "migrate.h"
#include "buf.h"
#include "caps.h"
#include "utf8.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reading of one source. */
struct rd {
	const struct migrate_source *src;
	struct migrate_list *list;
	char **title;
	bool oom;
	/* INI: the section being read */
	char *section;
	unsigned long section_line;
	char *feed, *ftitle;
	unsigned long feed_line;
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

static bool prefix_nocase(const char *s, const char *p)
{
	for (; *p; s++, p++)
		if (lower((unsigned char)*s) != *p)
			return false;
	return true;
}

static bool is_http_url(const char *u)
{
	const unsigned char *p;
	size_t n = strlen(u);

	if (n >= CAP_URL_LEN)
		return false;
	if (prefix_nocase(u, "http://"))
		p = (const unsigned char *)u + 7;
	else if (prefix_nocase(u, "https://"))
		p = (const unsigned char *)u + 8;
	else
		return false;
	if (!*p || *p == '/')
		return false; /* no host */
	for (; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

/* Same feed: scheme and host without case, the rest exactly, trailing
 * slashes ignored. */
static bool same_url(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	bool host = true;
	size_t i, slashes = 0;

	while (la > 0 && a[la - 1] == '/')
		la--;
	while (lb > 0 && b[lb - 1] == '/')
		lb--;
	if (la != lb)
		return false;
	for (i = 0; i < la; i++) {
		if (host && a[i] == '/' && ++slashes == 3)
			host = false;
		if (host ? lower((unsigned char)a[i]) != lower((unsigned char)b[i]) : a[i] != b[i])
			return false;
	}
	return true;
}

static int problem(struct rd *r, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int problem(struct rd *r, unsigned long line, const char *fmt, ...)
{
	struct migrate_list *l = r->list;
	struct buf b = BUF_INIT(0);
	va_list ap;

	if (l->nproblems == l->capproblems) {
		size_t cap = l->capproblems ? l->capproblems * 2 : 16;
		char **p = realloc(l->problems, cap * sizeof *p);

		if (!p)
			return r->oom = true, -1;
		l->problems = p;
		l->capproblems = cap;
	}
	buf_addf(&b, "%s:%lu: ", r->src->path, line);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (b.failed) {
		buf_release(&b);
		return r->oom = true, -1;
	}
	l->problems[l->nproblems++] = buf_detach(&b, NULL);
	return 0;
}

/* A copy of s[0..n) with invalid UTF-8 repaired; NULL (and r->oom) on OOM. */
static char *copy(struct rd *r, const char *s, size_t n)
{
	char *c = utf8_strdup_repair(s, n);

	if (!c)
		r->oom = true;
	return c;
}

static void feed_release(struct migrate_feed *f)
{
	free(f->url);
	free(f->author);
	free(f->title);
	free(f->output);
	free(f->origin);
}

/* Adds a feed read at line (author and title may be NULL); a URL that is
 * not http(s) or already listed is a problem instead. */
static int add_feed(struct rd *r, unsigned long line, const char *url, const char *author,
                    const char *title)
{
	struct migrate_list *l = r->list;
	struct migrate_feed f = { NULL, NULL, NULL, NULL, NULL, r->src->set };
	struct buf origin = BUF_INIT(0);
	size_t i;

	if (!is_http_url(url))
		return problem(r, line, "'%.200s' is not an http(s) URL; skipped", url);
	for (i = 0; i < l->nfeeds; i++)
		if (same_url(l->feeds[i].url, url))
			return problem(r, line, "duplicate feed %.200s (first at %s); skipped", url,
			               l->feeds[i].origin);
	if (l->nfeeds == l->capfeeds) {
		size_t cap = l->capfeeds ? l->capfeeds * 2 : 32;
		struct migrate_feed *p = realloc(l->feeds, cap * sizeof *p);

		if (!p)
			return r->oom = true, -1;
		l->feeds = p;
		l->capfeeds = cap;
	}
	buf_addf(&origin, "%s:%lu", r->src->path, line);
	f.origin = origin.failed ? NULL : buf_detach(&origin, NULL);
	f.url = copy(r, url, strlen(url));
	if (author && *author && !r->src->no_author)
		f.author = copy(r, author, strlen(author));
	if (title && *title)
		f.title = copy(r, title, strlen(title));
	if (r->src->output)
		f.output = copy(r, r->src->output, strlen(r->src->output));
	if (!f.origin || r->oom) {
		feed_release(&f);
		return r->oom = true, -1;
	}
	l->feeds[l->nfeeds++] = f;
	return 0;
}

/* The next line of [*p, end): [*s, *e), without its '\n'; false at the end. */
static bool next_line(const char **p, const char *end, const char **s, const char **e)
{
	if (*p >= end)
		return false;
	*s = *p;
	*e = memchr(*p, '\n', (size_t)(end - *p));
	if (!*e)
		*e = end;
	*p = *e < end ? *e + 1 : end;
	return true;
}

/* ---- INI ---------------------------------------------------------------- */

static void trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
}

/* Ends the section being read: its feed, or a problem when it has none. */
static int end_section(struct rd *r)
{
	int rc = 0;

	if (!r->section)
		return 0;
	if (r->feed)
		rc = add_feed(r, r->feed_line, r->feed, r->section, r->ftitle);
	else if (is_http_url(r->section))
		rc = add_feed(r, r->section_line, r->section, NULL, r->ftitle);
	else
		rc = problem(r, r->section_line, "section [%.100s] has no feed = line; skipped",
		             r->section);
	free(r->section);
	free(r->feed);
	free(r->ftitle);
	r->section = r->feed = r->ftitle = NULL;
	return rc;
}

/* Has a section of this name been read before (into this list from this
 * file)?  Sections are the feeds' authors, so a feed of that author from
 * this set says so; a section without feed is not remembered. */
static const char *section_seen(struct rd *r, const char *name)
{
	size_t i, n = strlen(r->src->path);

	for (i = 0; i < r->list->nfeeds; i++) {
		const struct migrate_feed *f = &r->list->feeds[i];

		if (f->set == r->src->set && strncmp(f->origin, r->src->path, n) == 0 &&
		    f->origin[n] == ':' && ((f->author && strcmp(f->author, name) == 0) ||
		                            strcmp(f->url, name) == 0))
			return f->origin;
	}
	return NULL;
}

static int ini_line(struct rd *r, unsigned long ln, const char *s, const char *e)
{
	const char *k, *ke, *v, *eq, *colon;
	char *val;

	trim(&s, &e);
	if (s == e || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		const char *ns = s + 1, *ne = e;
		const char *seen;

		if (e[-1] != ']' || e - s < 3)
			return problem(r, ln, "not a [section] line; skipped");
		ne--;
		trim(&ns, &ne);
		if (end_section(r))
			return -1;
		if (!(r->section = copy(r, ns, (size_t)(ne - ns))))
			return -1;
		r->section_line = ln;
		if ((seen = section_seen(r, r->section)) != NULL) {
			int rc = problem(r, ln, "duplicate section [%.100s] (first at %s); skipped",
			                 r->section, seen);

			free(r->section);
			r->section = NULL;
			r->section_line = 0;
			return rc ? rc : 1; /* 1: skip the section's lines */
		}
		return 0;
	}
	eq = memchr(s, '=', (size_t)(e - s));
	colon = memchr(s, ':', (size_t)(e - s));
	if (!eq || (colon && colon < eq))
		eq = colon;
	if (!eq)
		return problem(r, ln, "not a key = value line; skipped");
	k = s;
	ke = eq;
	trim(&k, &ke);
	v = eq + 1;
	trim(&v, &e);
	if (e - v >= 2 && (*v == '"' || *v == '\'') && e[-1] == *v) {
		v++;
		e--;
	}
	if (k == ke)
		return problem(r, ln, "a value without key; skipped");
	if (!(val = copy(r, v, (size_t)(e - v))))
		return -1;
	if ((size_t)(ke - k) == 5 && prefix_nocase(k, "title")) {
		char **t = r->section ? &r->ftitle : r->title;

		if (t && !*t) {
			*t = val;
			val = NULL;
		}
	} else if (r->section && (((size_t)(ke - k) == 4 && (prefix_nocase(k, "feed"))) ||
	                          ((size_t)(ke - k) == 3 && prefix_nocase(k, "url")))) {
		if (r->feed) {
			free(val);
			return problem(r, ln, "a second feed in [%.100s] (first at line %lu); skipped",
			               r->section, r->feed_line);
		}
		r->feed = val;
		r->feed_line = ln;
		val = NULL;
	}
	free(val); /* link =, and keys we have no use for */
	return 0;
}

static int read_ini(struct rd *r, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *s, *e;
	unsigned long ln = 0;
	bool skipping = false;

	while (next_line(&p, end, &s, &e)) {
		int rc;

		ln++;
		if (skipping) {
			const char *ts = s, *te = e;

			trim(&ts, &te);
			if (ts == te || *ts != '[')
				continue; /* the next section ends the skip */
		}
		if ((rc = ini_line(r, ln, s, e)) < 0)
			return -1;
		skipping = rc == 1;
	}
	return end_section(r);
}

/* ---- TSV ---------------------------------------------------------------- */

static bool has_scheme(const char *s, const char *e)
{
	for (; e - s >= 3; s++)
		if (s[0] == ':' && s[1] == '/' && s[2] == '/')
			return true;
	return false;
}

static int read_tsv(struct rd *r, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *s, *e;
	unsigned long ln = 0;
	bool first = true;

	while (next_line(&p, end, &s, &e)) {
		const char *tab, *tab2;
		char *author, *url;
		int rc;

		ln++;
		if (e > s && e[-1] == '\r')
			e--;
		if (s == e || *s == '#')
			continue;
		if (first) {
			first = false;
			if (!has_scheme(s, e))
				continue; /* a header */
		}
		tab = memchr(s, '\t', (size_t)(e - s));
		tab2 = tab ? memchr(tab + 1, '\t', (size_t)(e - tab - 1)) : NULL;
		if (tab2)
			rc = problem(r, ln, "more than two tab-separated columns; skipped");
		else {
			const char *as = s, *ae = tab ? tab : s, *us = tab ? tab + 1 : s, *ue = e;

			trim(&as, &ae);
			trim(&us, &ue);
			if (!(author = copy(r, as, (size_t)(ae - as))) ||
			    !(url = copy(r, us, (size_t)(ue - us)))) {
				free(author);
				return -1;
			}
			rc = add_feed(r, ln, url, author, NULL);
			free(url);
			free(author);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- OPML --------------------------------------------------------------- */

static char *attr(struct rd *r, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *c;

	if (!v)
		return NULL;
	c = copy(r, (const char *)v, strlen((const char *)v));
	xmlFree(v);
	return c;
}

static int opml_outlines(struct rd *r, xmlNodePtr n, int depth)
{
	for (; n; n = n->next) {
		char *url, *author = NULL, *title;
		int rc = 0;

		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "outline") != 0)
			continue;
		url = attr(r, n, "xmlUrl");
		if (!url)
			url = attr(r, n, "xmlurl");
		if (url) {
			unsigned long ln = (unsigned long)xmlGetLineNo(n);

			if (r->src->author_attr)
				author = attr(r, n, r->src->author_attr);
			if (!(title = attr(r, n, "title")))
				title = attr(r, n, "text");
			if (r->src->author_attr && !author && !r->src->no_author)
				rc = problem(r, ln, "outline without %.40s= (its author); feed %.200s kept "
				             "without author", r->src->author_attr, url);
			if (rc == 0)
				rc = add_feed(r, ln, url, author, title);
			free(url);
			free(author);
			free(title);
		}
		if (r->oom || rc < 0)
			return -1;
		if (n->children) {
			if (depth >= CAP_HTML_DEPTH)
				return problem(r, (unsigned long)xmlGetLineNo(n),
				               "folders nested deeper than %d; the rest skipped", CAP_HTML_DEPTH);
			if (opml_outlines(r, n->children, depth + 1))
				return -1;
		}
	}
	return 0;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

static int read_opml(struct rd *r, const char *text, size_t len, struct m2j_err *err)
{
	int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	xmlDocPtr doc;
	xmlNodePtr root, head, body;
	int rc;

#ifdef XML_PARSE_NO_XXE
	options |= XML_PARSE_NO_XXE;
#endif
	if (len > (size_t)0x7fffffff)
		return m2j_err_set(err, M2J_ELIMIT, "%s: too big", r->src->path);
	doc = xmlReadMemory(text, (int)len, NULL, NULL, options);
	if (!doc) {
		const xmlError *e = xmlGetLastError();

		return m2j_err_set(err, M2J_EPARSE, "%s:%d: not well-formed XML", r->src->path,
		                   e ? e->line : 0);
	}
	root = xmlDocGetRootElement(doc);
	if (!root || strcmp((const char *)root->name, "opml") != 0) {
		xmlFreeDoc(doc);
		return m2j_err_set(err, M2J_EPARSE, "%s: not an OPML file (no <opml> root)",
		                   r->src->path);
	}
	head = child(root, "head");
	if ((head = child(head, "title")) != NULL && r->title && !*r->title) {
		xmlChar *t = xmlNodeGetContent(head);

		if (t && *t)
			*r->title = copy(r, (const char *)t, strlen((const char *)t));
		xmlFree(t);
	}
	body = child(root, "body");
	rc = body ? opml_outlines(r, body->children, 0) : 0;
	xmlFreeDoc(doc);
	return rc;
}

/* ---- the format and the entry point ------------------------------------- */

int migrate_format_parse(const char *name, enum migrate_format *out)
{
	if (strcmp(name, "ini") == 0)
		*out = MIGRATE_INI;
	else if (strcmp(name, "opml") == 0)
		*out = MIGRATE_OPML;
	else if (strcmp(name, "tsv") == 0)
		*out = MIGRATE_TSV;
	else
		return -1;
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	size_t i;

	if (n < m)
		return false;
	for (i = 0; i < m; i++)
		if (lower((unsigned char)s[n - m + i]) != suffix[i])
			return false;
	return true;
}

static enum migrate_format guess(const char *path, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *s, *e;

	if (ends_with(path, ".opml") || ends_with(path, ".xml"))
		return MIGRATE_OPML;
	if (ends_with(path, ".ini") || ends_with(path, ".cfg") || ends_with(path, ".conf"))
		return MIGRATE_INI;
	if (ends_with(path, ".tsv"))
		return MIGRATE_TSV;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p < end && *p == '<')
		return MIGRATE_OPML;
	while (next_line(&p, end, &s, &e)) {
		trim(&s, &e);
		if (s == e || *s == '#' || *s == ';')
			continue;
		if (*s == '[' || memchr(s, '=', (size_t)(e - s)))
			return MIGRATE_INI;
		return MIGRATE_TSV;
	}
	return MIGRATE_TSV;
}

static void truncate_list(struct migrate_list *l, size_t nfeeds, size_t nproblems)
{
	while (l->nfeeds > nfeeds)
		feed_release(&l->feeds[--l->nfeeds]);
	while (l->nproblems > nproblems)
		free(l->problems[--l->nproblems]);
}

int migrate_read(const struct migrate_source *src, struct migrate_list *list, char **title,
                 struct m2j_err *err)
{
	struct buf text = BUF_INIT(CAP_CONFIG_SIZE);
	struct rd r;
	size_t nf = list->nfeeds, np = list->nproblems;
	enum migrate_format fmt = src->format;
	int rc;

	memset(&r, 0, sizeof r);
	r.src = src;
	r.list = list;
	r.title = title;
	if (title)
		*title = NULL;
	if (buf_read_file(&text, src->path) != 0) {
		bool big = text.too_big;
		int e = errno;

		buf_release(&text);
		return big ? m2j_err_set(err, M2J_ELIMIT, "%s: over %zu bytes", src->path,
		                         (size_t)CAP_CONFIG_SIZE)
		           : m2j_err_set(err, M2J_EIO, "cannot read %s: %s", src->path, strerror(e));
	}
	if (fmt == MIGRATE_AUTO)
		fmt = guess(src->path, text.data, text.len);
	if (fmt == MIGRATE_OPML)
		rc = read_opml(&r, text.data, text.len, err);
	else if (fmt == MIGRATE_INI)
		rc = read_ini(&r, text.data, text.len);
	else
		rc = read_tsv(&r, text.data, text.len);
	free(r.section);
	free(r.feed);
	free(r.ftitle);
	buf_release(&text);
	if (rc && (r.oom || !err || !err->code))
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
	else if (rc)
		rc = err->code;
	if (rc) {
		truncate_list(list, nf, np);
		if (title) {
			free(*title);
			*title = NULL;
		}
	}
	return rc;
}

void migrate_list_release(struct migrate_list *l)
{
	truncate_list(l, 0, 0);
	free(l->feeds);
	free(l->problems);
	*l = (struct migrate_list)MIGRATE_LIST_INIT;
}
