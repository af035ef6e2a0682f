/* ident.c - post identity (see ident.h). */
#include "ident.h"
#include "strmap.h"
#include "url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static char lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

/* host of url: [*hs, *he); false without "scheme://" */
static bool host_of(const char *url, const char **hs, const char **he)
{
	const char *p = strstr(url, "://"), *e;

	if (!p)
		return false;
	p += 3;
	e = p + strcspn(p, "/?#");
	{
		const char *at = memchr(p, '@', (size_t)(e - p));
		if (at)
			p = at + 1;
	}
	*hs = p;
	*he = p + strcspn(p, ":/?#");
	if (*he > e)
		*he = e;
	return true;
}

static bool host_is_medium(const char *hs, const char *he)
{
	size_t n = (size_t)(he - hs), i;
	char h[256];

	if (n >= sizeof h)
		return false;
	for (i = 0; i < n; i++)
		h[i] = lower(hs[i]);
	h[n] = '\0';
	return strcmp(h, "medium.com") == 0 ||
	       (n > 11 && strcmp(h + n - 11, ".medium.com") == 0);
}

bool ident_medium_id(const char *url, bool strict, char id[13])
{
	const char *hs, *he, *path, *end, *seg, *p;
	size_t n;

	if (!url || !host_of(url, &hs, &he))
		return false;
	if (strict && !host_is_medium(hs, he))
		return false;
	path = he + strcspn(he, "/?#");
	end = path + strcspn(path, "?#");
	while (end > path && end[-1] == '/')
		end--;
	seg = end;
	while (seg > path && seg[-1] != '/')
		seg--;
	/* the id is the whole segment after /p/, or follows the last '-' */
	p = end;
	while (p > seg && p[-1] != '-')
		p--;
	if (p == seg && !(seg - path >= 3 && memcmp(seg - 3, "/p/", 3) == 0))
		return false;
	n = (size_t)(end - p);
	if (n < 10 || n > 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_hex(p[i]))
			return false;
	memcpy(id, p, n);
	id[n] = '\0';
	return true;
}

static bool tracking_param(const char *k, size_t n)
{
	return (n == 6 && memcmp(k, "source", 6) == 0) || (n > 4 && memcmp(k, "utm_", 4) == 0);
}

int ident_link_norm(const char *url, struct buf *out)
{
	const char *hs, *he, *q, *frag, *p;
	bool first = true;
	size_t i;

	frag = url + strcspn(url, "#");
	q = memchr(url, '?', (size_t)(frag - url));
	if (host_of(url, &hs, &he)) {
		p = url;
		/* one post whatever the scheme it is linked with */
		if (strncmp(url, "http://", 7) == 0 || strncmp(url, "HTTP://", 7) == 0) {
			buf_addstr(out, "https");
			p = url + 4;
		}
		for (; p < he; p++)
			buf_addch(out, lower(*p));
	} else {
		he = url;
	}
	buf_add(out, he, (size_t)((q ? q : frag) - he));
	if (q) {
		p = q + 1;
		while (p < frag) {
			const char *amp = memchr(p, '&', (size_t)(frag - p));
			const char *e = amp ? amp : frag;
			size_t klen = strcspn(p, "=&#");

			if (klen > (size_t)(e - p))
				klen = (size_t)(e - p);
			if (e > p && !tracking_param(p, klen)) {
				buf_addch(out, first ? '?' : '&');
				first = false;
				for (i = 0; i < (size_t)(e - p); i++)
					buf_addch(out, p[i]);
			}
			p = amp ? amp + 1 : frag;
		}
	}
	return out->failed ? -1 : 0;
}

static bool is_http(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* An absolute URI: a scheme ("tag:", "urn:") before anything else. */
static bool is_uri(const char *s)
{
	const char *p = s;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	       *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':' && p[1];
}

static char *key_of(const char *prefix, const struct buf *b)
{
	size_t n = strlen(prefix);
	char *k = malloc(n + b->len + 1);

	if (!k)
		return NULL;
	memcpy(k, prefix, n);
	memcpy(k + n, b->data ? b->data : "", b->len);
	k[n + b->len] = '\0';
	return k;
}

void ident_release(struct ident *id)
{
	free(id->guid);
	free(id->key);
	free(id->fallback);
	id->guid = id->key = id->fallback = NULL;
	id->medium_id[0] = '\0';
}

int ident_make(const struct ident_src *src, struct ident *id)
{
	struct buf g = BUF_INIT(0), l = BUF_INIT(0), gs = BUF_INIT(0);
	const char *guid = src->guid && src->guid[0] ? src->guid : NULL;
	const char *link = src->link && src->link[0] ? src->link : NULL;
	char synth[64];
	int rc = 0;

	memset(id, 0, sizeof *id);
	/* the guid as the front matter writes it (FM_URL: url_serialize is
	 * idempotent), so a guid read back from a post is the item's */
	if (guid) {
		if (url_serialize(guid, &gs) || buf_addch(&gs, 0))
			goto oom;
		guid = gs.data;
	}
	if (src->medium_id && src->medium_id[0] && strlen(src->medium_id) < sizeof id->medium_id)
		snprintf(id->medium_id, sizeof id->medium_id, "%s", src->medium_id);
	else if (!(guid && ident_medium_id(guid, true, id->medium_id)) &&
	         !(link && ident_medium_id(link, !src->medium_links, id->medium_id)))
		id->medium_id[0] = '\0';
	if (link && ident_link_norm(link, &l))
		goto oom;
	if (guid && !id->medium_id[0]) {
		if (is_http(guid)) {
			if (ident_link_norm(guid, &g))
				goto oom;
			if (link && g.len == l.len && memcmp(g.data, l.data, l.len) == 0)
				guid = NULL; /* the guid is the link: keyed by the link */
		} else if (is_uri(guid)) {
			buf_addstr(&g, guid);
		} else {
			/* "42" means something only within its site */
			const char *hs = NULL, *he = NULL;

			if (link && host_of(link, &hs, &he))
				for (const char *p = hs; p < he; p++)
					buf_addch(&g, lower(*p));
			buf_addch(&g, ' ');
			buf_addstr(&g, guid);
		}
	}
	if (!id->medium_id[0] && !guid && !link && src->synthesise) {
		/* nothing to know it by but what it says */
		uint64_t h = strmap_hash("", 0);
		const char *t = src->title ? src->title : "", *d = src->date_raw ? src->date_raw : "";

		h = strmap_hash_more(h, t, strlen(t) + 1);
		h = strmap_hash_more(h, d, strlen(d) + 1);
		if (!*t && !*d && src->body && *src->body)
			h = strmap_hash_more(h, src->body, strlen(src->body));
		snprintf(synth, sizeof synth, "urn:medium2jekyll:%016llx", (unsigned long long)h);
		guid = synth;
		buf_reset(&g);
		buf_addstr(&g, synth);
	}
	if (g.failed || l.failed)
		goto oom;
	if (id->medium_id[0]) {
		char m[16];

		snprintf(m, sizeof m, "M:%s", id->medium_id);
		if (!(id->key = strdup(m)))
			goto oom;
	} else if (guid) {
		if (!(id->guid = strdup(guid)) || !(id->key = key_of("G:", &g)))
			goto oom;
	} else if (link) {
		if (!(id->key = key_of("L:", &l)))
			goto oom;
	}
	if (id->key && id->key[0] != 'L' && link && !(id->fallback = key_of("L:", &l)))
		goto oom;
	goto out;
oom:
	ident_release(id);
	rc = -1;
out:
	buf_release(&g);
	buf_release(&l);
	buf_release(&gs);
	return rc;
}
